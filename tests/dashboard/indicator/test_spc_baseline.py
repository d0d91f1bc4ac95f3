"""Fixing the SPC limits on the first figures of each phase (``baseline`` in the link) on the indicator page.

Huntingdonshire's new birth visits (see :mod:`.support`): twelve quarters, 87% to 89% with 99% in 2022/23 Q3.
Limits from all twelve are about 85.3% to 92.4%; fixed on the first six (87, 89, 88, 87, 89, 88: mean 88,
mean moving range 1.4) they are 88 -/+ 2.66 x 1.4 = 84.276% to 91.724%, trial limits from six figures.
"""

from __future__ import annotations

import pytest

from tests.dashboard.indicator.support import (
    HUNTINGDONSHIRE,
    by_id,
    find_all,
    press_download,
    render_page,
    table_rows,
    text_of,
)

CODE = "hv-new-birth-visit-14d"


def _page(app, **query):
    return render_page(app, CODE, area=HUNTINGDONSHIRE, view="spc", **query)


def _links(page) -> dict[str, str]:
    control = by_id(page, "spc-baseline-control")
    return {text_of(link): link.href for link in find_all(control, lambda c: hasattr(c, "href"))}


def test_the_control_offers_baselines_shorter_than_the_phase_and_every_figure_is_the_default(app):
    page = _page(app)
    assert text_of(by_id(page, "spc-baseline-control")) == (
        "Work out the process limits of each phase from: every figure (shown) the first 6 figures"
    )
    assert _links(page) == {
        "the first 6 figures": f"/indicator/{CODE}?area={HUNTINGDONSHIRE}&baseline=6&view=spc"
    }
    assert not find_all(page, lambda c: getattr(c, "id", None) == "spc-baseline")


def test_a_baseline_fixes_the_limits_and_the_chart_says_so(app, client):
    page = _page(app, baseline="6")
    words = text_of(by_id(page, "spc-baseline"))
    assert words == (
        "Limits fixed on the first 6 figures (2021/22 Q1 to 2022/23 Q2) and extended to the later figures, "
        "which are judged against them. The scorecard works the limits out from all 12 figures."
    )
    subtitle = text_of(by_id(page, "chart-spc-subtitle"))
    assert subtitle.endswith("2023/24 Q4; limits fixed on the first 6 figures.")
    assert "The limits are from 6 figures" in text_of(by_id(page, "spc-trial-limits"))
    assert words in by_id(page, "chart-spc-figure").to_plotly_json()["props"]["aria-label"]
    rows = table_rows(page, "table-spc")
    assert {(row[3], row[4]) for row in rows} == {("84.3%", "91.7%")}
    assert _links(page)["every figure"] == f"/indicator/{CODE}?area={HUNTINGDONSHIRE}&view=spc"
    _, sent = press_download(
        client, "spc", {"code": CODE, "area": HUNTINGDONSHIRE, "view": "spc", "ci": "on", "baseline": "6"}
    )
    assert {round(float(row["Lower process limit"]), 3) for row in sent} == {84.276}


def test_without_a_baseline_the_limits_come_from_every_figure(app):
    rows = table_rows(_page(app), "table-spc")
    assert {(row[3], row[4]) for row in rows} == {("85.3%", "92.4%")}


def test_a_baseline_longer_than_the_phase_uses_every_figure_and_says_so(app):
    page = _page(app, baseline="50")
    assert text_of(by_id(page, "spc-baseline")) == (
        "The limits are to be fixed on the first 50 figures, but there are only 12 since 2021/22 Q1, so "
        "every one is used, as the scorecard does."
    )


@pytest.mark.parametrize("bad", ["1", "six", "0"])
def test_a_baseline_that_is_not_a_whole_number_from_2_is_ignored_and_reported(app, bad):
    page = _page(app, baseline=bad)
    assert bad in text_of(by_id(page, "indicator-ignored"))
    assert not find_all(page, lambda c: getattr(c, "id", None) == "spc-baseline")
