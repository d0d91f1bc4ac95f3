"""Every colour the dashboard uses, with where it comes from, and the WCAG contrast arithmetic.

Statuses (:mod:`dashboard.components.status`), the chart template (:mod:`dashboard.theme`) and the style
sheet all take their colours from here, so a council restyling the product changes them in one place.
"""

from __future__ import annotations

import functools

# Page colours (GOV.UK Design System).
TEXT = "#0b0c0c"
WHITE = "#ffffff"
SECONDARY_TEXT = "#505a5f"
LINK = "#1d70b8"
FOCUS = "#ffdd00"
BORDER = "#b1b4b6"
LIGHT_GREY = "#f3f2f1"

# Analysis Function categorical palette (at most four series per chart), and "our area against the rest".
DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
CATEGORICAL = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE)
OUR_AREA = DARK_BLUE
THE_REST = "#BFBFBF"

# OHID Fingertips benchmark colours (SiteKeyIndicators.js).
FINGERTIPS_BETTER = "#92d050"
FINGERTIPS_SIMILAR = "#ffc000"
FINGERTIPS_WORSE = "#c00000"
FINGERTIPS_NOT_COMPARED = "#c9c9c9"
FINGERTIPS_LOWER = "#5555E6"
FINGERTIPS_HIGHER = "#C2CCFF"

# NHS England Making Data Count colours, as in NHSRplotthedots (ptd_spc_colours.R); colour-blind safe.
MDC_IMPROVEMENT = "#00b0f0"
MDC_CONCERN = "#e46c0a"
MDC_COMMON_CAUSE = "#a6a6a6"
MDC_NEUTRAL = "#490092"
MDC_TARGET = "#de1b1b"

# Status against a target: the standard red/amber/green, and a colour-blind-safe blue/orange/grey option.
TARGET_STANDARD = {
    "green": "#00703c",  # GOV.UK green
    "amber": FINGERTIPS_SIMILAR,
    "red": FINGERTIPS_WORSE,
    "not assessed": FINGERTIPS_NOT_COMPARED,
}
TARGET_COLOUR_BLIND = {
    "green": "#005ea5",  # blue
    "amber": "#ffc999",  # light orange
    "red": MDC_CONCERN,  # dark orange
    "not assessed": FINGERTIPS_NOT_COMPARED,
}

MIN_TEXT_CONTRAST = 4.5
"""WCAG 2.2 success criterion 1.4.3 (AA) for normal-size text."""


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of a ``#rrggbb`` colour: 0 for black, 1 for white."""
    digits = colour.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"expected a colour like #12436d, got {colour!r}")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@functools.cache
def text_colour_for(background: str) -> str:
    """Near-black or white, whichever contrasts more with ``background`` (worked out once a colour: every
    status tag asks)."""
    return max((TEXT, WHITE), key=lambda text: contrast_ratio(text, background))
