"""Setting up Peterborough's payment scheme in headless Chromium: an administrator signs in, opens
Peterborough's payment page (no scheme), fixes a problem the error summary points to, saves the 2025/26
scheme, lands on the draft version with "Draft: not yet agreed" at the top, agrees it and lands on the agreed
version. axe-core checks the form page and the draft page; screenshots are saved for a person to look at.

The journey writes, so it runs on a store and server of its own: the other browser tests still find
Peterborough without a scheme.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.dashboard.browser.conftest import DESKTOP, _serving, _tab, signed_in
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

PCC = "/payment?contract=pcc-hcp-s75&year=2025/26"


@pytest.fixture(scope="module")
def own_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard, needing sign-in, on a freshly seeded store with a user of each role."""
    from data.db import make_engine
    from data.seed import seed
    from tests.dashboard.signing_in import add_users

    engine: sa.Engine = make_engine(f"duckdb:///{tmp_path_factory.mktemp('setup') / 'store.duckdb'}")
    try:
        seed(engine)
        add_users(engine)
        with _serving(engine, public=False) as url:
            yield url
    finally:
        engine.dispose()


@pytest.fixture
def tab(browser, own_url: str):
    """A desktop-size tab on that server; fails the test on a JavaScript error."""
    yield from _tab(browser, own_url)


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


def test_an_administrator_sets_up_peterborough_2025_26_then_agrees_it(tab, screenshot_dir):
    page = tab
    signed_in(page, "admin")
    _open(page, PCC)
    main = page.locator("main")
    assert "Peterborough City Council's agreement (pcc-hcp-s75) has no payment scheme for 2025/26" in (
        main.inner_text()
    )
    form = page.locator("#payment-setup-form")
    assert page.get_by_role("heading", name="Set up a payment scheme for 2025/26").is_visible()
    assert form.get_by_role("heading", name="Enter the scheme from the agreement").is_visible()
    budget = page.get_by_label("Budget for the year (£)")
    assert budget.input_value() == "", "no budget is suggested"
    assert "must come from the agreement itself" in form.inner_text()
    screenshot_fits(page, screenshot_dir, "scheme-setup-form.png")
    assert_accessible(page, "the set-up form")
    page.set_viewport_size({"width": 320, "height": 640})
    screenshot_fits(page, screenshot_dir, "scheme-setup-form-320.png")
    page.set_viewport_size(DESKTOP)

    # A problem is listed at the top of the form, linked to its field, and nothing is saved.
    page.get_by_label("Share of the budget paid on performance (%)").fill("3")
    page.get_by_label("Why are you setting up this scheme?").fill("Budget from the signed agreement")
    page.get_by_role("button", name="Save as version 1 (draft) for 2025/26").click()
    summary = page.locator("#payment-setup-error-summary")
    summary.wait_for()
    link = summary.get_by_role("link", name="Enter the budget in pounds")
    assert link.get_attribute("href") == "#payment-setup-budget-field"
    screenshot_fits(page, screenshot_dir, "scheme-setup-error.png")
    assert_accessible(page, "the set-up form with a problem")

    budget.fill("4,200,000")
    page.get_by_role("button", name="Save as version 1 (draft) for 2025/26").click()
    page.wait_for_url("**/payment?contract=pcc-hcp-s75&version=1&year=2025/26")
    page.locator("#payment-draft-notice").wait_for()
    page.wait_for_load_state("networkidle")
    assert "Version 1 of the 2025/26 scheme saved as a draft." in page.locator("#payment-notice").inner_text()
    draft = page.locator("#payment-draft-notice").inner_text()
    assert "◇ Draft: not yet agreed" in draft
    assert "nothing is paid on it until it is agreed" in draft
    assert (
        "Payment scheme version 1, a draft, not yet agreed"
        in page.locator("#payment-scheme-summary").inner_text()
    )
    assert page.locator("#payment-budget-sentence").inner_text() == (
        "Of Peterborough’s £4,200,000 budget for 2025/26, £4,074,000 is paid regardless and £126,000 (3%) "
        "depends on the Annual Development Plan targets."
    )
    screenshot_fits(page, screenshot_dir, "scheme-draft.png")
    assert_accessible(page, "the draft version")

    page.locator("#payment-draft-notice").get_by_role("link", name="Agree version 1").click()
    page.get_by_label("Why is it agreed?").fill("Agreed at the contract meeting")
    page.get_by_role("button", name="Agree version 1").click()
    page.locator("#payment-notice", has_text="Version 1 is agreed and now in force.").wait_for()
    page.wait_for_load_state("networkidle")
    assert page.locator("#payment-draft-notice").count() == 0
    assert "Payment scheme version 1, agreed: the scheme in force." in (
        page.locator("#payment-scheme-summary").inner_text()
    )
    assert (
        page.locator("#payment-uplift-form")
        .get_by_role("heading", name="Start 2026/27 from this scheme")
        .count()
    )
    screenshot_fits(page, screenshot_dir, "scheme-agreed.png")
