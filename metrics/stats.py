"""Confidence intervals for proportions and crude rates, as published on Fingertips.

The methods are those of PHEindicatormethods (``phe_proportion`` and ``phe_rate``), which the
Office for Health Improvement and Disparities uses for Fingertips, and of the Fingertips
technical guidance ("Confidence intervals"):

* proportions: the Wilson score interval (Wilson 1927; Newcombe and Altman 2000);
* rates: the exact Poisson interval when the count is below 10 and Byar's approximation
  (Breslow and Day 1987) from 10 upwards.

Every function comes in two shapes. The scalar functions check their input and raise
``ValueError`` on impossible data, because a single bad figure is a bug to fix. The ``*_arrays``
functions compute whole columns at once and return NaN wherever an input is missing or invalid,
so that one bad row never stops a load.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import TypeGuard, cast

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
Figures = ArrayLike | Sequence[float | None] | None
"""A column of figures: an array, Series, list or single number; None, NaN or pandas NA is missing."""

EXACT_BELOW = 10
"""Counts below this use the exact Poisson interval; from here on Byar's method (phe_rate)."""


def _checked(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be a fraction between 0 and 1, got {confidence!r}")
    return confidence


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for a confidence level given as a fraction (0.95 -> 1.96).

    The standard library's inverse normal, which agrees with SciPy's ``norm.ppf`` to within a few parts in
    10^16: SciPy is imported only where exact Poisson limits need it, as importing it took a third of the
    dashboard's start-up."""
    return NormalDist().inv_cdf(0.5 + _checked(confidence) / 2)


def as_float_array(values: Figures) -> FloatArray:
    """Turn a sequence, Series or scalar into a float array, with None and pandas NA as NaN."""
    if isinstance(values, np.ndarray):
        return values.astype(np.float64)
    to_numpy = getattr(values, "to_numpy", None)  # a pandas Series, Index or extension array
    if to_numpy is not None:
        return np.asarray(to_numpy(dtype=float, na_value=np.nan), dtype=np.float64)
    if pd.api.types.is_scalar(values):
        scalar = cast(float | None, values)
        return np.asarray(np.nan if pd.isna(scalar) else scalar, dtype=np.float64)
    items = cast(Sequence[float | None], values)
    return np.array([np.nan if pd.isna(v) else v for v in items], dtype=np.float64)


def wilson_limits(
    numerators: Figures, denominators: Figures, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score limits on the 0-1 scale, with no validation (NaN in, NaN out).

    This is the building block of :func:`proportion_ci_arrays`, equal to the internal
    ``wilson_lower``/``wilson_upper`` helpers of PHEindicatormethods. The limits are clipped to
    [0, p] and [p, 1] so that rounding never puts them on the wrong side of the proportion.
    """
    x, n = as_float_array(numerators), as_float_array(denominators)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        spread = z * np.sqrt(z**2 + 4 * x * (1 - p))
        lower = (2 * x + z**2 - spread) / 2 / (n + z**2)
        upper = (2 * x + z**2 + spread) / 2 / (n + z**2)
    return np.clip(lower, 0, p), np.clip(upper, p, 1)


def byars_limits(counts: Figures, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximate Poisson limits for a count, on the count scale.

    Equal to the internal ``byars_lower``/``byars_upper`` helpers of PHEindicatormethods,
    including their rule that a lower limit which comes out negative (tiny counts at high
    confidence) is NaN. :func:`rate_ci_arrays` only uses it for counts of 10 or more.
    """
    x = as_float_array(counts)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    return np.where(lower < 0, np.nan, lower), upper


def exact_poisson_limits(counts: Figures, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson limits for a count: chi-squared quantiles on 2x and 2x + 2 degrees of freedom, halved.

    Written with the inverse regularised gamma function, which equals qchisq(q, 2x) / 2.
    A count of 0 has a lower limit of exactly 0.
    """
    from scipy.special import gammaincinv  # imported here: SciPy is slow to import and rarely needed

    x = as_float_array(counts)
    alpha = 1 - _checked(confidence)
    with np.errstate(invalid="ignore"):
        lower = np.where(x == 0, 0.0, gammaincinv(np.where(x == 0, 1.0, x), alpha / 2))
        upper = np.asarray(gammaincinv(x + 1, 1 - alpha / 2), dtype=np.float64)
    return np.where(np.isnan(x), np.nan, lower), upper


def proportion_ci_arrays(
    numerators: Figures,
    denominators: Figures,
    *,
    confidence: float = 0.95,
    multiplier: float = 100,
) -> tuple[FloatArray, FloatArray]:
    """Wilson score limits for whole columns, scaled by ``multiplier`` (100 gives percentages).

    NaN where the numerator or denominator is missing, negative, the denominator is 0, or the
    numerator exceeds the denominator.
    """
    x, n = as_float_array(numerators), as_float_array(denominators)
    with np.errstate(invalid="ignore"):
        valid = (x >= 0) & (n > 0) & (x <= n)
    lower, upper = wilson_limits(np.where(valid, x, np.nan), np.where(valid, n, np.nan), confidence)
    return lower * multiplier, upper * multiplier


def rate_ci_arrays(
    counts: Figures,
    denominators: Figures,
    *,
    confidence: float = 0.95,
    multiplier: float = 1000,
) -> tuple[FloatArray, FloatArray]:
    """Crude-rate limits for whole columns: exact Poisson below 10 events, Byar's from 10.

    The count limits are divided by the denominator and scaled by ``multiplier`` (100,000 gives
    a rate per 100,000). NaN where an input is missing, the count is negative or the denominator
    is not positive. A rate may exceed the multiplier (more events than person-years).
    """
    x, n = as_float_array(counts), as_float_array(denominators)
    with np.errstate(invalid="ignore"):
        valid = (x >= 0) & (n > 0)
    x = np.where(valid, x, np.nan)
    exact_lower, exact_upper = exact_poisson_limits(x, confidence)
    byars_lower, byars_upper = byars_limits(x, confidence)
    exact = x < EXACT_BELOW
    scale = multiplier / np.where(valid, n, np.nan)
    return (
        np.where(exact, exact_lower, byars_lower) * scale,
        np.where(exact, exact_upper, byars_upper) * scale,
    )


def _is_present(value: float | None) -> TypeGuard[float]:
    return not pd.isna(value)


def proportion_ci(
    numerator: float | None,
    denominator: float | None,
    *,
    confidence: float = 0.95,
    multiplier: float = 100,
) -> tuple[float, float]:
    """Wilson score interval for one proportion, e.g. 45 of 50 children -> (79.0, 95.7) per cent.

    0 of n and n of n are valid (the limits reach 0 and ``multiplier``). A missing input gives
    (NaN, NaN); a negative figure, a zero denominator or a numerator above the denominator raises
    ``ValueError``.
    """
    if not (_is_present(numerator) and _is_present(denominator)):
        return math.nan, math.nan
    if numerator < 0 or denominator <= 0:
        raise ValueError("numerator must be >= 0 and denominator > 0")
    if numerator > denominator:
        raise ValueError(f"numerator {numerator} exceeds denominator {denominator}")
    lower, upper = proportion_ci_arrays(
        [numerator], [denominator], confidence=confidence, multiplier=multiplier
    )
    return float(lower[0]), float(upper[0])


def rate_ci(
    count: float | None,
    denominator: float | None,
    *,
    confidence: float = 0.95,
    multiplier: float = 1000,
) -> tuple[float, float]:
    """Confidence interval for one crude rate: exact Poisson below 10 events, Byar's from 10.

    A count of 0 has a lower limit of 0. A missing input gives (NaN, NaN); a negative count or a
    denominator that is not positive raises ``ValueError``.
    """
    if not (_is_present(count) and _is_present(denominator)):
        return math.nan, math.nan
    if count < 0 or denominator <= 0:
        raise ValueError("count must be >= 0 and denominator > 0")
    lower, upper = rate_ci_arrays([count], [denominator], confidence=confidence, multiplier=multiplier)
    return float(lower[0]), float(upper[0])
