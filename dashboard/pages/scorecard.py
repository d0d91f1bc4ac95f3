"""Scorecard, the home page: for one area, as at one date, how every indicator in a framework is doing.

Grouped by framework (CYP Outcomes Framework domains and outcomes, or the HCP high-impact areas), one table
per domain with a headline in words, and a "changed since" panel for "what is new since the last
meeting?". The view lives in the URL (``area``, ``framework``, ``as_at``, ``since``, ``palette``), so a link
reproduces it and the browser's back button returns to the previous view. Changing a filter updates the
URL; Dash's page router then rebuilds the page on the server from the cached scorecard frames.
"""

import datetime as dt
from dataclasses import dataclass

import dash
import pandas as pd
from dash import Input, Output, html

from dashboard import data_access, formatting, urlstate
from dashboard.cache import cache
from dashboard.components import scorecard_table as table
from dashboard.components import status
from dashboard.components.banner import illustrative_banner
from dashboard.components.govuk import details, inset_text
from dashboard.factory import DESCRIPTION
from dashboard.routes import page_title
from data.areas import CAMBRIDGESHIRE, CAMBRIDGESHIRE_AND_PETERBOROUGH, LOCAL_AREAS
from data.scorecard_row import to_rows

TITLE = "Scorecard"

dash.register_page(__name__, path="/", name=TITLE, title=page_title(TITLE), description=DESCRIPTION, order=0)

DEFAULT_AREA = CAMBRIDGESHIRE
DEFAULT_FRAMEWORK = "cyp-outcomes"
FILTERS = ("area", "framework", "as_at", "since", "palette")
FILTER_ORDER = [
    pair.split("=")[0] for pair in urlstate.build({name: "x" for name in FILTERS}).lstrip("?").split("&")
]
"""The filters in the order :mod:`dashboard.urlstate` writes them, so the browser writes the same link."""
TOGETHER = "Cambridgeshire and Peterborough together"
LEVEL_NAMES = {"cyp-outcomes": "domain", "hcp-high-impact-areas": "group"}


# --- What the reader can choose ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the filters offer, from the data."""

    areas: list[tuple[str, str]]
    """(code, label) of each local area, in the usual order (the two councils together only with data)."""
    frameworks: list[tuple[str, str]]
    dates: list[tuple[str, str]]
    """(ISO date, label) of each period end in the local data, newest first."""
    names: dict[str, str]
    parents: dict[str, str]
    quarter_ends: frozenset[dt.date] = frozenset()
    """Ends of the quarters reported in the local data (the provider's quarterly returns)."""

    @property
    def allowed(self) -> dict[str, set[str]]:
        dates = {iso for iso, _ in self.dates}
        return {
            "area": {code for code, _ in self.areas},
            "framework": {code for code, _ in self.frameworks},
            "as_at": dates,
            "since": dates | {table.PREVIOUS_QUARTER, table.PREVIOUS_YEAR},
            "palette": set(status.PALETTES),
        }


def choices() -> Choices:
    """What the filters offer, from the (cached) data."""
    return Choices(**_choice_data())


@cache.memoize()
def _choice_data() -> dict:
    areas = data_access.areas()
    series = data_access.local_series()
    local = series[series["area_code"].isin(LOCAL_AREAS) & series["value"].notna()]
    with_data = set(local["area_code"])
    names = dict(zip(areas["code"], areas["name"], strict=False))
    # Every local area, but the two councils together only where figures exist for them together.
    area_choices = [
        (code, TOGETHER if code == CAMBRIDGESHIRE_AND_PETERBOROUGH else names.get(code, code))
        for code in LOCAL_AREAS
        if code in names and (code != CAMBRIDGESHIRE_AND_PETERBOROUGH or code in with_data)
    ]
    ends = pd.to_datetime(local["period_end"]).dt.date
    quarter_ends = set(ends[local["granularity"] == "quarter"])
    dates = [
        (day.isoformat(), table.date_label(day, quarter_ends)) for day in sorted(set(ends), reverse=True)
    ]
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
    }


# --- The view a link asks for ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """The view a link asks for: ``as_at`` None means the latest figures; ``since`` None means no changes."""

    area: str
    framework: str
    as_at: str | None
    since: str | None
    palette: str
    ignored: tuple[tuple[str, str], ...] = ()


def read_view(query, options: Choices) -> View:
    """The view from the query string; unknown names and values fall back to the defaults (and are listed
    in ``ignored`` so the page can say so)."""
    filters = urlstate.parse(query, options.allowed)
    framework_default = (
        DEFAULT_FRAMEWORK
        if DEFAULT_FRAMEWORK in options.allowed["framework"]
        else (options.frameworks[0][0] if options.frameworks else DEFAULT_FRAMEWORK)
    )
    return View(
        area=filters.get("area", DEFAULT_AREA),
        framework=filters.get("framework", framework_default),
        as_at=filters.get("as_at"),
        since=filters.get("since"),
        palette=filters.get("palette", "standard"),
        ignored=filters.ignored,
    )


def latest_date(series: pd.DataFrame, area: str) -> dt.date | None:
    """The end of the most recent period with a figure for ``area``."""
    rows = series[(series["area_code"] == area) & series["value"].notna()]
    return None if rows.empty else pd.to_datetime(rows["period_end"]).max().date()


# --- Building the page ------------------------------------------------------------------------------------------


def layout(**query) -> html.Div:
    try:
        options = choices()
    except data_access.DataUnavailable:
        return html.Div(
            [html.H1(TITLE, className="app-heading-xl"), _data_unavailable()],
            className="app-page app-page--scorecard",
        )
    view = read_view(query, options)
    try:
        return html.Div(_page(view, options), className="app-page app-page--scorecard")
    except data_access.DataUnavailable:
        return html.Div(
            [html.H1(TITLE, className="app-heading-xl"), _data_unavailable()],
            className="app-page app-page--scorecard",
        )


def _page(view: View, options: Choices) -> list:
    area_name = options.names.get(view.area, view.area)
    series = data_access.local_series()
    as_at_day = dt.date.fromisoformat(view.as_at) if view.as_at else latest_date(series, view.area)
    frame = data_access.scorecard(view.area, view.as_at)
    framework = next((title for code, title in options.frameworks if code == view.framework), view.framework)
    groups = _framework_groups(view.framework)
    shown = frame[
        frame["indicator_code"].isin(
            {code for _, outcomes in groups for _, codes in outcomes for code in codes}
        )
    ]
    records = {row.indicator_code: row for row in to_rows(shown, view.area)}
    as_at_text = f"figures to {formatting.date(as_at_day)}" if as_at_day else "no figures yet"

    children: list = [
        html.H1(f"Scorecard for {area_name}", className="app-heading-xl", id="scorecard-heading"),
        html.P(
            f"Against target, against England and over time: {framework}, {as_at_text}.",
            className="app-body-l",
            id="scorecard-lead",
        ),
    ]
    if view.ignored:
        children.append(_ignored_note(view.ignored))
    if any(bool(row.get("illustrative")) for row in records.values()):
        children.append(
            illustrative_banner(
                "Rows tagged \u201cIllustrative\u201d are provider key performance indicators with made-up "
                "figures and targets: the provider's returns are not published.",
                id="scorecard-illustrative-banner",
            )
        )
    children.append(_filter_form(view, options, as_at_day))
    overall = table.headline(records.values())
    children.append(
        html.P(
            [
                html.Strong(f"{formatting.plural(overall.indicators, 'indicator')} for {area_name}: "),
                table.headline_sentence(overall, area_name),
            ],
            className="app-body app-scorecard-summary",
            id="scorecard-summary",
            role="status",
        )
    )
    if view.since:
        children.append(_changes_panel(view, options, frame, groups, as_at_day, area_name))
    children.append(_contents(view, groups))
    children.append(_how_to_read())
    children += _domain_sections(view, options, groups, records, series, as_at_day, area_name)
    children.append(html.Span(id="scorecard-live", hidden=True))
    return children


@cache.memoize()
def _framework_groups(framework: str) -> list[tuple[table.Node, list[tuple[table.Node, list[str]]]]]:
    """[(domain, [(outcome, [indicator codes in catalogue order])])] for ``framework`` (cached)."""
    nodes = data_access.framework_nodes(framework)
    links = data_access.indicator_links()
    links = links[links["framework_code"] == framework]
    order = {code: i for i, code in enumerate(data_access.catalogue()["code"])}
    by_node: dict[str, list[str]] = {}
    for link in links.itertuples(index=False):
        by_node.setdefault(link.node_code, []).append(link.indicator_code)
    top = nodes[nodes["parent_code"].isna() | (nodes["parent_code"] == "")]
    groups = []
    for domain in top.itertuples(index=False):
        outcomes = []
        direct = by_node.get(domain.code, [])
        if direct:
            outcomes.append(
                (
                    table.Node(domain.code, domain.title),
                    sorted(set(direct), key=lambda c: order.get(c, len(order))),
                )
            )
        for outcome in nodes[nodes["parent_code"] == domain.code].itertuples(index=False):
            codes = sorted(set(by_node.get(outcome.code, [])), key=lambda c: order.get(c, len(order)))
            outcomes.append((table.Node(outcome.code, outcome.title), codes))
        groups.append((table.Node(domain.code, domain.title), outcomes))
    return groups


def _domain_heading(framework: str, domain) -> tuple[str, str]:
    """(heading, id) of a domain's section: ("Domain 1: Maternity", "scorecard-domain-1")."""
    level = LEVEL_NAMES.get(framework, "domain")
    heading = f"Domain {domain.code}: {domain.title}" if level == "domain" else domain.title
    return heading, f"scorecard-{level}-{domain.code}"


def _contents(view: View, groups) -> html.Nav:
    """Links to each domain's table, for a long page."""
    links = []
    for domain, _ in groups:
        heading, section_id = _domain_heading(view.framework, domain)
        links.append(
            html.Li(html.A(heading, href=f"#{section_id}"), className="app-scorecard-contents__item")
        )
    return html.Nav(
        [
            html.H2("Contents", className="app-visually-hidden", id="scorecard-contents-heading"),
            html.Ul(links, className="app-scorecard-contents__list"),
        ],
        className="app-scorecard-contents",
        id="scorecard-contents",
        **{"aria-labelledby": "scorecard-contents-heading"},
    )


def _node_heading(node) -> str:
    title = node.title[:1].upper() + node.title[1:]
    return f"{node.code} {title}"


def _indicator_href(code: str, area: str) -> str:
    return dash.get_relative_path(f"/indicator/{code}") + urlstate.build({"area": area})


def _series_by_indicator(series: pd.DataFrame, area: str, as_at: dt.date | None) -> dict[str, table.Series]:
    rows = series[series["area_code"] == area]
    if as_at is not None:
        rows = rows[pd.to_datetime(rows["period_end"]).dt.date <= as_at]
    # headline_series returns rows ordered by indicator, area and period, oldest first.
    labels: dict[str, list] = {}
    values: dict[str, list] = {}
    for code, label, value in zip(rows["indicator_code"], rows["period_label"], rows["value"], strict=True):
        labels.setdefault(code, []).append(label)
        values.setdefault(code, []).append(None if pd.isna(value) else float(value))
    return {code: table.Series(labels=labels[code], values=values[code]) for code in labels}


def _nearest_finder(series: pd.DataFrame, options: Choices, as_at: dt.date | None, units: dict[str, tuple]):
    """A function giving the nearest area above an area (its county, region, then England) with a figure
    for an indicator, and the set of indicators any area has a figure for."""
    rows = series[series["value"].notna()]
    if as_at is not None:
        rows = rows[pd.to_datetime(rows["period_end"]).dt.date <= as_at]
    latest = rows.sort_values(["period_end", "period_start"]).groupby(["indicator_code", "area_code"]).tail(1)
    figures = {
        (r.indicator_code, r.area_code): (r.value, r.period_label) for r in latest.itertuples(index=False)
    }

    def nearest(indicator: str, area: str) -> table.Nearest | None:
        seen = {area}
        parent = options.parents.get(area)
        while parent and parent not in seen:
            seen.add(parent)
            if (indicator, parent) in figures:
                value, period = figures[(indicator, parent)]
                unit, value_type = units.get(indicator, ("", ""))
                return table.Nearest(
                    options.names.get(parent, parent),
                    f"{table.format_value(value, unit, value_type)} in {period}",
                )
            parent = options.parents.get(parent)
        return None

    return nearest, set(rows["indicator_code"])


def _domain_sections(view, options, groups, records, series, as_at_day, area_name) -> list:
    explicit = dt.date.fromisoformat(view.as_at) if view.as_at else None  # "latest" means each area's latest
    sparklines = _series_by_indicator(series, view.area, explicit)
    units = {code: (row["unit"], row["value_type"]) for code, row in records.items()}
    nearest, held = _nearest_finder(series, options, explicit, units)
    when = f"figures to {formatting.date(as_at_day)}" if as_at_day else "no figures yet"
    sections = []
    for domain, outcomes in groups:
        table_groups = []
        domain_rows = []
        for outcome, codes in outcomes:
            rows = []
            for code in codes:
                row = records.get(code)
                if row is None:
                    continue
                domain_rows.append(row)
                href = _indicator_href(code, view.area)
                if table.number(row.get("value")) is None:
                    rows.append(
                        table.no_data_row(
                            row,
                            href=href,
                            area_name=area_name,
                            nearest=nearest(code, view.area),
                            held_anywhere=code in held,
                        )
                    )
                else:
                    rows.append(
                        table.indicator_row(row, href=href, palette=view.palette, series=sparklines.get(code))
                    )
            table_groups.append((_node_heading(outcome), rows))
        heading, section_id = _domain_heading(view.framework, domain)
        sections.append(
            html.Section(
                [
                    html.H2(heading, className="app-heading-l app-scorecard-domain__heading", id=section_id),
                    html.P(
                        table.headline_sentence(table.headline(domain_rows), area_name),
                        className="app-body app-scorecard-domain__headline",
                        id=f"{section_id}-headline",
                    ),
                    table.domain_table(
                        f"{domain.title}: indicators for {area_name}, {when}",
                        table_groups,
                        id=f"{section_id}-table",
                    ),
                ],
                className="app-scorecard-domain",
                **{"aria-labelledby": section_id},
            )
        )
    return sections


# --- Filters ---------------------------------------------------------------------------------------------------


def _option(value: str, text: str, selected: str | None) -> html.Option:
    return html.Option(text, value=value, selected=value == (selected or ""))


def _select(
    name: str, label: str, options: list, selected: str | None, *, default: str = "", hint: str | None = None
) -> html.Div:
    """A labelled GOV.UK-style select; ``hint`` is the id of text that describes it."""
    field_id = f"scorecard-{name.replace('_', '-')}"
    children: list = [html.Label(label, htmlFor=field_id, className="app-label")]
    extra = {"aria-describedby": hint} if hint else {}
    items = []
    for entry in options:
        if isinstance(entry[1], list):  # (group label, [(value, text)])
            items.append(html.Optgroup([_option(v, t, selected) for v, t in entry[1]], label=entry[0]))
        else:
            items.append(_option(entry[0], entry[1], selected))
    children.append(
        html.Select(
            items, id=field_id, name=name, className="app-select", **{"data-default": default}, **extra
        )
    )
    return html.Div(children, className="app-form-group app-scorecard-filters__item")


def _area_options(options: Choices) -> list:
    councils = [(c, t) for c, t in options.areas if not c.startswith("E07")]
    districts = [(c, t) for c, t in options.areas if c.startswith("E07")]
    grouped: list = [("Councils", councils)] if councils else []
    if districts:
        grouped.append(("Cambridgeshire districts", districts))
    return grouped


def _filter_form(view: View, options: Choices, as_at_day: dt.date | None) -> html.Form:
    as_at_options = [("", "Latest figures"), *options.dates]
    since_options: list = [("", "Do not show changes")]
    if as_at_day is not None:
        since_options += [
            (code, f"{words} ({formatting.date(table.resolve_since(code, as_at_day, options.quarter_ends))})")
            for code, words in (
                (table.PREVIOUS_QUARTER, "Previous quarter"),
                (table.PREVIOUS_YEAR, "A year earlier"),
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
                    _select("area", "Area", _area_options(options), view.area, default=DEFAULT_AREA),
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
        ],
        id="scorecard-filters",
        method="get",
        action=dash.get_relative_path("/"),
        className="app-scorecard-filters",
        role="search",
        **{"aria-label": "Scorecard filters"},
    )


# --- Changed since -------------------------------------------------------------------------------------------------


def _change_item(what: str, before: status.Status, after: status.Status) -> html.Li:
    """ "Against target: moved from ▲ Near target to ✓ On target" (the icons are hidden from screen readers)."""
    return html.Li(
        [f"{what}: moved from ", status.status_tag(before), " to ", status.status_tag(after)],
        className="app-scorecard-change",
    )


def _change_row(change: table.Change, area: str, area_name: str) -> html.Tr:
    if change.new:
        what = [html.P(f"First figure for {area_name}: {change.after}.", className="app-scorecard-change")]
    else:
        what = [
            html.Ul(
                [_change_item(*item) for item in change.changes],
                className="app-list app-list--plain app-scorecard-changes__list",
            )
        ]
        if change.before and change.after and change.before != change.after:
            what.append(
                html.Span(f"Now {change.after}; was {change.before}.", className="app-scorecard__why")
            )
    return html.Tr(
        [
            html.Th(
                html.A(change.short_name, href=_indicator_href(change.indicator_code, area)),
                scope="row",
                className="app-table__cell app-table__cell--row-header",
            ),
            html.Td(what, className="app-table__cell"),
        ],
        className="app-table__row",
        **{"data-indicator": change.indicator_code},
    )


def changes_sentence(changes: list[table.Change], since: dt.date, as_at: dt.date) -> str:
    """ "2 indicators changed status and 1 has its first figure between the figures to … and …"."""
    moved = sum(not c.new for c in changes)
    first = sum(c.new for c in changes)
    between = f"between the figures to {formatting.date(since)} and the figures to {formatting.date(as_at)}"
    if not changes:
        return (
            f"No indicator changed its target status, comparison with England or statistical process control "
            f"{between}."
        )
    parts = []
    if moved:
        parts.append(f"{formatting.plural(moved, 'indicator')} changed status")
    if first:
        parts.append(
            f"{formatting.plural(first, 'indicator')} {'has its' if first == 1 else 'have their'} "
            "first figure"
        )
    return f"{' and '.join(parts)} {between}."


def _changes_panel(
    view: View, options: Choices, frame: pd.DataFrame, groups: list, as_at_day: dt.date | None, area_name: str
) -> html.Section:
    since_day = table.resolve_since(view.since, as_at_day, options.quarter_ends)
    heading_id = "scorecard-changes-heading"
    if since_day is None or as_at_day is None or since_day >= as_at_day:
        parts: list = [
            html.H2("What has changed", className="app-heading-m", id=heading_id),
            html.P(
                "Choose a date earlier than the figures shown to see what has changed since then."
                if as_at_day
                else f"There are no figures for {area_name} to compare.",
                className="app-body",
                id="scorecard-changes-count",
            ),
        ]
    else:
        before = data_access.scorecard(view.area, since_day.isoformat())
        codes = [code for _, outcomes in groups for _, cs in outcomes for code in cs]
        changes = table.find_changes(before, frame, list(dict.fromkeys(codes)), view.palette)
        parts = [
            html.H2(
                f"What has changed since {formatting.date(since_day)}",
                className="app-heading-m",
                id=heading_id,
            ),
            html.P(
                changes_sentence(changes, since_day, as_at_day),
                className="app-body",
                id="scorecard-changes-count",
            ),
        ]
        if changes:
            parts.append(
                html.Table(
                    [
                        html.Caption(
                            f"Changes for {area_name} since {formatting.date(since_day)}",
                            className="app-table__caption app-scorecard__caption",
                        ),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th("Indicator", scope="col", className="app-table__header"),
                                    html.Th("What changed", scope="col", className="app-table__header"),
                                ],
                                className="app-table__row",
                            ),
                            className="app-table__head",
                        ),
                        html.Tbody(
                            [_change_row(change, view.area, area_name) for change in changes],
                            className="app-table__body",
                        ),
                    ],
                    className="app-table app-scorecard-changes__table",
                    id="scorecard-changes-table",
                )
            )
    return html.Section(
        parts, className="app-scorecard-changes", id="scorecard-changes", **{"aria-labelledby": heading_id}
    )


# --- Small pieces --------------------------------------------------------------------------------------------------


def _how_to_read() -> html.Details:
    return details(
        "How to read this scorecard",
        [
            html.P(
                "Each row shows an indicator's latest figure for the area, then three judgements. Against "
                "target: whether the figure meets the target agreed for it, and by how much. Compared with "
                "England: whether England's figure lies outside this area's 95% confidence interval "
                "(\u201csignificantly\u201d better or worse) or inside it (similar). Over time: the recent "
                "trend tests the latest five figures for a significant rise or fall, and statistical process "
                "control (SPC) says whether the latest figures are unusual and whether the target will be met "
                "reliably.",
                className="app-body",
            ),
            html.P(
                f"Process charts need at least {table.MIN_SPC_POINTS} figures; with fewer than 12 the limits "
                "are trial limits. Indicators where a higher figure is neither better nor worse are shown in "
                "blues, never red or green. The small line chart shows up to the last 12 figures, with a "
                "dashed red line at the target.",
                className="app-body",
            ),
            html.P(
                html.A("What every status means", href=dash.get_relative_path("/about") + "#statuses"),
                className="app-body",
            ),
        ],
        id="scorecard-how-to-read",
    )


def _ignored_note(ignored: tuple[tuple[str, str], ...]) -> html.Div:
    described = "; ".join(f"{name} \u201c{value}\u201d" for name, value in ignored)
    return inset_text(
        html.P(
            f"This link included settings the scorecard does not recognise ({described}), so it shows the "
            "usual choices instead.",
            className="app-body",
            id="scorecard-ignored",
        )
    )


def _data_unavailable() -> html.Div:
    return html.Div(
        [
            html.H2("The figures could not be loaded", className="app-heading-m app-error-summary__title"),
            html.P(
                "The dashboard could not read its data store, so it cannot show the scorecard. Try again in a "
                "few minutes. If this keeps happening, tell the person who looks after the dashboard.",
                className="app-body",
            ),
        ],
        className="app-error-summary",
        role="alert",
        id="scorecard-data-unavailable",
    )


# --- In the browser: changing a filter updates the link, and the page follows it ------------------------------------

dash.clientside_callback(
    """
    function (formId) {
        const form = document.getElementById(formId);
        if (!form) { return window.dash_clientside.no_update; }
        const wanted = window.__scorecardFocus;
        if (wanted && (document.activeElement === document.body || !document.activeElement)) {
            const field = document.getElementById(wanted);
            if (field) { field.focus(); }
        }
        if (form.dataset.live === 'true') { return window.dash_clientside.no_update; }
        form.dataset.live = 'true';
        const order = __ORDER__;
        const update = () => {
            const params = [];
            for (const name of order) {
                const field = form.elements.namedItem(name);
                if (field && field.value && field.value !== (field.dataset.default || '')) {
                    params.push(encodeURIComponent(name) + '=' + encodeURIComponent(field.value));
                }
            }
            const search = params.length ? '?' + params.join('&') : '';
            window.__scorecardFocus = document.activeElement ? document.activeElement.id : null;
            if (search === window.location.search) { return; }
            window.history.pushState({}, '', window.location.pathname + search);
            window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        };
        form.addEventListener('change', update);
        form.addEventListener('submit', (event) => { event.preventDefault(); update(); });
        return window.dash_clientside.no_update;
    }
    """.replace("__ORDER__", str(FILTER_ORDER).replace("'", '"')),
    Output("scorecard-live", "children"),
    Input("scorecard-filters", "id"),
)
