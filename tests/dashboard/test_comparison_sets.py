"""The compare view and funnel plot compare an area with a set the link chooses (``compare``): the home areas
(the default), every authority of its tier in its own region, or every one of its tier in England."""

from __future__ import annotations

import dash
import pytest
import sqlalchemy as sa

from dashboard import create_app
from dashboard.indicator import area_set_callbacks, over_time
from dashboard.indicator.view import read_view
from data.db import make_engine
from data.importers.pipeline import import_file
from data.seed import seed_reference
from tests.dashboard import pages
from tests.dashboard.indicator.support import figure_of
from tests.dashboard.pages import by_id, text
from tests.dashboard.signing_in import signed_in_as
from tests.data.helpers import write_csv

CAMBS, PBORO, NORFOLK, SUFFOLK, MANCHESTER = "E10000003", "E06000031", "E10000020", "E10000029", "E08000003"
ENGLAND = "E92000001"
NEW_BIRTH = "hv-new-birth-visit-14d"
HEADER = ["indicator_code", "area_code", "period", "numerator", "denominator", "value", "provisional"]
FIGURES = {CAMBS: 935, PBORO: 905, NORFOLK: 870, SUFFOLK: 860, MANCHESTER: 812, ENGLAND: 880}


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> dash.Dash:
    engine: sa.Engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    rows = [[NEW_BIRTH, code, "2025/26 Q1", n, 1000, "", "no"] for code, n in FIGURES.items()]
    import_file(engine, write_csv(tmp_path_factory.mktemp("r") / "r.csv", HEADER, rows))
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def _compare(app, **query) -> str:
    page = pages.render(app, f"/indicator/{NEW_BIRTH}", area=CAMBS, **query)
    return text(by_id(page, "compare-areas"))


def test_the_region_set_holds_the_upper_tier_of_the_east_of_england(app):
    shown = _compare(app, compare="region")
    assert "Counties and unitary authorities in East of England" in shown
    for name in ("Cambridgeshire", "Peterborough", "Norfolk", "Suffolk"):
        assert name in shown
    assert "Manchester" not in shown
    assert "No figure for 2025/26 Q1 for" in shown and "Essex" in shown  # in the region, no figure


def test_the_type_set_holds_every_upper_tier_authority_in_england(app):
    shown = _compare(app, compare="type")
    assert "All counties and unitary authorities in England" in shown
    assert "Manchester" in shown
    assert "No figure for 2025/26 Q1 for 148 of the 153 areas." in shown


def test_the_default_is_the_home_areas_and_each_set_is_a_link(app):
    page = pages.render(app, f"/indicator/{NEW_BIRTH}", area=CAMBS)
    assert "Manchester" not in text(by_id(page, "compare-areas"))
    link = by_id(page, "compare-set-region")
    assert link.href == f"/indicator/{NEW_BIRTH}?area={CAMBS}&compare=region#compare-areas"
    view = read_view(NEW_BIRTH, {"area": CAMBS, "compare": "nearby"}, [CAMBS], {CAMBS})
    assert view.compare == "local" and ("compare", "nearby") in view.ignored


def test_a_signed_in_reader_saves_a_set_and_compares_with_it(app, monkeypatch):
    signed_in_as(monkeypatch, "Kim Lee", "viewer")
    page = pages.render(app, f"/indicator/{NEW_BIRTH}", area=CAMBS, **{"with": f"{NORFOLK},{MANCHESTER}"})
    assert "Areas: Cambridgeshire, Norfolk, Manchester." in text(by_id(page, "area-set-form"))
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        saved = area_set_callbacks.save_set("Neighbours", [CAMBS, NORFOLK, MANCHESTER])
        refused = area_set_callbacks.save_set(" ", [CAMBS, NORFOLK])
    assert text(saved).startswith("Saved “Neighbours” (3 areas).")
    assert "Enter a name for the set" in text(refused)
    shown = _compare(app, compare="set:Neighbours")
    assert "Manchester" in shown and "Norfolk" in shown and "Suffolk" not in shown
    signed_in_as(monkeypatch, "Sam Other", "admin")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        taken = area_set_callbacks.save_set("Neighbours", [CAMBS, SUFFOLK])
    assert "Kim Lee has already saved a set named 'Neighbours'" in text(taken)


def test_ticking_a_saved_set_adds_its_areas_to_the_trend_chart(app, monkeypatch):
    signed_in_as(monkeypatch, "Kim Lee", "viewer")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        area_set_callbacks.save_set("Trend neighbours", [CAMBS, SUFFOLK, MANCHESTER])
    page = pages.render(app, f"/indicator/{NEW_BIRTH}", area=PBORO)
    sets = by_id(page, over_time.SETS_ID)
    assert {"label": "\u201cTrend neighbours\u201d (3 areas)", "value": "Trend neighbours"} in sets.options
    assert text(by_id(page, "trend-sets-heading")) == "Add the areas of a saved set"
    view = {"code": NEW_BIRTH, "area": PBORO, "view": "trend", "ci": "on"}
    near = [{"label": "England", "value": ENGLAND}, {"label": "Cambridgeshire", "value": CAMBS}]
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        href = over_time.apply_area_choice(1, [CAMBS], [], ["on"], near, [], view, ["Trend neighbours"])
        unknown = over_time.apply_area_choice(1, [ENGLAND], [], ["on"], near, [], view, ["No such set", 7])
    # Cambridgeshire, ticked and in the set, is drawn once; the set's other areas follow in its order.
    assert href == f"/indicator/{NEW_BIRTH}?area={PBORO}&with={CAMBS},{SUFFOLK},{MANCHESTER}"
    assert unknown == f"/indicator/{NEW_BIRTH}?area={PBORO}&with={ENGLAND}"
    drawn = pages.render(
        app, f"/indicator/{NEW_BIRTH}", area=PBORO, **{"with": f"{CAMBS},{SUFFOLK},{MANCHESTER}"}
    )
    lines = [
        t["name"]
        for t in figure_of(drawn, "graph-trend")["data"]
        if str(t.get("meta", "")).startswith("line-")
    ]
    assert sorted(lines) == ["Cambridgeshire", "Manchester", "Peterborough", "Suffolk"]
