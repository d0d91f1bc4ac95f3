"""The words of an indicator's summary: one sentence a councillor can read aloud, and the reasons behind
each status ("England 8.8%: outside this area's 95% interval").

Everything here is written from one scorecard record (:class:`data.scorecard.ScorecardRow`: the catalogue
fields such as ``short_name``, ``unit`` and ``polarity``, and the judgements such as ``benchmark`` and
``trend``), so the indicator page says what the scorecard says.

"Significantly" is used only when a statistical test says so: a comparison computed from this area's
confidence interval (``benchmark_source`` 'computed') or a Fingertips trend marker. A comparison that the
source published without an interval is reported as published, with its source named.
"""

from __future__ import annotations

from dashboard.formatting import (
    format_difference,
    format_interval,
    format_value,
    period_noun,
    possessive,
    quoted,
)
from data.scorecard import ScorecardRow

_TARGET_CLAUSE = {
    "green": "meeting the {t} target",
    "amber": "near the {t} target",
    "red": "missing the {t} target",
}

_TREND_CLAUSE = {
    "increasing and getting better": "the trend is improving",
    "decreasing and getting better": "the trend is improving",
    "increasing and getting worse": "the trend is getting worse",
    "decreasing and getting worse": "the trend is getting worse",
    "increasing": "the trend is rising",
    "decreasing": "the trend is falling",
}


def source_publisher(row: ScorecardRow) -> str:
    """Who published a comparison the dashboard did not compute: "OHID" for Fingertips figures."""
    source = str(row.source or "")
    if "Fingertips" in source or "OHID" in source or row.fingertips_id is not None:
        return "OHID"
    return "the source"


# --- The reasons behind each status -----------------------------------------------------------------------


_ON_INTERVAL = {
    "green": "the whole interval meets the target",
    "amber": "the interval spans the target, so the shortfall may be chance",
    "red": "the whole interval misses the target",
}


def small_numbers_words(row: ScorecardRow) -> str:
    """How few were counted: "7 of 40" for a proportion, "6 events" otherwise."""
    count = int(row.count) if row.count is not None else 0
    if row.value_type == "proportion" and row.denominator is not None:
        return f"{count:,} of {int(row.denominator):,}"
    return f"{count:,} event{'' if count == 1 else 's'}"


def interval_reason(row: ScorecardRow) -> str:
    """Why a status was judged on the interval, and what the interval says: "Judged on the 95% interval
    (78.2% to 96.1%) because the numbers are small (44 of 50): the interval spans the target…"."""
    interval = format_interval(row.lower95, row.upper95, row.unit, row.value_type)
    return (
        f"Judged on the 95% interval ({interval}) because the numbers are small "
        f"({small_numbers_words(row)}): {_ON_INTERVAL.get(row.target_status, 'not assessed')}."
    )


def target_reason(row: ScorecardRow) -> str:
    """Why the figure has its target status: "3.1 points below the 92% target"; and, when the small-numbers
    rule judged it on its 95% interval, that interval and what it says."""
    value, target = row.value, row.target
    if value is None:
        return "No figure to judge."
    if row.polarity == "no_judgement":
        return "Not judged: a higher figure is neither better nor worse."
    if target is None:
        return "No target has been set for this indicator."
    unit, value_type = row.unit, row.value_type
    target_text = format_value(target, unit, value_type, trim=True)
    gap = value - target
    if abs(gap) < 0.05:
        text = f"Exactly on the {target_text} target"
    else:
        text = f"{format_difference(gap, unit)} {'above' if gap > 0 else 'below'} the {target_text} target"
    if row.target_on_interval:
        return f"{text}. {interval_reason(row)}"
    amber = row.amber_threshold
    if row.target_status in ("amber", "red") and amber is not None:
        edge = "or more" if row.polarity == "higher_is_better" else "or less"
        text += f" (near target is {format_value(amber, unit, value_type, trim=True)} {edge})"
    return text + "."


def benchmark_reason(
    row: ScorecardRow,
    *,
    value_column: str = "england_value",
    comparison_column: str = "benchmark",
    name: str = "England",
) -> str:
    """What a comparison rests on: "England 8.8%: outside this area's 95% interval (9.1 to 11.8)"."""
    if row.value_type == "count":
        return "A count depends on the size of the area, so it is not compared."
    if row.value is None:
        return "No figure to compare."
    other = getattr(row, value_column)
    if other is None:
        return f"No {name} figure for {row.period_label}."
    unit, value_type = row.unit, row.value_type
    text = f"{name} {format_value(other, unit, value_type)}"
    comparison = getattr(row, comparison_column)
    published = comparison_column == "benchmark" and row.benchmark_source == "published"
    if published:
        publisher = source_publisher(row)
        return f"{text}. The comparison is as published by {publisher}, without a confidence interval."
    interval = format_interval(row.lower95, row.upper95, unit, value_type)
    if comparison == "not compared" or not interval:
        return f"{text}. There is no confidence interval to test the difference."
    where = "inside" if comparison == "similar" else "outside"
    return f"{text}: {where} this area\u2019s 95% interval ({interval})."


# --- The sentence -----------------------------------------------------------------------------------------


def _comparison_clause(row: ScorecardRow) -> str | None:
    if row.value_type == "count":
        return "which is a count and so not compared with England"
    england = row.england_value
    if england is None:
        return None
    england_text = format_value(england, row.unit, row.value_type)
    comparison = str(row.benchmark or "not compared")
    source = row.benchmark_source
    if comparison == "not compared" or source not in ("computed", "published"):
        return f"against {england_text} for England (the difference could not be tested)"
    words = "similar to England" if comparison == "similar" else f"{comparison} than England"
    if source == "computed":
        prefix = "" if comparison == "similar" else "significantly "
        return f"{prefix}{words} ({england_text})"
    return f"{words} ({england_text}), as published by {source_publisher(row)}"


def _target_clause(row: ScorecardRow) -> str | None:
    target = row.target
    status = row.target_status
    if target is None or row.polarity == "no_judgement" or status not in _TARGET_CLAUSE:
        return None
    clause = _TARGET_CLAUSE[status].format(t=format_value(target, row.unit, row.value_type, trim=True))
    return clause + (
        " (judged on the 95% interval, as the numbers are small)" if row.target_on_interval else ""
    )


def _trend_clause(row: ScorecardRow) -> str | None:
    trend = str(row.trend or "cannot be calculated")
    if trend in _TREND_CLAUSE:
        return _TREND_CLAUSE[trend]
    if trend == "no significant change":
        return f"there has been no significant change over the latest five {period_noun(row.granularity)}"
    return None


def summary_sentence(row: ScorecardRow, area_name: str) -> str:
    """One sentence for a councillor to read aloud, e.g. "In 2023/24, Fenland's figure for “Smoking at
    delivery” was 10.4%, significantly worse than England (8.8%), missing the 6% target, and the trend is
    improving."

    Handles a count (never compared with England), no England figure, no target, a comparison published
    without an interval ("as published by OHID"), a provisional figure and a trend that cannot be tested.
    """
    value = row.value
    name = quoted(row.short_name or row.name or "this indicator")
    if value is None:
        return f"There is no figure for {area_name} for {name}."
    figure = format_value(value, row.unit, row.value_type)
    text = f"In {row.period_label}, {possessive(area_name)} figure for {name} was {figure}"
    if row.provisional:
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
