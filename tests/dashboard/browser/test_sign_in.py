"""Signing in through the real form in headless Chromium, what each role can do on the payment page, and
crafted callback requests (no session; a viewer's own) refused with nothing written."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.dashboard.browser.conftest import signed_in
from tests.dashboard.browser.steps import BLOCKING, WCAG_22_AA
from tests.dashboard.payment.support import row_counts
from tests.dashboard.signing_in import NAMES

pytestmark = pytest.mark.browser

CCC = "/payment?contract=ccc-hcp-s75&year=2025/26"
AGREE = {
    "output": '{"form":["ALL"],"type":"payment-agree-result"}.children',
    "outputs": [{"id": {"form": "scheme", "type": "payment-agree-result"}, "property": "children"}],
    "inputs": [[{"id": {"form": "scheme", "type": "payment-agree"}, "property": "n_clicks", "value": 1}]],
    "state": [
        [
            {
                "id": {"form": "scheme", "type": "payment-agree-context"},
                "property": "data",
                "value": {"contract": "ccc-hcp-s75", "year": "2025/26"},
            }
        ],
        [{"id": {"form": "scheme", "type": "payment-agree-reason"}, "property": "value", "value": "Forged"}],
    ],
    "changedPropIds": ['{"form":"scheme","type":"payment-agree"}.n_clicks'],
}


def _agree_request(page) -> dict:
    """The agree request as the browser would send it, built by hand from the callbacks the server lists at
    ``/_dash-dependencies`` (as anyone with the page could): no form, no button."""
    callbacks = page.request.get("/_dash-dependencies").json()
    output = next(c["output"] for c in callbacks if '"type":"payment-agree-result"' in c["output"])
    go = output.rsplit("...", 1)[1].removesuffix("..")
    return AGREE | {
        "output": output,
        "outputs": [
            [{"id": {"form": "scheme", "type": "payment-agree-result"}, "property": "children"}],
            {"id": "payment-go", "property": go.removeprefix("payment-go.")},
        ],
    }


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


def test_a_page_asked_for_goes_to_sign_in_and_returns_after(private_page):
    private_page.goto(CCC)
    assert "/sign-in?next=" in private_page.url
    assert private_page.locator("h1").inner_text() == "Sign in"
    private_page.get_by_label("Name").fill(NAMES["viewer"])
    private_page.get_by_label("Password").fill("not the password at all")
    private_page.locator("#sign-in-button").click()
    private_page.locator("#sign-in-error-summary").wait_for()
    assert "The name or password is not right" in private_page.locator("#sign-in-error-summary").inner_text()
    signed_in(private_page, "viewer")
    _open(private_page, CCC)
    assert (
        private_page.locator("#header-signed-in-as").inner_text()
        == f"Signed in as {NAMES['viewer']} (viewer)"
    )


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_viewers_and_officers_get_no_change_form(private_page, role):
    signed_in(private_page, role)
    _open(private_page, CCC)
    assert private_page.locator("#payment-change-form").count() == 0
    assert (
        "Only an administrator can change a payment scheme."
        in private_page.locator("#payment-who").inner_text()
    )


def test_a_crafted_callback_without_a_session_is_refused_and_nothing_is_written(private_page, store_engine):
    before = row_counts(store_engine)
    response = private_page.request.post(
        "/_dash-update-component", data=json.dumps(AGREE), headers={"Content-Type": "application/json"}
    )
    assert (response.status, response.text()) == (401, "Sign in to use the dashboard.")
    assert row_counts(store_engine) == before


def test_a_viewers_crafted_callback_is_refused_and_nothing_is_written(private_page, store_engine):
    signed_in(private_page, "viewer")
    before = row_counts(store_engine)
    agree = _agree_request(private_page)
    headers = {"Content-Type": "application/json"}
    from_elsewhere = private_page.request.post(
        "/_dash-update-component", data=json.dumps(agree), headers=headers
    )
    assert from_elsewhere.status == 400, "no X-CSRFToken header, as from another site"
    cookie = next(c["value"] for c in private_page.context.cookies() if c["name"] == "_csrf_token")
    own = private_page.request.post(
        "/_dash-update-component", data=json.dumps(agree), headers=headers | {"X-CSRFToken": cookie}
    )
    assert own.status == 200
    assert (
        "Only an administrator can change a payment scheme; you are signed in as Sam Jones (viewer)."
        in own.text()
    )
    assert row_counts(store_engine) == before


def test_the_sign_in_page_has_no_serious_accessibility_failures(private_page):
    private_page.goto("/sign-in")
    violations = Axe().run(private_page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert not [v for v in violations.response["violations"] if v["impact"] in BLOCKING]


def test_an_administrator_saves_a_draft_and_signs_out(private_page):
    """Last in this file: it writes version 2 of the scheme, which the other tests here must not see."""
    signed_in(private_page, "admin")
    _open(private_page, CCC)
    private_page.get_by_label("C2 New birth visit within 14 days: target (%)").fill("94")
    private_page.get_by_label("Why are you making this change?").fill("Stretch target agreed at the meeting")
    private_page.get_by_role("button", name="Save as version").click()
    private_page.get_by_text("saved as a draft.").wait_for()
    assert f"Saved by {NAMES['admin']}." in private_page.locator("main").inner_text()
    private_page.locator("#sign-out-button").click()
    private_page.wait_for_url("**/sign-in")
    private_page.goto(CCC)
    assert "/sign-in?next=" in private_page.url


def test_an_administrators_menu_is_one_line_on_a_laptop_screen(private_page):
    signed_in(private_page, "admin")
    private_page.set_viewport_size({"width": 1366, "height": 768})
    private_page.goto("/")
    menu = private_page.locator("nav[aria-label='Menu']")
    first = menu.get_by_role("link", name="Scorecard", exact=True).bounding_box()
    last = menu.get_by_role("link", name="About", exact=True).bounding_box()
    assert menu.get_by_role("link", name="Load data").count() == 1, "signed in as an administrator"
    assert first["y"] == last["y"], "every entry on the same line"
    footer = private_page.locator("footer")
    assert footer.get_by_role("link", name="Accessibility statement").count() == 1
    assert footer.get_by_role("link", name="Data sources", exact=True).count() == 1
