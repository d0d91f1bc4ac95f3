"""The summary card: the sentence a councillor reads aloud, the latest figure, and each status with the
reason behind it, all from the scorecard's record for the area; or, when the area has no figure, where
figures can be found."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.govuk import inset_text, summary_list
from dashboard.components.summary import benchmark_reason, summary_sentence, target_reason
from dashboard.data_access import ScorecardRow
from dashboard.formatting import format_interval, format_value, possessive, quoted
from dashboard.indicator.context import Context, nearest_area
from dashboard.indicator.navigation import area_links
from data.areas import LOCAL_AREAS
from metrics.trend import CANNOT

SPC_LABEL = "Statistical process control"


def summary_section(ctx: Context) -> html.Section:
    """ "Latest figure for <area>": the summary card, or the empty state."""
    heading = html.H2(f"Latest figure for {ctx.area_name}", className="app-heading-l", id="summary-heading")
    body = _summary_card(ctx) if ctx.has_data else [_empty_state(ctx)]
    return html.Section(
        [heading, *body],
        className="app-indicator-summary",
        id="indicator-summary",
        **extra({"aria-labelledby": "summary-heading"}),
    )


# --- No figure for the area ---------------------------------------------------------------------------------


def _empty_state(ctx: Context) -> html.Div:
    """No figure for the area: say so, name the nearest area with one, and link to its view."""
    nearest = nearest_area(ctx)
    name = quoted(ctx.indicator["short_name"])
    if not ctx.areas_with_data and (nearest is None or nearest not in LOCAL_AREAS):
        text = (
            f"No data for {ctx.area_name} for this indicator. There are no figures for {name} for any "
            "area in Cambridgeshire and Peterborough in the data held."
        )
        return html.Div(html.P(text, className="app-body", id="indicator-empty"), className="app-empty-state")
    if nearest is None:
        parts: list = [
            html.P(
                f"No data for {ctx.area_name} for this indicator.",
                className="app-body-l",
                id="indicator-empty",
            )
        ]
    else:
        parts = _nearest(ctx, nearest, name)
    others = [code for code in ctx.areas_with_data if code != nearest]
    if others:
        parts.append(
            html.P(
                ["Figures are held for: ", *area_links(ctx, others), "."],
                className="app-body",
                id="indicator-other-areas",
            )
        )
    return html.Div(parts, className="app-empty-state")


def _nearest(ctx: Context, nearest: str, name: str) -> list:
    """The nearest area with a figure, and a link to it when it is a local area."""
    nearest_name = ctx.names.get(nearest, nearest)
    parts = [
        html.P(
            f"No data for {ctx.area_name} for this indicator; nearest is {nearest_name}.",
            className="app-body-l",
            id="indicator-empty",
        )
    ]
    if nearest in LOCAL_AREAS:
        parts.append(
            html.P(
                dcc.Link(
                    f"Show {name} for {nearest_name}",
                    href=ctx.view.href(area=nearest),
                    id="indicator-nearest-link",
                ),
                className="app-body",
            )
        )
    return parts


# --- The card -----------------------------------------------------------------------------------------------


def _tag_row(label: str, tag, reason: str | None, id: str) -> tuple:
    value = [html.P(tag)]
    if reason:
        value.append(html.P(reason, className="app-secondary"))
    return label, html.Div(value, id=id)


def _latest_figure(ctx: Context) -> html.P:
    """ "10.4% in 2023/24", flagged provisional or illustrative."""
    row = ctx.row
    figure: list[Component] = [
        html.Span(
            format_value(row.value, row.unit, row.value_type),
            className="app-indicator-summary__value",
            id="indicator-latest-value",
        ),
        html.Span(f" in {row.period_label}", className="app-indicator-summary__period"),
    ]
    if row.provisional:
        figure.append(html.Strong("Provisional", className="app-indicator-summary__flag"))
    if ctx.illustrative:
        figure.append(html.Strong("Illustrative", className="app-indicator-summary__flag"))
    return html.P(figure, className="app-indicator-summary__figure")


def _intervals(row: ScorecardRow) -> html.P | None:
    """The latest figure's 95% and 99.8% intervals, where held: the judgements rest on them (the target
    under the small-numbers rule and the comparisons on the 95% one, the funnel plot's outer limits on the
    99.8% one)."""
    held = [
        f"{level} interval {text}"
        for level, text in (
            ("95%", format_interval(row.lower95, row.upper95, row.unit, row.value_type)),
            ("99.8%", format_interval(row.lower998, row.upper998, row.unit, row.value_type)),
        )
        if text
    ]
    if not held:
        return None
    return html.P("; ".join(held) + ".", className="app-secondary", id="indicator-intervals")


def _target_row(row: ScorecardRow) -> tuple:
    text = target_reason(row)
    if row.target is not None and row.target_reason:
        text += f" Why this target: {row.target_reason}"
        if row.target_illustrative:
            text += " (illustrative target)"
    return _tag_row("Target", status.status_tag(status.target(row.target_status)), text, "summary-target")


def _comparison_rows(row: ScorecardRow) -> list[tuple]:
    """Compared with England, and with the East of England when it has a figure."""
    rows = [
        _tag_row(
            "Compared with England",
            status.status_tag(status.benchmark(row.benchmark)),
            benchmark_reason(row),
            "summary-england",
        )
    ]
    if row.region_value is not None:
        name = row.region_name or "the region"
        region = status.benchmark(row.region_benchmark, against=name)
        reason = benchmark_reason(
            row, value_column="region_value", comparison_column="region_benchmark", name=name
        )
        rows.append(_tag_row(f"Compared with {name}", status.status_tag(region), reason, "summary-region"))
    return rows


def _trend_row(row: ScorecardRow) -> tuple:
    """The recent trend, and why it could not be calculated when it could not."""
    reason = row.trend_reason.explanation if row.trend == CANNOT else status.trend(row.trend).meaning
    return _tag_row("Recent trend", status.status_tag(status.trend(row.trend)), reason, "summary-trend")


def _spc_row(row: ScorecardRow) -> tuple:
    """The scorecard's SPC judgement, or its words when there are too few figures to judge."""
    if not row.spc_judged or row.spc_variation is None:
        note = html.P(status.too_few_for_spc(row.spc_points), className="app-secondary")
        return SPC_LABEL, html.Div(note, id="summary-spc")
    tags = [
        html.P(status.status_tag(status.variation(row.spc_variation))),
        html.P(status.status_tag(status.assurance(row.spc_assurance))),
    ]
    if row.spc_trial_limits:
        tags.append(
            html.P(
                f"Trial limits (fewer than 12 points): {row.spc_points} figures.", className="app-secondary"
            )
        )
    return SPC_LABEL, html.Div(tags, id="summary-spc")


def _summary_card(ctx: Context) -> list:
    rows = [_target_row(ctx.row), *_comparison_rows(ctx.row), _trend_row(ctx.row), _spc_row(ctx.row)]
    more_recent = _more_recent_note(ctx)
    return [
        html.P(
            summary_sentence(ctx.row, ctx.area_name),
            className="app-indicator-summary__sentence",
            id="indicator-summary-sentence",
        ),
        _latest_figure(ctx),
        *([intervals] if (intervals := _intervals(ctx.row)) else []),
        *([more_recent] if more_recent else []),
        summary_list(rows, id="indicator-statuses"),
    ]


def _more_recent_note(ctx: Context) -> html.Div | None:
    """When another local area has a more recent figure than the reader's area, say so."""
    held = ctx.series[ctx.series["value"].notna() & ctx.series["area_code"].isin(LOCAL_AREAS)]
    mine = held[held["area_code"] == ctx.area]
    if mine.empty:
        return None
    newest = held.sort_values("period_end").iloc[-1]
    if pd.Timestamp(newest["period_end"]) <= pd.Timestamp(mine["period_end"].max()):
        return None
    name = ctx.names.get(newest["area_code"], newest["area_code"])
    latest = mine.sort_values("period_end")["period_label"].iloc[-1]
    return inset_text(
        html.P(
            [
                f"{possessive(ctx.area_name)} latest figure is for {latest}. "
                f"{name} has figures up to {newest['period_label']}: ",
                dcc.Link(f"show {name}", href=ctx.view.href(area=newest["area_code"])),
                ".",
            ],
            className="app-body",
            id="indicator-more-recent",
        )
    )
