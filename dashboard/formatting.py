"""How the product writes numbers, dates and names: the one place every page formats a figure.

Figures follow GOV.UK and ONS style: "12.9%", "662.7 per 100,000", "10,336", "192.2 WTE", "1 April 2025",
"12:28pm". Decimals are rounded half-up on the figure's decimal digits (:mod:`metrics.rounding`), so 88.25
shows as "88.3" on every page, in every table and in every export.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from metrics.rounding import fixed, half_up

RATE_UNITS = ("per 1,000", "per 10,000", "per 100,000")
PERIOD_NOUNS = {"year": "years", "multi_year": "periods", "quarter": "quarters", "month": "months"}


# --- Reading a figure --------------------------------------------------------------------------------------


def number(value: Any) -> float | None:
    """``value`` as a float, or None when it is missing (None, NaN, pandas NA) or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def is_true(value: Any) -> bool:
    """Whether a flag read from a data frame is set (None and NaN are not)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    try:
        return bool(value)
    except (TypeError, ValueError):  # pandas' NA
        return False


def _is_whole(value: float) -> bool:
    return half_up(value, 1) == half_up(value, 0)


# --- Figures -----------------------------------------------------------------------------------------------


def count(number: float) -> str:
    """A whole number with thousands separators: 28702 -> "28,702"."""
    return fixed(number, 0)


def plural(number: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 indicator", "66 indicators"."""
    word = singular if number == 1 else (plural_form or singular + "s")
    return f"{count(number)} {word}"


def format_number(value: float, unit: str, value_type: str = "", *, trim: bool = False) -> str:
    """The number alone, as it is written with ``unit``: "12.9", "662.7", "10,336"."""
    if unit == "number" or (value_type == "count" and unit != "WTE"):
        return fixed(value, 0) if _is_whole(value) or abs(value) >= 1000 else fixed(value, 1)
    return fixed(value, 0) if trim and _is_whole(value) else fixed(value, 1)


def format_value(value: Any, unit: str, value_type: str = "", *, trim: bool = False) -> str:
    """A figure with its unit as people write it: "12.9%", "662.7 per 100,000", "10,336", "192.2 WTE".

    One decimal place for percentages and rates (``trim`` drops a trailing ".0", for targets); whole
    numbers for counts. A missing figure is "no figure".
    """
    figure = number(value)
    if figure is None:
        return "no figure"
    text = format_number(figure, unit, value_type, trim=trim)
    if unit == "%":
        return text + "%"
    if unit == "number" or not unit:
        return text
    return f"{text} {unit}"


def format_interval(lower: Any, upper: Any, unit: str, value_type: str = "") -> str:
    """A 95% confidence interval: "616.9 to 711.0", or "" when either limit is missing."""
    low, high = number(lower), number(upper)
    if low is None or high is None:
        return ""
    return f"{format_number(low, unit, value_type)} to {format_number(high, unit, value_type)}"


def format_difference(difference: float, unit: str) -> str:
    """The size of a gap: "3.1 points" for percentages, "2.0 per 10,000" for rates, "12" for counts."""
    size = abs(difference)
    if unit == "%":
        return f"{fixed(size, 1)} " + ("point" if half_up(size, 1) == 1 else "points")
    if unit in RATE_UNITS or unit == "WTE":
        return f"{fixed(size, 1)} {unit}"
    return fixed(size, 0) if _is_whole(size) else fixed(size, 1)


def one_place(value: Decimal | float) -> str:
    """A figure to one decimal place, half-up, without thousands separators: 88.3495 -> "88.3"."""
    return fixed(float(value), 1, thousands=False)


def quantity(value: Decimal | float, unit: str) -> str:
    """A figure to one decimal place with its unit: "88.3%", "12.0 days"."""
    separator = "" if unit in ("", "%") else " "
    return f"{one_place(value)}{separator}{unit}"


def plain_number(value: Decimal | float) -> str:
    """A target or weight as entered, without trailing zeros: 92 -> "92", 92.5 -> "92.5"."""
    return f"{Decimal(str(value)).normalize():f}"


def percent(fraction: Decimal | float) -> str:
    """A fraction as a percentage without trailing zeros: 0.25 -> "25%"."""
    return f"{(Decimal(str(fraction)) * 100).normalize():f}%"


# --- Words about figures -----------------------------------------------------------------------------------


def axis_title(unit: str) -> str:
    """What the value axis measures, in words."""
    if unit == "%":
        return "Percentage"
    if unit in RATE_UNITS:
        return f"Rate {unit}"
    if unit == "WTE":
        return "Whole-time equivalent staff (WTE)"
    return "Number"


def period_noun(granularity: str | None) -> str:
    """ "years", "quarters", "months" or "periods"."""
    return PERIOD_NOUNS.get(str(granularity or ""), "periods")


def quoted(short_name: str) -> str:
    """An indicator's short name in quotation marks, so a sentence reads correctly whatever its wording."""
    return f"\u201c{short_name}\u201d"


def possessive(name: str) -> str:
    """ "Fenland’s"; a name ending in s takes the apostrophe alone."""
    return f"{name}\u2019" if name.endswith("s") else f"{name}\u2019s"


# --- Dates and times ---------------------------------------------------------------------------------------


def date(value: dt.date) -> str:
    """ "1 April 2025"."""
    return f"{value.day} {value:%B %Y}"


def time(value: dt.datetime | dt.time) -> str:
    """ "12:28pm", "9am"."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def date_time(value: dt.datetime) -> str:
    """ "23 November 2026 at 12:28pm"."""
    return f"{date(value)} at {time(value)}"
