"""Confidence limits for rows that arrive with a count and denominator but no limits.

Provider returns and some extracts give numerator and denominator only. The store computes the 95% and
99.8% limits on load, by the Fingertips methods in :mod:`metrics.stats` (Wilson score for proportions;
exact Poisson below 10 events and Byar's method from 10 for rates), so every figure can be compared with
England and its target on the same footing. Limits a source published are never replaced, and each row
says where its limits came from in ``limits_source``: 'published' when the source gave its 95% limits,
'calculated' when this dashboard worked them out (the 99.8% limits of a row whose source gave only the 95%
are calculated too, and the row stays 'published', as the figures a reader sees are the source's).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import stats

_METHODS = {"proportion": stats.proportion_ci_arrays, "rate": stats.rate_ci_arrays}
_LEVELS = ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998"))


def fill_missing_limits(valid: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """``valid`` with missing limits computed where count and denominator allow, for all rows at once.

    ``indicators`` is indexed by indicator code with ``value_type`` and ``multiplier`` columns. Rows given
    limits here get ``limits_source`` 'calculated' unless the source published their 95% limits.
    """
    if valid.empty:
        return valid
    valid = valid.copy()
    if "limits_source" not in valid:
        valid["limits_source"] = None
    value_type = valid["indicator_code"].map(indicators["value_type"])
    multiplier = valid["indicator_code"].map(indicators["multiplier"]).astype(float)
    counts = pd.to_numeric(valid["count"], errors="coerce")
    denominators = pd.to_numeric(valid["denominator"], errors="coerce")
    for kind, method in _METHODS.items():
        rows = (value_type == kind) & counts.notna() & denominators.notna()
        if not rows.any():
            continue
        for confidence, lower, upper in _LEVELS:
            missing = rows & valid[lower].isna() & valid[upper].isna()
            if not missing.any():
                continue
            low, high = method(
                counts[missing].to_numpy(),
                denominators[missing].to_numpy(),
                confidence=confidence,
                multiplier=1.0,
            )
            scale = multiplier[missing].to_numpy()
            valid.loc[missing, lower] = np.asarray(low) * scale
            valid.loc[missing, upper] = np.asarray(high) * scale
            calculated = missing if confidence == 0.95 else missing & valid["limits_source"].isna()
            valid.loc[calculated, "limits_source"] = "calculated"
    return valid
