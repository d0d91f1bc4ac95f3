"""XmR charts against values transcribed from NHSRplotthedots, and the Making Data Count rules.

The vignette's limits are printed to 2 decimal places, so those rows are compared after rounding
to 2 places; the testthat snapshot values (7 significant figures) are compared with a relative
tolerance of 1e-5.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics import spc

TRANSCRIBED = pd.read_csv(
    Path(__file__).parents[1] / "reference" / "NHSRplotthedots" / "spc_expected_transcribed.csv"
)


def _values(row: pd.Series) -> list[float]:
    return [float(v) for v in row["values"].split(";")]


def _chart(row: pd.Series, **options) -> spc.SpcResult:
    return spc.xmr(_values(row), screen_outliers=row.screen_outliers, **options)


def _special(result: spc.SpcResult) -> dict[int, str]:
    """Special-cause points by 1-based position, as the reference numbers them."""
    return {i + 1: t for i, t in enumerate(result.point_types) if t != "common_cause"}


ROWS = [
    pytest.param(row, id=f"{row.series_id}-screen_{row.screen_outliers}") for _, row in TRANSCRIBED.iterrows()
]


@pytest.mark.parametrize("row", [r for r in ROWS if not pd.isna(r.values[0].expected_mean)])
def test_limits_match_reference(row: pd.Series) -> None:
    result = _chart(row)
    assert len(_values(row)) == row.n_points == len(result.point_types)
    actual = (result.mean, result.lpl, result.upl)
    expected = (row.expected_mean, row.expected_lpl, row.expected_upl)
    if row.series_id.startswith("vignette"):
        assert tuple(round(v, 2) for v in actual) == pytest.approx(expected, abs=1e-9)
    else:
        assert actual == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("row", [r for r in ROWS if r.values[0].series_id == "vignette_deviations"])
def test_vignette_point_5_is_special_cause(row: pd.Series) -> None:
    assert _special(_chart(row, improvement="increase")) == {5: "special_cause_improvement"}
    assert _special(_chart(row, improvement="decrease")) == {5: "special_cause_concern"}


def test_snapshot_r1_has_no_point_outside_the_limits() -> None:
    row = TRANSCRIBED.set_index("series_id").loc["snapshot_r1_rnorm_seed123"]
    result = spc.xmr(_values(row))
    assert all(result.lpl <= v <= result.upl for v in _values(row))


def test_near_limit_points_on_opposite_sides_are_not_two_in_three() -> None:
    row = TRANSCRIBED.set_index("series_id").loc["two_opposite_sides_not_2of3"]
    assert spc.xmr(_values(row)).point_types[14:16] == ("common_cause", "common_cause")


# Runs -----------------------------------------------------------------------------------------

SIX_ABOVE_ONE_ON_MEAN_SIX_BELOW = [11, 12, 11, 12, 11, 12, 10, 8, 9, 8, 9, 8, 9]  # mean exactly 10


def test_a_point_exactly_on_the_mean_breaks_a_run() -> None:
    result = spc.xmr(SIX_ABOVE_ONE_ON_MEAN_SIX_BELOW)
    assert result.mean == 10
    assert _special(result) == {}


def test_seven_points_above_the_mean_are_a_run() -> None:
    values = SIX_ABOVE_ONE_ON_MEAN_SIX_BELOW.copy()
    values[6] = 10.5  # now above the mean (10.04)
    assert _special(spc.xmr(values)) == dict.fromkeys(range(1, 8), "special_cause_improvement")


def test_run_length_six_option() -> None:
    values = [5, 6, 5, 6, 5, 6, 8, 7, 8, 7, 8, 7]  # six below the mean of 6.5, then six above
    assert _special(spc.xmr(values)) == {}
    special = _special(spc.xmr(values, run_length=6, improvement="decrease"))
    assert special == {i: "special_cause_improvement" for i in range(1, 7)} | {
        i: "special_cause_concern" for i in range(7, 13)
    }


# Trends ---------------------------------------------------------------------------------------

WITH_TIE = [10, 12, 10, 12, 10, 12, 7, 8, 9, 10, 10, 11, 12, 13, 11, 10, 12, 10, 12]


def test_a_tie_breaks_a_trend() -> None:
    assert _special(spc.xmr(WITH_TIE)) == {}


def test_seven_rising_points_are_a_trend() -> None:
    without_tie = WITH_TIE[:9] + WITH_TIE[10:]  # 7, 8, 9, 10, 11, 12, 13
    assert _special(spc.xmr(without_tie)) == dict.fromkeys(range(7, 14), "special_cause_improvement")
    assert _special(spc.xmr(without_tie, trend_length=8)) == {}


# Two in three ---------------------------------------------------------------------------------

ALTERNATING = [1, -1] * 7


def test_two_of_three_near_the_limit_on_one_side() -> None:
    result = spc.xmr([*ALTERNATING, 5.5, 1, 5.5])  # near band above 5.31; 1 is above the mean 0.71
    assert _special(result) == {15: "special_cause_improvement", 17: "special_cause_improvement"}
    assert result.variation == "improvement_high"
    neutral = spc.xmr([*ALTERNATING, 5.5, 1, 5.5], improvement="neutral")
    assert _special(neutral) == {15: "special_cause_neutral_high", 17: "special_cause_neutral_high"}


def test_two_of_three_needs_all_three_on_one_side() -> None:
    assert _special(spc.xmr([*ALTERNATING, 5.5, -1, 5.5])) == {}


def test_point_beyond_limit_counts_towards_two_in_three_only_as_an_option() -> None:
    values = [2, -2] * 15 + [9.5, 14, 2]  # 9.5 in the near band (8.75 to 12.74), 14 beyond the limit
    assert _special(spc.xmr(values)) == {32: "special_cause_improvement"}
    both = _special(spc.xmr(values, two_in_three_counts_outside=True))
    assert both == {31: "special_cause_improvement", 32: "special_cause_improvement"}


# Assurance and variation ------------------------------------------------------------------------


def test_measure_stuck_at_100_against_95_target_is_consistent_pass() -> None:
    result = spc.xmr([100.0] * 15, target=95)
    assert (result.mean, result.mean_moving_range, result.lpl, result.upl) == (100, 0, 100, 100)
    assert set(result.point_types) == {"common_cause"}
    assert result.assurance == "consistent_pass"
    assert spc.xmr([100.0] * 15, target=95, improvement="decrease").assurance == "consistent_fail"


def test_flat_series_of_inexact_decimals_stays_common_cause() -> None:
    result = spc.xmr([0.1] * 15, target=0.05)  # the float average of 0.1s is not exactly 0.1
    assert result.lpl == result.upl == 0.1
    assert set(result.point_types) == {"common_cause"}
    assert result.assurance == "consistent_pass"


def test_screening_is_skipped_when_it_would_leave_no_spread() -> None:
    result = spc.xmr([5] * 7 + [9] + [5] * 7)  # only two non-zero moving ranges, both of 4
    assert result.mean_moving_range == pytest.approx(8 / 14)
    assert result.point_types[7] == "special_cause_improvement"


ALTERNATING_1_3 = [1, 3] * 8  # mean 2, mean moving range 2: limits -3.32 and 7.32


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", -4, "consistent_pass"),
        ("increase", 8, "consistent_fail"),
        ("increase", 2, "inconsistent"),
        ("decrease", -4, "consistent_fail"),
        ("decrease", 8, "consistent_pass"),
        ("neutral", 8, None),
        ("increase", None, None),
    ],
)
def test_assurance(improvement: str, target: float | None, expected: str | None) -> None:
    result = spc.xmr(ALTERNATING_1_3, improvement=improvement, target=target)
    assert (result.lpl, result.upl) == pytest.approx((-3.32, 7.32))
    assert result.assurance == expected


@pytest.mark.parametrize("limit", ["lpl", "upl"])
def test_target_equal_to_a_limit_is_inconsistent(limit: str) -> None:
    target = getattr(spc.xmr(ALTERNATING_1_3), limit)
    assert spc.xmr(ALTERNATING_1_3, target=target).assurance == "inconsistent"


@pytest.mark.parametrize(
    ("improvement", "last", "expected"),
    [
        ("increase", 20, "improvement_high"),
        ("increase", -20, "concern_low"),
        ("decrease", 20, "concern_high"),
        ("decrease", -20, "improvement_low"),
        ("neutral", 20, "neutral_high"),
        ("neutral", -20, "neutral_low"),
        ("increase", 2, "common_cause"),
    ],
)
def test_variation_comes_from_the_last_point(improvement: str, last: float, expected: str) -> None:
    assert spc.xmr([*ALTERNATING_1_3, last], improvement=improvement).variation == expected


# Short and incomplete series --------------------------------------------------------------------


def test_trial_limits_under_twelve_points() -> None:
    assert spc.xmr(ALTERNATING_1_3[:11]).trial_limits is True
    assert spc.xmr(ALTERNATING_1_3[:12]).trial_limits is False


def test_missing_values_are_dropped_but_keep_their_place() -> None:
    with_gaps = [1, None, 3, math.nan, 1, 3, 1, 3, pd.NA, 20]
    result = spc.xmr(pd.Series(with_gaps, dtype="Float64"))
    complete = spc.xmr([1, 3, 1, 3, 1, 3, 20])
    assert (result.mean, result.lpl, result.upl) == (complete.mean, complete.lpl, complete.upl)
    assert result.trial_limits is True
    assert len(result.point_types) == len(with_gaps)
    assert [result.point_types[i] for i in (1, 3, 8)] == ["common_cause"] * 3
    assert result.point_types[9] == "special_cause_improvement"
    assert result.variation == "improvement_high"


def test_variation_uses_the_last_value_present() -> None:
    assert spc.xmr([*ALTERNATING_1_3, 20, None]).variation == "improvement_high"


@pytest.mark.parametrize("values", [[], [None, None], [4.0]])
def test_too_few_values_give_no_limits(values: list) -> None:
    result = spc.xmr(values, target=3)
    assert np.isnan(result.lpl) and np.isnan(result.upl)
    assert result.point_types == ("common_cause",) * len(values)
    assert (result.variation, result.assurance, result.trial_limits) == ("common_cause", None, True)


@pytest.mark.parametrize("options", [{"improvement": "up"}, {"run_length": 1}, {"trend_length": 0}])
def test_bad_options_raise(options: dict) -> None:
    with pytest.raises(ValueError, match=r"improvement must be one of|must be at least 2"):
        spc.xmr([1, 2, 3], **options)
