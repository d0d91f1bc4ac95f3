"""What the downloads price: the scheme, the figures reported so far and the SPC assumptions, worked out
once by :mod:`metrics.payment` so the page, the workbook and the CSV can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from data.contracts import StoredScheme
from metrics.payment import Assurance, Forecast, Result, Value, calculate, forecast

WHAT_IF_LABEL = "what-if"
NOT_YET_REPORTED = "not yet reported"


@dataclass(frozen=True)
class Payment:
    """Everything the exports show: the scheme, the figures reported so far (one list per KPI, periods not yet
    reported left off, None for a reported gap), the expected-case assumptions, and the results."""

    scheme: StoredScheme
    so_far: Mapping[str, Sequence[Value]]
    assumptions: Mapping[str, Assurance | None]
    result: Result
    range: Forecast

    @classmethod
    def of(
        cls,
        scheme: StoredScheme,
        so_far: Mapping[str, Sequence[Value]],
        assumptions: Mapping[str, Assurance | None],
    ) -> Payment:
        """Price ``scheme`` on the figures so far: the calculation and the forecast."""
        money = scheme.to_metrics_scheme()
        return cls(
            scheme, so_far, assumptions, calculate(money, so_far), forecast(money, so_far, assumptions)
        )


def file_name(scheme: StoredScheme, extension: str, *, what_if: bool = False) -> str:
    """'payment-ccc-hcp-s75-2025-26-v1.xlsx', with '-what-if' before the extension for what-if figures."""
    year = scheme.financial_year.replace("/", "-")
    suffix = f"-{WHAT_IF_LABEL}" if what_if else ""
    return f"payment-{scheme.contract_code}-{year}-v{scheme.version}{suffix}.{extension}"


def period_status(payment: Payment, kpi_index: int, period: int) -> str:
    """A period's status as the files write it: 'met', 'partly met', 'not met', 'no data', or 'not yet
    reported' for a period the figures do not reach yet."""
    kpi = payment.scheme.kpis[kpi_index]
    if period >= len(payment.so_far.get(kpi.code, ())):
        return NOT_YET_REPORTED
    return payment.result.kpis[kpi_index].periods[period].status


def what_if_text(what_if: Sequence[str]) -> str:
    """The line that says whether the figures include what-if changes made on screen, and which."""
    if not what_if:
        return "Figures as stored and reported. Nothing on this sheet is a what-if."
    return (
        f"WHAT-IF: these figures include changes made on screen, and nothing was saved: {'; '.join(what_if)}."
    )
