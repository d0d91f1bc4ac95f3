"""The pack's payment position: the area's agreement priced exactly as the payment page prices it.

The scheme shown is the one the payment page opens by default for the financial year of the pack's date
(the agreed version in force, else the latest draft), read by :func:`dashboard.payment_callbacks.load` and
priced by the page's :func:`~dashboard.components.payment.whatif.price` with no what-if values. The words are
the page's own (:mod:`dashboard.components.payment.words`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard import data_access
from dashboard.components import status
from dashboard.components.payment.statuses import period_status
from dashboard.components.payment.tables import how_calculated
from dashboard.components.payment.whatif import apply_what_if, default_inputs, price
from dashboard.components.payment.words import (
    achievement_text,
    budget_sentences,
    forecast_sentence,
    so_far,
    target_text,
)
from dashboard.formatting import percent, quantity
from metrics.money import format_pounds


@dataclass(frozen=True)
class KpiLine:
    """One KPI of the scheme: its periods in words and its money so far."""

    code: str
    label: str
    weight: str
    target: str
    periods: tuple[tuple[str, status.Status, str], ...]
    """(period, status, the figure or note)."""
    achievement: str
    at_stake: str
    earned: str


@dataclass(frozen=True)
class PaymentPosition:
    """The payment position in one line and with its workings."""

    title: str
    one_line: str
    sentences: tuple[str, ...]
    forecast: str
    kpis: tuple[KpiLine, ...]
    total_at_risk: str
    total_earned: str
    reconciliation: str
    how: tuple[str, ...]
    illustrative: bool


def _text(component) -> str:
    """The words of a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def financial_year(day: dt.date) -> str:
    """ "2025/26" for a day from 1 April 2025 to 31 March 2026."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _scheme_choice(area_code: str, as_at: dt.date | None) -> tuple[str, str, int] | None:
    """(agreement, year, version) for the area: the year of ``as_at`` if it has a scheme, else the latest
    year with one before it; the agreed version in force, else the latest draft."""
    agreements = data_access.payment_contracts()
    mine = agreements[agreements["area_code"] == area_code]
    if mine.empty:
        return None
    contract = str(mine["code"].iloc[0])
    versions = data_access.payment_scheme_versions(contract)
    if versions.empty:
        return None
    years = sorted(set(versions["financial_year"]))
    wanted = financial_year(as_at) if as_at else years[-1]
    candidates = [y for y in years if y <= wanted]
    if not candidates:
        return None
    year = candidates[-1]
    in_year = versions[versions["financial_year"] == year]
    agreed = in_year[in_year["status"] == data_access.AGREED]
    return contract, year, int((agreed if not agreed.empty else in_year)["version"].max())


def _kpi_line(priced, i: int) -> KpiLine:
    kpi, computed = priced.scheme.kpis[i], priced.result.kpis[i]
    reported = len(priced.so_far.get(kpi.code, ()))
    labels = ("Year",) if kpi.basis == "annual" else ("Q1", "Q2", "Q3", "Q4")
    periods = []
    for p, (label, period) in enumerate(zip(labels, computed.periods, strict=False)):
        key = period.status if p < reported else "forecast"
        figure = quantity(period.value, kpi.unit) if period.value is not None else ""
        if key == "partly met":
            figure += f" (earns {achievement_text(period.achievement)})"
        elif key == "forecast":
            figure = ""  # the "Forecast" status says it is not yet reported
        periods.append((label, period_status(key), figure))
    return KpiLine(
        code=kpi.code,
        label=kpi.label,
        weight=percent(kpi.weight),
        target=target_text(kpi, kpi.target),
        periods=tuple(periods),
        achievement=achievement_text(computed.achievement),
        at_stake=format_pounds(computed.at_stake),
        earned=format_pounds(computed.earned),
    )


def payment_position(area_code: str, as_at: dt.date | None) -> PaymentPosition | None:
    """The area's payment position as the payment page shows it, or None when it has no scheme."""
    from dashboard import payment_callbacks

    chosen = _scheme_choice(area_code, as_at)
    if chosen is None:
        return None
    contract, year, version = chosen
    loaded = payment_callbacks.load(contract, year, version)
    if loaded is None:
        return None
    priced = price(
        apply_what_if(loaded.scheme, loaded.so_far, default_inputs(loaded.scheme, loaded.so_far)),
        loaded.assured,
    )
    split = so_far(priced)
    at_risk = priced.result.at_risk
    commissioner = str(data_access.payment_contracts().set_index("code").loc[contract, "commissioner"])
    state = "agreed" if loaded.scheme.status == data_access.AGREED else "draft"
    one_line = (
        f"Payment {year}: {format_pounds(split.earned)} of the {format_pounds(at_risk)} at risk earned "
        "so far, "
        f"{format_pounds(split.withheld)} withheld, {format_pounds(split.to_assess)} still to be assessed."
    )
    return PaymentPosition(
        title=f"{commissioner}, {year}, scheme version {loaded.scheme.version} ({state})",
        one_line=one_line,
        sentences=tuple(_text(p) for p in budget_sentences(priced, loaded.area_name)),
        forecast=forecast_sentence(priced),
        kpis=tuple(_kpi_line(priced, i) for i in range(len(priced.scheme.kpis))),
        total_at_risk=format_pounds(at_risk),
        total_earned=format_pounds(priced.result.earned),
        reconciliation=(
            f"{format_pounds(split.earned)} earned + {format_pounds(split.withheld)} withheld + "
            f"{format_pounds(split.to_assess)} not yet assessed = {format_pounds(at_risk)} at risk (to the "
            f"penny: £{split.earned:,.2f} + £{split.withheld:,.2f} + £{split.to_assess:,.2f} = "
            f"£{at_risk:,.2f})."
        ),
        how=_how(),
        illustrative=bool(loaded.scheme.illustrative),
    )


def _how() -> tuple[str, ...]:
    """The payment page's "How is this calculated?" paragraphs."""
    found: list[str] = []

    def walk(node) -> None:
        if node is None or isinstance(node, str):
            return
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        if type(node).__name__ == "P":
            found.append(_text(node))
            return
        walk(getattr(node, "children", None))

    walk(how_calculated())
    return tuple(found)
