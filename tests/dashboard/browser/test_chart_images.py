"""Chart images in headless Chromium on the bundled data: "Download the chart (SVG)" and "(PNG)" save the
chart drawn with its headline, subtitle, source line and the date it was made, as text in the image."""

from __future__ import annotations

import datetime as dt
import struct

import pytest

pytestmark = pytest.mark.browser


def _download(page, label: str, tmp_path):
    with page.expect_download() as started:
        page.locator("#chart-trend").get_by_role("button", name=label).click()
    path = tmp_path / started.value.suggested_filename
    started.value.save_as(path)
    return path


def test_a_chart_downloads_as_svg_and_png_with_its_description(page, tmp_path):
    page.goto("/indicator/obesity-reception?area=E10000003")
    page.wait_for_selector("#graph-trend .main-svg")
    headline = page.locator("#chart-trend-headline").inner_text()
    source = page.locator("#chart-trend-source").inner_text()

    svg = _download(page, "Download the chart (SVG)", tmp_path)
    assert svg.name == "obesity-reception-cambridgeshire-trend.svg"
    drawn = svg.read_text(encoding="utf-8")
    words = " ".join(drawn.split())
    assert headline.split(",")[0] in words  # the headline, wrapped over lines
    assert "Reception prevalence of obesity" in words  # the subtitle
    today = dt.date.today()
    assert f"{source} Chart made {today.day} {today:%B %Y}." in words
    assert "Cambridgeshire" in words and "England" in words  # the legend: the chart itself

    png = _download(page, "Download the chart (PNG)", tmp_path)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 720)
