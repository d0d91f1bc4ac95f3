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
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _check(improvement: str, run_length: int, trend_length: int) -> None:
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {IMPROVEMENTS}, got {improvement!r}")
    if run_length < 2 or trend_length < 2:
        raise ValueError("run_length and trend_length must be at least 2")


def xmr(
    values: ArrayLike,
    *,
    improvement: str = "increase",
    target: float | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    two_in_three_counts_outside: bool = False,
) -> SpcResult:
    """XmR chart of a series in time order (NHSRplotthedots defaults).

    ``improvement`` is 'increase', 'decrease' or 'neutral'. Making Data Count's Excel tool options
    are available: ``screen_outliers=False`` (no moving-range screening), ``run_length=6`` and
    ``two_in_three_counts_outside=True`` (points beyond the limits also count towards the two-in-three
    rule, the Making Data Count rule since 2023).
    """
    _check(improvement, run_length, trend_length)
    all_values = np.atleast_1d(as_float_array(values))
    present = ~np.isnan(all_values)
    y = all_values[present]
    average_range = mean_moving_range(y, screen_outliers=screen_outliers)
    # A zero mean moving range means every value is the same: take it exactly, not a rounded mean.
    mean = float(y[0]) if average_range == 0 else float(y.mean()) if y.size else np.nan
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
        trial_limits=bool(y.size < TRIAL_BELOW),
    )


# Many series at once ----------------------------------------------------------------------------
#
# ``xmr_table`` computes the same figures as ``xmr`` for every series of a long table in one pass.
# The series are laid out as rows of 2-D arrays: left-aligned (first point in column 0) for the sums,
# right-aligned (latest point in the last column, NaN padding on the left) for the rules and the
# latest point. Each result is bit-for-bit the one ``xmr`` gives for that series alone.

_PAIRWISE_BLOCK = 128
"""numpy sums up to this many values with eight running totals, and splits longer sums in two."""


def _blocked_sums(
    matrix: FloatArray, rows: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> FloatArray:
    """numpy's sum of at most 128 values: eight running totals over whole blocks of eight values,
    combined pairwise, then the values left over added one at a time."""
    count = lengths.size
    if count == 0 or matrix.shape[1] == 0:
        return np.zeros(count)
    width = max(8, -(-int(lengths.max()) // 8) * 8)
    offsets = np.arange(width)
    columns = np.minimum(starts[:, None] + offsets, matrix.shape[1] - 1)
    values = np.where(offsets < lengths[:, None], matrix[rows[:, None], columns], 0.0)
    whole = lengths - lengths % 8  # values that fall in whole blocks of eight
    totals = np.where((whole >= 8)[:, None], values[:, :8], 0.0)
    for first in range(8, width, 8):  # block positions, the same for every series
        totals = totals + np.where((first + 8 <= whole)[:, None], values[:, first : first + 8], 0.0)
    t = totals.T
    result: FloatArray = ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]))
    series = np.arange(count)
    for extra in range(7):  # the up to seven values after the last whole block, in order
        position = whole + extra
        result = result + np.where(position < lengths, values[series, np.minimum(position, width - 1)], 0.0)
    return result


def _ordered_sums(
    matrix: FloatArray, rows: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> FloatArray:
    """Sum of ``matrix[row, start : start + length]`` for each (row, start, length).

    The values are added in the order numpy's own (pairwise) sum of a 1-D array adds them, so each
    total equals the one :func:`xmr` computes for that series alone. A ``nansum`` over a padded
    array adds them in another order, and a last-bit difference in the mean can move a point that
    lies exactly on the mean to one side of it, and so change a run.
    """
    totals = np.zeros(lengths.size)
    split = lengths > _PAIRWISE_BLOCK
    if split.any():
        half = lengths[split] // 2
        half -= half % 8
        r, s = rows[split], starts[split]
        parts = _ordered_sums(
            matrix,
            np.concatenate([r, r]),
            np.concatenate([s, s + half]),
            np.concatenate([half, lengths[split] - half]),
        )
        totals[split] = parts[: half.size] + parts[half.size :]
    short = ~split
    totals[short] = _blocked_sums(matrix, rows[short], starts[short], lengths[short])
    return totals


def _row_means(matrix: FloatArray, lengths: np.ndarray) -> FloatArray:
    """Mean of the first ``lengths[i]`` values of each row (NaN for none), as ``ndarray.mean`` gives it."""
    rows = np.arange(lengths.size)
    sums = _ordered_sums(matrix, rows, np.zeros_like(lengths), lengths)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(lengths > 0, sums / np.maximum(lengths, 1), np.nan)


def _table_mean_moving_range(left: FloatArray, counts: np.ndarray, *, screen_outliers: bool) -> FloatArray:
    """:func:`mean_moving_range` of each left-aligned row."""
    ranges = np.abs(np.diff(left, axis=1))
    range_counts = np.maximum(counts - 1, 0)
    average = _row_means(ranges, range_counts)
    valid = np.arange(ranges.shape[1]) < range_counts[:, None]
    with np.errstate(invalid="ignore"):
        keep = valid & (ranges < SCREEN * average[:, None])
    # Move the kept ranges to the front of their row, in order, so they are summed as xmr sums them.
    kept = np.take_along_axis(ranges, np.argsort(~keep, axis=1, kind="stable"), axis=1)
    kept_counts = keep.sum(axis=1)
    kept_average = _row_means(kept, kept_counts)
    if not screen_outliers:
        return average
    with np.errstate(invalid="ignore"):
        return np.where((kept_counts > 0) & (kept_average > 0), kept_average, average)


def _covered(starts: np.ndarray, length: int, width: int) -> np.ndarray:
    """Whether each of ``width`` points lies in a window of ``length`` points that starts where
    ``starts`` (one flag per possible window start, per row) is True."""
    padded = np.zeros((starts.shape[0], width + 1), dtype=np.int64)
    padded[:, 1 : starts.shape[1] + 1] = starts
    cumulative = np.cumsum(padded, axis=1)
    points = np.arange(width)
    return cumulative[:, points + 1] - cumulative[:, np.maximum(points - length + 1, 0)] > 0


def _table_runs(side: FloatArray, length: int) -> FloatArray:
    """:func:`_runs` for each row (padding has side 0, so no run reaches into it)."""
    width = side.shape[1]
    if width < length:
        return np.zeros_like(side)
    starts = np.abs(sliding_window_view(side, length, axis=1).sum(axis=2)) == length
    return np.where(_covered(starts, length, width), side, 0.0)


def _table_two_in_three(near: np.ndarray, side: FloatArray) -> FloatArray:
    """:func:`_two_in_three` for each row."""
    width = side.shape[1]
    if width < 3:
        return np.zeros_like(side)
    near_count = sliding_window_view(near, 3, axis=1).sum(axis=2)
    same_side = np.abs(sliding_window_view(side, 3, axis=1).sum(axis=2)) == 3
    return np.where(_covered((near_count >= 2) & same_side, 3, width) & near, side, 0.0)


def _table_trends(y: FloatArray, length: int) -> FloatArray:
    """:func:`_trends` for each row (NaN padding breaks every trend that would reach into it).

    Where windows overlap, :func:`_trends` lets the window that starts last win; so does this.
    """
    width = y.shape[1]
    if width < length:
        return np.zeros_like(y)
    steps = np.sign(np.diff(y, axis=1))
    with np.errstate(invalid="ignore"):
        starts = np.abs(sliding_window_view(steps, length - 1, axis=1).sum(axis=2)) == length - 1
    windows = starts.shape[1]
    latest_start = np.maximum.accumulate(np.where(starts, np.arange(windows), -1), axis=1)
    points = np.arange(width)
    latest = latest_start[:, np.minimum(points, windows - 1)]
    covered = (latest >= 0) & (latest >= points - length + 1)
    direction = np.take_along_axis(steps, np.maximum(latest, 0), axis=1)
    return np.where(covered, direction, 0.0)


def _table_directions(
    y: FloatArray, mean: FloatArray, lpl: FloatArray, upl: FloatArray, rules: tuple[int, int, bool]
) -> Direction:
    """:func:`_directions` for right-aligned rows of points (NaN where a row has no point)."""
    run_length, trend_length, outside_counts_as_near = rules
    mean, lpl, upl = mean[:, None], lpl[:, None], upl[:, None]
    with np.errstate(invalid="ignore"):
        side = np.where(np.isnan(y), 0.0, np.sign(y - mean))
        outside = (y > upl) | (y < lpl)
        near_band = (y > mean + (upl - mean) * 2 / 3) | (y < mean - (mean - lpl) * 2 / 3)
    near = near_band if outside_counts_as_near else near_band & ~outside
    marks = np.zeros(y.shape)
    for rule in (
        _table_runs(side, run_length),
        _table_two_in_three(near, side),
        _table_trends(y, trend_length),
        np.where(outside, side, 0.0),
    ):
        marks = np.where(rule != 0, rule, marks)
    return marks


def _table_labels(direction: FloatArray, improvement: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_point_type` and :func:`_variation` for each (direction, improvement) pair."""
    neutral = improvement == "neutral"
    improving = direction == np.where(improvement == "increase", 1, -1)
    high = direction > 0
    common = direction == 0
    point_type = np.select(
        [common, neutral & high, neutral, improving],
        [
            "common_cause",
            "special_cause_neutral_high",
            "special_cause_neutral_low",
            "special_cause_improvement",
        ],
        "special_cause_concern",
    ).astype(object)
    height = np.where(high, "high", "low").astype(object)
    kind = np.select([neutral, improving], ["neutral_", "improvement_"], "concern_").astype(object)
    variation = np.where(common, "common_cause", kind + height).astype(object)
    return point_type, variation


def _table_assurance(
    target: FloatArray, lpl: FloatArray, upl: FloatArray, improvement: np.ndarray
) -> np.ndarray:
    """:func:`assurance` for each series."""
    increase = improvement == "increase"
    result = np.full(target.size, "inconsistent", dtype=object)
    with np.errstate(invalid="ignore"):
        above, below = target > upl, target < lpl
    result[above] = np.where(increase[above], "consistent_fail", "consistent_pass")
    result[below] = np.where(increase[below], "consistent_pass", "consistent_fail")
    result[np.isnan(target) | (improvement == "neutral") | np.isnan(lpl) | np.isnan(upl)] = None
    return result


def _group_layout(
    frame: pd.DataFrame, by: str | list[str], order: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The series of a long table: their key columns (one row each, in order of first appearance),
    and the table's row positions sorted by series and then by ``order`` (stable, missing last),
    with the series number of each of those rows."""
    key_columns = [by] if isinstance(by, str) else list(by)
    codes = frame.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    sort_keys = pd.DataFrame({"series": codes, "order": frame[order].reset_index(drop=True)})
    rows = sort_keys.sort_values(["series", "order"], kind="stable", na_position="last").index.to_numpy()
    first = np.unique(codes, return_index=True)[1]
    keys = frame[key_columns].iloc[first].reset_index(drop=True)
    return keys, rows, codes[rows]


def _per_series(column: pd.Series, rows: np.ndarray, series: np.ndarray) -> np.ndarray:
    """The value of a column that must be the same on every row of a series, one per series."""
    data = column.iloc[rows].reset_index(drop=True)
    if data.size and data.groupby(series).nunique(dropna=False).max() > 1:
        raise ValueError(f"{column.name} must be the same on every row of a series")
    return data.to_numpy()[np.unique(series, return_index=True)[1]]


def xmr_table(
    frame: pd.DataFrame,
    *,
    by: str | list[str],
    order: str,
    value: str,
    improvement: str,
    target: str | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    two_in_three_counts_outside: bool = False,
) -> pd.DataFrame:
    """XmR summaries for every series of a long table at once (one row per series and point).

    ``by`` names the columns that identify a series, ``order`` the column that puts its points in
    time order and ``value`` the figures. ``improvement`` names a column of 'increase', 'decrease'
    or 'neutral' and ``target`` an optional column of targets (NaN for none); both must be the same
    on every row of a series. The options are those of :func:`xmr`, applied to every series.

    Returns one row per series, in order of first appearance, with the ``by`` columns and
    ``n_points`` (values present), ``mean``, ``mean_moving_range``, ``lpl``, ``upl``, ``variation``,
    ``assurance``, ``trial_limits`` and ``last_point_type`` (the point type of the latest value
    present; None when there is none). Every figure equals what :func:`xmr` gives for the series on
    its own, missing values dropped first; the series are computed together with array operations.
    """
    _check("increase", run_length, trend_length)  # the lengths, even for an empty table
    for direction in pd.unique(frame[improvement]):
        _check(direction, run_length, trend_length)
    keys, rows, series = _group_layout(frame, by, order)
    count = len(keys)
    directions_of_improvement = _per_series(frame[improvement], rows, series).astype(str)
    targets = np.full(count, np.nan)
    if target is not None:
        numeric = pd.Series(as_float_array(frame[target]), name=target)
        targets = _per_series(numeric, rows, series).astype(float)
    y = as_float_array(frame[value].iloc[rows])
    present = ~np.isnan(y)
    y, series = y[present], series[present]
    counts = np.bincount(series, minlength=count)
    position = np.arange(y.size) - (np.cumsum(counts) - counts)[series]
    width = int(counts.max()) if count else 0
    left = np.full((count, width), np.nan)
    left[series, position] = y
    right = np.full((count, width), np.nan)
    right[series, width - counts[series] + position] = y

    average_range = _table_mean_moving_range(left, counts, screen_outliers=screen_outliers)
    first_value = left[:, 0] if width else np.full(count, np.nan)
    mean = np.where(average_range == 0, first_value, _row_means(left, counts))
    lpl, upl = mean - LIMIT * average_range, mean + LIMIT * average_range
    marks = _table_directions(right, mean, lpl, upl, (run_length, trend_length, two_in_three_counts_outside))
    latest = marks[:, -1] if width else np.zeros(count)
    point_type, variation = _table_labels(latest, directions_of_improvement)
    point_type[counts == 0] = None
    summary = pd.DataFrame(
        {
            "n_points": counts,
            "mean": mean,
            "mean_moving_range": average_range,
            "lpl": lpl,
            "upl": upl,
            "variation": variation,
            "assurance": _table_assurance(targets, lpl, upl, directions_of_improvement),
            "trial_limits": counts < TRIAL_BELOW,
            "last_point_type": point_type,
        }
    )
    return pd.concat([keys, summary], axis=1)
