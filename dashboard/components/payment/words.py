"""The money in words: the budget split and the forecast as the commissioners say them, and the labels of a
scheme's periods and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dash import html

from dashboard.data_access import SchemeKpi
from dashboard.formatting import percent, plain_number, possessive, quantity
from data.payment_export import Payment
from metrics.money import format_pounds

QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def period_labels(kpi: SchemeKpi) -> tuple[str, ...]:
    """The periods a KPI is judged on: ('Year',) for an annual KPI, the four quarters otherwise."""
    return ("Year",) if kpi.basis == "annual" else QUARTERS


def quarters_phrase(count: int) -> str:
    """'Q1', 'Q1 to Q2'."""
    return "Q1" if count == 1 else f"Q1 to Q{count}"


def achievement_text(fraction: Decimal) -> str:
    """An achievement (0 to 1) as a percentage to one decimal place: '34.0%'."""
    return quantity(fraction * 100, "%")


def target_text(kpi: SchemeKpi, value: float | None) -> str:
    """'92%' or '10% or lower' for a lower-is-better KPI; 'None' without a value."""
    if value is None:
        return "None"
    separator = "" if kpi.unit in ("", "%") else " "
    text = f"{plain_number(value)}{separator}{kpi.unit}"
    return f"{text} or lower" if kpi.polarity == "lower_is_better" else text


@dataclass(frozen=True)
class SoFar:
    """At risk split into earned so far, withheld in the periods reported and still to be assessed. The three
    add up to at risk exactly: earned is the worst case, still to be assessed is best less worst."""

    earned: Decimal
    withheld: Decimal
    to_assess: Decimal
    quarters: int


def so_far(priced: Payment) -> SoFar:
    """The money at risk as it stands on the figures reported so far."""
    worst, best = priced.range.worst.earned, priced.range.best.earned
    return SoFar(worst, priced.result.at_risk - best, best - worst, _quarters(priced)[1])


def _quarters(priced: Payment) -> tuple[int, int]:
    """(fewest, most) quarters reported for any quarterly KPI."""
    counts = [len(priced.so_far.get(k.code, ())) for k in priced.scheme.kpis if k.basis == "quarterly"]
    return (min(counts), max(counts)) if counts else (0, 0)


def reported_phrase(priced: Payment) -> str:
    """'Q1 to Q2', or 'Q1 to Q2, and Q3 for some KPIs' when what-if values fill a later quarter for some."""
    fewest, most = _quarters(priced)
    if most == 0:
        return ""
    if fewest == most:
        return quarters_phrase(most)
    return (
        (quarters_phrase(fewest) + ", and " if fewest else "")
        + (f"Q{most}" if most == fewest + 1 else f"Q{fewest + 1} to Q{most}")
        + " for some KPIs"
    )


def _and(items: Sequence[str]) -> str:
    """'Q3', 'Q3 and Q4', 'Q2, Q3 and Q4'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _unreported(priced: Payment) -> str:
    """What is not yet reported: 'Q3 and Q4, and the year's figure for ASQ3'."""
    parts = []
    later = list(QUARTERS[_quarters(priced)[0] :])
    if later and any(k.basis == "quarterly" for k in priced.scheme.kpis):
        parts.append(_and(later))
    annual = [k.code for k in priced.scheme.kpis if k.basis == "annual" and not priced.so_far.get(k.code)]
    if annual:
        parts.append(f"the year's figure for {_and(annual)}")
    return ", and ".join(parts)


def budget_sentences(priced: Payment, area_name: str, *, what_if: bool = False) -> list[html.P]:
    """The budget split in words, as the commissioners say it."""
    scheme, result = priced.scheme, priced.result
    split = so_far(priced)
    share = percent(scheme.share)
    first = (
        f"Of {possessive(area_name)} {format_pounds(scheme.budget)} budget for {scheme.financial_year}, "
        f"{format_pounds(result.fixed)} is paid regardless and {format_pounds(result.at_risk)} ({share}) "
        "depends on the Annual Development Plan targets."
    )
    if split.quarters == 0 and not any(priced.so_far.get(k.code) for k in scheme.kpis):
        second = (
            f"No figures have been reported yet for {scheme.financial_year}, so nothing has been earned yet."
        )
    else:
        basis = "the figures reported so far" + (" and your what-if values" if what_if else "")
        period = f" ({reported_phrase(priced)})" if split.quarters else ""
        second = (
            f"On {basis}{period}, {format_pounds(split.earned)} has been earned and "
            f"{format_pounds(split.withheld)} withheld."
        )
        later = _unreported(priced)
        if split.to_assess and later:
            second += (
                f" The other {format_pounds(split.to_assess)} depends on figures not yet reported ({later})."
            )
    return [
        html.P(first, className="app-body", id="payment-budget-sentence"),
        html.P(second, className="app-body", id="payment-so-far-sentence"),
    ]


def forecast_sentence(priced: Payment) -> str:
    """The year-end range in one sentence: expected, worst and best."""
    outlook = priced.range
    return (
        f"By the year end, about {format_pounds(outlook.expected.earned)} of the "
        f"{format_pounds(priced.result.at_risk)} at risk is expected to be earned: at worst "
        f"{format_pounds(outlook.worst.earned)}, if nothing more is achieved, and at best "
        f"{format_pounds(outlook.best.earned)}, if every period not yet reported meets its target."
    )
