"""Numbers, dates and times the way GOV.UK writes them: "28,702", "1 April 2025", "12:28pm"."""

from __future__ import annotations

import datetime as dt


def count(number: float) -> str:
    """A whole number with thousands separators: 28702 -> "28,702"."""
    return f"{round(number):,}"


def plural(number: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 indicator", "66 indicators"."""
    word = singular if number == 1 else (plural_form or singular + "s")
    return f"{count(number)} {word}"


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
