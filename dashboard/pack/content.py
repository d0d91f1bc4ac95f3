"""What a committee pack says: read once, through the same functions and methods as the pages.

:func:`assemble` reads, for each chosen area, the scorecard records
(:func:`dashboard.data_access.scorecard_rows`), the framework's domains, the exceptions
(:func:`dashboard.components.monitoring.flagged.flagged`, the rule the exceptions page uses) with their
commentary and remedial actions, what changed since an earlier date
(:func:`dashboard.components.scorecard_changes.find_changes`), and the payment position priced as the
payment page prices it. Every figure and status is written by the pages' own formatting functions, so the
pack and the screen can never disagree. It must run inside the dashboard app's context (the CLI opens one).

The PDF (:mod:`dashboard.pack.pdf`) and the slides (:mod:`dashboard.pack.slides`) only lay this out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard import data_access, formatting
from dashboard.components import status
from dashboard.components.charts.chart import Chart
from dashboard.components.monitoring.flagged import flagged
from dashboard.components.scorecard_changes import Change, changes_sentence, find_changes
from dashboard.components.scorecard_filters import (
    DEFAULT_FRAMEWORK,
    PREVIOUS_QUARTER,
    choices,
    framework_groups,
    latest_date,
    series_for,
    since_date,
)
from dashboard.components.scorecard_table import headline, headline_sentence
from dashboard.pack.payment import PaymentPosition, payment_position
from dashboard.pack.scorecard import (
    LEVEL_NAMES,
    Domain,
    PackRow,
    StatusCount,
    domains,
    pack_row,
    target_counts,
)
from data.areas import home
from data.scorecard_row import ScorecardRow
from metrics import spc

OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    """No progress reporting."""


# --- The records the pack lays out -------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A commentary entry or a remedial action, in words."""

    heading: str
    text: str


@dataclass
class ExceptionPage:
    """An indicator that needs an explanation: its statuses, reasons, chart and what the monitoring workflow
    holds for it. ``chart`` is the indicator page's trend chart (:class:`dashboard.components.charts.chart.
    Chart`), or None when there is no figure to draw."""

    row: PackRow
    reasons: tuple[str, ...]
    commentary: tuple[Note, ...]
    actions: tuple[Note, ...]
    chart: Chart | None = None
    anchor: str = ""
    image: str | None = None
    """The chart as an image for the PDF (a data URI), once drawn."""


@dataclass(frozen=True)
class ChangeLine:
    """One indicator that changed between the two dates, in words."""

    short_name: str
    what: str
    before: str
    after: str


@dataclass
class AreaPack:
    """Everything the pack says about one area."""

    code: str
    name: str
    as_at: dt.date | None
    since: dt.date | None
    headline: str
    counts: tuple[StatusCount, ...]
    domains: tuple[Domain, ...]
    exceptions: list[ExceptionPage]
    changes: tuple[ChangeLine, ...]
    changes_sentence: str
    payment: PaymentPosition | None
    illustrative: bool

    @property
    def as_at_text(self) -> str:
        return f"figures to {formatting.date(self.as_at)}" if self.as_at else "no figures yet"


@dataclass(frozen=True)
class Definition:
    """An indicator's definition and source, for the definitions section."""

    short_name: str
    name: str
    definition: str
    polarity: str
    unit: str
    source: str


@dataclass
class Pack:
    """A committee pack: the areas, the framework, the date, and the reference sections."""

    framework_code: str
    framework: str
    level: str
    made: dt.datetime
    areas: list[AreaPack]
    definitions: tuple[Definition, ...]
    statuses: tuple[status.Status, ...]
    methods: tuple[str, ...]
    sources: tuple[str, ...]
    licence: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        names = " and ".join(a.name for a in self.areas)
        return f"Healthy Child Programme committee pack: {names}"


# --- Reading it -------------------------------------------------------------------------------------------


def _notes(area: str, period: str, code: str, today: dt.date) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    """The commentary and remedial actions recorded for the indicator's figure, as the exceptions page
    reads them."""
    commentary = tuple(
        Note(
            f"{data_access.COMMENTARY_KINDS.get(c.kind, c.kind)}, {c.author}, "
            f"{formatting.date(c.written_at.date())}",
            c.text,
        )
        for c in data_access.monitoring_commentary(area, (period,))
        if c.indicator_code == code
    )
    actions = tuple(
        Note(
            f"{a.what} (owner {a.owner}; due {formatting.date(a.due_date)}; {a.status})",
            a.history[-1].note if a.history and a.history[-1].note else "",
        )
        for a in data_access.monitoring_actions(area, (period,), today.isoformat())
        if a.indicator_code == code
    )
    return commentary, actions


def _exception_chart(code: str, area: str, row: ScorecardRow, as_at: dt.date | None):
    """The indicator page's trend chart for the area, with the figures up to ``as_at`` and the scorecard
    record for that date."""
    from dashboard.indicator.context import build_context
    from dashboard.indicator.over_time import trend_figures

    ctx = build_context(code, {"area": area})
    if ctx is None:
        return None
    series = ctx.series
    if as_at is not None:
        series = series[pd.to_datetime(series["period_end"]).dt.date <= as_at]
    return trend_figures(dataclasses.replace(ctx, series=series, row=row))


def _changes(
    area: str, rows: Sequence[ScorecardRow], codes: Sequence[str], since: dt.date | None
) -> list[Change]:
    if since is None:
        return []
    before = data_access.scorecard_rows(area, since.isoformat())
    return find_changes(before, rows, list(dict.fromkeys(codes)))


def _change_lines(changes: list[Change]) -> tuple[ChangeLine, ...]:
    lines = []
    for change in changes:
        if change.new:
            lines.append(ChangeLine(change.short_name, "First figure", "No figure", change.after or ""))
        for what, before, after in change.changes:
            lines.append(
                ChangeLine(
                    change.short_name, what, f"{before.icon} {before.words}", f"{after.icon} {after.words}"
                )
            )
    return tuple(lines)


def default_since(
    as_at: dt.date | None, quarter_ends: frozenset[dt.date], stored: dt.date | None
) -> dt.date | None:
    """The date "what changed" counts from: the previous pack's date when one is stored (and earlier than
    ``as_at``), else the end of the quarter before the latest reported one."""
    if as_at is None:
        return None
    if stored is not None and stored < as_at:
        return stored
    return since_date(PREVIOUS_QUARTER, as_at, quarter_ends)


def _area_pack(
    area: str,
    framework: str,
    as_at: str | None,
    since: dt.date | None,
    stored_since: dt.date | None,
    today: dt.date,
    progress: Progress,
) -> AreaPack:
    options = choices()
    name = options.names.get(area, area)
    progress(f"Reading the scorecard for {name}")
    series = series_for(area)
    as_at_day = dt.date.fromisoformat(as_at) if as_at else latest_date(series, area)
    rows = data_access.scorecard_rows(area, as_at)
    groups = framework_groups(framework)
    codes = [c for _, outcomes in groups for _, in_outcome in outcomes for c in in_outcome]
    records = {r.indicator_code: r for r in rows if r.indicator_code in set(codes)}
    in_framework = list(records.values())
    overall = headline(in_framework)
    since_day = since if since is not None else default_since(as_at_day, options.quarter_ends, stored_since)
    if since_day is not None and as_at_day is not None and since_day >= as_at_day:
        since_day = None
    changes = _changes(area, rows, codes, since_day)
    exceptions = []
    for item in flagged(in_framework):
        row = item.row
        commentary, actions = _notes(area, row.period_label or "", row.indicator_code, today)
        exceptions.append(
            ExceptionPage(
                row=pack_row(row),
                reasons=tuple(words for _, words in item.reasons),
                commentary=commentary,
                actions=actions,
                anchor=f"exception-{area}-{row.indicator_code}",
            )
        )
    return AreaPack(
        code=area,
        name=name,
        as_at=as_at_day,
        since=since_day,
        headline=headline_sentence(overall, name),
        counts=target_counts(in_framework),
        domains=domains(framework, records, name),
        exceptions=exceptions,
        changes=_change_lines(changes),
        changes_sentence=(
            changes_sentence(changes, since_day, as_at_day)
            if since_day is not None and as_at_day is not None
            else "There is no earlier date to compare with."
        ),
        payment=payment_position(area, as_at_day),
        illustrative=any(r.illustrative for r in in_framework),
    )


def _definitions(areas: Sequence[AreaPack]) -> tuple[Definition, ...]:
    seen: dict[str, Definition] = {}
    for area in areas:
        for domain in area.domains:
            for outcome in domain.outcomes:
                for shown in outcome.rows:
                    r = shown.row
                    seen.setdefault(
                        r.indicator_code,
                        Definition(
                            r.short_name,
                            r.name,
                            r.definition,
                            {
                                "higher_is_better": "Higher is better",
                                "lower_is_better": "Lower is better",
                            }.get(r.polarity, "Neither higher nor lower is better"),
                            r.unit,
                            r.source,
                        ),
                    )
    return tuple(seen.values())


METHODS = (
    "Each indicator's latest figure for the area is judged three ways, exactly as on the dashboard's "
    "scorecard. Against target: whether the figure meets the target agreed for its period, and by how much; "
    "a figure short of the target but within the agreed tolerance is near target.",
    "Compared with England: whether England's figure lies outside this area's 95% confidence interval "
    "(significantly better or worse) or inside it (similar), the method OHID Fingertips uses. Counts depend "
    "on the size of the place and are not compared. Where the source publishes its own comparison and gives "
    "no interval, the published comparison is shown.",
    "Recent trend: the latest five figures are tested for a significant rise or fall (a chi-squared test for "
    "trend on counts for proportions, otherwise a weighted regression), as Fingertips does.",
    "Statistical process control (SPC): an XmR chart in the NHS England Making Data Count style says whether "
    "the latest figures are unusual (special cause) and whether the target will be met reliably. It needs at "
    f"least {spc.MIN_POINTS} figures; with fewer than {spc.TRIAL_BELOW} the limits are trial limits. After a "
    "recorded process change the limits are worked out from the change on.",
    "An exception is an indicator off target, significantly worse than England, or showing special-cause "
    "concern on its process chart. Its commentary and remedial actions are those recorded for the period of "
    "its latest figure in the dashboard's contract monitoring.",
    "Indicators where a higher figure is neither better nor worse are never judged good or bad: they are "
    "higher or lower than England. Figures and targets marked illustrative are made up for demonstration.",
)


def legend() -> tuple[status.Status, ...]:
    """Every status the pack can show, in the standard palette, for the definitions section."""
    return (
        *(status.target(key) for key in status.TARGET_KEYS),
        *(status.benchmark(key) for key in status.BENCHMARK_KEYS),
        *(status.trend(key) for key in status.TREND_KEYS),
        *(status.variation(key) for key in status.VARIATION_KEYS),
        *(status.assurance(None if key == "none" else key) for key in status.ASSURANCE_KEYS),
    )


def assemble(
    areas: Sequence[str] = (),
    *,
    framework: str = DEFAULT_FRAMEWORK,
    as_at: str | None = None,
    since: dt.date | None = None,
    stored_since: dt.date | None = None,
    today: dt.date | None = None,
    charts: bool = True,
    progress: Progress = _quiet,
) -> Pack:
    """The pack for ``areas`` (default: the home area) in ``framework`` with the figures to ``as_at`` (an ISO
    date offered by the scorecard, or None for the latest). ``since`` is where "what changed" counts from
    (default: ``stored_since``, the previous pack's date, else the previous quarter). ``charts`` False
    leaves out the exception charts (for a quick check). Runs in the dashboard app's context."""
    options = choices()
    allowed = options.allowed
    codes = list(areas) or [home().default_area]
    unknown = [c for c in codes if c not in allowed["area"]]
    if unknown:
        raise ValueError(
            f"Unknown area {', '.join(unknown)}: choose one of {', '.join(sorted(allowed['area'])[:8])}, …"
        )
    if framework not in allowed["framework"]:
        raise ValueError(
            f"Unknown framework {framework!r}: choose one of {', '.join(sorted(allowed['framework']))}."
        )
    if as_at is not None and as_at not in allowed["as_at"]:
        latest = ", ".join(d for d, _ in options.dates[:3])
        raise ValueError(
            f"There are no figures ending on {as_at}: "
            + (f"choose a date the data reach, such as {latest}." if latest else "no figures are loaded yet.")
        )
    today = today or dt.date.today()
    framework_title = next((t for c, t in options.frameworks if c == framework), framework)
    area_packs = [_area_pack(a, framework, as_at, since, stored_since, today, progress) for a in codes]
    if charts:
        for area in area_packs:
            for item in area.exceptions:
                progress(f"Drawing the chart for {item.row.row.short_name}, {area.name}")
                item.chart = _exception_chart(
                    item.row.row.indicator_code, area.code, item.row.row, area.as_at
                )
    sources = sorted({d.source for d in _definitions(area_packs) if d.source})
    return Pack(
        framework_code=framework,
        framework=framework_title,
        level=LEVEL_NAMES.get(framework, "domain"),
        made=dt.datetime.now().replace(microsecond=0),
        areas=area_packs,
        definitions=_definitions(area_packs),
        statuses=legend(),
        methods=METHODS,
        sources=tuple(sources),
        licence=(
            OGL_ATTRIBUTION,
            "Figures marked illustrative (the provider's quarterly returns and their targets) are made up "
            "for "
            "demonstration: not real data and not licensed from anyone.",
            "Area names: Source: Office for National Statistics licensed under the Open Government Licence "
            "v.3.0.",
        ),
    )
