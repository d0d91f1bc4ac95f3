"""The data quality section, shared by the exceptions page and the quarter view: what is missing from the
provider's return for a quarter, what was loaded late, and which figures are suppressed or provisional.
The rule for "late" is said on the page."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from dashboard import data_access, formatting
from dashboard.components.attributes import extra
from dashboard.components.govuk import table


def _names(codes, names: Mapping[str, str]) -> list[str]:
    return [names.get(code, code) for code in codes]


def _list(title: str, items: list, none: str, id: str) -> html.Div:
    if not items:
        return html.Div(
            [html.H3(title, className="app-heading-s"), html.P(none, className="app-body")], id=id
        )
    return html.Div(
        [
            html.H3(title, className="app-heading-s"),
            html.Ul([html.Li(item) for item in items], className="app-list app-list--bullet"),
        ],
        id=id,
    )


def quality_section(
    quality: data_access.QuarterQuality, names: Mapping[str, str], *, id: str
) -> html.Section:
    """The data quality of one quarter's provider return, in words and one table for late loads."""
    heading = html.H2(
        f"Data quality: {quality.quarter} return", className="app-heading-l", id=f"{id}-heading"
    )
    rule = html.P(
        f"A figure is late when the provider's return that first held it was loaded more than "
        f"{data_access.LATE_AFTER_DAYS // 7} weeks after the quarter ended: for {quality.quarter}, after "
        f"{formatting.date(quality.deadline)}. Figures from the bundled data and public sources are never "
        "late. "
        "A KPI is missing when the return holds figures for the quarter but none for it.",
        className="app-body",
    )
    if not quality.received:
        body: list = [
            html.P(
                f"No provider return has been loaded for {quality.quarter} yet, so every provider KPI is "
                "still to come.",
                className="app-body",
                id=f"{id}-not-received",
            )
        ]
    else:
        late_rows = [
            [
                names.get(late.indicator_code, late.indicator_code),
                formatting.date(late.first_loaded),
                str(late.days_after_quarter),
            ]
            for late in quality.late
        ]
        late = (
            table(
                f"Figures loaded late for {quality.quarter}",
                ["KPI", "First loaded", "Days after the quarter ended"],
                late_rows,
                numeric=["Days after the quarter ended"],
                caption_size="s",
                id=f"{id}-late",
            )
            if late_rows
            else html.P("No figure was loaded late.", className="app-body", id=f"{id}-late")
        )
        body = [
            _list(
                "Missing from the return",
                _names(quality.missing, names),
                "No KPI is missing.",
                f"{id}-missing",
            ),
            html.H3("Loaded late", className="app-heading-s"),
            late,
            _list(
                "Suppressed",
                [f"{names.get(s.indicator_code, s.indicator_code)}: {s.note}" for s in quality.suppressed],
                "No figure is suppressed.",
                f"{id}-suppressed",
            ),
            _list(
                "Provisional",
                _names(quality.provisional, names),
                "No figure is provisional.",
                f"{id}-provisional",
            ),
        ]
    return html.Section(
        [heading, rule, *body],
        id=id,
        className="app-monitor__quality",
        **extra({"aria-labelledby": f"{id}-heading"}),
    )
