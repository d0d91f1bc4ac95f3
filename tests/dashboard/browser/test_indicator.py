"""The indicator page in headless Chromium on the bundled data: open an indicator for an area, choose another
area, hide the confidence interval, switch to SPC, download the CSV, axe-core, and screenshots at desktop and
projector sizes."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from data.exports import csv_table_lines
from tests.dashboard.browser.conftest import DESKTOP, PROJECTOR
from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

VISITS = "/indicator/hv-new-birth-visit-14d?area=E10000003"
SELF_HARM = "/indicator/self-harm-admissions-10-24?area=E10000003"
OBESITY = "/indicator/obesity-reception?area=E07000010"
TRACE_NAMES = "id => [...document.querySelector(`#${id} .js-plotly-plot`).data].map(t => t.name)"


def _open(page, path: str, graph: str | None = "graph-trend") -> None:
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    if graph:
        page.wait_for_selector(f"#{graph} .js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")


def _traces(page, graph: str) -> list[str]:
    return page.evaluate(TRACE_NAMES, graph)


def test_open_an_indicator_for_an_area_and_choose_another(page, base_url):
    _open(page, SELF_HARM)
    assert page.title() == "Self-harm admissions (10-24) – Healthy Child Programme outcomes"
    assert page.locator("h1").inner_text() == "Hospital admissions as a result of self-harm (10-24 years)"
    sentence = page.locator("#indicator-summary-sentence").inner_text()
    assert sentence.startswith("In 2017/18, Cambridgeshire\u2019s figure for")
    assert "significantly worse than England (421.2 per 100,000)" in sentence
    assert "Worse than England" in page.locator("#summary-england").inner_text()
    assert "Cambridgeshire" in _traces(page, "graph-trend") and "England" in _traces(page, "graph-trend")
    page.locator("#area-choice").get_by_role("link", name="Peterborough", exact=True).click()
    page.wait_for_url(base_url + "/indicator/self-harm-admissions-10-24?area=E06000031")
    page.wait_for_function("document.querySelector('#indicator-area-caption').textContent === 'Peterborough'")
    page.wait_for_selector("#graph-trend .js-plotly-plot .main-svg")
    assert "Peterborough" in _traces(page, "graph-trend")
    assert (
        page.locator("#area-E06000031").text_content() == "Peterborough (shown)"
    )  # marked in words, not a link
    assert page.locator("#area-choice a#area-E06000031").count() == 0


def test_hide_the_confidence_interval_and_the_band_disappears(page, base_url):
    _open(page, VISITS)
    assert "95% confidence interval" in _traces(page, "graph-trend")
    assert page.locator("#graph-trend path.js-fill").count() >= 1  # the band is drawn
    toggle = page.locator("#ci-toggle")
    assert toggle.inner_text() == "Hide the 95% confidence interval"
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + VISITS + "&ci=off")
    page.wait_for_function("document.querySelector('#ci-toggle').textContent.startsWith('Show')")
    page.wait_for_selector("#graph-trend .js-plotly-plot .main-svg")
    assert "95% confidence interval" not in _traces(page, "graph-trend")
    assert page.locator("#graph-trend path.js-fill").count() == 0
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'ci-toggle'"
    )  # place kept
    page.locator("#ci-toggle").click()
    page.wait_for_url(base_url + VISITS)
    page.wait_for_function("document.querySelector('#ci-toggle').textContent.startsWith('Hide')")
    page.wait_for_function(f"({TRACE_NAMES})('graph-trend').includes('95% confidence interval')")


def test_switch_to_spc(page, base_url):
    _open(page, VISITS)
    page.locator("#view-spc").click()
    page.wait_for_url(base_url + VISITS + "&view=spc")
    page.wait_for_selector("#graph-spc .js-plotly-plot .main-svg")
    names = _traces(page, "graph-spc")
    assert {"Mean", "Process limits", "Target", "Special cause — concern"} <= set(names)
    statuses = page.locator("#spc-statuses").inner_text()
    assert "Common cause — no significant change" in statuses and "Hit and miss" in statuses
    assert page.locator("#view-spc").text_content() == "Statistical process control (SPC) (shown)"
    concern = page.evaluate(
        "[...document.querySelector('#graph-spc .js-plotly-plot').data]"
        ".find(t => t.name === 'Special cause — concern').marker.color"
    )
    assert concern == "#e46c0a"


def test_download_the_csv_and_check_its_rows(page, tmp_path):
    _open(page, VISITS)
    plotted = page.evaluate(
        "[...document.querySelector('#graph-trend .js-plotly-plot').data]"
        ".find(t => t.name === 'Cambridgeshire').y.filter(y => y !== null)"
    )
    with page.expect_download() as download_info:
        page.locator("#chart-trend").get_by_role("button", name="Download the figures (CSV, 18 rows)").click()
    download = download_info.value
    assert download.suggested_filename == "hv-new-birth-visit-14d-cambridgeshire-trend.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title,") and "\nArea,Cambridgeshire\n" in text
    rows = list(csv.DictReader(csv_table_lines(text)))
    assert len(rows) == 18
    assert rows[0]["Period"] == "2021/22 Q1" and rows[-1]["Period"] == "2025/26 Q2"
    assert [float(r["Cambridgeshire"]) for r in rows] == pytest.approx(plotted)
    assert rows[-1]["Provisional"] == "Yes"
    assert {r["Note"] for r in rows} == {"Illustrative figures, not real provider data"}
    assert {r["Target"] for r in rows[:16]} == {"90.0"} and {r["Target"] for r in rows[16:]} == {"92.0"}


def test_the_map_draws_without_fetching_anything(page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    _open(page, OBESITY, graph="graph-map")
    # The first layer fills the six areas; a second layer draws the outline of the area shown.
    fills = page.locator("#graph-map g.trace.choropleth").first.locator("path.choroplethlocation")
    expect(fills).to_have_count(6)
    legend = page.locator("#graph-map .legend").text_content()
    assert (
        "Better than England" in legend and "Similar to England" in legend and "Fenland (outlined)" in legend
    )
    outside = [url for url in requests if not url.startswith(page.url.split("/indicator")[0])]
    assert not outside, f"the page fetched from elsewhere: {outside}"


def test_an_area_without_figures_links_to_the_nearest(page, base_url):
    _open(page, "/indicator/hv-new-birth-visit-14d?area=E07000010", graph=None)
    assert page.locator("#indicator-empty").inner_text() == (
        "No data for Fenland for this indicator; nearest is Cambridgeshire."
    )
    assert page.locator("#graph-trend").count() == 0
    page.locator("#indicator-nearest-link").click()
    page.wait_for_url(base_url + VISITS)
    page.wait_for_selector("#graph-trend .js-plotly-plot .main-svg")


def test_an_unknown_indicator_says_not_found(page):
    _open(page, "/indicator/no-such-indicator", graph=None)
    assert page.title() == "Indicator not found – Healthy Child Programme outcomes"
    assert page.locator("h1").inner_text() == "Indicator not found"


@pytest.mark.parametrize(
    "path",
    [
        VISITS,
        VISITS + "&view=spc",
        OBESITY,
        "/indicator/obesity-reception-5yr?area=E10000003",
        "/indicator/no-such-indicator",
    ],
)
def test_no_serious_or_critical_accessibility_failures(page, path):
    graph = (
        "graph-spc"
        if "view=spc" in path
        else ("graph-trend" if "5yr" not in path and "no-such" not in path else None)
    )
    _open(page, path, graph=graph)
    assert_accessible(page, path)


def test_chart_text_is_at_least_14_pixels(page):
    _open(page, OBESITY, graph="graph-map")
    sizes = page.evaluate(
        "[...document.querySelectorAll('.js-plotly-plot text')].filter(t => t.textContent.trim())"
        ".map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert sizes and min(sizes) >= 14


@pytest.mark.parametrize("viewport", [DESKTOP, PROJECTOR], ids=["1280", "1920"])
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("indicator-trend", SELF_HARM),
        ("indicator-spc", VISITS + "&view=spc"),
        ("indicator-districts", OBESITY),
    ],
)
def test_screenshots(browser, base_url, screenshot_dir, name, path, viewport):
    """Full-page screenshots for a person to look at; also checks nothing overflows sideways."""
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="en-GB")
    page = context.new_page()
    try:
        _open(page, path, graph="graph-spc" if "spc" in name else "graph-trend")
        page.wait_for_selector("#graph-map .js-plotly-plot .main-svg")
        screenshot_fits(page, screenshot_dir, f"{name}-{viewport['width']}.png")
    finally:
        context.close()
