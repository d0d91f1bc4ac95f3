"""The indicator page's callbacks: each chart's CSV and spreadsheet downloads, and keeping the reader's place
when a link changes the view (browser-side, ``keepFocus`` in ``dashboard/assets/indicator.js``).

Dash gives each app the callbacks registered since the last app was set up, and re-runs a page module for
every app it builds; so the page module calls :func:`register` when it runs, rather than this module
registering once when first imported.
"""

from __future__ import annotations

import dash
from dash import ALL, MATCH, ClientsideFunction, Input, Output, State

from dashboard.components.charts.chart import Chart
from dashboard.components.charts.downloads import (
    button_id,
    csv_download,
    download_id,
    xlsx_button_id,
    xlsx_download,
    xlsx_download_id,
)
from dashboard.indicator import over_time
from dashboard.indicator.compare_section import compare_figures, funnel_figures
from dashboard.indicator.context import Context, build_context
from dashboard.indicator.inequalities import inequality_figures
from dashboard.indicator.over_time import spc_figures, trend_figures
from dashboard.indicator.process_change_callbacks import register as register_process_changes
from dashboard.indicator.rare_events_section import KEY, rare_events_chart

CLIENTSIDE_NAMESPACE = "indicator"
"""``window.dash_clientside.indicator`` in ``dashboard/assets/indicator.js``."""


def chart_for(ctx: Context, key: str) -> Chart | None:
    """The chart with ``key`` on the page for this view (what its download button sends)."""
    if key == "trend":
        return trend_figures(ctx)
    if key == "spc":
        return spc_figures(ctx)
    if key == KEY:
        rare = rare_events_chart(ctx)
        return None if isinstance(rare, str) else rare
    if key == "compare":
        made = compare_figures(ctx)
        return made[0] if made else None
    if key == "funnel":
        return funnel_figures(ctx)[0]
    if key.startswith("inequalities-"):
        return next((chart for chart in inequality_figures(ctx) if chart.key == key), None)
    return None


def _pressed(n_clicks: int | None, view: dict | None) -> tuple[Context, Chart]:
    """The page's context and the chart whose button was pressed, rebuilt from the view in the page."""
    if not n_clicks or not view:
        raise dash.exceptions.PreventUpdate
    key = dash.ctx.triggered_id["chart"]
    query = {name: view.get(name) for name in ("area", "view", "ci", "with", "baseline")}
    ctx = build_context(view["code"], query)
    chart = chart_for(ctx, key) if ctx else None
    if ctx is None or chart is None:
        raise dash.exceptions.PreventUpdate
    return ctx, chart


def download_csv(n_clicks: int | None, view: dict | None) -> dict:
    """Send exactly the figures the chart plots, as CSV under their description."""
    ctx, chart = _pressed(n_clicks, view)
    return csv_download(chart, ctx.indicator, ctx.area_name)


def download_xlsx(n_clicks: int | None, view: dict | None) -> dict:
    """Send the figures the chart plots as a spreadsheet, with their description."""
    ctx, chart = _pressed(n_clicks, view)
    return xlsx_download(chart, ctx.indicator, ctx.area_name)


def register() -> None:
    """Register the page's callbacks with the app being built."""
    dash.callback(
        Output(download_id(MATCH), "data"),
        Input(button_id(MATCH), "n_clicks"),
        State("indicator-view", "data"),
        prevent_initial_call=True,
    )(download_csv)
    choice = over_time.choice_id
    dash.callback(
        Output(choice("location", MATCH), "href"),
        Input(choice("apply", MATCH), "n_clicks"),
        State(choice("areas", MATCH), "value"),
        State(over_time.more_areas_id(ALL, MATCH), "value"),
        State(choice("intervals", MATCH), "value"),
        State(choice("areas", MATCH), "options"),
        State(over_time.more_areas_id(ALL, MATCH), "options"),
        State("indicator-view", "data"),
        State(choice("sets", MATCH), "value"),
        prevent_initial_call=True,
    )(over_time.apply_area_choice)
    dash.callback(
        Output(xlsx_download_id(MATCH), "data"),
        Input(xlsx_button_id(MATCH), "n_clicks"),
        State("indicator-view", "data"),
        prevent_initial_call=True,
    )(download_xlsx)
    dash.clientside_callback(
        ClientsideFunction(namespace=CLIENTSIDE_NAMESPACE, function_name="keepFocus"),
        Output("indicator-focus", "data"),
        Input("indicator-view", "data"),
    )
    register_process_changes()
