"""Funnel plots: each area's figure against its size, with control limits around a benchmark.

The method is Public Health England's ("Technical Guide: Funnel plots for small area data"; Fingertips
technical guidance, "Funnel plots"), as PHEindicatormethods implements it (``calculate_funnel_limits`` and
``assign_funnel_significance``):

* proportions: the limits are where the Wilson score interval of a proportion would just touch the
  benchmark, at 95% (z = 1.96) and 99.8% (z = 3.09); an area is outside a limit when the benchmark lies
  outside its own Wilson interval at that level, so the funnel and the Fingertips comparison with England
  agree;
* rates (crude or directly standardised): Poisson limits, exact (chi-squared) for the curves; an area is
  outside a limit when the benchmark lies outside its own interval, exact below 10 events and Byar's from 10.
  A standardised rate uses the population its count and rate imply (multiplier x count / rate), and one
  from fewer than 10 events is not assessed.

The benchmark is given (the dashboard uses England's figure); :func:`pooled_average` gives the average of
the areas themselves, as the reference implementation uses when no benchmark is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from metrics.stats import Figures, FloatArray, as_float_array, byars_limits, exact_poisson_limits, z_value

LEVELS = (0.95, 0.998)
"""The two control limits: about 2 and 3 standard deviations."""
GRID_POINTS = 100
EXACT_BELOW = 10
"""Fewer events than this: exact Poisson interval for the area; a standardised rate is not assessed."""

Outcome = Literal["high_998", "high_95", "within", "low_95", "low_998", "not assessed"]
OUTCOMES: tuple[Outcome, ...] = ("high_998", "high_95", "within", "low_95", "low_998", "not assessed")


@dataclass(frozen=True)
class Limits:
    """Funnel limits at each x value: ``x`` is the denominator (proportions) or, for rates, each curve's own
    population (``x_lower95`` and so on), as each rate curve is traced by its number of events."""

    x: FloatArray
    lower95: FloatArray
    upper95: FloatArray
    lower998: FloatArray
    upper998: FloatArray
    baseline: float
    x_lower95: FloatArray | None = None
    x_upper95: FloatArray | None = None
    x_lower998: FloatArray | None = None
    x_upper998: FloatArray | None = None


# --- Proportions --------------------------------------------------------------------------------------------


def proportion_limit(denominators: Figures, average: float, level: float, side: str) -> FloatArray:
    """The proportion (0-1 scale) whose Wilson interval at ``level`` just touches ``average``, for each
    denominator: the lower (``side='low'``) or upper (``'high'``) funnel limit.

    PHEindicatormethods' ``sigma_adjustment``, which solves the Wilson score formula for the observed
    proportion. Where no proportion reaches the average (tiny denominators) the result is NaN.
    """
    n = as_float_array(denominators)
    z2 = z_value(level) ** 2  # 1.96 for 95%, 3.09 for 99.8%
    p = float(average)
    first = p * (n / z2 + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.sqrt(
            (-8 * p * (n / z2 + 1)) ** 2
            - 64 * (1 / z2 + 1 / n) * p * (n * (p * (n / z2 + 2) - 1) + z2 * (p - 1))
        )
        last = 1 / z2 + 1 / n
        sign = -1 if side == "low" else 1
        return (first + sign * spread / 8) / last / n


def proportion_limits(denominators: Figures, average: float, multiplier: float = 100) -> Limits:
    """The four funnel limits for proportions at each denominator, scaled by ``multiplier`` and kept within
    0 and ``multiplier`` (the reference implementation's ``max(0, …)`` and ``min(100, …)``)."""
    n = as_float_array(denominators)

    def clipped(level: float, side: str) -> FloatArray:
        return np.clip(proportion_limit(n, average, level, side) * multiplier, 0, multiplier)

    return Limits(
        x=n,
        lower95=clipped(0.95, "low"),
        upper95=clipped(0.95, "high"),
        lower998=clipped(0.998, "low"),
        upper998=clipped(0.998, "high"),
        baseline=average * multiplier,
    )


def proportion_outcomes(numerators: Figures, denominators: Figures, average: float) -> list[Outcome]:
    """Where each area's proportion lies against the funnel around ``average`` (0-1 scale).

    As ``assign_funnel_significance``: below the 99.8% lower limit is "low_998", else below the 95% one
    "low_95", and the same above; a missing or impossible figure (no denominator, numerator above it) is
    "not assessed".
    """
    x, n = as_float_array(numerators), as_float_array(denominators)
    outcomes: list[Outcome] = []
    for xi, ni in zip(np.atleast_1d(x), np.atleast_1d(n), strict=True):
        if not (ni > 0 and 0 <= xi <= ni):
            outcomes.append("not assessed")
            continue
        p = xi / ni
        if p < proportion_limit(ni, average, 0.998, "low"):
            outcomes.append("low_998")
        elif p < proportion_limit(ni, average, 0.95, "low"):
            outcomes.append("low_95")
        elif p > proportion_limit(ni, average, 0.998, "high"):
            outcomes.append("high_998")
        elif p > proportion_limit(ni, average, 0.95, "high"):
            outcomes.append("high_95")
        else:
            outcomes.append("within")
    return outcomes


# --- Rates --------------------------------------------------------------------------------------------------


def derived_denominators(
    counts: Figures, rates: Figures, denominators: Figures, multiplier: float, *, standardised: bool
) -> FloatArray:
    """The population each rate stands for: multiplier x count / rate (for a standardised rate, the
    population that would give the same rate crude). With no events a crude rate uses its denominator and a
    standardised rate has none (NaN)."""
    x, r, n = as_float_array(counts), as_float_array(rates), as_float_array(denominators)
    with np.errstate(invalid="ignore", divide="ignore"):
        implied = multiplier * x / r
    fallback = np.full_like(implied, np.nan) if standardised else n
    return np.where(x == 0, fallback, implied)


def _curve_populations(events: FloatArray, average: float, level: float) -> tuple[FloatArray, FloatArray]:
    """For each number of events, the populations at which the exact Poisson interval of that count just
    touches ``average``: its upper limit (the lower curve) and its lower limit (the upper curve)."""
    from scipy.special import gammaincinv  # imported here: SciPy is slow to import and rarely needed

    alpha = 1 - level
    upper_count = np.asarray(gammaincinv(events + 1, 1 - alpha / 2), dtype=np.float64)
    lower_count = np.asarray(gammaincinv(events, alpha / 2), dtype=np.float64)
    return upper_count / average, lower_count / average


def rate_limits(events: Figures, average: float, multiplier: float, *, years_of_data: float = 1) -> Limits:
    """The four funnel curves for rates, each traced by a number of events: at ``events`` k, the lower curve
    is at the population where k's exact upper limit equals ``average`` (per person), the rate there k /
    population; the upper curve likewise from k's exact lower limit. Rates are per ``multiplier``; the
    populations are per year of ``years_of_data`` (the events are over all of them).

    The reference implementation finds the same exact limits by bisection (``poisson_funnel``).
    """
    k = as_float_array(events)
    lower95_x, upper95_x = _curve_populations(k, average, 0.95)
    lower998_x, upper998_x = _curve_populations(k, average, 0.998)
    with np.errstate(divide="ignore"):
        return Limits(
            x=k,
            lower95=k / lower95_x * multiplier,
            upper95=k / upper95_x * multiplier,
            lower998=k / lower998_x * multiplier,
            upper998=k / upper998_x * multiplier,
            baseline=average * multiplier,
            x_lower95=lower95_x / years_of_data,
            x_upper95=upper95_x / years_of_data,
            x_lower998=lower998_x / years_of_data,
            x_upper998=upper998_x / years_of_data,
        )


def _events_on_curve(expected: float, level: float, side: str) -> float:
    """The (fractional) number of events whose exact limit equals ``expected``: its upper limit for the
    lower curve (``side='low'``), its lower limit for the upper curve. 0 when no count reaches it."""
    from scipy.optimize import brentq  # imported here: SciPy is slow to import and rarely needed
    from scipy.special import gammaincinv

    alpha = 1 - level
    if side == "low":

        def gap(k: float) -> float:
            return float(gammaincinv(k + 1, 1 - alpha / 2)) - expected

        if gap(0) >= 0:
            return 0.0
    else:

        def gap(k: float) -> float:
            return float(gammaincinv(k, alpha / 2)) - expected

    high = max(10.0, 2 * expected + 50)
    return float(brentq(gap, 1e-9, high, xtol=1e-10, rtol=1e-12))


def rate_limits_at(populations: Figures, average: float, multiplier: float) -> Limits:
    """The four rate funnel limits at given populations (the table beside the chart): the same curves as
    :func:`rate_limits`, found for each population by solving for the number of events."""
    n = as_float_array(np.atleast_1d(as_float_array(populations)))
    values: dict[str, list[float]] = {"lower95": [], "upper95": [], "lower998": [], "upper998": []}
    for ni in n:
        for name, level, side in (
            ("lower95", 0.95, "low"),
            ("upper95", 0.95, "high"),
            ("lower998", 0.998, "low"),
            ("upper998", 0.998, "high"),
        ):
            if math.isnan(ni) or ni <= 0:
                values[name].append(math.nan)
            else:
                values[name].append(_events_on_curve(average * ni, level, side) / ni * multiplier)
    return Limits(
        x=n,
        lower95=np.asarray(values["lower95"]),
        upper95=np.asarray(values["upper95"]),
        lower998=np.asarray(values["lower998"]),
        upper998=np.asarray(values["upper998"]),
        baseline=average * multiplier,
    )


def _rate_interval(count: float, population: float, level: float) -> tuple[float, float]:
    """An area's rate interval per person: exact Poisson below 10 events, Byar's from 10 (``phe_rate``)."""
    if count < EXACT_BELOW:
        lower, upper = exact_poisson_limits([count], level)
    else:
        lower, upper = byars_limits([count], level)
    return float(lower[0]) / population, float(upper[0]) / population


def rate_outcomes(
    counts: Figures, populations: Figures, average: float, *, standardised: bool = False
) -> list[Outcome]:
    """Where each area's rate lies against the funnel around ``average`` (per person): "high_998" when
    ``average`` is below its 99.8% interval, and so on, as ``assign_funnel_significance`` does.
    ``populations`` are the derived denominators (:func:`derived_denominators`). A standardised rate from
    fewer than 10 events, or a missing figure, is "not assessed"."""
    x, n = as_float_array(counts), as_float_array(populations)
    outcomes: list[Outcome] = []
    for xi, ni in zip(np.atleast_1d(x), np.atleast_1d(n), strict=True):
        if math.isnan(xi) or xi < 0 or (standardised and xi < EXACT_BELOW):
            outcomes.append("not assessed")
            continue
        if math.isnan(ni) or ni <= 0:
            outcomes.append("not assessed")
            continue
        low998, high998 = _rate_interval(xi, ni, 0.998)
        low95, high95 = _rate_interval(xi, ni, 0.95)
        if average < low998:
            outcomes.append("high_998")
        elif average < low95:
            outcomes.append("high_95")
        elif average > high998:
            outcomes.append("low_998")
        elif average > high95:
            outcomes.append("low_95")
        else:
            outcomes.append("within")
    return outcomes


# --- The x axis ---------------------------------------------------------------------------------------------


def _floor_neat(x: float, down: float = 0.95) -> float:
    """``x`` lowered by 5% and rounded down to its leading digit (``signif.floor``): 29,813 -> 20,000."""
    if x == 0:
        return 0.0
    digits = len(str(math.floor(x * down))) - 1
    return float(math.floor(x * down / 10.0**digits) * 10.0**digits)


def _ceiling_neat(x: float, up: float = 1.05) -> float:
    """``x`` raised by 5% and rounded up to its two leading digits (``signif.ceiling``): 80,002 -> 85,000."""
    if x == 0:
        return 0.0
    digits = len(str(math.ceil(x * up))) - 2
    return float(math.ceil(x * up / 10.0**digits) * 10.0**digits)


def axis_range(denominators: Figures, *, years_of_data: float = 1) -> tuple[float, float]:
    """The denominators the funnel is drawn over: from 0 when the largest area is more than twice the
    smallest (else from just below the smallest), to just above the largest, in neat round numbers."""
    n = as_float_array(denominators)
    n = n[~np.isnan(n)]
    smallest, largest = float(n.min()), float(n.max())
    minimum = 0.0 if largest > 2 * smallest else _floor_neat(smallest / years_of_data) * years_of_data
    return minimum, _ceiling_neat(largest / years_of_data) * years_of_data


def grid(minimum: float, maximum: float, points: int = GRID_POINTS) -> FloatArray:
    """``points`` whole numbers from ``minimum`` (at least 1) to about ``maximum``, spaced geometrically so
    that the funnel's curved neck has as many points as its straight tail (``calculate_funnel_limits``)."""
    values = [max(1.0, minimum)]
    for j in range(2, points + 1):
        previous = values[-1]
        step = float(np.round((maximum / previous) ** (1 / (points + 1 - j)) * previous))
        values.append(max(step, previous + 1))
    return np.asarray(values, dtype=np.float64)


def pooled_average(numerators: Figures, denominators: Figures) -> float:
    """The areas' own average (sum of numerators over sum of denominators), per unit."""
    x, n = as_float_array(numerators), as_float_array(denominators)
    return float(np.nansum(x) / np.nansum(n))


def proportion_funnel(denominators: Figures, average: float, multiplier: float = 100) -> Limits:
    """The proportion funnel drawn over the areas' denominators (:func:`axis_range`, :func:`grid`)."""
    return proportion_limits(grid(*axis_range(denominators)), average, multiplier)


def rate_funnel(
    populations: Figures, average: float, multiplier: float, *, years_of_data: float = 1
) -> Limits:
    """The rate funnel drawn over the areas' populations: the events grid runs between the events expected
    at the smallest and largest population (``calculate_funnel_limits`` for rates)."""
    minimum, maximum = axis_range(populations, years_of_data=years_of_data)
    events = grid(math.floor(minimum * average), math.ceil(maximum * average))
    return rate_limits(events, average, multiplier, years_of_data=years_of_data)
