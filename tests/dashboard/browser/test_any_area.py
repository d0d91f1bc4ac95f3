"""Any English area in headless Chromium: choosing an authority outside the home areas from the scorecard's
area drop-down (home areas first, then every area grouped by type) shows its scorecard, and the page stays
accessible."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.browser.steps import assert_accessible

pytestmark = pytest.mark.browser

MANCHESTER = "E08000003"


def test_choosing_an_area_outside_the_home_areas_shows_its_scorecard(page, base_url):
    page.goto("/")
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")
    groups = page.evaluate("[...document.querySelectorAll('#scorecard-area optgroup')].map(g => g.label)")
    assert groups[:2] == ["Councils", "Cambridgeshire districts"]
    assert groups[2:6] == ["England", "Regions", "Counties and unitary authorities", "Districts"]

    page.locator("#scorecard-area").focus()
    page.select_option("#scorecard-area", label="Manchester")
    page.wait_for_url(base_url + f"/?area={MANCHESTER}")
    page.wait_for_function(
        "document.querySelector('#scorecard-heading').innerText === 'Scorecard for Manchester'"
    )
    assert page.locator("#scorecard-area").input_value() == MANCHESTER
    assert page.locator("#scorecard-ignored").count() == 0
    links = page.locator("table.app-scorecard th[scope='row'] a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(re.fullmatch(rf"/indicator/[a-z0-9-]+\?area={MANCHESTER}", h) for h in hrefs)
    rows = page.locator("table.app-scorecard tbody tr").all_inner_texts()
    with_figures = [row for row in rows if re.search(r"\d%?\s+in (20\d\d|\d+ \w+ 20\d\d)", row)]
    print(f"\nManchester: {len(with_figures)} of {len(rows)} indicators with a figure")
    assert with_figures, "Manchester's figures in the bundled data are shown"
    assert_accessible(page, "scorecard for Manchester")


def test_choosing_another_area_on_the_indicator_page_shows_it(page, base_url):
    page.goto("/indicator/self-harm-admissions-10-24")
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")
    page.select_option("#indicator-other-area", label="Manchester")
    page.click("#indicator-other-area-show")
    page.wait_for_url(re.compile(rf".*/indicator/self-harm-admissions-10-24\?area={MANCHESTER}.*"))
    page.wait_for_function("document.querySelector('#indicator-area-caption')?.textContent === 'Manchester'")
    page.wait_for_load_state("networkidle")
    assert page.locator("#indicator-ignored").count() == 0
    assert page.locator("#indicator-other-area").input_value() == MANCHESTER
    assert_accessible(page, "indicator page for Manchester")
