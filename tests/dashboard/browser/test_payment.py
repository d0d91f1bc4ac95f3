"""The payment page in headless Chromium: it opens on the money, a what-if value moves the total at once (and
Reset puts it back), the calculation downloads as a workbook, axe-core finds no serious or critical WCAG 2.2
AA failures, and full-page screenshots for a person to look at."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.dashboard.browser.conftest import DESKTOP, PROJECTOR, signed_in
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

CCC = "/payment?contract=ccc-hcp-s75&year=2025/26"
PCC = "/payment?contract=pcc-hcp-s75&year=2025/26"
C2_Q3 = '[id=\'{"kpi":0,"period":2,"type":"payment-whatif-value"}\']'
C2_WEIGHT = '[id=\'{"kpi":0,"type":"payment-whatif-weight"}\']'


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


def _pounds(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def test_the_page_opens_on_the_money_for_cambridgeshire_2025_26(page):
    _open(page, CCC)
    assert page.title() == "Performance-linked payment – Healthy Child Programme outcomes"
    assert page.locator("h1").inner_text() == "Performance-linked payment"
    sentence = page.locator("#payment-budget-sentence").inner_text()
    assert sentence == (
        "Of Cambridgeshire’s £9,126,108 budget for 2025/26, £8,852,325 is paid regardless and "
        "£273,783 (3%) depends on the Annual Development Plan targets."
    )
    assert "(Q1 to Q2)" in page.locator("#payment-so-far-sentence").inner_text()
    assert (
        "The budget and 3% share are real; the KPIs are not."
        in page.locator("#payment-illustrative-banner").inner_text()
    )
    assert page.locator("nav[aria-label='Menu'] a[aria-current='page']").inner_text() == "Payment"


def test_a_what_if_value_changes_the_total_at_once_and_reset_puts_it_back(page):
    _open(page, CCC)
    total = page.locator("#payment-total-earned")
    before = _pounds(total.inner_text())
    assert before == 100_875
    # C2 meets its target in Q3, not yet reported: a quarter of C2's £68,445.81 more, £17,111.45.
    page.locator(C2_Q3).fill("95")
    page.wait_for_function(f"document.querySelector('#payment-total-earned').innerText !== '£{before:,}'")
    assert _pounds(total.inner_text()) == 117_987
    assert page.locator("#payment-whatif-earned").inner_text() == "£117,987"
    assert "What-if: nothing is saved" in page.locator("#payment-whatif-banner").inner_text()
    assert "C2 Q3 not yet reported → 95.0%" in page.locator("#payment-whatif-changes").inner_text()

    page.locator("#payment-whatif-reset").click()
    page.wait_for_function("document.querySelector('#payment-total-earned').innerText === '£100,875'")
    # The banner is redrawn by its own callback: wait for it to go rather than race it.
    page.locator("#payment-whatif-banner").wait_for(state="detached", timeout=10_000)
    assert page.locator("#payment-whatif-banner").count() == 0


def test_weights_that_do_not_total_100_percent_show_an_error_summary_linking_to_the_field(page):
    _open(page, CCC)
    page.locator(C2_WEIGHT).fill("30")
    summary = page.locator("#payment-whatif-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    link = summary.get_by_role("link", name="The weights total 105%; they must total 100%")
    assert link.get_attribute("href") == "#payment-whatif-weight-field-0"
    assert page.locator("#payment-total-earned").inner_text() == "£100,875", "the money is not recalculated"


def test_the_calculation_downloads_as_a_workbook_with_the_what_if_values(page):
    _open(page, CCC)
    with page.expect_download() as reported:
        page.locator("#payment-download-xlsx").click()
    assert reported.value.suggested_filename == "payment-ccc-hcp-s75-2025-26-v1.xlsx"
    book = load_workbook(io.BytesIO(Path(reported.value.path()).read_bytes()))
    assert book.sheetnames == ["Calculation", "Forecast", "Audit history", "About"]
    assert book["Calculation"]["C9"].value == "=ROUND($C$7*$C$8,2)"

    page.locator(C2_Q3).fill("95")
    page.wait_for_function("document.querySelector('#payment-total-earned').innerText === '£117,987'")
    with page.expect_download() as changed:
        page.locator("#payment-download-xlsx").click()
    assert changed.value.suggested_filename == "payment-ccc-hcp-s75-2025-26-v1-what-if.xlsx"
    sheet = load_workbook(io.BytesIO(Path(changed.value.path()).read_bytes()))["Calculation"]
    assert sheet["A2"].value.startswith("WHAT-IF")
    assert sheet["M13"].value == 95


@pytest.mark.parametrize("path", [CCC, PCC], ids=["cambridgeshire", "peterborough"])
def test_no_serious_or_critical_accessibility_failures(page, path):
    _open(page, path)
    assert_accessible(page, path)


def test_no_serious_or_critical_failures_with_the_change_form_and_a_what_if_problem(page):
    signed_in(page, "admin")
    _open(page, CCC)
    assert page.locator("#payment-change-form").count() == 1
    page.locator(C2_WEIGHT).fill("30")
    page.locator("#payment-whatif-error-summary").wait_for()
    assert_accessible(page, "the change form with a what-if problem")


def test_peterborough_says_plainly_it_has_no_scheme(page):
    _open(page, PCC)
    text = page.locator("main").inner_text()
    assert "Peterborough City Council's agreement (pcc-hcp-s75) has no payment scheme for 2025/26" in text
    assert "its budget is not in the public papers, so none is shipped and none is made up" in text
    assert page.locator("#payment-kpi-table").count() == 0


@pytest.mark.parametrize(
    "viewport", [DESKTOP, PROJECTOR, {"width": 320, "height": 640}], ids=["1280", "1920", "320"]
)
def test_screenshots(browser, base_url, screenshot_dir, viewport):
    """Full-page screenshots for a person to look at; nothing scrolls the page sideways."""
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="en-GB")
    page = context.new_page()
    try:
        _open(page, CCC)
        screenshot_fits(page, screenshot_dir, f"payment-{viewport['width']}.png")
    finally:
        context.close()
