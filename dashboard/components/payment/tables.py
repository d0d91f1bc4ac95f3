"""The payment page's tables: the KPIs with each period's status and money, and the scheme's versions and
audit log. Each table has a caption, column headers and right-aligned numbers, and scrolls sideways on a
small screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import pandas as pd
from dash import html
from dash.development.base_component import Component

from dashboard import formatting, routes
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.govuk import details
from dashboard.components.payment.statuses import period_status
from dashboard.components.payment.words import QUARTERS, achievement_text, so_far, target_text
from dashboard.data_access import SchemeKpi, StoredScheme
from dashboard.formatting import percent, quantity
from data.payment_export import Payment
from metrics.money import format_pounds
from metrics.payment import PeriodResult, Value


def th(text, numeric: bool = False, **attributes) -> html.Th:
    """A column header, right-aligned over numbers."""
    return html.Th(
        text,
        scope="col",
        className="app-table__header" + (" app-table__header--numeric" if numeric else ""),
        **attributes,
    )


def td(children, numeric: bool = False, **attributes) -> html.Td:
    """A cell, right-aligned for a number."""
    return html.Td(
        children, className="app-table__cell" + (" app-table__cell--numeric" if numeric else ""), **attributes
    )


def row_header(kpi: SchemeKpi) -> html.Th:
    """A KPI's row header: its code and label."""
    return html.Th(
        [html.Span(kpi.code, className="app-payment__code"), " ", kpi.label],
        scope="row",
        className="app-table__cell app-table__cell--row-header",
    )


def scrolling(table, label: str) -> html.Div:
    """A table in a region that scrolls sideways on a small screen, named for screen readers."""
    return html.Div(
        table,
        className="app-table-scroll",
        tabIndex="0",
        role="region",
        **extra({"aria-label": f"{label} (scrolls sideways on a small screen)"}),
    )


# --- The KPI table -----------------------------------------------------------------------------------------


def _period_cell(
    kpi: SchemeKpi, period: PeriodResult, *, reported: bool, palette: str, year_to_date: Value = None
) -> html.Td:
    """A period's cell: its value, its status, and a note (the part earned, or the figure so far). An annual
    KPI's one period spans the four quarters' columns."""
    key = period.status if reported else "forecast"
    annual = kpi.basis == "annual"
    lines: list[Component] = (
        [html.Span("Judged once, on the whole year:", className="app-payment__note")] if annual else []
    )
    if period.value is not None:
        lines.append(html.Span(quantity(period.value, kpi.unit), className="app-payment__value"))
    lines.append(status.status_tag(period_status(key, palette=palette)))
    note = None
    if key == "partly met":
        note = f"earns {achievement_text(period.achievement)}"
    elif key == "forecast" and year_to_date is not None:
        note = f"{quantity(year_to_date, kpi.unit)} so far" + (" this year" if annual else "")
    elif key == "forecast":
        note = "not yet reported"
    if note:
        lines.append(html.Span(note, className="app-payment__note"))
    if annual:
        return td(html.Div(lines, className="app-payment__period app-payment__period--year"), colSpan=4)
    return td(html.Div(lines, className="app-payment__period"), numeric=True)


def _kpi_row(
    priced: Payment,
    i: int,
    *,
    area_code: str,
    indicator_names: Mapping[str, str],
    palette: str,
    year_to_date: Mapping[str, Sequence[Value]],
) -> html.Tr:
    """A KPI's row: its link, weight, target, floor, each period's cell and its money so far."""
    kpi, computed = priced.scheme.kpis[i], priced.result.kpis[i]
    reported = len(priced.so_far.get(kpi.code, ()))
    name = indicator_names.get(kpi.indicator_code, kpi.indicator_code)
    cells = [
        html.Th(
            [
                html.Span(kpi.code, className="app-payment__code"),
                " ",
                html.A(
                    kpi.label,
                    href=routes.indicator_href(kpi.indicator_code, {"area": area_code}),
                    className="app-link",
                    title=f"Indicator: {name}",
                ),
            ],
            scope="row",
            className="app-table__cell app-table__cell--row-header",
        ),
        td(percent(kpi.weight), True),
        td(html.Span(target_text(kpi, kpi.target), className="app-payment__wrap"), True),
        td(html.Span(target_text(kpi, kpi.floor), className="app-payment__wrap"), True),
    ]
    if kpi.basis == "annual":
        ytd = None if reported else (year_to_date.get(kpi.code) or [None])[0]
        cells.append(
            _period_cell(kpi, computed.periods[0], reported=reported > 0, palette=palette, year_to_date=ytd)
        )
    else:
        cells += [
            _period_cell(kpi, period, reported=p < reported, palette=palette)
            for p, period in enumerate(computed.periods)
        ]
    cells += [
        td(achievement_text(computed.achievement), True),
        td(format_pounds(computed.at_stake), True),
        td(format_pounds(computed.earned), True),
    ]
    return html.Tr(cells, className="app-table__row", id=f"payment-kpi-row-{i}")


def _totals(priced: Payment) -> html.Tfoot:
    """The totals row: the weights (100%), all the money at risk and all earned so far."""
    weights = sum((k.weight for k in priced.scheme.kpis), Decimal(0))
    return html.Tfoot(
        html.Tr(
            [
                html.Th(
                    "Total",
                    scope="row",
                    className="app-table__cell app-table__cell--row-header app-payment__total",
                ),
                td(percent(weights), True, id="payment-total-weight"),
                td("", colSpan=6),
                td("", True),
                td(format_pounds(priced.result.at_risk), True, id="payment-total-at-stake"),
                td(format_pounds(priced.result.earned), True, id="payment-total-earned"),
            ],
            className="app-table__row app-payment__totals",
        )
    )


def kpi_table(
    priced: Payment,
    *,
    area_code: str,
    indicator_names: Mapping[str, str],
    palette: str = "standard",
    year_to_date: Mapping[str, Sequence[Value]] | None = None,
) -> html.Div:
    """The KPIs: weight, target, floor, each quarter's value and status, achievement so far, at stake and
    earned so far, with a totals row that reconciles to the money at risk."""
    scheme, result = priced.scheme, priced.result
    head = html.Thead(
        html.Tr(
            [
                th("KPI (links to the indicator)"),
                th("Weight", True),
                th("Target", True),
                th("Floor", True),
                *[th(q, True) for q in QUARTERS],
                th(["Share", html.Br(), "earned so far"], True),
                th("At stake", True),
                th(["Earned", html.Br(), "so far"], True),
            ],
            className="app-table__row",
        )
    )
    body = [
        _kpi_row(
            priced,
            i,
            area_code=area_code,
            indicator_names=indicator_names,
            palette=palette,
            year_to_date=year_to_date or {},
        )
        for i in range(len(scheme.kpis))
    ]
    caption = (
        f"Annual Development Plan KPIs, {scheme.financial_year}: each quarter's figure and the money earned "
        "so far" + (" (illustrative)" if scheme.illustrative else "")
    )
    table = html.Table(
        [
            html.Caption(caption, className="app-table__caption app-table__caption--m"),
            head,
            html.Tbody(body),
            _totals(priced),
        ],
        className="app-table app-payment__kpis",
        id="payment-kpi-table",
    )
    notes = [_reconciliation(priced)]
    rounded_rows = sum(int(format_pounds(k.earned)[1:].replace(",", "")) for k in result.kpis)
    if rounded_rows != int(format_pounds(result.earned)[1:].replace(",", "")):
        notes.append(
            html.P(
                "Amounts are rounded to the whole pound, so the rows may add up to a pound or two "
                "more or less than the total; the downloads have the pence, which add up exactly.",
                className="app-body-s app-secondary",
            )
        )
    return html.Div([scrolling(table, "KPI table"), *notes])


def _reconciliation(priced: Payment) -> html.P:
    """How earned, withheld and not yet assessed add up to the money at risk, to the penny."""
    split = so_far(priced)
    at_risk = priced.result.at_risk
    return html.P(
        [
            html.Strong("How the money adds up: "),
            (
                f"{format_pounds(split.earned)} earned + {format_pounds(split.withheld)} withheld + "
                f"{format_pounds(split.to_assess)} not yet assessed = {format_pounds(at_risk)} at risk "
                f"(to the penny: £{split.earned:,.2f} + £{split.withheld:,.2f} + £{split.to_assess:,.2f} = "
                f"£{at_risk:,.2f})."
            ),
        ],
        className="app-body",
        id="payment-reconciliation",
    )


_HOW_CALCULATED = (
    "At risk is the budget × the share paid on performance, to the penny; the rest is paid regardless.",
    "Each KPI carries a weight: its share of the money at risk. A quarterly KPI is judged each quarter, "
    "each quarter carrying a quarter of its weight; an annual KPI is judged once, on the year's figure.",
    "A period that meets its target earns its full share. With a floor, a value between the floor and the "
    "target earns part of it, in a straight line (halfway between earns half); a value at or beyond the "
    "floor earns nothing. Without a floor, a missed target earns nothing. A period with no figure earns "
    "nothing.",
    "Earned = at risk × weight × achievement, rounded half-up to the penny; withheld = at risk − earned, so "
    "the figures always add up to the budget exactly. The page shows whole pounds; the downloads have the "
    "pence and the formulas.",
)


def how_calculated() -> html.Details:
    """How the money is worked out, in words, under the KPI table."""
    return details(
        "How is this calculated?",
        [html.P(paragraph, className="app-body") for paragraph in _HOW_CALCULATED],
        id="payment-how-calculated",
    )


# --- The scheme's versions and audit log -------------------------------------------------------------------


def _simple_table(
    caption: str, header: Sequence[str], rows: Sequence[Sequence], *, id: str, numeric: Sequence[int] = ()
) -> html.Table:
    """A table with a caption, headers, and each row's first cell as its header."""
    return html.Table(
        [
            html.Caption(caption, className="app-table__caption app-table__caption--s"),
            html.Thead(html.Tr([th(h, i in numeric) for i, h in enumerate(header)])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(
                                row[0], scope="row", className="app-table__cell app-table__cell--row-header"
                            ),
                            *[td(cell, i + 1 in numeric) for i, cell in enumerate(row[1:])],
                        ],
                        className="app-table__row",
                    )
                    for row in rows
                ]
            ),
        ],
        className="app-table",
        id=id,
    )


def versions_table(
    versions: Sequence[StoredScheme], shown: int | None, href_for: Callable[[int], str]
) -> html.Table:
    """Every version of the year's scheme, with a link to view each but the one shown."""
    rows = []
    for version in versions:
        view = (
            html.Strong("Shown on this page")
            if version.version == shown
            else html.A([f"View version {version.version}"], href=href_for(version.version))
        )
        rows.append(
            (
                f"Version {version.version}",
                version.status.capitalize(),
                format_pounds(version.budget),
                percent(version.share),
                f"{len(version.kpis)}",
                version.created_by,
                formatting.date_time(version.created_at),
                view,
            )
        )
    return _simple_table(
        "Versions of this scheme (why each was made is in the audit log)",
        ("Version", "Status", "Budget", "Share at risk", "KPIs", "Created by", "Created", ""),
        rows,
        id="payment-versions",
        numeric=(2, 3, 4),
    )


def audit_table(audit: pd.DataFrame) -> html.Table | html.P:
    """The scheme's audit log, newest first: when, who, what changed and why."""
    if audit.empty:
        return html.P("No changes have been recorded.", className="app-body")
    rows = [
        (formatting.date_time(pd.Timestamp(changed_at).to_pydatetime()), who, change, reason)
        for changed_at, who, change, reason in zip(
            audit["changed_at"], audit["who"], audit["change"], audit["reason"], strict=True
        )
    ]
    return _simple_table(
        "Audit log: every change, newest first",
        ("When", "Who", "What changed", "Why"),
        rows,
        id="payment-audit",
    )
