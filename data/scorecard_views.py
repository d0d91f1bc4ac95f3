"""Views of the scorecard a committee reads: which indicators to show, in what order, and what they add up to.

Pure functions on the typed scorecard records (:class:`data.scorecard.ScorecardRow`), so the scorecard page,
the summary page, the areas table and the committee pack filter, sort and count in exactly one way:

* :func:`filter_rows` keeps the indicators a reader asked for: only off target (or near, or on), only
  significantly worse
  than England, only special-cause concern, only those changed since a date, one domain, a name search;
* :func:`sort_rows` orders them by domain order (the framework's own order), status severity or name;
* :func:`summary_by_domain` counts each domain's indicators by status (the one-screen summary and the pack);
* :func:`figures_to` says which sources the figures run to ("provider returns to 30 September 2025;
  published national figures to 31 March 2025"), rather than one date that covers neither.

Every judgement (target status, England comparison, SPC variation) is made once, in
:func:`data.scorecard.scorecard`; this module only selects and counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from data.scorecard_row import ScorecardRow

SORTS = {"domain": "Domain order", "status": "Status, most serious first", "name": "Name, A to Z"}
"""The orders a reader can choose, with their words; the first is the default."""
DEFAULT_SORT = "domain"
MAX_SEARCH = 100
"""The longest name search a link may carry (longer text is ignored, as an unknown setting is)."""

TARGET_SEVERITY = {"red": 0, "amber": 1, "green": 2, "not assessed": 3}
"""Target statuses from most to least serious: off target, near target, on target, not assessed."""
TARGET_ORDER = tuple(TARGET_SEVERITY)
TARGET_WORDS = {
    "red": "off target",
    "amber": "near target",
    "green": "on target",
    "not assessed": "not assessed",
}
BENCHMARK_ORDER = ("worse", "similar", "better", "lower", "higher", "not compared")


# --- Status tests: the one definition of each filter -------------------------------------------------------


def is_worse_than_england(row: ScorecardRow) -> bool:
    """Significantly worse than England by the comparison the scorecard shows (computed or as published)."""
    return row.has_data and row.benchmark == "worse"


def is_special_cause_concern(row: ScorecardRow) -> bool:
    """SPC shows special-cause variation of concern (a judged chart only: enough figures for one)."""
    return row.has_data and row.spc_judged and str(row.spc_variation or "").startswith("concern")


# --- Filtering ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowFilters:
    """What a reader asked to see. Every filter left at its default keeps every indicator; set filters must
    all hold (a row is kept only when it passes each one)."""

    target_status: str | None = None
    """Only this status against target ('red' off target, 'amber' near, 'green' on); None: any."""
    worse_than_england: bool = False
    concern: bool = False
    changed: frozenset[str] | None = None
    """The indicators that changed status or got a first figure since the chosen date; None: no filter."""
    domain: str | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list."""
        return bool(
            self.target_status
            or self.worse_than_england
            or self.concern
            or self.changed is not None
            or self.domain
            or self.search.strip()
        )

    def describe(self, domain_title: str | None = None, since: str | None = None) -> list[str]:
        """The filters in words, in the order the page offers them: ["off target", "in Domain 1: …",
        "named like “smoking”"]. ``domain_title`` and ``since`` are the words for the domain and the date."""
        words = []
        if self.target_status:
            words.append(TARGET_WORDS.get(self.target_status, self.target_status))
        if self.worse_than_england:
            words.append("significantly worse than England")
        if self.concern:
            words.append("special-cause concern")
        if self.changed is not None:
            words.append(f"changed since {since}" if since else "changed since the chosen date")
        if self.domain:
            words.append(f"in {domain_title or self.domain}")
        if self.search.strip():
            words.append(f"with \u201c{self.search.strip()}\u201d in the name")
        return words


def matches_search(row: ScorecardRow, search: str) -> bool:
    """Whether every word of ``search`` appears in the indicator's name, short name or code (any case)."""
    haystack = f"{row.name} {row.short_name} {row.indicator_code}".casefold()
    return all(word in haystack for word in search.casefold().split())


def filter_rows(
    rows: Iterable[ScorecardRow],
    filters: RowFilters,
    domains: Mapping[str, Collection[str]] | None = None,
) -> list[ScorecardRow]:
    """The rows that pass every filter, in the order given. ``domains`` maps each indicator code to the
    domains it is listed under (an indicator may serve two); with a domain filter, an indicator under none
    is left out."""
    domains = domains or {}
    kept = []
    for row in rows:
        if filters.target_status and not (row.has_data and row.target_status == filters.target_status):
            continue
        if filters.worse_than_england and not is_worse_than_england(row):
            continue
        if filters.concern and not is_special_cause_concern(row):
            continue
        if filters.changed is not None and row.indicator_code not in filters.changed:
            continue
        if filters.domain and filters.domain not in domains.get(row.indicator_code, ()):
            continue
        if filters.search.strip() and not matches_search(row, filters.search):
            continue
        kept.append(row)
    return kept


# --- Sorting ------------------------------------------------------------------------------------------------


def severity(row: ScorecardRow) -> tuple[int, int, int, int]:
    """How serious a row is, smallest first: off target, then near target, on target, not assessed; within
    each, significantly worse than England first, then special-cause concern, then rows with a figure."""
    least = len(TARGET_SEVERITY)
    return (
        TARGET_SEVERITY.get(row.target_status, least) if row.has_data else least,
        0 if is_worse_than_england(row) else 1,
        0 if is_special_cause_concern(row) else 1,
        0 if row.has_data else 1,
    )


def sort_rows(
    rows: Iterable[ScorecardRow], by: str, order: Mapping[str, int] | None = None
) -> list[ScorecardRow]:
    """``rows`` in the order a reader chose (:data:`SORTS`). ``order`` is each indicator's place in the
    framework (domain order, the default); status and name ties keep that order."""
    if by not in SORTS:
        raise ValueError(f"unknown order {by!r}; expected one of {sorted(SORTS)}")
    order = order or {}
    keyed = [(row, (order.get(row.indicator_code, len(order)), i)) for i, row in enumerate(rows)]
    if by == "status":
        keyed.sort(key=lambda item: (severity(item[0]), item[1]))
    elif by == "name":
        keyed.sort(key=lambda item: (item[0].short_name.casefold(), item[1]))
    else:
        keyed.sort(key=lambda item: item[1])
    return [row for row, _ in keyed]


# --- Counting: the one-screen summary -----------------------------------------------------------------------


@dataclass(frozen=True)
class Domain:
    """A framework domain (or group of high-impact areas) and the indicators listed under it, in order."""

    code: str
    title: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class DomainCounts:
    """One domain's indicators counted by status. ``target`` and ``benchmark`` count indicators with a
    figure by their status key (every key of :data:`TARGET_ORDER` and :data:`BENCHMARK_ORDER` present, zero
    when none); an indicator listed twice in a domain counts once."""

    code: str
    title: str
    indicators: int
    with_data: int
    target: dict[str, int] = field(default_factory=dict)
    benchmark: dict[str, int] = field(default_factory=dict)
    concern: int = 0
    improving: int = 0
    worsening: int = 0

    @property
    def no_data(self) -> int:
        return self.indicators - self.with_data


def count_rows(code: str, title: str, rows: Iterable[ScorecardRow]) -> DomainCounts:
    """The counts for one set of rows (a domain, or a whole framework)."""
    unique = list({row.indicator_code: row for row in rows}.values())
    with_data = [row for row in unique if row.has_data]
    target = {key: 0 for key in TARGET_ORDER}
    benchmark = {key: 0 for key in BENCHMARK_ORDER}
    for row in with_data:
        target[row.target_status if row.target_status in target else "not assessed"] += 1
        benchmark[row.benchmark if row.benchmark in benchmark else "not compared"] += 1
    return DomainCounts(
        code=code,
        title=title,
        indicators=len(unique),
        with_data=len(with_data),
        target=target,
        benchmark=benchmark,
        concern=sum(is_special_cause_concern(row) for row in with_data),
        improving=sum(row.improving for row in with_data),
        worsening=sum(row.worsening for row in with_data),
    )


def summary_by_domain(rows: Iterable[ScorecardRow], domains: Sequence[Domain]) -> list[DomainCounts]:
    """Each domain's counts by status, in the framework's order (for the summary page and the pack)."""
    by_code = {row.indicator_code: row for row in rows}
    return [
        count_rows(domain.code, domain.title, (by_code[c] for c in domain.indicators if c in by_code))
        for domain in domains
    ]


def framework_total(rows: Iterable[ScorecardRow], domains: Sequence[Domain], title: str) -> DomainCounts:
    """The counts over every indicator of the framework (each once, however many domains list it)."""
    wanted = {code for domain in domains for code in domain.indicators}
    return count_rows("all", title, (row for row in rows if row.indicator_code in wanted))


# --- Which sources the figures run to -----------------------------------------------------------------------


@dataclass(frozen=True)
class FiguresTo:
    """The end of the latest period with a figure, for the provider's returns and for published figures."""

    provider: dt.date | None
    published: dt.date | None

    @property
    def latest(self) -> dt.date | None:
        """The later of the two (what "as at the latest figures" reaches)."""
        dates = [day for day in (self.provider, self.published) if day is not None]
        return max(dates) if dates else None

    def words(self, date_text) -> str:
        """ "provider returns to 30 September 2025; published national figures to 31 March 2025", with
        ``date_text`` writing each date."""
        parts = []
        if self.provider is not None:
            parts.append(f"provider returns to {date_text(self.provider)}")
        if self.published is not None:
            parts.append(f"published national figures to {date_text(self.published)}")
        return "; ".join(parts) if parts else "no figures yet"


def figures_to(rows: Iterable[ScorecardRow], provider_codes: Collection[str]) -> FiguresTo:
    """The latest period end among the rows' latest figures, separately for the provider's return
    indicators (``provider_codes``) and the published ones."""
    provider: list[dt.date] = []
    published: list[dt.date] = []
    for row in rows:
        if row.has_data and row.period_end is not None:
            (provider if row.indicator_code in provider_codes else published).append(row.period_end)
    return FiguresTo(max(provider, default=None), max(published, default=None))
