"""A process change in headless Chromium: an officer records that a new 2-year review pathway started in April
2023 for Cambridgeshire; the SPC chart splits into two phases with a labelled line at 2023/24 Q1, and the
variation (on the chart and the summary card) becomes the new phase's. axe-core finds no serious or critical
WCAG 2.2 AA failure on the page with the form and the list. The change is withdrawn at the end, so the
shared store is judged as before for the other journeys.

Cambridgeshire's 2-year reviews (bundled illustrative figures) are near 70% for eight quarters and near 85%
for the ten since: on one chart every point is special cause; in two phases none is.
"""

from __future__ import annotations

import pytest

from data import process_changes
from data.access import User
from tests.dashboard.browser.conftest import signed_in
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

CODE, CAMBRIDGESHIRE = "hv-2-year-review", "E10000003"
SPC_VIEW = f"/indicator/{CODE}?area={CAMBRIDGESHIRE}&view=spc"
REASON = "New 2-2½ year review pathway from April 2023"


def _open_spc(page) -> None:
    page.goto(SPC_VIEW)
    page.wait_for_selector("#graph-spc .js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")


def test_an_officer_records_a_process_change_and_the_chart_shows_the_break(
    private_page, store_engine, screenshot_dir
):
    page = private_page
    signed_in(page, "officer")  # Kim Lee
    _open_spc(page)
    assert "Special cause — improving" in page.locator("#spc-statuses").inner_text()
    assert "No process change has been recorded" in page.locator("#process-change-list").inner_text()
    try:
        page.get_by_label("Date the change took effect").fill("1/4/2023")
        page.get_by_label("Reason").fill(REASON)
        page.get_by_role("button", name="Record for Cambridgeshire").click()
        page.wait_for_selector("text=Process change from 1 April 2023 recorded for this area.")
        page.wait_for_selector("#graph-spc .js-plotly-plot .main-svg")

        label = page.locator("#graph-spc .annotation-text", has_text="From 2023/24 Q1")
        assert REASON in (label.text_content() or "")
        assert page.locator("#spc-phases").inner_text() == f"Limits recalculated from 2023/24 Q1: {REASON}."
        assert "Common cause" in page.locator("#spc-statuses").inner_text()
        assert "Common cause" in page.locator("#summary-spc").inner_text()
        limits = page.evaluate(
            "[...document.querySelector('#graph-spc .js-plotly-plot').data]"
            ".find(t => t.meta === 'limits').y.filter(y => y !== null).length"
        )
        assert limits == 8  # two phases: an upper and a lower line each
        listed = page.locator("#process-change-list").inner_text()
        assert REASON in listed and "Recorded by Kim Lee" in listed

        page.locator("#over-time").scroll_into_view_if_needed()
        screenshot_fits(page, screenshot_dir, "process-change-recorded.png")
        page.locator("#graph-spc").screenshot(path=str(screenshot_dir / "process-change-chart.png"))
        assert_accessible(page, "indicator SPC view with a process change")

        page.get_by_role("button", name="Withdraw the change from 1 April 2023").click()
        page.wait_for_selector("text=Process change from 1 April 2023 withdrawn.")
        assert "Special cause — improving" in page.locator("#spc-statuses").inner_text()
        assert page.locator("#graph-spc .annotation-text", has_text="From 2023/24 Q1").count() == 0
    finally:
        cleaner = User("Test cleanup", frozenset({"admin"}))
        for change in process_changes.changes_for(store_engine, CODE, CAMBRIDGESHIRE):
            process_changes.withdraw(store_engine, cleaner, change.id)
