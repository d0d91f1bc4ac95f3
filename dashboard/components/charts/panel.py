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


def _graph_ids(components: Sequence[Component]) -> list[str]:
    """The ids of the figures among ``components`` and their children, in order."""
    found: list[str] = []
    for component in components:
        if isinstance(component, dcc.Graph):
            found.append(str(getattr(component, "id", "")))
        children = getattr(component, "children", None)
        if isinstance(children, Component):
            found += _graph_ids([children])
        elif isinstance(children, list | tuple):
            found += _graph_ids([c for c in children if isinstance(c, Component)])
    return found


def image_buttons(graph_ids: Sequence[str], name: str, *, id: str) -> html.Div:
    """ "Download the chart (PNG)" and "(SVG)" for each figure: ``assets/chart_images.js`` draws the figure
    as an image with the panel's headline, subtitle, source line and the date it was made, and saves it as
    ``name``.png or .svg. Where a panel holds two figures (the bars and the map), each says which it is."""
    buttons = []
    for graph in graph_ids:
        what = "the map" if graph == "graph-map" else "the chart"
        for kind in ("png", "svg"):
            buttons.append(
                html.Button(
                    f"Download {what} ({kind.upper()})",
                    type="button",
                    className="app-indicator-chart__download app-chart-image",
                    **extra(
                        {
                            "data-graph": graph,
                            "data-format": kind,
                            "data-filename": name if graph != "graph-map" else f"{name}-map",
                        }
                    ),
                )
            )
    return html.Div(
        buttons, className="app-indicator-chart__actions app-indicator-chart__images app-no-print", id=id
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
    image_name: str | None = None,
) -> html.Div:
    """A chart laid out the one way: headline, subtitle, ``notes``, the figure, source, table view, download
    of the figures, and download of the chart as an image (PNG or SVG, named ``image_name``, default
    ``key``).

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
            image_buttons(_graph_ids(shown), image_name or key, id=f"chart-{key}-images"),
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
        image_name=chart.filename.removesuffix(".csv"),
    )
