"""One indicator's scorecard record, typed: what every page reads about an indicator's latest figure.

:func:`data.scorecard.scorecard` builds the records for all indicators at once as a DataFrame;
:func:`to_rows` turns that frame into :class:`ScorecardRow` values so that pages read named, typed fields
(``row.target_status``) rather than looking up strings, and missing figures are ``None``, never NaN.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.trend import TrendReason


@dataclass(frozen=True)
class ScorecardRow:
    """An indicator's latest figure for one area and every judgement made on it.

    Catalogue fields first (what the indicator is), then the latest figure (``None`` throughout when the
    area has no figure), then the judgements. Judgement words are the methods' own
    (:mod:`metrics.rag`, :mod:`metrics.compare`, :mod:`metrics.trend`, :mod:`metrics.spc`); the pages choose
    how to show them.
    """

    indicator_code: str
    area_code: str
    name: str
    short_name: str
    definition: str
    numerator_definition: str
    denominator_definition: str
    value_type: str
    unit: str
    multiplier: int
    polarity: str
    frequency: str
    year_type: str
    age: str
    sex: str
    source: str
    fingertips_id: int | None
    kpi_code: str | None
    illustrative: bool
    sort_order: int
    # The latest figure
    period_label: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    granularity: str | None
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    provisional: bool
    value_note: str | None
    published_comparison: str | None
    # Against target
    target: float | None
    amber_threshold: float | None
    target_illustrative: bool
    target_reason: str | None
    target_status: str
    # Against England and the region
    england_value: float | None
    benchmark: str
    benchmark_source: str
    region_value: float | None
    region_benchmark: str
    region_name: str | None  # the area's own region (None for England or a region itself)
    # Over time
    trend: str
    trend_reason: TrendReason
    improvement: str
    spc_points: int
    spc_judged: bool
    spc_variation: str | None
    spc_assurance: str | None
    spc_trial_limits: bool
    improving: bool
    worsening: bool
    has_data: bool
    target_on_interval: bool = False
    """The small-numbers rule judged the target status on the 95% interval
    (:func:`data.scorecard.on_interval`)."""


_FIELDS = tuple(field.name for field in dataclasses.fields(ScorecardRow))
_FLOATS = {
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
    "target",
    "amber_threshold",
    "england_value",
    "region_value",
}
_BOOLS = {
    "illustrative",
    "provisional",
    "target_illustrative",
    "spc_judged",
    "spc_trial_limits",
    "improving",
    "worsening",
    "has_data",
    "target_on_interval",
}
_DATES = {"period_start", "period_end"}
_INTS = {"fingertips_id"}
_WHOLE = {"multiplier", "sort_order", "spc_points"}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _convert(name: str, value: Any) -> Any:
    if name in _BOOLS:
        return False if _missing(value) else bool(value)
    if _missing(value):
        return None
    if name in _FLOATS:
        return float(value)
    if name in _INTS:
        return int(value)
    if name in _DATES:
        return pd.Timestamp(value).date()
    if name == "trend_reason":
        return TrendReason(value)
    if name in _WHOLE:
        return int(value)
    return value


def to_rows(frame: pd.DataFrame, area_code: str) -> list[ScorecardRow]:
    """The scorecard frame as records, in its order; ``area_code`` is the area the frame is for. Each
    column is converted whole (:func:`_column`), which gives the values :func:`_convert` gives one by one."""
    columns = [name for name in _FIELDS if name != "area_code"]
    present = frame.reindex(columns=columns)
    converted = [_column(name, present[name]) for name in columns]
    return [
        ScorecardRow(area_code=area_code, **dict(zip(columns, values, strict=True)))
        for values in zip(*converted, strict=True)
    ]


def _column(name: str, column: pd.Series) -> list[Any]:
    """One column's values as the record holds them: numbers as floats, true/false as booleans, missing
    values as None (False for a true/false field), every value as :func:`_convert` makes it."""
    if name in _FLOATS:
        numbers = column.to_numpy(dtype=float, na_value=math.nan).tolist()
        return [None if math.isnan(number) else number for number in numbers]
    if name in _BOOLS and column.dtype == bool:
        return column.tolist()
    if name in _BOOLS or name in _DATES or name in _INTS or name in _WHOLE or name == "trend_reason":
        return [_convert(name, value) for value in column.tolist()]
    # Text and anything else is kept as it is, missing values as None: pandas finds the missing ones
    # (None, NaN, NaT, NA, as _missing does) for the whole column at once.
    missing = column.isna().tolist()
    return [None if gone else value for value, gone in zip(column.tolist(), missing, strict=True)]
