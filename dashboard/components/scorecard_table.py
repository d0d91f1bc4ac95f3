"""The scorecard's tables: one semantic table per domain (or group of high-impact areas), a row group per
outcome, a row per indicator.

Each row reads left to right as a sentence a councillor could say aloud: the indicator, its latest figure
and period, the target, whether it is met and by how much, how it compares with England (and the region),
the recent trend with a sparkline, and what statistical process control (SPC) says. Every status is a tag
from :mod:`dashboard.components.status` (words, a shape, then a colour). Illustrative and provisional
figures carry a tag on their row. An indicator with no figure for the area gets one short row naming the
nearest area that has one, never a blank.

Rows are built from the typed records of :func:`data.scorecard.scorecard_rows`; every judgement (target
status, comparison, trend, whether SPC is judged, improving or worsening) is made there, once, and only
rendered here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dash import html
from dash.development.base_component import Component

from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.elements import element
from dashboard.components.sparkline import MAX_POINTS, sparkline
from dashboard.components.summary import target_reason
from dashboard.formatting import format_value
from data.scorecard import ScorecardRow
from metrics import spc, trend

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


# --- Numbers --------------------------------------------------------------------------------------------


def value_text(row: ScorecardRow) -> str:
    """ "12.9% in 2023/24"."""
    return f"{format_value(row.value, row.unit, row.value_type)} in {row.period_label}"


# --- Why: the reasons written in each row ----------------------------------------------------------------


def benchmark_why(row: ScorecardRow) -> str:
    """What the England comparison rests on: "England 8.8%: outside this area's 95% interval"."""
    if row.value_type == "count":
        return "Counts depend on the size of the place, so they are not compared."
    if row.value is None:
        return ""
    england = row.england_value
    if england is None:
        return f"No England figure for {row.period_label}."
    text = f"England {format_value(england, row.unit, row.value_type)}"
    comparison, source = row.benchmark, row.benchmark_source
    if source == "published":
        return text + " (comparison as published by OHID)."
    if comparison == "not compared":
        return text + "; there is no confidence interval to test it against."
    if comparison == "similar":
        return text + ": inside this area's 95% interval."
    return text + ": outside this area's 95% interval."


def trend_note(row: ScorecardRow) -> str | None:
    """Why a trend cannot be calculated, in plain English (None when there is a trend)."""
    if row.trend != trend.CANNOT:
        return None
    return row.trend_reason.explanation


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


def headline(rows: Iterable[ScorecardRow]) -> Headline:
    """Counts over distinct indicators (an indicator listed under two outcomes counts once)."""
    unique = {row.indicator_code: row for row in rows}.values()
    with_data = [r for r in unique if r.has_data]
    judged = [r for r in with_data if r.target_status in ("green", "amber", "red")]
    return Headline(
        indicators=len(unique),
        with_data=len(with_data),
        with_target=len(judged),
        on_target=sum(r.target_status == "green" for r in judged),
        worse_than_england=sum(r.benchmark == "worse" for r in with_data),
        improving=sum(r.improving for r in with_data),
        worsening=sum(r.worsening for r in with_data),
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
    return element(html.Strong, words, className=f"app-tag app-tag--{kind}")


def _flags(row: ScorecardRow) -> list:
    flags = []
    if row.illustrative:
        flags.append(flag_tag("Illustrative", "illustrative"))
    if row.provisional:
        flags.append(flag_tag("Provisional", "provisional"))
    return [element(html.Span, flags, className="app-scorecard__flags")] if flags else []


def _indicator_cell(row: ScorecardRow, href: str) -> html.Th:
    return element(
        html.Th,
        [element(html.A, row.short_name, href=href, className="app-scorecard__indicator-link"), *_flags(row)],
        scope="row",
        className="app-table__cell app-table__cell--row-header app-scorecard__indicator",
    )


def _note(text: str | None) -> list:
    return [element(html.Span, text, className="app-scorecard__why")] if text else []


def _latest_cell(row: ScorecardRow) -> html.Td:
    value = format_value(row.value, row.unit, row.value_type)
    return element(
        html.Td,
        [
            element(html.Span, value, className="app-scorecard__value"),
            " ",
            element(html.Span, f"in {row.period_label}", className="app-scorecard__period"),
        ],
        className="app-table__cell app-table__cell--numeric",
    )


def _target_cell(row: ScorecardRow) -> html.Td:
    target = row.target
    content: list[str | Component]
    if target is None:
        content = [element(html.Span, "No target", className="app-scorecard__none")]
    else:
        content = [
            element(
                html.Span,
                format_value(target, row.unit, row.value_type, trim=True),
                className="app-scorecard__value",
            )
        ]
        if row.target_illustrative:
            content += [" ", element(html.Span, "illustrative target", className="app-scorecard__period")]
    return element(html.Td, content, className="app-table__cell app-table__cell--numeric")


def _target_status_cell(row: ScorecardRow, palette: str) -> html.Td:
    tag = status.status_tag(status.target(row.target_status, palette=palette))
    return element(
        html.Td, [tag, *_note(target_reason(row))], className="app-table__cell app-scorecard__status"
    )


def _benchmark_cell(row: ScorecardRow) -> html.Td:
    content = [
        status.status_tag(status.benchmark(row.benchmark)),
        *_note(benchmark_why(row)),
    ]
    region = row.region_value
    if region is not None:
        region_name = row.region_name or "the region"
        region_text = f"{region_name} {format_value(region, row.unit, row.value_type)}"
        if row.region_benchmark != "not compared":
            tag = status.status_tag(status.benchmark(row.region_benchmark, against=region_name), small=True)
            content += [tag, *_note(region_text + ".")]
        else:
            content += _note(region_text + "; not compared.")
    return element(html.Td, content, className="app-table__cell app-scorecard__status")


def _trend_cell(row: ScorecardRow, series: Series | None) -> html.Td:
    content: list = []
    if series is not None:
        target = row.target
        target_text = (
            format_value(target, row.unit, row.value_type, trim=True) if target is not None else None
        )
        # The sparkline draws the latest MAX_POINTS figures, and its text names the first and last of them.
        image = sparkline(
            series.values[-MAX_POINTS:],
            series.labels[-MAX_POINTS:],
            formatted=lambda value: format_value(value, row.unit, row.value_type),
            target=target,
            target_text=target_text,
        )
        if image is not None:
            content.append(element(html.Span, image, className="app-scorecard__sparkline"))
    content.append(status.status_tag(status.trend(row.trend)))
    content += _note(trend_note(row))
    return element(html.Td, content, className="app-table__cell app-scorecard__status")


def _spc_cell(row: ScorecardRow) -> html.Td:
    if not row.spc_judged or row.spc_variation is None:
        return element(
            html.Td,
            _note(status.too_few_for_spc(row.spc_points)),
            className="app-table__cell app-scorecard__status",
        )
    content = [status.status_tag(status.variation(row.spc_variation))]
    if row.spc_assurance:
        content.append(status.status_tag(status.assurance(row.spc_assurance)))
    if row.spc_trial_limits:
        content += _note(f"Trial limits: {row.spc_points} figures, fewer than {spc.TRIAL_BELOW}.")
    return element(html.Td, content, className="app-table__cell app-scorecard__status")


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
    row: ScorecardRow, *, href: str, palette: str = "standard", series: Series | None = None
) -> html.Tr:
    """The row for an indicator that has a figure for the area."""
    return element(
        html.Tr,
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
        **extra({"data-indicator": row.indicator_code}),
    )


def no_data_row(
    row: ScorecardRow, *, href: str, area_name: str, nearest: Nearest | None, held_anywhere: bool = True
) -> html.Tr:
    """One compact row for an indicator with no figure for the area: "No data for Fenland; nearest:
    Cambridgeshire (67.6% in 2024/25)". ``held_anywhere`` is False when no area has a figure at all."""
    text: list[str | Component]
    if not held_anywhere:
        text = [f"No data for {area_name}: no figures for this indicator have been loaded yet."]
    elif nearest is None:
        text = [f"No data for {area_name}, or for the areas it is part of."]
    else:
        text = [
            f"No data for {area_name}; nearest: ",
            element(html.Strong, nearest.area_name),
            f" ({nearest.text}).",
        ]
    return element(
        html.Tr,
        [
            _indicator_cell(row, href),
            element(
                html.Td, text, colSpan=len(COLUMNS) - 1, className="app-table__cell app-scorecard__no-data"
            ),
        ],
        className="app-table__row app-scorecard__row app-scorecard__row--no-data",
        **extra({"data-indicator": row.indicator_code}),
    )


def domain_table(caption: str, groups: Sequence[tuple[str, list]], *, id: str) -> html.Table:
    """A domain's table: ``groups`` are (outcome heading, rows); each outcome is a row group with its
    heading as a header cell for the group."""
    head = element(
        html.Thead,
        element(
            html.Tr,
            [
                element(
                    html.Th,
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
            element(
                html.Tr,
                element(
                    html.Td,
                    "No indicator is linked to this outcome yet.",
                    colSpan=len(COLUMNS),
                    className="app-table__cell app-scorecard__no-data",
                ),
                className="app-table__row",
            )
        ]
        bodies.append(
            element(
                html.Tbody,
                [
                    element(
                        html.Tr,
                        element(
                            html.Th,
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
    return element(
        html.Table,
        [
            element(html.Caption, caption, className="app-table__caption app-scorecard__caption"),
            head,
            *bodies,
        ],
        className="app-table app-scorecard",
        id=id,
    )
