"""Wilson and Poisson/Byar's confidence intervals against the PHEindicatormethods test workbooks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics import stats

REFERENCE = Path(__file__).parents[1] / "reference" / "PHEindicatormethods"
REL = 1e-5

PROPORTION = pd.read_excel(REFERENCE / "testdata_Proportion.xlsx", sheet_name=None)
RATE = pd.read_excel(REFERENCE / "testdata_Rate.xlsx", sheet_name=None)
HELPERS = pd.read_excel(REFERENCE / "testdata_Byars_Wilson.xlsx").dropna(how="all")


def _by_level(sheet: pd.DataFrame, name: str) -> list:
    """One case per row and confidence level of a sheet with lower95_0cl ... upper99_8cl columns."""
    return [
        pytest.param(
            row,
            confidence,
            row[f"lower{level}cl"],
            row[f"upper{level}cl"],
            id=f"{name}-{row.Area}-{row.statistic}-{level}",
        )
        for _, row in sheet.iterrows()
        for level, confidence in (("95_0", 0.95), ("99_8", 0.998))
    ]


def _grouped(sheet: pd.DataFrame, name: str) -> list:
    """One case per row of a grouped sheet (95% only, lowercl/uppercl columns)."""
    return [
        pytest.param(row, 0.95, row.lowercl, row.uppercl, id=f"{name}-{row.Area}")
        for _, row in sheet.iterrows()
    ]


def _assert_limits(actual: tuple[float, float], lower: float, upper: float) -> None:
    for got, expected in zip(actual, (lower, upper), strict=True):
        if pd.isna(expected):
            assert math.isnan(got)
        else:
            assert got == pytest.approx(expected, rel=REL)


PROPORTION_CASES = _by_level(PROPORTION["testdata_Prop"], "Prop") + _grouped(
    PROPORTION["testdata_Prop_g"], "Prop_g"
)
RATE_CASES = _by_level(RATE["testdata_Rate"], "Rate") + _grouped(RATE["testdata_Rate_g"], "Rate_g")


@pytest.mark.parametrize(("row", "confidence", "lower", "upper"), PROPORTION_CASES)
def test_wilson_matches_workbook(row: pd.Series, confidence: float, lower: float, upper: float) -> None:
    actual = stats.proportion_ci(
        row.Numerator, row.Denominator, confidence=confidence, multiplier=row.multiplier
    )
    _assert_limits(actual, lower, upper)


@pytest.mark.parametrize(("row", "confidence", "lower", "upper"), RATE_CASES)
def test_rate_matches_workbook(row: pd.Series, confidence: float, lower: float, upper: float) -> None:
    actual = stats.rate_ci(row.Numerator, row.Denominator, confidence=confidence, multiplier=row.multiplier)
    _assert_limits(actual, lower, upper)


RATE_METHOD_CASES = [c for c in RATE_CASES if not pd.isna(c.values[0].Numerator * c.values[0].Denominator)]


@pytest.mark.parametrize(("row", "confidence", "lower", "upper"), RATE_METHOD_CASES)
def test_rate_uses_the_workbook_method(row: pd.Series, confidence: float, lower: float, upper: float) -> None:
    """Exact below 10 events and Byar's from 10, as the workbook's method column says."""
    method = stats.exact_poisson_limits if row.method == "Exact" else stats.byars_limits
    counts = method([row.Numerator], confidence)
    scale = row.multiplier / row.Denominator
    _assert_limits((counts[0][0] * scale, counts[1][0] * scale), lower, upper)
    assert (row.Numerator < stats.EXACT_BELOW) == (row.method == "Exact")


@pytest.mark.parametrize(
    ("sheet", "compute"),
    [
        pytest.param(PROPORTION["testdata_Prop"], stats.proportion_ci_arrays, id="Prop"),
        pytest.param(RATE["testdata_Rate"], stats.rate_ci_arrays, id="Rate"),
    ],
)
@pytest.mark.parametrize(("level", "confidence"), [("95_0", 0.95), ("99_8", 0.998)])
def test_array_form_computes_a_whole_sheet_at_once(sheet, compute, level, confidence) -> None:
    lower, upper = compute(
        sheet.Numerator, sheet.Denominator, confidence=confidence, multiplier=sheet.multiplier.to_numpy()
    )
    np.testing.assert_allclose(lower, sheet[f"lower{level}cl"], rtol=REL, equal_nan=True)
    np.testing.assert_allclose(upper, sheet[f"upper{level}cl"], rtol=REL, equal_nan=True)


HELPER_CASES = [
    pytest.param(row, id=f"{row.method}-{row.x}-{row.n}-{row.confidence}") for _, row in HELPERS.iterrows()
]


@pytest.mark.parametrize("row", HELPER_CASES)
def test_internal_helpers_match_byars_wilson_sheet(row: pd.Series) -> None:
    """Byar's here is applied even at x = 1, and its negative 99.8% lower limit is NaN."""
    confidence = float(row.confidence.rstrip("%")) / 100
    if row.method == "Byars":
        lower, upper = stats.byars_limits([row.x], confidence)
    else:
        lower, upper = stats.wilson_limits([row.x], [row.n], confidence)
    _assert_limits((lower[0], upper[0]), row.lowercl, row.uppercl)


# Edge cases with known answers -------------------------------------------------------------

Z95 = 1.959963984540054


def test_zero_count_rate_has_lower_limit_zero() -> None:
    lower, upper = stats.rate_ci(0, 100, multiplier=100)
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)  # exact upper for 0 events: 3.689


def test_zero_of_n_proportion() -> None:
    lower, upper = stats.proportion_ci(0, 10)
    assert lower == 0.0
    assert upper == pytest.approx(100 * Z95**2 / (10 + Z95**2), rel=1e-12)  # 27.75%


def test_n_of_n_proportion() -> None:
    lower, upper = stats.proportion_ci(10, 10)
    assert lower == pytest.approx(100 * 10 / (10 + Z95**2), rel=1e-12)  # 72.25%
    assert upper == 100.0


@pytest.mark.parametrize(("numerator", "denominator"), [(11, 10), (-1, 10), (1, 0)])
def test_impossible_proportion_raises(numerator: float, denominator: float) -> None:
    with pytest.raises(ValueError, match="numerator"):
        stats.proportion_ci(numerator, denominator)


@pytest.mark.parametrize(("count", "denominator"), [(-1, 10), (1, 0), (1, -5)])
def test_impossible_rate_raises(count: float, denominator: float) -> None:
    with pytest.raises(ValueError, match="count must be >= 0 and denominator > 0"):
        stats.rate_ci(count, denominator)


def test_array_forms_give_nan_instead_of_raising() -> None:
    lower, upper = stats.proportion_ci_arrays([11, -1, 1, None, 5], [10, 10, 0, 10, 10])
    assert np.isnan(lower[:4]).all() and np.isnan(upper[:4]).all()
    assert lower[4] == pytest.approx(stats.proportion_ci(5, 10)[0])
    lower, upper = stats.rate_ci_arrays(pd.Series([-1, 1, pd.NA, 3], dtype="Int64"), [10, 0, 10, 10])
    assert np.isnan(lower[:3]).all() and np.isnan(upper[:3]).all()
    assert upper[3] == pytest.approx(stats.rate_ci(3, 10)[1])


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA])
def test_scalar_forms_give_nan_for_missing_input(missing) -> None:
    assert all(math.isnan(v) for v in stats.proportion_ci(missing, 10))
    assert all(math.isnan(v) for v in stats.rate_ci(5, missing))


def test_exact_method_below_ten_byars_from_ten() -> None:
    exact = stats.exact_poisson_limits([9])
    assert stats.rate_ci(9, 1, multiplier=1) == pytest.approx((exact[0][0], exact[1][0]))
    byars = stats.byars_limits([10])
    assert stats.rate_ci(10, 1, multiplier=1) == pytest.approx((byars[0][0], byars[1][0]))


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.5])
def test_confidence_must_be_a_fraction(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence must be a fraction between 0 and 1"):
        stats.proportion_ci(1, 10, confidence=confidence)
