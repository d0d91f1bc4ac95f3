"""The measures of inequality under a deprivation chart: the gap between the most and the least deprived in
words, and the slope index of inequality (:func:`metrics.sii.slope_index`, PHEindicatormethods' ``phe_sii``)
where the figures allow it (at least five deprivation groups, each with its population and interval); where
they do not, the page says what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from dash import html

from dashboard.components.charts.breakdowns import deprivation_key
from dashboard.components.charts.words import in_sentence, lower_first, value_text
from dashboard.formatting import number
from metrics import sii


def is_deprivation(kind: str) -> bool:
    """Whether a breakdown divides people by deprivation."""
    return "depriv" in kind.lower()


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """The groups most deprived first (groups that name no deprivation level are left out)."""
    keys = rows["group"].map(deprivation_key)
    kept = rows[keys.notna()].assign(_key=keys[keys.notna()])
    return kept.sort_values("_key").drop(columns="_key")


def _difference_text(difference: float, indicator: Mapping) -> str:
    """A gap with its unit: "4.4 percentage points", "12.0 per 100,000"."""
    if indicator.get("unit") == "%":
        return f"{number(round(abs(difference), 1))} percentage points"
    return value_text(abs(difference), indicator)


def _signed_text(value: float, indicator: Mapping) -> str:
    """A slope with its sign and unit: "-4.1 percentage points"."""
    if indicator.get("unit") == "%":
        return f"{number(round(value, 1))} percentage points"
    return value_text(round(value, 1), indicator)


def gap_sentence(rows: pd.DataFrame, indicator: Mapping, area_name: str, period: str) -> str | None:
    """The most against the least deprived group in words, with whether their 95% intervals overlap; None
    with fewer than two deprivation groups."""
    ordered = _ordered(rows[rows["value"].notna()])
    if len(ordered) < 2:
        return None
    most, least = ordered.iloc[0], ordered.iloc[-1]
    difference = float(most["value"]) - float(least["value"])
    name = in_sentence(str(indicator.get("short_name", "")))
    text = (
        f"In {period}, {name} in {area_name} was {value_text(most['value'], indicator)} in the "
        f"{lower_first(str(most['group']))} and {value_text(least['value'], indicator)} in the "
        f"{lower_first(str(least['group']))}: "
    )
    if difference == 0:
        return text + "no gap."
    side = "higher" if difference > 0 else "lower"
    text += f"{_difference_text(difference, indicator)} {side} in the most deprived."
    limits = [most["lower95"], most["upper95"], least["lower95"], least["upper95"]]
    if all(pd.notna(limit) for limit in limits):
        apart = most["lower95"] > least["upper95"] or least["lower95"] > most["upper95"]
        text += f" Their 95% intervals {'do not overlap' if apart else 'overlap'}."
    return text


def _inputs(ordered: pd.DataFrame, indicator: Mapping) -> tuple[str, float, np.ndarray, np.ndarray] | str:
    """(value type, multiplier, values, standard errors) for the slope index, or why it cannot be worked
    out."""
    if len(ordered) < sii.FEWEST_GROUPS:
        return f"it needs at least {sii.FEWEST_GROUPS} deprivation groups and there are {len(ordered)}"
    missing = ordered[ordered["value"].isna() | ~(ordered["denominator"] > 0)]
    if len(missing):
        return "it needs the population of each group, which the figures held do not give"
    if ordered[["lower95", "upper95"]].isna().any().any():
        return "it needs a confidence interval for each group, which the figures held do not give"
    kind = {"proportion": "proportion", "rate": "rate"}.get(str(indicator.get("value_type")), "other")
    scale = float(indicator.get("multiplier") or 1) if kind == "proportion" else 1.0
    values = ordered["value"].to_numpy(float) / scale
    lower, upper = ordered["lower95"].to_numpy(float) / scale, ordered["upper95"].to_numpy(float) / scale
    bounded = {"proportion": (0.0, 1.0), "rate": (0.0, np.inf)}.get(kind)
    if bounded and ((lower <= bounded[0]) | (values <= bounded[0]) | (upper >= bounded[1])).any():
        return "a group's figure or interval reaches the end of the scale, where the method cannot be used"
    return kind, scale, values, sii.standard_errors(lower, upper, kind)


def slope_index(rows: pd.DataFrame, indicator: Mapping) -> sii.SiiResult | str:
    """The slope index of inequality of the area's deprivation groups for one period (``rows`` with group,
    value, lower95, upper95 and denominator), in the indicator's units; or why it cannot be worked out."""
    ordered = _ordered(rows)
    found = _inputs(ordered, indicator)
    if isinstance(found, str):
        return found
    kind, scale, values, errors = found
    return sii.slope_index(
        ordered["denominator"].to_numpy(float), values, errors, value_type=kind, multiplier=scale
    )


def sii_sentence(rows: pd.DataFrame, indicator: Mapping) -> str:
    """The slope index of inequality in words, or why it is not shown."""
    found = slope_index(rows, indicator)
    if isinstance(found, str):
        return f"The slope index of inequality is not shown: {found}."
    groups = len(_ordered(rows))
    interval = f"95% interval {number(round(found.lower, 1))} to {number(round(found.upper, 1))}"
    text = f"Slope index of inequality: {_signed_text(found.sii, indicator)} ({interval}). "
    if round(found.sii, 1) == 0:
        return text + "The line fitted through the groups is flat."
    side = "higher" if found.sii > 0 else "lower"
    text += (
        f"Across the whole population, the figure is {_difference_text(found.sii, indicator)} {side} at the "
        f"least deprived end than at the most deprived end, going by the line fitted through the {groups} "
        "groups weighted by their populations."
    )
    if found.lower <= 0 <= found.upper:
        text += " The interval includes no gap, so the slope may be chance."
    return text


def measures(rows: pd.DataFrame, indicator: Mapping, area_name: str, period: str, key: str) -> list:
    """The gap and slope-index paragraphs for one deprivation chart (ids ``<key>-gap`` and ``<key>-sii``)."""
    found: list = []
    gap = gap_sentence(rows, indicator, area_name, period)
    if gap:
        found.append(html.P(gap, className="app-body", id=f"{key}-gap"))
    found.append(html.P(sii_sentence(rows, indicator), className="app-body", id=f"{key}-sii"))
    return found
