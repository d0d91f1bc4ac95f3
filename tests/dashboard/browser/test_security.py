"""The content security policy in Chromium: every page loads, draws its charts and answers a change of
filter with no violation of the policy (no inline script, no eval), signed in as an administrator so that
every page is open; and the policy arrives with every page."""

from __future__ import annotations

from urllib.parse import urlparse

import dash
import pytest
from playwright.sync_api import expect

from tests.dashboard.browser.conftest import _tab, signed_in

pytestmark = pytest.mark.browser

PAGES = (
    "/",
    "/summary",
    "/areas-table",
    "/indicator/hv-new-birth-visit-14d",
    "/indicator/obesity-reception?area=E10000003",
    "/payment",
    "/exceptions",
    "/quarter",
    "/meeting?area=E10000003&screen=14",
    "/upload",
    "/imports",
    "/indicators",
    "/about",
    "/data-sources",
    "/accessibility",
    "/no-such-page",
)

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    const where = `${event.sourceFile}:${event.lineNumber}`;
    window.__violations.push(`${event.violatedDirective}: ${event.blockedURI} (${where})`);
});
"""


def _violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def admin_page(browser, private_base_url):
    """A tab that enforces the policy (others bypass it, see ``conftest._tab``), signed in as an
    administrator, recording every violation of the policy and every console message that mentions it;
    like every tab, it fails its test on a JavaScript error."""
    for tab in _tab(browser, private_base_url, enforce_csp=True):
        tab.add_init_script(WATCH_VIOLATIONS)
        messages: list[str] = []
        tab.on(
            "console",
            lambda message, messages=messages: (
                messages.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        signed_in(tab, "admin")
        tab.csp_messages = messages
        yield tab


def test_the_list_holds_every_page_of_the_dashboard(admin_page):
    registered = {page["path"] for page in dash.page_registry.values() if not page.get("path_template")}
    assert registered - {"/404"} <= {urlparse(path).path for path in PAGES}  # /no-such-page shows the 404


def test_every_page_loads_with_no_violation_of_the_content_security_policy(admin_page):
    for path in PAGES:
        response = admin_page.goto(path)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy, path
        admin_page.wait_for_selector("#_pages_content h1")
        admin_page.wait_for_load_state("networkidle")
        assert _violations(admin_page) == [], path
    assert admin_page.csp_messages == []


def test_changing_filters_and_drawing_charts_runs_no_blocked_code(admin_page, private_base_url):
    _open(admin_page, "/")
    admin_page.select_option("#scorecard-area", label="Peterborough")
    admin_page.wait_for_url(private_base_url + "/?area=E06000031")
    assert _violations(admin_page) == []
    heading = admin_page.locator("#scorecard-heading")
    expect(heading).to_have_text("Scorecard for Peterborough", timeout=45_000)
    _open(admin_page, "/indicator/hv-new-birth-visit-14d")
    admin_page.locator(".js-plotly-plot").first.wait_for()
    admin_page.locator("#ci-toggle").click()  # the view changes through a callback
    admin_page.wait_for_url(lambda url: "ci=off" in url)
    admin_page.wait_for_load_state("networkidle")
    with admin_page.expect_download() as download:
        admin_page.locator("button.app-indicator-chart__download").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    assert _violations(admin_page) == []
    assert admin_page.csp_messages == []
