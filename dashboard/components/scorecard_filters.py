"""The scorecard's filters: what the reader can choose (from the data), the view a link asks for, the form.

The view lives in the URL (``area``, ``framework``, ``as_at``, ``since``, ``palette``, and the list's
filters and order: ``show``, ``domain``, ``q``, ``sort``), so a link reproduces it. Unknown names and values
fall back to the defaults and are listed so the page can say what it ignored.
"As at" and "since" offer the period ends in the local data; "since" also offers the previous quarter and a
year earlier, counted back from the latest reported quarter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

import pandas as pd
from dash import dcc, html

from dashboard import data_access, formatting, routes, urlstate
from dashboard.cache import cache
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.elements import element
from dashboard.components.scorecard_table import Node
from data.areas import AREA_GROUPS, ENGLAND, home
from data.periods import financial_quarter_label
from data.scorecard_views import DEFAULT_SORT, MAX_SEARCH, SORTS, Domain, RowFilters

DEFAULT_AREA = home().default_area
DEFAULT_FRAMEWORK = "cyp-outcomes"
SHOW = {
    "off-target": "Only off target",
    "near-target": "Only near target",
    "on-target": "Only on target",
    "worse": "Only significantly worse than England",
    "concern": "Only special-cause concern (SPC)",
    "changed": "Only those changed since the date under \u201cShow changes since\u201d",
}
"""The "Show" choices (``show=`` in the link) besides every indicator."""
SHOW_TARGET = {"off-target": "red", "near-target": "amber", "on-target": "green"}
"""The "Show" choices that pick a status against target, with the status."""
LIST_FILTERS = ("show", "domain", "q", "sort")
"""The settings that narrow or order the list of indicators."""
FILTERS = ("area", "framework", "as_at", "since", "palette", *LIST_FILTERS)
FILTER_ORDER = [
    pair.split("=")[0] for pair in urlstate.build({name: "x" for name in FILTERS}).lstrip("?").split("&")
]
"""The filters in the order :mod:`dashboard.urlstate` writes them, so the browser writes the same link
(``assets/scorecard.js`` reads them from the form's ``data-order``)."""


# --- What the reader can choose -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the filters offer, from the data."""

    areas: list[tuple[str, str]]
    """(code, label) of each home area, in the usual order (the home areas together only with data)."""
    frameworks: list[tuple[str, str]]
    dates: list[tuple[str, str]]
    """(ISO date, label) of each period end in the local data, newest first."""
    names: dict[str, str]
    parents: dict[str, str]
    quarter_ends: frozenset[dt.date] = frozenset()
    """Ends of the quarters reported in the local data (the provider's quarterly returns)."""
    other_areas: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """Every other English area in the store as (group label, ((code, name), ...)), grouped by type."""

    domains: dict[str, tuple[tuple[str, str], ...]] = dataclasses.field(default_factory=dict)
    """Each framework's domains (or groups) as (code, heading), in the framework's order."""

    @property
    def allowed(self) -> dict[str, Collection[str]]:
        dates = {iso for iso, _ in self.dates}
        others = {code for _, group in self.other_areas for code, _ in group}
        return {
            "area": {code for code, _ in self.areas} | others,
            "framework": {code for code, _ in self.frameworks},
            "as_at": dates,
            "since": dates | {PREVIOUS_QUARTER, PREVIOUS_YEAR},
            "palette": set(status.PALETTES),
            "show": set(SHOW),
            "domain": {code for domains in self.domains.values() for code, _ in domains},
            "q": SearchText(),
            "sort": set(SORTS),
        }


class SearchText(Collection[str]):
    """Any text up to :data:`data.scorecard_views.MAX_SEARCH` characters: what the name search allows in a
    link (:func:`dashboard.urlstate.parse` keeps a value only when it is ``in`` the allowed values)."""

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and 0 < len(value) <= MAX_SEARCH

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def choices() -> Choices:
    """What the filters offer, from the (cached) data."""
    return Choices(**_choice_data())


@cache.memoize()
def _choice_data() -> dict:
    settings = home()
    areas = data_access.areas()
    ends, quarter_ends, with_data = local_dates(data_access.held_periods(settings.areas))
    names = dict(zip(areas["code"], areas["name"], strict=False))
    # Every home area, but the home areas together only where figures exist for them together.
    area_choices = [
        (code, f"{names[code]} together" if code == settings.together else names[code])
        for code in settings.areas
        if code in names and (code != settings.together or code in with_data)
    ]
    dates = [(day.isoformat(), date_label(day, quarter_ends)) for day in sorted(ends, reverse=True)]
    frameworks = data_access.frameworks()
    parents = {
        code: parent
        for code, parent in zip(areas["code"], areas["parent_code"], strict=False)
        if isinstance(parent, str) and parent
    }
    return {
        "areas": area_choices,
        "frameworks": list(zip(frameworks["code"], frameworks["short_title"], strict=False)),
        "dates": dates,
        "names": names,
        "parents": parents,
        "quarter_ends": frozenset(quarter_ends),
        "other_areas": _other_areas(areas, set(settings.areas)),
        "domains": {code: framework_domains(code) for code in frameworks["code"]},
    }


def local_dates(held: data_access.HeldPeriods) -> tuple[set[dt.date], set[dt.date], set[str]]:
    """(every period end with a figure, the ends of quarterly figures, the areas with a figure) of what
    ``held`` holds."""
    return (
        {dt.date.fromisoformat(d) for d in held.ends},
        {dt.date.fromisoformat(d) for d in held.quarter_ends},
        set(held.areas),
    )


DOMAIN_LEVEL = {"cyp-outcomes": "domain", "hcp-high-impact-areas": "group"}
"""What each framework calls its top level."""


def domain_heading(framework: str, code: str, title: str) -> str:
    """ "Domain 1: Maternity" in the outcomes framework; a high-impact area's own title."""
    return f"Domain {code}: {title}" if DOMAIN_LEVEL.get(framework, "domain") == "domain" else title


Group = tuple[Node, list[tuple[Node, list[str]]]]
"""A domain (or group) and its outcomes, each with its indicator codes in catalogue order."""


@cache.memoize()
def framework_groups(framework: str) -> list[Group]:
    """[(domain, [(outcome, [indicator codes])])] in the framework's order: the one grouping the scorecard
    page, its summary, meeting mode and the committee pack all use. Indicators linked to a domain itself come
    first, under the domain's own node; an indicator linked below an outcome is listed under that outcome;
    each list is in catalogue order."""
    nodes = data_access.framework_nodes(framework)
    links = data_access.indicator_links()
    links = links[links["framework_code"] == framework]
    order = {code: i for i, code in enumerate(data_access.catalogue()["code"])}
    parent = dict(zip(nodes["code"].astype(str), nodes["parent_code"].fillna("").astype(str), strict=True))

    def second_level(code: str) -> str:
        """The node's ancestor just under the top (the outcome), or the top node itself."""
        seen = {code}
        while parent.get(parent.get(code, "")) and parent[code] not in seen:
            code = parent[code]
            seen.add(code)
        return code

    by_node: dict[str, set[str]] = {}
    for node, indicator in zip(
        links["node_code"].astype(str), links["indicator_code"].astype(str), strict=True
    ):
        by_node.setdefault(second_level(node), set()).add(indicator)

    def ordered(code: str) -> list[str]:
        return sorted(by_node.get(code, ()), key=lambda c: order.get(c, len(order)))

    top = nodes[nodes["parent_code"].isna() | (nodes["parent_code"] == "")]
    groups: list[Group] = []
    for code, title in zip(top["code"].astype(str), top["title"].astype(str), strict=True):
        domain = Node(code, title)
        outcomes = [(domain, ordered(code))] if by_node.get(code) else []
        children = nodes[nodes["parent_code"].astype(str) == code]
        for child, child_title in zip(
            children["code"].astype(str), children["title"].astype(str), strict=True
        ):
            outcomes.append((Node(child, child_title), ordered(child)))
        groups.append((domain, outcomes))
    return groups


def domain_indicators(framework: str) -> list[Domain]:
    """The framework's domains (or groups) with the indicators listed under each or its outcomes, in
    catalogue order (from :func:`framework_groups`): what :func:`data.scorecard_views.summary_by_domain`
    counts."""
    order = {code: i for i, code in enumerate(data_access.catalogue()["code"])}
    return [
        Domain(
            domain.code,
            domain_heading(framework, domain.code, domain.title),
            tuple(
                sorted({c for _, codes in outcomes for c in codes}, key=lambda c: order.get(c, len(order)))
            ),
        )
        for domain, outcomes in framework_groups(framework)
    ]


def framework_domains(framework: str) -> tuple[tuple[str, str], ...]:
    """The framework's top-level nodes as (code, heading), in its order."""
    nodes = data_access.framework_nodes(framework)
    top = nodes[nodes["parent_code"].isna() | (nodes["parent_code"] == "")]
    return tuple(
        (str(code), domain_heading(framework, str(code), str(title)))
        for code, title in zip(top["code"], top["title"], strict=True)
    )


def _other_areas(areas: pd.DataFrame, home_codes: set[str]) -> tuple:
    """Every area in the store outside the home set, grouped by type (see AREA_GROUPS), by name."""
    others = areas[~areas["code"].isin(home_codes)].sort_values(["name", "code"])
    groups = []
    for label, types in AREA_GROUPS:
        rows = others[others["area_type"].isin(types)]
        if not rows.empty:
            groups.append((label, tuple(zip(rows["code"], rows["name"], strict=True))))
    return tuple(groups)


# --- The view a link asks for -------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """The view a link asks for: ``as_at`` None means the latest figures; ``since`` None means no changes."""

    area: str
    framework: str
    as_at: str | None
    since: str | None
    palette: str
    ignored: tuple[tuple[str, str], ...] = ()
    show: str | None = None
    """Which indicators only (a key of :data:`SHOW`); None: every one."""
    domain: str | None = None
    search: str = ""
    sort: str = DEFAULT_SORT

    @property
    def filtered(self) -> bool:
        """Whether the link narrows the list of indicators."""
        return bool(self.show or self.domain or self.search)

    def row_filters(self, changed: frozenset[str] | None) -> RowFilters:
        """The list's filters; ``changed`` holds the indicators changed since ``since`` (used only when the
        "changed" box is ticked)."""
        return RowFilters(
            target_status=SHOW_TARGET.get(self.show or ""),
            worse_than_england=self.show == "worse",
            concern=self.show == "concern",
            changed=(changed or frozenset()) if self.show == "changed" else None,
            domain=self.domain,
            search=self.search,
        )

    def link(self, **changes: str | None) -> dict[str, str | None]:
        """The view's settings as link filters, with ``changes`` applied (None removes one)."""
        filters: dict[str, str | None] = {
            "area": self.area,
            "framework": self.framework,
            "as_at": self.as_at,
            "since": self.since,
            "palette": None if self.palette == "standard" else self.palette,
            "show": self.show,
            "domain": self.domain,
            "q": self.search or None,
            "sort": None if self.sort == DEFAULT_SORT else self.sort,
        }
        if filters["area"] == home().default_area:
            filters["area"] = None
        if filters["framework"] == DEFAULT_FRAMEWORK:
            filters["framework"] = None
        return {**filters, **changes}


def read_view(query, options: Choices) -> View:
    """The view from the query string; unknown names and values fall back to the defaults (and are listed
    in ``ignored`` so the page can say so)."""
    filters = urlstate.parse(query, options.allowed)
    framework_default = (
        DEFAULT_FRAMEWORK
        if DEFAULT_FRAMEWORK in options.allowed["framework"]
        else (options.frameworks[0][0] if options.frameworks else DEFAULT_FRAMEWORK)
    )
    framework = filters.get("framework", framework_default)
    ignored = list(filters.ignored)
    domain = filters.get("domain")
    if domain and domain not in {code for code, _ in options.domains.get(framework, ())}:
        ignored.append(("domain", domain))  # a domain of the other framework
        domain = None
    return View(
        area=filters.get("area", home().default_area),
        framework=framework,
        as_at=filters.get("as_at"),
        since=filters.get("since"),
        palette=filters.get("palette", "standard"),
        ignored=tuple(ignored),
        show=filters.get("show"),
        domain=domain,
        search=" ".join(filters.get("q", "").split()),
        sort=filters.get("sort", DEFAULT_SORT),
    )


def series_for(area: str) -> pd.DataFrame:
    """The headline series a page about ``area`` shows (:func:`dashboard.data_access.series_areas`): its own,
    and those of the areas above it that hold figures, England and its region, so any English area shows its
    sparklines and nearest figures."""
    return data_access.page_series(area)


def held_anywhere(series: pd.DataFrame, as_at: dt.date | None) -> set[str]:
    """The indicators with a figure (for a period ending by ``as_at``, when given) for a home area, England,
    the home region or an area in ``series``: those for which some figures have been loaded."""
    rows = series[series["value"].notna()]
    if as_at is not None:
        rows = rows[pd.to_datetime(rows["period_end"]).dt.date <= as_at]
    held = set(rows["indicator_code"])
    settings = home()
    found = data_access.held_periods(settings.areas)  # read for the choices already
    benchmarks = tuple(code for code in (ENGLAND, settings.region) if code not in set(series["area_code"]))
    if benchmarks:
        found = found.merged(data_access.held_periods(benchmarks))
    by = None if as_at is None else as_at.isoformat()  # ISO dates sort as the dates do
    held.update(code for code, first in found.first_ends.items() if by is None or first <= by)
    return held


def latest_date(series: pd.DataFrame, area: str) -> dt.date | None:
    """The end of the most recent period with a figure for ``area``."""
    rows = series[(series["area_code"] == area) & series["value"].notna()]
    return None if rows.empty else pd.to_datetime(rows["period_end"]).max().date()


# --- Dates --------------------------------------------------------------------------------------------------

PREVIOUS_QUARTER = "previous-quarter"
PREVIOUS_YEAR = "previous-year"


def date_label(day: dt.date, quarter_ends: set[dt.date]) -> str:
    """ "30 September 2025 (end of 2025/26 Q2)" for the end of a reported quarter, else "31 March 2018"."""
    text = formatting.date(day)
    if day in quarter_ends:
        text += f" (end of {financial_quarter_label(day)})"
    return text


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last day of the calendar quarter before the one containing ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, first_month, 1) - dt.timedelta(days=1)


def a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def reporting_date(as_at: dt.date, quarter_ends: Iterable[dt.date] = ()) -> dt.date:
    """The end of the latest reported quarter on or before ``as_at`` (``as_at`` itself when no quarter is
    reported by then): what "the previous quarter" counts back from. Without it, one annual figure for a
    calendar year would make "the previous quarter" skip the latest quarterly return."""
    reported = [day for day in quarter_ends if day <= as_at]
    return max(reported) if reported else as_at


def resolve_since(
    since: str | None, as_at: dt.date | None, quarter_ends: Iterable[dt.date] = ()
) -> dt.date | None:
    """The date ``since`` stands for: an ISO date, or "previous-quarter" / "previous-year" counted back from
    the latest reported quarter on or before ``as_at`` (see :func:`reporting_date`)."""
    if not since or as_at is None:
        return None
    return since_date(since, as_at, quarter_ends)


def since_date(since: str, as_at: dt.date, quarter_ends: Iterable[dt.date] = ()) -> dt.date:
    """:func:`resolve_since` for a ``since`` and an ``as_at`` that are both given."""
    if since == PREVIOUS_QUARTER:
        return previous_quarter_end(reporting_date(as_at, quarter_ends))
    if since == PREVIOUS_YEAR:
        return a_year_before(reporting_date(as_at, quarter_ends))
    return dt.date.fromisoformat(since)


# --- Filters ------------------------------------------------------------------------------------------------


def _option(value: str, text: str, selected: str | None) -> html.Option:
    """One choice of a select (the area select has one per English area: built quickly)."""
    return element(html.Option, text, value=value, selected=value == (selected or ""))


def _select(
    name: str, label: str, options: list, selected: str | None, *, default: str = "", hint: str | None = None
) -> html.Div:
    """A labelled GOV.UK-style select; ``hint`` is the id of text that describes it."""
    field_id = f"scorecard-{name.replace('_', '-')}"
    children: list = [html.Label(label, htmlFor=field_id, className="app-label")]
    items: list[html.Optgroup | html.Option] = []
    for entry in options:
        if isinstance(entry[1], list):  # (group label, [(value, text)])
            items.append(html.Optgroup([_option(v, t, selected) for v, t in entry[1]], label=entry[0]))
        else:
            items.append(_option(entry[0], entry[1], selected))
    children.append(
        html.Select(
            items,
            id=field_id,
            name=name,
            className="app-select",
            **extra({"data-default": default, **({"aria-describedby": hint} if hint else {})}),
        )
    )
    return html.Div(children, className="app-form-group app-scorecard-filters__item")


def _area_options(options: Choices) -> list:
    """The home councils, then the home districts, then every other area grouped by type."""
    councils = [(c, t) for c, t in options.areas if not c.startswith("E07")]
    districts = [(c, t) for c, t in options.areas if c.startswith("E07")]
    grouped: list = [("Councils", councils)] if councils else []
    if districts:
        county = options.names.get(home().default_area, "")
        grouped.append((f"{county} districts" if county else "Districts", districts))
    return grouped + [(label, list(group)) for label, group in options.other_areas]


def _quarter_end(day: dt.date) -> str:
    """ "31 March 2025 (end of 2024/25 Q4)": the previous quarter and a year earlier are quarter ends."""
    return f"{formatting.date(day)} (end of {financial_quarter_label(day)})"


def filter_form(view: View, options: Choices, as_at_day: dt.date | None) -> html.Form:
    """The filters. "Show changes since" counts back from the provider's latest quarter on or before the
    figures shown (the date the heading gives for provider returns), and names each date as that heading
    does."""
    as_at_options = [("", "Latest figures"), *options.dates]
    since_options: list = [("", "Do not show changes")]
    if as_at_day is not None:
        since_options += [
            (code, f"{words}: {_quarter_end(since_date(code, as_at_day, options.quarter_ends))}")
            for code, words in (
                (PREVIOUS_QUARTER, "The provider's previous quarter"),
                (PREVIOUS_YEAR, "A year before the provider's latest quarter"),
            )
        ]
        earlier = [
            (iso, text)
            for iso, text in options.dates
            if dt.date.fromisoformat(iso) < as_at_day or iso == view.since
        ]  # keep the one in the link
        if earlier:
            since_options.append(("Or a date", earlier))
    elif view.since:
        since_options.append((view.since, view.since))
    palettes = [
        ("standard", "Red, amber and green"),
        ("colour-blind", "Colour-blind safe: blue, orange and grey"),
    ]
    return html.Form(
        [
            html.H2("Choose what to show", className="app-visually-hidden"),
            html.Div(
                [
                    _select("area", "Area", _area_options(options), view.area, default=home().default_area),
                    _select(
                        "framework",
                        "Framework",
                        options.frameworks,
                        view.framework,
                        default=DEFAULT_FRAMEWORK,
                    ),
                    _select("as_at", "Figures as at", as_at_options, view.as_at or ""),
                    _select(
                        "since",
                        "Show changes since",
                        since_options,
                        view.since or "",
                        hint="scorecard-filters-hint",
                    ),
                    _select("palette", "Target status colours", palettes, view.palette, default="standard"),
                ],
                className="app-scorecard-filters__row",
            ),
            html.P(
                "The page changes as soon as you choose. To see what has changed since the last committee, "
                "choose the date its figures ran to.",
                id="scorecard-filters-hint",
                className="app-hint",
            ),
            _list_filters(view, options),
        ],
        id="scorecard-filters",
        method="get",
        action=routes.href(routes.SCORECARD),
        className="app-scorecard-filters",
        role="search",
        **extra({"aria-label": "Scorecard filters", "data-order": ",".join(FILTER_ORDER)}),
    )


def _list_filters(view: View, options: Choices) -> html.Div:
    """Which indicators to list and in what order: only those of one status, a domain, a name search, an
    order."""
    domains = [("", "Every domain"), *options.domains.get(view.framework, ())]
    level = DOMAIN_LEVEL.get(view.framework, "domain")
    return html.Div(
        [
            _select("show", "Show", [("", "Every indicator"), *SHOW.items()], view.show or ""),
            _select("domain", level.capitalize(), domains, view.domain or ""),
            html.Div(
                [
                    html.Label("Indicator name contains", htmlFor="scorecard-q", className="app-label"),
                    dcc.Input(
                        type="search",
                        id="scorecard-q",
                        name="q",
                        value=view.search,
                        maxLength=MAX_SEARCH,
                        debounce=True,
                        className="app-input",
                        autoComplete="off",
                    ),
                ],
                className="app-form-group app-scorecard-filters__item",
            ),
            _select("sort", "Order", list(SORTS.items()), view.sort, default=DEFAULT_SORT),
        ],
        className="app-scorecard-filters__row app-scorecard-filters__row--list",
    )
