"""XmR charts in phases (a process change recorded part-way through a series) and limits fixed on a baseline.

Each phase must be exactly what ``xmr`` gives for that slice of the series alone; the known answers are
NHSRplotthedots' own figures for a series split in two, and hand-checked series.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics import spc
from tests.metrics.test_spc_xmr import TRANSCRIBED, _values

PHASES = pd.read_csv(
    Path(__file__).parents[1] / "reference" / "NHSRplotthedots" / "spc_phases_transcribed.csv"
)


def _same(a: spc.SpcResult, b: spc.SpcResult) -> bool:
    """Equal field by field, NaN equal to NaN (a phase with no figures has no mean)."""
    for field in ("mean", "mean_moving_range", "lpl", "upl"):
        x, y = getattr(a, field), getattr(b, field)
        if not (x == y or (math.isnan(x) and math.isnan(y))):
            return False
    return (a.point_types, a.variation, a.assurance, a.trial_limits) == (
        b.point_types,
        b.variation,
        b.assurance,
        b.trial_limits,
    )


@st.composite
def _series_and_breaks(draw) -> tuple[list[float | None], list[int]]:
    values = draw(
        st.lists(
            st.one_of(st.none(), st.floats(min_value=-1e4, max_value=1e4), st.sampled_from([0.0, 1.0, 2.0])),
            min_size=1,
            max_size=60,
        )
    )
    breaks = draw(st.sets(st.integers(min_value=1, max_value=max(1, len(values) - 1)), max_size=5))
    return values, sorted(b for b in breaks if b < len(values))


OPTIONS = st.fixed_dictionaries(
    {
        "improvement": st.sampled_from(spc.IMPROVEMENTS),
        "target": st.one_of(st.none(), st.floats(min_value=-1e4, max_value=1e4)),
        "screen_outliers": st.booleans(),
        "run_length": st.integers(min_value=2, max_value=9),
        "trend_length": st.integers(min_value=2, max_value=9),
        "two_in_three_counts_outside": st.booleans(),
        "baseline": st.one_of(st.none(), st.integers(min_value=2, max_value=20)),
    }
)


@given(_series_and_breaks(), OPTIONS)
def test_each_phase_equals_xmr_on_its_slice(series: tuple[list, list[int]], options: dict) -> None:
    values, breaks = series
    phases = spc.xmr_phased(values, breaks, **options)
    edges = [0, *breaks, len(values)]
    assert len(phases) == len(breaks) + 1
    for phase, start, end in zip(phases, edges[:-1], edges[1:], strict=True):
        assert _same(phase, spc.xmr(values[start:end], **options))
    assert sum(len(p.point_types) for p in phases) == len(values)


def test_no_breaks_is_one_phase_the_whole_series() -> None:
    row = TRANSCRIBED.set_index("series_id").loc["snapshot_r2_point15_is_10"]
    (only,) = spc.xmr_phased(_values(row), [])
    assert _same(only, spc.xmr(_values(row)))


@pytest.mark.parametrize("phase", [1, 2])
def test_series_split_in_two_matches_nhsrplotthedots(phase: int) -> None:
    expected = PHASES[PHASES["phase"] == phase].iloc[0]
    row = TRANSCRIBED.set_index("series_id").loc[expected["series_id"]]
    result = spc.xmr_phased(_values(row), [int(expected["breaks"])])[phase - 1]
    assert len(result.point_types) == expected["n_points"]
    # NHSRplotthedots prints these to 3 significant figures.
    for actual, wanted in zip(
        (result.mean, result.lpl, result.upl),
        (expected["expected_mean"], expected["expected_lpl"], expected["expected_upl"]),
        strict=True,
    ):
        assert float(f"{actual:.3g}") == pytest.approx(wanted, abs=1e-12)
    assert result.trial_limits  # ten points each: fewer than 12


def test_the_moving_range_across_a_break_is_not_used() -> None:
    """A step from about 10 to about 20: one chart sees a huge jump; in phases each side is steady."""
    before, after = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11], [20, 21, 20, 21, 20, 21]
    whole = spc.xmr(before + after)
    old, new = spc.xmr_phased(before + after, [12])
    assert new.mean == 20.5 and new.mean_moving_range == 1  # the jump of 9 is in neither phase
    assert (old.mean, old.lpl, old.upl) == (10.5, 10.5 - 2.66, 10.5 + 2.66)
    assert not old.trial_limits and new.trial_limits
    assert new.variation == "common_cause"  # the new level is usual for the new process
    assert whole.variation != "common_cause"  # without the break the new level is special cause


def test_the_current_phase_judges_assurance_against_the_target() -> None:
    """Before the change the figures straddle a 95% target; after it they sit well above it."""
    before = [93, 96, 94, 97, 93, 96, 94, 97, 95, 94, 96, 95]
    after = [99, 99.5, 99, 99.5, 99, 99.5]
    old, new = spc.xmr_phased(before + after, [12], target=95, improvement="increase")
    assert old.assurance == "inconsistent"
    assert new.assurance == "consistent_pass"


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        ([0], "cannot be at index 0"),
        ([5, 3], "increasing order"),
        ([3, 3], "increasing order"),
        ([10], "outside the series"),
        ([12], "index from 1 to 9"),
        ([-1], "outside the series"),
        ([2.5], "whole-number index"),
        ([True], "whole-number index"),
    ],
)
def test_breaks_that_cannot_start_a_phase_are_refused(breaks: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        spc.xmr_phased(list(range(10)), breaks)


def test_options_are_checked_as_xmr_checks_them() -> None:
    with pytest.raises(ValueError, match="improvement must be one of"):
        spc.xmr_phased([1, 2, 3, 4], [2], improvement="up")


# Baseline: limits fixed on the first figures ----------------------------------------------------------------

ALTERNATING_THEN_JUMP = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 5, 5, 5]


def test_baseline_limits_come_from_the_first_figures_and_extend() -> None:
    fixed = spc.xmr(ALTERNATING_THEN_JUMP, baseline=12)
    assert (fixed.mean, fixed.mean_moving_range) == (1.5, 1.0)
    assert (fixed.lpl, fixed.upl) == (1.5 - 2.66, 1.5 + 2.66)
    assert fixed.point_types[12:] == ("special_cause_improvement",) * 3  # 5 is above 4.16
    assert not fixed.trial_limits
    free = spc.xmr(ALTERNATING_THEN_JUMP)
    assert free.mean == pytest.approx(2.2)  # computed on every figure, the jump pulls the mean up
    assert free.point_types[0] == "special_cause_concern"  # and the steady start becomes a low run
    assert fixed.point_types[0] == "common_cause"


def test_baseline_counts_figures_present_not_missing_ones() -> None:
    with_gap = [1, None, 2, 1, 2, 9]
    assert spc.xmr(with_gap, baseline=4).mean == 1.5
    assert spc.xmr(with_gap, baseline=4).point_types[1] == "common_cause"


def test_a_baseline_longer_than_the_series_uses_every_figure() -> None:
    assert _same(spc.xmr([3, 4, 3, 5], baseline=12), spc.xmr([3, 4, 3, 5]))


def test_a_short_baseline_gives_trial_limits() -> None:
    assert spc.xmr(ALTERNATING_THEN_JUMP, baseline=6).trial_limits


def test_baseline_applies_to_each_phase() -> None:
    values = [*ALTERNATING_THEN_JUMP, 10, 11, 10, 11, 30]
    _, new = spc.xmr_phased(values, [15], baseline=4)
    assert (new.mean, new.mean_moving_range) == (10.5, 1.0)
    assert new.point_types[-1] == "special_cause_improvement"


@pytest.mark.parametrize("baseline", [0, 1, -3, 2.5, True])
def test_a_baseline_of_fewer_than_two_figures_is_refused(baseline) -> None:
    with pytest.raises(ValueError, match="baseline must be a whole number of at least 2"):
        spc.xmr([1, 2, 3], baseline=baseline)


# Where a recorded change starts a phase ---------------------------------------------------------------------

QUARTERS = [dt.date(2023, 4, 1), dt.date(2023, 7, 1), dt.date(2023, 10, 1), dt.date(2024, 1, 1)]


@pytest.mark.parametrize(
    ("changes", "breaks"),
    [
        ([dt.date(2023, 10, 1)], [2]),  # on a period's start: that period is the first of the new phase
        ([dt.date(2023, 8, 15)], [2]),  # mid-period: the next period starts the phase
        ([dt.date(2023, 4, 1)], []),  # at the first period: the whole series is one phase
        ([dt.date(2022, 1, 1)], []),
        ([dt.date(2024, 2, 1)], []),  # after the last period starts: no figures yet
        ([dt.date(2024, 1, 1), dt.date(2023, 7, 1)], [1, 3]),  # sorted
        ([dt.date(2023, 9, 1), dt.date(2023, 10, 1)], [2]),  # two changes on one period: one break
    ],
)
def test_a_change_starts_a_phase_at_the_first_period_on_or_after_it(changes, breaks) -> None:
    assert spc.phase_starts(QUARTERS, changes) == breaks


def test_phase_starts_accept_timestamps_and_numpy_dates() -> None:
    starts = pd.to_datetime(pd.Series(QUARTERS)).to_numpy()
    assert spc.phase_starts(list(starts), [np.datetime64("2023-07-01")]) == [1]
