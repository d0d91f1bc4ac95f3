"""The import history: who loaded what, when, with the counts, the status and the rejected rows; an
administrator can roll an import back (the previous figures return).

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


def layout(**query: str) -> html.Div:
    ignored = urlstate.parse(query, {}).ignored
    children: list = [
        html.H1(TITLE, className="app-heading-xl"),
        *([ignored_settings(ignored, page="import history")] if ignored else []),
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
        children.append(html.Div(history_section(auth.current_user()), id="imports-history"))
    except data_access.DataUnavailable:
        children.append(data_unavailable("show the import history", id="imports-data-unavailable"))
    return html.Div(children, className="app-page app-page--imports")
