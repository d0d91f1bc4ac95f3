"""The import history's callback: an administrator rolls an import back.

The user comes from :func:`dashboard.auth.current_user` and the store checks the permission itself
(:func:`data.imports.roll_back_batch`), so a forged request from anyone else is refused and writes nothing.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, NoUpdate, Output, html

from dashboard import auth, data_access, routes
from dashboard.components.notices import notification_banner
from dashboard.components.payment.forms import error_summary
from data.access import PermissionDenied


def roll_back(batch_id: str) -> html.Div:
    """Roll the import back and say what happened, or why it was refused."""
    user = auth.current_user()
    try:
        removed, restored = data_access.roll_back_import(user, batch_id)
    except (PermissionDenied, data_access.ImportRefused) as refused:
        return error_summary([("imports-table", str(refused))], id="imports-error-summary")
    except data_access.DataUnavailable:
        message = "The dashboard could not write to its data store. Nothing was rolled back."
        return error_summary([("imports-table", message)], id="imports-error-summary")
    return notification_banner(
        "Rolled back",
        f"The import is rolled back: {removed:,} rows it loaded were removed and {restored:,} earlier "
        f"figures restored.",
        html.P(
            [
                f"Rolled back by {user.name}. Every page now shows the figures as they were before it. ",
                html.A("Show the updated history", href=routes.href(routes.IMPORTS)),
                ".",
            ],
            className="app-body",
        ),
        id="imports-rolled-back",
    )


def _on_roll_back(clicks: list) -> html.Div | NoUpdate:
    if not any(clicks or ()):
        return dash.no_update
    return roll_back(dash.ctx.triggered_id["batch"])


def register() -> None:
    """Register the callback with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output("imports-outcome", "children"),
        Input({"type": "imports-roll-back", "batch": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(_on_roll_back)
