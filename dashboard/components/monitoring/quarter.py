"""The quarter view's sections: every provider KPI, workforce, finance, the actions due and the payment
position in one line. Each reads only the typed scorecard records and :mod:`dashboard.data_access`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from dash import html

from dashboard import data_access, formatting, payment_callbacks
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.govuk import summary_list, table
from dashboard.components.monitoring import records
from dashboard.components.payment.whatif import apply_what_if, default_inputs, price
from dashboard.components.payment.words import forecast_sentence, reported_phrase, so_far
from dashboard.components.summary import target_reason
from dashboard.formatting import format_value
from data.payment_export import Payment
from data.scorecard_row import ScorecardRow
from metrics.money import format_pounds

WORKFORCE_PREFIX = "wf-"
FINANCE_SPEND, FINANCE_BUDGET = "finance-spend-to-date", "finance-budget-to-date"
NOT_MONEY_OR_STAFF = (WORKFORCE_PREFIX, "finance-")


def _section(title: str, children: list, id: str) -> html.Section:
    return html.Section(
        [html.H2(title, className="app-heading-l", id=f"{id}-heading"), *children],
        id=id,
        className="app-monitor__section",
        **extra({"aria-labelledby": f"{id}-heading"}),
    )


def figure_for(row: ScorecardRow, quarter: str) -> str:
    """The row's figure for ``quarter``, or why there is none."""
    if row.value is None or row.period_label != quarter:
        return f"No figure for {quarter}"
    text = format_value(row.value, row.unit, row.value_type)
    return text + (" (provisional)" if row.provisional else "")


def _status_cell(row: ScorecardRow, quarter: str, palette: str) -> list:
    if row.period_label != quarter:
        return [status.status_tag(status.target("not assessed", palette=palette))]
    return [
        status.status_tag(status.target(row.target_status, palette=palette)),
        html.Span(target_reason(row), className="app-scorecard__why"),
    ]


def _spc_cell(row: ScorecardRow) -> list:
    if not row.spc_judged or row.spc_variation is None:
        return [html.Span(status.too_few_for_spc(row.spc_points), className="app-scorecard__why")]
    tags = [status.status_tag(status.variation(row.spc_variation))]
    if row.spc_assurance:
        tags.append(status.status_tag(status.assurance(row.spc_assurance)))
    return tags


def kpi_table(rows: Sequence[ScorecardRow], quarter: str, palette: str) -> html.Section:
    """Every provider KPI (not workforce or finance) with its figure, target, status and SPC."""
    body = [
        [
            row.short_name + (" (illustrative)" if row.illustrative else ""),
            figure_for(row, quarter),
            "No target"
            if row.target is None
            else format_value(row.target, row.unit, row.value_type, trim=True),
            _status_cell(row, quarter, palette),
            _spc_cell(row),
        ]
        for row in rows
        if not row.indicator_code.startswith(NOT_MONEY_OR_STAFF)
    ]
    return _section(
        "Provider KPIs",
        [
            table(
                f"Every provider KPI for {quarter}",
                ["KPI", "Figure", "Target", "Against target", "Process chart (SPC)"],
                body,
                numeric=["Figure", "Target"],
                id="quarter-kpis-table",
            )
        ],
        "quarter-kpis",
    )


def workforce_section(rows: Sequence[ScorecardRow], quarter: str) -> html.Section:
    """Staff in post and vacancies from the provider's return."""
    staff = [row for row in rows if row.indicator_code.startswith(WORKFORCE_PREFIX)]
    if not staff:
        body: list = [html.P("The return has no workforce figures.", className="app-body")]
    else:
        body = [
            summary_list(
                [(row.short_name, figure_for(row, quarter)) for row in staff], id="quarter-workforce-list"
            )
        ]
    return _section("Workforce", body, "quarter-workforce")


def finance_sentence(spend: float | None, budget: float | None, quarter: str) -> str:
    """Spend against budget to date in words."""
    if spend is None or budget is None:
        return f"The return has no finance line for {quarter}."
    spent, planned = Decimal(str(spend)), Decimal(str(budget))
    sentence = f"Spend to date {format_pounds(spent)} against a budget to date of {format_pounds(planned)}"
    if planned:
        gap = spent - planned
        words = "over" if gap > 0 else "under"
        sentence += f": {format_pounds(abs(gap))} {words} budget" if gap else ": exactly on budget"
    return sentence + f" ({quarter})."


def finance_section(rows: Sequence[ScorecardRow], quarter: str) -> html.Section:
    """Spend against budget, from the finance line of the provider's return."""
    by_code = {row.indicator_code: row for row in rows if row.period_label == quarter}
    spend, budget = by_code.get(FINANCE_SPEND), by_code.get(FINANCE_BUDGET)
    illustrative = any(row.illustrative for row in (spend, budget) if row is not None)
    text = finance_sentence(spend.value if spend else None, budget.value if budget else None, quarter)
    body = [
        html.P(
            text + (" Illustrative figures." if illustrative else ""),
            className="app-body",
            id="quarter-finance-sentence",
        )
    ]
    return _section("Finance", body, "quarter-finance")


def actions_due_section(actions: Sequence[data_access.Action], names: dict[str, str]) -> html.Section:
    """Every action for the area not yet done (open or overdue), by due date."""
    open_actions = [a for a in actions if a.status != "done"]
    if not open_actions:
        return _section("Actions due", [html.P(records.NO_ACTION, className="app-body")], "quarter-actions")
    body = [
        [
            names.get(a.indicator_code, a.indicator_code),
            a.what,
            a.owner,
            formatting.date(a.due_date),
            records.action_status_tag(a.status),
        ]
        for a in open_actions
    ]
    return _section(
        "Actions due",
        [
            table(
                "Remedial actions not yet done",
                ["KPI", "Action", "Owner", "Due", "Status"],
                body,
                id="quarter-actions-table",
            )
        ],
        "quarter-actions",
    )


def priced_year(contract: str, year: str) -> tuple[int, str, Payment] | None:
    """(version, "agreed" or "draft", the payment) for the scheme in force for the year (agreed, else the
    latest draft), priced on the figures reported so far, as the payment page prices it; None with no
    scheme. The quarter view and the summary page state the payment position from it."""
    versions = data_access.payment_scheme_versions(contract)
    in_year = versions[versions["financial_year"] == year] if not versions.empty else versions
    if in_year.empty:
        return None
    agreed = in_year[in_year["status"] == data_access.AGREED]
    version = int((agreed if not agreed.empty else in_year)["version"].max())
    loaded = payment_callbacks.load(contract, year, version)
    if loaded is None:
        return None
    defaults = default_inputs(loaded.scheme, loaded.so_far)
    priced = price(apply_what_if(loaded.scheme, loaded.so_far, defaults), loaded.assured)
    return version, "agreed" if loaded.scheme.status == data_access.AGREED else "draft", priced


def payment_position(year: str, version: int, status_word: str, priced: Payment) -> str:
    """ "Payment 2025/26 (agreed version 1): of £273,783 at risk, £100,000 earned and £20,000 withheld on
    the figures reported so far (Q1 to Q2)." """
    split = so_far(priced)
    reported = reported_phrase(priced)
    return (
        f"Payment {year} ({status_word} version {version}): "
        f"of {format_pounds(priced.result.at_risk)} at risk, "
        f"{format_pounds(split.earned)} earned and {format_pounds(split.withheld)} withheld"
        + (f" on the figures reported so far ({reported})." if reported else " so far.")
    )


def payment_line(contract: str, year: str) -> html.P:
    """The payment position in one line, with the year-end forecast (:func:`priced_year`)."""
    found = priced_year(contract, year)
    if found is None:
        return html.P(
            f"No payment scheme has been entered for {year} yet.",
            className="app-body",
            id="quarter-payment-line",
        )
    version, status_word, priced = found
    text = payment_position(year, version, status_word, priced) + " " + forecast_sentence(priced)
    return html.P(text, className="app-body", id="quarter-payment-line")
