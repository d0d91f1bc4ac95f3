"""How every status looks: words, then a shape, then a colour. The only place statuses are styled.

:mod:`metrics` returns statuses as plain names ('green', 'better', 'improvement_high', ...). This module
turns each into a :class:`Status` (the words a reader sees, an icon, a background colour and a one-line
explanation for legends) and renders it as a tag: ``<strong class="status-tag ...">`` holding the icon,
hidden from screen readers, and the words as text. Colour is never the only signal (WCAG 2.2 1.4.1), so a
status survives colour blindness, greyscale printing, a washed-out projector and a screen reader. Tag text
is near-black or white, whichever contrasts more with the background; the tests check every tag reaches
4.5:1.

Colours: target statuses use red/amber/green, or a colour-blind-safe blue/orange/grey with the same words
(``palette="colour-blind"``); benchmark comparisons and trends use the OHID Fingertips colours, with neutral
blues for indicators that have no better or worse direction; statistical process control (SPC) uses the NHS
England Making Data Count colours and words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dash import html

from dashboard import colours
from dashboard.components.attributes import extra
from dashboard.components.elements import element
from metrics import spc

PALETTES = ("standard", "colour-blind")
"""Colour schemes for target statuses. The words and shapes are the same in both."""


@dataclass(frozen=True)
class Status:
    """One status as the reader sees it."""

    kind: str
    """'target', 'benchmark', 'variation', 'assurance' or 'trend'."""
    key: str
    """The name :mod:`metrics` uses, e.g. 'green' or 'improvement_high' ('none' for no assurance)."""
    words: str
    icon: str
    background: str
    meaning: str
    """A plain-English sentence saying what the status means, for legends."""

    @functools.cached_property
    def text_colour(self) -> str:
        return colours.text_colour_for(self.background)

    @functools.cached_property
    def css_class(self) -> str:
        slug = self.key.replace(" ", "-").replace("_", "-")
        return f"status-tag status-tag--{self.kind} status-tag--{self.kind}-{slug}"


_remembered = functools.lru_cache(maxsize=4096)
"""Statuses are immutable, so each is made once for its name (and palette or benchmark) and then reused:
a scorecard asks for about 1,300."""


def _status(kind: str, key: str, words: str, icon: str, background: str, meaning: str) -> Status:
    return Status(kind=kind, key=key, words=words, icon=icon, background=background, meaning=meaning)


# --- Status against a target -------------------------------------------------------------------------

_TARGET = {
    "green": ("On target", "✓", "The latest figure meets the target."),
    "amber": (
        "Near target",
        "▲",
        (
            "The latest figure is short of the target but within the agreed tolerance, or too uncertain "
            "to say whether it meets the target."
        ),
    ),
    "red": ("Off target", "●", "The latest figure misses the target by more than the agreed tolerance."),
    "not assessed": (
        "Not assessed",
        "–",
        "There is no target, no recent figure, or the indicator has no better or worse direction.",
    ),
}


@_remembered
def target(status: str, *, palette: str = "standard") -> Status:
    """A status against a target: 'green', 'amber', 'red' or 'not assessed' (from :mod:`metrics.rag`)."""
    key = _normalise(status)
    if key not in _TARGET:
        raise ValueError(f"unknown target status {status!r}; expected one of {sorted(_TARGET)}")
    if palette not in PALETTES:
        raise ValueError(f"unknown palette {palette!r}; expected one of {PALETTES}")
    background = (colours.TARGET_STANDARD if palette == "standard" else colours.TARGET_COLOUR_BLIND)[key]
    words, icon, meaning = _TARGET[key]
    return _status("target", key, words, icon, background, meaning)


# --- Comparison with a benchmark -----------------------------------------------------------------------

_BENCHMARK = {
    "better": (
        "Better than {b}",
        "✓",
        colours.FINGERTIPS_BETTER,
        "Significantly better than {b}: {b}'s value lies outside this area's 95% confidence interval.",
    ),
    "similar": (
        "Similar to {b}",
        "=",
        colours.FINGERTIPS_SIMILAR,
        "Not significantly different from {b}: {b}'s value lies inside this area's 95% confidence interval.",
    ),
    "worse": (
        "Worse than {b}",
        "✗",
        colours.FINGERTIPS_WORSE,
        "Significantly worse than {b}: {b}'s value lies outside this area's 95% confidence interval.",
    ),
    "higher": (
        "Higher than {b}",
        "↑",
        colours.FINGERTIPS_HIGHER,
        "Significantly higher than {b}, for an indicator where higher is neither better nor worse.",
    ),
    "lower": (
        "Lower than {b}",
        "↓",
        colours.FINGERTIPS_LOWER,
        "Significantly lower than {b}, for an indicator where lower is neither better nor worse.",
    ),
    "not compared": (
        "Not compared",
        "–",
        colours.FINGERTIPS_NOT_COMPARED,
        (
            "No comparison can be made, for example because there is no confidence interval or no {b} value "
            "for the same period."
        ),
    ),
}


@_remembered
def benchmark(comparison: str, *, against: str = "England") -> Status:
    """A comparison with a benchmark: 'better', 'similar', 'worse', 'higher', 'lower' or 'not compared'
    (from :mod:`metrics.compare`; Fingertips' published words such as 'Better' are accepted too)."""
    key = _normalise(comparison)
    if key not in _BENCHMARK:
        raise ValueError(f"unknown benchmark comparison {comparison!r}; expected one of {sorted(_BENCHMARK)}")
    words, icon, background, meaning = _BENCHMARK[key]
    return _status("benchmark", key, words.format(b=against), icon, background, meaning.format(b=against))


# --- Statistical process control (Making Data Count) ----------------------------------------------------

_VARIATION = {
    "common_cause": (
        "Common cause — no significant change",
        "~",
        colours.MDC_COMMON_CAUSE,
        "Recent figures vary only as much as they usually do.",
    ),
    "improvement_high": (
        "Special cause — improving (high)",
        "↑",
        colours.MDC_IMPROVEMENT,
        "Recent figures are unusually high, and higher is better.",
    ),
    "improvement_low": (
        "Special cause — improving (low)",
        "↓",
        colours.MDC_IMPROVEMENT,
        "Recent figures are unusually low, and lower is better.",
    ),
    "concern_high": (
        "Special cause — concern (high)",
        "↑",
        colours.MDC_CONCERN,
        "Recent figures are unusually high, and lower is better.",
    ),
    "concern_low": (
        "Special cause — concern (low)",
        "↓",
        colours.MDC_CONCERN,
        "Recent figures are unusually low, and higher is better.",
    ),
    "neutral_high": (
        "Special cause — high",
        "↑",
        colours.MDC_NEUTRAL,
        "Recent figures are unusually high, for an indicator with no better or worse direction.",
    ),
    "neutral_low": (
        "Special cause — low",
        "↓",
        colours.MDC_NEUTRAL,
        "Recent figures are unusually low, for an indicator with no better or worse direction.",
    ),
}

_ASSURANCE = {
    "consistent_pass": (
        "Consistently passing the target",
        "P",
        colours.MDC_IMPROVEMENT,
        (
            "The figures' normal range of variation is all on the right side of the target: it will be met "
            "consistently."
        ),
    ),
    "consistent_fail": (
        "Consistently failing the target",
        "F",
        colours.MDC_CONCERN,
        (
            "The figures' normal range of variation is all on the wrong side of the target: it will not be "
            "met "
            "without a change."
        ),
    ),
    "inconsistent": (
        "Hit and miss",
        "?",
        colours.MDC_COMMON_CAUSE,
        (
            "The target is within the figures' normal range of variation: it will sometimes be met and "
            "sometimes missed."
        ),
    ),
    "none": (
        "No target to assure",
        "–",
        colours.FINGERTIPS_NOT_COMPARED,
        "There is no target, so there is nothing to assure against.",
    ),
}

SPC_POINT_COLOURS = {
    "common_cause": colours.MDC_COMMON_CAUSE,
    "special_cause_improvement": colours.MDC_IMPROVEMENT,
    "special_cause_concern": colours.MDC_CONCERN,
    "special_cause_neutral_high": colours.MDC_NEUTRAL,
    "special_cause_neutral_low": colours.MDC_NEUTRAL,
}
"""Colours of SPC chart points by point type (:mod:`metrics.spc`); the target line is ``MDC_TARGET``."""


@_remembered
def variation(icon_name: str) -> Status:
    """The SPC variation icon of the latest point (``SpcResult.variation`` in :mod:`metrics.spc`)."""
    key = _normalise(icon_name).replace(" ", "_")
    if key not in _VARIATION:
        raise ValueError(f"unknown SPC variation {icon_name!r}; expected one of {sorted(_VARIATION)}")
    return _status("variation", key, *_VARIATION[key])


@_remembered
def assurance(icon_name: str | None) -> Status:
    """The SPC assurance icon (``SpcResult.assurance``): None means there was no target."""
    key = "none" if icon_name is None else _normalise(icon_name).replace(" ", "_")
    if key not in _ASSURANCE:
        raise ValueError(f"unknown SPC assurance {icon_name!r}; expected one of {sorted(_ASSURANCE)} or None")
    return _status("assurance", key, *_ASSURANCE[key])


# --- Recent trend (Fingertips trend markers) -------------------------------------------------------------

_TREND = {
    "increasing and getting better": ("↑", colours.FINGERTIPS_BETTER),
    "decreasing and getting better": ("↓", colours.FINGERTIPS_BETTER),
    "increasing and getting worse": ("↑", colours.FINGERTIPS_WORSE),
    "decreasing and getting worse": ("↓", colours.FINGERTIPS_WORSE),
    "increasing": ("↑", colours.FINGERTIPS_HIGHER),
    "decreasing": ("↓", colours.FINGERTIPS_LOWER),
    "no significant change": ("→", colours.FINGERTIPS_SIMILAR),
    "cannot be calculated": ("–", colours.FINGERTIPS_NOT_COMPARED),
}

_TREND_MEANING = {
    "increasing and getting better": "The latest five figures show a significant rise, and higher is better.",
    "decreasing and getting better": "The latest five figures show a significant fall, and lower is better.",
    "increasing and getting worse": "The latest five figures show a significant rise, and lower is better.",
    "decreasing and getting worse": "The latest five figures show a significant fall, and higher is better.",
    "increasing": "The latest five figures show a significant rise, for an indicator with no better or worse "
    "direction.",
    "decreasing": "The latest five figures show a significant fall, for an indicator with no better or worse "
    "direction.",
    "no significant change": "The latest five figures show no significant rise or fall.",
    "cannot be calculated": "There are too few figures, or the data are not suitable, to test for a trend.",
}


@_remembered
def trend(label: str) -> Status:
    """A recent-trend marker (``TrendResult.label`` in :mod:`metrics.trend`)."""
    key = _normalise(label)
    if key not in _TREND:
        raise ValueError(f"unknown trend {label!r}; expected one of {sorted(_TREND)}")
    icon, background = _TREND[key]
    return _status("trend", key, key[:1].upper() + key[1:], icon, background, _TREND_MEANING[key])


# --- Rendering -----------------------------------------------------------------------------------------


def too_few_for_spc(points: int) -> str:
    """What every page says when there are too few figures for an SPC judgement
    (:data:`metrics.spc.MIN_POINTS`): "Too few figures for a process chart (3 of at least 5)."."""
    return f"Too few figures for a process chart ({points} of at least {spc.MIN_POINTS})."


def status_tag(status: Status, *, small: bool = False, **attributes) -> html.Strong:
    """The tag for ``status``: icon (hidden from screen readers) then words. Tags are not links. A ``small``
    tag sits beside a figure it qualifies (the East of England comparison under England's)."""
    return element(
        html.Strong,
        [element(html.Span, status.icon, className="status-tag__icon", **_HIDDEN), status.words],
        className=f"{status.css_class} status-tag--small" if small else status.css_class,
        style={"backgroundColor": status.background, "color": status.text_colour},
        **attributes,
    )


_HIDDEN = extra({"aria-hidden": "true"})
"""A tag's icon is hidden from screen readers: its words say it."""


def all_statuses() -> list[Status]:
    """Every status in every palette, for legends and tests."""
    statuses = [target(key, palette=palette) for palette in PALETTES for key in _TARGET]
    statuses += [benchmark(key) for key in _BENCHMARK]
    statuses += [variation(key) for key in _VARIATION]
    statuses += [assurance(None if key == "none" else key) for key in _ASSURANCE]
    statuses += [trend(key) for key in _TREND]
    return statuses


TARGET_KEYS = tuple(_TARGET)
BENCHMARK_KEYS = tuple(_BENCHMARK)
VARIATION_KEYS = tuple(_VARIATION)
ASSURANCE_KEYS = tuple(_ASSURANCE)
TREND_KEYS = tuple(_TREND)


def _normalise(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"a status name must be text, got {name!r}")
    return " ".join(name.strip().lower().split())
