"""The screens of meeting mode, in order: what each one shows, worked out from the scorecard records.

Meeting mode steps through a short deck built from the same records as the scorecard and the exceptions
page (:func:`dashboard.data_access.scorecard_rows` and :func:`~dashboard.components.monitoring.flagged`), so
the projected screen and the pages can never disagree: a title screen, one screen per domain of the chosen
framework (a domain with more indicators than fit on one screen at projector size gets several, "part 1 of
3"), one per exception, and the payment position.

Only descriptions are built here (cheap); the page draws the one screen it is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.components.monitoring.flagged import Flagged, flagged
from data.scorecard_row import ScorecardRow

TITLE, DOMAIN, EXCEPTION, PAYMENT = "title", "domain", "exception", "payment"
PER_SCREEN = 7
"""Indicators on one domain screen: as many as fit at 1366 × 768 in large type with one line each."""


@dataclass(frozen=True)
class Screen:
    """One screen of the deck."""

    kind: str
    """:data:`TITLE`, :data:`DOMAIN`, :data:`EXCEPTION` or :data:`PAYMENT`."""
    heading: str
    rows: tuple[ScorecardRow, ...] = ()
    """A domain screen's indicators (this part's); the whole domain is in ``domain_rows``."""
    domain_rows: tuple[ScorecardRow, ...] = ()
    exception: Flagged | None = None


def _unique(rows: Sequence[ScorecardRow]) -> list[ScorecardRow]:
    """Each indicator once, in first-seen order (an indicator may serve two outcomes of a domain)."""
    return list({row.indicator_code: row for row in rows}.values())


def parts(rows: Sequence[ScorecardRow], size: int = PER_SCREEN) -> list[tuple[ScorecardRow, ...]]:
    """``rows`` split into screens of at most ``size``, as evenly as possible (17 in threes: 6, 6, 5)."""
    if not rows:
        return [()]
    count = -(-len(rows) // size)
    base, extra = divmod(len(rows), count)
    out, start = [], 0
    for i in range(count):
        end = start + base + (1 if i < extra else 0)
        out.append(tuple(rows[start:end]))
        start = end
    return out


def deck(
    rows: Sequence[ScorecardRow], domains: Sequence[tuple[str, Sequence[str]]], area_name: str
) -> list[Screen]:
    """The screens for an area: ``rows`` are its scorecard records (every catalogue indicator); ``domains``
    are (heading, indicator codes in order) of the framework's domains."""
    by_code = {row.indicator_code: row for row in rows}
    screens = [Screen(TITLE, f"Healthy Child Programme outcomes: {area_name}")]
    for heading, codes in domains:
        domain_rows = _unique([by_code[code] for code in codes if code in by_code])
        split = parts(domain_rows)
        for number, part in enumerate(split, start=1):
            title = heading if len(split) == 1 else f"{heading} (part {number} of {len(split)})"
            screens.append(Screen(DOMAIN, title, rows=part, domain_rows=tuple(domain_rows)))
    for item in flagged(rows):
        screens.append(Screen(EXCEPTION, f"Exception: {item.row.short_name}", exception=item))
    screens.append(Screen(PAYMENT, "Payment position"))
    return screens


def screen_number(text: str | None, count: int) -> tuple[int, str | None]:
    """The screen a link asks for (1-based), within 1 to ``count``, and, when the link's ``screen`` was not
    a number or out of range, what was shown instead, in words (a link with no screen is the first)."""
    count = max(count, 1)
    if text is None or not str(text).strip():
        return 1, None
    asked = str(text).strip()
    try:
        number = int(asked)
    except ValueError:
        return (
            1,
            f"This link asked for screen \u201c{asked}\u201d, which is not a number, so it shows screen 1.",
        )
    if number < 1:
        return 1, f"This link asked for screen {number}; screens start at 1, so it shows screen 1."
    if number > count:
        return count, (
            f"This link asked for screen {number}, but there are only {count} screens, "
            f"so it shows the last one, screen {count}."
        )
    return number, None
