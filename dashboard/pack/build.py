"""Build the committee pack: what ``kpi report`` and the dashboard's button both call.

:func:`build` assembles the pack (:mod:`dashboard.pack.content`) inside the dashboard app's context, keeps
one browser running while its charts are drawn, and writes the PDF and/or the slide deck. It remembers the
date of the figures each pack showed (in ``instance/packs.json``, or the file named by ``KPI_PACK_LOG``), so
the next pack for the same areas and framework says what has changed since the last one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dashboard import formatting
from dashboard.pack.charts import chart_renderer
from dashboard.pack.content import assemble
from dashboard.sessions import INSTANCE_FOLDER

PACK_LOG_VARIABLE = "KPI_PACK_LOG"
_ONE_AT_A_TIME = threading.Lock()
"""One pack is built at a time in a process: they share one browser for the charts."""


@dataclass(frozen=True)
class Request:
    """What a pack is for: areas (empty for the home area), framework, figures to a date (None for the
    latest) and "what changed" since a date (None for the previous pack's date, else the previous
    quarter)."""

    areas: tuple[str, ...] = ()
    framework: str = "cyp-outcomes"
    as_at: str | None = None
    since: dt.date | None = None


@dataclass(frozen=True)
class Built:
    """What was written: the PDF's page count, the slide titles, and how long it took."""

    pages: int | None
    slide_titles: tuple[str, ...]
    seconds: float
    exceptions: int


def pack_log() -> Path:
    """The file remembering each pack's date."""
    return Path(os.environ.get(PACK_LOG_VARIABLE) or INSTANCE_FOLDER / "packs.json")


def _key(areas: Sequence[str], framework: str) -> str:
    return f"{framework}:{','.join(areas)}"


def previous_pack_date(areas: Sequence[str], framework: str) -> dt.date | None:
    """The date of the figures the previous pack for these areas and framework showed, if one is stored."""
    try:
        stored = json.loads(pack_log().read_text(encoding="utf-8"))
        return dt.date.fromisoformat(stored[_key(areas, framework)])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(areas: Sequence[str], framework: str, as_at: dt.date | None) -> None:
    if as_at is None:
        return
    path = pack_log()
    try:
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        stored = {}
    previous = stored.get(_key(areas, framework))
    if previous and previous >= as_at.isoformat():
        return  # a pack of older figures does not move the date back
    stored[_key(areas, framework)] = as_at.isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=1, sort_keys=True), encoding="utf-8")


def since_basis(request: Request, stored: dt.date | None, since: dt.date | None) -> str:
    """Where the "what changed" date came from, in words."""
    if since is None:
        return "no earlier date"
    if request.since is not None:
        return f"the figures to {formatting.date(since)}, as asked"
    if stored is not None and stored == since:
        return f"the previous pack, of the figures to {formatting.date(since)}"
    return f"the figures to {formatting.date(since)}, the end of the previous quarter"


def build(
    request: Request,
    *,
    pdf: Path | None = None,
    pptx: Path | None = None,
    progress: Callable[[str], None] = lambda _m: None,
    remember: bool = True,
) -> Built:
    """Build the pack for ``request`` and write it to ``pdf`` and/or ``pptx``. Runs in the dashboard app's
    context. Raises ValueError, with the words to show, for an area, framework or date the data do not
    offer."""
    from dashboard.components.scorecard_filters import DEFAULT_AREA

    started = time.perf_counter()
    areas = request.areas or (DEFAULT_AREA,)
    stored = previous_pack_date(areas, request.framework)
    if not _ONE_AT_A_TIME.acquire(blocking=False):
        progress("Waiting for another pack to finish")
        _ONE_AT_A_TIME.acquire()
    try:
        return _build(
            request, areas, stored, started, pdf=pdf, pptx=pptx, progress=progress, remember=remember
        )
    finally:
        _ONE_AT_A_TIME.release()


def _build(
    request: Request,
    areas: Sequence[str],
    stored: dt.date | None,
    started: float,
    *,
    pdf: Path | None,
    pptx: Path | None,
    progress: Callable[[str], None],
    remember: bool,
) -> Built:
    with chart_renderer():
        pack = assemble(
            areas,
            framework=request.framework,
            as_at=request.as_at,
            since=request.since,
            stored_since=stored,
            progress=progress,
        )
        basis = since_basis(request, stored, pack.areas[0].since)
        pages = None
        titles: list[str] = []
        if pdf is not None:
            from dashboard.pack.pdf import write_pdf

            pages = write_pdf(pack, pdf, since_basis=basis, progress=progress)
        if pptx is not None:
            from dashboard.pack.slides import write_pptx

            progress("Making the slides")
            titles = write_pptx(pack, pptx, progress=progress)
    if remember:
        _remember(areas, request.framework, pack.areas[0].as_at)
    return Built(
        pages,
        tuple(titles),
        time.perf_counter() - started,
        sum(len(a.exceptions) for a in pack.areas),
    )
