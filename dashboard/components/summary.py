"""The words of an indicator's summary: one sentence a councillor can read aloud, and the reasons behind
each status ("England 8.8%: outside this area's 95% interval").

Everything here is written from one scorecard record (:func:`data.scorecard.scorecard`, as a plain dict:
the catalogue columns such as ``short_name``, ``unit`` and ``polarity``, and the status columns such as
``benchmark`` and ``trend``), so the indicator page says what the scorecard says.

"Significantly" is used only when a statistical test says so: a comparison computed from this area's
confidence interval (``benchmark_source`` 'computed') or a Fingertips trend marker. A comparison that the
source published without an interval is reported as published, with its source named.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

RATE_UNITS = ("per 1,000", "per 10,000", "per 100,000")

PERIOD_NOUNS = {"year": "years", "multi_year": "periods", "quarter": "quarters", "month": "months"}

_TARGET_CLAUSE = {"green": "meeting the {t} target", "amber": "near the {t} target", "red": "missing the {t} target"}

_TREND_CLAUSE = {
    "increasing and getting better": "the trend is improving",
    "decreasing and getting better": "the trend is improving",
    "increasing and getting worse": "the trend is getting worse",
    "decreasing and getting worse": "the trend is getting worse",
    "increasing": "the trend is rising",
    "decreasing": "the trend is falling",
}


# --- Numbers ----------------------------------------------------------------------------------------------


def number(value) -> float | None:
    """``value`` as a float, or None when it is missing (None, NaN, pandas NA) or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _is_whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-9


def format_number(value: float, unit: str, value_type: str = "", *, trim: bool = False) -> str:
    """The number alone, as it is written with ``unit``: "12.9", "662.7", "10,336"."""
    if unit == "number" or (value_type == "count" and unit != "WTE"):
        return f"{value:,.0f}" if _is_whole(value) or abs(value) >= 1000 else f"{value:,.1f}"
    return f"{value:,.0f}" if trim and _is_whole(value) else f"{value:,.1f}"


def format_value(value: float | None, unit: str, value_type: str = "", *, trim: bool = False) -> str:
    """A figure with its unit as people write it: "12.9%", "662.7 per 100,000", "10,336", "192.2 WTE".

    One decimal place for percentages and rates (``trim`` drops a trailing ".0", for targets); whole
    numbers for counts. A missing figure is "no figure".
    """
    value = number(value)
    if value is None:
        return "no figure"
    text = format_number(value, unit, value_type, trim=trim)
    if unit == "%":
        return text + "%"
    if unit == "number" or not unit:
        return text
    return f"{text} {unit}"


def format_interval(lower, upper, unit: str, value_type: str = "") -> str:
    """A 95% confidence interval: "616.9 to 711.0", or "" when either limit is missing."""
    lower, upper = number(lower), number(upper)
    if lower is None or upper is None:
        return ""
    return f"{format_number(lower, unit, value_type)} to {format_number(upper, unit, value_type)}"


def format_difference(difference: float, unit: str) -> str:
    """The size of a gap: "3.1 points" for percentages, "2.0 per 10,000" for rates, "12" for counts."""
    size = abs(difference)
    if unit == "%":
        return f"{size:.1f} " + ("point" if round(size, 1) == 1 else "points")
    if unit in RATE_UNITS or unit == "WTE":
        return f"{size:,.1f} {unit}"
    return f"{size:,.0f}" if _is_whole(size) else f"{size:,.1f}"


def axis_title(unit: str) -> str:
    """What the value axis measures, in words."""
    if unit == "%":
        return "Percentage"
    if unit in RATE_UNITS:
        return f"Rate {unit}"
    if unit == "WTE":
        return "Whole-time equivalent staff (WTE)"
    return "Number"


def period_noun(granularity: str | None) -> str:
    """ "years", "quarters", "months" or "periods"."""
    return PERIOD_NOUNS.get(str(granularity or ""), "periods")


def quoted(short_name: str) -> str:
    """An indicator's short name in quotation marks, so a sentence reads correctly whatever its wording."""
    return f"\u201c{short_name}\u201d"


def possessive(name: str) -> str:
    return f"{name}\u2019s"


def source_publisher(row: Mapping) -> str:
    """Who published a comparison the dashboard did not compute: "OHID" for Fingertips figures."""
    source = str(row.get("source") or "")
    if "Fingertips" in source or "OHID" in source or number(row.get("fingertips_id")) is not None:
        return "OHID"
    return "the source"


# --- The reasons behind each status -----------------------------------------------------------------------


def target_reason(row: Mapping) -> str:
    """Why the figure has its target status: "3.1 points below the 92% target"."""
    value, target = number(row.get("value")), number(row.get("target"))
    if value is None:
        return "No figure to judge."
    if row.get("polarity") == "no_judgement":
        return "Not judged: a higher figure is neither better nor worse."
    if target is None:
        return "No target has been set for this indicator."
    unit, value_type = row.get("unit", ""), row.get("value_type", "")
    target_text = format_value(target, unit, value_type, trim=True)
    gap = value - target
    if abs(gap) < 0.05:
        text = f"Exactly on the {target_text} target"
    else:
        text = f"{format_difference(gap, unit)} {'above' if gap > 0 else 'below'} the {target_text} target"
    amber = number(row.get("amber_threshold"))
    if row.get("target_status") in ("amber", "red") and amber is not None:
        edge = "or more" if row.get("polarity") == "higher_is_better" else "or less"
        text += f" (near target is {format_value(amber, unit, value_type, trim=True)} {edge})"
    return text + "."


def benchmark_reason(row: Mapping, *, value_column: str = "england_value", comparison_column: str = "benchmark",
                     name: str = "England") -> str:
    """What a comparison rests on: "England 8.8%: outside this area's 95% interval (9.1 to 11.8)"."""
    if row.get("value_type") == "count":
        return "A count depends on the size of the area, so it is not compared."
    if number(row.get("value")) is None:
        return "No figure to compare."
    other = number(row.get(value_column))
    if other is None:
        return f"No {name} figure for {row.get('period_label')}."
    unit, value_type = row.get("unit", ""), row.get("value_type", "")
    text = f"{name} {format_value(other, unit, value_type)}"
    comparison = row.get(comparison_column)
    published = comparison_column == "benchmark" and row.get("benchmark_source") == "published"
    if published:
        return f"{text}. The comparison is as published by {source_publisher(row)}, without a confidence interval."
    interval = format_interval(row.get("lower95"), row.get("upper95"), unit, value_type)
    if comparison == "not compared" or not interval:
        return f"{text}. There is no confidence interval to test the difference."
    where = "inside" if comparison == "similar" else "outside"
    return f"{text}: {where} this area\u2019s 95% interval ({interval})."


# --- The sentence -----------------------------------------------------------------------------------------


def _comparison_clause(row: Mapping) -> str | None:
    if row.get("value_type") == "count":
        return "which is a count and so not compared with England"
    england = number(row.get("england_value"))
    if england is None:
        return None
    england_text = format_value(england, row.get("unit", ""), row.get("value_type", ""))
    comparison = str(row.get("benchmark") or "not compared")
    source = row.get("benchmark_source")
    if comparison == "not compared" or source not in ("computed", "published"):
        return f"against {england_text} for England (the difference could not be tested)"
    words = "similar to England" if comparison == "similar" else f"{comparison} than England"
    if source == "computed":
        prefix = "" if comparison == "similar" else "significantly "
        return f"{prefix}{words} ({england_text})"
    return f"{words} ({england_text}), as published by {source_publisher(row)}"


def _target_clause(row: Mapping) -> str | None:
    target = number(row.get("target"))
    status = row.get("target_status")
    if target is None or row.get("polarity") == "no_judgement" or status not in _TARGET_CLAUSE:
        return None
    return _TARGET_CLAUSE[status].format(t=format_value(target, row.get("unit", ""), row.get("value_type", ""),
                                                       trim=True))


def _trend_clause(row: Mapping) -> str | None:
    trend = str(row.get("trend") or "cannot be calculated")
    if trend in _TREND_CLAUSE:
        return _TREND_CLAUSE[trend]
    if trend == "no significant change":
        return f"there has been no significant change over the latest five {period_noun(row.get('granularity'))}"
    return None


def summary_sentence(row: Mapping, area_name: str) -> str:
    """One sentence for a councillor to read aloud, e.g. "In 2023/24, Fenland's figure for “Smoking at
    delivery” was 10.4%, significantly worse than England (8.8%), missing the 6% target, and the trend is
    improving."

    Handles a count (never compared with England), no England figure, no target, a comparison published
    without an interval ("as published by OHID"), a provisional figure and a trend that cannot be tested.
    """
    value = number(row.get("value"))
    name = quoted(row.get("short_name") or row.get("name") or "this indicator")
    if value is None:
        return f"There is no figure for {area_name} for {name}."
    figure = format_value(value, row.get("unit", ""), row.get("value_type", ""))
    text = f"In {row.get('period_label')}, {possessive(area_name)} figure for {name} was {figure}"
    if is_true(row.get("provisional")):
        text += " (provisional)"
    clauses = [clause for clause in (_comparison_clause(row), _target_clause(row)) if clause]
    if clauses:
        text += ", " + ", ".join(clauses)
    trend = _trend_clause(row)
    if trend:
        text += f", and {trend}"
    else:
        text += "; the trend cannot be tested from these figures"
    return text + "."


def is_true(value) -> bool:
    """Whether a flag read from a data frame is set (None and NaN are not)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    try:
        return bool(value)
    except (TypeError, ValueError):  # pandas' NA
        return False
