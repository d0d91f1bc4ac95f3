"""The views a committee reads, in headless Chromium on the bundled data: the scorecard filtered to what is
off target through the page (the link holds it and a reload keeps it), the summary on one 1366 x 768 screen,
and the areas table checked with axe-core, with screenshots."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


def test_only_off_target_through_the_page_is_in_the_link_and_survives_a_reload(
    page, base_url, screenshot_dir
):
    _open(page, "/?area=E06000031")  # Peterborough has indicators off target in the bundled data
    total = page.locator("#scorecard-shown").inner_text()
    assert re.fullmatch(r"Showing all \d+ indicators\.", total)
    page.select_option("#scorecard-show", label="Only off target")
    page.wait_for_url(base_url + "/?area=E06000031&show=off-target")
    page.wait_for_function("document.querySelector('#scorecard-shown').innerText.includes('off target')")
    sentence = page.locator("#scorecard-shown").inner_text()
    shown = int(re.match(r"Showing (\d+) of \d+ indicators: only those off target\.", sentence).group(1))
    rows = page.locator("table.app-scorecard tr[data-indicator]")
    codes = set(rows.evaluate_all("rows => rows.map(r => r.dataset.indicator)"))
    assert shown == len(codes) > 0
    assert all("Off target" in text for text in rows.locator("td:nth-child(4)").all_inner_texts())

    page.reload()
    page.wait_for_selector("#scorecard-shown")
    assert page.locator("#scorecard-show").input_value() == "off-target"
    assert page.locator("#scorecard-shown").inner_text() == sentence
    screenshot_fits(page, screenshot_dir, "scorecard-off-target.png")

    page.locator("#scorecard-clear-filters").click()
    page.wait_for_url(base_url + "/?area=E06000031")
    page.wait_for_function("(document.querySelector('#scorecard-shown') || {}).innerText === " + repr(total))


def test_the_summary_fits_one_1366_by_768_screen(page, screenshot_dir):
    page.set_viewport_size(LAPTOP)
    _open(page, "/summary")
    assert page.locator("#summary-heading").inner_text() == "Summary for Cambridgeshire"
    # Everything the summary says is on the first screen: nothing to scroll to but the site's footer.
    bottom = page.evaluate("document.querySelector('.app-page--summary').getBoundingClientRect().bottom")
    assert bottom <= LAPTOP["height"], f"the summary runs {bottom - LAPTOP['height']:.0f} px below the fold"
    assert page.locator("#summary-payment").is_visible()
    assert page.locator("#summary-table tfoot tr[data-domain='all']").is_visible()
    page.screenshot(path=str(screenshot_dir / "summary-1366x768.png"))
    link = page.locator("#summary-table tr[data-domain='all'] a[href*='show=near-target']")
    count = int(link.inner_text())
    link.click()
    page.wait_for_selector("#scorecard-shown")
    assert page.locator("#scorecard-shown").inner_text().startswith(f"Showing {count} of ")


def test_the_areas_table_passes_axe_and_prints_every_column(page, screenshot_dir):
    page.set_viewport_size(LAPTOP)
    _open(page, "/areas-table")
    headers = page.locator("#areas-table thead th").all_inner_texts()
    assert headers[0] == "Indicator" and headers[-2:] == ["East of England", "England"]
    assert_accessible(page, "areas table")
    screenshot_fits(page, screenshot_dir, "areas-table-1366.png")
    # Printed on A4 landscape with 10 mm margins, the page is 277 mm (1,047 CSS pixels) wide.
    page.set_viewport_size({"width": 1047, "height": 740})
    page.emulate_media(media="print")
    right = page.evaluate("document.querySelector('#areas-table').getBoundingClientRect().right")
    assert right <= 1047, f"the printed table is {right - 1047:.0f} px too wide: columns would be cut"
