"""CSV downloads of exactly what a chart plots: the button under each chart, and what the server sends when
it is pressed.

The button and its :class:`dash.dcc.Download` have pattern-matching ids (``{"type": "<page>-csv",
"chart": key}`` and ``{"type": "<page>-download", "chart": key}``), so one server callback per page, on
``MATCH``, serves every chart's button; the callback rebuilds the chart from the view and sends
:func:`csv_download` of it.
"""

from __future__ import annotations

from dash import dcc, html
from dash.dependencies import Wildcard

from dashboard.components.charts.chart import Chart
from dashboard.formatting import plural


def button_id(key: str | Wildcard, page: str = "indicator") -> dict:
    """The id of a chart's download button (``key`` MATCH for the callback that serves every chart)."""
    return {"type": f"{page}-csv", "chart": key}


def download_id(key: str | Wildcard, page: str = "indicator") -> dict:
    """The id of the :class:`dash.dcc.Download` that receives a chart's CSV."""
    return {"type": f"{page}-download", "chart": key}


def csv_button(key: str, rows: int, page: str = "indicator") -> html.Div:
    """ "Download the figures (CSV, 18 rows)": a button and the download it fills."""
    return html.Div(
        [
            html.Button(
                f"Download the figures (CSV, {plural(rows, 'row')})",
                type="button",
                id=button_id(key, page),
                className="app-indicator-chart__download",
                n_clicks=0,
            ),
            dcc.Download(id=download_id(key, page)),
        ],
        className="app-indicator-chart__actions",
    )


def csv_download(chart: Chart) -> dict:
    """What the download button sends: exactly the chart's table, as CSV."""
    return dcc.send_string(chart.csv(), chart.filename, type="text/csv")
