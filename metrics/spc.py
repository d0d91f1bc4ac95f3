"""XmR statistical process control charts in the NHS England "Making Data Count" style.

Method and defaults follow NHSRplotthedots (NHS-R Community; ``ptd_spc``), the R implementation
of Making Data Count:

* moving ranges are |x_i - x_(i-1)|; with outlier screening (the default) moving ranges of
  3.267 x the mean moving range or more are left out and the mean moving range recomputed;
* process limits are mean +/- 2.66 x mean moving range;
* special cause, in order of precedence: a point outside the limits; a trend of ``trend_length``
  points each strictly higher (or lower) than the one before; two of three consecutive points in
  the outer third of the limits, all three on the same side of the mean; a run of ``run_length``
  points on one side of the mean (a point exactly on the mean breaks the run);
* the direction of improvement turns high and low special causes into improvement or concern;
* assurance compares the target with the process limits.

Missing values are dropped before anything is computed, so the moving range bridges a gap; the
result still has one point type per input, and missing points are 'common_cause'.

A process that has changed (a new pathway, a new way of counting) is charted in phases
(:func:`xmr_phased`): each phase gets limits of its own, computed exactly as :func:`xmr` computes that
stretch of the series alone, and the judgement that matters is the current (last) phase's. Limits can also
be fixed on a baseline: computed from the first ``baseline`` figures and extended over the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from metrics.stats import FloatArray, as_float_array

LIMIT = 2.66
"""Process limits sit at mean +/- 2.66 x mean moving range (3 sigma for an XmR chart)."""
SCREEN = 3.267
"""Moving ranges at or above 3.267 x their mean are screened out as outliers."""
TRIAL_BELOW = 12
"""With fewer points than this the limits are trial limits, to be recalculated later."""
MIN_POINTS = 5
"""Fewest figures for an SPC judgement (variation and assurance) anywhere in the product.

The methods compute limits from two points, but NHS England's Making Data Count guidance warns that limits
from a handful of points say little, and no rule but 'outside the limits' can fire before five. Below five
the product draws the points without limits and says there are too few figures to judge; from five to eleven
it judges on trial limits (see :data:`TRIAL_BELOW`)."""

IMPROVEMENTS = ("increase", "decrease", "neutral")
_IMPROVEMENT_FOR = {"higher_is_better": "increase", "lower_is_better": "decrease", "no_judgement": "neutral"}


def improvement_for(polarity: str) -> str:
    """The SPC direction of improvement for an indicator's polarity.

    'higher_is_better' -> 'increase', 'lower_is_better' -> 'decrease', 'no_judgement' -> 'neutral' (special
    cause is then neither improvement nor concern, as Fingertips shows such indicators in neutral colours).
    """
    try:
        return _IMPROVEMENT_FOR[polarity]
    except KeyError:
        raise ValueError(f"polarity must be one of {tuple(_IMPROVEMENT_FOR)}, got {polarity!r}") from None


def is_judged(points: int) -> bool:
    """Whether a series of ``points`` figures is long enough for an SPC judgement (:data:`MIN_POINTS`)."""
    return points >= MIN_POINTS


Direction = np.ndarray  # +1 high special cause, -1 low, 0 none; one per non-missing point


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart: centre line, limits, one point type per input point and the summary icons."""

    mean: float
    mean_moving_range: float
    lpl: float
    upl: float
    point_types: tuple[str, ...]
    variation: str
    assurance: str | None
    trial_limits: bool


def mean_moving_range(values: FloatArray, *, screen_outliers: bool = True) -> float:
    """Mean of |x_i - x_(i-1)|, after screening large moving ranges if asked (Nelson 1982).

    Screening is skipped when it would leave a mean moving range of 0 (a flat series, or a flat
    series with one jump): zero-width limits would make every ordinary point special cause.
    NaN with fewer than two values.
    """
    ranges = np.abs(np.diff(values))
    if ranges.size == 0:
        return np.nan
    average = float(ranges.mean())
    kept = ranges[ranges < SCREEN * average]
    if screen_outliers and kept.size and kept.mean() > 0:
        average = float(kept.mean())
    return average


def _runs(side: FloatArray, length: int) -> Direction:
    """Mark every point in a run of ``length`` or more points on the same side of the mean."""
    marks = np.zeros(side.size)
    if side.size < length:
        return marks
    windows = sliding_window_view(side, length)
    for start in np.flatnonzero(np.abs(windows.sum(axis=1)) == length):
        marks[start : start + length] = side[start]
    return marks


def _trends(y: FloatArray, length: int) -> Direction:
    """Mark every point in ``length`` or more points each strictly above (or below) the one before.

    A point at the turn of a rising and a falling trend takes the direction of the later trend.
    """
    marks = np.zeros(y.size)
    if y.size < length:
        return marks
    steps = sliding_window_view(np.sign(np.diff(y)), length - 1)
    for start in np.flatnonzero(np.abs(steps.sum(axis=1)) == length - 1):
        marks[start : start + length] = steps[start, 0]
    return marks


def _two_in_three(near: np.ndarray, side: FloatArray) -> Direction:
    """Mark near-limit points in any three consecutive points, all on one side of the mean, with two or more
    near."""
    marks = np.zeros(side.size)
    if side.size < 3:
        return marks
    near_count = sliding_window_view(near, 3).sum(axis=1)
    same_side = np.abs(sliding_window_view(side, 3).sum(axis=1)) == 3
    for start in np.flatnonzero((near_count >= 2) & same_side):
        window = slice(start, start + 3)
        marks[window] = np.where(near[window], side[window], marks[window])
    return marks


def _directions(
    y: FloatArray, mean: float, lpl: float, upl: float, rules: tuple[int, int, bool]
) -> Direction:
    """Special-cause direction of each point; later rules in the loop take precedence."""
    run_length, trend_length, outside_counts_as_near = rules
    side = np.sign(y - mean)
    outside = (y > upl) | (y < lpl)
    near_band = (y > mean + (upl - mean) * 2 / 3) | (y < mean - (mean - lpl) * 2 / 3)
    near = near_band if outside_counts_as_near else near_band & ~outside
    marks = np.zeros(y.size)
    for rule in (
        _runs(side, run_length),
        _two_in_three(near, side),
        _trends(y, trend_length),
        np.where(outside, side, 0.0),
    ):
        marks = np.where(rule != 0, rule, marks)
    return marks


def _improving(direction: float, improvement: str) -> bool:
    return direction == (1 if improvement == "increase" else -1)


def _point_type(direction: float, improvement: str) -> str:
    if direction == 0:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neutral_high" if direction > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if _improving(direction, improvement) else "special_cause_concern"


def _variation(direction: float, improvement: str) -> str:
    """Variation icon from the latest point: its special-cause kind and whether it is high or low."""
    if direction == 0:
        return "common_cause"
    height = "high" if direction > 0 else "low"
    if improvement == "neutral":
        return f"neutral_{height}"
    return f"{'improvement' if _improving(direction, improvement) else 'concern'}_{height}"


def assurance(target: float | None, *, lpl: float, upl: float, improvement: str) -> str | None:
    """Whether the process will meet the target: 'consistent_pass', 'consistent_fail' or 'inconsistent'.

    The target must lie strictly outside the limits for a consistent answer; a target equal to a
    limit is 'inconsistent'. None without a target, with a neutral direction, or without limits.
    When the mean moving range is 0 both limits equal the mean, so a measure stuck at 100% against
    a 95% target is a consistent pass.
    """
    if target is None or pd.isna(target) or improvement == "neutral" or np.isnan(lpl) or np.isnan(upl):
        return None
    if target < lpl:
        return "consistent_pass" if improvement == "increase" else "consistent_fail"
    if target > upl:
        return "consistent_fail" if improvement == "increase" else "consistent_pass"
    return "inconsistent"


def check_options(improvement: str, run_length: int, trend_length: int) -> None:
    """Refuse an unknown direction of improvement, or a run or trend rule shorter than two points."""
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {IMPROVEMENTS}, got {improvement!r}")
    if run_length < 2 or trend_length < 2:
        raise ValueError("run_length and trend_length must be at least 2")


def check_baseline(baseline: int | None) -> None:
    """Refuse a baseline of fewer than two figures (limits need at least one moving range)."""
    if baseline is None:
        return
    if isinstance(baseline, bool) or not isinstance(baseline, (int, np.integer)) or baseline < 2:
        raise ValueError(f"baseline must be a whole number of at least 2 figures, got {baseline!r}")


def xmr(
    values: ArrayLike,
    *,
    improvement: str = "increase",
    target: float | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    two_in_three_counts_outside: bool = False,
    baseline: int | None = None,
) -> SpcResult:
    """XmR chart of a series in time order (NHSRplotthedots defaults).

    ``improvement`` is 'increase', 'decrease' or 'neutral'. Making Data Count's Excel tool options
    are available: ``screen_outliers=False`` (no moving-range screening), ``run_length=6`` and
    ``two_in_three_counts_outside=True`` (points beyond the limits also count towards the two-in-three
    rule, the Making Data Count rule since 2023).

    ``baseline`` fixes the limits: the mean and moving range come from the first ``baseline`` figures
    present (missing values are not counted) and every point, later ones included, is judged against them
    (NHSRplotthedots' ``fix_after_n_points``). A series no longer than the baseline uses all its figures.
    The limits are trial limits when they come from fewer than 12 figures.
    """
    check_options(improvement, run_length, trend_length)
    check_baseline(baseline)
    all_values = np.atleast_1d(as_float_array(values))
    present = ~np.isnan(all_values)
    y = all_values[present]
    fixed = y if baseline is None else y[:baseline]
    average_range = mean_moving_range(fixed, screen_outliers=screen_outliers)
    # A zero mean moving range means every value is the same: take it exactly, not a rounded mean.
    mean = float(fixed[0]) if average_range == 0 else float(fixed.mean()) if fixed.size else np.nan
    lpl, upl = mean - LIMIT * average_range, mean + LIMIT * average_range
    directions = _directions(y, mean, lpl, upl, (run_length, trend_length, two_in_three_counts_outside))
    types = np.full(all_values.size, "common_cause", dtype=object)
    types[present] = [_point_type(d, improvement) for d in directions]
    return SpcResult(
        mean=mean,
        mean_moving_range=average_range,
        lpl=lpl,
        upl=upl,
        point_types=tuple(types),
        variation=_variation(directions[-1] if y.size else 0.0, improvement),
        assurance=assurance(target, lpl=lpl, upl=upl, improvement=improvement),
        trial_limits=bool(fixed.size < TRIAL_BELOW),
    )


def check_breaks(breaks: Sequence[int], length: int) -> list[int]:
    """``breaks`` as a list, after refusing any that cannot start a phase of a series of ``length`` points.

    A break is the index of the first point of a new phase: a whole number from 1 (the first phase always
    starts at 0) to ``length - 1``, each later than the one before.
    """
    checked: list[int] = []
    for position, start in enumerate(breaks):
        if isinstance(start, bool) or not isinstance(start, (int, np.integer)):
            raise ValueError(f"break {position + 1} must be a whole-number index, got {start!r}")
        if start == 0:
            raise ValueError(
                "a break cannot be at index 0: the first phase starts there already; "
                "breaks are the indices where a new phase starts"
            )
        if not 0 < start < length:
            raise ValueError(
                f"break {position + 1} at index {start} is outside the series: a new phase must start at "
                f"an index from 1 to {length - 1} for a series of {length} points"
            )
        if checked and start <= checked[-1]:
            raise ValueError(
                f"breaks must be in increasing order with no repeats: break {position + 1} at index {start} "
                f"does not come after break {position} at index {checked[-1]}"
            )
        checked.append(int(start))
    return checked


def xmr_phased(values: ArrayLike, breaks: Sequence[int], **options: Any) -> list[SpcResult]:
    """XmR charts of a series in phases: one :class:`SpcResult` per phase, oldest first.

    ``breaks`` are the indices (into ``values``, missing values included) at which a new phase starts, in
    increasing order; no breaks gives one phase, the whole series. Each phase is exactly what :func:`xmr`
    gives for its slice alone with the same ``options`` (``baseline`` included: limits fixed on the first
    figures of each phase), so no moving range spans a break and each phase of fewer than 12 figures has
    trial limits. The last phase is the current one: its variation and assurance are the judgement now.
    Raises ValueError for a break at 0, outside the series, out of order or repeated.
    """
    array = np.atleast_1d(as_float_array(values))
    starts = [0, *check_breaks(breaks, array.size)]
    ends = [*starts[1:], array.size]
    return [xmr(array[start:end], **options) for start, end in zip(starts, ends, strict=True)]


def phase_starts(period_starts: Sequence[dt.date], change_dates: Sequence[dt.date]) -> list[int]:
    """The breaks for :func:`xmr_phased` that process changes on ``change_dates`` make in a series whose
    periods start on ``period_starts`` (in time order): each change starts a phase at the first period
    starting on or after its date.

    A change on or before the first period's start, or after the last period's start, makes no break (the
    whole series is then of one phase, or the change has no figures yet); two changes that fall on the same
    period make one break. The result is sorted, so it can be passed to :func:`xmr_phased` as it is.
    """
    starts = [pd.Timestamp(day) for day in period_starts]
    breaks = set()
    for change in change_dates:
        moment = pd.Timestamp(change)
        index = next((i for i, start in enumerate(starts) if start >= moment), None)
        if index is not None and index > 0:
            breaks.add(index)
    return sorted(breaks)
