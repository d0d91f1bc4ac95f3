"""The areas table ("tartan rug") without a browser, on the scorecard tests' store: areas across, every
indicator down, each cell the figure its own area's scorecard shows, with the comparison in words and
shape."""

from __future__ import annotations

import dash
import pytest

from dashboard import create_app
from tests.dashboard import pages
from tests.dashboard.pages import by_id, duplicate_ids, find, props, text, to_json
from tests.dashboard.test_scorecard_page import ANTENATAL, NEW_BIRTH, engine  # noqa: F401


@pytest.fixture(scope="module")
def app(engine) -> dash.Dash:  # noqa: F811
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture(scope="module")
def page(app):
    return pages.render(app, "/areas-table")


def row_cells(page, code: str) -> list[str]:
    [row] = find(page, lambda c: type(c).__name__ == "Tr" and props(c).get("data-indicator") == code)
    return [text(cell) for cell in row.children]


def test_areas_across_indicators_down_in_a_semantic_table(page):
    to_json(page)
    assert not duplicate_ids(page)
    table = by_id(page, "areas-table")
    assert text(find(table, lambda c: type(c).__name__ == "Caption")[0]) == (
        "CYP Outcomes Framework: each area's latest figure, compared with England"
    )
    head = find(table, lambda c: type(c).__name__ == "Thead")[0]
    headers = find(head, lambda c: type(c).__name__ == "Th")
    assert all(h.scope == "col" for h in headers)
    assert [text(h) for h in headers] == [
        "Indicator",
        "Cambridgeshire",
        "Peterborough",
        "Cambridge",
        "East Cambridgeshire",
        "Fenland",
        "Huntingdonshire",
        "South Cambridgeshire",
        "East of England",
        "England",
    ]
    rows = find(table, lambda c: type(c).__name__ == "Tr" and props(c).get("data-indicator"))
    assert len(rows) == 73  # every indicator of the framework, once


def test_each_cell_is_the_areas_own_figure_with_its_comparison_in_words(page):
    # Cambridgeshire's new birth visits: 88.9% in 2025/26 Q1, not compared (no England figure);
    # Peterborough's 90.0% and Huntingdonshire's 33 of 40 in the same quarter; Fenland has antenatal
    # contacts only.
    assert row_cells(page, NEW_BIRTH) == [
        "New birth visit within 14 days 2025/26 Q1",
        "88.9% – Not compared",
        "90.0% – Not compared",
        "No figure",
        "No figure",
        "No figure",
        "82.5% – Not compared",
        "No figure",
        "No figure",
        "No figure",
    ]
    assert row_cells(page, ANTENATAL)[5] == "50.0% – Not compared"


def test_the_legend_and_the_download_buttons(page):
    assert text(by_id(page, "areas-table-legend")).startswith("Compared with England: ✓ Better than England")
    assert text(by_id(page, "areas-table-csv")).startswith("Download the table (CSV, ")
