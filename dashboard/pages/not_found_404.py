"""Page not found (Dash shows the page whose module is named ``not_found_404`` for an unknown path)."""

from __future__ import annotations

import dash
from dash import html

from dashboard import routes

TITLE = routes.TITLES[routes.NOT_FOUND]

dash.register_page(
    __name__,
    path=routes.NOT_FOUND,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="The page you asked for is not part of the Healthy Child Programme outcomes dashboard.",
    order=99,
)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1(TITLE, className="app-heading-xl"),
            html.P("If you typed the web address, check it is correct.", className="app-body"),
            html.P(
                "If you pasted the web address, check you copied the entire address.", className="app-body"
            ),
            html.P(
                [
                    "Go to the ",
                    html.A("scorecard", href=routes.href(routes.SCORECARD)),
                    " to find what you need.",
                ],
                className="app-body",
            ),
        ],
        className="app-page app-page--not-found",
    )
