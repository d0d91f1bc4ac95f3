"""Rare events on the indicator page's SPC view: for an indicator the catalogue flags as counts of events
that can be rare in one area (``rare_events: true``), a G chart of the periods with no event between
consecutive events (:mod:`metrics.rare_events`), as NHS England's Making Data Count recommends; or, where the
events are not rare in the area, or the counts are not held, why there is none.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard import colours, data_access
from dashboard.components.attributes import extra
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import LIMIT_LINE, REFERENCE_LINE, base_layout
from dashboard.components.charts.panel import chart_block
from dashboard.components.charts.words import display_name, slug, source_line, subtitle
from dashboard.formatting import number
from dashboard.indicator.context import Context
from metrics import rare_events

KEY = "rare-events"


def _counts(ctx: Context) -> pd.DataFrame | str:
    """The area's periods with their counts of events, oldest first, or why there are none to chart."""
    rows = ctx.area_rows()
    rows = rows[rows["value"].notna()].sort_values(["period_end", "period_start"])
    if rows.empty:
        return f"There are no figures for {ctx.area_name}."
    if rows["count"].isna().any():
        return (
            f"The number of events in each period is not held for {ctx.area_name}, so the time between "
            "events cannot be charted."
        )
    return rows


def _periods(n: float) -> str:
    whole = int(n) if float(n).is_integer() else n
    return f"{number(whole)} period{'' if whole == 1 else 's'}"


def _table(rows: pd.DataFrame, chart: rare_events.GChart) -> pd.DataFrame:
    """One row per gap: the period of the event that ends it, the gap, the median and upper limit, and
    whether it is above the limit."""
    ends: list[str] = []
    seen_first = False
    for label, count in zip(rows["period_label"], rows["count"].astype(int), strict=True):
        ends.extend([str(label)] * (count - (0 if seen_first else 1)) if count else [])
        seen_first = seen_first or count > 0
    return pd.DataFrame(
        {
            "Event in": ends,
            "Periods with no event before it": [int(g) for g in chart.gaps],
            "Median gap": chart.median,
            "Upper limit": round(chart.upper, 1),
            "Above the upper limit": ["Yes" if a else "" for a in chart.above],
        }
    )


def _figure(table: pd.DataFrame, chart: rare_events.GChart) -> go.Figure:
    """The gaps in time order as points joined by a line, the median gap and the upper limit."""
    x = [f"{i + 1}: {period}" for i, period in enumerate(table["Event in"])]
    figure = go.Figure(
        [
            go.Scatter(
                x=x,
                y=[chart.upper] * len(x),
                mode="lines",
                name="Upper limit",
                line={"color": LIMIT_LINE, "width": 2, "dash": "dash"},
                hoverinfo="skip",
                meta="limit",
            ),
            go.Scatter(
                x=x,
                y=[chart.median] * len(x),
                mode="lines",
                name="Median gap",
                line={"color": REFERENCE_LINE, "width": 2},
                hoverinfo="skip",
                meta="median",
            ),
            go.Scatter(
                x=x,
                y=list(chart.gaps),
                mode="lines+markers",
                name="Periods between events",
                line={"color": colours.MDC_COMMON_CAUSE, "width": 3},
                marker={
                    "size": 10,
                    "color": colours.MDC_COMMON_CAUSE,
                    "line": {"color": LIMIT_LINE, "width": 1},
                },
                hovertext=[
                    f"<b>Event {label}</b><br>{_periods(g)} with no event before it"
                    for label, g in zip(x, chart.gaps, strict=True)
                ],
                hoverinfo="text",
                meta="gaps",
            ),
        ]
    )
    long = [i for i, above in enumerate(chart.above) if above]
    if long:
        figure.add_trace(
            go.Scatter(
                x=[x[i] for i in long],
                y=[chart.gaps[i] for i in long],
                mode="markers",
                name="Unusually long gap",
                marker={
                    "size": 14,
                    "color": colours.MDC_IMPROVEMENT,
                    "line": {"color": colours.TEXT, "width": 1},
                },
                hoverinfo="skip",
                meta="long",
            )
        )
    figure.update_layout(
        **base_layout(
            xaxis={"title": {"text": "Event (and the period it fell in)"}, "fixedrange": True},
            yaxis={
                "title": {"text": "Periods with no event before it"},
                "rangemode": "tozero",
                "fixedrange": True,
            },
        )
    )
    return figure


def _headline(indicator: Mapping, area_name: str, table: pd.DataFrame, chart: rare_events.GChart) -> str:
    name = display_name(indicator.get("short_name", ""))
    long = [period for period, above in zip(table["Event in"], chart.above, strict=True) if above]
    if not chart.judged:
        return f"{name} in {area_name}: too few events to judge the time between them"
    if long:
        return f"{name} in {area_name}: the gap before the event in {long[-1]} was unusually long"
    return f"{name} in {area_name}: the time between events varies only as much as usual"


def rare_events_chart(ctx: Context) -> Chart | str:
    """The G chart for the area, or why there is none."""
    rows = _counts(ctx)
    if isinstance(rows, str):
        return rows
    gaps = rare_events.gaps_from_counts(rows["count"].to_numpy(float))
    if rows["count"].gt(0).all():
        return (
            f"Every period has at least one event in {ctx.area_name}, so the events are not rare enough here "
            "for a chart of the time between them: the SPC chart above suits these figures."
        )
    if len(gaps) < 2:
        total = int(rows["count"].sum())
        return f"There are too few events in {ctx.area_name} ({total}) to chart the time between them."
    chart = rare_events.g_chart(gaps)
    table = _table(rows, chart)
    summary = (
        f"G chart of the periods with no event between consecutive events, {len(gaps)} gaps from "
        f"{table['Event in'].iloc[0]} to {table['Event in'].iloc[-1]}: median gap {_periods(chart.median)}, "
        f"upper limit {number(round(chart.upper, 1))} periods. "
    )
    long = [p for p, above in zip(table["Event in"], chart.above, strict=True) if above]
    summary += (
        f"Gaps above the upper limit: before the events in {', '.join(long)}."
        if long
        else "No gap is above the upper limit."
    )
    notes = []
    if not chart.judged:
        notes.append(
            html.P(
                f"Only {len(gaps)} gaps between events (at least {rare_events.MIN_GAPS} are needed to "
                "judge); the chart shows them without a judgement.",
                className="app-body",
                id="rare-events-too-few",
            )
        )
    return Chart(
        key=KEY,
        headline=_headline(ctx.indicator, ctx.area_name, table, chart),
        subtitle=subtitle(ctx.indicator, ctx.area_name, list(rows["period_label"])).removesuffix(".")
        + ": periods with no event between consecutive events.",
        source=source_line(ctx.indicator),
        summary=summary,
        figure=_figure(table, chart),
        data=table,
        caption=f"{ctx.indicator.get('short_name')}: {ctx.area_name}, periods between events",
        numeric=("Periods with no event before it", "Median gap", "Upper limit"),
        notes=notes,
        filename=f"{ctx.indicator.get('code')}-{slug(ctx.area_name)}-time-between-events.csv",
    )


def rare_events_section(ctx: Context) -> html.Section | None:
    """ "Time between events", for an indicator flagged as rare events; None for any other."""
    if ctx.indicator["code"] not in data_access.rare_event_indicators():
        return None
    made = rare_events_chart(ctx)
    # The table holds numbers of periods, not figures of the indicator: written without its unit.
    body = (
        [html.P(made, className="app-body", id="rare-events-none")]
        if isinstance(made, str)
        else [chart_block(made, {**ctx.indicator, "unit": "number", "value_type": "count"})]
    )
    intro = html.P(
        "These events can be rare in one area, where a chart of the number in each period says little. This "
        "chart counts the periods with no event between one event and the next (a G chart, as NHS England's "
        "Making Data Count recommends for rare events): a gap above the dashed upper limit means events have "
        "become much rarer than usual; the grey line is the median gap.",
        className="app-body",
    )
    return html.Section(
        [html.H3("Time between events", className="app-heading-m", id="rare-events-heading"), intro, *body],
        className="app-indicator-subsection",
        id="rare-events",
        **extra({"aria-labelledby": "rare-events-heading"}),
    )
