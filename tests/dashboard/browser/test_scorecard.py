"""The scorecard in headless Chromium on the bundled data: choosing an area changes the link and the tables,
the form works from the keyboard and the back button, indicator links carry the area, the changed-since
panel appears, axe-core finds no serious or critical failures, printing hides the filters, and full-page
screenshots at desktop and projector sizes."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.browser.conftest import DESKTOP, PROJECTOR
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

NEW_BIRTH = "hv-new-birth-visit-14d"


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


def _heading(page) -> str:
    return page.locator("#scorecard-heading").inner_text()


def test_choosing_an_area_changes_the_link_and_the_tables_and_back_returns(page, base_url):
    _open(page, "/")
    assert page.title() == "Scorecard – Healthy Child Programme outcomes"
    assert _heading(page) == "Scorecard for Cambridgeshire"
    caption = page.locator("#scorecard-domain-3-table caption")
    assert "for Cambridgeshire" in caption.inner_text()

    page.locator("#scorecard-area").focus()
    page.select_option("#scorecard-area", label="Peterborough")
    page.wait_for_url(base_url + "/?area=E06000031")
    page.wait_for_function(
        "document.querySelector('#scorecard-heading').innerText === 'Scorecard for Peterborough'"
    )
    assert "for Peterborough" in caption.inner_text()
    row = page.locator(f"#scorecard-domain-3-table tr[data-indicator='{NEW_BIRTH}']")
    assert row.locator("a").get_attribute("href") == f"/indicator/{NEW_BIRTH}?area=E06000031"
    assert re.search(r"\d+\.\d%\s+in 20\d\d/\d\d Q\d", row.inner_text())
    assert page.evaluate("document.activeElement.id") == "scorecard-area", "the focus stays on the filter"

    page.go_back()
    page.wait_for_url(base_url + "/")
    page.wait_for_function(
        "document.querySelector('#scorecard-heading').innerText === 'Scorecard for Cambridgeshire'"
    )
    assert page.locator("#scorecard-area").input_value() == "E10000003"


def test_the_filters_work_from_the_keyboard(page, base_url):
    _open(page, "/")
    framework = page.locator("#scorecard-framework")
    framework.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineColor") == "rgb(255, 221, 0)"
    page.keyboard.press("ArrowDown")  # the next framework: the HCP high-impact areas
    page.wait_for_url(base_url + "/?framework=hcp-high-impact-areas")
    page.wait_for_selector("#scorecard-group-EY")
    assert page.locator("#scorecard-group-EY").inner_text() == "Early years high impact areas"
    assert page.evaluate("document.activeElement.id") == "scorecard-framework"
    labels = page.evaluate(
        "[...document.querySelectorAll('#scorecard-filters select')].map(s => s.labels[0].innerText)"
    )
    assert labels == [
        "Area",
        "Framework",
        "Figures as at",
        "Show changes since",
        "Target status colours",
        "Show",
        "Group",
        "Order",
    ]


def test_indicator_links_carry_the_area(page):
    _open(page, "/?area=E07000010")
    links = page.locator("table.app-scorecard th[scope='row'] a")
    assert links.count() > 20
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(re.fullmatch(r"/indicator/[a-z0-9-]+\?area=E07000010", href) for href in hrefs)
    no_data = page.locator(f"tr[data-indicator='{NEW_BIRTH}']").first
    assert re.match(
        r"No data for Fenland; nearest: Cambridgeshire \(\d+\.\d% in 20\d\d/\d\d Q\d\)\.",
        no_data.locator("td").inner_text(),
    )


def test_the_changed_since_panel_shows_what_moved(page, base_url):
    _open(page, "/")
    assert page.locator("#scorecard-changes").count() == 0
    page.select_option("#scorecard-since", "previous-quarter")
    page.wait_for_url(base_url + "/?since=previous-quarter")
    panel = page.locator("#scorecard-changes")
    panel.wait_for()
    assert panel.locator("h2").inner_text() == "What has changed since 30 June 2025"
    count = panel.locator("#scorecard-changes-count").inner_text()
    assert re.match(r"\d+ indicators? changed status", count) and "the figures to 30 June 2025" in count
    first = panel.locator("tbody tr").first.inner_text()
    assert re.search(
        r"(Against target|Compared with England|SPC variation): moved from\s.+\sto\s.+", first, re.DOTALL
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?area=E06000031&since=previous-quarter",
        "/?area=E07000010&framework=hcp-high-impact-areas&palette=colour-blind",
    ],
)
def test_no_serious_or_critical_accessibility_failures(page, path):
    _open(page, path)
    assert_accessible(page, path)


def test_printing_hides_the_filters_and_keeps_status_colours(page):
    _open(page, "/")
    page.emulate_media(media="print")
    assert page.locator("#scorecard-filters").evaluate("el => getComputedStyle(el).display") == "none"
    adjust = page.locator(".app-scorecard .status-tag").first.evaluate(
        "el => getComputedStyle(el).printColorAdjust"
    )
    assert adjust == "exact"
    assert (
        page.locator(".app-tag--illustrative").first.evaluate("el => getComputedStyle(el).printColorAdjust")
        == "exact"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PROJECTOR], ids=["1280", "1920"])
@pytest.mark.parametrize("path", ["/", "/?since=previous-quarter"], ids=["scorecard", "changed-since"])
def test_screenshots(browser, base_url, screenshot_dir, path, viewport):
    """Full-page screenshots for a person to look at; also checks nothing overflows sideways."""
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="en-GB")
    page = context.new_page()
    try:
        _open(page, path)
        screenshot_fits(
            page,
            screenshot_dir,
            f"scorecard-{'changes' if 'since' in path else 'page'}-{viewport['width']}.png",
        )
    finally:
        context.close()
