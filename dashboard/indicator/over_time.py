"""Over time: the trend chart, or the statistical process control (SPC) chart, with the links that switch
between them and show or hide the confidence interval.

The SPC chart shows the scorecard's decisions (:class:`data.scorecard.ScorecardRow`): whether there are
enough figures to judge (``spc_judged``), the direction of improvement, the variation and assurance. With
too few figures it shows the points alone and says so, in the scorecard's words.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import data_access
from dashboard.components.attributes import extra
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.panel import chart_block
from dashboard.components.charts.spc import PhaseBreak, figures_data, spc_chart, spc_data, too_few_chart
from dashboard.components.charts.trend import trend_chart, trend_data
from dashboard.indicator.context import Context
from dashboard.indicator.process_changes import process_changes_section
from dashboard.indicator.view import KEEPS_FOCUS
from data.areas import EAST_OF_ENGLAND, ENGLAND
from metrics.spc import phase_starts, xmr_phased

VIEW_CHOICES = (("trend", "Trend over time"), ("spc", "Statistical process control (SPC)"))


def _benchmarks(ctx: Context) -> list[str]:
    """England and the region, except for counts (which depend on the size of the place)."""
    if ctx.indicator["value_type"] == "count":
        return []
    return [ENGLAND, EAST_OF_ENGLAND]


def trend_figures(ctx: Context) -> Chart | None:
    """The trend chart for the view, or None when the area has no figures."""
    if ctx.area_rows()["value"].notna().sum() == 0:
        return None
    data = trend_data(
        ctx.series,
        ctx.indicator,
        ctx.area,
        ctx.names,
        benchmarks=_benchmarks(ctx),
        targets=ctx.targets,
        ci=ctx.view.ci,
    )
    return trend_chart(data, ctx.indicator, ctx.area_name, ctx.row, where=ctx.area_name)


def phase_breaks(data: pd.DataFrame, changes: list[data_access.ProcessChange]) -> list[PhaseBreak]:
    """Where the recorded process changes split the chart's rows (``data``: the periods with a figure, in
    time order) into phases, each at the first period starting on or after its change date, as the
    scorecard splits them (:func:`metrics.spc.phase_starts`). Changes on one period share a break."""
    starts = list(data["period_start"])
    reasons: dict[int, list[str]] = {}
    for change in changes:
        for index in phase_starts(starts, [change.change_date]):
            reasons.setdefault(index, []).append(change.reason)
    return [
        PhaseBreak(index, str(data["Period"].iloc[index]), "; ".join(reasons[index]))
        for index in sorted(reasons)
    ]


def spc_figures(ctx: Context) -> Chart | None:
    """The SPC chart for the view: an XmR chart when the scorecard judges SPC, else the figures alone;
    None when the area has no figures. Recorded process changes split it into phases, each with its own
    limits; the judgement shown is the scorecard's, of the current phase."""
    if ctx.area_rows()["value"].notna().sum() == 0:
        return None
    data = trend_data(
        ctx.series, ctx.indicator, ctx.area, ctx.names, benchmarks=[], targets=ctx.targets, ci=False
    )
    data = data[data[ctx.area_name].notna()].reset_index(drop=True)
    breaks = phase_breaks(data, data_access.process_changes_for(ctx.view.code, ctx.area))
    row = ctx.row
    if not row.spc_judged or row.spc_variation is None:
        table = figures_data(data, ctx.area_name, breaks)
        return too_few_chart(
            table, ctx.indicator, ctx.area_name, row.spc_points, where=ctx.area_name, breaks=breaks
        )
    phases = xmr_phased(
        data[ctx.area_name].to_numpy(float),
        [b.index for b in breaks],
        improvement=row.improvement,
        target=row.target,
    )
    table = spc_data(data, ctx.area_name, phases, breaks)
    return spc_chart(table, ctx.indicator, ctx.area_name, phases, row, where=ctx.area_name, breaks=breaks)


# --- Controls -----------------------------------------------------------------------------------------------


def _view_switch(ctx: Context) -> html.Div:
    """Trend or SPC: the view shown marked in words, the other a link."""
    items = []
    for key, words in VIEW_CHOICES:
        item: html.Span | dcc.Link
        if key == ctx.view.view:
            item = html.Span(
                [words, html.Span(" (shown)", className="app-visually-hidden")],
                className="app-view-switch__current",
                id=f"view-{key}",
                tabIndex="-1",
            )
        else:
            item = dcc.Link(
                words,
                href=ctx.view.href(view=key),
                className=f"app-view-switch__link {KEEPS_FOCUS}",
                id=f"view-{key}",
            )
        items.append(html.Li(item, className="app-view-switch__item"))
    return html.Div(html.Ul(items, className="app-view-switch__list"), className="app-view-switch")


def _ci_toggle(ctx: Context) -> html.P:
    """A link to show or hide the 95% confidence interval, or a note that there is none."""
    rows = ctx.area_rows()
    if not (rows["lower95"].notna() & rows["upper95"].notna()).any():
        return html.P(
            "No confidence intervals are held for these figures.", className="app-secondary", id="ci-none"
        )
    words = "Hide the 95% confidence interval" if ctx.view.ci else "Show the 95% confidence interval"
    return html.P(
        dcc.Link(
            words,
            href=ctx.view.href(ci="off" if ctx.view.ci else "on"),
            id="ci-toggle",
            className=f"app-ci-toggle {KEEPS_FOCUS}",
        ),
        className="app-body",
    )


def _spc_explainer() -> html.P:
    return html.P(
        "A statistical process control chart shows whether figures vary only as much as they usually do "
        "(common cause, grey) or something has changed (special cause: blue for an improvement, orange for a "
        "concern). The dashed grey lines are the process limits, where nearly all figures fall while nothing "
        "changes.",
        className="app-body",
    )


# --- The section --------------------------------------------------------------------------------------------


def _no_chart(ctx: Context) -> list:
    return [
        html.P(
            f"There is no chart because there are no figures for {ctx.area_name}.",
            className="app-body",
            id="over-time-empty",
        )
    ]


def _charts(ctx: Context) -> list:
    """The chart for the view, with the controls and words that go with it (under the SPC chart, the
    process changes)."""
    if not ctx.has_data:
        return _no_chart(ctx)
    if ctx.view.view == "trend":
        trend = trend_figures(ctx)
        if trend is None:
            return _no_chart(ctx)
        return [_ci_toggle(ctx), chart_block(trend, ctx.indicator)]
    spc = spc_figures(ctx)
    if spc is None:
        return _no_chart(ctx)
    explainer = [_spc_explainer()] if ctx.row.spc_judged else []
    return [*explainer, chart_block(spc, ctx.indicator), process_changes_section(ctx)]


def over_time_section(ctx: Context) -> html.Section:
    """ "Over time": the view switch and the trend or SPC chart."""
    return html.Section(
        [
            html.H2("Over time", className="app-heading-l", id="over-time-heading"),
            _view_switch(ctx),
            *_charts(ctx),
        ],
        className="app-indicator-section",
        id="over-time",
        **extra({"aria-labelledby": "over-time-heading"}),
    )
