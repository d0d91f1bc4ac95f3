"""Meeting mode: the scorecard as a deck for a projected screen, one domain or one exception per screen.

``/meeting?area=E10000003&screen=3`` shows the third screen for Cambridgeshire (the area, framework, date and
palette are the scorecard's filters, so the scorecard's link with ``/meeting`` in front opens its deck). The
screens (:mod:`dashboard.meeting.screens`): a title screen with the headline counts, each domain (its counts
by status and its indicators with their statuses), each exception (its chart, status in words, and the
commentary and remedial actions recorded for it, or "none recorded"), and the payment position. Each fits
1366 × 768 in large type with nothing cut off and nothing to scroll (checked by a browser test).

Page Down, Page Up and the arrow keys (what a presentation clicker sends) move between screens
(``assets/meeting.js`` follows the page's own "Next" and "Previous" links, so the address always names the
screen being shown and can be shared in the meeting chat). "Exit meeting mode" returns to the scorecard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import dash
import pandas as pd
from dash import dcc, html

from dashboard import data_access, formatting, routes
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.charts.plain import with_layout
from dashboard.components.monitoring import records
from dashboard.components.monitoring.flagged import status_tags
from dashboard.components.monitoring.quarter import payment_line
from dashboard.components.scorecard_filters import (
    FILTERS,
    View,
    choices,
    domain_indicators,
    latest_date,
    read_view,
    series_for,
)
from dashboard.components.scorecard_table import headline, headline_sentence, value_text
from dashboard.indicator.context import build_context
from dashboard.indicator.over_time import trend_figures
from dashboard.meeting import screens as deck
from data.periods import financial_quarter_label
from data.scorecard_row import ScorecardRow

TITLE = routes.TITLES[routes.MEETING]
CHART_HEIGHT = 380
"""The exception chart's height in pixels: the most that fits under the heading at 1366 × 768."""
CHART_FONT = 18
TEXT_LIMIT = 200
"""Characters of a commentary entry or action shown on a screen; the full text is on the exceptions page."""
ACTIONS_SHOWN = 2

dash.register_page(
    __name__,
    path=routes.MEETING,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="The scorecard for a projected screen: one domain or one exception per screen, moved through "
    "with Page Down and Page Up or the arrow keys.",
    order=6,
)


def layout(**query: str) -> html.Div:
    try:
        return _page(query)
    except data_access.DataUnavailable:
        return html.Div(
            [
                html.H1(TITLE, className="app-meeting__title"),
                html.P(
                    "The figures could not be loaded. Try again in a minute.", className="app-meeting__lead"
                ),
                html.A(
                    "Exit meeting mode", href=routes.href(routes.SCORECARD), className="app-meeting__exit"
                ),
            ],
            className="app-meeting",
            id="meeting",
        )


# --- The deck ----------------------------------------------------------------------------------------------


def domains(framework: str) -> list[tuple[str, list[str]]]:
    """(heading, indicator codes in catalogue order) of each top-level group of ``framework``, the way the
    scorecard groups it ("Domain 1: Maternity"), from the one grouping the scorecard and the pack use."""
    return [(domain.title, list(domain.indicators)) for domain in domain_indicators(framework)]


def _page(query: Mapping[str, str]) -> html.Div:
    options = choices()
    view = read_view({k: v for k, v in query.items() if k in FILTERS}, options)
    area_name = options.names.get(view.area, view.area)
    rows = data_access.scorecard_rows(view.area, view.as_at)
    as_at = dt.date.fromisoformat(view.as_at) if view.as_at else latest_date(series_for(view.area), view.area)
    screens = deck.deck(rows, domains(view.framework), area_name)
    number, screen_problem = deck.screen_number(query.get("screen"), len(screens))
    screen = screens[number - 1]
    framework = next((title for code, title in options.frameworks if code == view.framework), view.framework)
    when = f"figures to {formatting.date(as_at)}" if as_at else "no figures yet"
    body = _body(screen, screens, view, area_name, framework, when, as_at)
    return html.Div(
        [
            _top_bar(view, area_name, when, number, len(screens)),
            *_link_notes(view, screen_problem),
            html.Div(
                body, className=f"app-meeting__screen app-meeting__screen--{screen.kind}", id="meeting-screen"
            ),
            _bottom_bar(view, number, len(screens)),
        ],
        className=f"app-meeting app-meeting--{view.palette}",
        id="meeting",
        **extra({"data-screen": number, "data-screens": len(screens)}),
    )


def _link_notes(view: View, screen_problem: str | None) -> list[html.P]:
    """What the link asked for that meeting mode could not show: settings it does not recognise, and a
    screen number out of range or not a number. Nothing when the link was right."""
    notes = [screen_problem] if screen_problem else []
    if view.ignored:
        described = "; ".join(f"{name} \u201c{value}\u201d" for name, value in view.ignored)
        notes.append(
            f"This link included settings meeting mode does not recognise ({described}), so it "
            "shows the usual choices instead."
        )
    if not notes:
        return []
    return [
        html.P(" ".join(notes), className="app-meeting__link-note", id="meeting-link-note", role="status")
    ]


def _link(view: View, number: int) -> str:
    """The address of screen ``number`` of this view (only the filters that differ from the defaults)."""
    filters: dict[str, str | None] = {
        "area": view.area,
        "framework": view.framework if view.framework != "cyp-outcomes" else None,
        "as_at": view.as_at,
        "palette": view.palette if view.palette != "standard" else None,
        "screen": str(number),
    }
    return routes.href(routes.MEETING, filters)


def _scorecard_link(view: View) -> str:
    return routes.href(
        routes.SCORECARD,
        {
            "area": view.area,
            "framework": view.framework if view.framework != "cyp-outcomes" else None,
            "as_at": view.as_at,
            "palette": view.palette if view.palette != "standard" else None,
        },
    )


def _top_bar(view: View, area_name: str, when: str, number: int, count: int) -> html.Div:
    return html.Div(
        [
            html.P(f"{area_name}, {when}", className="app-meeting__context"),
            html.P(f"Screen {number} of {count}", className="app-meeting__count", id="meeting-count"),
            html.Button(
                "Full screen (F)",
                type="button",
                className="app-meeting__button",
                id="meeting-full-screen",
                title="Fill the whole screen; press Esc to leave full screen",
            ),
            html.A(
                "Exit meeting mode",
                href=_scorecard_link(view),
                className="app-meeting__exit",
                id="meeting-exit",
            ),
        ],
        className="app-meeting__bar app-meeting__bar--top",
    )


def _bottom_bar(view: View, number: int, count: int) -> html.Nav:
    previous = (
        dcc.Link(
            "← Previous", href=_link(view, number - 1), className="app-meeting__step", id="meeting-previous"
        )
        if number > 1
        else html.Span(
            "← Previous", className="app-meeting__step app-meeting__step--off", id="meeting-previous"
        )
    )
    following = (
        dcc.Link("Next →", href=_link(view, number + 1), className="app-meeting__step", id="meeting-next")
        if number < count
        else html.Span("Next →", className="app-meeting__step app-meeting__step--off", id="meeting-next")
    )
    return html.Nav(
        [
            previous,
            html.P(
                "Page Down or → for the next screen, Page Up or ← for the previous one.",
                className="app-meeting__keys",
            ),
            following,
        ],
        className="app-meeting__bar app-meeting__bar--bottom",
        **extra({"aria-label": "Screens"}),
    )


# --- Each kind of screen -----------------------------------------------------------------------------------


def _body(screen: deck.Screen, screens, view: View, area_name: str, framework: str, when: str, as_at) -> list:
    if screen.kind == deck.TITLE:
        return _title_screen(screen, screens, view, area_name, framework, when)
    if screen.kind == deck.DOMAIN:
        return _domain_screen(screen, view, area_name)
    if screen.kind == deck.EXCEPTION:
        return _exception_screen(screen, view)
    return _payment_screen(view, area_name, as_at)


def status_counts(rows: Sequence[ScorecardRow], palette: str) -> html.Ul:
    """How many indicators have each status against target, as tags (words, shape and colour) with the count;
    indicators with no figure are counted apart."""
    unique = {row.indicator_code: row for row in rows}.values()
    items = []
    for key in status.TARGET_KEYS:
        count = sum((row.target_status or "not assessed") == key for row in unique if row.has_data)
        items.append(
            html.Li(
                [
                    html.Span(f"{count}", className="app-meeting__number"),
                    status.status_tag(status.target(key, palette=palette)),
                ],
                className="app-meeting__count-item",
            )
        )
    missing = sum(not row.has_data for row in unique)
    if missing:
        items.append(
            html.Li(
                [
                    html.Span(f"{missing}", className="app-meeting__number"),
                    html.Span("No figure", className="app-meeting__no-figure"),
                ],
                className="app-meeting__count-item",
            )
        )
    return html.Ul(items, className="app-meeting__counts")


def _title_screen(screen, screens, view: View, area_name: str, framework: str, when: str) -> list:
    rows = [row for s in screens if s.kind == deck.DOMAIN for row in s.rows]
    exceptions = sum(s.kind == deck.EXCEPTION for s in screens)
    domains_shown = list(
        dict.fromkeys(s.heading.split(" (part ")[0] for s in screens if s.kind == deck.DOMAIN)
    )
    return [
        html.H1(screen.heading, className="app-meeting__title", id="meeting-heading"),
        html.P(f"{framework}, {when}.", className="app-meeting__lead"),
        status_counts(rows, view.palette),
        html.P(headline_sentence(headline(rows), area_name), className="app-meeting__sentence"),
        html.P(
            f"{formatting.plural(len(domains_shown), 'domain')}, "
            f"{formatting.plural(exceptions, 'exception')} and the payment position follow.",
            className="app-meeting__sentence",
        ),
    ]


def _domain_screen(screen: deck.Screen, view: View, area_name: str) -> list:
    body = [
        html.Tr(
            [
                html.Th(row.short_name + (" (illustrative)" if row.illustrative else ""), scope="row"),
                html.Td(value_text(row) if row.has_data else "No figure", className="app-meeting__value"),
                html.Td(
                    status.status_tag(
                        status.target(
                            row.target_status if row.has_data and row.target_status else "not assessed",
                            palette=view.palette,
                        )
                    )
                ),
                html.Td(
                    status.status_tag(
                        status.benchmark(row.benchmark if row.has_data and row.benchmark else "not compared")
                    )
                ),
            ]
        )
        for row in screen.rows
    ]
    return [
        html.H1(screen.heading, className="app-meeting__title", id="meeting-heading"),
        status_counts(screen.domain_rows, view.palette),
        html.Table(
            [
                html.Caption(f"Indicators for {area_name}", className="app-visually-hidden"),
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Indicator", scope="col"),
                            html.Th("Latest figure", scope="col"),
                            html.Th("Against target", scope="col"),
                            html.Th("Compared with England", scope="col"),
                        ]
                    )
                ),
                html.Tbody(body),
            ],
            className="app-meeting__table",
            id="meeting-indicators",
        ),
    ]


def shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut at a word to at most ``limit`` characters, ending "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _commentary(row: ScorecardRow) -> list:
    """The latest commentary and the first actions recorded for the figure's period, or "None
    recorded"; long text is shortened and the exceptions page named for the rest."""
    period = row.period_label or ""
    entries = [
        c
        for c in data_access.monitoring_commentary(row.area_code, (period,))
        if c.indicator_code == row.indicator_code
    ]
    actions = [
        a
        for a in data_access.monitoring_actions(row.area_code, (period,))
        if a.indicator_code == row.indicator_code
    ]
    children: list = [html.H2("Commentary", className="app-meeting__subheading")]
    if entries:
        latest = entries[-1]
        kind = data_access.COMMENTARY_KINDS.get(latest.kind, latest.kind)
        children.append(
            html.P(
                [
                    html.Strong(f"{kind} ({latest.author}, {formatting.date(latest.written_at.date())}): "),
                    shorten(latest.text),
                ],
                className="app-meeting__text",
                id="meeting-commentary",
            )
        )
    else:
        children.append(html.P("None recorded.", className="app-meeting__text", id="meeting-no-commentary"))
    children.append(html.H2("Remedial actions", className="app-meeting__subheading"))
    if actions:
        children.append(
            html.Ul(
                [
                    html.Li(
                        [
                            records.action_status_tag(a.status),
                            f" {shorten(a.what, 80)} ({shorten(a.owner, 40)}, "
                            f"due {formatting.date(a.due_date)})",
                        ],
                        className="app-meeting__text",
                    )
                    for a in actions[:ACTIONS_SHOWN]
                ],
                className="app-meeting__list app-meeting__list--plain",
                id="meeting-actions",
            )
        )
    else:
        children.append(html.P("None recorded.", className="app-meeting__text", id="meeting-no-actions"))
    more = len(entries) - 1 + max(len(actions) - ACTIONS_SHOWN, 0)
    if more > 0 or any(len(" ".join(c.text.split())) > TEXT_LIMIT for c in entries[-1:]):
        children.append(html.P("The full record is on the exceptions page.", className="app-meeting__note"))
    return children


def _chart(row: ScorecardRow, view: View) -> list:
    """The indicator page's trend chart of the exception, larger and without its table."""
    context = build_context(row.indicator_code, {"area": view.area})
    chart = trend_figures(context) if context is not None else None
    if chart is None:
        return [
            html.P("No chart: the area has no figures for this indicator.", className="app-meeting__text")
        ]
    figure = with_layout(
        chart.figure,
        height=CHART_HEIGHT,
        font={"size": CHART_FONT},
        margin={"l": 8, "r": 16, "t": 48, "b": 8},
    )
    return [
        html.P(chart.headline, className="app-meeting__chart-headline", id="meeting-chart-headline"),
        html.Div(
            dcc.Graph(
                figure=figure,
                config={"staticPlot": True, "displayModeBar": False, "responsive": True},
                className="app-meeting__graph",
                id="meeting-graph",
            ),
            role="img",
            className="app-meeting__figure",
            **extra({"aria-label": chart.summary}),
        ),
        html.P(chart.source, className="app-meeting__source"),
    ]


def _exception_screen(screen: deck.Screen, view: View) -> list:
    assert screen.exception is not None
    row = screen.exception.row
    return [
        html.H1(screen.heading, className="app-meeting__title", id="meeting-heading"),
        html.Div(
            [
                html.Div(_chart(row, view), className="app-meeting__chart"),
                html.Div(
                    [
                        html.P(
                            value_text(row) + (" (illustrative)" if row.illustrative else ""),
                            className="app-meeting__figure-text",
                        ),
                        *status_tags(row, view.palette),
                        html.Ul(
                            [html.Li(words) for _, words in screen.exception.reasons],
                            className="app-meeting__list",
                        ),
                        *_commentary(row),
                    ],
                    className="app-meeting__facts",
                ),
            ],
            className="app-meeting__exception",
        ),
    ]


def _payment_screen(view: View, area_name: str, as_at) -> list:
    contracts = data_access.payment_contracts()
    here = contracts[contracts["area_code"] == view.area] if not contracts.empty else contracts
    heading = html.H1("Payment position", className="app-meeting__title", id="meeting-heading")
    if here.empty or as_at is None:
        return [heading, html.P(f"No payment agreement covers {area_name}.", className="app-meeting__lead")]
    agreement = here.iloc[0]
    year = financial_quarter_label(pd.Timestamp(as_at).date()).split(" ", 1)[0]
    return [
        heading,
        html.P(f"{agreement['title']}. Provider: {agreement['provider']}.", className="app-meeting__lead"),
        html.Div(payment_line(str(agreement["code"]), year), className="app-meeting__payment"),
    ]
