"""The performance-linked payment page's parts: the what-if model, the statuses and what the page shows.

:func:`apply_what_if` turns the what-if inputs into a scheme and reported figures without saving anything;
:func:`assurance_for` works out each KPI's SPC assurance against its own target; :func:`payment` prices it
all (with :class:`data.payment_export.Payment`, so the page and the downloads can never disagree). The
``render_*`` functions draw the sections: the budget split in words and as a chart, the KPI table, the
forecast, the what-if inputs and the scheme's history.

Money is shown in whole pounds (:func:`metrics.money.format_pounds`); the downloads have the pence. Figures
are shown to one decimal place. Every status is words, then a shape, then a colour.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import dash
import pandas as pd
import plotly.io as pio
from dash import dcc, html

from dashboard import colours, formatting, theme, urlstate
from dashboard.components import status
from dashboard.components.govuk import details, visually_hidden
from data.contracts import StoredScheme
from data.payment_export import Payment
from metrics import spc
from metrics.money import format_pounds, round_half_up
from metrics.payment import Assurance, Value

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
SOURCE_BUDGET = (
    "Cambridgeshire County Council, Children and Young People Committee, 8 October 2024 "
    "(recommendation c, paragraph 4.8)"
)
ILLUSTRATIVE = "illustrative"

# Ids of the page's interactive parts, shared by the page module and the tests.
WHATIF_VALUE, WHATIF_WEIGHT = "payment-whatif-value", "payment-whatif-weight"
CHANGE_WEIGHT, CHANGE_TARGET, CHANGE_FLOOR = (
    "payment-change-weight",
    "payment-change-target",
    "payment-change-floor",
)


PAYMENT_PATH = "/payment"


# ---------------------------------------------------------------------------------------------------------
# What the page shows: the agreement, year and version chosen, and what was read for them
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    contract: str
    year: str
    version: int | None
    palette: str
    agreements: pd.DataFrame
    years: list[str]
    versions: pd.DataFrame
    ignored: tuple[tuple[str, str], ...]

    @property
    def agreement(self) -> pd.Series:
        return self.agreements.set_index("code").loc[self.contract]

    def href(self, **changes) -> str:
        values = {
            "contract": self.contract,
            "year": self.year,
            "version": None,
            "palette": None if self.palette == "standard" else self.palette,
        } | changes
        return dash.get_relative_path(
            urlstate.href(PAYMENT_PATH, {k: None if v is None else str(v) for k, v in values.items()})
        )


@dataclass(frozen=True)
class Loaded:
    scheme: StoredScheme
    so_far: dict
    year_to_date: dict
    assured: dict
    area_name: str
    area_code: str
    names: dict


# ---------------------------------------------------------------------------------------------------------
# Statuses of a period: met, partly met, not met, no data, forecast
# ---------------------------------------------------------------------------------------------------------

_PERIOD_STATUS = {
    "met": ("Met", "✓", "green", "The value meets the target, so the period earns its full share."),
    "partly met": (
        "Partly met",
        "▲",
        "amber",
        "The value is between the floor and the target, so the period earns part of its share.",
    ),
    "not met": (
        "Not met",
        "●",
        "red",
        (
            "The value is at or beyond the floor (or misses a target with no floor), "
            "so the period earns nothing."
        ),
    ),
    "no data": (
        "No data",
        "–",
        "not assessed",
        "No figure was reported for the period, so it earns nothing.",
    ),
    "forecast": ("Forecast", "◌", None, "Not yet reported; the forecast below assumes how it will go."),
}
FORECAST_BACKGROUND = colours.WHITE


def period_status(key: str, *, palette: str = "standard") -> status.Status:
    """A period's status as the reader sees it, in the target colours of ``palette``."""
    words, icon, colour_key, meaning = _PERIOD_STATUS[key]
    scheme = colours.TARGET_STANDARD if palette == "standard" else colours.TARGET_COLOUR_BLIND
    background = FORECAST_BACKGROUND if colour_key is None else scheme[colour_key]
    return status.Status(
        kind="payment", key=key, words=words, icon=icon, background=background, meaning=meaning
    )


PERIOD_STATUS_KEYS = tuple(_PERIOD_STATUS)


# ---------------------------------------------------------------------------------------------------------
# Numbers as the page writes them
# ---------------------------------------------------------------------------------------------------------


def one_place(value: Value) -> str:
    """A figure to one decimal place, half-up: 88.3495 -> '88.3'."""
    return f"{round_half_up(Decimal(str(value)), 1):f}"


def quantity(value: Value, unit: str) -> str:
    """'88.3%', '12.0 days'."""
    separator = "" if unit in ("", "%") else " "
    return f"{one_place(value)}{separator}{unit}"


def plain_number(value: Decimal | float) -> str:
    """A target or weight without trailing zeros: 92 -> '92', 92.5 -> '92.5'."""
    return f"{Decimal(str(value)).normalize():f}"


def percent(fraction: Decimal | float) -> str:
    """A fraction as a percentage without trailing zeros: 0.25 -> '25%'."""
    return f"{(Decimal(str(fraction)) * 100).normalize():f}%"


def achievement_text(fraction: Decimal) -> str:
    """An achievement (0 to 1) to one decimal place: '34.0%'."""
    return f"{round_half_up(Decimal(fraction) * 100, 1):f}%"


def target_text(kpi, value: float | None) -> str:
    """'92%' or '10% or lower' for a lower-is-better KPI; 'None' without a value."""
    if value is None:
        return "None"
    separator = "" if kpi.unit in ("", "%") else " "
    text = f"{plain_number(value)}{separator}{kpi.unit}"
    return f"{text} or lower" if kpi.polarity == "lower_is_better" else text


def period_labels(kpi) -> tuple[str, ...]:
    return ("Year",) if kpi.basis == "annual" else QUARTERS


def quarters_phrase(count: int) -> str:
    """'Q1', 'Q1 to Q2'."""
    return "Q1" if count == 1 else f"Q1 to Q{count}"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# ---------------------------------------------------------------------------------------------------------
# The what-if model: inputs -> a scheme and reported figures, nothing saved
# ---------------------------------------------------------------------------------------------------------


def _display(value: Value) -> float | None:
    """A reported value as the what-if input shows it (one decimal place)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(one_place(value))


def default_inputs(scheme: StoredScheme, so_far: Mapping[str, Sequence[Value]]) -> dict:
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
        return bool(self.changes)


def whatif_field_id(kind: str, kpi_index: int, period: int | None = None) -> str:
    """The id of the wrapper around a what-if input, which the error summary links to."""
    return f"payment-whatif-{kind}-field-{kpi_index}" + ("" if period is None else f"-{period}")


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _same(entered: float | None, shown: float | None) -> bool:
    if entered is None or shown is None:
        return entered is None and shown is None
    return abs(entered - shown) < 1e-9


def apply_what_if(
    scheme: StoredScheme,
    so_far: Mapping[str, Sequence[Value]],
    defaults: Mapping,
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
    priced: dict[str, list[Value]] = {}
    for i, kpi in enumerate(scheme.kpis):
        labels = period_labels(kpi)
        reported = list(so_far.get(kpi.code, ()))
        merged: list[Value] = []
        last_entered = 0
        for p, label in enumerate(labels):
            raw = values[i][p] if i < len(values) and p < len(values[i]) else None
            entered, shown = _number(raw), defaults["values"][i][p]
            if raw not in (None, "") and entered is None:
                errors.append((whatif_field_id("value", i, p), f"{kpi.code} {label}: enter a number"))
                merged.append(reported[p] if p < len(reported) else None)
                continue
            if _same(entered, shown):
                merged.append(reported[p] if p < len(reported) else None)
                continue
            if entered is not None and entered < 0:
                errors.append(
                    (whatif_field_id("value", i, p), f"{kpi.code} {label}: the value must be 0 or more")
                )
            elif entered is not None and kpi.unit == "%" and entered > 100:
                errors.append(
                    (whatif_field_id("value", i, p), f"{kpi.code} {label}: a percentage must be 100% or less")
                )
            merged.append(entered)
            if entered is not None:
                last_entered = p + 1
            was = (
                "not yet reported"
                if p >= len(reported)
                else ("no data" if shown is None else quantity(shown, kpi.unit))
            )
            now = "no data" if entered is None else quantity(entered, kpi.unit)
            changes.append(f"{kpi.code} {label} {was} → {now}")
        priced[kpi.code] = merged[: max(len(reported), last_entered)]

    new_weights = []
    for i, kpi in enumerate(scheme.kpis):
        raw = weights[i] if i < len(weights) else None
        entered = _number(raw)
        shown = defaults["weights"][i]
        field = whatif_field_id("weight", i)
        if entered is None:
            errors.append((field, f"{kpi.code} weight: enter a percentage, for example 25"))
            new_weights.append(kpi.weight)
            continue
        if entered < 0:
            errors.append((field, f"{kpi.code} weight: the weight must be 0% or more"))
        weight = Decimal(str(entered)) / 100
        if _same(entered, shown):
            weight = kpi.weight
        else:
            changes.append(f"{kpi.code} weight {percent(kpi.weight)} → {percent(weight)}")
        new_weights.append(weight)
    total = sum(new_weights, Decimal(0))
    if scheme.kpis and total != 1:
        errors.append(
            (whatif_field_id("weight", 0), f"The weights total {percent(total)}; they must total 100%")
        )
    kpis = (
        tuple(replace(kpi, weight=weight) for kpi, weight in zip(scheme.kpis, new_weights, strict=True))
        if not errors
        else scheme.kpis
    )
    return WhatIf(replace(scheme, kpis=kpis), priced, tuple(changes), tuple(errors))


# ---------------------------------------------------------------------------------------------------------
# SPC assurance for the forecast
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assured:
    """A KPI's SPC view: assurance (None with too few figures), variation, and how many quarters it used."""

    assurance: Assurance | None
    variation: str | None
    points: int
    latest: str | None


def assurance_for(scheme: StoredScheme, series: pd.DataFrame) -> dict[str, Assured]:
    """Each KPI's SPC assurance against its own target, from its indicator's quarterly figures.

    ``series`` holds the area's quarterly headline figures (indicator_code, period_label, period_end, value)
    up to the end of the scheme's year. Fewer than two figures give no assurance.
    """
    result = {}
    for kpi in scheme.kpis:
        mine = series[(series["indicator_code"] == kpi.indicator_code) & series["value"].notna()]
        mine = mine.sort_values("period_end")
        if len(mine) < 2:
            result[kpi.code] = Assured(None, None, len(mine), None)
            continue
        improvement = "increase" if kpi.polarity == "higher_is_better" else "decrease"
        chart = spc.xmr(mine["value"].astype(float).to_numpy(), improvement=improvement, target=kpi.target)
        result[kpi.code] = Assured(
            chart.assurance, chart.variation, len(mine), str(mine["period_label"].iloc[-1])
        )
    return result


def payment(what_if: WhatIf, assured: Mapping[str, Assured]) -> Payment:
    """Price the (what-if) scheme: the calculation so far and the worst, expected and best year ends."""
    return Payment.of(what_if.scheme, what_if.so_far, {code: a.assurance for code, a in assured.items()})


# ---------------------------------------------------------------------------------------------------------
# The money in words
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SoFar:
    """At risk split into earned so far, withheld in the periods reported and still to be assessed. The three
    add up to at risk exactly: earned is the worst case, still to be assessed is best less worst."""

    earned: Decimal
    withheld: Decimal
    to_assess: Decimal
    quarters: int


def so_far(priced: Payment) -> SoFar:
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


def _unreported(priced: Payment, split: SoFar) -> str:
    """What is not yet reported: 'Q3 and Q4, and the year's figure for ASQ3'."""
    parts = []
    later = list(QUARTERS[_quarters(priced)[0] :])
    if later and any(k.basis == "quarterly" for k in priced.scheme.kpis):
        parts.append(_and(later))
    annual = [k.code for k in priced.scheme.kpis if k.basis == "annual" and not priced.so_far.get(k.code)]
    if annual:
        parts.append(f"the year's figure for {_and(annual)}")
    return ", and ".join(parts)


def budget_sentences(priced: Payment, area_name: str, *, what_if: bool = False) -> list:
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
        later = _unreported(priced, split)
        if split.to_assess and later:
            second += (
                f" The other {format_pounds(split.to_assess)} depends on figures not yet reported ({later})."
            )
    return [
        html.P(first, className="app-body", id="payment-budget-sentence"),
        html.P(second, className="app-body", id="payment-so-far-sentence"),
    ]


def forecast_sentence(priced: Payment) -> str:
    outlook = priced.range
    return (
        f"By the year end, about {format_pounds(outlook.expected.earned)} of the "
        f"{format_pounds(priced.result.at_risk)} at risk is expected to be earned: at worst "
        f"{format_pounds(outlook.worst.earned)}, if nothing more is achieved, and at best "
        f"{format_pounds(outlook.best.earned)}, if every period not yet reported meets its target."
    )


# ---------------------------------------------------------------------------------------------------------
# Charts: a headline, a subtitle, the chart, a source, a table view and the figures as CSV
# ---------------------------------------------------------------------------------------------------------


def _csv_link(rows: Sequence[Sequence], header: Sequence[str], file_name: str, label: str, id: str) -> html.A:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(buffer.getvalue())
    return html.A(label, href=href, download=file_name, id=id, className="app-link")


def _chart_block(
    *,
    id: str,
    headline: str,
    subtitle: str,
    figure: dict,
    summary: str,
    source: str,
    table_caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence],
    csv_rows: Sequence[Sequence],
    file_name: str,
) -> html.Figure:
    table = html.Table(
        [
            html.Caption(table_caption, className="app-table__caption app-table__caption--s"),
            html.Thead(
                html.Tr(
                    [
                        html.Th(
                            h,
                            scope="col",
                            className="app-table__header" + (" app-table__header--numeric" if i else ""),
                        )
                        for i, h in enumerate(header)
                    ]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(row[0], scope="row", className="app-table__cell"),
                            *[
                                html.Td(cell, className="app-table__cell app-table__cell--numeric")
                                for cell in row[1:]
                            ],
                        ]
                    )
                    for row in rows
                ]
            ),
        ],
        className="app-table",
    )
    return html.Figure(
        [
            html.Figcaption(
                [
                    html.H3(headline, className="app-heading-m app-chart__headline", id=f"{id}-headline"),
                    html.P(subtitle, className="app-body app-chart__subtitle"),
                ]
            ),
            html.Div(
                dcc.Graph(
                    figure=figure,
                    config={"staticPlot": True, "displayModeBar": False, "responsive": True},
                    className="app-chart__graph",
                    id=f"{id}-graph",
                ),
                role="img",
                **{"aria-label": summary},
            ),
            html.P(f"Source: {source}.", className="app-body-s app-secondary app-chart__source"),
            details("Show the figures as a table", table, id=f"{id}-table"),
            html.P(
                _csv_link(csv_rows, header, file_name, "Download the chart's figures (CSV)", f"{id}-csv"),
                className="app-body-s",
            ),
        ],
        className="app-chart",
        id=id,
    )


@functools.cache
def _template() -> dict:
    """The product's Plotly template (dashboard.theme) as plain data. Figures here are built as dicts, which is
    several times faster than graph objects; a dict figure must carry its template itself."""
    return pio.templates[theme.TEMPLATE_NAME].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> dict:
    return {"data": data, "layout": {"template": _template(), **layout}}


def _segment(name: str, amount: Decimal, colour: str, y: str, axes: str) -> dict:
    """One part of a stacked horizontal bar, labelled with its amount (inside when it fits, and in the legend)."""
    return {
        "type": "bar",
        "orientation": "h",
        "x": [float(amount)],
        "y": [y],
        "name": f"{name}: {format_pounds(amount)}",
        "marker": {"color": colour, "line": {"width": 0}},
        "text": [format_pounds(amount)],
        "textposition": "inside",
        "insidetextanchor": "middle",
        "textfont": {"color": colours.text_colour_for(colour), "size": 16},
        "xaxis": f"x{axes}",
        "yaxis": f"y{axes}",
        "hoverinfo": "skip",
    }


_HIDDEN_AXIS = {
    "showticklabels": False,
    "showgrid": False,
    "showline": False,
    "ticks": "",
    "zeroline": False,
    "fixedrange": True,
}


def budget_chart(priced: Payment, area_name: str, *, slug: str) -> html.Figure:
    """The budget split: the whole budget (paid regardless, at risk), then the money at risk (earned so far,
    withheld, still to be assessed)."""
    scheme, result = priced.scheme, priced.result
    split = so_far(priced)
    data = [
        _segment("Paid regardless", result.fixed, colours.DARK_BLUE, "Budget", ""),
        _segment("At risk", result.at_risk, colours.ORANGE, "Budget", ""),
        _segment("Earned so far", split.earned, colours.TURQUOISE, "At risk", "2"),
        _segment("Withheld so far", split.withheld, colours.DARK_PINK, "At risk", "2"),
        _segment("Not yet assessed", split.to_assess, colours.THE_REST, "At risk", "2"),
    ]
    title = {
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 16},
    }
    fig = _figure(
        data,
        {
            "barmode": "stack",
            "height": 290,
            "margin": {"l": 8, "r": 24, "t": 90, "b": 8},
            "uniformtext": {"minsize": 14, "mode": "hide"},
            "legend": {"traceorder": "normal", "y": 1.12},
            "xaxis": {**_HIDDEN_AXIS, "range": [0, float(scheme.budget)], "anchor": "y"},
            "yaxis": {**_HIDDEN_AXIS, "domain": [0.65, 1], "anchor": "x"},
            "xaxis2": {**_HIDDEN_AXIS, "range": [0, float(result.at_risk) or 1], "anchor": "y2"},
            "yaxis2": {**_HIDDEN_AXIS, "domain": [0, 0.35], "anchor": "x2"},
            "annotations": [
                {**title, "y": 1.0, "text": f"The whole budget: {format_pounds(scheme.budget)}"},
                {**title, "y": 0.35, "text": f"The {format_pounds(result.at_risk)} at risk"},
            ],
        },
    )
    headline = (
        f"{format_pounds(split.earned)} of the {format_pounds(result.at_risk)} at risk has been earned so far"
    )
    subtitle = (
        f"{possessive(area_name)} Healthy Child Programme budget for {scheme.financial_year}: paid "
        f"regardless, and the {percent(scheme.share)} paid only as the Annual Development Plan targets "
        f"are met{', on the figures reported so far (' + reported_phrase(priced) + ')' if split.quarters else ''}"
        f"{' (illustrative KPIs and figures)' if scheme.illustrative else ''}."
    )
    rows = [
        ("Whole budget", format_pounds(scheme.budget)),
        ("Paid regardless", format_pounds(result.fixed)),
        ("At risk", format_pounds(result.at_risk)),
        ("Earned so far", format_pounds(split.earned)),
        ("Withheld so far", format_pounds(split.withheld)),
        ("Not yet assessed", format_pounds(split.to_assess)),
    ]
    csv_rows = [
        (name, f"{amount:.2f}")
        for name, amount in (
            ("Whole budget", scheme.budget),
            ("Paid regardless", result.fixed),
            ("At risk", result.at_risk),
            ("Earned so far", split.earned),
            ("Withheld so far", split.withheld),
            ("Not yet assessed", split.to_assess),
        )
    ]
    summary = (
        f"Bar chart. Of the {format_pounds(scheme.budget)} budget, {format_pounds(result.fixed)} is paid "
        f"regardless and {format_pounds(result.at_risk)} is at risk. Of the money at risk, "
        f"{format_pounds(split.earned)} has been earned so far, {format_pounds(split.withheld)} withheld "
        f"and {format_pounds(split.to_assess)} not yet assessed."
    )
    source = (
        SOURCE_BUDGET
        + " for the budget and share; provider quarterly returns"
        + (" (illustrative)" if scheme.illustrative else "")
        + " for the KPI figures"
    )
    return _chart_block(
        id="payment-budget-chart",
        headline=headline,
        subtitle=subtitle,
        figure=fig,
        summary=summary,
        source=source,
        table_caption="The budget split",
        header=("Part of the budget", "Amount"),
        rows=rows,
        csv_rows=csv_rows,
        file_name=f"budget-split-{slug}.csv",
    )


def forecast_chart(priced: Payment, area_name: str, *, slug: str) -> html.Figure:
    """The year-end range as three bars: worst, expected, best, against all the money at risk."""
    outlook, at_risk = priced.range, priced.result.at_risk
    cases = (
        ("Worst", outlook.worst.earned),
        ("Expected", outlook.expected.earned),
        ("Best", outlook.best.earned),
    )
    bar_colours = [colours.THE_REST, colours.DARK_BLUE, colours.THE_REST]
    fig = _figure(
        [
            {
                "type": "bar",
                "orientation": "h",
                "x": [float(amount) for _, amount in cases],
                "y": [name for name, _ in cases],
                "marker": {"color": bar_colours, "line": {"width": 0}},
                "text": [format_pounds(amount) for _, amount in cases],
                "textposition": "auto",
                "insidetextanchor": "end",
                "insidetextfont": {"color": [colours.text_colour_for(c) for c in bar_colours], "size": 16},
                "outsidetextfont": {"color": colours.TEXT, "size": 16},
                "cliponaxis": False,
                "showlegend": False,
                "hoverinfo": "skip",
            }
        ],
        {
            "height": 240,
            "margin": {"l": 8, "r": 96, "t": 40, "b": 8},
            "shapes": [
                {
                    "type": "line",
                    "x0": float(at_risk),
                    "x1": float(at_risk),
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": colours.TEXT, "width": 2, "dash": "dash"},
                }
            ],
            "annotations": [
                {
                    "x": float(at_risk),
                    "y": 1.0,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "xanchor": "right",
                    "showarrow": False,
                    "text": f"All {format_pounds(at_risk)} at risk",
                    "font": {"size": 14},
                }
            ],
            "yaxis": {
                "autorange": "reversed",
                "showgrid": False,
                "showline": False,
                "ticks": "",
                "tickfont": {"size": 16},
                "fixedrange": True,
            },
            "xaxis": {
                "range": [0, float(at_risk) * 1.02 or 1],
                "showticklabels": False,
                "showline": False,
                "ticks": "",
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
            },
        },
    )
    scheme = priced.scheme
    headline = (
        f"Expected {format_pounds(outlook.expected.earned)} by the year end, between "
        f"{format_pounds(outlook.worst.earned)} and {format_pounds(outlook.best.earned)}"
    )
    subtitle = (
        f"Year-end forecast of the performance-linked payment, {area_name}, {scheme.financial_year}: "
        "worst, expected and best cases" + (" (illustrative)" if scheme.illustrative else "") + "."
    )
    rows = [(name, format_pounds(amount)) for name, amount in cases] + [
        ("All at risk", format_pounds(at_risk))
    ]
    csv_rows = [(name, f"{amount:.2f}") for name, amount in cases] + [("All at risk", f"{at_risk:.2f}")]
    summary = f"Bar chart. {forecast_sentence(priced)}"
    source = (
        "Provider quarterly returns"
        + (" (illustrative)" if scheme.illustrative else "")
        + "; forecast by the dashboard from each KPI's SPC assurance"
    )
    return _chart_block(
        id="payment-forecast-chart",
        headline=headline,
        subtitle=subtitle,
        figure=fig,
        summary=summary,
        source=source,
        table_caption="Year-end forecast",
        header=("Case", "Earned by the year end"),
        rows=rows,
        csv_rows=csv_rows,
        file_name=f"payment-forecast-{slug}.csv",
    )


# ---------------------------------------------------------------------------------------------------------
# The KPI table
# ---------------------------------------------------------------------------------------------------------


def _th(text, numeric: bool = False, **attributes) -> html.Th:
    return html.Th(
        text,
        scope="col",
        className="app-table__header" + (" app-table__header--numeric" if numeric else ""),
        **attributes,
    )


def _td(children, numeric: bool = False, **attributes) -> html.Td:
    return html.Td(
        children, className="app-table__cell" + (" app-table__cell--numeric" if numeric else ""), **attributes
    )


def indicator_href(indicator_code: str, area_code: str) -> str:
    return (
        dash.get_relative_path(f"/indicator/{indicator_code}")
        + "?"
        + urllib.parse.urlencode({"area": area_code})
    )


def _period_cell(
    kpi, period, reported: bool, palette: str, year_to_date: float | None = None, span: int = 1
) -> html.Td:
    key = period.status if reported else "forecast"
    tag = status.status_tag(period_status(key, palette=palette))
    if span > 1:
        lines = [html.Span("Judged once, on the whole year:", className="app-payment__note")]
        if period.value is not None:
            lines.append(html.Span(quantity(period.value, kpi.unit), className="app-payment__value"))
        lines.append(tag)
        if key == "forecast":
            lines.append(
                html.Span(
                    f"{quantity(year_to_date, kpi.unit)} so far this year"
                    if year_to_date is not None
                    else "not yet reported",
                    className="app-payment__note",
                )
            )
        elif key == "partly met":
            lines.append(
                html.Span(f"earns {achievement_text(period.achievement)}", className="app-payment__note")
            )
        return _td(html.Div(lines, className="app-payment__period app-payment__period--year"), colSpan=span)
    lines = []
    if period.value is not None:
        lines.append(html.Span(quantity(period.value, kpi.unit), className="app-payment__value"))
    lines.append(tag)
    if key == "partly met":
        lines.append(
            html.Span(f"earns {achievement_text(period.achievement)}", className="app-payment__note")
        )
    elif key == "forecast" and year_to_date is not None:
        lines.append(html.Span(f"{quantity(year_to_date, kpi.unit)} so far", className="app-payment__note"))
    elif key == "forecast":
        lines.append(html.Span("not yet reported", className="app-payment__note"))
    return _td(
        html.Div(lines, className="app-payment__period"),
        numeric=True,
        **({"colSpan": span} if span > 1 else {}),
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
    year_to_date = year_to_date or {}
    head = html.Thead(
        html.Tr(
            [
                _th("KPI (links to the indicator)"),
                _th("Weight", True),
                _th("Target", True),
                _th("Floor", True),
                *[_th(q, True) for q in QUARTERS],
                _th(["Share", html.Br(), "earned so far"], True),
                _th("At stake", True),
                _th(["Earned", html.Br(), "so far"], True),
            ],
            className="app-table__row",
        )
    )
    body = []
    for i, kpi in enumerate(scheme.kpis):
        computed = result.kpis[i]
        reported = len(priced.so_far.get(kpi.code, ()))
        name = indicator_names.get(kpi.indicator_code, kpi.indicator_code)
        cells = [
            html.Th(
                [
                    html.Span(kpi.code, className="app-payment__code"),
                    " ",
                    html.A(
                        kpi.label,
                        href=indicator_href(kpi.indicator_code, area_code),
                        className="app-link",
                        title=f"Indicator: {name}",
                    ),
                ],
                scope="row",
                className="app-table__cell app-table__cell--row-header",
            ),
            _td(percent(kpi.weight), True),
            _td(html.Span(target_text(kpi, kpi.target), className="app-payment__wrap"), True),
            _td(html.Span(target_text(kpi, kpi.floor), className="app-payment__wrap"), True),
        ]
        if kpi.basis == "annual":
            ytd = (year_to_date.get(kpi.code) or [None])[0]
            cells.append(
                _period_cell(
                    kpi, computed.periods[0], reported > 0, palette, None if reported else ytd, span=4
                )
            )
        else:
            cells += [
                _period_cell(kpi, period, p < reported, palette) for p, period in enumerate(computed.periods)
            ]
        cells += [
            _td(achievement_text(computed.achievement), True),
            _td(format_pounds(computed.at_stake), True),
            _td(format_pounds(computed.earned), True),
        ]
        body.append(html.Tr(cells, className="app-table__row", id=f"payment-kpi-row-{i}"))
    weights = sum((k.weight for k in scheme.kpis), Decimal(0))
    foot = html.Tfoot(
        html.Tr(
            [
                html.Th(
                    "Total",
                    scope="row",
                    className="app-table__cell app-table__cell--row-header app-payment__total",
                ),
                _td(percent(weights), True, id="payment-total-weight"),
                _td("", colSpan=6),
                _td("", True),
                _td(format_pounds(result.at_risk), True, id="payment-total-at-stake"),
                _td(format_pounds(result.earned), True, id="payment-total-earned"),
            ],
            className="app-table__row app-payment__totals",
        )
    )
    caption = (
        f"Annual Development Plan KPIs, {scheme.financial_year}: each quarter's figure and the money earned "
        "so far" + (" (illustrative)" if scheme.illustrative else "")
    )
    table = html.Table(
        [
            html.Caption(caption, className="app-table__caption app-table__caption--m"),
            head,
            html.Tbody(body),
            foot,
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
    return html.Div(
        [
            html.Div(
                table,
                className="app-table-scroll",
                tabIndex="0",
                role="region",
                **{"aria-label": "KPI table (scrolls sideways on a small screen)"},
            ),
            *notes,
        ]
    )


def _reconciliation(priced: Payment) -> html.P:
    split = so_far(priced)
    return html.P(
        [
            html.Strong("How the money adds up: "),
            (
                f"{format_pounds(split.earned)} earned + {format_pounds(split.withheld)} withheld + "
                f"{format_pounds(split.to_assess)} not yet assessed = {format_pounds(priced.result.at_risk)} at risk "
                f"(to the penny: £{split.earned:,.2f} + £{split.withheld:,.2f} + £{split.to_assess:,.2f} = "
                f"£{priced.result.at_risk:,.2f})."
            ),
        ],
        className="app-body",
        id="payment-reconciliation",
    )


def how_calculated() -> html.Details:
    return details(
        "How is this calculated?",
        [
            html.P(
                "At risk is the budget × the share paid on performance, to the penny; the rest is paid regardless.",
                className="app-body",
            ),
            html.P(
                "Each KPI carries a weight: its share of the money at risk. A quarterly KPI is judged each quarter, "
                "each quarter carrying a quarter of its weight; an annual KPI is judged once, on the year's figure.",
                className="app-body",
            ),
            html.P(
                "A period that meets its target earns its full share. With a floor, a value between the floor and "
                "the target earns part of it, in a straight line (halfway between earns half); a value at or beyond "
                "the floor earns nothing. Without a floor, a missed target earns nothing. A period with no figure "
                "earns nothing.",
                className="app-body",
            ),
            html.P(
                "Earned = at risk × weight × achievement, rounded half-up to the penny; withheld = at risk − earned, "
                "so the figures always add up to the budget exactly. The page shows whole pounds; the downloads "
                "have the pence and the formulas.",
                className="app-body",
            ),
        ],
        id="payment-how-calculated",
    )


# ---------------------------------------------------------------------------------------------------------
# The forecast
# ---------------------------------------------------------------------------------------------------------


_ASSUMPTION = {
    "consistent_pass": "Met (achieves 100.0%)",
    "consistent_fail": "Not met (achieves 0.0%)",
}


def forecast_table(priced: Payment, assured: Mapping[str, Assured]) -> html.Div:
    scheme, outlook = priced.scheme, priced.range
    head = html.Thead(
        html.Tr(
            [
                _th("KPI"),
                _th("SPC assurance (latest quarter)"),
                _th("Periods not yet reported are assumed to be"),
                _th("Worst", True),
                _th("Expected", True),
                _th("Best", True),
            ]
        )
    )
    body = []
    for i, kpi in enumerate(scheme.kpis):
        view = assured.get(kpi.code, Assured(None, None, 0, None))
        remaining = len(period_labels(kpi)) - len(priced.so_far.get(kpi.code, ()))
        tag = (
            status.status_tag(status.assurance(view.assurance))
            if view.assurance
            else html.Span("No assurance: too few figures")
        )
        note = []
        if view.variation:
            note = [
                html.Span(
                    f"{status.variation(view.variation).words}; {view.points} quarters to {view.latest}",
                    className="app-payment__note",
                )
            ]
        if remaining == 0:
            assumption = "Nothing left to forecast"
        elif view.assurance in _ASSUMPTION:
            assumption = _ASSUMPTION[view.assurance]
        else:
            expected_periods = [p for p in outlook.expected.kpis[i].periods if p.status == "forecast"]
            share = achievement_text(expected_periods[0].achievement) if expected_periods else "0%"
            assumption = f"As so far (achieves {share})"
        body.append(
            html.Tr(
                [
                    html.Th(
                        [html.Span(kpi.code, className="app-payment__code"), " ", kpi.label],
                        scope="row",
                        className="app-table__cell app-table__cell--row-header",
                    ),
                    _td(html.Div([tag, *note], className="app-payment__period app-payment__period--left")),
                    _td(assumption),
                    _td(format_pounds(outlook.worst.kpis[i].earned), True),
                    _td(format_pounds(outlook.expected.kpis[i].earned), True),
                    _td(format_pounds(outlook.best.kpis[i].earned), True),
                ],
                className="app-table__row",
            )
        )
    foot = html.Tfoot(
        html.Tr(
            [
                html.Th(
                    "Total",
                    scope="row",
                    className="app-table__cell app-table__cell--row-header app-payment__total",
                ),
                _td(""),
                _td(""),
                _td(format_pounds(outlook.worst.earned), True, id="payment-forecast-worst"),
                _td(format_pounds(outlook.expected.earned), True, id="payment-forecast-expected"),
                _td(format_pounds(outlook.best.earned), True, id="payment-forecast-best"),
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
    return html.Div(
        table,
        className="app-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": "Forecast table (scrolls sideways on a small screen)"},
    )


def how_forecast() -> html.Details:
    return details(
        "How is this forecast made?",
        [
            html.P(
                "Periods already reported count as they are. For each period not yet reported the forecast assumes:",
                className="app-body",
            ),
            html.Ul(
                [
                    html.Li("worst case: it earns nothing;"),
                    html.Li("best case: it meets its target;"),
                    html.Li(
                        [
                            (
                                "expected case: what the KPI's statistical process control (SPC) chart says about its "
                                "target, using every quarter reported up to the latest one (NHS England \u201cMaking Data "
                                "Count\u201d assurance, against the KPI's own target in this scheme):"
                            ),
                            html.Ul(
                                [
                                    html.Li("\u201cConsistently passing the target\u201d: it will be met;"),
                                    html.Li(
                                        "\u201cConsistently failing the target\u201d: it will not be met;"
                                    ),
                                    html.Li(
                                        "\u201cHit and miss\u201d, or too few quarters to tell: it will go as the year "
                                        "has so far (the KPI's mean achievement over the periods reported)."
                                    ),
                                ],
                                className="app-list",
                            ),
                        ]
                    ),
                ],
                className="app-list",
            ),
            html.P(
                "Assurance compares the target with the range the figures normally vary within. It does not "
                "know about changes the provider is making, so a KPI that has recently improved (\u201cspecial "
                "cause \u2014 improving\u201d) may do better than the expected case. The forecast is a guide for "
                "the contract meeting, not a payment.",
                className="app-body",
            ),
        ],
        id="payment-how-forecast",
    )


# ---------------------------------------------------------------------------------------------------------
# What-if inputs and messages
# ---------------------------------------------------------------------------------------------------------


def whatif_inputs(
    scheme: StoredScheme, defaults: Mapping, year_to_date: Mapping[str, Sequence[Value]]
) -> html.Div:
    """A table of number inputs: each KPI's weight and its value for each period, each with its own label."""
    head = html.Thead(html.Tr([_th("KPI"), _th("Weight (%)", True), *[_th(q, True) for q in QUARTERS]]))
    rows = []
    for i, kpi in enumerate(scheme.kpis):
        unit = f" ({kpi.unit})" if kpi.unit else ""
        weight = html.Label(
            [
                visually_hidden(f"{kpi.code} {kpi.label}: weight (%)"),
                dcc.Input(
                    id={"type": WHATIF_WEIGHT, "kpi": i},
                    type="number",
                    value=defaults["weights"][i],
                    min=0,
                    max=100,
                    step="any",
                    inputMode="decimal",
                    debounce=False,
                    className="app-input app-input--width-4",
                ),
            ],
            id=whatif_field_id("weight", i),
            className="app-payment__field",
        )
        cells = []
        labels = period_labels(kpi)
        for p, label in enumerate(labels):
            annual = kpi.basis == "annual"
            ytd = (year_to_date.get(kpi.code) or [None])[0] if annual else None
            visible = []
            if annual:
                visible = [
                    html.Span(
                        "Whole year" + (f" ({quantity(ytd, kpi.unit)} so far)" if ytd is not None else ""),
                        className="app-payment__field-label",
                        **{"aria-hidden": "true"},
                    )
                ]
            field = html.Label(
                [
                    *visible,
                    visually_hidden(f"{kpi.code} {kpi.label}: {label} value{unit}"),
                    dcc.Input(
                        id={"type": WHATIF_VALUE, "kpi": i, "period": p},
                        type="number",
                        value=defaults["values"][i][p],
                        step="any",
                        min=0,
                        inputMode="decimal",
                        debounce=False,
                        className="app-input app-input--width-5",
                    ),
                ],
                id=whatif_field_id("value", i, p),
                className="app-payment__field" + (" app-payment__field--year" if annual else ""),
            )
            cells.append(_td(field, not annual, **({"colSpan": 4} if annual else {})))
        rows.append(
            html.Tr(
                [
                    html.Th(
                        [html.Span(kpi.code, className="app-payment__code"), " ", kpi.label],
                        scope="row",
                        className="app-table__cell app-table__cell--row-header",
                    ),
                    _td(weight, True),
                    *cells,
                ],
                className="app-table__row",
            )
        )
    table = html.Table(
        [
            html.Caption(
                "What-if values: weights and each period's figure",
                className="app-table__caption app-table__caption--s",
            ),
            head,
            html.Tbody(rows),
        ],
        className="app-table app-payment__whatif-table",
        id="payment-whatif-table",
    )
    return html.Div(
        table,
        className="app-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": "What-if values (scrolls sideways on a small screen)"},
    )


def error_summary(
    errors: Sequence[tuple[str, str]], *, title: str = "There is a problem", id: str, note: str | None = None
) -> html.Div:
    """A GOV.UK error summary: a title, a link to each problem's field, and an optional note."""
    return html.Div(
        [
            html.H2(title, className="app-error-summary__title app-heading-m", id=f"{id}-title"),
            html.Ul(
                [
                    html.Li(html.A(message, href=f"#{anchor}")) if anchor else html.Li(message)
                    for anchor, message in errors
                ],
                className="app-list app-error-summary__list",
            ),
            *([html.P(note, className="app-body app-error-summary__note")] if note else []),
        ],
        className="app-error-summary",
        role="alert",
        id=id,
        tabIndex="-1",
        **{"aria-labelledby": f"{id}-title"},
    )


def whatif_notice(changes: Sequence[str]) -> html.Div | None:
    """The notice that the figures include what-if values and that nothing is saved."""
    if not changes:
        return None
    return html.Div(
        [
            html.Div(
                html.H2(
                    "What-if: nothing is saved",
                    className="app-notification-banner__title",
                    id="payment-whatif-notice-title",
                ),
                className="app-notification-banner__header",
            ),
            html.Div(
                [
                    html.P(
                        "The figures on this page include values you have changed. They are not saved and "
                        "nobody else sees them; reload the page or use Reset to go back to the reported figures.",
                        className="app-body",
                    ),
                    html.P(
                        "Changed: " + "; ".join(changes) + ".",
                        className="app-body",
                        id="payment-whatif-changes",
                    ),
                    html.P(html.A("Go to the what-if values", href="#payment-whatif"), className="app-body"),
                ],
                className="app-notification-banner__content",
            ),
        ],
        className="app-notification-banner app-notification-banner--important app-payment__whatif-notice",
        role="region",
        id="payment-whatif-banner",
        **{"aria-labelledby": "payment-whatif-notice-title"},
    )


def whatif_live(priced: Payment, reported: Payment, changes: Sequence[str]) -> list:
    """The money beside the what-if inputs, against the figures as reported."""
    now, was = so_far(priced), so_far(reported)

    def compared(new: Decimal, old: Decimal) -> str:
        if new == old:
            return "the same as reported" if changes else "as reported"
        difference = new - old
        return f"{format_pounds(abs(difference))} {'more' if difference > 0 else 'less'} than reported"

    return [
        html.P(
            [
                html.Strong("What-if: nothing is saved. "),
                "Change a value or a weight below and the money here and across the page moves at once."
                if not changes
                else f"{len(changes)} change{'s' if len(changes) > 1 else ''} in use.",
            ],
            className="app-body",
        ),
        html.Dl(
            [
                html.Div(
                    [
                        html.Dt("Earned so far"),
                        html.Dd(
                            [
                                html.Span(
                                    format_pounds(now.earned),
                                    id="payment-whatif-earned",
                                    className="app-payment__live-figure",
                                ),
                                html.Span(compared(now.earned, was.earned), className="app-payment__note"),
                            ]
                        ),
                    ],
                    className="app-payment__live-item",
                ),
                html.Div(
                    [
                        html.Dt("Expected by the year end"),
                        html.Dd(
                            [
                                html.Span(
                                    format_pounds(priced.range.expected.earned),
                                    id="payment-whatif-expected",
                                    className="app-payment__live-figure",
                                ),
                                html.Span(
                                    compared(priced.range.expected.earned, reported.range.expected.earned),
                                    className="app-payment__note",
                                ),
                            ]
                        ),
                    ],
                    className="app-payment__live-item",
                ),
                html.Div(
                    [
                        html.Dt("Forecast range"),
                        html.Dd(
                            html.Span(
                                f"{format_pounds(priced.range.worst.earned)} to "
                                f"{format_pounds(priced.range.best.earned)}",
                                className="app-payment__live-figure",
                            )
                        ),
                    ],
                    className="app-payment__live-item",
                ),
            ],
            className="app-payment__live",
        ),
    ]


# ---------------------------------------------------------------------------------------------------------
# The scheme's versions and audit log
# ---------------------------------------------------------------------------------------------------------


def _simple_table(
    caption: str, header: Sequence[str], rows: Sequence[Sequence], *, id: str, numeric: Sequence[int] = ()
) -> html.Table:
    return html.Table(
        [
            html.Caption(caption, className="app-table__caption app-table__caption--s"),
            html.Thead(html.Tr([_th(h, i in numeric) for i, h in enumerate(header)])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(
                                row[0], scope="row", className="app-table__cell app-table__cell--row-header"
                            ),
                            *[_td(cell, i + 1 in numeric) for i, cell in enumerate(row[1:])],
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


def versions_table(versions: Sequence[StoredScheme], shown: int, href_for) -> html.Table:
    rows = []
    for version in versions:
        label = f"Version {version.version}"
        view = (
            html.Strong("Shown on this page")
            if version.version == shown
            else html.A([f"View version {version.version}"], href=href_for(version.version))
        )
        rows.append(
            (
                label,
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
    if audit.empty:
        return html.P("No changes have been recorded.", className="app-body")
    rows = [
        (
            formatting.date_time(pd.Timestamp(entry.changed_at).to_pydatetime()),
            entry.who,
            entry.change,
            entry.reason,
        )
        for entry in audit.itertuples(index=False)
    ]
    return _simple_table(
        "Audit log: every change, newest first",
        ("When", "Who", "What changed", "Why"),
        rows,
        id="payment-audit",
    )


def parse_amount(text, what: str) -> Decimal:
    """A number typed into the change form ('£9,126,108', '3', '92.5') as a Decimal; ValueError if it is not."""
    cleaned = str(text if text is not None else "").replace(",", "").replace("£", "").replace("%", "").strip()
    if not cleaned:
        raise ValueError(f"Enter {what}")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"{what[0].upper()}{what[1:]} must be a number") from error
    if not number.is_finite():
        raise ValueError(f"{what[0].upper()}{what[1:]} must be a number")
    return number
