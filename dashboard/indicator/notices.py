"""What the indicator page says instead of, or before, its figures: not found, the store unreadable, settings
in the link it ignored, and illustrative figures."""

from __future__ import annotations

from dash import dcc, html

from dashboard import routes
from dashboard.components import notices

NOT_FOUND = "Indicator not found"
PAGE_CLASS = "app-page app-page--indicator"


def not_found(code: str | None, store: html.Div) -> html.Div:
    """The page for no indicator code, or one the catalogue does not hold."""
    what = f"There is no indicator with the code \u201c{code}\u201d." if code else "No indicator was chosen."
    return html.Div(
        [
            html.H1(NOT_FOUND, className="app-heading-xl"),
            html.P(what, className="app-body", id="indicator-not-found"),
            html.P(
                "If you typed the web address, check it is correct. Indicator codes are lower case, such as "
                "\u201cobesity-reception\u201d.",
                className="app-body",
            ),
            html.P(
                ["Find the indicator on the ", html.A("scorecard", href=routes.href(routes.SCORECARD)), "."],
                className="app-body",
            ),
            store,
        ],
        className=PAGE_CLASS,
    )


def data_unavailable(store: html.Div) -> html.Div:
    """The page when the store cannot be read."""
    return html.Div(
        [html.H1("Indicator", className="app-heading-xl"), notices.data_unavailable(), store],
        className=PAGE_CLASS,
    )


def ignored_note(ignored: tuple[tuple[str, str], ...]) -> html.Div:
    """Settings in the link the page did not recognise, named, so the reader knows they had no effect."""
    return notices.ignored_settings(ignored, id="indicator-ignored")


def illustrative_notice() -> html.Div:
    """The banner over an indicator whose figures are made up."""
    return notices.illustrative_banner(
        "No provider returns are published, so these figures are made up to show how contract monitoring "
        "works. Do not use them to judge the service.",
        id="indicator-illustrative-banner",
    )


def page_store(view: dict | None = None) -> html.Div:
    """The view shown (for the download and focus callbacks) and the focus callback's output."""
    return html.Div([dcc.Store(id="indicator-view", data=view), dcc.Store(id="indicator-focus")])
