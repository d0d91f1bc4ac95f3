"""The one chart panel: how every chart is laid out, as the UK Analysis Function guidance asks.

A headline that states the message, a subtitle saying what is measured and where, any notes (status tags,
a trial-limits label), the figure (an image to screen readers, named by its text summary), the source
line, a table view of exactly what is plotted, and a control that downloads those figures as CSV.

:func:`chart_panel` takes these as plain values (figure, words, table header and rows, the download
control), so any page's chart can use it; :func:`chart_block` lays out a :class:`Chart` from the indicator
page's chart functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components.attributes import extra
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.downloads import csv_button
from dashboard.components.charts.tables import table_rows
from dashboard.components.govuk import details, table

GraphConfig = dcc.Graph.Config
"""The Plotly configuration of a figure (``displayModeBar``, ``staticPlot``…), as Dash types it."""

GRAPH_CONFIG: GraphConfig = {
    "displayModeBar": False,
    "scrollZoom": False,
    "responsive": True,
    "doubleClick": False,
}
"""No toolbar (nothing to focus inside the chart), no zooming by accident on a projector."""


def graph_image(
    key: str, figure: go.Figure | dict, summary: str, *, config: GraphConfig = GRAPH_CONFIG
) -> html.Div:
    """A figure as an image to screen readers, named by its text summary (ids ``graph-<key>`` and
    ``chart-<key>-figure``)."""
    return html.Div(
        dcc.Graph(
            figure=figure, config=config.copy(), className="app-indicator-chart__graph", id=f"graph-{key}"
        ),
        role="img",
        className="app-indicator-chart__figure",
        id=f"chart-{key}-figure",
        **extra({"aria-label": summary}),
    )


def table_view(
    key: str, caption: str, header: Sequence[str], rows: Sequence[Sequence], numeric: Sequence[str] = ()
) -> html.Div:
    """The figures as a semantic table (caption, column headers, numbers right-aligned) in a region that
    scrolls sideways on a narrow screen."""
    return html.Div(
        table(caption, header, rows, numeric=numeric, caption_size="s", id=f"table-{key}"),
        className="app-indicator-table-scroll",
        tabIndex="0",
        role="region",
        **extra({"aria-label": f"Table: {caption} (scrolls sideways on a narrow screen)"}),
    )


def chart_panel(
    key: str,
    *,
    headline: str,
    subtitle: str,
    source: str,
    summary: str,
    figure: go.Figure | dict | None,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence],
    download: Component,
    numeric: Sequence[str] = (),
    notes: Sequence[Component] = (),
    body: Sequence[Component] | None = None,
    config: GraphConfig = GRAPH_CONFIG,
) -> html.Div:
    """A chart laid out the one way: headline, subtitle, ``notes``, the figure, source, table view, download.

    ``key`` names the ids (``chart-<key>``, ``chart-<key>-headline``, ``graph-<key>``, ``table-<key>``…);
    ``header`` and ``rows`` are the table view, already written out, and must be exactly what is plotted;
    ``download`` is the control that downloads them (:func:`~.downloads.csv_button`, or a link holding the
    CSV). ``body`` replaces the single figure (the compare-areas bars and map side by side); ``config`` is
    the Plotly configuration of the figure.
    """
    shown = list(body) if body is not None else [graph_image(key, figure, summary, config=config)]
    return html.Div(
        [
            html.H3(headline, className="app-indicator-chart__headline", id=f"chart-{key}-headline"),
            html.P(subtitle, className="app-indicator-chart__subtitle", id=f"chart-{key}-subtitle"),
            *notes,
            *shown,
            html.P(source, className="app-indicator-chart__source", id=f"chart-{key}-source"),
            details(
                f"Show the figures as a table: {caption}",
                table_view(key, caption, header, rows, numeric),
                id=f"chart-{key}-table",
            ),
            download,
        ],
        className="app-indicator-chart",
        id=f"chart-{key}",
    )


def chart_block(chart: Chart, indicator: Mapping, *, body: Sequence[Component] | None = None) -> html.Div:
    """An indicator-page chart in the panel, its table written with the indicator's unit, and a button that
    asks the server for its CSV."""
    header, rows = table_rows(chart, indicator)
    return chart_panel(
        chart.key,
        headline=chart.headline,
        subtitle=chart.subtitle,
        source=chart.source,
        summary=chart.summary,
        figure=chart.figure,
        caption=chart.caption,
        header=header,
        rows=rows,
        numeric=chart.numeric,
        download=csv_button(chart.key, len(chart.data)),
        notes=chart.notes,
        body=body,
    )
