"""Scorecard, the home page: for one area, as at one date, how every indicator in a framework is doing.

Grouped by framework (CYP Outcomes Framework domains and outcomes, or the HCP high-impact areas), one table
per domain with a headline in words, and a "changed since" panel for "what is new since the last
meeting?". The view lives in the URL (``area``, ``framework``, ``as_at``, ``since``, ``palette``), so a link
reproduces it and the browser's back button returns to the previous view. Changing a filter updates the
URL (``assets/scorecard.js``); Dash's page router then rebuilds the page on the server from the cached
scorecard records.
"""

import datetime as dt
from collections.abc import Mapping

import dash
import pandas as pd
from dash import ClientsideFunction, Input, Output, html

from dashboard import data_access, formatting, routes, table_downloads
from dashboard.cache import cache
from dashboard.components import scorecard_table as table
from dashboard.components.attributes import extra
from dashboard.components.govuk import details
from dashboard.components.notices import data_unavailable, ignored_settings, illustrative_banner
from dashboard.components.scorecard_changes import changes_panel, find_changes
from dashboard.components.scorecard_filters import (
    PREVIOUS_QUARTER,
    Choices,
    Group,
    View,
    choices,
    domain_heading,
    filter_form,
    framework_groups,
    held_anywhere,
    latest_date,
    read_view,
    resolve_since,
    series_for,
)
from dashboard.factory import DESCRIPTION
from dashboard.pack.scorecard import pack_row
from data import scorecard_views as views
from data.scorecard import ScorecardRow
from metrics import spc

TITLE = routes.TITLES[routes.SCORECARD]
LEVEL_NAMES = {"cyp-outcomes": "domain", "hcp-high-impact-areas": "group"}
NOT_IN_A_FRAMEWORK = table.Node("not-in-a-framework", "Not in a framework")
"""The group, after a framework's own, of indicators loaded from an export that no framework node serves
yet (data/importers/new_indicators.py); an administrator maps them on the indicator catalogue page."""
UNMAPPED_TITLE = "Added from an import; not yet mapped to an outcome"

dash.register_page(
    __name__,
    path=routes.SCORECARD,
    name=TITLE,
    title=routes.page_title(TITLE),
    description=DESCRIPTION,
    order=0,
)

# --- Building the page --------------------------------------------------------------------------------------


def layout(**query: str) -> html.Div:
    try:
        options = choices()
        children = _page(read_view(query, options), options)
    except data_access.DataUnavailable:
        children = [
            html.H1(TITLE, className="app-heading-xl"),
            data_unavailable("show the scorecard", id="scorecard-data-unavailable"),
        ]
    return html.Div(children, className="app-page app-page--scorecard")


def _page(view: View, options: Choices) -> list:
    area_name = options.names.get(view.area, view.area)
    series = series_for(view.area)
    as_at_day = dt.date.fromisoformat(view.as_at) if view.as_at else latest_date(series, view.area)
    rows = data_access.scorecard_rows(view.area, view.as_at)
    framework = next((title for code, title in options.frameworks if code == view.framework), view.framework)
    groups = _framework_groups(view.framework)
    codes = [code for _, outcomes in groups for _, in_outcome in outcomes for code in in_outcome]
    records = {row.indicator_code: row for row in rows if row.indicator_code in set(codes)}
    figures = views.figures_to(records.values(), set(data_access.provider_indicator_codes()))
    as_at_text = (
        f"figures to {formatting.date(as_at_day)}"
        if view.as_at and as_at_day
        else figures.words(formatting.date)
    )

    children: list = [
        html.H1(f"Scorecard for {area_name}", className="app-heading-xl", id="scorecard-heading"),
        html.P(
            f"Against target, against England and over time: {framework}; {as_at_text}.",
            className="app-body-l",
            id="scorecard-lead",
        ),
        _meeting_link(view, area_name),
    ]
    if view.ignored:
        children.append(
            ignored_settings(
                view.ignored,
                page="scorecard",
                outcome="so it shows the usual choices instead",
                id="scorecard-ignored",
            )
        )
    if any(row.illustrative for row in records.values()):
        children.append(
            illustrative_banner(
                "Rows tagged \u201cIllustrative\u201d are provider key performance indicators with made-up "
                "figures and targets: the provider's returns are not published.",
                id="scorecard-illustrative-banner",
            )
        )
    children.append(filter_form(view, options, as_at_day))
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
        children.append(changes_panel(view, options, rows, codes, as_at_day, area_name))
    shown = _shown(view, options, groups, records, rows, codes, as_at_day)
    children.append(shown_sentence(view, options, len(shown), len(records), as_at_day))
    children.append(
        table_downloads.download_links(
            DOWNLOAD,
            view.link(),
            f"these {formatting.plural(len(shown), 'indicator')}",
            "scorecard-downloads",
        )
    )
    if view.sort == views.DEFAULT_SORT:
        kept = [(domain, outcomes) for domain, outcomes in groups if _any_shown(outcomes, shown, view)]
        children.append(_contents(view, kept))
        children.append(_how_to_read())
        children += _domain_sections(view, options, kept, records, series, as_at_text, area_name, shown)
    else:
        children.append(_how_to_read())
        children.append(_sorted_section(view, options, shown, series, area_name, as_at_text))
    children.append(html.Span(id="scorecard-live", hidden=True))
    return children


def _shown(view: View, options: Choices, groups, records, rows, codes, as_at_day) -> list[ScorecardRow]:
    """The records the view's filters keep, in the order it asks for."""
    in_domain: dict[str, set[str]] = {}
    for domain, outcomes in groups:
        for _, in_outcome in outcomes:
            for code in in_outcome:
                in_domain.setdefault(code, set()).add(domain.code)
    changed: frozenset[str] | None = None
    if view.show == "changed":
        since_day = resolve_since(view.since or PREVIOUS_QUARTER, as_at_day, options.quarter_ends)
        changed = frozenset()
        if since_day is not None and as_at_day is not None and since_day < as_at_day:
            before = data_access.scorecard_rows(view.area, since_day.isoformat())
            changed = frozenset(c.indicator_code for c in find_changes(before, rows, list(records)))
    ordered = [records[code] for code in dict.fromkeys(codes) if code in records]
    kept = views.filter_rows(ordered, view.row_filters(changed), in_domain)
    place = {code: i for i, code in enumerate(dict.fromkeys(codes))}
    return views.sort_rows(kept, view.sort, place)


def _any_shown(outcomes, shown: list[ScorecardRow], view: View) -> bool:
    if not view.filtered:
        return True
    wanted = {row.indicator_code for row in shown}
    return any(code in wanted for _, codes in outcomes for code in codes)


def shown_sentence(view: View, options: Choices, shown: int, total: int, as_at_day: dt.date | None) -> html.P:
    """ "Showing 3 of 42 indicators: off target; in Domain 3: …. Clear filters" (every indicator: no link)."""
    domain_title = dict(options.domains.get(view.framework, ())).get(view.domain or "")
    since_day = resolve_since(view.since or PREVIOUS_QUARTER, as_at_day, options.quarter_ends)
    since_text = formatting.date(since_day) if since_day else None
    words = view.row_filters(frozenset()).describe(domain_title, since_text)
    order = (
        ""
        if view.sort == views.DEFAULT_SORT
        else f", by {views.SORTS[view.sort][:1].lower()}{views.SORTS[view.sort][1:]}"
    )
    if not words:
        return html.P(
            f"Showing all {formatting.plural(total, 'indicator')}{order}.",
            className="app-body app-scorecard-shown",
            id="scorecard-shown",
        )
    clear = routes.href(routes.SCORECARD, view.link(show=None, domain=None, q=None))
    return html.P(
        [
            html.Strong(f"Showing {shown:,} of {formatting.plural(total, 'indicator')}"),
            f": only those {'; '.join(words)}{order}. ",
            html.A("Clear filters", href=clear, id="scorecard-clear-filters"),
        ],
        className="app-body app-scorecard-shown",
        id="scorecard-shown",
        role="status",
    )


def _sorted_section(view: View, options: Choices, shown, series, area_name: str, when: str) -> html.Section:
    """Every indicator shown in one table, in the order chosen (status or name) rather than by domain."""
    explicit = dt.date.fromisoformat(view.as_at) if view.as_at else None
    sparklines = _series_by_indicator(series, view.area, explicit)
    units = {row.indicator_code: (row.unit, row.value_type) for row in shown}
    nearest, is_held = _nearest_finder(series, options, view.area, explicit, units)
    rows = []
    for row in shown:
        href = routes.indicator_href(row.indicator_code, {"area": view.area})
        if row.has_data:
            rows.append(
                table.indicator_row(
                    row, href=href, palette=view.palette, series=sparklines.get(row.indicator_code)
                )
            )
        else:
            rows.append(
                table.no_data_row(
                    row,
                    href=href,
                    area_name=area_name,
                    nearest=nearest(row.indicator_code),
                    held_anywhere=is_held(row.indicator_code),
                )
            )
    order = views.SORTS[view.sort]
    heading = f"Indicators by {order[:1].lower()}{order[1:]}"
    return html.Section(
        [
            html.H2(heading, className="app-heading-l app-scorecard-domain__heading", id="scorecard-sorted"),
            table.domain_table(
                f"Indicators for {area_name}, {when}", [(heading, rows)], id="scorecard-sorted-table"
            ),
        ],
        className="app-scorecard-domain",
        **extra({"aria-labelledby": "scorecard-sorted"}),
    )


@cache.memoize()
def _framework_groups(framework: str) -> list[Group]:
    """The framework's groups (:func:`framework_groups`, shared with the summary, meeting mode and the pack),
    then "Not in a framework" for the indicators no framework serves yet (cached)."""
    groups = list(framework_groups(framework))
    unmapped = set(data_access.catalogue()["code"]) - set(data_access.indicator_links()["indicator_code"])
    if unmapped:
        order = {code: i for i, code in enumerate(data_access.catalogue()["code"])}
        codes = sorted(unmapped, key=lambda c: order.get(c, len(order)))
        groups.append((NOT_IN_A_FRAMEWORK, [(table.Node("", UNMAPPED_TITLE), codes)]))
    return groups


def _domain_heading(framework: str, domain) -> tuple[str, str]:
    """(heading, id) of a domain's section: ("Domain 1: Maternity", "scorecard-domain-1")."""
    if domain == NOT_IN_A_FRAMEWORK:
        return domain.title, f"scorecard-{domain.code}"
    level = LEVEL_NAMES.get(framework, "domain")
    return domain_heading(framework, domain.code, domain.title), f"scorecard-{level}-{domain.code}"


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
        **extra({"aria-labelledby": "scorecard-contents-heading"}),
    )


def _node_heading(node) -> str:
    title = node.title[:1].upper() + node.title[1:]
    return f"{node.code} {title}" if node.code else title


def _series_by_indicator(series: pd.DataFrame, area: str, as_at: dt.date | None) -> dict[str, table.Series]:
    rows = series[series["area_code"] == area]
    if as_at is not None:
        rows = rows[pd.to_datetime(rows["period_end"]).dt.date <= as_at]
    # headline_series returns rows ordered by indicator, area and period, oldest first.
    labels: dict[str, list] = {}
    values: dict[str, list] = {}
    columns = (rows["indicator_code"], rows["period_label"], rows["value"], rows["value"].isna())
    for code, label, value, missing in zip(*(column.tolist() for column in columns), strict=True):
        labels.setdefault(code, []).append(label)
        values.setdefault(code, []).append(None if missing else float(value))
    return {code: table.Series(labels=labels[code], values=values[code]) for code in labels}


def _nearest_finder(
    series: pd.DataFrame, options: Choices, area: str, as_at: dt.date | None, units: dict[str, tuple]
):
    """A function giving the nearest area above ``area`` (its county, region, then England) with a figure
    for an indicator, and one saying whether any area has a figure for an indicator (worked out when first
    asked: only rows without data ask). ``series`` holds each area's series oldest period first
    (:func:`dashboard.data_access.page_series`), so each one's latest figure is its last row."""
    above: list[str] = []
    parent = options.parents.get(area)
    while parent and parent not in above and parent != area:
        above.append(parent)
        parent = options.parents.get(parent)
    rows = series[series["value"].notna() & series["area_code"].isin(above)]
    if as_at is not None:
        rows = rows[pd.to_datetime(rows["period_end"]).dt.date <= as_at]
    latest = rows.drop_duplicates(["indicator_code", "area_code"], keep="last")
    columns = (latest[name] for name in ("indicator_code", "area_code", "value", "period_label"))
    figures = {(code, place): (value, period) for code, place, value, period in zip(*columns, strict=True)}

    def nearest(indicator: str) -> table.Nearest | None:
        for place in above:
            if (indicator, place) in figures:
                value, period = figures[(indicator, place)]
                unit, value_type = units.get(indicator, ("", ""))
                return table.Nearest(
                    options.names.get(place, place),
                    f"{formatting.format_value(value, unit, value_type)} in {period}",
                )
        return None

    held: list[set[str]] = []

    def is_held(indicator: str) -> bool:
        if not held:
            held.append(held_anywhere(series, as_at))
        return indicator in held[0]

    return nearest, is_held


def _domain_sections(view, options, groups, records, series, when, area_name, shown) -> list:
    explicit = dt.date.fromisoformat(view.as_at) if view.as_at else None  # "latest" means each area's latest
    sparklines = _series_by_indicator(series, view.area, explicit)
    units = {code: (row.unit, row.value_type) for code, row in records.items()}
    nearest, is_held = _nearest_finder(series, options, view.area, explicit, units)
    wanted = {row.indicator_code for row in shown}
    sections = []
    for domain, outcomes in groups:
        table_groups = []
        domain_rows = []
        for outcome, codes in outcomes:
            rows = []
            for code in codes:
                row = records.get(code)
                if row is None or code not in wanted:
                    continue
                domain_rows.append(row)
                href = routes.indicator_href(code, {"area": view.area})
                if not row.has_data:
                    rows.append(
                        table.no_data_row(
                            row,
                            href=href,
                            area_name=area_name,
                            nearest=nearest(code),
                            held_anywhere=is_held(code),
                        )
                    )
                else:
                    rows.append(
                        table.indicator_row(row, href=href, palette=view.palette, series=sparklines.get(code))
                    )
            if rows or not view.filtered:
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
                    *([_unmapped_note()] if domain == NOT_IN_A_FRAMEWORK else []),
                ],
                className="app-scorecard-domain",
                **extra({"aria-labelledby": section_id}),
            )
        )
    return sections


# --- Download: the indicators shown, with the page's filters ---------------------------------------------

DOWNLOAD = "scorecard"
EXPORT_COLUMNS = (
    "Domain",
    "Indicator code",
    "Indicator",
    "Period",
    "Value",
    "Unit",
    "Lower 95% limit",
    "Upper 95% limit",
    "Target",
    "Against target",
    "England value",
    "Compared with England",
    "Recent trend",
    "Process (SPC)",
    "Provisional",
    "Illustrative",
)


def export_frame(shown: list[ScorecardRow], domain_of: dict[str, str]) -> pd.DataFrame:
    """The indicators shown as a tidy table: figures as numbers, every judgement in the page's words."""
    records = []
    for row in shown:
        written = pack_row(row)
        records.append(
            (
                domain_of.get(row.indicator_code, ""),
                row.indicator_code,
                row.name,
                row.period_label or "",
                row.value,
                row.unit,
                row.lower95,
                row.upper95,
                row.target,
                written.target_status.words,
                row.england_value,
                written.benchmark.words,
                written.trend.words,
                written.spc.words if written.spc else written.spc_why,
                "Yes" if row.provisional else "No",
                "Yes" if row.illustrative else "No",
            )
        )
    return pd.DataFrame.from_records(records, columns=list(EXPORT_COLUMNS))


def download_file(query: Mapping[str, str]) -> table_downloads.TableFile:
    """The scorecard's indicators for the view in ``query``, filtered and ordered as the page shows them."""
    options = choices()
    view = read_view(query, options)
    area_name = options.names.get(view.area, view.area)
    series = series_for(view.area)
    as_at_day = dt.date.fromisoformat(view.as_at) if view.as_at else latest_date(series, view.area)
    rows = data_access.scorecard_rows(view.area, view.as_at)
    groups = _framework_groups(view.framework)
    codes = [code for _, outcomes in groups for _, in_outcome in outcomes for code in in_outcome]
    records = {row.indicator_code: row for row in rows if row.indicator_code in set(codes)}
    shown = _shown(view, options, groups, records, rows, codes, as_at_day)
    domain_of: dict[str, str] = {}
    for domain, outcomes in groups:
        for _, in_outcome in outcomes:
            for code in in_outcome:
                domain_of.setdefault(code, _domain_heading(view.framework, domain)[0])
    framework = dict(options.frameworks).get(view.framework, view.framework)
    domain_title = dict(options.domains.get(view.framework, ())).get(view.domain or "")
    since_day = resolve_since(view.since or PREVIOUS_QUARTER, as_at_day, options.quarter_ends)
    words = view.row_filters(frozenset()).describe(
        domain_title, formatting.date(since_day) if since_day else None
    )
    about = {
        "Title": f"Scorecard for {area_name}: {framework}"
        + (f" (only those {'; '.join(words)})" if words else ""),
        "Area": area_name,
        "Period": f"Each indicator's latest period to {formatting.date(as_at_day)} (column Period)"
        if as_at_day
        else "Each indicator's latest period (column Period)",
        "Unit": "As given for each indicator (column Unit)",
        "Source": "OHID Fingertips and the other published sources named on the Data sources page; "
        "the provider's quarterly returns (illustrative)",
        "Licence": f"{data_access.OPEN_GOVERNMENT_LICENCE}; the provider's figures are illustrative, made up",
    }
    name = f"scorecard-{view.area}-{view.framework}"
    return table_downloads.TableFile(export_frame(shown, domain_of), about, name)


table_downloads.register_table(DOWNLOAD, download_file)


# --- Small pieces -------------------------------------------------------------------------------------------


def _meeting_link(view: View, area_name: str) -> html.P:
    """ "Show this scorecard in meeting mode": the same area, framework, date and colours, one domain or
    exception per screen for a projected screen."""
    query = {
        "area": view.area,
        "framework": view.framework if view.framework != "cyp-outcomes" else None,
        "as_at": view.as_at,
        "palette": view.palette if view.palette != "standard" else None,
    }
    return html.P(
        html.A(
            f"Show {area_name}'s scorecard in meeting mode",
            href=routes.href(routes.MEETING, query),
            id="scorecard-meeting-link",
            className="app-link",
        ),
        className="app-body app-scorecard-meeting app-no-print",
    )


def _unmapped_note() -> html.P:
    """What the "Not in a framework" group is, with the way to map its indicators."""
    return html.P(
        [
            "These indicators were loaded from files that carried them; no target or framework outcome is "
            "set "
            "and, unless the file showed it, neither direction is judged better. ",
            html.A("Map them into a framework", href=routes.href(routes.CATALOGUE)),
            " (administrators).",
        ],
        className="app-body",
        id="scorecard-not-in-a-framework-note",
    )


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
                "control (SPC) says whether the latest figures are unusual and whether the target will be "
                "met "
                "reliably.",
                className="app-body",
            ),
            html.P(
                f"Process charts need at least {spc.MIN_POINTS} figures; with fewer than {spc.TRIAL_BELOW} "
                "the limits "
                "are trial limits. Indicators where a higher figure is neither better nor worse are shown in "
                "blues, never red or green. The small line chart shows up to the last 12 figures, with a "
                "dashed red line at the target.",
                className="app-body",
            ),
            html.P(
                html.A("What every status means", href=routes.href(routes.ABOUT, fragment="statuses")),
                className="app-body",
            ),
        ],
        id="scorecard-how-to-read",
    )


# --- In the browser: changing a filter updates the link, and the page follows it ----------------------------

dash.clientside_callback(
    ClientsideFunction(namespace="scorecard", function_name="liveFilters"),
    Output("scorecard-live", "children"),
    Input("scorecard-filters", "id"),
)
