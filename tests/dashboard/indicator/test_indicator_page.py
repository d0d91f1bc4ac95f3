"""The indicator page without a browser, on an in-memory store seeded with small known files: what a reader
would notice (the summary sentence, the download holding exactly what is plotted, special-cause points,
the order and words of the area comparison, empty states and unknown codes)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard import data_access, formatting
from dashboard.components import status, summary
from dashboard.components.charts import spc, words
from data import boundaries
from tests.dashboard.indicator.support import (
    CAMBRIDGESHIRE,
    FENLAND,
    HUNTINGDONSHIRE,
    PETERBOROUGH,
    SPECIAL_CAUSE_PERIOD,
    by_id,
    figure_of,
    find_all,
    press_download,
    render_page,
    table_rows,
    text_of,
    trace_of,
)
from tests.dashboard.rows import scorecard_row
from tests.dashboard.signing_in import signed_in_client

EXPECTED_SENTENCE = (
    "In 2023/24, Fenland\u2019s figure for \u201cSmoking at delivery\u201d was 10.4%, significantly worse "
    "than England (8.8%), missing the 6% target, and the trend is improving."
)


# --- The summary a councillor reads aloud -------------------------------------------------------------------


def test_the_summary_sentence_for_a_known_case(app):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND)
    assert text_of(by_id(layout, "indicator-summary-sentence")) == EXPECTED_SENTENCE
    statuses = text_of(by_id(layout, "indicator-statuses"))
    assert "Off target" in statuses and "4.4 points above the 6% target" in statuses
    assert (
        "Worse than England" in statuses
        and "England 8.8%: outside this area\u2019s 95% interval (9.1 to 11.8)" in statuses
    )
    assert "Decreasing and getting better" in statuses


def test_the_summary_shows_the_95_and_99_8_percent_intervals_of_the_latest_figure(app):
    # Fenland's smoking at delivery, 208 of 2,000 in 2023/24: Wilson 95% 9.1% to 11.8%, 99.8% 8.5% to 12.7%.
    page = render_page(app, "smoking-at-delivery", area=FENLAND)
    assert text_of(by_id(page, "indicator-intervals")) == (
        "95% interval 9.1 to 11.8; 99.8% interval 8.5 to 12.7."
    )


def test_a_published_comparison_is_not_called_significant(app):
    sentence = text_of(
        by_id(render_page(app, "obesity-reception", area=CAMBRIDGESHIRE), "indicator-summary-sentence")
    )
    assert "better than England (10.5%), as published by OHID" in sentence
    assert "significantly" not in sentence


def test_sentences_without_a_target_england_figure_or_trend_and_for_counts():
    base = scorecard_row(period_label="2024/25", value=50.0, granularity="year")
    assert summary.summary_sentence(base, "Peterborough") == (
        "In 2024/25, Peterborough\u2019s figure for \u201cThing\u201d was 50.0%; the trend cannot be tested "
        "from these figures."
    )
    count = replace(
        base,
        unit="WTE",
        value_type="count",
        value=192.2,
        england_value=1000.0,
        provisional=True,
        trend="no significant change",
        granularity="quarter",
    )
    assert summary.summary_sentence(count, "Cambridgeshire") == (
        "In 2024/25, Cambridgeshire\u2019s figure for \u201cThing\u201d was 192.2 WTE (provisional), "
        "which is a count and so not compared with England, and there has been no significant change "
        "over the latest five quarters."
    )
    untested = replace(base, england_value=48.0, benchmark="not compared", benchmark_source="")
    assert "against 48.0% for England (the difference could not be tested)" in summary.summary_sentence(
        untested, "X"
    )
    assert summary.summary_sentence(replace(base, value=None), "Fenland") == (
        "There is no figure for Fenland for \u201cThing\u201d."
    )


# --- Trend chart and its download ---------------------------------------------------------------------------


def test_the_csv_download_is_exactly_the_plotted_series(app, client):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND)
    figure = figure_of(layout, "graph-trend")
    area = trace_of(figure, "area")
    england = trace_of(figure, "benchmark-england")
    plotted = [y for y in area["y"] if y is not None]

    filename, rows = press_download(
        client, "trend", {"code": "smoking-at-delivery", "area": FENLAND, "view": "trend", "ci": "on"}
    )
    assert filename == "smoking-at-delivery-fenland-trend.csv"
    assert [r["Period"] for r in rows] == ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    assert [float(r["Fenland"]) for r in rows] == pytest.approx(plotted)
    assert [float(r["Fenland"]) for r in rows] == pytest.approx([14.0, 13.1, 12.2, 11.3, 10.4])
    assert [float(r["England"]) for r in rows] == pytest.approx([y for y in england["y"] if y is not None])
    band = trace_of(figure, "ci-band")
    assert band is not None and band["name"] == "95% confidence interval"
    uppers = [float(r["Upper 95% limit"]) for r in rows]
    assert band["y"][: len(rows)] == pytest.approx(uppers)  # the band's top edge, left to right
    assert [float(r["Target"]) for r in rows] == pytest.approx([6.0] * 5)
    # the same rows as the table view
    assert [row[0] for row in table_rows(layout, "table-trend")] == [r["Period"] for r in rows]


def test_hiding_the_confidence_interval_removes_the_band_from_the_chart_and_the_download(app, client):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND, ci="off")
    figure = figure_of(layout, "graph-trend")
    assert trace_of(figure, "ci-band") is None and trace_of(figure, "ci-whiskers") is None
    assert by_id(layout, "ci-toggle").children == "Show the 95% confidence interval"
    assert "ci=off" not in by_id(layout, "ci-toggle").href
    _, rows = press_download(
        client, "trend", {"code": "smoking-at-delivery", "area": FENLAND, "view": "trend", "ci": "off"}
    )
    assert "Lower 95% limit" not in rows[0] and len(rows) == 5


def test_the_target_is_a_step_where_it_changed(app):
    """New birth visits: 90% for every area from April 2021, Cambridgeshire's own 92% from April 2025."""
    layout = render_page(app, "hv-new-birth-visit-14d", area=CAMBRIDGESHIRE)
    rows = {row[0]: row for row in table_rows(layout, "table-trend")}
    header = [
        text_of(cell)
        for cell in find_all(
            by_id(layout, "table-trend"),
            lambda c: type(c).__name__ == "Th" and getattr(c, "scope", None) == "col",
        )
    ]
    target = header.index("Target")
    assert rows["2024/25 Q4"][target] == "90.0%" and rows["2025/26 Q1"][target] == "92.0%"
    step = trace_of(figure_of(layout, "graph-trend"), "target")
    assert sorted({y for y in step["y"] if y is not None}) == [90.0, 92.0]


def test_illustrative_figures_are_labelled_on_the_page_and_the_chart(app):
    layout = render_page(app, "hv-new-birth-visit-14d", area=CAMBRIDGESHIRE)
    assert "These are not real provider data." in text_of(by_id(layout, "indicator-illustrative-banner"))
    assert "Illustrative figures" in text_of(by_id(layout, "indicator-illustrative-banner"))
    assert "illustrative" in text_of(by_id(layout, "chart-trend-subtitle")).lower()
    assert (
        text_of(by_id(layout, "chart-trend-source"))
        == "Source: provider quarterly return (illustrative figures)."
    )
    _, rows = press_download(
        signed_in_client(app),
        "trend",
        {"code": "hv-new-birth-visit-14d", "area": CAMBRIDGESHIRE, "view": "trend", "ci": "on"},
    )
    assert {r["Note"] for r in rows} == {"Illustrative figures, not real provider data"}
    assert rows[-1]["Provisional"] == "Yes"


def test_fingertips_figures_name_the_indicator_in_the_source_line(app):
    layout = render_page(app, "self-harm-admissions-10-24", area=CAMBRIDGESHIRE)
    assert text_of(by_id(layout, "chart-trend-source")) == "Source: OHID Fingertips, indicator 90813."
    sentence = text_of(by_id(layout, "indicator-summary-sentence"))
    assert sentence.startswith(
        "In 2017/18, Cambridgeshire\u2019s figure for \u201cSelf-harm admissions (10-24)\u201d "
        "was 662.7 per 100,000, significantly worse than England (421.2 per 100,000)"
    )


# --- SPC ----------------------------------------------------------------------------------------------------


def test_the_spc_view_marks_a_known_special_cause_point(app, client):
    layout = render_page(app, "hv-new-birth-visit-14d", area=HUNTINGDONSHIRE, view="spc")
    figure = figure_of(layout, "graph-spc")
    improving = trace_of(figure, "special_cause_improvement")
    assert improving is not None and improving["name"] == "Special cause — improving"
    assert improving["y"] == [pytest.approx(99.0)]
    assert improving["marker"]["color"] == "#00b0f0"
    rows = {row[0]: row for row in table_rows(layout, "table-spc")}
    assert "Special cause — improving" in rows[SPECIAL_CAUSE_PERIOD]
    assert all("Common cause" in row for period, row in rows.items() if period != SPECIAL_CAUSE_PERIOD)
    assert not find_all(
        layout, lambda c: getattr(c, "id", None) == "spc-trial-limits"
    )  # 12 points: full limits
    _, csv_rows = press_download(
        client, "spc", {"code": "hv-new-birth-visit-14d", "area": HUNTINGDONSHIRE, "view": "spc", "ci": "on"}
    )
    assert [r["Point"] for r in csv_rows if r["Period"] == SPECIAL_CAUSE_PERIOD] == [
        "Special cause — improving"
    ]
    assert len(csv_rows) == 12


def test_a_short_series_says_its_limits_are_trial_limits(app):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND, view="spc")
    assert text_of(by_id(layout, "spc-trial-limits")).startswith("Trial limits (fewer than 12 points)")
    assert "Variation:" in text_of(by_id(layout, "spc-statuses"))


@pytest.mark.parametrize(
    ("code", "area"),
    [
        ("hv-new-birth-visit-14d", CAMBRIDGESHIRE),
        ("hv-new-birth-visit-14d", PETERBOROUGH),
        ("hv-12-month-review-15m", CAMBRIDGESHIRE),
        ("wf-vacancy-rate", PETERBOROUGH),
        ("smoking-at-delivery", FENLAND),
    ],
)
def test_the_spc_chart_agrees_with_the_scorecard(app, code, area):
    layout = render_page(app, code, area=area, view="spc")
    with app.server.test_request_context("/"):
        row = data_access.scorecard(area).set_index("indicator_code").loc[code]
    statuses = text_of(by_id(layout, "spc-statuses"))
    variation = status.variation(row["spc_variation"])
    assert f"Variation: {variation.icon} {variation.words}" in statuses
    assurance = row["spc_assurance"] if isinstance(row["spc_assurance"], str) else None
    assert status.assurance(assurance).words in statuses


# --- Compare areas and the map ------------------------------------------------------------------------------


def test_compare_areas_are_sorted_with_their_comparison_in_words(app, client):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND)
    rows = table_rows(layout, "table-compare")
    assert [(r[0], r[1]) for r in rows] == [
        ("Peterborough", "12.0%"),
        ("Fenland", "10.4%"),
        ("Huntingdonshire", "9.0%"),
        ("East Cambridgeshire", "8.5%"),
        ("South Cambridgeshire", "6.0%"),
        ("Cambridge", "5.0%"),
        ("England", "8.8%"),
    ]
    words = {r[0]: r[4] for r in rows}
    assert words == {
        "Peterborough": "Worse than England",
        "Fenland": "Worse than England",
        "Huntingdonshire": "Similar to England",
        "East Cambridgeshire": "Similar to England",
        "South Cambridgeshire": "Better than England",
        "Cambridge": "Better than England",
        "England": "Benchmark",
    }
    figure = figure_of(layout, "graph-compare")
    ours = trace_of(figure, "our-area")
    assert ours["marker"]["color"] == "#12436D" and ours["y"] == ["Fenland  10.4%"]
    assert trace_of(figure, "other-areas")["marker"]["color"] == "#BFBFBF"
    assert figure["layout"]["yaxis"]["categoryarray"][-1] == "Peterborough  12.0%"  # highest at the top
    assert any(shape["x0"] == pytest.approx(8.8) for shape in figure["layout"]["shapes"])  # England's line
    headline = text_of(by_id(layout, "chart-compare-headline"))
    assert headline == (
        "Fenland is worse than England for smoking at delivery in 2023/24; of 6 areas, 2 are better "
        "than England, 2 similar to England and 2 worse than England"
    )
    _, csv_rows = press_download(
        client, "compare", {"code": "smoking-at-delivery", "area": FENLAND, "view": "trend", "ci": "on"}
    )
    assert [r["Area"] for r in csv_rows] == [r[0] for r in rows]
    plotted = sorted(ours["x"] + trace_of(figure, "other-areas")["x"], reverse=True)
    assert [float(r["Value"]) for r in csv_rows[:-1]] == pytest.approx(plotted)
    assert float(csv_rows[-1]["Value"]) == pytest.approx(8.8)


def test_the_map_colours_the_same_areas_by_comparison_with_words_in_the_legend(app):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND)
    figure = figure_of(layout, "graph-map")
    assert figure["data"][0]["type"] == "scattergeo"  # first, so plotly.js fetches no world map
    areas = trace_of(figure, "map-areas")
    assert [f["id"] for f in areas["geojson"]["features"]] == areas["locations"]
    scale = areas["colorscale"]
    colour_of = {
        code: next(c for stop, c in scale if stop >= z / areas["zmax"])
        for code, z in zip(areas["locations"], areas["z"], strict=True)
    }
    assert colour_of == {
        "E06000031": "#c00000",
        "E07000010": "#c00000",
        "E07000011": "#ffc000",
        "E07000009": "#ffc000",
        "E07000012": "#92d050",
        "E07000008": "#92d050",
    }
    hover = dict(zip(areas["locations"], areas["hovertext"], strict=True))
    assert hover["E07000010"] == "<b>Fenland</b><br>10.4%<br>Worse than England"
    legend = {
        t["name"]: t["marker"]["color"] for t in figure["data"] if t.get("meta", "").startswith("map-key-")
    }
    assert legend == {
        "Better than England": "#92d050",
        "Similar to England": "#ffc000",
        "Worse than England": "#c00000",
        "Fenland (outlined)": "#0b0c0c",
    }
    geo = figure["layout"]["geo"]
    assert geo["fitbounds"] == "locations" and geo["visible"] is False
    assert (
        "Fenland worse than england"
        in by_id(layout, "chart-map-figure").to_plotly_json()["props"]["aria-label"]
    )


def test_the_county_view_compares_it_beside_its_districts(app):
    layout = render_page(app, "smoking-at-delivery", area=CAMBRIDGESHIRE)
    rows = table_rows(layout, "table-compare")
    assert ("Cambridgeshire", "8.0%") in [(r[0], r[1]) for r in rows]
    on_map = {r[0]: r[-1] for r in rows}
    assert on_map["Cambridgeshire"] == "No" and on_map["Fenland"] == "Yes"


# --- Inequalities -------------------------------------------------------------------------------------------


def test_inequalities_by_deprivation_are_shown_in_order_and_their_absence_is_said_plainly(app):
    layout = render_page(app, "obesity-reception", area=CAMBRIDGESHIRE)
    rows = table_rows(layout, "table-inequalities-deprivation-quintile")
    assert rows == [
        ["Most deprived quintile", "10.2%", "12.8%"],
        ["Average deprived quintile", "7.8%", "9.3%"],
        ["Least deprived quintile", "5.8%", "6.7%"],
    ]
    assert text_of(by_id(layout, "chart-inequalities-deprivation-quintile-headline")) == (
        "In Cambridgeshire, obesity (Reception) was highest in the most deprived quintile (10.2%) and lowest "
        "in the least deprived quintile (5.8%) in 2023/24"
    )
    none = text_of(by_id(render_page(app, "smoking-at-delivery", area=FENLAND), "inequalities-none"))
    assert none == (
        "There are no figures by deprivation, sex or age for \u201cSmoking at delivery\u201d in Fenland in "
        "the data held."
    )


# --- Empty states and not found -----------------------------------------------------------------------------


def test_an_area_without_figures_names_the_nearest_area_and_links_to_it(app):
    layout = render_page(app, "hv-new-birth-visit-14d", area=FENLAND)
    assert text_of(by_id(layout, "indicator-empty")) == (
        "No data for Fenland for this indicator; nearest is Cambridgeshire."
    )
    link = by_id(layout, "indicator-nearest-link")
    assert link.href == "/indicator/hv-new-birth-visit-14d?area=E10000003"
    assert "There is no chart because there are no figures for Fenland." in text_of(
        by_id(layout, "over-time")
    )
    assert not find_all(layout, lambda c: getattr(c, "id", None) == "graph-trend")  # never a blank chart


def test_an_indicator_with_no_figures_anywhere_says_so(app):
    layout = render_page(app, "under-18-conceptions")
    assert "There are no figures for \u201cUnder-18 conceptions\u201d for any area" in text_of(
        by_id(layout, "indicator-empty")
    )
    assert "There are no figures for any area in Cambridgeshire and Peterborough to compare." in text_of(
        layout
    )


def test_an_unknown_indicator_code_is_a_not_found_page(app, client):
    layout = render_page(app, "no-such-indicator")
    assert text_of(find_all(layout, lambda c: type(c).__name__ == "H1")[0]) == "Indicator not found"
    assert "There is no indicator with the code \u201cno-such-indicator\u201d." in text_of(layout)
    html = client.get("/indicator/no-such-indicator").get_data(as_text=True)
    assert "<title>Indicator not found – Healthy Child Programme outcomes</title>" in html


def test_an_indicator_address_is_a_page_with_its_own_title(client):
    response = client.get("/indicator/smoking-at-delivery?area=E07000010")
    assert response.status_code == 200
    assert "<title>Smoking at delivery – Healthy Child Programme outcomes</title>" in response.get_data(
        as_text=True
    )


def test_unknown_settings_in_the_link_are_ignored_and_reported(app):
    layout = render_page(app, "smoking-at-delivery", area="E99999999", view="pie", ci="maybe")
    note = text_of(by_id(layout, "indicator-ignored"))
    assert (
        "area \u201cE99999999\u201d" in note
        and "view \u201cpie\u201d" in note
        and "ci \u201cmaybe\u201d" in note
    )
    assert by_id(layout, "indicator-view").data == {
        "code": "smoking-at-delivery",
        "area": CAMBRIDGESHIRE,
        "view": "trend",
        "ci": "on",
    }


def test_links_reproduce_the_view(app):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND, view="spc", ci="off")
    assert by_id(layout, "view-trend").href == "/indicator/smoking-at-delivery?area=E07000010&ci=off"
    assert by_id(layout, f"area-{CAMBRIDGESHIRE}").href == (
        "/indicator/smoking-at-delivery?area=E10000003&ci=off&view=spc"
    )
    assert text_of(by_id(layout, f"area-{FENLAND}")) == "Fenland (shown)"


def test_the_definition_names_the_outcomes_it_serves_and_links_the_methods(app):
    layout = render_page(app, "smoking-at-delivery", area=FENLAND)
    definition = text_of(by_id(layout, "indicator-definition"))
    assert "1.2 Reduce Smoking in pregnancy" in definition
    assert "A lower figure is better." in definition
    assert "Wilson score" in definition and "Byar\u2019s" in definition and "Making Data Count" in definition
    link = by_id(layout, "framework-link-cyp-outcomes")
    assert link.children == "Cambridgeshire and Peterborough CYP Outcomes Framework with Key Domains"
    assert "framework=cyp-outcomes" in link.href and "area=E07000010" in link.href
    statuses = find_all(layout, lambda c: getattr(c, "children", None) == "how to read statuses")
    assert statuses[0].href == "/about#statuses"  # where the page that explains them is


# --- Boundaries ---------------------------------------------------------------------------------------------


def test_boundaries_for_a_set_of_areas_in_each_tier():
    lower = boundaries.boundaries(["E07000010", "E06000031", "E10000003"], "lower")
    assert [f["id"] for f in lower["features"]] == ["E07000010", "E06000031"]
    assert lower["features"][0]["properties"]["name"] == "Fenland"
    assert boundaries.missing(["E07000010", "E10000003"], "lower") == ["E10000003"]
    upper = boundaries.boundaries(["E10000003", "E06000031"], "upper")
    assert [f["properties"]["name"] for f in upper["features"]] == ["Cambridgeshire", "Peterborough"]
    assert (
        boundaries.boundaries(["E07000223"], "lower")["features"][0]["properties"]["name"] == "Adur"
    )  # UK-wide file
    assert boundaries.tier_for(["E07000010", "E06000031"]) == "lower"
    assert boundaries.tier_for(["E10000003", "E06000031"]) == "upper"
    assert boundaries.tier_for(["E10000003", "E07000010"]) is None
    with pytest.raises(ValueError, match="tier must be one of"):
        boundaries.boundaries(["E07000010"], "middle")


def test_charts_use_words_not_only_colour():
    assert set(spc.SPC_POINT_WORDS.values()) >= {"Special cause — improving", "Special cause — concern"}
    assert words.in_sentence("Self-harm admissions (10-24)") == "self-harm admissions (10-24)"
    assert words.in_sentence("MMR first dose by age 2") == "MMR first dose by age 2"
    assert words.in_sentence("Getting Ready for Change completed") == "Getting Ready for Change completed"
    assert words.in_sentence("Obesity: Reception") == "obesity (Reception)"
    assert formatting.number(float("nan")) is None and formatting.number(pd.NA) is None
