"""Inequalities: the area's latest figures by deprivation, sex, age, ethnicity or any other breakdown held,
beside England's, one chart for each way the figures are divided, each group with its 95% interval; under a
deprivation chart the gap between the most and least deprived in words and the slope index of inequality
(or why it cannot be worked out). When there are no breakdowns, which areas have them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from dash import html

from dashboard import data_access
from dashboard.components.attributes import extra
from dashboard.components.charts.breakdowns import breakdown_groups, inequality_chart, inequality_data
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.panel import chart_block
from dashboard.formatting import quoted
from dashboard.indicator.context import Context
from dashboard.indicator.inequality_measures import is_deprivation, measures
from dashboard.indicator.navigation import area_links
from data.areas import ENGLAND, LOCAL_AREAS


def _latest_rows(mine: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The area's groups of ``kind`` in the latest period that has figures for them."""
    part = mine[mine["kind"] == kind]
    latest = part.sort_values("period_end").iloc[-1]
    return part[
        (part["period_start"] == latest["period_start"]) & (part["period_end"] == latest["period_end"])
    ]


def inequality_figures(ctx: Context) -> list[Chart]:
    """One chart for each kind of breakdown (deprivation, sex, age, ethnicity …) the area has figures for;
    a deprivation chart carries the gap and the slope index of inequality in its notes."""
    breakdowns = data_access.indicator_breakdowns(ctx.indicator["code"], (ctx.area, ENGLAND))
    groups = breakdown_groups(breakdowns, ctx.indicator)
    mine = groups[(groups["area_code"] == ctx.area) & groups["value"].notna()]
    charts = []
    for kind in dict.fromkeys(mine["kind"]):
        frame, period = inequality_data(groups, ctx.area, ctx.names, kind)
        chart = inequality_chart(frame, ctx.indicator, ctx.area_name, kind, period, where=ctx.area_name)
        if is_deprivation(kind):
            notes = measures(_latest_rows(mine, kind), ctx.indicator, ctx.area_name, period, chart.key)
            chart = replace(chart, notes=[*chart.notes, *notes])
        charts.append(chart)
    return charts


def _none_held(ctx: Context) -> list:
    """No breakdowns for the area: say so plainly, and link to the local areas that have them."""
    others = data_access.indicator_breakdowns(ctx.indicator["code"], tuple(LOCAL_AREAS))
    with_figures = set(others.loc[others["value"].notna(), "area_code"])
    held = [code for code in LOCAL_AREAS if code in with_figures]
    text = (
        f"There are no figures by deprivation, sex or age for {quoted(ctx.indicator['short_name'])} in "
        f"{ctx.area_name} in the data held."
    )
    found = [html.P(text, className="app-body", id="inequalities-none")]
    if held:
        found.append(html.P(["Breakdowns are held for ", *area_links(ctx, held), "."], className="app-body"))
    return found


def inequalities_section(ctx: Context) -> html.Section:
    """ "Inequalities": a chart panel for each breakdown, or where breakdowns are held."""
    made = inequality_figures(ctx)
    body = [chart_block(chart, ctx.indicator) for chart in made] if made else _none_held(ctx)
    return html.Section(
        [html.H2("Inequalities", className="app-heading-l", id="inequalities-heading"), *body],
        className="app-indicator-section",
        id="inequalities",
        **extra({"aria-labelledby": "inequalities-heading"}),
    )
