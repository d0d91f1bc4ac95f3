"""The analysis an analyst trusts, in headless Chromium on the bundled data: the inequalities section says the
gap between the most and least deprived and why there is no slope index; fixing the SPC limits on the first
six figures changes the chart's words and keeps the choice in the link. axe-core finds no serious or
critical WCAG 2.2 AA failure on either view.

Cambridgeshire's Year 6 obesity over 2020/21 - 24/25 by deprivation quintile (bundled, Fingertips): 28.0% in
the most deprived, 13.2% in the least, no populations; Cambridgeshire's 2-year reviews (bundled illustrative
figures): eighteen quarters.
"""

from __future__ import annotations

import pytest

from tests.dashboard.browser.steps import assert_accessible, screenshot_fits

pytestmark = pytest.mark.browser

CAMBRIDGESHIRE = "E10000003"


def test_the_inequalities_section_gives_the_gap_and_the_slope_index_sentence(page, screenshot_dir):
    page.goto(f"/indicator/obesity-year6-5yr?area={CAMBRIDGESHIRE}")
    page.wait_for_selector("#graph-inequalities-deprivation-quintile .js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")
    gap = page.locator("#inequalities-deprivation-quintile-gap").inner_text()
    assert "28.0% in the most deprived quintile and 13.2% in the least deprived quintile" in gap
    assert gap.endswith("14.8 percentage points higher in the most deprived.")
    assert page.locator("#inequalities-deprivation-quintile-sii").inner_text() == (
        "The slope index of inequality is not shown: it needs the population of each group, which the "
        "figures held do not give."
    )
    page.locator("#inequalities").scroll_into_view_if_needed()
    screenshot_fits(page, screenshot_dir, "analysis-inequalities.png")
    assert_accessible(page, "inequalities")


def test_fixing_the_limits_on_a_baseline_changes_the_chart_words(page, screenshot_dir):
    page.goto(f"/indicator/hv-2-year-review?area={CAMBRIDGESHIRE}&view=spc")
    page.wait_for_selector("#graph-spc .js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")
    assert page.locator("#spc-baseline").count() == 0
    before = page.locator("#chart-spc-subtitle").inner_text()
    page.get_by_role("link", name="the first 6 figures").click()
    page.wait_for_selector("#spc-baseline")
    page.wait_for_selector("#graph-spc .js-plotly-plot .main-svg")
    assert "baseline=6" in page.url
    words = page.locator("#spc-baseline").inner_text()
    assert words.startswith("Limits fixed on the first 6 figures (")
    assert words.endswith("The scorecard works the limits out from all 18 figures.")
    subtitle = page.locator("#chart-spc-subtitle").inner_text()
    assert subtitle != before and subtitle.endswith("Q2; limits fixed on the first 6 figures.")
    assert "from 6 figures" in page.locator("#spc-trial-limits").inner_text()
    screenshot_fits(page, screenshot_dir, "analysis-spc-baseline.png")
    assert_accessible(page, "SPC with a baseline")
