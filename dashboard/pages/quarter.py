"""The quarter view: the agenda of the contract monitoring meeting for one contract and one quarter.

``/quarter?contract=ccc-hcp-s75&quarter=2025/26 Q2`` shows, for the contract's area as at the quarter's
end: every provider KPI with its figure, target, status and SPC; the exceptions with their commentary and
actions; the actions not yet done; the data quality of the quarter's return; workforce; finance (spend
against budget, from the return's finance line); and the payment position in one line. Everything comes
from the URL, so a link reproduces the view, and it prints on A4 (see the print block in style.css).
It only reads: commentary and actions are written on the exceptions page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import dash
import pandas as pd
from dash import html

from dashboard import data_access, formatting, routes, table_downloads, urlstate
from dashboard.components import pack_button
from dashboard.components.govuk import select
from dashboard.components.monitoring import downloads, records
from dashboard.components.monitoring import quarter as sections
from dashboard.components.monitoring.flagged import flagged, status_tags
from dashboard.components.monitoring.quality import quality_section
from dashboard.components.notices import (
    ignored_settings,
    illustrative_banner,
    page_or_unavailable,
)
from dashboard.components.scorecard_table import value_text

TITLE = routes.TITLES[routes.QUARTER]

dash.register_page(
    __name__,
    path=routes.QUARTER,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="The contract monitoring meeting's agenda for one contract and quarter: every provider KPI, "
    "the exceptions and actions, data quality, workforce, finance and the payment position.",
    order=4,
)
pack_button.register()


def layout(**query: str) -> html.Div:
    return page_or_unavailable(
        lambda: _page(query),
        title=TITLE,
        cannot="show the quarter view",
        id="quarter-data-unavailable",
        class_name="app-page app-page--monitoring app-page--quarter",
    )


def quarters_with_figures(area_code: str) -> list[tuple[str, pd.Timestamp]]:
    """(label, end) of each quarter the area's provider return has figures for, newest first."""
    series = data_access.local_series()
    codes = set(data_access.provider_indicator_codes())
    rows = series[
        (series["area_code"] == area_code)
        & series["indicator_code"].isin(codes)
        & (series["granularity"] == "quarter")
    ]
    ends = rows.groupby("period_label")["period_end"].max()
    return sorted(
        ((str(label), pd.Timestamp(end)) for label, end in ends.items()), key=lambda p: p[1], reverse=True
    )


def _selector(contracts: pd.DataFrame, contract: str, quarters: list[str], quarter: str) -> html.Form:
    return html.Form(
        [
            _choose(
                "contract",
                "Contract",
                list(zip(contracts["code"], contracts["commissioner"], strict=True)),
                contract,
            ),
            _choose("quarter", "Quarter", [(q, q) for q in quarters], quarter),
            html.Button("Show quarter", type="submit", className="app-button"),
        ],
        method="get",
        action=routes.href(routes.QUARTER),
        className="app-monitor__selector app-no-print",
        id="quarter-selector",
    )


def _financial_year(quarter: str) -> str:
    return quarter.split(" ", 1)[0]


def _exceptions(rows, quarter: str, area: str) -> html.Section:
    found = flagged(row for row in rows if row.period_label == quarter)
    children: list = [html.H2("Exceptions", className="app-heading-l", id="quarter-exceptions-heading")]
    if not found:
        children.append(html.P(f"No provider KPI is an exception in {quarter}.", className="app-body"))
    for item in found:
        row = item.row
        children.append(
            html.Div(
                [
                    html.H3(row.short_name, className="app-heading-m"),
                    html.P(value_text(row), className="app-body"),
                    *status_tags(row),
                    html.Ul(
                        [html.Li(words) for _, words in item.reasons], className="app-list app-list--bullet"
                    ),
                    *records.provider_note(row.value_note),
                    *records.record(row.indicator_code, area, quarter, can_manage=False),
                ],
                className="app-monitor__exception",
                id=f"quarter-exception-{row.indicator_code}",
            )
        )
    return html.Section(children, id="quarter-exceptions", className="app-monitor__section")


def _provider_rows(area: str, quarter_end: dt.date) -> list:
    """The area's provider KPIs as at the quarter's end."""
    return [
        row
        for row in data_access.scorecard_rows(area, quarter_end.isoformat())
        if row.indicator_code in set(data_access.provider_indicator_codes())
    ]


def download_file(query: Mapping[str, str]) -> table_downloads.TableFile | None:
    """The quarter view's provider KPI table for the contract and quarter in ``query``."""
    contracts = data_access.payment_contracts()
    codes = list(contracts["code"])
    contract = urlstate.parse(query, {"contract": codes}).get("contract") or (codes[0] if codes else "")
    if not contract:
        return None
    agreement = contracts.set_index("code").loc[contract]
    area, area_name = str(agreement["area_code"]), str(agreement["area_name"])
    quarters = quarters_with_figures(area)
    labels = [label for label, _ in quarters]
    if not labels:
        return None
    quarter = urlstate.parse(query, {"contract": codes, "quarter": labels}).get("quarter", labels[0])
    quarter_end = dict(quarters)[quarter].date()
    about = {
        "Title": f"{area_name}: contract monitoring, {quarter}: every provider KPI",
        "Area": area_name,
        "Period": f"{quarter} (to {formatting.date(quarter_end)})",
        "Unit": "As given for each KPI (column Unit)",
        "Source": downloads.SOURCE,
        "Licence": downloads.LICENCE,
    }
    frame = downloads.kpi_frame(_provider_rows(area, quarter_end), quarter)
    return table_downloads.TableFile(
        frame, about, f"quarter-{contract}-{quarter.replace('/', '-').replace(' ', '-')}"
    )


table_downloads.register_table("quarter", download_file)


def _page(query: dict) -> list:
    contracts = data_access.payment_contracts()
    codes = list(contracts["code"])
    first = urlstate.parse(query, {"contract": codes})
    contract = first.get("contract") or (codes[0] if codes else "")
    agreement = contracts.set_index("code").loc[contract]
    area, area_name = str(agreement["area_code"]), str(agreement["area_name"])
    quarters = quarters_with_figures(area)
    labels = [label for label, _ in quarters]
    filters = urlstate.parse(query, {"contract": codes, "quarter": labels})
    if not labels:
        return [
            html.H1(f"Quarter view for {area_name}", className="app-heading-xl", id="quarter-heading"),
            html.P("No provider return has been loaded for this contract yet.", className="app-body"),
        ]
    quarter = filters.get("quarter", labels[0])
    quarter_end = dict(quarters)[quarter].date()
    rows = _provider_rows(area, quarter_end)
    names = {row.indicator_code: row.short_name for row in data_access.scorecard_rows(area)}
    children: list = [
        html.H1(
            f"{area_name}: contract monitoring, {quarter}", className="app-heading-xl", id="quarter-heading"
        ),
        html.P(
            f"{agreement['title']}. Provider: {agreement['provider']}. "
            f"Figures to {formatting.date(quarter_end)}.",
            className="app-body-l",
            id="quarter-lead",
        ),
    ]
    if filters.ignored:
        children.append(
            ignored_settings(
                filters.ignored,
                page="quarter view",
                outcome="so it shows the usual choices instead",
                id="quarter-ignored",
            )
        )
    if any(row.illustrative for row in rows):
        children.append(
            illustrative_banner(
                "The provider's returns are not published: KPIs marked \u201cillustrative\u201d have "
                "made-up figures.",
                id="quarter-illustrative-banner",
            )
        )
    children += [
        _selector(contracts, contract, labels, quarter),
        html.Section(
            [
                html.H2("Payment position", className="app-heading-l"),
                sections.payment_line(contract, _financial_year(quarter)),
            ],
            id="quarter-payment",
            className="app-monitor__section",
        ),
        sections.kpi_table(rows, quarter, "standard"),
        table_downloads.download_links(
            "quarter", {"contract": contract, "quarter": quarter}, "the provider KPIs", "quarter-downloads"
        ),
        _exceptions(rows, quarter, area),
        sections.actions_due_section(data_access.monitoring_actions(area), names),
        quality_section(data_access.quarter_quality(area, quarter), names, id="quarter-quality"),
        sections.workforce_section(rows, quarter),
        sections.finance_section(rows, quarter),
        pack_button.pack_panel(area, area_name, quarter_end.isoformat()),
    ]
    return children


def _choose(name: str, label: str, options: list[tuple[str, str]], selected: str) -> html.Div:
    """The page's labelled drop-down for ``name``."""
    return select(f"quarter-choose-{name}", name, label, options, selected)
