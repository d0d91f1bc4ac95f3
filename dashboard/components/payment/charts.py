"""The payment page's charts: the budget split and the year-end forecast.

Each chart is laid out as the product's charts are: a headline that says what it shows, a subtitle, the chart
(an image to screen readers, named by a text summary), a source line, the figures as a table and as CSV.
Figures are built as plain dicts with the product's Plotly template (:mod:`dashboard.theme`), several times
faster than graph objects.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Mapping, Sequence
from decimal import Decimal

import flask
import pandas as pd
import plotly.io as pio
from dash import dcc, html
from itsdangerous import BadSignature, URLSafeSerializer

from dashboard import colours, theme
from dashboard.components.charts.downloads import ILLUSTRATIVE_LICENCE
from dashboard.components.charts.panel import chart_panel
from dashboard.components.payment.words import forecast_sentence, reported_phrase, so_far
from dashboard.data_access import OPEN_GOVERNMENT_LICENCE, export_csv
from dashboard.formatting import percent, possessive
from dashboard.table_downloads import TableFile, download_href, register_table
from data.payment_export import Payment
from metrics.money import format_pounds

SOURCE_BUDGET = (
    "Cambridgeshire County Council, Children and Young People Committee, 8 October 2024 "
    "(recommendation c, paragraph 4.8)"
)
FIGURES_TABLE = "payment-chart"
"""The download route's name for a payment chart's figures (``/download/payment-chart.xlsx``)."""


def _csv_link(
    rows: Sequence[Sequence], header: Sequence[str], about: dict[str, str], file_name: str, id: str
) -> html.A:
    """A link that downloads ``rows`` as a CSV file under their description, carried in the link itself."""
    label = "Download the chart's figures (CSV)"
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(export_csv(header, rows, about))
    return html.A(label, href=href, download=file_name, id=id, className="app-link")


def _signer() -> URLSafeSerializer:
    """Signs a chart's figures into its spreadsheet link with the app's secret key, so that the download
    route writes only figures a page of this dashboard put there."""
    return URLSafeSerializer(flask.current_app.config["SECRET_KEY"], salt=FIGURES_TABLE)


def _xlsx_link(
    rows: Sequence[Sequence], header: Sequence[str], about: dict[str, str], file_name: str, id: str
) -> html.A:
    """A link that downloads ``rows`` (name, amount in pounds) as a spreadsheet with its description above
    the table and on an "About" sheet. The link carries the figures and their description, signed, and the
    spreadsheet is written only when the link is followed (:func:`figures_file`), not on every view."""
    figures = {
        "header": list(header),
        "rows": [[str(name), str(amount)] for name, amount in rows],
        "about": about,
        "name": file_name.removesuffix(".xlsx"),
    }
    return html.A(
        "Download the chart's figures with their description (XLSX)",
        href=download_href(FIGURES_TABLE, "xlsx", {"figures": _signer().dumps(figures)}),
        download=file_name,
        id=id,
        className="app-link",
    )


def figures_file(query: Mapping[str, str]) -> TableFile | None:
    """The spreadsheet a chart's link asks for: its figures (amounts as exact pounds) under their
    description, from the link's signed ``figures`` (None, so not found, when they are missing or not
    signed by this dashboard)."""
    try:
        figures = _signer().loads(query.get("figures", ""))
    except BadSignature:
        return None
    frame = pd.DataFrame(
        [(name, Decimal(amount)) for name, amount in figures["rows"]], columns=list(figures["header"])
    )
    return TableFile(frame=frame, about=figures["about"], name=figures["name"])


register_table(FIGURES_TABLE, figures_file)


def _about(title: str, area_name: str, year: str, source: str, illustrative: bool) -> dict[str, str]:
    """The description of a payment chart's figures, as the indicator charts' spreadsheets carry it."""
    return {
        "Title": title,
        "Area": area_name,
        "Period": year,
        "Unit": "Pounds (£)",
        "Source": source,
        "Licence": ILLUSTRATIVE_LICENCE if illustrative else OPEN_GOVERNMENT_LICENCE,
    }


STATIC: dcc.Graph.Config = {"staticPlot": True, "displayModeBar": False, "responsive": True}
"""The payment charts are pictures of a calculation: nothing to hover, zoom or select."""


def _chart_panel(
    key: str,
    *,
    headline: str,
    subtitle: str,
    figure: dict,
    summary: str,
    source: str,
    table_caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence],
    csv_rows: Sequence[Sequence],
    file_name: str,
    about: dict[str, str],
) -> html.Div:
    """A payment chart in the one chart panel; its CSV (``csv_rows``, in pounds and pence) is carried in its
    download link, and a spreadsheet of the same figures under their description (``about``) is written when
    its link is followed."""
    link = _csv_link(csv_rows, header, about, file_name, f"chart-{key}-csv")
    workbook = _xlsx_link(
        csv_rows, header, about, file_name.removesuffix(".csv") + ".xlsx", f"chart-{key}-xlsx"
    )
    return chart_panel(
        key,
        headline=headline,
        subtitle=subtitle,
        source=f"Source: {source}.",
        summary=summary,
        figure=figure,
        caption=table_caption,
        header=header,
        rows=rows,
        numeric=header[1:],
        download=html.P([link, " ", workbook], className="app-body-s app-payment__chart-downloads"),
        config=STATIC,
        image_name=file_name.removesuffix(".csv"),
    )


@functools.cache
def _template() -> dict:
    """The product's Plotly template (dashboard.theme) as plain data. Figures here are built as dicts, which
    is several times faster than graph objects; a dict figure must carry its template itself."""
    return pio.templates[theme.TEMPLATE_NAME].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> dict:
    """A dict figure carrying the product's template."""
    return {"data": data, "layout": {"template": _template(), **layout}}


def _segment(name: str, amount: Decimal, colour: str, y: str, axes: str) -> dict:
    """One part of a stacked horizontal bar, labelled with its amount (inside when it fits, and in the
    legend)."""
    return {
        "type": "bar",
        "orientation": "h",
        "x": [float(amount)],
        "y": [y],
        "name": f"{name}: {format_pounds(amount)}",
        "marker": {"color": colour, "line": {"width": 0}},
        "text": [format_pounds(amount)],
        "textposition": "inside",
        "insidetextanchor": "middle",
        "textfont": {"color": colours.text_colour_for(colour), "size": 16},
        "xaxis": f"x{axes}",
        "yaxis": f"y{axes}",
        "hoverinfo": "skip",
    }


_HIDDEN_AXIS = {
    "showticklabels": False,
    "showgrid": False,
    "showline": False,
    "ticks": "",
    "zeroline": False,
    "fixedrange": True,
}


def budget_chart(priced: Payment, area_name: str, *, slug: str) -> html.Div:
    """The budget split: the whole budget (paid regardless, at risk), then the money at risk (earned so far,
    withheld, still to be assessed)."""
    scheme, result = priced.scheme, priced.result
    split = so_far(priced)
    data = [
        _segment("Paid regardless", result.fixed, colours.DARK_BLUE, "Budget", ""),
        _segment("At risk", result.at_risk, colours.ORANGE, "Budget", ""),
        _segment("Earned so far", split.earned, colours.TURQUOISE, "At risk", "2"),
        _segment("Withheld so far", split.withheld, colours.DARK_PINK, "At risk", "2"),
        _segment("Not yet assessed", split.to_assess, colours.THE_REST, "At risk", "2"),
    ]
    title = {
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 16},
    }
    fig = _figure(
        data,
        {
            "barmode": "stack",
            "height": 290,
            "margin": {"l": 8, "r": 24, "t": 90, "b": 8},
            "uniformtext": {"minsize": 14, "mode": "hide"},
            "legend": {"traceorder": "normal", "y": 1.12},
            "xaxis": {**_HIDDEN_AXIS, "range": [0, float(scheme.budget)], "anchor": "y"},
            "yaxis": {**_HIDDEN_AXIS, "domain": [0.65, 1], "anchor": "x"},
            "xaxis2": {**_HIDDEN_AXIS, "range": [0, float(result.at_risk) or 1], "anchor": "y2"},
            "yaxis2": {**_HIDDEN_AXIS, "domain": [0, 0.35], "anchor": "x2"},
            "annotations": [
                {**title, "y": 1.0, "text": f"The whole budget: {format_pounds(scheme.budget)}"},
                {**title, "y": 0.35, "text": f"The {format_pounds(result.at_risk)} at risk"},
            ],
        },
    )
    headline = (
        f"{format_pounds(split.earned)} of the {format_pounds(result.at_risk)} at risk has been earned so far"
    )
    so_far_words = f", on the figures reported so far ({reported_phrase(priced)})" if split.quarters else ""
    subtitle = (
        f"{possessive(area_name)} Healthy Child Programme budget for {scheme.financial_year}: paid "
        f"regardless, and the {percent(scheme.share)} paid only as the Annual Development Plan targets "
        f"are met{so_far_words}{' (illustrative KPIs and figures)' if scheme.illustrative else ''}."
    )
    rows = [
        ("Whole budget", format_pounds(scheme.budget)),
        ("Paid regardless", format_pounds(result.fixed)),
        ("At risk", format_pounds(result.at_risk)),
        ("Earned so far", format_pounds(split.earned)),
        ("Withheld so far", format_pounds(split.withheld)),
        ("Not yet assessed", format_pounds(split.to_assess)),
    ]
    csv_rows = [
        (name, f"{amount:.2f}")
        for name, amount in (
            ("Whole budget", scheme.budget),
            ("Paid regardless", result.fixed),
            ("At risk", result.at_risk),
            ("Earned so far", split.earned),
            ("Withheld so far", split.withheld),
            ("Not yet assessed", split.to_assess),
        )
    ]
    summary = (
        f"Bar chart. Of the {format_pounds(scheme.budget)} budget, {format_pounds(result.fixed)} is paid "
        f"regardless and {format_pounds(result.at_risk)} is at risk. Of the money at risk, "
        f"{format_pounds(split.earned)} has been earned so far, {format_pounds(split.withheld)} withheld "
        f"and {format_pounds(split.to_assess)} not yet assessed."
    )
    source = (
        SOURCE_BUDGET
        + " for the budget and share; provider quarterly returns"
        + (" (illustrative)" if scheme.illustrative else "")
        + " for the KPI figures"
    )
    return _chart_panel(
        "payment-budget",
        headline=headline,
        subtitle=subtitle,
        figure=fig,
        summary=summary,
        source=source,
        table_caption="The budget split",
        header=("Part of the budget", "Amount"),
        rows=rows,
        csv_rows=csv_rows,
        file_name=f"budget-split-{slug}.csv",
        about=_about(
            f"The budget split: {area_name}, {scheme.financial_year}",
            area_name,
            scheme.financial_year,
            source,
            scheme.illustrative,
        ),
    )


def forecast_chart(priced: Payment, area_name: str, *, slug: str) -> html.Div:
    """The year-end range as three bars: worst, expected, best, against all the money at risk."""
    outlook, at_risk = priced.range, priced.result.at_risk
    cases = (
        ("Worst", outlook.worst.earned),
        ("Expected", outlook.expected.earned),
        ("Best", outlook.best.earned),
    )
    bar_colours = [colours.THE_REST, colours.DARK_BLUE, colours.THE_REST]
    fig = _figure(
        [
            {
                "type": "bar",
                "orientation": "h",
                "x": [float(amount) for _, amount in cases],
                "y": [name for name, _ in cases],
                "marker": {"color": bar_colours, "line": {"width": 0}},
                "text": [format_pounds(amount) for _, amount in cases],
                "textposition": "auto",
                "insidetextanchor": "end",
                "insidetextfont": {"color": [colours.text_colour_for(c) for c in bar_colours], "size": 16},
                "outsidetextfont": {"color": colours.TEXT, "size": 16},
                "cliponaxis": False,
                "showlegend": False,
                "hoverinfo": "skip",
            }
        ],
        {
            "height": 240,
            "margin": {"l": 8, "r": 96, "t": 40, "b": 8},
            "shapes": [
                {
                    "type": "line",
                    "x0": float(at_risk),
                    "x1": float(at_risk),
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": colours.TEXT, "width": 2, "dash": "dash"},
                }
            ],
            "annotations": [
                {
                    "x": float(at_risk),
                    "y": 1.0,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "xanchor": "right",
                    "showarrow": False,
                    "text": f"All {format_pounds(at_risk)} at risk",
                    "font": {"size": 14},
                }
            ],
            "yaxis": {
                "autorange": "reversed",
                "showgrid": False,
                "showline": False,
                "ticks": "",
                "tickfont": {"size": 16},
                "fixedrange": True,
            },
            "xaxis": {
                "range": [0, float(at_risk) * 1.02 or 1],
                "showticklabels": False,
                "showline": False,
                "ticks": "",
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
            },
        },
    )
    scheme = priced.scheme
    headline = (
        f"Expected {format_pounds(outlook.expected.earned)} by the year end, between "
        f"{format_pounds(outlook.worst.earned)} and {format_pounds(outlook.best.earned)}"
    )
    subtitle = (
        f"Year-end forecast of the performance-linked payment, {area_name}, {scheme.financial_year}: "
        "worst, expected and best cases" + (" (illustrative)" if scheme.illustrative else "") + "."
    )
    rows = [(name, format_pounds(amount)) for name, amount in cases] + [
        ("All at risk", format_pounds(at_risk))
    ]
    csv_rows = [(name, f"{amount:.2f}") for name, amount in cases] + [("All at risk", f"{at_risk:.2f}")]
    summary = f"Bar chart. {forecast_sentence(priced)}"
    source = (
        "Provider quarterly returns"
        + (" (illustrative)" if scheme.illustrative else "")
        + "; forecast by the dashboard from each KPI's SPC assurance"
    )
    return _chart_panel(
        "payment-forecast",
        headline=headline,
        subtitle=subtitle,
        figure=fig,
        summary=summary,
        source=source,
        table_caption="Year-end forecast",
        header=("Case", "Earned by the year end"),
        rows=rows,
        csv_rows=csv_rows,
        file_name=f"payment-forecast-{slug}.csv",
        about=_about(
            f"Year-end forecast of the performance-linked payment: {area_name}, {scheme.financial_year}",
            area_name,
            scheme.financial_year,
            source,
            scheme.illustrative,
        ),
    )
