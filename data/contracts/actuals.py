"""The provider's reported figures for a scheme's KPIs, as :mod:`metrics.payment` prices them.

Figures are the headline series of each KPI's indicator for the agreement's council area in the scheme's
financial year: a quarterly KPI takes each quarter's figure, an annual KPI the year's figure (published, or
pooled from the quarters reported so far).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import pandas as pd
import sqlalchemy as sa

from data.contracts.records import StoredScheme, financial_year, ind
from data.periods import parse_period
from data.queries import headline_series


class _Row(TypedDict):
    """One stored headline figure of an indicator, for a quarter or a whole year."""

    indicator_code: str
    period_start: dt.date
    granularity: str
    value: float | None
    count: float | None
    denominator: float | None


@dataclass(frozen=True)
class _Reported:
    """One indicator's reported figures for the year: each quarter's row (or None) and any whole-year row."""

    quarters: tuple[_Row | None, ...]
    year: _Row | None
    multiplier: int


def _reported(engine: sa.Engine, scheme: StoredScheme) -> dict[str, _Reported]:
    """The headline figures for the scheme's indicators and area in its financial year, by indicator: its
    indicators' headline series for the area (:func:`data.queries.headline_series`), as
    :func:`_reported_in` takes them from a series a page has read already."""
    codes = _codes(scheme)
    series = headline_series(engine, area_codes=[scheme.area_code], indicator_codes=codes)
    with engine.connect() as conn:
        multipliers: dict[str, int] = dict(
            conn.execute(sa.select(ind.c.code, ind.c.multiplier).where(ind.c.code.in_(codes))).tuples().all()
        )
    return _reported_in(scheme, series, multipliers)


def _codes(scheme: StoredScheme) -> list[str]:
    return sorted({kpi.indicator_code for kpi in scheme.kpis})


def _by_indicator(
    scheme: StoredScheme, rows: Sequence[_Row], multipliers: Mapping[str, int]
) -> dict[str, _Reported]:
    """Each of the scheme's indicators' rows for the year: each quarter's (or None) and the whole year's."""
    period = financial_year(scheme.financial_year)
    quarter_starts = [parse_period(f"{scheme.financial_year} Q{q}").start for q in range(1, 5)]
    reported: dict[str, _Reported] = {}
    for code in _codes(scheme):
        mine = [row for row in rows if row["indicator_code"] == code]
        by_start = {row["period_start"]: row for row in mine if row["granularity"] == "quarter"}
        whole = [row for row in mine if row["granularity"] == "year" and row["period_start"] == period.start]
        reported[code] = _Reported(
            quarters=tuple(by_start.get(start) for start in quarter_starts),
            year=whole[0] if whole else None,
            multiplier=multipliers[code],
        )
    return reported


def _reported_in(
    scheme: StoredScheme, series: pd.DataFrame, multipliers: Mapping[str, int]
) -> dict[str, _Reported]:
    """The scheme's reported figures by indicator, from the headline series of its indicators for its area
    (:func:`data.queries.headline_series`, every period): the rows of the financial year's quarters and
    whole year, with a missing figure as None and each date as a date."""
    period = financial_year(scheme.financial_year)
    starts = [_date(day) for day in series["period_start"]]
    ends = [_date(day) for day in series["period_end"]]
    rows = [
        _Row(
            indicator_code=str(code),
            period_start=start,
            granularity=str(granularity),
            value=_number(value),
            count=_number(count),
            denominator=_number(denominator),
        )
        for code, area, start, end, granularity, value, count, denominator in zip(
            series["indicator_code"],
            series["area_code"],
            starts,
            ends,
            series["granularity"],
            series["value"],
            series["count"],
            series["denominator"],
            strict=True,
        )
        if area == scheme.area_code
        and granularity in ("quarter", "year")
        and start >= period.start
        and end <= period.end
    ]
    return _by_indicator(scheme, rows, {code: int(multipliers[code]) for code in _codes(scheme)})


def _date(day: object) -> dt.date:
    """A stored date as a date, whether the frame holds it as a date or a timestamp."""
    return day.date() if isinstance(day, dt.datetime) else day  # type: ignore[return-value]


def _number(figure: object) -> float | None:
    """A stored figure as the float it is, or None where it is missing."""
    return None if figure is None or figure != figure else float(figure)  # type: ignore[arg-type]


def _value(row: _Row | None) -> float | None:
    return None if row is None or row["value"] is None else float(row["value"])


def _annual_value(reported: _Reported) -> float | None:
    """The year's figure: a published whole-year figure if there is one; otherwise pooled from the reported
    quarters, sum(numerators) / sum(denominators) x multiplier when every one has both, else their mean."""
    published = _value(reported.year)
    if published is not None:
        return published
    quarters = [row for row in reported.quarters if row is not None and row["value"] is not None]
    if not quarters:
        return None
    counts = [row["count"] for row in quarters if row["count"] is not None]
    denominators = [row["denominator"] for row in quarters if row["denominator"] is not None]
    if len(counts) == len(denominators) == len(quarters):
        denominator = sum(denominators)
        if denominator > 0:
            return sum(counts) / denominator * reported.multiplier
    values = [float(row["value"]) for row in quarters if row["value"] is not None]
    return sum(values) / len(values)


def actuals_for_scheme(engine: sa.Engine, scheme: StoredScheme) -> dict[str, list[float | None]]:
    """The provider's reported figures for each KPI, for :func:`metrics.payment.calculate`.

    Figures are the headline series of the KPI's indicator for the agreement's council area in the scheme's
    financial year. A quarterly KPI gets [Q1, Q2, Q3, Q4], None where the quarter has no value. An annual
    KPI gets [the year's figure]: a whole-year figure where one is stored, else the year pooled from the
    quarters reported so far (their numerators summed over their denominators, when every reported quarter
    has both, else the mean of their values), or [None] when nothing is reported.
    """
    return _actuals(scheme, _reported(engine, scheme))


def _actuals(scheme: StoredScheme, reported: dict[str, _Reported]) -> dict[str, list[float | None]]:
    """Each KPI's figures from the indicators' reported rows: quarters, or the year's figure."""
    return {
        kpi.code: (
            [_value(row) for row in reported[kpi.indicator_code].quarters]
            if kpi.basis == "quarterly"
            else [_annual_value(reported[kpi.indicator_code])]
        )
        for kpi in scheme.kpis
    }


def actuals_to_date(engine: sa.Engine, scheme: StoredScheme) -> dict[str, list[float | None]]:
    """The reported figures for :func:`metrics.payment.forecast`: periods not yet reported are left off so
    that they are forecast, not counted as missing.

    The year has been reported up to the last quarter for which the provider returned any of the scheme's
    indicators. Quarterly KPIs get their values up to that quarter (None for a gap before it); an annual
    KPI gets its figure only once its year is complete (all four quarters, or a whole-year figure).
    """
    return _to_date(scheme, _reported(engine, scheme))


def scheme_actuals(
    engine: sa.Engine, scheme: StoredScheme
) -> tuple[dict[str, list[float | None]], dict[str, list[float | None]]]:
    """(:func:`actuals_to_date`, :func:`actuals_for_scheme`) from one read of the reported figures: the
    payment page shows both."""
    reported = _reported(engine, scheme)
    return _to_date(scheme, reported), _actuals(scheme, reported)


def scheme_actuals_in(
    scheme: StoredScheme, series: pd.DataFrame, multipliers: Mapping[str, int]
) -> tuple[dict[str, list[float | None]], dict[str, list[float | None]]]:
    """:func:`scheme_actuals` from the headline series of the scheme's indicators for its area, every
    period (:func:`data.queries.headline_series`), and the indicators' multipliers, when they have been read
    already: the payment page reads that series for the KPIs' assurance, so the figures are read once."""
    reported = _reported_in(scheme, series, multipliers)
    return _to_date(scheme, reported), _actuals(scheme, reported)


def _to_date(scheme: StoredScheme, reported: dict[str, _Reported]) -> dict[str, list[float | None]]:
    """Each KPI's figures reported so far (see :func:`actuals_to_date`)."""
    returned = [q for r in reported.values() for q, row in enumerate(r.quarters, start=1) if row is not None]
    quarters_in = max(returned, default=0)
    full = _actuals(scheme, reported)
    result = {}
    for kpi in scheme.kpis:
        mine = reported[kpi.indicator_code]
        if kpi.basis == "quarterly":
            result[kpi.code] = full[kpi.code][:quarters_in]
        else:
            complete = mine.year is not None or all(row is not None for row in mine.quarters)
            result[kpi.code] = full[kpi.code] if complete else []
    return result
