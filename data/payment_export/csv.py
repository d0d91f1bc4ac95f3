"""The payment as CSV: one row per KPI with its inputs, statuses and money in pounds and pence, then a
totals row, under the same description as the workbook's About sheet, for anyone who would rather check the
figures in their own tools than in the workbook. Written by :func:`data.exports.records_csv`, so a label or
reason typed as a formula is written as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from data.exports import records_csv
from data.payment_export.priced import Payment, period_status, what_if_text
from data.payment_export.xlsx import about

CSV_COLUMNS = (
    "contract",
    "financial_year",
    "scheme_version",
    "scheme_status",
    "what_if",
    "illustrative",
    "budget",
    "share",
    "at_risk",
    "fixed",
    "kpi_code",
    "kpi",
    "indicator",
    "polarity",
    "basis",
    "weight",
    "target",
    "floor",
    "q1_or_year_value",
    "q2_value",
    "q3_value",
    "q4_value",
    "q1_or_year_status",
    "q2_status",
    "q3_status",
    "q4_status",
    "achievement",
    "at_stake",
    "earned",
    "withheld",
    "spc_assurance",
    "forecast_worst",
    "forecast_expected",
    "forecast_best",
)


def _plain(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return f"{value:f}"


def _pence(amount: Decimal) -> str:
    return f"{amount:.2f}"


def csv_text(
    payment: Payment,
    *,
    what_if: Sequence[str] = (),
    commissioner: str = "",
    generated_at: dt.datetime | None = None,
) -> str:
    """Under the workbook's description (title, area, period, unit, source, licence, date made): one row per
    KPI with its inputs, statuses and money in pounds and pence, then a row 'TOTAL'. A what-if file has
    what_if 'yes' on every row and the changes in the TOTAL row's kpi column."""
    scheme, result, outlook = payment.scheme, payment.result, payment.range
    common = {
        "contract": scheme.contract_code,
        "financial_year": scheme.financial_year,
        "scheme_version": scheme.version,
        "scheme_status": scheme.status,
        "what_if": "yes" if what_if else "no",
        "illustrative": "yes" if scheme.illustrative else "no",
        "budget": _pence(scheme.budget),
        "share": _plain(scheme.share),
        "at_risk": _pence(result.at_risk),
        "fixed": _pence(result.fixed),
    }
    rows: list[dict[str, object]] = []
    for index, kpi in enumerate(scheme.kpis):
        computed = result.kpis[index]
        values = list(payment.so_far.get(kpi.code, ()))
        row = {
            **common,
            "kpi_code": kpi.code,
            "kpi": kpi.label,
            "indicator": kpi.indicator_code,
            "polarity": kpi.polarity,
            "basis": kpi.basis,
            "weight": _plain(kpi.weight),
            "target": _plain(kpi.target),
            "floor": _plain(kpi.floor),
            "achievement": _plain(computed.achievement),
            "at_stake": _pence(computed.at_stake),
            "earned": _pence(computed.earned),
            "withheld": _pence(computed.withheld),
            "spc_assurance": payment.assumptions.get(kpi.code) or "",
            "forecast_worst": _pence(outlook.worst.kpis[index].earned),
            "forecast_expected": _pence(outlook.expected.kpis[index].earned),
            "forecast_best": _pence(outlook.best.kpis[index].earned),
        }
        for p, name in enumerate(("q1_or_year", "q2", "q3", "q4")):
            if p < len(computed.periods):
                row[f"{name}_value"] = _plain(values[p]) if p < len(values) else ""
                row[f"{name}_status"] = period_status(payment, index, p)
        rows.append(row)
    rows.append(
        {
            **common,
            "kpi_code": "TOTAL",
            "kpi": what_if_text(what_if) if what_if else "",
            "weight": _plain(sum((k.weight for k in scheme.kpis), Decimal(0))),
            "at_stake": _pence(result.at_risk),
            "earned": _pence(result.earned),
            "withheld": _pence(result.withheld),
            "forecast_worst": _pence(outlook.worst.earned),
            "forecast_expected": _pence(outlook.expected.earned),
            "forecast_best": _pence(outlook.best.earned),
        }
    )
    block = about(payment, commissioner or scheme.contract_code, what_if, generated_at or dt.datetime.now())
    return records_csv(CSV_COLUMNS, rows, dict(block))
