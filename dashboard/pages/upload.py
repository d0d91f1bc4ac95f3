"""Loading data through the web: an officer uploads a provider return (or any file ``kpi import`` reads),
checks the preview, then loads it or cancels.

Nothing is written until Confirm, and then the whole file loads in one transaction (or none of it). The form
is offered to those who may load data; that is a courtesy, as each step goes through the store's own
permission check (see :mod:`dashboard.upload_callbacks`). The URL takes no settings; any given are reported.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import auth, routes, upload_callbacks, upload_route, urlstate
from dashboard.components.attributes import extra
from dashboard.components.notices import ignored_settings
from dashboard.upload_callbacks import upload_id
from data import access

TITLE = routes.TITLES[routes.UPLOAD]

dash.register_page(
    __name__,
    path=routes.UPLOAD,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="Load a provider return or an indicator extract: check a preview of every row, then load it.",
    order=8,
)
upload_callbacks.register()


def _hint() -> str:
    return (
        "The provider quarterly return (the template from 'kpi template'), a Fingertips data export or a "
        "tidy indicator extract, saved as .csv, .tsv, .txt (Excel's \u201cUnicode text\u201d) or .xlsx, "
        f"up to {upload_callbacks.max_megabytes():,} MB. You will see what it would change before anything "
        "is loaded."
    )


def _file_field() -> html.Div:
    """The file field. ``assets/upload.js`` draws its input and sends the chosen file to the upload route
    as soon as it is chosen, saying in words how much has been sent, then puts the token it gets back in
    the ``upload-received`` store, which starts the preview. A file over the limit is never sent."""
    return html.Div(
        [
            html.Label(
                "Upload a file", htmlFor="upload-file-input", className="app-label", id="upload-file-label"
            ),
            html.Div(_hint(), className="app-hint", id="upload-file-hint"),
            # Filled in by assets/upload.js when the file is over the limit or the server refuses it.
            html.P(id="upload-file-error", className="app-error-message", hidden=True, role="alert"),
            # assets/upload.js puts the file input here (Dash has no component for a plain one).
            html.Div(
                className="app-upload__drop",
                id="upload-file-drop",
                **extra({"data-accept": ",".join(upload_callbacks.ALLOWED_TYPES)}),
            ),
            html.P(id="upload-progress", className="app-body app-upload__progress", role="status"),
            dcc.Store(id=upload_id("received")),
        ],
        className="app-form-group",
        id=upload_callbacks.FILE_FIELD,
        **extra(
            {
                "data-upload-url": routes.href(upload_route.UPLOAD),
                "data-max-bytes": str(upload_callbacks.max_bytes()),
                "data-too-big": upload_callbacks.too_big("{file}"),
            }
        ),
    )


def _buttons() -> list[html.Button]:
    return [
        html.Button(
            "Load this file", id=upload_id("confirm"), n_clicks=0, className="app-button", type="button"
        ),
        html.Button(
            "Cancel",
            id=upload_id("cancel"),
            n_clicks=0,
            className="app-button app-button--secondary",
            type="button",
        ),
    ]


def _not_allowed(user: access.User) -> html.P:
    role = access.ROLE_NAMES.get(min(user.roles, default="viewer"), "a viewer")
    return html.P(
        f"Only an officer or an administrator can load data; "
        f"you are using the dashboard as {user.name}, {role}.",
        className="app-body",
        id="upload-not-allowed",
    )


def layout(**query: str) -> html.Div:
    user = auth.current_user()
    allowed = access.can(user, access.IMPORT_DATA)
    ignored = urlstate.parse(query, {}).ignored
    children: list = [
        html.H1(TITLE, className="app-heading-xl"),
        *([ignored_settings(ignored, page="upload page")] if ignored else []),
        html.P(
            [
                "Load the provider's quarterly return or an indicator extract. ",
                html.A("See earlier imports", href=routes.href(routes.IMPORTS)),
                ".",
            ],
            className="app-body-l",
        ),
        html.Div(id="upload-errors"),
        _file_field() if allowed else _not_allowed(user),
        dcc.Loading(html.Div(id="upload-preview"), type="dot"),
        html.Div(
            _buttons() if allowed else [], id="upload-actions", className="app-button-group", hidden=True
        ),
        html.Div(id="upload-outcome", **extra({"aria-live": "polite"})),
        dcc.Store(id="upload-token"),
    ]
    return html.Div(children, className="app-page app-page--upload")
