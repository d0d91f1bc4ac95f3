"""Contract monitoring in headless Chromium: on the exceptions page an officer enters a commentary and a
remedial action on one of Peterborough's exceptions, both appear in the quarter view, and axe-core finds no
WCAG 2.2 AA violations on either page."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.dashboard.browser.conftest import signed_in

pytestmark = pytest.mark.browser

EXCEPTIONS = "/exceptions?area=E06000031"
QUARTER = "/quarter?contract=pcc-hcp-s75&quarter=2025/26%20Q2"
KPI, AREA, PERIOD = "hv-12-month-review-12m", "E06000031", "2025/26 Q2"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _field(kind: str) -> str:
    """The selector of an exception's form field (Dash writes a pattern-matching id as sorted JSON)."""
    key = {"area": AREA, "indicator": KPI, "period": PERIOD, "type": kind}
    return f"[id='{json.dumps(key, sort_keys=True, separators=(',', ':'))}']"


def _open(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")


def _violations(page) -> list:
    for details in page.locator("details").all():
        details.evaluate("el => el.open = true")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    found = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in violations]
    print(f"\naxe: {json.dumps(found)}")
    return violations


def test_an_officers_commentary_and_action_appear_in_the_quarter_view(page):
    signed_in(page, "officer")  # Kim Lee
    _open(page, EXCEPTIONS)
    assert page.locator("h1").inner_text() == "Exceptions for Peterborough"
    exception = page.locator(f"#exception-{KPI}")
    assert "No commentary recorded." in exception.inner_text()

    page.locator(_field("monitor-comment-text")).fill(
        "Two health visitors on long-term sick leave <b>since July</b>"
    )
    page.locator(_field("monitor-comment-save")).click()
    page.wait_for_selector("text=Commentary saved for 2025/26 Q2.")
    page.locator(_field("monitor-action-what")).fill("Agency cover for the 12-month reviews")
    page.locator(_field("monitor-action-owner")).fill("Locality manager, Peterborough")
    page.locator(_field("monitor-action-due")).fill("31/03/2099")
    page.locator(_field("monitor-action-save")).click()
    page.wait_for_selector("text=Action saved for 2025/26 Q2.")
    assert "since July</b>" in exception.inner_text()  # shown as typed, not read as HTML
    assert _violations(page) == []

    _open(page, QUARTER)
    shown = page.locator(f"#quarter-exception-{KPI}").inner_text()
    assert "Provider's explanation — Kim Lee" in shown
    assert "Two health visitors on long-term sick leave <b>since July</b>" in shown
    assert "Agency cover for the 12-month reviews" in shown and "Due 31 March 2099" in shown
    assert "Agency cover for the 12-month reviews" in page.locator("#quarter-actions-table").inner_text()
    assert _violations(page) == []
