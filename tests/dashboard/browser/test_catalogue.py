"""An administrator maps a new indicator in headless Chromium: a Fingertips export of asthma admissions (an
indicator the catalogue lacks) has loaded; the scorecard lists it under "Not in a framework" with a link to
the indicators page, where the administrator maps it to outcome 2.1 with a target, and the scorecard then
lists it under domain 2. axe-core finds no serious or critical WCAG 2.2 AA failure on the form.

The journey runs on a store of its own (the catalogue and this one file), so the shared browser store is
untouched for the other journeys.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from data.db import make_engine
from data.importers.pipeline import import_file
from data.seed import seed_reference
from tests.dashboard.browser.conftest import _serving, _tab, signed_in
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits
from tests.dashboard.signing_in import add_users
from tests.data.test_new_indicators import asthma_file

pytestmark = pytest.mark.browser

CAMBRIDGESHIRE = "E10000003"


@pytest.fixture(scope="module")
def own_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("catalogue")
    engine: sa.Engine = make_engine(f"duckdb:///{folder / 'store.duckdb'}")
    seed_reference(engine)
    add_users(engine)
    import_file(engine, asthma_file(folder))
    with _serving(engine, public=False) as url:
        yield url
    engine.dispose()


@pytest.fixture
def tab(browser, own_url: str):
    yield from _tab(browser, own_url)


def test_an_administrator_maps_a_new_indicator_into_an_outcome(tab, screenshot_dir):
    page = tab
    signed_in(page, "admin")  # Asha Patel
    page.goto(f"/?area={CAMBRIDGESHIRE}")
    section = page.locator("#scorecard-not-in-a-framework-table")
    section.wait_for()
    assert "Hospital admissions for asthma" in section.inner_text()
    page.locator("#scorecard-not-in-a-framework").scroll_into_view_if_needed()
    screenshot_fits(page, screenshot_dir, "catalogue-scorecard.png")
    section_shot = str(screenshot_dir / "catalogue-scorecard-not-in-a-framework.png")
    page.locator("section", has=page.locator("#scorecard-not-in-a-framework")).screenshot(path=section_shot)

    page.get_by_role("link", name="Map them into a framework").click()
    page.wait_for_selector("#catalogue-form")
    assert "Lower is better" in page.locator("table").first.inner_text()
    page.get_by_label("2.1 Reduce hospital admissions for specific conditions").check()
    page.get_by_label("Target for every area (optional)").fill("120")
    page.get_by_label("Why (kept with the change)").fill("Agreed at the March contract meeting")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=Saved as version 2: fingertips-92196 now serves cyp-outcomes:2.1.")
    history = page.locator("#catalogue-history").inner_text()
    assert "Asha Patel" in history and "Agreed at the March contract meeting" in history
    screenshot_fits(page, screenshot_dir, "catalogue-mapped.png")
    assert_accessible(page, "indicators page with the mapping form")

    page.goto(f"/?area={CAMBRIDGESHIRE}")
    page.locator("#scorecard-domain-2-table").wait_for()
    assert "Hospital admissions for asthma" in page.locator("#scorecard-domain-2-table").inner_text()
    assert page.locator("#scorecard-not-in-a-framework").count() == 0
