"""The what-if model: the what-if inputs turned into a scheme and reported figures to price, nothing saved.

:func:`default_inputs` gives the inputs as the page first shows them; :func:`apply_what_if` applies what the
reader entered (and lists what changed, and any problems); :func:`price` prices the result with
:class:`data.payment_export.Payment`, so the page and the downloads can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypedDict

from dashboard.components.payment.assurance import Assured
from dashboard.components.payment.words import period_labels
from dashboard.data_access import SchemeKpi, StoredScheme
from dashboard.formatting import number, one_place, percent, quantity
from data.payment_export import Payment
from metrics.payment import Value


def _display(value: Value) -> float | None:
    """A reported value as the what-if input shows it (one decimal place)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(one_place(value))


class WhatIfInputs(TypedDict):
    """The what-if inputs as the page first shows them, indexed by KPI position: each KPI's value for each of
    its periods (None where nothing is reported) and its weight as a percentage. JSON-ready, so the page
    keeps them in a dcc.Store."""

    values: list[list[float | None]]
    weights: list[float]


def default_inputs(scheme: StoredScheme, so_far: Mapping[str, Sequence[Value]]) -> WhatIfInputs:
    """The what-if inputs as the page first shows them: each KPI's reported values (one decimal place, blank
    where nothing is reported) and its weight as a percentage. JSON-ready, indexed by KPI position."""
    values = []
    for kpi in scheme.kpis:
        reported = list(so_far.get(kpi.code, ()))
        values.append(
            [_display(reported[p]) if p < len(reported) else None for p in range(len(period_labels(kpi)))]
        )
    return {"values": values, "weights": [float(kpi.weight * 100) for kpi in scheme.kpis]}


@dataclass(frozen=True)
class WhatIf:
    """The scheme and figures to price, what was changed (in words) and any problems (anchor id, message)."""

    scheme: StoredScheme
    so_far: dict[str, list[Value]]
    changes: tuple[str, ...]
    errors: tuple[tuple[str, str], ...]

    @property
    def active(self) -> bool:
        """Whether anything differs from the figures as reported."""
        return bool(self.changes)


def whatif_field_id(kind: str, kpi_index: int, period: int | None = None) -> str:
    """The id of the wrapper around a what-if input, which the error summary links to."""
    return f"payment-whatif-{kind}-field-{kpi_index}" + ("" if period is None else f"-{period}")


def _same(entered: float | None, shown: float | None) -> bool:
    if entered is None or shown is None:
        return entered is None and shown is None
    return abs(entered - shown) < 1e-9


def _value_problem(kpi: SchemeKpi, label: str, entered: float | None) -> str | None:
    """What is wrong with a value entered for a period, or None."""
    if entered is not None and entered < 0:
        return f"{kpi.code} {label}: the value must be 0 or more"
    if entered is not None and kpi.unit == "%" and entered > 100:
        return f"{kpi.code} {label}: a percentage must be 100% or less"
    return None


def _apply_values(
    i: int,
    kpi: SchemeKpi,
    reported: list[Value],
    entries: Sequence,
    shown: Sequence[float | None],
    changes: list[str],
    errors: list[tuple[str, str]],
) -> list[Value]:
    """One KPI's figures to price, from the values entered for its periods (``entries``) against those first
    shown; what changed and any problems are added to ``changes`` and ``errors``."""
    merged: list[Value] = []
    last_entered = 0
    for p, label in enumerate(period_labels(kpi)):
        raw = entries[p] if p < len(entries) else None
        entered = number(raw)
        field = whatif_field_id("value", i, p)
        if raw not in (None, "") and entered is None:
            errors.append((field, f"{kpi.code} {label}: enter a number"))
        if (raw not in (None, "") and entered is None) or _same(entered, shown[p]):
            merged.append(reported[p] if p < len(reported) else None)
            continue
        problem = _value_problem(kpi, label, entered)
        if problem:
            errors.append((field, problem))
        merged.append(entered)
        if entered is not None:
            last_entered = p + 1
        first_shown = shown[p]
        was = (
            "not yet reported"
            if p >= len(reported)
            else ("no data" if first_shown is None else quantity(first_shown, kpi.unit))
        )
        now = "no data" if entered is None else quantity(entered, kpi.unit)
        changes.append(f"{kpi.code} {label} {was} → {now}")
    return merged[: max(len(reported), last_entered)]


def _apply_weights(
    scheme: StoredScheme,
    weights: Sequence,
    shown: Sequence[float],
    changes: list[str],
    errors: list[tuple[str, str]],
) -> list[Decimal]:
    """The KPIs' weights (fractions) from the percentages entered; they must still total 100%."""
    new_weights = []
    for i, kpi in enumerate(scheme.kpis):
        entered = number(weights[i] if i < len(weights) else None)
        field = whatif_field_id("weight", i)
        if entered is None:
            errors.append((field, f"{kpi.code} weight: enter a percentage, for example 25"))
            new_weights.append(kpi.weight)
            continue
        if entered < 0:
            errors.append((field, f"{kpi.code} weight: the weight must be 0% or more"))
        weight = Decimal(str(entered)) / 100
        if _same(entered, shown[i]):
            weight = kpi.weight
        else:
            changes.append(f"{kpi.code} weight {percent(kpi.weight)} → {percent(weight)}")
        new_weights.append(weight)
    total = sum(new_weights, Decimal(0))
    if scheme.kpis and total != 1:
        errors.append(
            (whatif_field_id("weight", 0), f"The weights total {percent(total)}; they must total 100%")
        )
    return new_weights


def apply_what_if(
    scheme: StoredScheme,
    so_far: Mapping[str, Sequence[Value]],
    defaults: WhatIfInputs,
    values: Sequence[Sequence] | None = None,
    weights: Sequence | None = None,
) -> WhatIf:
    """Apply the what-if inputs to the scheme and the reported figures.

    An input left as first shown keeps the exact reported figure (the input shows it to one decimal place). A
    changed input replaces it; a cleared one counts as "no data". A value entered for a period not yet
    reported makes it reported; any period before it still blank counts as "no data", as a gap would. A
    changed weight (a percentage) replaces the KPI's weight; the weights must still total 100%.
    """
    values = defaults["values"] if values is None else values
    weights = defaults["weights"] if weights is None else weights
    changes: list[str] = []
    errors: list[tuple[str, str]] = []
    priced = {
        kpi.code: _apply_values(
            i,
            kpi,
            list(so_far.get(kpi.code, ())),
            values[i] if i < len(values) else (),
            defaults["values"][i],
            changes,
            errors,
        )
        for i, kpi in enumerate(scheme.kpis)
    }
    new_weights = _apply_weights(scheme, weights, defaults["weights"], changes, errors)
    kpis = (
        tuple(replace(kpi, weight=weight) for kpi, weight in zip(scheme.kpis, new_weights, strict=True))
        if not errors
        else scheme.kpis
    )
    return WhatIf(replace(scheme, kpis=kpis), priced, tuple(changes), tuple(errors))


def price(what_if: WhatIf, assured: Mapping[str, Assured]) -> Payment:
    """Price the (what-if) scheme: the calculation so far and the worst, expected and best year ends."""
    return Payment.of(what_if.scheme, what_if.so_far, {code: a.assurance for code, a in assured.items()})
