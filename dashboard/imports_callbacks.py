"""The import history's callback: an administrator rolls an import back, in two steps.

"Roll back this import" changes nothing: it shows what the rollback would do, with the counts from the store
(:func:`dashboard.data_access.rollback_plan`), and the history steps aside until the administrator chooses
"Roll back" or "Cancel". Only "Roll back" writes; its banner then says what changed. The user comes from
:func:`dashboard.auth.current_user` and the store checks the permission itself at both steps
(:func:`data.imports.rollback_plan` and :func:`data.imports.roll_back_batch`), so a forged request from
anyone else is refused and writes nothing.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, html
from dash.exceptions import PreventUpdate

from dashboard import auth, data_access, routes
from dashboard.components.notices import notification_banner
from dashboard.components.payment.forms import error_summary
from dashboard.components.upload.history import (
    CANCEL,
    CONFIRM,
    ROLL_BACK,
    confirm_panel,
)
from dashboard.formatting import plural
from data.access import PermissionDenied

Outcome = tuple[object, object, object]
"""What the page shows: (the outcome region, the history, whether the history is hidden)."""


def _refused(message: str) -> html.Div:
    return error_summary([("imports-table", message)], id="imports-error-summary")


def ask_to_confirm(batch_id: str) -> tuple[html.Div, bool]:
    """The confirmation for rolling ``batch_id`` back (and True: hide the history meanwhile), or why it
    cannot be rolled back (and False)."""
    try:
        plan = data_access.rollback_plan(auth.current_user(), batch_id)
    except (PermissionDenied, data_access.ImportRefused) as refused:
        return _refused(str(refused)), False
    except data_access.DataUnavailable:
        return _refused("The dashboard could not read its data store. Nothing was rolled back."), False
    return confirm_panel(plan), True


def roll_back(batch_id: str) -> html.Div:
    """Roll the import back and say what happened, or why it was refused."""
    user = auth.current_user()
    try:
        removed, restored = data_access.roll_back_import(user, batch_id)
    except (PermissionDenied, data_access.ImportRefused) as refused:
        return _refused(str(refused))
    except data_access.DataUnavailable:
        return _refused("The dashboard could not write to its data store. Nothing was rolled back.")
    return notification_banner(
        "Rolled back",
        f"The import is rolled back: the previous values of {plural(restored, 'figure')} were restored "
        f"and {plural(removed - restored, 'new figure')} removed.",
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


def on_click(kind: str, batch_id: str) -> Outcome:
    """What a click on a roll-back, confirm or cancel button shows."""
    if kind == ROLL_BACK:
        shown, asking = ask_to_confirm(batch_id)
        return shown, dash.no_update, asking
    if kind == CONFIRM:
        # Once rolled back, the history on the page is out of date: it stays aside, and the banner links to
        # the updated one (a fresh page, as the history can hold thousands of rejected rows).
        outcome = roll_back(batch_id)
        return outcome, dash.no_update, getattr(outcome, "id", None) == "imports-rolled-back"
    return (
        html.P("Nothing was rolled back.", className="app-body", id="imports-cancelled"),
        dash.no_update,
        False,
    )


def _on_click(*_clicks: list) -> Outcome:
    trigger = dash.ctx.triggered_id
    if not isinstance(trigger, dict) or not any(item["value"] for item in dash.ctx.triggered):
        raise PreventUpdate  # a button appearing, not a click
    return on_click(trigger["type"], trigger["batch"])


def register() -> None:
    """Register the callback with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output("imports-outcome", "children"),
        Output("imports-history", "children"),
        Output("imports-history", "hidden"),
        Input({"type": ROLL_BACK, "batch": ALL}, "n_clicks"),
        Input({"type": CONFIRM, "batch": ALL}, "n_clicks"),
        Input({"type": CANCEL, "batch": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(_on_click)
