"""Dates typed into the dashboard's forms, read the ways UK users write them.

A due date for a remedial action and the date a process change took effect are both typed by hand as
31/12/2025, 31 12 2025, 31.12.2025, 31-12-2025 or 2025-12-31; one reader serves every form so that a date one
form accepts is never refused by another.
"""

from __future__ import annotations

import datetime as dt
import re

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/ .-]\s*(\d{1,2})\s*[/ .-]\s*(\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def typed_date(text: str | None, refusal: str) -> dt.date | None:
    """The date in ``text`` (None when it is blank); ValueError with ``refusal``, the form's own sentence
    naming the field and an example, when it is not a real date."""
    value = " ".join((text or "").split())
    if not value:
        return None
    try:
        if _ISO.match(value):
            return dt.date.fromisoformat(value)
        match = _DAY_MONTH_YEAR.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(refusal)
