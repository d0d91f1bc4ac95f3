"""Comparison of an area's value with a benchmark (England, the region or a target value).

This is the Fingertips "compared with benchmark" rating (Fingertips technical guidance,
"Comparing an indicator value with a benchmark"; PHEindicatormethods uses the same rule): the
area differs from the benchmark only when the benchmark lies strictly outside the area's
confidence interval. Whether higher is better (the indicator's polarity) turns "higher" and
"lower" into "better" and "worse"; with no judgement the words stay "higher" and "lower".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from metrics.stats import Figures, as_float_array

POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")

NOT_COMPARED = "not compared"
SIMILAR = "similar"

_WORDS = {
    # polarity: (word when the area is higher, word when the area is lower)
    "higher_is_better": ("better", "worse"),
    "lower_is_better": ("worse", "better"),
    "no_judgement": ("higher", "lower"),
}


def check_polarity(polarity: str) -> str:
    """Return the polarity unchanged, or raise ``ValueError`` if it is not one of ``POLARITIES``."""
    if polarity not in _WORDS:
        raise ValueError(f"polarity must be one of {POLARITIES}, got {polarity!r}")
    return polarity


def benchmark_many(
    lower: Figures,
    upper: Figures,
    benchmark: Figures,
    polarity: str | ArrayLike,
) -> NDArray[np.object_] | pd.Series:
    """Benchmark labels for whole columns; a Series in gives a Series (same index) out.

    ``polarity`` is one word for every row or one per row. Rows with a missing input, or with a
    lower limit above the upper, are 'not compared'.
    """
    lo, up, bench = (as_float_array(a) for a in (lower, upper, benchmark))
    lo, up, bench = np.broadcast_arrays(lo, up, bench)
    polarities = np.broadcast_to(np.asarray(polarity, dtype=object), lo.shape)
    for value in set(polarities.ravel()):
        check_polarity(value)
    labels = np.full(lo.shape, SIMILAR, dtype=object)
    with np.errstate(invalid="ignore"):
        area_higher, area_lower = bench < lo, bench > up
        missing = np.isnan(lo) | np.isnan(up) | np.isnan(bench) | (lo > up)
    for word, chosen in ((0, area_higher), (1, area_lower)):
        labels[chosen] = [_WORDS[p][word] for p in polarities[chosen]]
    labels[missing] = NOT_COMPARED
    if isinstance(lower, pd.Series):
        return pd.Series(labels, index=lower.index)
    return labels


def benchmark(
    *,
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    polarity: str,
) -> str:
    """Compare one area with a benchmark from the area's confidence limits.

    Returns 'better', 'similar' or 'worse' ('higher', 'similar' or 'lower' when the polarity is
    'no_judgement'), and 'not compared' when any input is missing. A benchmark equal to a limit
    is 'similar'. A lower limit above the upper limit raises ``ValueError``.
    """
    check_polarity(polarity)
    if lower is not None and upper is not None and not (pd.isna(lower) or pd.isna(upper)) and lower > upper:
        raise ValueError(f"lower limit {lower} is above upper limit {upper}")
    return str(benchmark_many([lower], [upper], [benchmark], polarity)[0])
