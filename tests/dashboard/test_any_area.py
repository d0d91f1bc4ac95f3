"""Any English area on every page, and the home areas as a setting: a link naming an authority outside
Cambridgeshire and Peterborough shows its figures on the scorecard and the indicator page, the area choice
offers every area in the store grouped by type, and another council's home areas come from one file."""

from __future__ import annotations

import dash
import pytest
import sqlalchemy as sa

from dashboard import create_app
from data import areas
from data.db import make_engine
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.seed import seed_reference
from tests.dashboard import pages
from tests.dashboard.pages import by_id, find, props, text
from tests.data.upload_helpers import load_return

CAMBS, MANCHESTER, BOLTON, NORTH_WEST = "E10000003", "E08000003", "E08000001", "E12000002"
NEW_BIRTH = "hv-new-birth-visit-14d"
HEADER = list(PROVIDER_RETURN_HEADER)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> sa.Engine:
    """The reference store plus new birth visits for Cambridgeshire (93.5%) and Manchester (81.2%)."""
    engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    load_return(
        engine,
        [
            [NEW_BIRTH, CAMBS, "2025/26 Q1", 935, 1000, "", "no", ""],
            [NEW_BIRTH, MANCHESTER, "2024/25 Q4", 790, 1000, "", "no", ""],
            [NEW_BIRTH, MANCHESTER, "2025/26 Q1", 812, 1000, "", "no", ""],
        ],
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine: sa.Engine) -> dash.Dash:
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def groups(page) -> list[tuple[str, list[tuple[str, str]]]]:
    """The area choice's groups as (label, [(code, text)]), in order."""
    select = by_id(page, "scorecard-area")
    return [
        (group.label, [(option.value, text(option)) for option in group.children])
        for group in find(select, lambda c: type(c).__name__ == "Optgroup")
    ]


def selected_area(page) -> str:
    chosen = find(by_id(page, "scorecard-area"), lambda c: type(c).__name__ == "Option" and c.selected)
    return chosen[0].value


# --- The scorecard ------------------------------------------------------------------------------------------


def test_a_link_to_an_authority_outside_the_home_areas_shows_its_scorecard(app):
    page = pages.render(app, "/", area=MANCHESTER)
    assert text(by_id(page, "scorecard-heading")) == "Scorecard for Manchester"
    assert selected_area(page) == MANCHESTER
    assert not find(page, lambda c: getattr(c, "id", None) == "scorecard-ignored")
    [row] = find(page, lambda c: type(c).__name__ == "Tr" and props(c).get("data-indicator") == NEW_BIRTH)
    assert "81.2%" in text(row)
    assert "provider returns to 30 June 2025" in text(by_id(page, "scorecard-lead"))


def test_an_unknown_area_code_is_still_reported_as_ignored(app):
    page = pages.render(app, "/", area="E99999999")
    assert "area \u201cE99999999\u201d" in text(by_id(page, "scorecard-ignored"))
    assert text(by_id(page, "scorecard-heading")) == "Scorecard for Cambridgeshire"


def test_the_area_choice_lists_the_home_areas_first_then_every_other_area_by_type(app):
    chosen = groups(pages.render(app, "/"))
    assert [label for label, _ in chosen] == [
        "Councils",
        "Cambridgeshire districts",
        "England",
        "Regions",
        "Counties and unitary authorities",
        "Districts",
        "Combined authorities",
    ]
    by_label = dict(chosen)
    # No figures for the two councils together in this store, so they are not offered together.
    assert by_label["Councils"] == [(CAMBS, "Cambridgeshire"), ("E06000031", "Peterborough")]
    assert by_label["England"] == [("E92000001", "England")]
    assert len(by_label["Regions"]) == 9 and (NORTH_WEST, "North West") in by_label["Regions"]
    counties = dict(by_label["Counties and unitary authorities"])
    assert counties[MANCHESTER] == "Manchester" and counties["E09000033"] == "Westminster"
    assert "E06000031" not in counties  # a home area is offered once, among the home areas
    names = [name for _, name in by_label["Districts"]]
    assert names == sorted(names) and "Fenland" not in names
    offered = [code for _, options in chosen for code, _ in options]
    assert len(offered) == len(set(offered)) == 337 - 1  # every area but the councils together


# --- The indicator page -------------------------------------------------------------------------------------


def test_the_indicator_page_shows_an_authority_outside_the_home_areas(app):
    page = pages.render(app, f"/indicator/{NEW_BIRTH}", area=MANCHESTER)
    assert by_id(page, "indicator-view").data["area"] == MANCHESTER
    assert not find(page, lambda c: getattr(c, "id", None) == "indicator-ignored")
    words = text(page)
    assert (
        "In 2025/26 Q1, Manchester\u2019s figure for \u201cNew birth visit within 14 days\u201d was 81.2%"
        in words
    )
    assert "Manchester (shown)" in text(by_id(page, "area-choice"))


def test_the_indicator_page_still_reports_an_unknown_area(app):
    page = pages.render(app, f"/indicator/{NEW_BIRTH}", area="E99999999")
    assert "area \u201cE99999999\u201d" in text(by_id(page, "indicator-ignored"))
    assert by_id(page, "indicator-view").data["area"] == CAMBS


# --- The home areas are a setting ---------------------------------------------------------------------------

MANCHESTER_HOME = f"""
default_area: {MANCHESTER}
region: {NORTH_WEST}
areas: [{MANCHESTER}, {BOLTON}]
"""


@pytest.fixture
def home_setting(tmp_path, monkeypatch):
    """Point KPI_HOME_AREAS_FILE at a file written by the test; the shipped setting returns afterwards."""

    def use(content: str):
        path = tmp_path / "home_areas.yaml"
        path.write_text(content, encoding="utf-8")
        monkeypatch.setenv(areas.HOME_AREAS_VARIABLE, str(path))
        areas.home.cache_clear()
        return path

    yield use
    monkeypatch.delenv(areas.HOME_AREAS_VARIABLE)
    areas.home.cache_clear()


def test_changing_the_home_areas_file_makes_another_councils_areas_the_home_set(app, home_setting):
    home_setting(MANCHESTER_HOME)
    page = pages.render(app, "/")
    assert text(by_id(page, "scorecard-heading")) == "Scorecard for Manchester"
    chosen = groups(page)
    assert chosen[0] == ("Councils", [(MANCHESTER, "Manchester"), (BOLTON, "Bolton")])
    counties = dict(dict(chosen)["Counties and unitary authorities"])
    assert CAMBS in counties and MANCHESTER not in counties
    assert props(by_id(page, "scorecard-area"))["data-default"] == MANCHESTER


def test_the_shipped_setting_is_cambridgeshire_and_peterborough():
    home = areas.home()
    assert home.default_area == CAMBS and home.region == "E12000006"
    assert home.areas == (
        "E47000008",
        CAMBS,
        "E06000031",
        "E07000008",
        "E07000009",
        "E07000010",
        "E07000011",
        "E07000012",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "region: E12000002\nareas: [E08000003, X1]\n",
            "'X1' under 'areas' is not the code of an English area",
        ),
        (
            "region: E08000001\nareas: [E08000003]\n",
            "region 'E08000001' is not the code of an English region",
        ),
        ("region: E12000002\nareas: []\n", "'areas' must list at least one area code"),
        ("default_area: E10000003\nregion: E12000002\nareas: [E08000003]\n", "is not one of the listed"),
    ],
)
def test_a_wrong_home_areas_file_is_refused_naming_the_entry(home_setting, content, message):
    path = home_setting(content)
    with pytest.raises(ValueError, match=message) as failure:
        areas.home()
    assert str(path) in str(failure.value)


def test_the_indicator_page_offers_every_other_area_from_a_grouped_get_form(app):
    form = by_id(
        pages.render(app, f"/indicator/{NEW_BIRTH}", area=MANCHESTER, view="spc"), "indicator-other-area-form"
    )
    assert form.method == "get" and form.action == f"/indicator/{NEW_BIRTH}"
    select = by_id(form, "indicator-other-area")
    assert select.name == "area" and "Another area" in text(form)
    chosen = {
        group.label: [(o.value, text(o), o.selected) for o in group.children] for group in select.children
    }
    assert list(chosen) == [
        "England",
        "Regions",
        "Counties and unitary authorities",
        "Districts",
        "Combined authorities",
    ]
    assert (MANCHESTER, "Manchester", True) in chosen["Counties and unitary authorities"]
    offered = [code for options in chosen.values() for code, _, _ in options]
    assert len(offered) == 337 - 8 and CAMBS not in offered  # the home areas are the links above
    hidden = {c.name: c.value for c in find(form, lambda c: type(c).__name__ == "Input")}
    assert hidden == {"view": "spc", "ci": "on"}  # the same view for the area chosen
