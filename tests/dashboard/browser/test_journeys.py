"""Real journeys through the dashboard in headless Chromium: pages load, the skip link is the first tab stop
and works, the header navigation works, and axe-core finds no serious or critical WCAG 2.2 AA failures."""

from __future__ import annotations

import pytest

from tests.dashboard.browser.conftest import DESKTOP, PROJECTOR
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

PAGES = {
    "/": ("Scorecard – Healthy Child Programme outcomes", "Scorecard for Cambridgeshire"),
    "/about": ("About this dashboard – Healthy Child Programme outcomes", "About this dashboard"),
    "/data-sources": ("Data sources – Healthy Child Programme outcomes", "Data sources"),
    "/accessibility": (
        "Accessibility statement – Healthy Child Programme outcomes",
        "Accessibility statement for Healthy Child Programme outcomes",
    ),
}


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", PAGES)
def test_each_page_loads_with_its_title_heading_and_landmarks(page, path):
    title, heading = PAGES[path]
    _open(page, path)
    assert page.title() == title
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.locator("h1").inner_text() == heading
    assert page.locator("header").count() == 1
    assert page.locator("main#main-content").count() == 1
    assert page.locator("footer").count() == 1
    in_menu = path not in ("/data-sources", "/accessibility")  # these two are linked from the footer
    assert page.locator("nav[aria-label='Menu'] a[aria-current='page']").count() == (1 if in_menu else 0)


def test_an_unknown_address_says_page_not_found(page):
    _open(page, "/no-such-page")
    assert page.title() == "Page not found – Healthy Child Programme outcomes"
    assert page.locator("h1").inner_text() == "Page not found"


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page):
    _open(page, "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
            return {text: el.textContent, href: el.getAttribute('href'), width: box.width, height: box.height,
                    background: style.backgroundColor};
        }"""
    )
    assert focused["text"] == "Skip to main content" and focused["href"] == "#main-content"
    assert focused["width"] >= 24 and focused["height"] >= 24, "the skip link is visible when focused"
    assert focused["background"] == "rgb(255, 221, 0)", "GOV.UK yellow focus"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), (
        "next tab stop is in the main content"
    )


def _follow(page, base_url, links, label: str, path: str) -> None:
    """Click the link ``label`` among ``links`` and wait for the page at ``path``, titled as it should be."""
    links.get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(base_url + path)
    page.wait_for_selector("#_pages_content h1")
    assert page.title() == PAGES[path][0]


def test_the_header_navigation_reaches_every_page(page, base_url):
    _open(page, "/")
    nav = page.locator("nav[aria-label='Menu']")
    for label, path in (("About", "/about"), ("Scorecard", "/")):
        _follow(page, base_url, nav, label, path)
        current = nav.locator("a[aria-current='page']")
        page.wait_for_function("document.querySelector(\"nav a[aria-current='page']\") !== null")
        assert current.inner_text() == label


def test_the_footer_reaches_the_data_sources_and_the_accessibility_statement(page, base_url):
    _open(page, "/")
    footer = page.locator("footer")
    for label, path in (("Data sources", "/data-sources"), ("Accessibility statement", "/accessibility")):
        _follow(page, base_url, footer, label, path)


def test_the_header_navigation_works_from_the_keyboard(page, base_url):
    _open(page, "/")
    link = page.locator("nav[aria-label='Menu']").get_by_role("link", name="About", exact=True)
    link.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert outline == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/about")
    page.wait_for_selector("#_pages_content h1")


def test_targets_are_at_least_24_pixels_and_body_text_at_least_16(page):
    _open(page, "/")
    page.locator("details").first.evaluate("el => el.open = false")
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '.app-service-navigation__link, .app-header__service-name, .app-footer__inline-list a, '
                + 'summary')]
            .map(el => ({text: el.textContent.trim(), ...el.getBoundingClientRect().toJSON()}))
            .filter(box => box.width < 24 || box.height < 24)"""
    )
    assert not small, f"targets smaller than 24 by 24 pixels: {small}"
    sizes = page.evaluate(
        "[...document.querySelectorAll('main p')].map(p => parseFloat(getComputedStyle(p).fontSize))"
    )
    assert sizes and min(sizes) >= 16
    assert page.evaluate("getComputedStyle(document.body).fontVariantNumeric") == "tabular-nums"


def test_the_colour_blind_palette_link_changes_the_target_colours(page, base_url):
    _open(page, "/about")
    on_target = page.locator("#legend-target .status-tag--target-green")
    assert on_target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 112, 60)"
    page.locator("#palette-toggle").click()
    page.wait_for_url(base_url + "/about?palette=colour-blind#statuses")
    page.wait_for_selector("#legend-target")
    on_target = page.locator("#legend-target .status-tag--target-green")
    assert on_target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 94, 165)"
    assert on_target.inner_text().endswith("On target")


@pytest.mark.parametrize("path", [*PAGES, "/no-such-page"])
def test_no_serious_or_critical_accessibility_failures(page, path):
    _open(page, path)
    assert_accessible(page, path)


@pytest.mark.parametrize(
    "viewport", [DESKTOP, PROJECTOR, {"width": 320, "height": 640}], ids=["1280", "1920", "320"]
)
@pytest.mark.parametrize("path", PAGES)
def test_screenshots(browser, base_url, screenshot_dir, path, viewport):
    """Full-page screenshots for a person to look at; also checks nothing overflows sideways."""
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="en-GB")
    page = context.new_page()
    try:
        _open(page, path)
        screenshot_fits(page, screenshot_dir, (path.strip("/") or "scorecard") + f"-{viewport['width']}.png")
    finally:
        context.close()
