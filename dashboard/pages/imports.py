"""The import history: who loaded what, when, with the counts, the status and the rejected rows; an
administrator can roll an import back (after confirming what it will do, the previous figures return).

The page is for those who load data (officers and administrators): anyone else, including a reader of a
public dashboard, gets a plain sentence saying who may see it, and nothing is read from the store for them.
The roll-back buttons are shown only to an administrator, as a courtesy: the store refuses anyone else
(:mod:`dashboard.imports_callbacks`). The URL takes no settings; any given are reported.
"""

from __future__ import annotations

import dash
from dash import html

from dashboard import auth, data_access, imports_callbacks, routes, urlstate
from dashboard.components.attributes import extra
from dashboard.components.notices import data_unavailable, ignored_settings
from dashboard.components.upload.history import history_section
from data import access

TITLE = routes.TITLES[routes.IMPORTS]

dash.register_page(
    __name__,
    path=routes.IMPORTS,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="Every import of data: who loaded what and when, the counts, rejected rows, and rollbacks.",
    order=9,
)
imports_callbacks.register()


def _not_allowed(user: access.User) -> html.P:
    who = (
        f"you are signed in as {user.name}, {access.ROLE_NAMES.get(min(user.roles, default='viewer'))}."
        if user.signed_in
        else "you are not signed in."
    )
    return html.P(
        f"Only an officer or an administrator can see the import history; {who}",
        className="app-body",
        id="imports-not-allowed",
    )


def layout(**query: str) -> html.Div:
    user = auth.current_user()
    ignored = urlstate.parse(query, {}).ignored
    children: list = [
        html.H1(TITLE, className="app-heading-xl"),
        *([ignored_settings(ignored, page="import history")] if ignored else []),
    ]
    if not routes.may_use(user, routes.IMPORTS):
        # The empty regions keep the page's callback whole, whoever's page Dash checks its callbacks against.
        children += [_not_allowed(user), html.Div(id="imports-outcome"), html.Div(id="imports-history")]
        return html.Div(children, className="app-page app-page--imports")
    children += [
        html.P(
            [
                "Every file loaded into the dashboard, most recent first. ",
                html.A("Load a new file", href=routes.href(routes.UPLOAD)),
                ".",
            ],
            className="app-body-l",
        ),
        html.Div(id="imports-outcome", **extra({"aria-live": "polite"})),
    ]
    try:
        history: list | html.Div = history_section(user)
    except data_access.DataUnavailable:
        history = data_unavailable("show the import history", id="imports-data-unavailable")
    children.append(html.Div(history, id="imports-history"))
    return html.Div(children, className="app-page app-page--imports")
