"""G and T charts for rare events, against answers worked by hand from the documented formulae."""

from __future__ import annotations

import math

import pytest

from metrics import rare_events, spc


def test_gaps_count_the_event_free_periods_between_events() -> None:
    # Events in periods 2, 5 (two of them) and 7: 2 empty periods, then 0 between the pair, then 1.
    assert rare_events.gaps_from_counts([0, 1, 0, 0, 2, 0, 1]) == [2, 0, 1]
    assert rare_events.gaps_from_counts([0, 0, 1]) == []  # one event: no gap yet
    assert rare_events.gaps_from_counts([3]) == [0, 0]


@pytest.mark.parametrize("bad", [[1, -1], [1, 0.5], [1, float("nan")]])
def test_gaps_refuse_counts_that_are_not_whole_numbers_naming_the_period(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="period 2"):
        rare_events.gaps_from_counts(bad)


def test_g_chart_limits_come_from_the_geometric_distribution() -> None:
    # Days between infections 5, 12, 8, 15, 3: mean 8.6, sigma sqrt(8.6 x 9.6) = 9.0863, UCL 35.859.
    chart = rare_events.g_chart([5, 12, 8, 15, 3])
    assert chart.mean == pytest.approx(8.6)
    assert chart.median == 8
    assert chart.upper == pytest.approx(8.6 + 3 * math.sqrt(82.56))
    assert chart.upper == pytest.approx(35.8588, abs=1e-4)
    assert chart.lower == 0
    assert chart.above == (False,) * 5
    assert chart.judged


def test_a_long_gap_is_flagged_above_the_upper_limit() -> None:
    chart = rare_events.g_chart([1, 2, 1, 0, 2, 60])
    # mean 11, UCL 11 + 3 sqrt(132) = 45.47: only the 60-period gap is above it.
    assert chart.upper == pytest.approx(45.4674, abs=1e-4)
    assert chart.above == (False, False, False, False, False, True)


def test_g_chart_refuses_too_few_or_negative_gaps() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        rare_events.g_chart([4])
    with pytest.raises(ValueError, match="0 or more"):
        rare_events.g_chart([4, -1])


def test_t_chart_applies_xmr_to_times_to_the_power_one_over_3_6() -> None:
    # Transformed times 1, 2, 1, 2, 1, 2: mean 1.5, every moving range 1, so limits 1.5 +/- 2.66.
    times = [y**3.6 for y in (1, 2, 1, 2, 1, 2)]
    chart = rare_events.t_chart(times)
    assert chart.transformed.mean == pytest.approx(1.5)
    assert chart.transformed.mean_moving_range == pytest.approx(1.0)
    assert chart.centre == pytest.approx(1.5**3.6)  # 4.3046 in the times' units
    assert chart.centre == pytest.approx(4.3046, abs=1e-4)
    assert chart.upper == pytest.approx(4.16**3.6)
    assert chart.lower == 0  # 1.5 - 2.66 is below zero
    assert chart.point_types == ("common_cause",) * 6


def test_t_chart_calls_a_much_longer_time_between_harms_an_improvement() -> None:
    times = [10.0, 12.0, 9.0, 11.0, 10.0, 12.0, 9.0, 11.0, 10.0, 400.0]
    better = rare_events.t_chart(times)
    assert better.point_types[-1] == "special_cause_improvement"
    assert better.variation == spc.xmr([t ** (1 / 3.6) for t in times]).variation
    worse = rare_events.t_chart(times, fewer_is_better=False)
    assert worse.point_types[-1] == "special_cause_concern"


def test_t_chart_refuses_a_zero_time() -> None:
    with pytest.raises(ValueError, match="above 0"):
        rare_events.t_chart([3.0, 0.0, 2.0])
