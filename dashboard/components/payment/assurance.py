"""Each KPI's SPC assurance against its own target, and the year-end forecast that rests on it.

The expected case of the forecast follows NHS England's "Making Data Count" assurance: a KPI consistently
passing its target is assumed to meet it, one consistently failing is assumed not to, and a hit-and-miss KPI
goes as the year has so far. After a recorded process change the KPI is judged on the current phase alone
(:func:`metrics.spc.xmr_phased`), as the scorecard and the indicator page judge it. Assurance needs at least
:data:`metrics.spc.MIN_POINTS` quarters (:func:`metrics.spc.is_judged`) and a direction of improvement
(:func:`metrics.spc.improvement_for`); without either the KPI has none, the forecast table says why, and the
expected case goes as the year has so far.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from dash import html

from dashboard.components import status
from dashboard.components.govuk import details
from dashboard.components.payment.tables import row_header, scrolling, td, th
from dashboard.components.payment.words import achievement_text, period_labels
from dashboard.data_access import StoredScheme
from data.payment_export import Payment
from metrics import spc
from metrics.money import format_pounds
from metrics.payment import Assurance


@dataclass(frozen=True)
class Assured:
    """A KPI's SPC view: assurance (None with too few figures, or no direction of improvement), variation
    (None with too few figures), how many quarters it used and the latest of them, and the first of them when
    a recorded process change started the current phase (``phase_from``)."""

    assurance: Assurance | None
    variation: str | None
    points: int
    latest: str | None
    phase_from: str | None = None

    @property
    def judged(self) -> bool:
        """Whether there are enough quarters for an SPC judgement."""
        return spc.is_judged(self.points)


def _assurance(word: str | None) -> Assurance | None:
    """The SPC chart's assurance as the payment forecast takes it: one of its three words, or None."""
    match word:
        case "consistent_pass" | "consistent_fail" | "inconsistent":
            return word
    return None


def _phase_start(mine: pd.DataFrame, changes: pd.DataFrame, indicator_code: str) -> int:
    """The index into the KPI's figures where the current phase starts (0 when no change splits them)."""
    if changes.empty:
        return 0
    dates = changes.loc[changes["indicator_code"] == indicator_code, "change_date"]
    breaks = spc.phase_starts(list(mine["period_start"]), list(dates))
    return breaks[-1] if breaks else 0


def assurance_for(
    scheme: StoredScheme, series: pd.DataFrame, changes: pd.DataFrame | None = None
) -> dict[str, Assured]:
    """Each KPI's SPC assurance against its own target, from its indicator's quarterly figures.

    ``series`` holds the area's quarterly headline figures (indicator_code, period_label, period_start,
    period_end, value) up to the end of the scheme's year; ``changes`` the process changes in force for the
    area (indicator_code, change_date). After a change, the current phase of :func:`metrics.spc.xmr_phased`
    is judged, and only its figures count. Fewer than :data:`metrics.spc.MIN_POINTS` figures give no
    judgement.
    """
    changes = pd.DataFrame(columns=["indicator_code", "change_date"]) if changes is None else changes
    result: dict[str, Assured] = {}
    for kpi in scheme.kpis:
        mine = series[(series["indicator_code"] == kpi.indicator_code) & series["value"].notna()]
        mine = mine.sort_values("period_end")
        start = _phase_start(mine, changes, kpi.indicator_code)
        phase_from = str(mine["period_label"].iloc[start]) if start else None
        points = len(mine) - start
        if not spc.is_judged(points):
            result[kpi.code] = Assured(None, None, points, None, phase_from)
            continue
        chart = spc.xmr_phased(
            mine["value"].astype(float).to_numpy(),
            [start] if start else [],
            improvement=spc.improvement_for(kpi.polarity),
            target=kpi.target,
        )[-1]
        latest = str(mine["period_label"].iloc[-1])
        result[kpi.code] = Assured(_assurance(chart.assurance), chart.variation, points, latest, phase_from)
    return result


def no_assurance_text(view: Assured) -> str:
    """Why a KPI has no assurance: too few quarters for a judgement, or no better direction to judge by."""
    if not view.judged:
        since = f" since the process change from {view.phase_from}" if view.phase_from else ""
        return f"No assurance: too few figures ({view.points} of at least {spc.MIN_POINTS} quarters{since})"
    return "No assurance: neither higher nor lower is better"


_ASSUMPTION = {
    "consistent_pass": "Met (achieves 100.0%)",
    "consistent_fail": "Not met (achieves 0.0%)",
}


def _assumption(priced: Payment, i: int, view: Assured) -> str:
    """What the expected case assumes of a KPI's periods not yet reported."""
    kpi = priced.scheme.kpis[i]
    remaining = len(period_labels(kpi)) - len(priced.so_far.get(kpi.code, ()))
    if remaining == 0:
        return "Nothing left to forecast"
    if view.assurance in _ASSUMPTION:
        return _ASSUMPTION[view.assurance]
    expected_periods = [p for p in priced.range.expected.kpis[i].periods if p.status == "forecast"]
    share = achievement_text(expected_periods[0].achievement) if expected_periods else "0%"
    return f"As so far (achieves {share})"


def _forecast_row(priced: Payment, i: int, view: Assured) -> html.Tr:
    """A KPI's row of the forecast table: its assurance, the assumption, and its three year ends."""
    outlook = priced.range
    tag = (
        status.status_tag(status.assurance(view.assurance))
        if view.assurance
        else html.Span(no_assurance_text(view))
    )
    note = []
    if view.variation:
        note = [
            html.Span(
                f"{status.variation(view.variation).words}; {view.points} quarters to {view.latest}"
                + (f", since the process change from {view.phase_from}" if view.phase_from else ""),
                className="app-payment__note",
            )
        ]
    return html.Tr(
        [
            row_header(priced.scheme.kpis[i]),
            td(html.Div([tag, *note], className="app-payment__period app-payment__period--left")),
            td(_assumption(priced, i, view)),
            td(format_pounds(outlook.worst.kpis[i].earned), True),
            td(format_pounds(outlook.expected.kpis[i].earned), True),
            td(format_pounds(outlook.best.kpis[i].earned), True),
        ],
        className="app-table__row",
    )


def forecast_table(priced: Payment, assured: Mapping[str, Assured]) -> html.Div:
    """Each KPI's SPC assurance, what the expected case assumes of it, and its worst, expected and best year
    end, with the totals."""
    scheme, outlook = priced.scheme, priced.range
    head = html.Thead(
        html.Tr(
            [
                th("KPI"),
                th("SPC assurance (latest quarter)"),
                th("Periods not yet reported are assumed to be"),
                th("Worst", True),
                th("Expected", True),
                th("Best", True),
            ]
        )
    )
    body = [
        _forecast_row(priced, i, assured.get(kpi.code, Assured(None, None, 0, None)))
        for i, kpi in enumerate(scheme.kpis)
    ]
    foot = html.Tfoot(
        html.Tr(
            [
                html.Th(
                    "Total",
                    scope="row",
                    className="app-table__cell app-table__cell--row-header app-payment__total",
                ),
                td(""),
                td(""),
                td(format_pounds(outlook.worst.earned), True, id="payment-forecast-worst"),
                td(format_pounds(outlook.expected.earned), True, id="payment-forecast-expected"),
                td(format_pounds(outlook.best.earned), True, id="payment-forecast-best"),
            ],
            className="app-table__row app-payment__totals",
        )
    )
    caption = f"Year-end forecast by KPI, {scheme.financial_year}" + (
        " (illustrative)" if scheme.illustrative else ""
    )
    table = html.Table(
        [
            html.Caption(caption, className="app-table__caption app-table__caption--m"),
            head,
            html.Tbody(body),
            foot,
        ],
        className="app-table app-payment__forecast",
        id="payment-forecast-table",
    )
    return scrolling(table, "Forecast table")


_EXPECTED_CASE = (
    "expected case: what the KPI's statistical process control (SPC) chart says about its target, using "
    "every quarter reported up to the latest one (NHS England \u201cMaking Data Count\u201d assurance, "
    "against the KPI's own target in this scheme):"
)
_HIT_AND_MISS = (
    f"\u201cHit and miss\u201d, or too few quarters to tell (fewer than {spc.MIN_POINTS}): it will go as the "
    "year has so far (the KPI's mean achievement over the periods reported)."
)
_ONLY_A_GUIDE = (
    "Assurance compares the target with the range the figures normally vary within. It does not know about "
    "changes the provider is making, so a KPI that has recently improved (\u201cspecial cause \u2014 "
    "improving\u201d) may do better than the expected case. The forecast is a guide for the contract "
    "meeting, not a payment."
)


def how_forecast() -> html.Details:
    """How the forecast is made, in words, under the forecast table."""
    assurances = html.Ul(
        [
            html.Li("\u201cConsistently passing the target\u201d: it will be met;"),
            html.Li("\u201cConsistently failing the target\u201d: it will not be met;"),
            html.Li(_HIT_AND_MISS),
        ],
        className="app-list",
    )
    return details(
        "How is this forecast made?",
        [
            html.P(
                "Periods already reported count as they are. For each period not yet reported the forecast "
                "assumes:",
                className="app-body",
            ),
            html.Ul(
                [
                    html.Li("worst case: it earns nothing;"),
                    html.Li("best case: it meets its target;"),
                    html.Li([_EXPECTED_CASE, assurances]),
                ],
                className="app-list",
            ),
            html.P(_ONLY_A_GUIDE, className="app-body"),
        ],
        id="payment-how-forecast",
    )
