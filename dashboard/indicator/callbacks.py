"""The indicator page's callbacks: each chart's CSV download, and keeping the reader's place when a link
changes the view (browser-side, ``keepFocus`` in ``dashboard/assets/indicator.js``).

Dash gives each app the callbacks registered since the last app was set up, and re-runs a page module for
every app it builds; so the page module calls :func:`register` when it runs, rather than this module
registering once when first imported.
"""

from __future__ import annotations

import dash
from dash import MATCH, ClientsideFunction, Input, Output, State

from dashboard.components.charts.chart import Chart
from dashboard.components.charts.downloads import button_id, csv_download, download_id
from dashboard.indicator.compare_section import compare_figures
from dashboard.indicator.context import Context, build_context
from dashboard.indicator.inequalities import inequality_figures
from dashboard.indicator.over_time import spc_figures, trend_figures
from dashboard.indicator.process_change_callbacks import register as register_process_changes

CLIENTSIDE_NAMESPACE = "indicator"
"""``window.dash_clientside.indicator`` in ``dashboard/assets/indicator.js``."""


def chart_for(ctx: Context, key: str) -> Chart | None:
    """The chart with ``key`` on the page for this view (what its download button sends)."""
    if key == "trend":
        return trend_figures(ctx)
    if key == "spc":
        return spc_figures(ctx)
    if key == "compare":
        made = compare_figures(ctx)
        return made[0] if made else None
    if key.startswith("inequalities-"):
        return next((chart for chart in inequality_figures(ctx) if chart.key == key), None)
    return None


def download_csv(n_clicks: int | None, view: dict | None) -> dict:
    """Send exactly the figures the chart plots, as CSV, rebuilt from the view in the page's store."""
    if not n_clicks or not view:
        raise dash.exceptions.PreventUpdate
    key = dash.ctx.triggered_id["chart"]
    query = {"area": view.get("area"), "view": view.get("view"), "ci": view.get("ci")}
    ctx = build_context(view["code"], query)
    chart = chart_for(ctx, key) if ctx else None
    if chart is None:
        raise dash.exceptions.PreventUpdate
    return csv_download(chart)


def register() -> None:
    """Register the page's callbacks with the app being built."""
    dash.callback(
        Output(download_id(MATCH), "data"),
        Input(button_id(MATCH), "n_clicks"),
        State("indicator-view", "data"),
        prevent_initial_call=True,
    )(download_csv)
    dash.clientside_callback(
        ClientsideFunction(namespace=CLIENTSIDE_NAMESPACE, function_name="keepFocus"),
        Output("indicator-focus", "data"),
        Input("indicator-view", "data"),
    )
    register_process_changes()
