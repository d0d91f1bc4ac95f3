"""The trend chart with several areas: Fenland's breastfeeding beside its county, the region and England, each
line told apart without colour, the choice kept in the link, and the table and CSV one row per area and
period. The figures are the known ones in :mod:`.support`."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.indicator import over_time
from dashboard.indicator.view import View, read_view
from tests.dashboard.indicator.support import (
    BREASTFEEDING_YEARS,
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

CODE = "breastfeeding-6-8-weeks"
REGION, ENGLAND = "E12000006", "E92000001"
FOUR = f"{CAMBRIDGESHIRE},{REGION},{ENGLAND}"


def _lines(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if str(t.get("meta", "")).startswith("line-")]


def test_four_areas_are_four_lines_each_with_its_own_dash_marker_and_end_label(app):
    layout = render_page(app, CODE, area=FENLAND, **{"with": FOUR})
    figure = figure_of(layout, "graph-trend")
    lines = _lines(figure)
    assert sorted(t["name"] for t in lines) == ["Cambridgeshire", "East of England", "England", "Fenland"]
    assert len({t["line"]["dash"] for t in lines}) == 4
    assert len({t["marker"]["symbol"] for t in lines}) == 4
    fenland = next(t for t in lines if t["name"] == "Fenland")
    assert fenland["line"]["dash"] == "solid"
    assert fenland["y"] == [38.0, 40.0, 41.0, 42.0, 43.0]
    labels = {a["text"] for a in figure["layout"]["annotations"]}
    assert {"Fenland", "Cambridgeshire", "East of England", "England"} <= labels
    headline = text_of(by_id(layout, "chart-trend-headline"))
    assert headline.startswith("Breastfeeding at 6-8 weeks in Fenland")
    assert headline.endswith(
        "43.0% in 2023/24, against Cambridgeshire 59.0%, the East of England 52.0% and England 51.0%"
    )
    summary = by_id(layout, "chart-trend-figure").to_plotly_json()["props"]["aria-label"]
    assert "Fenland (solid line, circles)" in summary and "England (dotted line, squares)" in summary


def test_each_area_has_its_interval_band_when_intervals_are_shown_and_none_when_not(app):
    shown = figure_of(render_page(app, CODE, area=FENLAND, **{"with": FOUR}), "graph-trend")
    bands = {t["meta"] for t in shown["data"] if str(t.get("meta", "")).startswith("band-")}
    assert bands == {f"band-{c}" for c in (FENLAND, CAMBRIDGESHIRE, REGION, ENGLAND)}
    hidden = render_page(app, CODE, area=FENLAND, ci="off", **{"with": FOUR})
    assert not [
        t for t in figure_of(hidden, "graph-trend")["data"] if str(t.get("meta", "")).startswith("band-")
    ]
    assert "Lower 95% limit" not in text_of(by_id(hidden, "table-trend"))


def test_the_table_has_one_row_per_area_and_period(app):
    layout = render_page(app, CODE, area=FENLAND, **{"with": FOUR})
    rows = table_rows(layout, "table-trend")
    assert len(rows) == 4 * len(BREASTFEEDING_YEARS)
    assert rows[0][:3] == ["Fenland", "2019/20", "38.0%"]
    assert rows[-1][:3] == ["England", "2023/24", "51.0%"]
    header = text_of(find_all(by_id(layout, "table-trend"), lambda c: type(c).__name__ == "Thead"))
    assert header.startswith("Area Period Value Lower 95% limit Upper 95% limit Count Denominator")


def test_the_csv_has_exactly_the_table(client):
    view = {"code": CODE, "area": FENLAND, "view": "trend", "ci": "on", "with": FOUR}
    filename, rows = press_download(client, "trend", view)
    assert filename == f"{CODE}-fenland-and-3-more-areas-trend.csv"
    assert len(rows) == 20
    cambridgeshire = rows[5]
    assert list(cambridgeshire) == [
        "Area",
        "Period",
        "Value",
        "Lower 95% limit",
        "Upper 95% limit",
        "Count",
        "Denominator",
        "Provisional",
        "Value note",
    ]
    assert (cambridgeshire["Area"], cambridgeshire["Period"]) == ("Cambridgeshire", "2019/20")
    assert (cambridgeshire["Count"], cambridgeshire["Denominator"]) == ("3300", "6000")
    assert float(cambridgeshire["Value"]) == pytest.approx(55.0)
    assert float(cambridgeshire["Lower 95% limit"]) == pytest.approx(53.74, abs=0.01)


def test_a_link_without_areas_shows_the_chart_as_before(app):
    """Existing links keep their chart: the area with England and the region, one row per period."""
    layout = render_page(app, CODE, area=FENLAND)
    figure = figure_of(layout, "graph-trend")
    assert [t.get("meta") for t in figure["data"] if t.get("meta") != "ci-band"] == [
        "benchmark-england",
        "benchmark-east-of-england",
        "area",
    ]
    assert table_rows(layout, "table-trend")[0][0] == "2019/20"
    assert by_id(layout, "ci-toggle")  # the link to hide the interval is still there
    assert by_id(layout, "trend-areas-details")  # the choice of areas, folded away


def test_the_choice_of_areas_lists_the_areas_above_first_then_the_other_local_areas(app):
    layout = render_page(app, CODE, area=FENLAND, **{"with": FOUR})
    near = by_id(layout, over_time.AREAS_ID)
    assert [o["value"] for o in near.options][:3] == [CAMBRIDGESHIRE, REGION, ENGLAND]
    assert {"E07000008", "E07000009", "E07000011", "E07000012", "E06000031"} <= {
        o["value"] for o in near.options
    }
    assert FENLAND not in {o["value"] for o in near.options}
    assert near.value == [CAMBRIDGESHIRE, REGION, ENGLAND]
    assert by_id(layout, over_time.INTERVALS_ID).value == ["on"]


def test_the_link_round_trips_the_areas_and_the_intervals(app):
    known = {FENLAND, CAMBRIDGESHIRE, REGION, ENGLAND}
    view = read_view(
        CODE, {"area": FENLAND, "with": f"{CAMBRIDGESHIRE},{REGION}", "ci": "off"}, [FENLAND], known
    )
    assert view.with_areas == (CAMBRIDGESHIRE, REGION)
    href = view.href()
    assert href == f"/indicator/{CODE}?area={FENLAND}&ci=off&with={CAMBRIDGESHIRE},{REGION}"
    query = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
    assert read_view(CODE, query, [FENLAND], known) == view
    assert View(code=CODE, area=FENLAND, view="trend", ci=True).href() == f"/indicator/{CODE}?area={FENLAND}"


def test_the_area_alone_and_repeated_settings_read_as_the_reader_meant(app):
    known = {FENLAND, CAMBRIDGESHIRE, REGION, ENGLAND}
    alone = read_view(CODE, {"area": FENLAND, "with": "none"}, [FENLAND], known)
    assert alone.with_areas == ()
    assert alone.href().endswith("with=none")
    repeated = read_view(
        CODE, {"area": FENLAND, "with": [CAMBRIDGESHIRE, ENGLAND, CAMBRIDGESHIRE, FENLAND]}, [], known
    )
    assert repeated.with_areas == (CAMBRIDGESHIRE, ENGLAND)
    assert repeated.ignored == ()


def test_unknown_codes_in_the_link_are_named_to_the_reader(app):
    layout = render_page(app, CODE, area=FENLAND, **{"with": f"{CAMBRIDGESHIRE},E99999999"})
    assert "with \u201cE99999999\u201d" in text_of(by_id(layout, "indicator-ignored"))
    assert sorted(t["name"] for t in _lines(figure_of(layout, "graph-trend"))) == [
        "Cambridgeshire",
        "Fenland",
    ]


def test_more_areas_than_a_chart_holds_are_named_as_not_shown(app):
    six = "E07000008,E07000009,E07000011,E07000012,E06000031,E10000003"
    layout = render_page(app, CODE, area=FENLAND, **{"with": six})
    assert len(_lines(figure_of(layout, "graph-trend"))) == 6
    assert text_of(by_id(layout, "trend-areas-beyond")) == (
        "A chart holds 6 areas at most, so Cambridgeshire is not shown."
    )


def test_pressing_update_makes_the_link_for_the_ticked_areas_in_the_order_listed(app):
    view = {"code": CODE, "area": FENLAND, "view": "trend", "ci": "on"}
    near = [
        {"label": name, "value": code}
        for code, name in (
            (CAMBRIDGESHIRE, "Cambridgeshire"),
            (REGION, "East of England"),
            (ENGLAND, "England"),
        )
    ]
    more = [[{"label": "Norfolk", "value": "E10000020"}], [{"label": "Kent", "value": "E10000016"}]]
    ticked = [ENGLAND, REGION, CAMBRIDGESHIRE]  # in the order they were ticked
    href = over_time.apply_area_choice(1, ticked, [["E10000020"], []], ["on"], near, more, view)
    assert href == f"/indicator/{CODE}?area={FENLAND}&with={CAMBRIDGESHIRE},{REGION},{ENGLAND},E10000020"
    nothing = over_time.apply_area_choice(1, [], [[], []], [], near, more, view)
    assert nothing == f"/indicator/{CODE}?area={FENLAND}&ci=off&with=none"
