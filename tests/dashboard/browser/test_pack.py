"""The committee pack from the quarter view, in headless Chromium: a signed-in officer clicks the button, the
page says what the build is doing while it runs and stays usable, then offers the PDF and the slides, and
the PDF downloads."""

from __future__ import annotations

import pytest

from tests.dashboard.browser.conftest import signed_in
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

QUARTER = "/quarter?contract=ccc-hcp-s75&quarter=2025/26%20Q2"


def test_an_officer_builds_the_pack_in_the_background_and_downloads_it(page, screenshot_dir):
    signed_in(page, "officer")
    page.goto(QUARTER)
    page.wait_for_selector("#pack-build")
    page.wait_for_load_state("networkidle")
    page.locator("#pack-build").click()
    progress = page.locator("#pack-progress")
    page.wait_for_selector("#pack-progress >> text=Building the committee pack")
    assert page.locator("#pack-build").is_disabled()  # one build at a time
    first = progress.inner_text()
    # The page is not frozen: it scrolls and its messages move on while the pack is built.
    page.locator("#quarter-heading").scroll_into_view_if_needed()
    page.wait_for_function(
        "([el, text]) => el.innerText !== text", arg=[progress.element_handle(), first], timeout=60_000
    )
    page.locator("#pack-section").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "pack-building.png"))

    page.wait_for_selector("#pack-pdf-link", timeout=240_000)
    assert "The committee pack is ready" in progress.inner_text()
    assert not page.locator("#pack-build").is_disabled()
    page.locator("#pack-section").scroll_into_view_if_needed()
    screenshot_fits(page, screenshot_dir, "pack-ready.png")
    with page.expect_download() as download:
        page.locator("#pack-pdf-link").click()
    assert download.value.suggested_filename == "committee-pack.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert_accessible(page, "quarter view with the committee pack ready")
