"""The indicator page's charts without a browser: with too few figures for a process chart the page says what
the scorecard says and judges nothing; every chart has the one panel around it (headline, subtitle, source,
a summary for screen readers, a table view and a download), and the panel takes plain values so any page's
chart can use it."""

from __future__ import annotations

import dash
import pytest

from dashboard import data_access, formatting
from dashboard.components.charts.panel import chart_panel
from tests.dashboard.indicator.support import (
    CAMBRIDGESHIRE,
    FENLAND,
    by_id,
    figure_of,
    find_all,
    press_download,
    render_page,
    table_rows,
    text_of,
)

# --- Too few figures for a process chart -------------------------------------------------------------------


def test_too_few_figures_for_a_process_chart_shows_the_points_without_a_judgement(app, client):
    """Three figures: the page says what the scorecard says (too few, 3 of at least 5), draws the three
    points without a mean or limits, and shows no variation or assurance anywhere."""
    with app.server.test_request_context("/"):
        row = data_access.scorecard_row(CAMBRIDGESHIRE, "cp-plans-rate")
    assert not row.spc_judged and row.spc_points == 3 and row.spc_variation is None
    words = "Too few figures for a process chart (3 of at least 5)."
    layout = render_page(app, "cp-plans-rate", area=CAMBRIDGESHIRE, view="spc")
    assert text_of(by_id(layout, "spc-too-few")).startswith(words)
    assert text_of(by_id(layout, "summary-spc")) == words
    assert text_of(by_id(layout, "chart-spc-headline")) == (
        "Children on protection plans in Cambridgeshire: too few figures for a process chart"
    )
    for judged in ("spc-statuses", "spc-trial-limits"):
        assert not find_all(layout, lambda c, id=judged: getattr(c, "id", None) == id)
    page_text = text_of(layout)
    assert "Variation:" not in page_text and "Common cause" not in page_text
    assert "Hit and miss" not in page_text and "No target to assure" not in page_text
    figure = figure_of(layout, "graph-spc")
    assert [t["meta"] for t in figure["data"]] == ["figures"]  # no mean, limits, target or special cause
    assert figure["data"][0]["y"] == pytest.approx([40.0, 42.9, 37.9], abs=0.05)
    assert [row[0] for row in table_rows(layout, "table-spc")] == ["2021/22", "2022/23", "2023/24"]
    _, rows = press_download(
        client, "spc", {"code": "cp-plans-rate", "area": CAMBRIDGESHIRE, "view": "spc", "ci": "on"}
    )
    assert list(rows[0]) == ["Period", "Cambridgeshire", "Provisional"]
    assert [float(r["Cambridgeshire"]) for r in rows] == pytest.approx(figure["data"][0]["y"])


# --- The one chart panel -----------------------------------------------------------------------------------


def _panel_parts(panel, key: str) -> dict:
    """What a reader gets around one chart: headline, subtitle, source, the figure's text summary (it is
    an image to screen readers) and the table view's rows."""
    figure = by_id(panel, f"chart-{key}-figure").to_plotly_json()["props"]
    return {
        "headline": text_of(by_id(panel, f"chart-{key}-headline")),
        "subtitle": text_of(by_id(panel, f"chart-{key}-subtitle")),
        "source": text_of(by_id(panel, f"chart-{key}-source")),
        "summary": figure["aria-label"] if figure.get("role") == "img" else "",
        "table": table_rows(by_id(panel, f"chart-{key}-table"), f"table-{key}"),
    }


@pytest.mark.parametrize(
    ("code", "area", "view", "keys"),
    [
        ("smoking-at-delivery", FENLAND, "trend", ["trend", "compare", "funnel"]),
        ("smoking-at-delivery", FENLAND, "spc", ["spc", "compare", "funnel"]),
        ("cp-plans-rate", CAMBRIDGESHIRE, "spc", ["spc", "compare"]),
        (
            "obesity-reception",
            CAMBRIDGESHIRE,
            "trend",
            ["trend", "compare", "inequalities-deprivation-quintile"],
        ),
    ],
)
def test_every_chart_has_the_panel_around_it(app, code, area, view, keys):
    layout = render_page(app, code, area=area, view=view)
    panels = find_all(layout, lambda c: getattr(c, "className", None) == "app-indicator-chart")
    assert [p.id for p in panels] == [f"chart-{key}" for key in keys]
    for panel, key in zip(panels, keys, strict=True):
        parts = _panel_parts(panel, key)
        assert all(parts.values()), parts
        assert parts["source"].startswith("Source: ")
        download = text_of(by_id(panel, {"type": "indicator-csv", "chart": key}))
        assert download == f"Download the figures (CSV, {formatting.plural(len(parts['table']), 'row')})"


def test_the_panel_takes_plain_values_so_any_page_can_use_it():
    figure = {"data": [{"type": "bar", "x": [1, 2], "y": ["A", "B"]}], "layout": {}}
    panel = chart_panel(
        "budget",
        headline="Most of the budget is at risk",
        subtitle="The budget split: Peterborough, 2025/26.",
        source="Source: the agreement.",
        summary="Bar chart of the budget split.",
        figure=figure,
        caption="The budget split",
        header=("Part of the budget", "Amount"),
        rows=[("Fixed", "£1,000"), ("At risk", "£9,000")],
        numeric=("Amount",),
        download=dash.html.A("Download the chart's figures (CSV)", href="data:text/csv,", id="budget-csv"),
    )
    ids = [getattr(child, "id", None) for child in panel.children]
    assert ids == [
        "chart-budget-headline",
        "chart-budget-subtitle",
        "chart-budget-figure",
        "chart-budget-source",
        "chart-budget-table",
        "budget-csv",
        "chart-budget-images",
    ]
    assert by_id(panel, "graph-budget").figure is figure
    images = by_id(panel, "chart-budget-images").children
    assert [(b.children, b.to_plotly_json()["props"]["data-graph"]) for b in images] == [
        ("Download the chart (PNG)", "graph-budget"),
        ("Download the chart (SVG)", "graph-budget"),
    ]
    assert _panel_parts(panel, "budget") == {
        "headline": "Most of the budget is at risk",
        "subtitle": "The budget split: Peterborough, 2025/26.",
        "source": "Source: the agreement.",
        "summary": "Bar chart of the budget split.",
        "table": [["Fixed", "£1,000"], ["At risk", "£9,000"]],
    }
