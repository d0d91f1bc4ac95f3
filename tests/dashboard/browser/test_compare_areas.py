"""An officer asks "is breastfeeding improving in Fenland against Cambridgeshire and England?": in headless
Chromium, open breastfeeding for Fenland, add Cambridgeshire beside the region and England, see four labelled
lines, then read the funnel plot's list of areas outside its limits; add the areas of a saved set to the
chart; axe-core and screenshots.

The bundled data hold no district figures for breastfeeding, so this journey runs on a store of its own: the
reference data and the known figures of the indicator page tests (:mod:`tests.dashboard.indicator.support`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.dashboard.browser.conftest import _serving, _tab, signed_in
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

FENLAND_BREASTFEEDING = "/indicator/breastfeeding-6-8-weeks?area=E07000010"
LINE_NAMES = (
    "() => [...document.querySelector('#graph-trend .js-plotly-plot').data]"
    ".filter(t => String(t.meta).startsWith('line-')).map(t => t.name)"
)
END_LABELS = "() => [...document.querySelectorAll('#graph-trend .annotation-text')].map(a => a.textContent)"


@pytest.fixture(scope="module")
def breastfeeding_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard (sign-in required) on a store of the reference data and the known breastfeeding
    figures."""
    from data import area_sets
    from data.db import make_engine
    from data.importers.pipeline import import_file
    from data.seed import seed_reference
    from tests.dashboard.indicator.support import BREASTFEEDING
    from tests.dashboard.signing_in import SETTER_UP, add_users

    folder = tmp_path_factory.mktemp("breastfeeding")
    engine: sa.Engine = make_engine(f"duckdb:///{folder / 'store.duckdb'}")
    seed_reference(engine)
    source = folder / "breastfeeding.csv"
    source.write_text(BREASTFEEDING, encoding="utf-8")
    assert import_file(engine, source, imported_by="test").rows_rejected == 0
    add_users(engine)
    area_sets.save(engine, SETTER_UP, "Fen neighbours", ["E07000010", "E07000008", "E06000031"])
    try:
        with _serving(engine, public=False) as url:
            yield url
    finally:
        engine.dispose()


@pytest.fixture
def officer_page(browser, breastfeeding_url: str):
    yield from _tab(browser, breastfeeding_url)


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path("/tmp/compare-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _wait_for_trend(page) -> None:
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_selector("#graph-trend .js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")


def test_fenland_against_its_county_the_region_and_england_then_the_funnel(
    officer_page, breastfeeding_url, shots
):
    page = officer_page
    signed_in(page, "viewer")
    page.goto(FENLAND_BREASTFEEDING)
    _wait_for_trend(page)
    assert sorted(page.evaluate(LINE_NAMES) or []) == []  # the chart as before: no area lines of its own

    page.locator("#trend-areas-details > summary").click()
    county = page.get_by_label("Cambridgeshire", exact=True)
    region = page.get_by_label("East of England", exact=True)
    england = page.get_by_label("England", exact=True)
    assert region.is_checked() and england.is_checked()  # shown by default, so already ticked
    county.check()
    page.get_by_role("button", name="Update the chart").click()
    page.wait_for_url(
        breastfeeding_url + FENLAND_BREASTFEEDING + "&with=E10000003,E12000006,E92000001", timeout=15000
    )
    _wait_for_trend(page)

    assert sorted(page.evaluate(LINE_NAMES)) == ["Cambridgeshire", "East of England", "England", "Fenland"]
    assert {"Fenland", "Cambridgeshire", "East of England", "England"} <= set(page.evaluate(END_LABELS))
    assert page.get_by_label("Cambridgeshire", exact=True).is_checked()
    headline = page.locator("#chart-trend-headline").inner_text()
    assert headline.endswith(
        "43.0% in 2023/24, against Cambridgeshire 59.0%, the East of England 52.0% and England 51.0%"
    )
    page.locator("#chart-trend").screenshot(path=str(shots / "trend-four-areas.png"))
    page.locator("#trend-areas-form").screenshot(path=str(shots / "choice-of-areas.png"))

    funnel = page.locator("#chart-funnel")
    funnel.scroll_into_view_if_needed()
    page.wait_for_selector("#graph-funnel .js-plotly-plot .main-svg")
    assert page.locator("#funnel-outside").inner_text() == (
        "Outside the 99.8% limits: Cambridge (above), East Cambridgeshire (above), Fenland (below)"
    )
    assert page.locator("#funnel-between").inner_text() == (
        "Between the 95% and 99.8% limits: Peterborough (above)"
    )
    funnel.screenshot(path=str(shots / "funnel.png"))
    screenshot_fits(page, shots, "fenland-breastfeeding-desktop.png")
    assert_accessible(page, "several areas on the trend chart and the funnel plot")


def test_ticking_a_saved_set_draws_its_areas(officer_page, breastfeeding_url, shots):
    page = officer_page
    signed_in(page, "viewer")
    page.goto(FENLAND_BREASTFEEDING)
    _wait_for_trend(page)
    page.locator("#trend-areas-details > summary").click()
    page.get_by_label("\u201cFen neighbours\u201d (3 areas)").check()
    page.locator("#trend-areas-form").screenshot(path=str(shots / "choice-with-saved-set.png"))
    page.get_by_role("button", name="Update the chart").click()
    # The region and England, ticked by default, then the set's areas other than Fenland itself.
    page.wait_for_url(
        breastfeeding_url + FENLAND_BREASTFEEDING + "&with=E12000006,E92000001,E07000008,E06000031",
        timeout=15000,
    )
    _wait_for_trend(page)
    assert sorted(page.evaluate(LINE_NAMES)) == [
        "Cambridge",
        "East of England",
        "England",
        "Fenland",
        "Peterborough",
    ]
    page.locator("#chart-trend").screenshot(path=str(shots / "trend-with-saved-set.png"))
    assert_accessible(page, "a saved set's areas on the trend chart")
