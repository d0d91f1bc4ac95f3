"""A period's status on the payment page: met, partly met, not met, no data, or forecast.

Each is words, then a shape, then a colour (the target colours of the reader's palette), with a sentence
saying what it means for the money.
"""

from __future__ import annotations

from dashboard import colours
from dashboard.components import status

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
PERIOD_STATUS_KEYS = tuple(_PERIOD_STATUS)


def period_status(key: str, *, palette: str = "standard") -> status.Status:
    """A period's status as the reader sees it, in the target colours of ``palette``."""
    words, icon, colour_key, meaning = _PERIOD_STATUS[key]
    scheme = colours.TARGET_STANDARD if palette == "standard" else colours.TARGET_COLOUR_BLIND
    background = FORECAST_BACKGROUND if colour_key is None else scheme[colour_key]
    return status.Status(
        kind="payment", key=key, words=words, icon=icon, background=background, meaning=meaning
    )
