"""The indicator page's table says in words which figures carry a data quality flag and which limits this
dashboard calculated, and the trend chart rings the flagged figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.components.charts.trend import trend_data, trend_figure

ENGLAND = "E92000001"
INDICATOR = {
    "code": "children-relative-low-income",
    "short_name": "Children in relative low income",
    "unit": "%",
}
NOTE = "value 16.1 is outside its published 95% interval 16.1028 to 16.166 (within rounding of the value)"


def _series() -> pd.DataFrame:
    """England's figures: 2021/22 with limits calculated here, 2022/23 as published and flagged."""
    return pd.DataFrame(
        {
            "area_code": [ENGLAND, ENGLAND],
            "period_label": ["2021/22", "2022/23"],
            "period_start": [dt.date(2021, 4, 1), dt.date(2022, 4, 1)],
            "period_end": [dt.date(2022, 3, 31), dt.date(2023, 3, 31)],
            "value": [18.5, 16.1],
            "lower95": [18.4, 16.1028],
            "upper95": [18.6, 16.166],
            "count": [None, None],
            "denominator": [None, None],
            "provisional": [False, False],
            "value_note": ["", ""],
            "quality_note": [None, NOTE],
            "limits_source": ["calculated", "published"],
        }
    )


def test_the_table_gives_the_flag_and_the_limits_source_in_words():
    frame = trend_data(
        _series(), INDICATOR, ENGLAND, {ENGLAND: "England"}, benchmarks=(), targets=None, ci=True
    )
    assert frame["Data quality"].tolist() == ["", NOTE]
    assert frame["95% limits"].tolist() == ["Calculated by this dashboard", "Published"]


def test_the_chart_rings_the_flagged_figure():
    frame = trend_data(
        _series(), INDICATOR, ENGLAND, {ENGLAND: "England"}, benchmarks=(), targets=None, ci=True
    )
    [ring] = [t for t in trend_figure(frame, INDICATOR, "England")["data"] if t.get("meta") == "quality-flag"]
    assert list(ring["y"]) == [16.1] and len(ring["x"]) == 1


def test_a_series_without_flags_or_calculated_limits_adds_no_columns():
    series = _series().assign(quality_note=None, limits_source="published")
    frame = trend_data(series, INDICATOR, ENGLAND, {ENGLAND: "England"}, benchmarks=(), targets=None, ci=True)
    assert "Data quality" not in frame and "95% limits" not in frame
