"""XmR charts for every series of a long table at once, bit-for-bit what :func:`metrics.spc.xmr` gives each.

``xmr_table`` computes the same figures as ``xmr`` for every series of a long table in one pass.
The series are laid out as rows of 2-D arrays: left-aligned (first point in column 0) for the sums,
right-aligned (latest point in the last column, NaN padding on the left) for the rules and the
latest point. Each result is bit-for-bit the one ``xmr`` gives for that series alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from metrics.series import group_layout, per_series
from metrics.spc import LIMIT, SCREEN, TRIAL_BELOW, Direction, check_options
from metrics.stats import FloatArray, as_float_array

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
    check_options("increase", run_length, trend_length)  # the lengths, even for an empty table
    for direction in pd.unique(frame[improvement]):
        check_options(direction, run_length, trend_length)
    keys, rows, series = group_layout(frame, by, order)
    count = len(keys)
    directions_of_improvement = per_series(frame[improvement], rows, series).astype(str)
    targets = np.full(count, np.nan)
    if target is not None:
        numeric = pd.Series(as_float_array(frame[target]), name=target)
        targets = per_series(numeric, rows, series).astype(float)
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
