"""Meeting mode in headless Chromium on the bundled data, at a projector's 1366 × 768: every screen, reached
by the keys a presentation clicker sends, fits the window with nothing cut off and nothing to scroll, and its
address names the screen; axe-core finds no serious or critical failures."""

from __future__ import annotations

import pandas as pd
import pytest

from data.exports import CSV_SKIPROWS
from tests.dashboard.browser.steps import assert_accessible

pytestmark = pytest.mark.browser

PROJECTOR_1366 = {"width": 1366, "height": 768}

CLIPPED = """() => {
    const screen = document.getElementById('meeting-screen');
    const root = document.documentElement;
    const outside = [];
    for (const element of document.querySelectorAll('#meeting *')) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) { continue; }
        const out = box.top < -0.5 || box.left < -0.5;
        if (out || box.bottom > innerHeight + 0.5 || box.right > innerWidth + 0.5) {
            outside.push(`${element.tagName.toLowerCase()}.${element.className}: ${Math.round(box.left)},`
                + `${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)}`);
        }
    }
    return {
        screenOverflow: screen.scrollHeight - screen.clientHeight,
        screenOverflowSideways: screen.scrollWidth - screen.clientWidth,
        pageOverflow: root.scrollHeight - root.clientHeight,
        outside: outside.slice(0, 5),
    };
}"""


def _on_screen(page, number: int) -> None:
    page.wait_for_selector(f"#meeting[data-screen='{number}']")
    page.wait_for_load_state("networkidle")


def test_every_screen_fits_1366_by_768_and_the_clicker_keys_step_through(page, base_url, screenshot_dir):
    page.set_viewport_size(PROJECTOR_1366)
    page.goto("/meeting?area=E10000003")
    _on_screen(page, 1)
    count = int(page.locator("#meeting").get_attribute("data-screens"))
    assert count >= 10
    headings = []
    for number in range(1, count + 1):
        _on_screen(page, number)
        if number > 1:
            assert page.url == f"{base_url}/meeting?area=E10000003&screen={number}"
        headings.append(page.locator("#meeting-heading").inner_text())
        found = page.evaluate(CLIPPED)
        assert found == {
            "screenOverflow": 0,
            "screenOverflowSideways": 0,
            "pageOverflow": 0,
            "outside": [],
        }, f"screen {number} ({headings[-1]}) does not fit: {found}"
        page.screenshot(path=str(screenshot_dir / f"meeting-{number:02d}.png"))
        # Alternate the keys a clicker and a keyboard send.
        page.keyboard.press("PageDown" if number % 2 else "ArrowRight")
    assert headings[0] == "Healthy Child Programme outcomes: Cambridgeshire"
    assert headings[1] == "Domain 1: Maternity"
    assert any(h.startswith("Exception: ") for h in headings)
    assert headings[-1] == "Payment position"
    page.keyboard.press("PageDown")  # nothing after the last screen
    _on_screen(page, count)
    page.keyboard.press("PageUp")
    _on_screen(page, count - 1)
    page.keyboard.press("ArrowLeft")
    _on_screen(page, count - 2)
    page.go_back()
    _on_screen(page, count - 1)


def test_a_shared_link_opens_its_screen_and_exit_returns_to_the_scorecard(page, base_url):
    page.set_viewport_size(PROJECTOR_1366)
    page.goto("/meeting?area=E06000031&screen=2")
    _on_screen(page, 2)
    assert page.locator("#meeting-heading").inner_text() == "Domain 1: Maternity"
    assert "Peterborough" in page.locator(".app-meeting__context").inner_text()
    assert not page.locator("#service-navigation").is_visible()
    assert_accessible(page, "meeting mode, a domain screen")
    page.locator("#meeting-exit").click()
    page.wait_for_url(base_url + "/?area=E06000031")
    page.wait_for_selector("#scorecard-heading")


def test_the_scorecard_opens_meeting_mode_and_a_wrong_screen_is_said_in_words(page, base_url, screenshot_dir):
    page.set_viewport_size(PROJECTOR_1366)
    page.goto("/?area=E06000031&framework=hcp-high-impact-areas")
    page.wait_for_selector("#scorecard-meeting-link")
    page.screenshot(path=str(screenshot_dir / "scorecard-meeting-link.png"))
    page.locator("#scorecard-meeting-link").click()
    page.wait_for_url(base_url + "/meeting?area=E06000031&framework=hcp-high-impact-areas")
    _on_screen(page, 1)
    assert "Peterborough" in page.locator(".app-meeting__context").inner_text()
    page.goto("/meeting?area=E10000003&screen=999")
    count = int(page.locator("#meeting").get_attribute("data-screens"))
    _on_screen(page, count)
    note = page.locator("#meeting-link-note").inner_text()
    assert note == (
        f"This link asked for screen 999, but there are only {count} screens, so it shows the last one, "
        f"screen {count}."
    )
    found = page.evaluate(CLIPPED)
    assert found == {"screenOverflow": 0, "screenOverflowSideways": 0, "pageOverflow": 0, "outside": []}
    page.screenshot(path=str(screenshot_dir / "meeting-screen-out-of-range.png"))


def test_the_scorecard_downloads_the_filtered_rows(page, screenshot_dir, tmp_path):
    page.goto("/?area=E10000003&domain=3&q=visit")
    page.wait_for_selector("#scorecard-downloads")
    page.locator("#scorecard-downloads").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "scorecard-downloads.png"))
    with page.expect_download() as download_info:
        page.locator("#scorecard-downloads-csv").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    table = pd.read_csv(path, skiprows=CSV_SKIPROWS)
    shown = page.locator("#scorecard tr[data-indicator], .app-scorecard-domain tr[data-indicator]")
    codes = [shown.nth(i).get_attribute("data-indicator") for i in range(shown.count())]
    assert list(table["Indicator code"]) == list(dict.fromkeys(codes)) and len(table) >= 1
    for name in ("quarter", "exceptions"):
        page.goto(f"/{name}")
        page.wait_for_selector(f"#{name}-downloads")
        page.locator(f"#{name}-downloads").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"{name}-downloads.png"))
