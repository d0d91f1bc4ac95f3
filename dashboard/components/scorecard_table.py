"""The scorecard's tables: one semantic table per domain (or group of high-impact areas), a row group per
outcome, a row per indicator.

Each row reads left to right as a sentence a councillor could say aloud: the indicator, its latest figure
and period, the target, whether it is met and by how much, how it compares with England (and the region),
the recent trend with a sparkline, and what statistical process control (SPC) says. Every status is a tag
from :mod:`dashboard.components.status` (words, a shape, then a colour). Illustrative and provisional
figures carry a tag on their row. An indicator with no figure for the area gets one short row naming the
nearest area that has one, never a blank.

Rows are built from the records of :func:`data.scorecard.scorecard` (plain dicts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from dash import html

from dashboard import formatting
from dashboard.components import status
from dashboard.components.sparkline import sparkline
from dashboard.components.summary import target_reason
from dashboard.formatting import format_value, number
from data.periods import financial_quarter_label
from data.scorecard_row import to_rows

COLUMNS = (
    "Indicator",
    "Latest figure",
    "Target",
    "Against target",
    "Compared with England",
    "Recent trend",
    "Statistical process control",
)
NUMERIC_COLUMNS = ("Latest figure", "Target")
REGION_NAME = "East of England"
MIN_SPC_POINTS = 5
"""Fewer figures than this say too little for a process chart: the row says so rather than show a status."""

IMPROVING_TRENDS = ("increasing and getting better", "decreasing and getting better")
WORSENING_TRENDS = ("increasing and getting worse", "decreasing and getting worse")

TREND_REASONS = {
    "not enough data points": "It needs at least five figures.",
    "missing at least one confidence interval value": "It needs confidence intervals for the last five figures.",
    "missing values": "Some of the last five figures are missing.",
}


# --- Numbers --------------------------------------------------------------------------------------------


def value_text(row: Mapping) -> str:
    """ "12.9% in 2023/24"."""
    return f"{format_value(number(row['value']), row['unit'], row['value_type'])} in {row['period_label']}"


# --- Why: the reasons written in each row ----------------------------------------------------------------


def benchmark_why(row: Mapping) -> str:
    """What the England comparison rests on: "England 8.8%: outside this area's 95% interval"."""
    if row.get("value_type") == "count":
        return "Counts depend on the size of the place, so they are not compared."
    if number(row.get("value")) is None:
        return ""
    england = number(row.get("england_value"))
    if england is None:
        return f"No England figure for {row['period_label']}."
    text = f"England {format_value(england, row['unit'], row['value_type'])}"
    comparison, source = row.get("benchmark"), row.get("benchmark_source")
    if source == "published":
        return text + " (comparison as published by OHID)."
    if comparison == "not compared":
        return text + "; there is no confidence interval to test it against."
    if comparison == "similar":
        return text + ": inside this area's 95% interval."
    return text + ": outside this area's 95% interval."


def trend_note(row: Mapping) -> str | None:
    """Why a trend cannot be calculated, in plain English (None when there is a trend)."""
    if row.get("trend") != "cannot be calculated":
        return None
    return TREND_REASONS.get(str(row.get("trend_reason") or ""))


def is_improving(row: Mapping) -> bool:
    """Getting better by the recent trend, or by SPC special cause (where there are enough figures)."""
    variation = str(row.get("spc_variation") or "")
    spc_counts = int(number(row.get("spc_points")) or 0) >= MIN_SPC_POINTS
    return row.get("trend") in IMPROVING_TRENDS or (spc_counts and variation.startswith("improvement"))


def is_worsening(row: Mapping) -> bool:
    variation = str(row.get("spc_variation") or "")
    spc_counts = int(number(row.get("spc_points")) or 0) >= MIN_SPC_POINTS
    return row.get("trend") in WORSENING_TRENDS or (spc_counts and variation.startswith("concern"))


# --- Headline counts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """What a domain's rows add up to."""

    indicators: int
    with_data: int
    with_target: int
    on_target: int
    worse_than_england: int
    improving: int
    worsening: int


def headline(rows: Iterable[Mapping]) -> Headline:
    """Counts over distinct indicators (an indicator listed under two outcomes counts once)."""
    unique = {row["indicator_code"]: row for row in rows}.values()
    with_data = [r for r in unique if number(r.get("value")) is not None]
    judged = [r for r in with_data if r.get("target_status") in ("green", "amber", "red")]
    return Headline(
        indicators=len(unique),
        with_data=len(with_data),
        with_target=len(judged),
        on_target=sum(r["target_status"] == "green" for r in judged),
        worse_than_england=sum(r.get("benchmark") == "worse" for r in with_data),
        improving=sum(is_improving(r) for r in with_data),
        worsening=sum(is_worsening(r) for r in with_data),
    )


def headline_sentence(counts: Headline, area_name: str) -> str:
    """ "9 of 14 with a target are on target; 2 significantly worse than England; 3 improving." """
    if counts.with_data == 0:
        return f"None of the {counts.indicators} indicators has a figure for {area_name}."

    def say(n: int) -> str:
        return "none" if n == 0 else f"{n:,}"

    parts = []
    if counts.with_target:
        verb = "is" if counts.on_target <= 1 else "are"
        parts.append(f"{say(counts.on_target)} of {counts.with_target} with a target {verb} on target")
    else:
        parts.append("none with a figure has a target")
    parts.append(f"{say(counts.worse_than_england)} significantly worse than England")
    parts.append(f"{say(counts.improving)} improving")
    if counts.worsening:
        parts.append(f"{say(counts.worsening)} getting worse")
    if counts.with_data < counts.indicators:
        missing = counts.indicators - counts.with_data
        parts.append(f"{missing} with no figure for {area_name}")
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


# --- Cells -----------------------------------------------------------------------------------------------


def flag_tag(words: str, kind: str) -> html.Strong:
    """A "Provisional" or "Illustrative" tag (not a status; not a link)."""
    return html.Strong(words, className=f"app-tag app-tag--{kind}")


def _flags(row: Mapping) -> list:
    flags = []
    if bool(row.get("illustrative")):
        flags.append(flag_tag("Illustrative", "illustrative"))
    if row.get("provisional") is True or str(row.get("provisional")).lower() == "true":
        flags.append(flag_tag("Provisional", "provisional"))
    return [html.Span(flags, className="app-scorecard__flags")] if flags else []


def _indicator_cell(row: Mapping, href: str) -> html.Th:
    return html.Th(
        [html.A(row["short_name"], href=href, className="app-scorecard__indicator-link"), *_flags(row)],
        scope="row",
        className="app-table__cell app-table__cell--row-header app-scorecard__indicator",
    )


def _note(text: str | None) -> list:
    return [html.Span(text, className="app-scorecard__why")] if text else []


def _latest_cell(row: Mapping) -> html.Td:
    value = format_value(number(row["value"]), row["unit"], row["value_type"])
    return html.Td(
        [
            html.Span(value, className="app-scorecard__value"),
            " ",
            html.Span(f"in {row['period_label']}", className="app-scorecard__period"),
        ],
        className="app-table__cell app-table__cell--numeric",
    )


def _target_cell(row: Mapping) -> html.Td:
    target = number(row.get("target"))
    if target is None:
        content = [html.Span("No target", className="app-scorecard__none")]
    else:
        content = [
            html.Span(
                format_value(target, row["unit"], row["value_type"], trim=True),
                className="app-scorecard__value",
            )
        ]
        if bool(row.get("target_illustrative")):
            content += [" ", html.Span("illustrative target", className="app-scorecard__period")]
    return html.Td(content, className="app-table__cell app-table__cell--numeric")


def _target_status_cell(row: Mapping, palette: str) -> html.Td:
    tag = status.status_tag(status.target(row.get("target_status") or "not assessed", palette=palette))
    return html.Td([tag, *_note(target_reason(row))], className="app-table__cell app-scorecard__status")


def _benchmark_cell(row: Mapping) -> html.Td:
    content = [
        status.status_tag(status.benchmark(row.get("benchmark") or "not compared")),
        *_note(benchmark_why(row)),
    ]
    region = number(row.get("region_value"))
    if region is not None:
        region_text = f"{REGION_NAME} {format_value(region, row['unit'], row['value_type'])}"
        if row.get("region_benchmark") not in (None, "not compared"):
            tag = status.status_tag(status.benchmark(row["region_benchmark"], against=REGION_NAME))
            tag.className += " status-tag--small"
            content += [tag, *_note(region_text + ".")]
        else:
            content += _note(region_text + "; not compared.")
    return html.Td(content, className="app-table__cell app-scorecard__status")


def _trend_cell(row: Mapping, series: Series | None) -> html.Td:
    content: list = []
    if series is not None:
        target = number(row.get("target"))
        target_text = (
            format_value(target, row["unit"], row["value_type"], trim=True) if target is not None else None
        )
        image = sparkline(
            series.values,
            series.labels,
            formatted=[
                format_value(v, row["unit"], row["value_type"]) if v is not None else ""
                for v in series.values
            ],
            target=target,
            target_text=target_text,
        )
        if image is not None:
            content.append(html.Span(image, className="app-scorecard__sparkline"))
    content.append(status.status_tag(status.trend(row.get("trend") or "cannot be calculated")))
    content += _note(trend_note(row))
    return html.Td(content, className="app-table__cell app-scorecard__status")


def _spc_cell(row: Mapping) -> html.Td:
    points = int(number(row.get("spc_points")) or 0)
    variation = row.get("spc_variation")
    if not variation or points < MIN_SPC_POINTS:
        return html.Td(
            _note(f"Too few figures for a process chart ({points} of at least {MIN_SPC_POINTS})."),
            className="app-table__cell app-scorecard__status",
        )
    content = [status.status_tag(status.variation(variation))]
    if row.get("spc_assurance"):
        content.append(status.status_tag(status.assurance(row["spc_assurance"])))
    if bool(row.get("spc_trial_limits")):
        content += _note(f"Trial limits: {points} figures, fewer than 12.")
    return html.Td(content, className="app-table__cell app-scorecard__status")


# --- Rows and tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A part of a framework: a domain or outcome, a group or high-impact area ("1.2", "Reduce Smoking in
    pregnancy")."""

    code: str
    title: str


@dataclass(frozen=True)
class Series:
    """An indicator's figures for the area, oldest first (for the sparkline)."""

    labels: Sequence[str]
    values: Sequence[float | None]


@dataclass(frozen=True)
class Nearest:
    """The nearest area above this one that has a figure, and that figure ("67.6% in 2024/25")."""

    area_name: str
    text: str


def indicator_row(
    row: Mapping, *, href: str, palette: str = "standard", series: Series | None = None
) -> html.Tr:
    """The row for an indicator that has a figure for the area."""
    return html.Tr(
        [
            _indicator_cell(row, href),
            _latest_cell(row),
            _target_cell(row),
            _target_status_cell(row, palette),
            _benchmark_cell(row),
            _trend_cell(row, series),
            _spc_cell(row),
        ],
        className="app-table__row app-scorecard__row",
        **{"data-indicator": row["indicator_code"]},
    )


def no_data_row(
    row: Mapping, *, href: str, area_name: str, nearest: Nearest | None, held_anywhere: bool = True
) -> html.Tr:
    """One compact row for an indicator with no figure for the area: "No data for Fenland; nearest:
    Cambridgeshire (67.6% in 2024/25)". ``held_anywhere`` is False when no area has a figure at all."""
    if not held_anywhere:
        text = [f"No data for {area_name}: no figures for this indicator have been loaded yet."]
    elif nearest is None:
        text = [f"No data for {area_name}, or for the areas it is part of."]
    else:
        text = [f"No data for {area_name}; nearest: ", html.Strong(nearest.area_name), f" ({nearest.text})."]
    return html.Tr(
        [
            _indicator_cell(row, href),
            html.Td(text, colSpan=len(COLUMNS) - 1, className="app-table__cell app-scorecard__no-data"),
        ],
        className="app-table__row app-scorecard__row app-scorecard__row--no-data",
        **{"data-indicator": row["indicator_code"]},
    )


def domain_table(caption: str, groups: Sequence[tuple[str, list]], *, id: str) -> html.Table:
    """A domain's table: ``groups`` are (outcome heading, rows); each outcome is a row group with its
    heading as a header cell for the group."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(
                    name,
                    scope="col",
                    className="app-table__header"
                    + (" app-table__header--numeric" if name in NUMERIC_COLUMNS else "")
                    + f" app-scorecard__col--{i}",
                )
                for i, name in enumerate(COLUMNS)
            ],
            className="app-table__row",
        ),
        className="app-table__head",
    )
    bodies = []
    for heading, rows in groups:
        group_rows = rows or [
            html.Tr(
                html.Td(
                    "No indicator is linked to this outcome yet.",
                    colSpan=len(COLUMNS),
                    className="app-table__cell app-scorecard__no-data",
                ),
                className="app-table__row",
            )
        ]
        bodies.append(
            html.Tbody(
                [
                    html.Tr(
                        html.Th(
                            heading,
                            scope="rowgroup",
                            colSpan=len(COLUMNS),
                            className="app-scorecard__outcome",
                        ),
                        className="app-table__row",
                    ),
                    *group_rows,
                ],
                className="app-table__body",
            )
        )
    return html.Table(
        [html.Caption(caption, className="app-table__caption app-scorecard__caption"), head, *bodies],
        className="app-table app-scorecard",
        id=id,
    )


# --- Dates and what changed between them ---------------------------------------------------------------------

PREVIOUS_QUARTER = "previous-quarter"
PREVIOUS_YEAR = "previous-year"


def date_label(day: dt.date, quarter_ends: set[dt.date]) -> str:
    """ "30 September 2025 (end of 2025/26 Q2)" for the end of a reported quarter, else "31 March 2018"."""
    text = formatting.date(day)
    if day in quarter_ends:
        text += f" (end of {financial_quarter_label(day)})"
    return text


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last day of the calendar quarter before the one containing ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, first_month, 1) - dt.timedelta(days=1)


def a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def reporting_date(as_at: dt.date, quarter_ends: Iterable[dt.date] = ()) -> dt.date:
    """The end of the latest reported quarter on or before ``as_at`` (``as_at`` itself when no quarter is
    reported by then): what "the previous quarter" counts back from. Without it, one annual figure for a
    calendar year would make "the previous quarter" skip the latest quarterly return."""
    reported = [day for day in quarter_ends if day <= as_at]
    return max(reported) if reported else as_at


def resolve_since(
    since: str | None, as_at: dt.date | None, quarter_ends: Iterable[dt.date] = ()
) -> dt.date | None:
    """The date ``since`` stands for: an ISO date, or "previous-quarter" / "previous-year" counted back from
    the latest reported quarter on or before ``as_at`` (see :func:`reporting_date`)."""
    if not since or as_at is None:
        return None
    if since == PREVIOUS_QUARTER:
        return previous_quarter_end(reporting_date(as_at, quarter_ends))
    if since == PREVIOUS_YEAR:
        return a_year_before(reporting_date(as_at, quarter_ends))
    return dt.date.fromisoformat(since)


@dataclass(frozen=True)
class Change:
    """What changed for one indicator between two dates: (what, status before, status after) triples, and
    its latest figure then and now. ``new`` means it had no figure before (so nothing to compare)."""

    indicator_code: str
    short_name: str
    changes: tuple[tuple[str, status.Status, status.Status], ...]
    before: str | None
    after: str | None
    new: bool = False


def _spc_state(row: Mapping) -> str | None:
    """The SPC variation the scorecard shows (None when it says there are too few figures)."""
    points = int(number(row.get("spc_points")) or 0)
    variation = row.get("spc_variation")
    return variation if isinstance(variation, str) and points >= MIN_SPC_POINTS else None


def find_changes(
    before: pd.DataFrame, after: pd.DataFrame, codes: Sequence[str], palette: str = "standard"
) -> list[Change]:
    """Indicators among ``codes`` whose target status, England comparison or SPC variation differ between
    the ``before`` and ``after`` scorecard frames, in ``codes`` order; and those with a first figure.

    SPC variation counts as changed only when both dates have enough figures for a process chart (having
    enough for the first time is not a change of status).
    """
    old = {row.indicator_code: row for row in to_rows(before, "")}
    new = {row.indicator_code: row for row in to_rows(after, "")}
    found = []
    for code in codes:
        b = new.get(code)
        if b is None or number(b.get("value")) is None:
            continue
        a = old.get(code, {})
        if number(a.get("value")) is None:
            found.append(Change(code, b["short_name"], (), None, _figure(b), new=True))
            continue
        changes: list = []
        was, now = a.get("target_status") or "not assessed", b.get("target_status") or "not assessed"
        if was != now:
            changes.append(
                ("Against target", status.target(was, palette=palette), status.target(now, palette=palette))
            )
        was, now = a.get("benchmark") or "not compared", b.get("benchmark") or "not compared"
        if was != now:
            changes.append(("Compared with England", status.benchmark(was), status.benchmark(now)))
        was, now = _spc_state(a), _spc_state(b)
        if was and now and was != now:
            changes.append(("SPC variation", status.variation(was), status.variation(now)))
        if changes:
            found.append(Change(code, b["short_name"], tuple(changes), _figure(a), _figure(b)))
    return found


def _figure(row: dict) -> str | None:
    return value_text(row) if row and number(row.get("value")) is not None else None
