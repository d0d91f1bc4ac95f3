"""Printing in headless Chromium on the bundled data: the scorecard, an indicator page and the payment page
laid out at the width of an A4 page (what the browser's print does) keep every column, the scorecard's
process chart (SPC) column included, and every chart, inside the page; navigation and filters are left off.
Each is also printed to an A4 PDF for a person to look at."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

A4_CONTENT = {"width": 703, "height": 1000}
"""A4 less the 12 mm side margins of print.css (186 mm), in CSS pixels."""

PAGES = [
    ("scorecard", "/?area=E10000003", "Statistical process control"),
    ("indicator", "/indicator/hv-new-birth-visit-14d?area=E10000003", "Over time"),
    ("payment", "/payment", "Earned so far"),
]

OUTSIDE = """() => {
    const width = document.documentElement.clientWidth;
    const cut = [];
    for (const element of document.querySelectorAll('table, th, td, .js-plotly-plot, .main-svg, h1, h2, p')) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 1) {
            const name = element.className.baseVal ?? element.className;
            cut.push(`${element.tagName.toLowerCase()}#${element.id || ''}.${name}`
                + ` right edge ${Math.round(box.right)} > ${width}`);
        }
    }
    const hidden = ['#service-navigation', '#scorecard-filters'].filter((s) => {
        const el = document.querySelector(s);
        return el && el.getBoundingClientRect().height > 0;
    });
    return {cut: cut.slice(0, 5), shown: hidden, page: document.documentElement.scrollWidth - width};
}"""


@pytest.mark.parametrize(("name", "path", "column"), PAGES)
def test_a_printed_page_fits_a4_with_no_column_cut(page, screenshot_dir, name, path, column):
    page.goto(path)
    page.wait_for_selector("#_pages_content h1")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    page.set_viewport_size(A4_CONTENT)
    page.wait_for_timeout(500)
    assert page.evaluate(OUTSIDE) == {"cut": [], "shown": [], "page": 0}
    assert column in page.locator("#main-content").inner_text()
    page.pdf(path=str(screenshot_dir / f"print-{name}.pdf"), format="A4", print_background=True)
