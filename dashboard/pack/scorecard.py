"""The pack's scorecard: each indicator's figure and judgements written as the scorecard page writes them,
grouped by the framework's domains (or groups of high-impact areas) and outcomes, with counts by status.

The rows come from :func:`dashboard.data_access.scorecard_rows` (every judgement is made there, once); the
words are the page's own (:mod:`dashboard.components.scorecard_table`, :mod:`dashboard.components.status`,
:mod:`dashboard.components.summary`). Runs in the dashboard app's context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dashboard.components import status
from dashboard.components.scorecard_filters import DOMAIN_LEVEL, domain_heading, framework_groups
from dashboard.components.scorecard_table import benchmark_why, headline, headline_sentence, trend_note
from dashboard.components.summary import target_reason
from dashboard.formatting import format_value
from data.scorecard_row import ScorecardRow
from metrics import spc

LEVEL_NAMES = DOMAIN_LEVEL


@dataclass(frozen=True)
class StatusCount:
    """How many indicators have one status: "3 ● Off target"."""

    status: status.Status
    count: int


@dataclass(frozen=True)
class PackRow:
    """One scorecard row as the scorecard page writes it."""

    row: ScorecardRow
    value: str
    """ "12.9%" (the figure alone, as the page's "Latest figure" cell shows it)."""
    period: str
    target: str
    target_status: status.Status
    target_why: str
    benchmark: status.Status
    benchmark_why: str
    trend: status.Status
    trend_why: str
    spc: status.Status | None
    spc_why: str


@dataclass(frozen=True)
class Outcome:
    """An outcome (or high-impact area) heading and its rows."""

    heading: str
    rows: tuple[PackRow, ...]


@dataclass(frozen=True)
class Domain:
    """A domain (or group of high-impact areas) with its counts by status and its rows."""

    heading: str
    anchor: str
    sentence: str
    target_counts: tuple[StatusCount, ...]
    benchmark_counts: tuple[StatusCount, ...]
    outcomes: tuple[Outcome, ...]

    @property
    def indicators(self) -> int:
        return len({r.row.indicator_code for o in self.outcomes for r in o.rows})


def pack_row(row: ScorecardRow) -> PackRow:
    """The row's figure and judgements, written exactly as the scorecard page writes them."""
    spc_status = None
    spc_why = ""
    if row.spc_judged and row.spc_variation:
        spc_status = status.variation(row.spc_variation)
        if row.spc_assurance:
            spc_why = status.assurance(row.spc_assurance).words
        if row.spc_trial_limits:
            spc_why = (spc_why + ". " if spc_why else "") + (
                f"Trial limits: {row.spc_points} figures, fewer than {spc.TRIAL_BELOW}."
            )
    else:
        spc_why = status.too_few_for_spc(row.spc_points)
    return PackRow(
        row=row,
        value=format_value(row.value, row.unit, row.value_type),
        period=f"in {row.period_label}" if row.period_label else "",
        target=(
            "No target"
            if row.target is None
            else format_value(row.target, row.unit, row.value_type, trim=True)
            + (" (illustrative)" if row.target_illustrative else "")
        ),
        target_status=status.target(row.target_status),
        target_why=target_reason(row),
        benchmark=status.benchmark(row.benchmark),
        benchmark_why=benchmark_why(row),
        trend=status.trend(row.trend),
        trend_why=trend_note(row) or "",
        spc=spc_status,
        spc_why=spc_why,
    )


def _count(
    rows: Sequence[ScorecardRow], keys: Sequence[str], make: Callable[[str], status.Status], attr: str
) -> tuple[StatusCount, ...]:
    """How many of ``rows`` (each indicator once) have each of ``keys`` in ``attr``."""
    unique = {r.indicator_code: r for r in rows}.values()
    return tuple(StatusCount(make(key), sum(1 for r in unique if getattr(r, attr) == key)) for key in keys)


def target_counts(rows: Sequence[ScorecardRow]) -> tuple[StatusCount, ...]:
    """Indicators by target status: on, near, off target and not assessed (each counted once)."""
    return _count(rows, status.TARGET_KEYS, status.target, "target_status")


def benchmark_counts(rows: Sequence[ScorecardRow]) -> tuple[StatusCount, ...]:
    """Indicators with a figure by comparison with England (only the comparisons that occur)."""
    counts = _count([r for r in rows if r.has_data], status.BENCHMARK_KEYS, status.benchmark, "benchmark")
    return tuple(c for c in counts if c.count)


def domains(framework: str, records: dict[str, ScorecardRow], area_name: str) -> tuple[Domain, ...]:
    """The framework's domains with ``records`` (the area's scorecard rows by indicator) in their outcomes."""
    domains = []
    for domain, outcomes in framework_groups(framework):
        code, title = domain.code, domain.title
        parts = []
        domain_rows: list[ScorecardRow] = []
        for outcome, codes in outcomes:
            outcome_code, outcome_title = outcome.code, outcome.title
            rows = [records[c] for c in codes if c in records]
            domain_rows += rows
            heading = f"{outcome_code} {outcome_title[:1].upper()}{outcome_title[1:]}"
            parts.append(Outcome(heading, tuple(pack_row(r) for r in rows)))
        domains.append(
            Domain(
                heading=domain_heading(framework, code, title),
                anchor=f"domain-{code}",
                sentence=headline_sentence(headline(domain_rows), area_name),
                target_counts=target_counts(domain_rows),
                benchmark_counts=benchmark_counts(domain_rows),
                outcomes=tuple(parts),
            )
        )
    return tuple(domains)
