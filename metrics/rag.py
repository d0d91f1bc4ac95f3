"""Status against a local target: 'green', 'amber', 'red' or 'not assessed'.

Commissioners set a target (and optionally an amber threshold) for each performance indicator in
the provider contract. The words are statuses, not colours: the dashboard decides how they look.

* By value: meeting the target is green; short of it but meeting the amber threshold is amber;
  anything worse is red. Without an amber threshold there is no amber.
* By confidence interval (``use_ci=True``): green when the whole interval meets the target, red
  when the whole interval misses it, amber when the interval straddles it. A small area's figure
  therefore only goes red when the shortfall is more than chance, in the spirit of the Fingertips
  benchmark comparison (see :mod:`metrics.compare`).

'Meets' means at or above the target when higher is better, at or below when lower is better.
Indicators with no judgement of better or worse, and missing values or targets, are 'not assessed'.

The small-numbers rule (:func:`small_numbers_many`) says when the interval decides: when fewer than
:data:`SMALL_COUNT` events are counted (for a proportion, fewer than 10 with the outcome or fewer than 10
without it), a figure's distance from the target is mostly chance, so the product judges it on its 95%
interval wherever the interval is held.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from metrics.compare import check_polarity
from metrics.stats import Figures, as_float_array

NOT_ASSESSED = "not assessed"
SMALL_COUNT = 10
"""Fewer events than this are small numbers: the target status is judged on the 95% interval. The same
threshold as the exact Poisson interval in ``phe_rate``, and the usual rule of thumb (at least 10 with and
10 without the outcome) for treating a proportion as roughly normal."""


def small_numbers_many(counts: Figures, denominators: Figures, value_types: Figures) -> NDArray[np.bool_]:
    """Whether each figure rests on small numbers: a proportion with fewer than :data:`SMALL_COUNT` with
    the outcome or without it (count, or denominator minus count); any other figure with a count below
    :data:`SMALL_COUNT`. A missing count is not small (nothing says it is); a proportion without its
    denominator is judged on its count alone."""
    count = as_float_array(counts)
    denominator = np.broadcast_to(as_float_array(denominators), count.shape)
    kinds = np.broadcast_to(np.asarray(value_types, dtype=object), count.shape)
    with np.errstate(invalid="ignore"):
        few = count < SMALL_COUNT
        few_without = (denominator - count) < SMALL_COUNT
    return np.asarray(few | ((kinds == "proportion") & few_without), dtype=bool)


def _meets(values: NDArray[np.float64], target: NDArray[np.float64], sign: float) -> NDArray[np.bool_]:
    """Whether each value meets the target; ``sign`` is +1 when higher is better, -1 when lower is."""
    with np.errstate(invalid="ignore"):
        return sign * (values - target) >= 0


def target_status_many(
    values: Figures,
    *,
    target: Figures,
    polarity: str,
    amber_threshold: Figures = None,
    lower: Figures = None,
    upper: Figures = None,
    use_ci: bool = False,
) -> NDArray[np.object_]:
    """Target statuses for whole columns of one indicator (see :func:`target_status`)."""
    check_polarity(polarity)
    value, goal = np.broadcast_arrays(as_float_array(values), as_float_array(target))
    status = np.full(value.shape, NOT_ASSESSED, dtype=object)
    if polarity == "no_judgement":
        return status
    sign = 1.0 if polarity == "higher_is_better" else -1.0
    if use_ci:
        low, high = (np.broadcast_to(as_float_array(a), value.shape) for a in (lower, upper))
        worst, best = (low, high) if sign > 0 else (high, low)
        assessed = ~(np.isnan(value) | np.isnan(goal) | np.isnan(low) | np.isnan(high))
        status[assessed] = "amber"
        status[assessed & ~_meets(best, goal, sign)] = "red"
        status[assessed & _meets(worst, goal, sign)] = "green"
        return status
    amber = np.broadcast_to(as_float_array(amber_threshold), value.shape)
    assessed = ~(np.isnan(value) | np.isnan(goal))
    status[assessed] = "red"
    status[assessed & _meets(value, amber, sign)] = "amber"
    status[assessed & _meets(value, goal, sign)] = "green"
    return status


def target_status(
    value: float | None,
    *,
    target: float | None,
    polarity: str,
    amber_threshold: float | None = None,
    lower: float | None = None,
    upper: float | None = None,
    use_ci: bool = False,
) -> str:
    """Status of one value against its target.

    With ``use_ci=True`` the 95% limits ``lower`` and ``upper`` decide and ``amber_threshold`` is
    not used; a missing limit then gives 'not assessed'. An amber threshold on the wrong side of
    the target (above it when higher is better) raises ``ValueError``.
    """
    check_polarity(polarity)
    if (
        polarity != "no_judgement"
        and target is not None
        and amber_threshold is not None
        and not (pd.isna(target) or pd.isna(amber_threshold))
    ):
        sign = 1.0 if polarity == "higher_is_better" else -1.0
        if sign * (target - amber_threshold) < 0:
            raise ValueError(f"amber threshold {amber_threshold} is on the better side of target {target}")
    statuses = target_status_many(
        [value],
        target=target,
        polarity=polarity,
        amber_threshold=amber_threshold,
        lower=lower,
        upper=upper,
        use_ci=use_ci,
    )
    return str(statuses[0])
