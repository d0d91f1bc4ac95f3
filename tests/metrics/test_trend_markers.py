"""Recent-trend markers against the PHEindicatormethods add_trend_markers test workbook.

The workbook's Significance and Gradient columns hold values rounded to 4 decimal places (its
own tests round to 4 places before comparing), so results are rounded to 4 places and then
compared with a relative tolerance of 1e-5.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics import trend

WORKBOOK = (
    Path(__file__).parents[1]
    / "reference"
    / "PHEindicatormethods-dhsc-trend-markers"
    / "testdata_trend_markers.xlsx"
)
SHEETS = pd.read_excel(WORKBOOK, sheet_name=None)
PROPORTION_SHEETS = ("testdata_prop_trends", "testdata_prop_grouped")
REASONS = {"duplicate years in group": "duplicate periods"}


def _figures(sheet_name: str, rows: pd.DataFrame) -> dict[str, pd.Series]:
    if sheet_name in PROPORTION_SHEETS:
        return {"numerators": rows.Count, "denominators": rows.denominator}
    return {"values": rows.Value, "lower95": rows.LL, "upper95": rows.UL}


def _series_cases() -> list:
    """One case per series: each sheet, split by Ethnicity where the sheet is grouped."""
    cases = []
    for name, sheet in SHEETS.items():
        groups = sheet.groupby("Ethnicity", sort=False) if "Ethnicity" in sheet else [("all", sheet)]
        cases += [pytest.param(name, rows, id=f"{name}-{group}") for group, rows in groups]
    return cases


def _assert_rounded(actual: float, expected: float) -> None:
    if pd.isna(expected):
        assert math.isnan(actual)
    else:
        assert round(actual, 4) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(("sheet_name", "rows"), _series_cases())
def test_matches_workbook(sheet_name: str, rows: pd.DataFrame) -> None:
    expected = rows.iloc[-1]
    result = trend.recent_trend(polarity="no_judgement", periods=rows.Year, **_figures(sheet_name, rows))
    assert result.label == expected.recent_trend.lower()
    reason = expected.recent_trend_reason.lower()
    assert result.reason == REASONS.get(reason, reason)
    _assert_rounded(result.chi2, expected.Significance)
    _assert_rounded(result.gradient, expected.Gradient)


def test_only_the_last_row_of_each_series_carries_the_marker() -> None:
    """Guards the reading of the workbook above: earlier rows have no expected values."""
    for sheet in SHEETS.values():
        groups = sheet.groupby("Ethnicity") if "Ethnicity" in sheet else [(None, sheet)]
        for _, rows in groups:
            assert rows.iloc[:-1].recent_trend.isna().all()
            assert not pd.isna(rows.iloc[-1].recent_trend)


@pytest.mark.parametrize(
    ("sheet_name", "figures"),
    [
        ("testdata_prop_grouped", {"numerator": "Count", "denominator": "denominator"}),
        ("testdata_other_grouped", {"value": "Value", "lower95": "LL", "upper95": "UL"}),
    ],
)
def test_grouped_helper_matches_workbook(sheet_name: str, figures: dict[str, str]) -> None:
    sheet = SHEETS[sheet_name]
    table = trend.recent_trends(sheet, by="Ethnicity", period="Year", polarity="no_judgement", **figures)
    expected = sheet.groupby("Ethnicity", sort=False).tail(1).reset_index(drop=True)
    assert list(table.Ethnicity) == list(expected.Ethnicity)
    assert list(table.label) == list(expected.recent_trend.str.lower())
    np.testing.assert_allclose(table.chi2.round(4), expected.Significance, rtol=1e-5, equal_nan=True)
    np.testing.assert_allclose(table.gradient.round(4), expected.Gradient, rtol=1e-5, equal_nan=True)


def test_period_spacing_is_not_used() -> None:
    """'Other ethnic group' has no 2015: the workbook's 47.3463 treats the five years as equally spaced."""
    rows = SHEETS["testdata_prop_grouped"].query("Ethnicity == 'Other ethnic group'")
    spaced = trend.recent_trend(
        polarity="no_judgement", periods=rows.Year, numerators=rows.Count, denominators=rows.denominator
    )
    unlabelled = trend.recent_trend(
        polarity="no_judgement", numerators=rows.Count, denominators=rows.denominator
    )
    assert round(spaced.chi2, 4) == 47.3463
    assert spaced == unlabelled


# Polarity -------------------------------------------------------------------------------

PROP = SHEETS["testdata_prop_trends"]  # significant decrease
RISING = SHEETS["testdata_other_grouped"].query("Ethnicity.str.startswith('Black')")  # significant rise


@pytest.mark.parametrize(
    ("polarity", "falling", "rising"),
    [
        ("higher_is_better", "decreasing and getting worse", "increasing and getting better"),
        ("lower_is_better", "decreasing and getting better", "increasing and getting worse"),
        ("no_judgement", "decreasing", "increasing"),
    ],
)
def test_polarity_words(polarity: str, falling: str, rising: str) -> None:
    assert (
        trend.recent_trend(polarity=polarity, numerators=PROP.Count, denominators=PROP.denominator).label
        == falling
    )
    assert (
        trend.recent_trend(polarity=polarity, values=RISING.Value, lower95=RISING.LL, upper95=RISING.UL).label
        == rising
    )


# Series handling ---------------------------------------------------------------------------

OTHER_6 = SHEETS["testdata_other_6"]


def _other(rows: pd.DataFrame, **changes) -> trend.TrendResult:
    figures = {"values": rows.Value.to_numpy(), "lower95": rows.LL.to_numpy(), "upper95": rows.UL.to_numpy()}
    return trend.recent_trend(polarity="no_judgement", **(figures | changes))


def test_fewer_than_five_points_cannot_be_calculated() -> None:
    result = _other(OTHER_6.tail(4))
    assert (result.label, result.reason) == ("cannot be calculated", "not enough data points")
    assert math.isnan(result.chi2) and math.isnan(result.gradient)


def test_six_points_use_the_latest_five_only() -> None:
    values = OTHER_6.Value.to_numpy(dtype=float).copy()
    values[0] = np.nan  # a gap before the latest five does not matter
    result = _other(OTHER_6, values=values)
    assert result == _other(OTHER_6.tail(5))
    assert round(result.chi2, 4) == 0.7433


def test_missing_value_in_latest_five_cannot_be_calculated() -> None:
    values = OTHER_6.Value.to_numpy(dtype=float).copy()
    values[3] = np.nan
    assert _other(OTHER_6, values=values).reason == "missing values"
    result = trend.recent_trend(
        polarity="no_judgement", numerators=[10, None, 12, 13, 14], denominators=[100] * 5
    )
    assert (result.label, result.reason) == ("cannot be calculated", "missing values")


def test_periods_put_the_points_in_order() -> None:
    shuffled = PROP.sample(frac=1, random_state=3)
    result = trend.recent_trend(
        polarity="no_judgement",
        periods=shuffled.Year,
        numerators=shuffled.Count,
        denominators=shuffled.denominator,
    )
    assert round(result.chi2, 4) == 12.5688
    assert round(result.gradient, 4) == -0.1062


def test_duplicate_periods_cannot_be_calculated() -> None:
    result = trend.recent_trend(
        polarity="no_judgement",
        periods=[2019, 2020, 2021, 2021, 2022],
        numerators=[1, 2, 3, 4, 5],
        denominators=[10] * 5,
    )
    assert (result.label, result.reason) == ("cannot be calculated", "duplicate periods")


def test_single_point_driving_the_trend_is_not_a_trend() -> None:
    """Flat then one jump: significant, but leaving out the jump gives a slope of 0, which disagrees."""
    result = trend.recent_trend(
        polarity="higher_is_better",
        values=[10, 10, 10, 10, 20],
        lower95=[9.9] * 4 + [19.9],
        upper95=[10.1] * 4 + [20.1],
    )
    assert result.chi2 > trend.SIGNIFICANCE
    assert (result.label, result.reason) == ("no significant change", "outlier found")


def test_gradient_is_per_period_for_other_indicators() -> None:
    result = trend.recent_trend(
        polarity="no_judgement",
        values=[1, 2, 3, 4, 5],
        lower95=[0.9, 1.9, 2.9, 3.9, 4.9],
        upper95=[1.1, 2.1, 3.1, 4.1, 5.1],
    )
    assert result.gradient == pytest.approx(1.0)
    assert result.label == "increasing"


def test_proportion_of_zero_cannot_give_a_logit_gradient() -> None:
    result = trend.recent_trend(polarity="no_judgement", numerators=[0, 5, 10, 15, 20], denominators=[20] * 5)
    assert result.label == "cannot be calculated"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"polarity": "up_is_good", "numerators": [1] * 5, "denominators": [2] * 5},
        {"polarity": "no_judgement", "values": [1] * 5},
        {"polarity": "no_judgement", "numerators": [1] * 5, "denominators": [2] * 4},
    ],
)
def test_bad_calls_raise(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"polarity must be one|give numerators|same length"):
        trend.recent_trend(**kwargs)
