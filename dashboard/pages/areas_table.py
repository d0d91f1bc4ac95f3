"""Areas table ("tartan rug"): every indicator of a framework down the side, the home areas, the region and
England across, each cell the area's latest figure and how it compares with England in words, a shape and
the Fingertips colour.

Each column is that area's own scorecard (:func:`dashboard.data_access.scorecard_rows`), so a cell always
agrees with the area's scorecard. It prints on A4 landscape with every column on the page (see the print
block in style.css), and downloads as CSV and as a spreadsheet with its description, written by
:mod:`data.exports`. The view is in the link (``framework``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard import data_access, formatting, routes
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.charts.downloads import XLSX_TYPE
from dashboard.components.notices import ignored_settings, page_or_unavailable
from dashboard.components.scorecard_filters import View, choices, domain_indicators, read_view
from data.areas import ENGLAND, home
from data.areas_table import areas_table, for_export

TITLE = routes.TITLES[routes.AREAS_TABLE]

dash.register_page(
    __name__,
    path=routes.AREAS_TABLE,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="Every indicator for every local area, the region and England, compared with England.",
    order=1,
)

SHORT_WORDS = {
    "better": "Better",
    "similar": "Similar",
    "worse": "Worse",
    "higher": "Higher",
    "lower": "Lower",
    "not compared": "Not compared",
}
"""A cell's comparison in a word (the table's caption says "compared with England")."""


def layout(**query: str) -> html.Div:
    return page_or_unavailable(
        lambda: _page(query),
        title=TITLE,
        cannot="show the areas table",
        id="areas-table-data-unavailable",
        class_name="app-page app-page--areas-table",
    )


def columns() -> list[tuple[str, str]]:
    """(code, name) of each column: the home areas with figures, the region, England."""
    options = choices()
    settings = home()
    return [
        *options.areas,
        (settings.region, options.names.get(settings.region, settings.region)),
        (ENGLAND, options.names.get(ENGLAND, "England")),
    ]


def table_frame(framework: str) -> pd.DataFrame:
    """The tidy table for ``framework`` (:func:`data.areas_table.areas_table`), from each area's scorecard."""
    areas = columns()
    rows = {code: data_access.scorecard_rows(code) for code, _ in areas}
    return areas_table(rows, areas, domain_indicators(framework), benchmark=ENGLAND)


def _page(query: dict) -> list:
    options = choices()
    view = read_view(query, options)
    framework = dict(options.frameworks).get(view.framework, view.framework)
    frame = table_frame(view.framework)
    areas = columns()
    children: list = [
        html.H1(f"{TITLE}: {framework}", className="app-heading-xl", id="areas-table-heading"),
        html.P(
            "Each indicator's latest figure for every local area, the East of England and England, and "
            "how it compares with England: significantly better or worse when England's figure lies "
            "outside the area's 95% confidence interval, similar when inside.",
            className="app-body",
            id="areas-table-lead",
        ),
    ]
    if view.ignored:
        children.append(
            ignored_settings(
                view.ignored,
                page="areas table",
                outcome="so it shows the usual choices",
                id="areas-table-ignored",
            )
        )
    children += [
        _choose(view, options),
        _legend(),
        _downloads(view, len(frame)),
        _grid(frame, areas, framework),
    ]
    return children


def _choose(view: View, options) -> html.Form:
    return html.Form(
        [
            html.Div(
                [
                    html.Label("Framework", htmlFor="areas-table-framework", className="app-label"),
                    html.Select(
                        [
                            html.Option(title, value=code, selected=code == view.framework)
                            for code, title in options.frameworks
                        ],
                        id="areas-table-framework",
                        name="framework",
                        className="app-select",
                    ),
                ],
                className="app-form-group",
            ),
            html.Button("Show", id="areas-table-choose", className="app-button", type="submit"),
        ],
        action=routes.href(routes.AREAS_TABLE),
        method="get",
        className="app-summary__selector app-areas-table__selector",
        id="areas-table-selector",
    )


def _legend() -> html.Div:
    return html.Div(
        [
            html.Span("Compared with England: ", className="app-areas-table__legend-label"),
            *[status.status_tag(status.benchmark(key)) for key in SHORT_WORDS],
        ],
        className="app-areas-table__legend",
        id="areas-table-legend",
    )


def _downloads(view: View, rows: int) -> html.Div:
    return html.Div(
        [
            html.Button(
                f"Download the table (CSV, {formatting.plural(rows, 'row')})",
                id="areas-table-csv",
                type="button",
                n_clicks=0,
                className="app-button app-button--secondary",
            ),
            html.Button(
                "Download the table with its description (XLSX)",
                id="areas-table-xlsx",
                type="button",
                n_clicks=0,
                className="app-button app-button--secondary",
            ),
            dcc.Download(id="areas-table-csv-download"),
            dcc.Download(id="areas-table-xlsx-download"),
            dcc.Store(id="areas-table-context", data={"framework": view.framework}),
        ],
        className="app-areas-table__downloads",
    )


def _cell(record: dict, row_period: str | None, value_type: str) -> html.Td:
    """A figure with its comparison with England: words, a shape and the colour."""
    if record.get("value") is None or pd.isna(record["value"]):
        return html.Td(
            html.Span("No figure", className="app-areas-table__none"),
            className="app-table__cell app-areas-table__cell",
        )
    value = formatting.format_value(record["value"], record["unit"] or "", value_type)
    period = record["period"]
    content: list = [html.Span(value, className="app-areas-table__value")]
    if period != row_period:
        content.append(html.Span(f"in {period}", className="app-areas-table__period"))
    key = record["comparison"]
    if not key:  # England, the benchmark itself
        return html.Td(
            content, className="app-table__cell app-areas-table__cell app-areas-table__cell--england"
        )
    shown = status.benchmark(key)
    content.append(
        html.Span(
            [
                html.Span(shown.icon, className="status-tag__icon", **extra({"aria-hidden": "true"})),
                SHORT_WORDS[key],
            ],
            className="app-areas-table__status",
        )
    )
    return html.Td(
        content,
        className=f"app-table__cell app-areas-table__cell {shown.css_class.replace('status-tag ', '')}",
        style={"backgroundColor": shown.background, "color": shown.text_colour},
    )


def _grid(frame: pd.DataFrame, areas: list[tuple[str, str]], framework: str) -> html.Div:
    head = html.Thead(
        html.Tr(
            [html.Th("Indicator", scope="col", className="app-table__header app-areas-table__indicator")]
            + [
                html.Th(
                    html.Span(name, className="app-areas-table__area-name"),
                    scope="col",
                    className="app-table__header app-areas-table__area",
                )
                for _, name in areas
            ],
            className="app-table__row",
        ),
        className="app-table__head",
    )
    catalogue = data_access.catalogue()
    value_types = dict(zip(catalogue["code"], catalogue["value_type"], strict=True))
    bodies = []
    for domain, in_domain in frame.groupby("domain", sort=False):
        rows = [
            html.Tr(
                html.Th(
                    str(domain), scope="rowgroup", colSpan=len(areas) + 1, className="app-areas-table__domain"
                ),
                className="app-table__row",
            )
        ]
        for code, cells in in_domain.groupby("indicator_code", sort=False):
            records = cells.to_dict("records")
            periods = Counter(r["period"] for r in records if r["period"])
            row_period = periods.most_common(1)[0][0] if periods else None
            by_area = {r["area_code"]: r for r in records}
            first = records[0]
            rows.append(
                html.Tr(
                    [
                        html.Th(
                            [
                                html.A(first["indicator"], href=routes.indicator_href(str(code))),
                                html.Span(
                                    f"{row_period}" if row_period else "no figures",
                                    className="app-areas-table__period",
                                ),
                            ],
                            scope="row",
                            className="app-table__cell app-areas-table__indicator",
                        ),
                        *[
                            _cell(by_area.get(area, {"value": None}), row_period, value_types.get(code, ""))
                            for area, _ in areas
                        ],
                    ],
                    className="app-table__row",
                    **extra({"data-indicator": str(code)}),
                )
            )
        bodies.append(html.Tbody(rows, className="app-table__body"))
    return html.Div(
        html.Table(
            [
                html.Caption(
                    f"{framework}: each area's latest figure, compared with England",
                    className="app-table__caption",
                ),
                head,
                *bodies,
            ],
            className="app-table app-areas-table",
            id="areas-table",
        ),
        className="app-areas-table__wrap",
    )


# --- Downloads: the tidy table, written by data.exports ----------------------------------------------------


def _about(framework: str) -> dict[str, str]:
    title = dict(choices().frameworks).get(framework, framework)
    return {
        "Title": f"{TITLE}: {title}: each area's latest figure, compared with England",
        "Area": ", ".join(name for _, name in columns()),
        "Period": "Each indicator's latest period for each area (column Period)",
        "Unit": "As given for each indicator (column Unit)",
        "Source": "OHID Fingertips and the other published sources named on the Data sources page; "
        "the provider's quarterly returns (illustrative)",
        "Licence": data_access.OPEN_GOVERNMENT_LICENCE + "; the provider's figures are illustrative, made up",
        "Date made": f"{dt.datetime.now():%d %B %Y %H:%M}",
    }


def _file_name(framework: str, extension: str) -> str:
    return f"areas-table-{framework}.{extension}"


def _framework(context: dict | None) -> str:
    framework = (context or {}).get("framework")
    known = {code for code, _ in choices().frameworks}
    if framework not in known:
        raise dash.exceptions.PreventUpdate
    return str(framework)


@dash.callback(
    Output("areas-table-csv-download", "data"),
    Input("areas-table-csv", "n_clicks"),
    State("areas-table-context", "data"),
    prevent_initial_call=True,
)
def download_csv(n_clicks: int | None, context: dict | None) -> dict:
    """The tidy table as CSV under its description: one row per indicator and area."""
    if not n_clicks:
        raise dash.exceptions.PreventUpdate
    framework = _framework(context)
    text = data_access.frame_csv(for_export(table_frame(framework)), _about(framework))
    return dcc.send_string(text, _file_name(framework, "csv"), type="text/csv")


@dash.callback(
    Output("areas-table-xlsx-download", "data"),
    Input("areas-table-xlsx", "n_clicks"),
    State("areas-table-context", "data"),
    prevent_initial_call=True,
)
def download_xlsx(n_clicks: int | None, context: dict | None) -> dict:
    """The same table in a spreadsheet, under its description and with an About sheet."""
    if not n_clicks:
        raise dash.exceptions.PreventUpdate
    framework = _framework(context)
    content = data_access.table_workbook(for_export(table_frame(framework)), _about(framework))
    return dcc.send_bytes(content, _file_name(framework, "xlsx"), type=XLSX_TYPE)
