"""Sparklines: a tiny line chart of an indicator's recent figures, drawn as SVG in Python.

An inline SVG image is light (no chart library in the browser), prints sharply and needs no JavaScript. It
is an ``<img>`` with a text alternative that says what the line shows, so a screen reader hears the first
and latest figures rather than "image". The line is the area's series in dark blue with the latest point
marked; a dashed red line marks the target where there is one (Making Data Count's target colour).
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Sequence
from urllib.parse import quote

from dash import html

from dashboard import colours
from dashboard.components.elements import element

WIDTH = 120
HEIGHT = 36
PAD = 4
MAX_POINTS = 12
"""At most the last 12 figures: three years of quarters, or twelve years."""


def _finite(values: Sequence[float | None]) -> list[tuple[int, float]]:
    return [(i, float(v)) for i, v in enumerate(values) if v is not None and math.isfinite(float(v))]


def svg(
    values: Sequence[float | None], *, target: float | None = None, width: int = WIDTH, height: int = HEIGHT
) -> str:
    """SVG markup for ``values`` (oldest first; gaps allowed) scaled to fit, with ``target`` if given."""
    points = _finite(values)
    target_value = float(target) if target is not None and math.isfinite(target) else None
    scale_values = [v for _, v in points] + ([target_value] if target_value is not None else [])
    low, high = min(scale_values), max(scale_values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    span_x = max(len(values) - 1, 1)

    def x(i: int) -> float:
        return round(PAD + (width - 2 * PAD) * i / span_x, 1)

    def y(v: float) -> float:
        return round(height - PAD - (height - 2 * PAD) * (v - low) / (high - low), 1)

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">'
        )
    ]
    if target_value is not None:
        ty = y(target_value)
        parts.append(
            f'<line x1="{PAD}" y1="{ty}" x2="{width - PAD}" y2="{ty}" stroke="{colours.MDC_TARGET}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    if len(points) > 1:
        path = " ".join(f"{x(i)},{y(v)}" for i, v in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colours.DARK_BLUE}" stroke-width="2.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    if points:
        i, v = points[-1]
        parts.append(f'<circle cx="{x(i)}" cy="{y(v)}" r="3.5" fill="{colours.DARK_BLUE}"/>')
    parts.append("</svg>")
    return "".join(parts)


_ESCAPES = {
    code: f"%{code:02X}"
    for code in range(128)
    if chr(code) not in string.ascii_letters + string.digits + "_.-~"
}
"""Each ASCII character ``quote(..., safe="")`` percent-encodes, with its encoding ("<" -> "%3C")."""


def data_uri(markup: str) -> str:
    """``markup`` as a ``data:`` link, percent-encoded exactly as ``urllib.parse.quote(markup, safe="")``
    encodes it: by table when it is all ASCII, as a sparkline's markup is (quote looks at each character in
    Python, a tenth of the page's rows' time)."""
    encoded = markup.translate(_ESCAPES) if markup.isascii() else quote(markup, safe="")
    return "data:image/svg+xml;charset=utf-8," + encoded


def sparkline(
    values: Sequence[float | None],
    labels: Sequence[str],
    *,
    formatted: Sequence[str] | Callable[[float], str],
    target: float | None = None,
    target_text: str | None = None,
    **attributes,
) -> html.Img | None:
    """The sparkline image for ``values`` (oldest first) with its text alternative, or None when there are
    fewer than two figures (a single point is not a line). ``labels`` are the periods and ``formatted`` the
    values as the reader sees them ("12.9%"), or the function that writes a value so (then only the two the
    text names are written)."""
    values, labels = list(values)[-MAX_POINTS:], list(labels)[-MAX_POINTS:]
    points = _finite(values)
    if len(points) < 2:
        return None
    (first, first_value), (last, last_value) = points[0], points[-1]
    if callable(formatted):
        first_text, last_text = formatted(first_value), formatted(last_value)
    else:
        written = list(formatted)[-MAX_POINTS:]
        first_text, last_text = written[first], written[last]
    alt = (
        f"Line chart of {len(points)} figures from {labels[first]} ({first_text}) "
        f"to {labels[last]} ({last_text})"
    )
    if target_text:
        alt += f", with the target of {target_text}"
    return element(
        html.Img,
        src=data_uri(svg(values, target=target)),
        alt=alt + ".",
        width=WIDTH,
        height=HEIGHT,
        className="app-sparkline",
        **attributes,
    )
