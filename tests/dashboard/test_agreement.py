"""The scorecard and the indicator page say the same thing about every indicator, for every local area.

On the bundled data (the figures users see), each status an area's scorecard row shows (against target,
compared with England, the recent trend, and the SPC variation and assurance, or that there are too few
figures for SPC) must be the status that indicator's page shows for the same area. Both pages render the
one scorecard record (:class:`data.scorecard.ScorecardRow`), so a disagreement means a page has made a
judgement of its own.
"""

from __future__ import annotations

import pytest

from dashboard import create_app
from dashboard.components import status
from dashboard.components.scorecard_filters import choices
from data.db import make_engine
from data.seed import seed
from tests.dashboard.pages import by_id, find, props, render, text


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = tmp_path_factory.mktemp("bundled") / "bundled.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    seed(engine)
    yield create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"})
    engine.dispose()


def _tags(node) -> list[str]:
    """The words of every status tag in ``node`` (the icon is hidden from screen readers)."""
    strong = find(node, lambda c: type(c).__name__ == "Strong" and "status-tag" in (c.className or ""))
    return [tag.children[1] for tag in strong]


def _spc_verdict(node) -> list[str]:
    """The SPC statuses, or the sentence saying there are too few figures for them. The indicator page's
    summary card says "No target to assure" where the scorecard's narrow cell leaves assurance out: both
    mean there is no assurance, so that tag is not compared."""
    no_assurance = status.assurance(None).words
    return [words for words in _tags(node) if words != no_assurance] or [text(node)]


def _scorecard_says(page) -> dict[str, dict[str, list[str]]]:
    rows = find(page, lambda c: type(c).__name__ == "Tr" and "data-indicator" in props(c))
    said = {}
    for row in rows:
        cells = row.children
        if len(cells) < 7:  # the one-cell row of an indicator with no figure for the area
            continue
        said[props(row)["data-indicator"]] = {
            "target": _tags(cells[3]),
            "england": _tags(cells[4])[:1],
            "trend": _tags(cells[5]),
            "spc": _spc_verdict(cells[6]),
        }
    return said


def _indicator_page_says(page) -> dict[str, list[str]]:
    return {
        "target": _tags(by_id(page, "summary-target")),
        "england": _tags(by_id(page, "summary-england"))[:1],
        "trend": _tags(by_id(page, "summary-trend")),
        "spc": _spc_verdict(by_id(page, "summary-spc")),
    }


def test_every_local_area_and_indicator_says_the_same_on_both_pages(app):
    disagreements = []
    compared = 0
    with app.server.test_request_context("/"):
        offered = [code for code, _ in choices().areas]  # the local areas with figures
    assert len(offered) >= 7
    for area in offered:
        for code, scorecard in _scorecard_says(render(app, "/", area=area)).items():
            page = _indicator_page_says(render(app, f"/indicator/{code}", area=area))
            compared += 1
            for what, words in scorecard.items():
                if page[what] != words:
                    disagreements.append(
                        f"{area} {code} {what}: scorecard {words}, indicator page {page[what]}"
                    )
    assert compared > 100  # the bundled data give most local areas figures for many indicators
    assert disagreements == [], "\n".join(disagreements)
