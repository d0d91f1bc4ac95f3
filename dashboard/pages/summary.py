"""Summary: the whole scorecard on one screen, for the start of a committee meeting.

For one area, a table of the framework's domains (or groups): how many indicators are on, near and off
target, not assessed, significantly worse than England and showing special-cause concern, each status in
words and shape, each count a link to the scorecard showing just those indicators; then the payment position
in one line. It fits a 1366 x 768 screen without scrolling. The counts are
:func:`data.scorecard_views.summary_by_domain`, from the same records as the scorecard, so the two never
disagree. The view is in the link (``area``, ``framework``, ``palette``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import dash
from dash import dcc, html

from dashboard import data_access, formatting, routes
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.govuk import select
from dashboard.components.monitoring.quarter import priced_year
from dashboard.components.notices import ignored_settings, page_or_unavailable
from dashboard.components.payment.words import reported_phrase, so_far
from dashboard.components.scorecard_filters import DOMAIN_LEVEL, View, choices, domain_indicators, read_view
from data import scorecard_views as views
from metrics.money import format_pounds

TITLE = routes.TITLES[routes.SUMMARY]

dash.register_page(
    __name__,
    path=routes.SUMMARY,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="Every domain's indicators counted by status on one screen, with the payment position.",
    order=1,
)


def columns(palette: str) -> list[tuple[status.Status, str | None, Callable[[views.DomainCounts], int]]]:
    """The count columns: (the status heading it, the scorecard's ``show=`` filter or None, the count)."""
    concern = dataclasses.replace(
        status.variation("concern_high"), words="Special-cause concern", icon="\u2195"
    )  # high or low: both are concern
    return [
        (status.target("green", palette=palette), "on-target", lambda c: c.target["green"]),
        (status.target("amber", palette=palette), "near-target", lambda c: c.target["amber"]),
        (status.target("red", palette=palette), "off-target", lambda c: c.target["red"]),
        (status.target("not assessed", palette=palette), None, lambda c: c.target["not assessed"]),
        (status.benchmark("worse"), "worse", lambda c: c.benchmark["worse"]),
        (concern, "concern", lambda c: c.concern),
    ]


def layout(**query: str) -> html.Div:
    return page_or_unavailable(
        lambda: _page(query),
        title=TITLE,
        cannot="show the summary",
        id="summary-data-unavailable",
        class_name="app-page app-page--summary",
    )


def _page(query: dict) -> list:
    options = choices()
    view = read_view(query, options)
    area_name = options.names.get(view.area, view.area)
    framework = dict(options.frameworks).get(view.framework, view.framework)
    rows = data_access.scorecard_rows(view.area)
    domains = domain_indicators(view.framework)
    counts = views.summary_by_domain(rows, domains)
    total = views.framework_total(rows, domains, "All indicators")
    figures = views.figures_to(
        (r for r in rows if any(r.indicator_code in d.indicators for d in domains)),
        set(data_access.provider_indicator_codes()),
    )
    children: list = [
        html.Div(
            [
                html.Div(
                    [
                        html.H1(f"Summary for {area_name}", className="app-heading-l", id="summary-heading"),
                        html.P(
                            f"{framework}; {figures.words(formatting.date)}.",
                            className="app-body",
                            id="summary-lead",
                        ),
                    ]
                ),
                _choose(view, options),
            ],
            className="app-summary__top",
        )
    ]
    if view.ignored:
        children.append(
            ignored_settings(
                view.ignored, page="summary", outcome="so it shows the usual choices", id="summary-ignored"
            )
        )
    children += [
        _table(view, counts, total, area_name),
        html.P(
            "Select a number to see those indicators on the scorecard. "
            f"{total.no_data} of the {total.indicators} indicators have no figure for {area_name}.",
            className="app-hint",
            id="summary-hint",
        ),
        _payment(view.area),
    ]
    return children


def _choose(view: View, options) -> html.Form:
    """Area and framework: an ordinary form, so the choice lands in the link."""
    hidden = (
        [dcc.Input(type="hidden", name="palette", value=view.palette)] if view.palette != "standard" else []
    )
    return html.Form(
        [
            html.H2("Choose the area and framework", className="app-visually-hidden"),
            select("summary-area", "area", "Area", options.areas, view.area),
            select("summary-framework", "framework", "Framework", options.frameworks, view.framework),
            *hidden,
            html.Button("Show", id="summary-choose", className="app-button", type="submit"),
        ],
        action=routes.href(routes.SUMMARY),
        method="get",
        className="app-summary__selector",
        id="summary-selector",
    )


def _count_cell(view: View, number: int, show: str | None, domain: str | None, words: str) -> html.Td:
    """A count: a link to the scorecard showing those indicators (a plain number when none or no filter)."""
    if number == 0:
        content: html.Span | html.A | str = html.Span("none", className="app-summary__none")
    elif show is None:
        content = f"{number:,}"
    else:
        content = html.A(
            f"{number:,}",
            href=routes.href(routes.SCORECARD, view.link(show=show, domain=domain, q=None, sort=None)),
            **extra({"aria-label": f"{number:,} {words}: show them on the scorecard"}),
        )
    return html.Td(content, className="app-table__cell app-table__cell--numeric app-summary__count")


def _row(view: View, counts: views.DomainCounts, *, total: bool = False) -> html.Tr:
    domain = None if total else counts.code
    heading = html.A(
        counts.title,
        href=routes.href(routes.SCORECARD, view.link(show=None, domain=domain, q=None, sort=None)),
    )
    cells = [
        html.Th(
            heading, scope="row", className="app-table__cell app-table__cell--row-header app-summary__domain"
        ),
        html.Td(f"{counts.indicators:,}", className="app-table__cell app-table__cell--numeric"),
    ]
    for heading_status, show, count in columns(view.palette):
        cells.append(_count_cell(view, count(counts), show, domain, heading_status.words.lower()))
    return html.Tr(
        cells,
        className="app-table__row" + (" app-summary__total" if total else ""),
        **extra({"data-domain": counts.code}),
    )


def _table(
    view: View, counts: list[views.DomainCounts], total: views.DomainCounts, area_name: str
) -> html.Table:
    level = DOMAIN_LEVEL.get(view.framework, "domain").capitalize()
    head = [
        html.Th(level, scope="col", className="app-table__header app-summary__col--domain"),
        html.Th(
            "Indicators",
            scope="col",
            className="app-table__header app-table__header--numeric app-summary__col--indicators",
        ),
    ]
    for heading_status, _, _ in columns(view.palette):
        head.append(
            html.Th(
                status.status_tag(heading_status),
                scope="col",
                className="app-table__header app-table__header--numeric",
            )
        )
    return html.Table(
        [
            html.Caption(
                f"Indicators for {area_name} by domain and status",
                className="app-visually-hidden",
            ),
            html.Thead(html.Tr(head, className="app-table__row"), className="app-table__head"),
            html.Tbody([_row(view, c) for c in counts], className="app-table__body"),
            html.Tfoot(_row(view, total, total=True), className="app-table__body"),
        ],
        className="app-table app-summary",
        id="summary-table",
    )


def _payment(area: str) -> html.P:
    """The payment position in one line for the area's agreement, with a link to the payment page."""
    contracts = data_access.payment_contracts()
    mine = contracts[contracts["area_code"] == area]
    if mine.empty:
        return html.P(
            "There is no payment agreement for this area.", className="app-body", id="summary-payment"
        )
    contract = str(mine["code"].iloc[0])
    schemes = data_access.payment_scheme_versions(contract)
    years = sorted(set(schemes["financial_year"])) if not schemes.empty else []
    found = priced_year(contract, years[-1]) if years else None
    link = html.A("Payment details", href=routes.href(routes.PAYMENT, {"contract": contract}))
    if found is None:
        return html.P(
            [f"{mine['commissioner'].iloc[0]}'s agreement has no payment scheme yet. ", link, "."],
            className="app-body",
            id="summary-payment",
        )
    version, status_word, priced = found
    split = so_far(priced)
    reported = reported_phrase(priced)
    line = (
        f"Payment {years[-1]}: {format_pounds(split.earned)} earned and {format_pounds(split.withheld)} "
        f"withheld of {format_pounds(priced.result.at_risk)} at risk"
        f" ({status_word} version {version}{f'; {reported} reported' if reported else ''})."
    )
    return html.P(
        [
            html.Strong(line),
            " Illustrative figures. " if priced.scheme.illustrative else " ",
            link,
            ".",
        ],
        className="app-body app-summary__payment",
        id="summary-payment",
    )
