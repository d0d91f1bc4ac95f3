"""The slope index of inequality (SII) and relative index of inequality (RII), as PHEindicatormethods'
``phe_sii`` computes them for Fingertips.

The groups (deprivation deciles or quintiles, 5 to 100 of them) are given in order, most deprived first.
Each group sits at the midpoint of its share of the population, ranked by deprivation (0 = most deprived,
1 = least). The SII is the slope of a line fitted through the groups' values, weighted by their population:
the difference it implies between the most and the least deprived ends of the whole population (least minus
most deprived). The RII is the value at the least deprived end over the value at the most deprived end.

The confidence interval comes from simulation, as the reference does: each group's value is drawn many times
from a normal distribution with its standard error (on the log scale for rates, the logit scale for
proportions), the line is refitted each time, and the limits are the percentiles of the simulated slopes.
The simulation here is seeded, so the same figures always give the same interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from metrics.stats import FloatArray, as_float_array, z_value

VALUE_TYPES = ("other", "rate", "proportion")
"""'other' (e.g. life expectancy, no transformation), 'rate' (simulated on the log scale), 'proportion'
(between 0 and 1, simulated on the logit scale)."""
REPETITIONS = 100_000
"""Simulations for the interval, as ``phe_sii``'s default."""
SE_FROM_LIMITS_Z = z_value(0.95)
"""Standard errors are recovered from 95% limits (``phe_sii`` assumes the limits given are 95% ones)."""
FEWEST_GROUPS, MOST_GROUPS = 5, 100


@dataclass(frozen=True)
class SiiResult:
    """The SII and RII with their simulated confidence interval, and the fitted value at the most deprived
    end (``intercept``)."""

    sii: float
    lower: float
    upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    intercept: float
    confidence: float


def midpoints(populations: ArrayLike) -> FloatArray:
    """Each group's position on the deprivation scale: the midpoint of its cumulative population share."""
    share = np.asarray(populations, dtype=float) / np.sum(populations)
    return np.asarray(np.cumsum(share) - share / 2, dtype=float)


def _transform(values: FloatArray, value_type: str) -> FloatArray:
    if value_type == "rate":
        return np.asarray(np.log(values), dtype=float)
    if value_type == "proportion":
        return np.asarray(np.log(values / (1 - values)), dtype=float)
    return values


def _back(values: FloatArray, value_type: str) -> FloatArray:
    if value_type == "rate":
        return np.asarray(np.exp(values), dtype=float)
    if value_type == "proportion":
        return np.asarray(1 / (1 + np.exp(-values)), dtype=float)
    return values


def _check(populations: np.ndarray, values: np.ndarray, value_type: str, confidence: float) -> None:
    if value_type not in VALUE_TYPES:
        raise ValueError(f"value_type must be one of {VALUE_TYPES}, got {value_type!r}")
    if not FEWEST_GROUPS <= populations.size <= MOST_GROUPS:
        raise ValueError(
            f"the slope index needs {FEWEST_GROUPS} to {MOST_GROUPS} groups, got {populations.size}"
        )
    if values.size != populations.size:
        raise ValueError(f"{populations.size} populations but {values.size} values")
    for group, (population, value) in enumerate(zip(populations, values, strict=True), start=1):
        if not population > 0:
            raise ValueError(f"group {group}: the population must be above 0, got {population!r}")
        if np.isnan(value):
            raise ValueError(f"group {group}: the value is missing")
        if value_type == "proportion" and not 0 < value < 1:
            raise ValueError(f"group {group}: a proportion must be between 0 and 1, got {value!r}")
        if value_type == "rate" and not value > 0:
            raise ValueError(f"group {group}: a rate must be above 0, got {value!r}")
    if not 0.9 <= confidence < 1:
        raise ValueError(f"confidence must be from 0.9 to below 1, got {confidence!r}")


def standard_errors(lower: ArrayLike, upper: ArrayLike, value_type: str = "other") -> FloatArray:
    """Standard errors (on the simulation's scale) recovered from 95% confidence limits, as ``phe_sii``."""
    low = _transform(np.asarray(lower, dtype=float), value_type)
    high = _transform(np.asarray(upper, dtype=float), value_type)
    return np.asarray((high - low) / SE_FROM_LIMITS_Z / 2, dtype=float)


def slope_index(
    populations: ArrayLike,
    values: ArrayLike,
    standard_error: ArrayLike,
    *,
    value_type: str = "other",
    multiplier: float = 1.0,
    confidence: float = 0.95,
    repetitions: int = REPETITIONS,
    seed: int = 0,
) -> SiiResult:
    """The SII of ``values`` across groups ordered most deprived first, with ``confidence`` limits.

    ``standard_error`` is on the simulation's scale (log for rates, logit for proportions): use
    :func:`standard_errors` to get it from 95% limits. ``multiplier`` scales the SII (100 for a proportion
    shown as a percentage); a negative one also inverts the RII, as the reference does. ValueError for
    fewer than 5 or more than 100 groups, a population that is not above 0, or a missing value.
    """
    pops = np.atleast_1d(as_float_array(populations))
    vals = np.atleast_1d(as_float_array(values))
    errors = np.atleast_1d(as_float_array(standard_error))
    _check(pops, vals, value_type, confidence)
    if errors.size != vals.size or np.isnan(errors).any() or (errors < 0).any():
        raise ValueError("every group needs a standard error of 0 or more")
    sqrt_a = np.sqrt(pops / pops.sum())
    design = np.column_stack([sqrt_a, midpoints(pops) * sqrt_a])
    solver = np.linalg.solve(design.T @ design, design.T)  # (X'X)^-1 X', as the reference
    intercept, slope = solver @ (sqrt_a * vals)
    rng = np.random.default_rng(seed)
    draws = rng.normal(_transform(vals, value_type), errors, size=(repetitions, vals.size))
    fitted = (_back(draws, value_type) * sqrt_a) @ solver.T
    sims_sii = np.sort(fitted[:, 1] * multiplier)
    sims_rii = (fitted[:, 0] + fitted[:, 1]) / fitted[:, 0]
    sims_rii = np.sort(1 / sims_rii if multiplier < 0 else sims_rii)
    upper_point = confidence + (1 - confidence) / 2
    low_at, high_at = round(repetitions * (1 - upper_point)) - 1, round(repetitions * upper_point) - 1
    rii = (intercept + slope) / intercept
    return SiiResult(
        sii=float(slope * multiplier),
        lower=float(sims_sii[low_at]),
        upper=float(sims_sii[high_at]),
        rii=float(1 / rii if multiplier < 0 else rii),
        rii_lower=float(sims_rii[low_at]),
        rii_upper=float(sims_rii[high_at]),
        intercept=float(intercept),
        confidence=confidence,
    )
