"""Loading data through the web in headless Chromium: an officer uploads a provider return with good and bad
rows, sees exactly which rows are rejected and why, confirms, and the indicator page shows the new figure
while the dashboard keeps serving; an administrator then rolls the import back from the history, first
cancelling at the confirmation and then confirming, and the previous figure returns. axe-core checks the
upload page with its preview and the confirmation. The navigation offers loading data and the import
history only to those who may use them, and a viewer who types either address gets a plain refusal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe

from data import schema
from data.db import make_engine
from tests.dashboard.browser.conftest import signed_in
from tests.dashboard.browser.steps import BLOCKING, WCAG_22_AA, assert_accessible
from tests.dashboard.signing_in import NAMES
from tests.data.upload_helpers import CAMBS, PBORO, return_bytes

pytestmark = pytest.mark.browser

CODE = "hv-new-birth-visit-14d"
INDICATOR = f"/indicator/{CODE}?area={CAMBS}"


def _latest_period(database_url: str) -> str:
    """The latest quarter held for the indicator in Cambridgeshire: the upload changes that figure."""
    obs = schema.observations
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(
                    sa.select(obs.c.period_label)
                    .where(
                        obs.c.indicator_code == CODE, obs.c.area_code == CAMBS, obs.c.granularity == "quarter"
                    )
                    .order_by(obs.c.period_end.desc())
                )
                .scalars()
                .first()
            )
    finally:
        engine.dispose()


def _open(page, path: str, wait_for: str = "#_pages_content h1") -> None:
    page.goto(path)
    page.wait_for_selector(wait_for)
    page.wait_for_load_state("networkidle")


def _as(page, role: str) -> None:
    """Sign the tab in as the test user with ``role`` (see the browser conftest)."""
    signed_in(page, role)


def test_upload_check_confirm_then_roll_back(page, browser, database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_UPLOAD_DIR", str(tmp_path))
    period = _latest_period(database_url)
    _open(page, INDICATOR, "#indicator-latest-value")
    before = page.locator("#indicator-latest-value").inner_text()
    assert "77.7%" not in before

    _as(page, "officer")
    _open(page, "/upload")
    content = return_bytes(
        [
            [CODE, CAMBS, period, 777, 1000, "", "no", ""],
            [CODE, PBORO, period, 12, 10, "", "no", ""],
            ["no-such-kpi", CAMBS, period, 1, 2, "", "no", ""],
        ]
    )
    page.set_input_files(
        "input[type=file]", files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.wait_for_selector("#upload-counts")
    assert page.locator("#upload-progress").inner_text() == "Sent return.csv (1 KB)."
    assert page.locator("#upload-counts").inner_text() == (
        "1 row will load: 0 new, 1 changes a figure; 2 rows are rejected."
    )
    rejected = page.locator("#upload-rejected tbody tr")
    assert rejected.all_inner_texts() == [
        f"3\tPeterborough\t{period}\tnumerator 12, denominator 10\tcount 12 is more than the denominator 10",
        f"4\tCambridgeshire\t{period}\tnumerator 1, denominator 2\tunknown indicator code 'no-such-kpi'",
    ]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, [(v["id"], [n["target"] for n in v["nodes"]]) for v in blocking]

    other = browser.new_page(base_url=page.url.split("/upload")[0])
    _open(other, INDICATOR, "#indicator-latest-value")
    assert other.locator("#indicator-latest-value").inner_text() == before, "nothing loaded before confirming"

    page.get_by_role("button", name="Load this file").click()
    page.wait_for_selector("#upload-loaded")
    assert "return.csv is loaded: 0 new, 1 changed, 0 unchanged, 2 rejected." in page.inner_text(
        "#upload-loaded"
    )
    _open(other, INDICATOR, "#indicator-latest-value")
    assert "77.7%" in other.locator("#indicator-latest-value").inner_text()

    _as(page, "admin")
    _open(page, "/imports")
    row = page.locator("#imports-table tbody tr").first
    assert "return.csv" in row.inner_text() and NAMES["officer"] in row.inner_text()
    row.get_by_role("button", name="Roll back this import").click()
    page.wait_for_selector("#imports-confirm")
    assert page.locator("#imports-confirm h2").inner_text() == "Roll back the import of return.csv?"
    assert page.locator("#imports-confirm-counts").inner_text() == (
        "This will restore the previous values of 1 figure and remove 0 new figures."
    )
    assert page.locator("#imports-table").is_hidden(), "the history steps aside while the admin decides"
    assert page.evaluate("document.activeElement.textContent") == "Cancel", "the focus moves to the question"
    assert_accessible(page, "the roll-back confirmation")
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_selector("#imports-cancelled")
    _open(other, INDICATOR, "#indicator-latest-value")
    assert "77.7%" in other.locator("#indicator-latest-value").inner_text(), "cancelling changed nothing"

    page.locator("#imports-table tbody tr").first.get_by_role("button", name="Roll back this import").click()
    page.wait_for_selector("#imports-confirm")
    page.get_by_role("button", name="Roll back", exact=True).click()
    page.wait_for_selector("#imports-rolled-back, #imports-error-summary")
    assert page.locator("#imports-error-summary").count() == 0, page.inner_text("#imports-outcome")
    page.get_by_role("link", name="Show the updated history").click()
    page.wait_for_selector("#imports-table")
    assert f"Rolled back by {NAMES['admin']}" in page.locator("#imports-table tbody tr").first.inner_text()
    _open(other, INDICATOR, "#indicator-latest-value")
    assert other.locator("#indicator-latest-value").inner_text() == before
    other.close()


def _menu(page) -> list[str]:
    return page.locator("nav[aria-label='Menu'] a").all_inner_texts()


def test_only_officers_and_administrators_are_offered_loading_and_the_history(page):
    _open(page, "/")
    assert "Load data" not in _menu(page) and "Import history" not in _menu(page), "a public reader"
    _as(page, "viewer")
    _open(page, "/")
    assert "Load data" not in _menu(page) and "Import history" not in _menu(page), "a viewer"
    _open(page, "/upload")
    assert "Only an officer or an administrator can load data" in page.inner_text("main")
    assert page.locator("input[type=file]").count() == 0
    _open(page, "/imports")
    assert "Only an officer or an administrator can see the import history" in page.inner_text("main")
    assert page.locator("#imports-table").count() == 0

    _as(page, "officer")
    _open(page, "/upload")
    menu = _menu(page)
    assert menu[menu.index("Meeting mode") + 1 :][:2] == ["Load data", "Import history"]
    assert page.locator("nav[aria-label='Menu'] a[aria-current='page']").inner_text() == "Load data"
