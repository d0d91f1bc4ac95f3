"""Fingertips "recent trend" markers: has the indicator changed significantly over its latest five points?

Method: Fingertips technical guidance, "Fingertips trend markers" (OHID), as implemented in
``assign_trend_markers`` on the ``add_trend_markers`` development branch of PHEindicatormethods
and checked against that branch's test workbook.

* Only the latest five points are tested, and the five are treated as equally spaced in time
  (t = 1..5), as Fingertips does.
* Proportions (numerators and denominators): the chi-squared test for trend in proportions; the
  gradient is the ordinary least-squares slope of logit(p) on t.
* Other indicators (values with 95% confidence limits): inverse-variance weighted regression of the
  value on t, each standard error taken from the 95% interval; chi-squared = slope^2 / var(slope).
* The trend is significant when chi-squared exceeds 9.5495 (1 degree of freedom, 99.8% level).
  It is then re-estimated leaving out each point in turn: if any of those slopes has a different
  sign from the full slope (a slope of exactly 0 counts as different) a single point is driving it,
  and the marker is "no significant change".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from metrics.compare import POLARITIES, check_polarity
from metrics.series import group_layout, per_series
from metrics.stats import Figures, FloatArray, as_float_array, z_value

POINTS = 5
"""The trend test uses the latest five points."""
MIN_POINTS = POINTS
"""Fewest figures for a recent-trend marker: with fewer the trend 'cannot be calculated'."""
SIGNIFICANCE = 9.5495
"""99.8% point of the chi-squared distribution with 1 degree of freedom, as Fingertips uses."""

CANNOT = "cannot be calculated"
NO_CHANGE = "no significant change"


class TrendReason(StrEnum):
    """Why a trend marker is what it is: the reasons of PHEindicatormethods' ``assign_trend_markers``.

    The values are the reference implementation's own words (the test workbook compares them); each
    member's :attr:`explanation` is the plain-English sentence the dashboard shows a reader.
    """

    MISSING_VALUES = "missing values"
    NOT_STRICT_PROPORTIONS = "proportions must lie strictly between 0 and 1 for the logit gradient"
    MISSING_LIMITS = "missing at least one confidence interval value"
    ZERO_WIDTH = "confidence intervals must have positive width"
    NOT_ENOUGH = "not enough data points"
    DUPLICATES = "duplicate periods"
    NOT_SIGNIFICANT = "no significant trend"
    OUTLIER = "outlier found"
    SIGNIFICANT = "no outliers and significant trend"
    NO_DATA = "no data for this area"

    @property
    def explanation(self) -> str:
        """The reason as a reader is told it, in plain English."""
        return _EXPLANATIONS[self]


_EXPLANATIONS = {
    TrendReason.MISSING_VALUES: "Some of the last five figures are missing.",
    TrendReason.NOT_STRICT_PROPORTIONS: (
        "A trend cannot be tested while a figure is 0% or 100%, or has no count and denominator."
    ),
    TrendReason.MISSING_LIMITS: "It needs confidence intervals for the last five figures.",
    TrendReason.ZERO_WIDTH: "It needs confidence intervals wider than zero.",
    TrendReason.NOT_ENOUGH: "It needs at least five figures.",
    TrendReason.DUPLICATES: "Two figures are for the same period.",
    TrendReason.NOT_SIGNIFICANT: "The last five figures show no significant change.",
    TrendReason.OUTLIER: "A single figure drives the change, so it is not counted as a trend.",
    TrendReason.SIGNIFICANT: "The last five figures change significantly.",
    TrendReason.NO_DATA: "There are no figures for this area.",
}

_DIRECTION_WORDS = {
    "higher_is_better": ("increasing and getting better", "decreasing and getting worse"),
    "lower_is_better": ("increasing and getting worse", "decreasing and getting better"),
    "no_judgement": ("increasing", "decreasing"),
}
IMPROVING = ("increasing and getting better", "decreasing and getting better")
"""Markers that mean the indicator is getting better."""
WORSENING = ("increasing and getting worse", "decreasing and getting worse")
"""Markers that mean the indicator is getting worse."""
LABELS = (CANNOT, NO_CHANGE, *IMPROVING, *WORSENING, "increasing", "decreasing")
"""Every marker a trend can have."""


@dataclass(frozen=True)
class TrendResult:
    """A recent-trend marker.

    ``label`` is the marker; ``reason`` says why (e.g. 'not enough data points', 'outlier found');
    ``chi2`` and ``gradient`` are NaN when the trend cannot be calculated.
    """

    label: str
    chi2: float
    gradient: float
    reason: TrendReason


def _cannot(reason: TrendReason) -> TrendResult:
    return TrendResult(CANNOT, np.nan, np.nan, reason)


def _ols_slope(t: FloatArray, y: FloatArray) -> float:
    return float(np.sum((t - t.mean()) * (y - y.mean())) / np.sum((t - t.mean()) ** 2))


def _logit_gradient(t: FloatArray, numerators: FloatArray, denominators: FloatArray) -> float:
    p = numerators / denominators
    return _ols_slope(t, np.log(p / (1 - p)))


def _proportion_chi2(t: FloatArray, numerators: FloatArray, denominators: FloatArray) -> float:
    """Chi-squared test for trend in proportions (Armitage), as in the Fingertips guidance."""
    n, c = denominators.sum(), numerators.sum()
    nt, ct, ntt = (denominators * t).sum(), (numerators * t).sum(), (denominators * t * t).sum()
    return float(n * (n * ct - c * nt) ** 2 / (c * (n - c) * (n * ntt - nt**2)))


def _weighted_fit(t: FloatArray, values: FloatArray, weights: FloatArray) -> tuple[float, float]:
    """Inverse-variance weighted least-squares slope and its chi-squared (slope^2 / variance)."""
    s, st, sy = weights.sum(), (weights * t).sum(), (weights * values).sum()
    sty, stt = (weights * t * values).sum(), (weights * t * t).sum()
    det = s * stt - st**2
    slope = (s * sty - st * sy) / det
    return float(slope), float(slope**2 * det / s)


def _leave_one_out_agrees(slopes_without: list[float], slope: float) -> bool:
    return all(np.sign(s) == np.sign(slope) for s in slopes_without)


def _label(chi2: float, gradient: float, slopes_without: list[float], polarity: str) -> TrendResult:
    if not chi2 > SIGNIFICANCE:
        return TrendResult(NO_CHANGE, chi2, gradient, TrendReason.NOT_SIGNIFICANT)
    if not _leave_one_out_agrees(slopes_without, gradient):
        return TrendResult(NO_CHANGE, chi2, gradient, TrendReason.OUTLIER)
    increasing, decreasing = _DIRECTION_WORDS[polarity]
    label = increasing if gradient > 0 else decreasing
    return TrendResult(label, chi2, gradient, TrendReason.SIGNIFICANT)


def _without(index: int, *arrays: FloatArray) -> list[FloatArray]:
    return [np.delete(a, index) for a in arrays]


def _proportion_trend(numerators: FloatArray, denominators: FloatArray, polarity: str) -> TrendResult:
    if np.isnan(numerators).any() or np.isnan(denominators).any():
        return _cannot(TrendReason.MISSING_VALUES)
    if (denominators <= 0).any() or (numerators <= 0).any() or (numerators >= denominators).any():
        return _cannot(TrendReason.NOT_STRICT_PROPORTIONS)
    t = np.arange(1.0, POINTS + 1)
    gradient = _logit_gradient(t, numerators, denominators)
    slopes = [_logit_gradient(*_without(i, t, numerators, denominators)) for i in range(POINTS)]
    return _label(_proportion_chi2(t, numerators, denominators), gradient, slopes, polarity)


def _other_trend(values: FloatArray, lower: FloatArray, upper: FloatArray, polarity: str) -> TrendResult:
    if np.isnan(values).any():
        return _cannot(TrendReason.MISSING_VALUES)
    if np.isnan(lower).any() or np.isnan(upper).any():
        return _cannot(TrendReason.MISSING_LIMITS)
    if not (upper > lower).all():
        return _cannot(TrendReason.ZERO_WIDTH)
    weights = (2 * z_value(0.95) / (upper - lower)) ** 2
    t = np.arange(1.0, POINTS + 1)
    gradient, chi2 = _weighted_fit(t, values, weights)
    slopes = [_weighted_fit(*_without(i, t, values, weights))[0] for i in range(POINTS)]
    return _label(chi2, gradient, slopes, polarity)


def _series(arrays: dict[str, Figures]) -> dict[str, FloatArray]:
    converted = {name: np.atleast_1d(as_float_array(a)) for name, a in arrays.items()}
    if len({a.size for a in converted.values()}) > 1:
        raise ValueError(f"{', '.join(converted)} must have the same length")
    return converted


def recent_trend(
    *,
    polarity: str,
    numerators: Figures = None,
    denominators: Figures = None,
    values: Figures = None,
    lower95: Figures = None,
    upper95: Figures = None,
    periods: Iterable[Hashable] | None = None,
) -> TrendResult:
    """Recent-trend marker for one series, oldest point first.

    Give ``numerators`` and ``denominators`` for a proportion (these take precedence), otherwise
    ``values`` with their 95% limits ``lower95`` and ``upper95``. ``periods`` (e.g. years) is
    optional: when given the points are put in period order, and a repeated period makes the
    trend 'cannot be calculated'; the spacing of the periods is not used.

    Fewer than five points, or a missing figure among the latest five, gives 'cannot be
    calculated'. ``polarity`` turns 'increasing'/'decreasing' into '... and getting better/worse'
    ('no_judgement' keeps the plain words).
    """
    check_polarity(polarity)
    if numerators is not None and denominators is not None:
        series = _series({"numerators": numerators, "denominators": denominators})
    elif values is not None and lower95 is not None and upper95 is not None:
        series = _series({"values": values, "lower95": lower95, "upper95": upper95})
    else:
        raise ValueError("give numerators and denominators, or values with lower95 and upper95")
    if periods is not None:
        order = pd.Series(list(periods))
        if order.size != next(iter(series.values())).size:
            raise ValueError("periods must have the same length as the figures")
        if order.duplicated().any():
            return _cannot(TrendReason.DUPLICATES)
        index = order.sort_values(kind="stable").index.to_numpy()
        series = {name: a[index] for name, a in series.items()}
    if next(iter(series.values())).size < POINTS:
        return _cannot(TrendReason.NOT_ENOUGH)
    latest = {name: a[-POINTS:] for name, a in series.items()}
    if "numerators" in latest:
        return _proportion_trend(latest["numerators"], latest["denominators"], polarity)
    return _other_trend(latest["values"], latest["lower95"], latest["upper95"], polarity)


def recent_trends(
    frame: pd.DataFrame,
    *,
    by: str | list[str],
    period: str,
    polarity: str,
    numerator: str | None = None,
    denominator: str | None = None,
    value: str | None = None,
    lower95: str | None = None,
    upper95: str | None = None,
) -> pd.DataFrame:
    """Recent-trend markers for every group of a long table (one row per group and period).

    Column names say where the figures are, as for :func:`recent_trend`. Returns one row per
    group with the group columns and ``label``, ``reason``, ``chi2`` and ``gradient``.
    """
    columns = {
        "numerators": numerator,
        "denominators": denominator,
        "values": value,
        "lower95": lower95,
        "upper95": upper95,
    }
    rows = []
    for key, group in frame.groupby(by, sort=False, dropna=False):
        figures = {arg: group[col] for arg, col in columns.items() if col is not None}
        result = recent_trend(polarity=polarity, periods=group[period], **figures)
        keys = key if isinstance(key, tuple) else (key,)
        rows.append((*keys, result.label, result.reason, result.chi2, result.gradient))
    group_columns = [by] if isinstance(by, str) else list(by)
    return pd.DataFrame(rows, columns=[*group_columns, "label", "reason", "chi2", "gradient"])


# Many series at once ----------------------------------------------------------------------------
#
# ``recent_trend_table`` computes the same markers as ``recent_trend`` for every series of a long
# table in one pass: the latest five points of each series form one row of a (series x 5) array,
# and every sum, slope and leave-one-out slope is taken along the rows. The arithmetic is the same,
# operation for operation, as for one series, so the results agree to the last bit.

METHODS = ("proportion", "other")


def _squared(x: FloatArray) -> FloatArray:
    """x ** 2 as the one-series code gets it by squaring numpy scalars (C ``pow``).

    ``x ** 2`` on an array multiplies x by itself instead, which can differ in the last bit;
    ``float_power`` calls ``pow`` for each element, as the scalar code does.
    """
    return np.float_power(x, 2.0)


def _ols_slopes(t: FloatArray, y: FloatArray) -> FloatArray:
    """:func:`_ols_slope` of each row of ``y`` on ``t``."""
    slopes: FloatArray = np.sum((t - t.mean()) * (y - y.mean(axis=1, keepdims=True)), axis=1) / np.sum(
        (t - t.mean()) ** 2
    )
    return slopes


def _weighted_fits(t: FloatArray, values: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """:func:`_weighted_fit` of each row."""
    s, st, sy = weights.sum(axis=1), (weights * t).sum(axis=1), (weights * values).sum(axis=1)
    sty, stt = (weights * t * values).sum(axis=1), (weights * t * t).sum(axis=1)
    det = s * stt - _squared(st)
    slope = (s * sty - st * sy) / det
    return slope, _squared(slope) * det / s


def _proportion_fits(numerators: FloatArray, denominators: FloatArray) -> tuple[FloatArray, ...]:
    """Chi-squared, gradient and the five leave-one-out gradients of each row, as
    :func:`_proportion_trend`."""
    t = np.arange(1.0, POINTS + 1)
    p = numerators / denominators
    logits = np.log(p / (1 - p))
    n, c = denominators.sum(axis=1), numerators.sum(axis=1)
    nt, ct = (denominators * t).sum(axis=1), (numerators * t).sum(axis=1)
    ntt = (denominators * t * t).sum(axis=1)
    chi2 = n * _squared(n * ct - c * nt) / (c * (n - c) * (n * ntt - _squared(nt)))
    slopes = []
    for i in range(POINTS):  # leave out each of the five points in turn
        kept = np.delete(np.arange(POINTS), i)
        slopes.append(_ols_slopes(t[kept], logits[:, kept]))
    return chi2, _ols_slopes(t, logits), *slopes


def _other_fits(values: FloatArray, lower: FloatArray, upper: FloatArray) -> tuple[FloatArray, ...]:
    """Chi-squared, gradient and the five leave-one-out gradients of each row, as :func:`_other_trend`."""
    weights = (2 * z_value(0.95) / (upper - lower)) ** 2
    t = np.arange(1.0, POINTS + 1)
    gradient, chi2 = _weighted_fits(t, values, weights)
    slopes = []
    for i in range(POINTS):
        kept = np.delete(np.arange(POINTS), i)
        slopes.append(_weighted_fits(t[kept], values[:, kept], weights[:, kept])[0])
    return chi2, gradient, *slopes


def recent_trend_table(
    frame: pd.DataFrame,
    *,
    by: str | list[str],
    period: str,
    polarity: str,
    method: str,
    numerator: str,
    denominator: str,
    value: str,
    lower95: str,
    upper95: str,
) -> pd.DataFrame:
    """Recent-trend markers for every series of a long table at once (one row per series and period).

    ``by`` names the columns that identify a series and ``period`` the column that orders its
    points. ``polarity`` names a column of 'higher_is_better', 'lower_is_better' or 'no_judgement',
    and ``method`` a column of 'proportion' (the chi-squared test for trend on ``numerator`` and
    ``denominator``) or 'other' (the weighted regression on ``value`` with its 95% limits
    ``lower95`` and ``upper95``); both must be the same on every row of a series.

    Returns one row per series, in order of first appearance, with the ``by`` columns and
    ``label``, ``reason``, ``chi2`` and ``gradient``: exactly what :func:`recent_trend` gives for
    each series on its own, computed for all the series together with array operations.
    """
    keys, rows, series = group_layout(frame, by, period)
    count = len(keys)
    polarities = per_series(frame[polarity], rows, series)
    methods = per_series(frame[method], rows, series)
    for word in pd.unique(polarities):
        check_polarity(word)
    for word in pd.unique(methods):
        if word not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {word!r}")

    points = np.bincount(series, minlength=count)
    duplicated = np.zeros(count, dtype=bool)
    repeats = pd.DataFrame({"series": series, "period": frame[period].iloc[rows].to_numpy()}).duplicated()
    duplicated[series[repeats.to_numpy()]] = True

    # The latest five points of each series, one series per row (NaN rows for shorter series).
    position = np.arange(series.size) - (np.cumsum(points) - points)[series] - (points - POINTS)[series]
    latest = position >= 0
    figures = {}
    for name in (numerator, denominator, value, lower95, upper95):
        grid = np.full((count, POINTS), np.nan)
        grid[series[latest], position[latest]] = as_float_array(frame[name].iloc[rows])[latest]
        figures[name] = grid
    num, den = figures[numerator], figures[denominator]
    val, low, up = figures[value], figures[lower95], figures[upper95]

    reason = np.full(count, "", dtype=object)
    undecided = np.ones(count, dtype=bool)

    def cannot(where: np.ndarray, why: str) -> None:
        reason[undecided & where] = why
        undecided[where] = False

    proportion = methods == "proportion"
    cannot(duplicated, TrendReason.DUPLICATES)
    cannot(points < POINTS, TrendReason.NOT_ENOUGH)
    cannot(proportion & (np.isnan(num).any(axis=1) | np.isnan(den).any(axis=1)), TrendReason.MISSING_VALUES)
    cannot(
        proportion & ((den <= 0).any(axis=1) | (num <= 0).any(axis=1) | (num >= den).any(axis=1)),
        TrendReason.NOT_STRICT_PROPORTIONS,
    )
    cannot(~proportion & np.isnan(val).any(axis=1), TrendReason.MISSING_VALUES)
    cannot(~proportion & (np.isnan(low).any(axis=1) | np.isnan(up).any(axis=1)), TrendReason.MISSING_LIMITS)
    cannot(~proportion & ~(up > low).all(axis=1), TrendReason.ZERO_WIDTH)

    chi2, gradient = np.full(count, np.nan), np.full(count, np.nan)
    agrees = np.zeros(count, dtype=bool)
    with np.errstate(all="ignore"):  # as for one series: infinite weights give NaN, not an error
        for chosen, fits, grids in (
            (undecided & proportion, _proportion_fits, (num, den)),
            (undecided & ~proportion, _other_fits, (val, low, up)),
        ):
            if chosen.any():
                chi2[chosen], gradient[chosen], *slopes = fits(*(grid[chosen] for grid in grids))
                agrees[chosen] = np.all([np.sign(s) == np.sign(gradient[chosen]) for s in slopes], axis=0)

    significant = chi2 > SIGNIFICANCE
    rising = gradient > 0
    direction = np.select(
        [polarities == p for p in POLARITIES],
        [np.where(rising, *_DIRECTION_WORDS[p]) for p in POLARITIES],
        "",
    ).astype(object)
    label = np.where(undecided, np.where(significant & agrees, direction, NO_CHANGE), CANNOT).astype(object)
    verdict = np.where(
        ~significant,
        TrendReason.NOT_SIGNIFICANT,
        np.where(agrees, TrendReason.SIGNIFICANT, TrendReason.OUTLIER),
    )
    reason[undecided] = verdict[undecided]
    reasons = pd.Series(reason, dtype=object).map(TrendReason)
    return pd.concat(
        [keys, pd.DataFrame({"label": label, "reason": reasons, "chi2": chi2, "gradient": gradient})], axis=1
    )
