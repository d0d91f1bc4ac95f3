"""The funnel plot in "Compared with other areas": breastfeeding in the districts and Peterborough around
England's 51.0% (the known figures in :mod:`.support`), the areas outside its limits in words, its table and
CSV, and why there is no funnel plot for figures that cannot have one."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components.charts.funnel import why_not
from tests.dashboard.indicator.support import (
    CAMBRIDGESHIRE,
    FENLAND,
    by_id,
    figure_of,
    press_download,
    render_page,
    table_rows,
    text_of,
)

CODE = "breastfeeding-6-8-weeks"


@pytest.fixture(scope="module")
def fenland(app):
    return render_page(app, CODE, area=FENLAND)


def test_the_areas_outside_the_limits_are_listed_in_words(fenland):
    assert text_of(by_id(fenland, "funnel-outside")) == (
        "Outside the 99.8% limits: Cambridge (above), East Cambridgeshire (above), Fenland (below)"
    )
    assert (
        text_of(by_id(fenland, "funnel-between")) == "Between the 95% and 99.8% limits: Peterborough (above)"
    )
    assert text_of(by_id(fenland, "funnel-within")) == (
        "Within the 95% limits: Huntingdonshire, South Cambridgeshire"
    )
    assert text_of(by_id(fenland, "chart-funnel-headline")) == (
        "Fenland is below the 99.8% limits around England for breastfeeding at 6-8 weeks in 2023/24; "
        "3 of 6 areas are outside the 99.8% limits"
    )


def test_the_table_gives_each_area_its_limits_and_place(fenland):
    rows = table_rows(fenland, "table-funnel")
    fenland_row = next(r for r in rows if r[0] == "Fenland")
    # 430 of 1,000 against 51.0%: the 99.8% limits at 1,000 are 46.1% to 55.9%.
    assert fenland_row == [
        "Fenland",
        "43.0%",
        "430",
        "1,000",
        "46.1%",
        "47.9%",
        "54.1%",
        "55.9%",
        "Outside the 99.8% limits (below)",
    ]
    assert [r[0] for r in rows][:3] == ["Cambridge", "East Cambridgeshire", "Fenland"]


def test_the_figure_draws_england_the_two_limits_and_each_area_by_its_place(fenland):
    figure = figure_of(fenland, "graph-funnel")
    metas = [t.get("meta") for t in figure["data"]]
    assert metas[:5] == [
        "funnel-england",
        "funnel-lower95",
        "funnel-upper95",
        "funnel-lower998",
        "funnel-upper998",
    ]
    ours = next(t for t in figure["data"] if t.get("meta") == "our-area")
    assert ours["x"] == [1000] and ours["y"] == [43.0]
    assert ours["marker"]["symbol"] == ["triangle-down"]
    england = figure["data"][0]
    assert england["y"] == [pytest.approx(51.0), pytest.approx(51.0)]
    label = by_id(fenland, "chart-funnel-figure").to_plotly_json()["props"]["aria-label"]
    assert (
        "Outside the 99.8% limits: Cambridge (above), East Cambridgeshire (above), Fenland (below)." in label
    )


def test_the_funnel_csv_is_its_table(client):
    view = {"code": CODE, "area": FENLAND, "view": "trend", "ci": "on"}
    filename, rows = press_download(client, "funnel", view)
    assert filename == f"{CODE}-funnel-2023-24.csv"
    assert len(rows) == 6
    assert rows[2]["Area"] == "Fenland"
    assert rows[2]["Compared with England"] == "Outside the 99.8% limits (below)"
    assert float(rows[2]["Lower 99.8% limit"]) == pytest.approx(46.1, abs=0.05)


def test_without_counts_and_denominators_the_page_says_why_there_is_no_funnel(app):
    layout = render_page(app, "obesity-reception", area=CAMBRIDGESHIRE)
    assert text_of(by_id(layout, "funnel-none")).startswith(
        "There is no funnel plot because the counts and denominators behind these figures are not held"
    )


def test_without_an_england_figure_the_page_says_why_there_is_no_funnel(app):
    layout = render_page(app, "cp-plans-rate", area=CAMBRIDGESHIRE)
    assert text_of(by_id(layout, "funnel-none")) == (
        "There is no funnel plot because there is no England figure for this period to compare with."
    )


def test_counts_have_no_funnel_plot():
    rows = pd.DataFrame({"area_code": ["E10000003"], "value": [10.0], "count": [10.0], "denominator": [None]})
    england = pd.DataFrame({"value": [100.0], "count": [100.0], "denominator": [None]})
    assert why_not({"value_type": "count"}, rows, england).startswith(
        "There is no funnel plot because these figures are counts"
    )


def test_a_standardised_rate_is_placed_at_the_population_its_count_and_rate_imply(app):
    """Self-harm admissions (10-24) in 2017/18 from the bundled Fingertips extract are age-standardised:
    Cambridgeshire's 777 admissions at 662.7 per 100,000 imply a population of 117,243 (its own is 116,545).
    Both areas are far above England's 421.2 per 100,000."""
    layout = render_page(app, "self-harm-admissions-10-24", area=CAMBRIDGESHIRE)
    assert text_of(by_id(layout, "funnel-outside")) == (
        "Outside the 99.8% limits: Cambridgeshire (above), Peterborough (above)"
    )
    rows = table_rows(layout, "table-funnel")
    assert rows[0][:5] == ["Cambridgeshire", "662.7 per 100,000", "777", "116,545", "117,243"]
    figure = figure_of(layout, "graph-funnel")
    assert figure["layout"]["xaxis"]["title"]["text"] == "Population implied by the count and rate"
