"""What the scorecard page reads: the same choices, series, nearest figures and scorecards as when it read
every local area's figures.

The page reads the figures of the area it shows (with England, its region and the areas above it) and the
period ends of the home areas' series, not every local area's figures. Each answer is compared here with the
one the earlier reads gave (written out below as they were), on the bundled data plus figures for areas
outside the home set, for every home area, England, the region and areas elsewhere, latest and as at
earlier dates.
"""

from __future__ import annotations

import datetime as dt

import dash
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import create_app, data_access, formatting
from dashboard.components import scorecard_filters
from dashboard.components.scorecard_table import Nearest
from data import series_summary
from data.areas import ENGLAND, home
from data.db import make_engine
from data.scorecard import scorecard
from data.seed import seed
from tests.data.upload_helpers import load_return

MANCHESTER, BOLTON, PENDLE = "E08000003", "E08000001", "E07000122"
NEW_BIRTH, REVIEW_6_8 = "hv-new-birth-visit-14d", "hv-6-8-week-review"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> sa.Engine:
    """The bundled data, plus new birth visits for Manchester and Lancashire's Pendle (areas outside the
    home set) and six to eight week reviews for Pendle alone."""
    engine = make_engine(f"duckdb:///{tmp_path_factory.mktemp('reads') / 'store.duckdb'}")
    seed(engine)
    rows = [
        [NEW_BIRTH, area, quarter, numerator, 1000, "", "no", ""]
        for area, quarter, numerator in (
            (MANCHESTER, "2024/25 Q4", 790),
            (MANCHESTER, "2025/26 Q1", 812),
            (PENDLE, "2025/26 Q1", 700),
        )
    ]
    load_return(engine, [*rows, [REVIEW_6_8, PENDLE, "2025/26 Q1", 650, 1000, "", "no", ""]])
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine: sa.Engine) -> dash.Dash:
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def _nearest_finder(*arguments):
    """The page's own finder (imported once the app has registered its pages)."""
    from dashboard.pages.scorecard import _nearest_finder as finder

    return finder(*arguments)


AREAS = (*home().areas, home().region, ENGLAND, MANCHESTER, BOLTON, PENDLE)


# --- The earlier reads, as they were ------------------------------------------------------------------------


def earlier_choice_dates(series: pd.DataFrame) -> tuple[list[str], set[dt.date], set[str]]:
    """(the dates offered as ISO dates, newest first; the quarter ends; the home areas with a figure) from
    every local area's figures."""
    local = series[series["area_code"].isin(home().areas) & series["value"].notna()]
    ends = pd.to_datetime(local["period_end"]).dt.date
    quarter_ends = set(ends[local["granularity"] == "quarter"])
    return [day.isoformat() for day in sorted(set(ends), reverse=True)], quarter_ends, set(local["area_code"])


def earlier_series_for(engine: sa.Engine, area: str, parents: dict[str, str]) -> pd.DataFrame:
    """Every local area's figures, plus for an area outside the home set its own and those of the areas
    above it up to the first local one."""
    settings = home()
    codes = [*settings.areas, ENGLAND, settings.region]
    series = series_summary.headline_series(engine, area_codes=codes)
    chain: list[str] = []
    code: str | None = area
    while code and code not in set(codes) and code not in chain:
        chain.append(code)
        code = parents.get(code)
    if not chain:
        return series
    return pd.concat([series, series_summary.headline_series(engine, area_codes=chain)], ignore_index=True)


def earlier_nearest(series: pd.DataFrame, options, as_at: dt.date | None, units: dict):
    """The nearest area above with a figure, and the indicators any area has a figure for."""
    rows = series[series["value"].notna()]
    if as_at is not None:
        rows = rows[pd.to_datetime(rows["period_end"]).dt.date <= as_at]
    latest = rows.sort_values(["period_end", "period_start"]).groupby(["indicator_code", "area_code"]).tail(1)
    figures = {
        (r.indicator_code, r.area_code): (r.value, r.period_label) for r in latest.itertuples(index=False)
    }

    def nearest(indicator: str, area: str) -> Nearest | None:
        seen = {area}
        parent = options.parents.get(area)
        while parent and parent not in seen:
            seen.add(parent)
            if (indicator, parent) in figures:
                value, period = figures[(indicator, parent)]
                unit, value_type = units.get(indicator, ("", ""))
                return Nearest(
                    options.names.get(parent, parent),
                    f"{formatting.format_value(value, unit, value_type)} in {period}",
                )
            parent = options.parents.get(parent)
        return None

    return nearest, set(rows["indicator_code"])


# --- The same answers ---------------------------------------------------------------------------------------


def test_the_choices_are_those_every_local_figure_gave(app, engine):
    with app.server.test_request_context("/"):
        options = scorecard_filters.choices()
    dates, quarter_ends, with_data = earlier_choice_dates(
        series_summary.headline_series(engine, area_codes=[*home().areas, ENGLAND, home().region])
    )
    assert [iso for iso, _ in options.dates] == dates
    assert len(dates) > 10 and quarter_ends  # the bundled data has yearly and quarterly figures
    assert options.quarter_ends == quarter_ends
    assert [code for code, _ in options.areas] == [
        code for code in home().areas if code != home().together or code in with_data
    ]


def test_the_home_areas_together_are_offered_only_with_figures_for_them(app):
    together = home().together
    with app.server.test_request_context("/"):
        held = data_access.held_periods((together,))
        offered = [code for code, _ in scorecard_filters.choices().areas]
    assert (together in offered) == (together in held.areas)


@pytest.mark.parametrize("area", AREAS)
def test_each_area_shows_the_same_figures_nearest_figures_and_scorecard(app, engine, area):
    with app.server.test_request_context("/"):
        options = scorecard_filters.choices()
        series = scorecard_filters.series_for(area)
        earlier = earlier_series_for(engine, area, options.parents)
        catalogue = data_access.catalogue()
        units = dict(
            zip(catalogue["code"], zip(catalogue["unit"], catalogue["value_type"], strict=True), strict=True)
        )
        assert scorecard_filters.latest_date(series, area) == scorecard_filters.latest_date(earlier, area)
        for as_at in (None, *(dt.date.fromisoformat(iso) for iso, _ in options.dates[::4])):
            nearest, is_held = _nearest_finder(series, options, area, as_at, units)
            earlier_nearest_of, earlier_held = earlier_nearest(earlier, options, as_at, units)
            for code in catalogue["code"]:
                assert nearest(code) == earlier_nearest_of(code, area), (code, as_at)
                assert is_held(code) == (code in earlier_held), (code, as_at)
        mine = series[series["area_code"] == area].reset_index(drop=True)
        before = earlier[earlier["area_code"] == area].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, before, check_exact=True)
        pd.testing.assert_frame_equal(data_access.scorecard(area), scorecard(engine, area), check_exact=True)


def test_an_indicator_with_no_figure_anywhere_says_so_and_one_held_elsewhere_names_the_nearest(app):
    """Pendle's six to eight week reviews are the only ones loaded for an area outside the home set: for
    Bolton no area above it has one, yet some area does (so the page does not say none is loaded)."""
    with app.server.test_request_context("/"):
        options = scorecard_filters.choices()
        _, is_held = _nearest_finder(scorecard_filters.series_for(BOLTON), options, BOLTON, None, {})
        assert is_held(REVIEW_6_8) is True
        assert not is_held("no-such-indicator")
        lancashire = options.parents[PENDLE]
        pendle_nearest, _ = _nearest_finder(
            scorecard_filters.series_for(lancashire), options, lancashire, None, {}
        )
        assert pendle_nearest(REVIEW_6_8) is None  # Pendle is below Lancashire, not above it


def test_the_comparisons_above_meet_nearest_figures_and_indicators_with_none_loaded(app):
    """The bundled data gives a district nearest figures (its county's) and leaves some indicators with no
    figures anywhere, so the comparisons above cover both."""
    fenland = "E07000010"
    with app.server.test_request_context("/"):
        options = scorecard_filters.choices()
        codes = list(data_access.catalogue()["code"])
        nearest, is_held = _nearest_finder(scorecard_filters.series_for(fenland), options, fenland, None, {})
        assert any(nearest(code) is not None for code in codes)
        assert not all(is_held(code) for code in codes)
