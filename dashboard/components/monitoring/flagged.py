"""Which indicators are exceptions, and why: the rule the exceptions page and the quarter view share.

An indicator is an exception when its latest figure is off target (target status red), significantly worse
than England (a comparison the dashboard computed, not a published one), or showing special-cause concern
on its process chart (SPC judged, variation concern). The reasons are written in words for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dash import html

from dashboard.components import status
from dashboard.components.summary import benchmark_reason, target_reason
from data.scorecard_row import ScorecardRow

OFF_TARGET, WORSE, CONCERN = "off target", "worse than England", "special-cause concern"


@dataclass(frozen=True)
class Flagged:
    """An indicator that needs an explanation at the meeting, with each reason it was flagged."""

    row: ScorecardRow
    reasons: tuple[tuple[str, str], ...]
    """(kind, words) pairs: kind is OFF_TARGET, WORSE or CONCERN; words say why in a sentence."""


def is_concern(row: ScorecardRow) -> bool:
    """True when the process chart shows special-cause variation in the wrong direction."""
    return row.spc_judged and str(row.spc_variation or "").startswith("concern")


def _reasons(row: ScorecardRow) -> tuple[tuple[str, str], ...]:
    reasons: list[tuple[str, str]] = []
    if not row.has_data:
        return ()
    if row.target_status == "red":
        reasons.append((OFF_TARGET, f"Off target: {target_reason(row)}"))
    if row.benchmark == "worse" and row.benchmark_source != "published":
        reasons.append((WORSE, f"Significantly worse than England: {benchmark_reason(row)}"))
    if is_concern(row):
        variation = status.variation(str(row.spc_variation))
        reasons.append((CONCERN, f"{variation.words}: {variation.meaning}"))
    return tuple(reasons)


def flagged(rows: Iterable[ScorecardRow]) -> list[Flagged]:
    """The exceptions among ``rows``, in the rows' order (catalogue order)."""
    found = []
    for row in rows:
        reasons = _reasons(row)
        if reasons:
            found.append(Flagged(row, reasons))
    return found


def status_tags(row: ScorecardRow, palette: str = "standard") -> list:
    """The row's statuses as tags (words, shape and colour): target, England, process chart."""
    tags = [
        status.status_tag(status.target(row.target_status, palette=palette)),
        status.status_tag(status.benchmark(row.benchmark)),
    ]
    if row.spc_judged and row.spc_variation:
        tags.append(status.status_tag(status.variation(row.spc_variation)))
    return [html.Span(tags, className="app-monitor__tags")]
