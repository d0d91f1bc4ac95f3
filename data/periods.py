"""Reading the time-period labels that public health data uses.

OHID Fingertips labels periods as text: ``2023`` (calendar year), ``2022/23`` (financial or academic year),
``2020 - 22`` (three calendar years pooled), ``2020/21 - 22/23`` (pooled years), ``2023/24 Q1`` (a quarter
of the financial year), ``Apr 2024`` (a month). Whether ``2022/23`` runs April-March or September-August
depends on the indicator (NCMP and school readiness use academic years), so callers pass the indicator's
``year_type``. An unreadable label, or one naming a year outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`
(``0000``, ``9999/00``: typing errors, not periods), raises :class:`PeriodError`, which importers turn into a
rejected row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

YEAR_TYPES = ("financial", "academic", "calendar")
MAX_POOLED_YEARS = 10
FIRST_YEAR, LAST_YEAR = 1900, 2100
_YEAR_START_MONTH = {"financial": 4, "academic": 9, "calendar": 1}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_name) if name
}


class PeriodError(ValueError):
    """A time-period label that cannot be read."""


@dataclass(frozen=True)
class Period:
    """A reporting period: first and last day, the label as published, and its granularity."""

    start: dt.date
    end: dt.date
    label: str
    granularity: str  # 'year' | 'multi_year' | 'quarter' | 'month'


def _year_span(first_year: int, last_year: int, year_type: str) -> tuple[dt.date, dt.date]:
    """First and last day of the years of ``year_type`` starting in ``first_year`` to ``last_year``."""
    month = _YEAR_START_MONTH[year_type]
    start = dt.date(first_year, month, 1)
    return start, _add_months(dt.date(last_year, month, 1), 12) - dt.timedelta(days=1)


def _second_year(first: int, short: str) -> int:
    """The year named by the two- or four-digit ``short`` that follows ``first`` (``2022/23`` -> 2023)."""
    if len(short) == 4:
        return int(short)
    century = first - first % 100
    year = century + int(short)
    return year + 100 if year < first else year


def _split_range(groups: tuple[str, ...], text: str, split_type: str) -> Period:
    """``2020/21 - 22/23``: pooled split years."""
    first = int(groups[0])
    last_start = _second_year(first, groups[2])
    _check_consecutive(first, _second_year(first, groups[1]), text)
    _check_consecutive(last_start, _second_year(last_start, groups[3]), text)
    _check_span(first, last_start, text)
    start, end = _year_span(first, last_start, split_type)
    return Period(start, end, text, "multi_year")


def _split_quarter(groups: tuple[str, ...], text: str, split_type: str) -> Period:
    """``2023/24 Q1``: a quarter of a financial or academic year."""
    first = int(groups[0])
    _check_consecutive(first, _second_year(first, groups[1]), text)
    year_start = dt.date(first, _YEAR_START_MONTH[split_type], 1)
    start = _add_months(year_start, 3 * (int(groups[2]) - 1))
    return Period(start, _add_months(start, 3) - dt.timedelta(days=1), text, "quarter")


def _split_year(groups: tuple[str, ...], text: str, split_type: str) -> Period:
    """``2022/23``: a financial or academic year."""
    first = int(groups[0])
    _check_consecutive(first, _second_year(first, groups[1]), text)
    start, end = _year_span(first, first, split_type)
    return Period(start, end, text, "year")


def _calendar_range(groups: tuple[str, ...], text: str, _split_type: str) -> Period:
    """``2020 - 22``: pooled calendar years."""
    first = int(groups[0])
    last = _second_year(first, groups[1])
    _check_span(first, last, text)
    return Period(dt.date(first, 1, 1), dt.date(last, 12, 31), text, "multi_year")


def _calendar_quarter(groups: tuple[str, ...], text: str, _split_type: str) -> Period:
    """``2023 Q1``: a quarter of a calendar year."""
    start = dt.date(int(groups[0]), 3 * (int(groups[1]) - 1) + 1, 1)
    return Period(start, _add_months(start, 3) - dt.timedelta(days=1), text, "quarter")


def _calendar_year(groups: tuple[str, ...], text: str, _split_type: str) -> Period:
    """``2023``: a calendar year."""
    year = int(groups[0])
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), text, "year")


def _month(groups: tuple[str, ...], text: str, _split_type: str) -> Period | None:
    """``Apr 2024`` or ``April 2024``: a month (None when the month's name is not one)."""
    month = _MONTHS.get(groups[0].lower())
    if month is None:
        return None
    start = dt.date(int(groups[1]), month, 1)
    return Period(start, _add_months(start, 1) - dt.timedelta(days=1), text, "month")


_SPLIT_YEAR = r"(\d{4})\s*/\s*(\d{2}|\d{4})"
# Each form of label and how to read it, tried in this order.
_FORMS: tuple[tuple[re.Pattern[str], Callable[[tuple[str, ...], str, str], Period | None]], ...] = (
    (re.compile(rf"^{_SPLIT_YEAR}\s*-\s*(\d{{2}}|\d{{4}})\s*/\s*(\d{{2}}|\d{{4}})$"), _split_range),
    (re.compile(rf"^{_SPLIT_YEAR}\s*Q([1-4])$", re.IGNORECASE), _split_quarter),
    (re.compile(rf"^{_SPLIT_YEAR}$"), _split_year),
    (re.compile(r"^(\d{4})\s*-\s*(\d{2}|\d{4})$"), _calendar_range),
    (re.compile(r"^(\d{4})\s*Q([1-4])$", re.IGNORECASE), _calendar_quarter),
    (re.compile(r"^(\d{4})$"), _calendar_year),
    (re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$"), _month),
)


def parse_period(label: str, year_type: str = "financial") -> Period:
    """Read a Fingertips-style period label into a :class:`Period`.

    ``year_type`` ('financial', 'academic' or 'calendar') says where a split year such as ``2022/23``
    begins; plain years (``2023``) and ranges of them (``2020 - 22``) are always calendar years, as in
    Fingertips. Quarters of a split year are financial quarters (Q1 = April to June) for financial years
    and academic quarters (Q1 = September to November) for academic years.
    """
    if year_type not in YEAR_TYPES:
        raise ValueError(f"year_type must be one of {', '.join(YEAR_TYPES)}, not {year_type!r}")
    text = " ".join(str(label).split())
    if not text:
        raise PeriodError("the time period is blank")
    split_type = "financial" if year_type == "calendar" else year_type
    for pattern, read in _FORMS:
        match = pattern.match(text)
        if match:
            _check_years([int(g) for g in match.groups() if len(g) == 4 and g.isdigit()], text)
            period = read(match.groups(), text, split_type)
            if period is None:
                break
            _check_years([period.start.year, period.end.year], text)
            return period
    quoted = text if len(text) <= 40 else text[:39] + "\u2026"
    raise PeriodError(
        f"the time period '{quoted}' is not one we can read "
        "(expected forms like 2023, 2022/23, 2020 - 22, 2023/24 Q1 or Apr 2024)"
    )


def _check_years(years: list[int], text: str) -> None:
    if any(not FIRST_YEAR <= year <= LAST_YEAR for year in years):
        raise PeriodError(
            f"the time period '{text}' names a year outside {FIRST_YEAR} to {LAST_YEAR}, "
            "so it cannot be right"
        )


def _check_consecutive(first: int, second: int, text: str) -> None:
    if second != first + 1:
        raise PeriodError(f"the time period '{text}' is not a single year (the years are not consecutive)")


def _check_span(first: int, last: int, text: str) -> None:
    if not 0 < last - first <= MAX_POOLED_YEARS:
        raise PeriodError(f"the time period '{text}' is not a range of up to {MAX_POOLED_YEARS} years")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def financial_quarter_label(day: dt.date) -> str:
    """The financial-quarter label containing ``day``, e.g. 1 May 2025 -> ``2025/26 Q1``."""
    first = day.year if day.month >= 4 else day.year - 1
    quarter = ((day.month - 4) % 12) // 3 + 1
    return f"{first}/{(first + 1) % 100:02d} Q{quarter}"
