"""The pack's charts as images: the pages' Plotly figures drawn by Kaleido in a headless Chromium.

Kaleido 1.x drives a Chrome or Chromium it finds on the machine; ``BROWSER_PATH`` names one, and this
module points it at Debian's ``/usr/bin/chromium`` when that is installed and nothing else is named. One
browser is started for the whole pack (:func:`chart_renderer`) rather than one per chart.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 900, 430
"""Pixels: about the width of an A4 page's text at the chart's 16 px type."""


class ChartsUnavailable(RuntimeError):
    """No Chrome or Chromium could be started to draw the charts."""


def _browser() -> None:
    if not os.environ.get("BROWSER_PATH") and DEBIAN_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(DEBIAN_CHROMIUM)


def image(figure, fmt: str, *, width: int = WIDTH, height: int = HEIGHT, scale: float = 1) -> bytes:
    """``figure`` as SVG or PNG bytes (``fmt`` "svg" or "png"), with the dashboard's chart template."""
    import plotly.io as pio

    _browser()
    try:
        with warnings.catch_warnings():
            # Plotly passes Kaleido options that a running browser (chart_renderer) does not need.
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            return pio.to_image(figure, format=fmt, width=width, height=height, scale=scale)
    except Exception as error:  # Kaleido raises its own errors, and RuntimeError, when Chrome will not start
        raise ChartsUnavailable(
            "The charts could not be drawn: Kaleido needs Chrome or Chromium (on Debian, "
            "'apt-get install chromium', or name one in BROWSER_PATH). " + str(error).splitlines()[0]
        ) from error


@contextmanager
def chart_renderer() -> Iterator[None]:
    """Keep one browser running while the pack's charts are drawn."""
    import kaleido

    _browser()
    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
