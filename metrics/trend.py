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

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from metrics.compare import check_polarity
from metrics.stats import FloatArray, as_float_array, z_value

POINTS = 5
SIGNIFICANCE = 9.5495
"""99.8% point of the chi-squared distribution with 1 degree of freedom, as Fingertips uses."""

CANNOT = "cannot be calculated"
NO_CHANGE = "no significant change"

_DIRECTION_WORDS = {
    "higher_is_better": ("increasing and getting better", "decreasing and getting worse"),
    "lower_is_better": ("increasing and getting worse", "decreasing and getting better"),
    "no_judgement": ("increasing", "decreasing"),
}


@dataclass(frozen=True)
class TrendResult:
    """A recent-trend marker.

    ``label`` is the marker; ``reason`` says why (e.g. 'not enough data points', 'outlier found');
    ``chi2`` and ``gradient`` are NaN when the trend cannot be calculated.
    """

    label: str
    chi2: float
    gradient: float
    reason: str


def _cannot(reason: str) -> TrendResult:
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
        return TrendResult(NO_CHANGE, chi2, gradient, "no significant trend")
    if not _leave_one_out_agrees(slopes_without, gradient):
        return TrendResult(NO_CHANGE, chi2, gradient, "outlier found")
    increasing, decreasing = _DIRECTION_WORDS[polarity]
    label = increasing if gradient > 0 else decreasing
    return TrendResult(label, chi2, gradient, "no outliers and significant trend")


def _without(index: int, *arrays: FloatArray) -> list[FloatArray]:
    return [np.delete(a, index) for a in arrays]


def _proportion_trend(numerators: FloatArray, denominators: FloatArray, polarity: str) -> TrendResult:
    if np.isnan(numerators).any() or np.isnan(denominators).any():
        return _cannot("missing values")
    if (denominators <= 0).any() or (numerators <= 0).any() or (numerators >= denominators).any():
        return _cannot("proportions must lie strictly between 0 and 1 for the logit gradient")
    t = np.arange(1.0, POINTS + 1)
    gradient = _logit_gradient(t, numerators, denominators)
    slopes = [_logit_gradient(*_without(i, t, numerators, denominators)) for i in range(POINTS)]
    return _label(_proportion_chi2(t, numerators, denominators), gradient, slopes, polarity)


def _other_trend(values: FloatArray, lower: FloatArray, upper: FloatArray, polarity: str) -> TrendResult:
    if np.isnan(values).any():
        return _cannot("missing values")
    if np.isnan(lower).any() or np.isnan(upper).any():
        return _cannot("missing at least one confidence interval value")
    if not (upper > lower).all():
        return _cannot("confidence intervals must have positive width")
    weights = (2 * z_value(0.95) / (upper - lower)) ** 2
    t = np.arange(1.0, POINTS + 1)
    gradient, chi2 = _weighted_fit(t, values, weights)
    slopes = [_weighted_fit(*_without(i, t, values, weights))[0] for i in range(POINTS)]
    return _label(chi2, gradient, slopes, polarity)


def _series(arrays: dict[str, ArrayLike | None]) -> dict[str, FloatArray]:
    converted = {name: np.atleast_1d(as_float_array(a)) for name, a in arrays.items()}
    if len({a.size for a in converted.values()}) > 1:
        raise ValueError(f"{', '.join(converted)} must have the same length")
    return converted


def recent_trend(
    *,
    polarity: str,
    numerators: ArrayLike | None = None,
    denominators: ArrayLike | None = None,
    values: ArrayLike | None = None,
    lower95: ArrayLike | None = None,
    upper95: ArrayLike | None = None,
    periods: ArrayLike | None = None,
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
            return _cannot("duplicate periods")
        index = order.sort_values(kind="stable").index.to_numpy()
        series = {name: a[index] for name, a in series.items()}
    if next(iter(series.values())).size < POINTS:
        return _cannot("not enough data points")
    latest = [a[-POINTS:] for a in series.values()]
    if "numerators" in series:
        return _proportion_trend(*latest, polarity)
    return _other_trend(*latest, polarity)


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
    columns = {"numerators": numerator, "denominators": denominator, "values": value,
               "lower95": lower95, "upper95": upper95}
    rows = []
    for key, group in frame.groupby(by, sort=False, dropna=False):
        figures = {arg: group[col] for arg, col in columns.items() if col is not None}
        result = recent_trend(polarity=polarity, periods=group[period], **figures)
        keys = key if isinstance(key, tuple) else (key,)
        rows.append((*keys, result.label, result.reason, result.chi2, result.gradient))
    group_columns = [by] if isinstance(by, str) else list(by)
    return pd.DataFrame(rows, columns=[*group_columns, "label", "reason", "chi2", "gradient"])
