"""Downloads of exactly what a chart plots: the buttons under each chart, and what the server sends when
one is pressed.

Two files, both written by :mod:`data.exports` (so no text in them can run as a spreadsheet formula), both
describing the figures (title, area, period, unit, source, licence and the date it was made): the CSV, that
description in its first lines and then the tidy table, and an XLSX spreadsheet of the same figures with the
description above the table and on an "About" sheet.

The buttons and their :class:`dash.dcc.Download` have pattern-matching ids (``{"type": "<page>-csv",
"chart": key}``, ``{"type": "<page>-download", "chart": key}``, and ``<page>-xlsx`` and
``<page>-xlsx-download`` for the spreadsheet), so one server callback per page and kind, on ``MATCH``, serves
every chart's button; the callback rebuilds the chart from the view and sends :func:`csv_download` or
:func:`xlsx_download` of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dash import dcc, html
from dash.dependencies import Wildcard

from dashboard.components.charts.chart import Chart
from dashboard.data_access import OPEN_GOVERNMENT_LICENCE, table_workbook
from dashboard.formatting import is_true, plural

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ILLUSTRATIVE_LICENCE = (
    "Illustrative figures made up for demonstration: not real data and not licensed from anyone"
)


def button_id(key: str | Wildcard, page: str = "indicator") -> dict:
    """The id of a chart's download button (``key`` MATCH for the callback that serves every chart)."""
    return {"type": f"{page}-csv", "chart": key}


def download_id(key: str | Wildcard, page: str = "indicator") -> dict:
    """The id of the :class:`dash.dcc.Download` that receives a chart's CSV."""
    return {"type": f"{page}-download", "chart": key}


def xlsx_button_id(key: str | Wildcard, page: str = "indicator") -> dict:
    """The id of a chart's spreadsheet button (``key`` MATCH for the callback that serves every chart)."""
    return {"type": f"{page}-xlsx", "chart": key}


def xlsx_download_id(key: str | Wildcard, page: str = "indicator") -> dict:
    """The id of the :class:`dash.dcc.Download` that receives a chart's spreadsheet."""
    return {"type": f"{page}-xlsx-download", "chart": key}


def csv_button(key: str, rows: int, page: str = "indicator") -> html.Div:
    """ "Download the figures (CSV, 18 rows)" and "Download the figures with their description (XLSX)": two
    buttons and the downloads they fill."""
    return html.Div(
        [
            html.Button(
                f"Download the figures (CSV, {plural(rows, 'row')})",
                type="button",
                id=button_id(key, page),
                className="app-indicator-chart__download",
                n_clicks=0,
            ),
            html.Button(
                "Download the figures with their description (XLSX)",
                type="button",
                id=xlsx_button_id(key, page),
                className="app-indicator-chart__download",
                n_clicks=0,
            ),
            dcc.Download(id=download_id(key, page)),
            dcc.Download(id=xlsx_download_id(key, page)),
        ],
        className="app-indicator-chart__actions",
    )


def csv_download(chart: Chart, indicator: Mapping, area_name: str) -> dict:
    """What the download button sends: exactly the chart's table, as CSV under its description."""
    return dcc.send_string(chart.csv(about(chart, indicator, area_name)), chart.filename, type="text/csv")


def about(
    chart: Chart, indicator: Mapping, area_name: str, made: dt.datetime | None = None
) -> dict[str, str]:
    """The description of a chart's figures: what they are, where, when, in what unit, from where, under what
    licence, and when the file was made."""
    name = indicator.get("name") or indicator.get("short_name") or ""
    return {
        "Title": f"{name}: {chart.caption}" if name and name not in chart.caption else chart.caption,
        "Area": area_name,
        "Period": chart.periods(),
        "Unit": str(indicator.get("unit") or ""),
        "Source": chart.source.removeprefix("Source: ").removesuffix("."),
        "Licence": ILLUSTRATIVE_LICENCE
        if is_true(indicator.get("illustrative"))
        else OPEN_GOVERNMENT_LICENCE,
        "Date made": f"{made or dt.datetime.now():%d %B %Y %H:%M}",
    }


def xlsx_download(chart: Chart, indicator: Mapping, area_name: str) -> dict:
    """What the spreadsheet button sends: the chart's table under its description, and an About sheet."""
    content = table_workbook(chart.data, about(chart, indicator, area_name))
    return dcc.send_bytes(content, chart.filename.removesuffix(".csv") + ".xlsx", type=XLSX_TYPE)
