"""The exceptions page's callbacks: save commentary, record a remedial action, update an action.

Each callback is a plain function (so tests can call it), registered with Dash by :func:`register`, which the
page module calls as Dash imports it. The user comes only from :func:`dashboard.auth.current_user`; the
store function checks the permission before it writes, so a viewer's crafted request is refused with the
refusal shown in an error summary and nothing written. After a write the record (commentary and actions)
is read again and shown, and the form is cleared.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash
from dash import MATCH, Input, Output, State, html

from dashboard import auth, data_access
from dashboard.components.monitoring import forms, records
from dashboard.components.payment.forms import error_summary
from data import access

_NO = dash.no_update


def _problem(errors: Sequence[tuple[str, str]], id: str) -> html.Div:
    """An error summary listing each problem with a link to its field."""
    return error_summary(errors, title="There is a problem", id=id)


def _saved(words: str) -> html.P:
    return html.P(words, className="app-body app-monitor__saved", role="status")


def _refusal(error: Exception, anchor: str, id: str) -> html.Div:
    """Why a change was refused or could not be made, as an error summary."""
    if isinstance(error, data_access.DataUnavailable):
        return _problem(
            [("", f"The change could not be saved: the store could not be written ({error}).")], id
        )
    return _problem([("" if isinstance(error, access.PermissionDenied) else anchor, str(error))], id)


def save_commentary(ids: dict, kind: str, text: str | None) -> tuple:
    """Record commentary for the indicator, area and period in ``ids``; (message, record, text)."""
    code, area, period = ids["indicator"], ids["area"], ids["period"]
    summary_id = f"monitor-comment-errors-{code}"
    try:
        data_access.add_commentary(
            auth.current_user(),
            indicator_code=code,
            area_code=area,
            period_label=period,
            kind=kind,
            text=text or "",
        )
    except (access.PermissionDenied, data_access.MonitoringError, data_access.DataUnavailable) as error:
        return _refusal(error, forms.group_id(forms.COMMENT_TEXT, code), summary_id), _NO, _NO
    user = auth.current_user()
    record = records.record(code, area, period, can_manage=access.can(user, access.MANAGE_ACTIONS))
    return _saved(f"Commentary saved for {period}."), record, ""


def _action_anchor(message: str, code: str) -> str:
    if "due" in message:
        return forms.group_id(forms.ACTION_DUE, code)
    if "owns" in message or "owner" in message:
        return forms.group_id(forms.ACTION_OWNER, code)
    return forms.group_id(forms.ACTION_WHAT, code)


def save_action(ids: dict, what: str | None, owner: str | None, due: str | None) -> tuple:
    """Record a remedial action; (message, record, what, owner, due)."""
    code, area, period = ids["indicator"], ids["area"], ids["period"]
    summary_id = f"monitor-action-errors-{code}"
    user = auth.current_user()
    try:
        due_date = forms.parse_due(due)
        data_access.add_action(
            user,
            indicator_code=code,
            area_code=area,
            period_label=period,
            what=what or "",
            owner=owner or "",
            due_date=due_date,
        )
    except (access.PermissionDenied, data_access.MonitoringError, data_access.DataUnavailable) as error:
        return _refusal(error, _action_anchor(str(error), code), summary_id), _NO, _NO, _NO, _NO
    except ValueError as error:  # a due date that is not a real date
        return (
            _problem([(forms.group_id(forms.ACTION_DUE, code), str(error))], summary_id),
            _NO,
            _NO,
            _NO,
            _NO,
        )
    record = records.record(code, area, period, can_manage=True)
    return _saved(f"Action saved for {period}."), record, "", "", ""


def update_action(ids: dict, status: str, note: str | None) -> tuple:
    """Add an update to the action in ``ids``; (message beside the form, the action's block redrawn)."""
    action_id, area = ids["action"], ids["area"]
    summary_id = f"monitor-update-errors-{action_id}"
    user = auth.current_user()
    try:
        data_access.update_action(user, action_id, status, note or "")
    except (access.PermissionDenied, data_access.MonitoringError, data_access.DataUnavailable) as error:
        return _refusal(error, forms.group_id(forms.UPDATE_NOTE, action_id), summary_id), _NO
    action = next((a for a in data_access.monitoring_actions(area) if a.id == action_id), None)
    if action is None:
        return _NO, _NO
    words = "done" if action.status == "done" else "still open"
    message = _saved(f"Action updated: {words}.")
    return _NO, records.action_children(action, access.can(user, access.MANAGE_ACTIONS), message)


def _record_key(kind: str) -> dict:
    return {"type": kind, "indicator": MATCH, "area": MATCH, "period": MATCH}


def _action_key(kind: str) -> dict:
    return {"type": kind, "action": MATCH, "area": MATCH}


def _triggered_type() -> str:
    triggered = dash.ctx.triggered_id
    return triggered.get("type", "") if isinstance(triggered, dict) else ""


def _commentary_callback(
    _provider: int | None, _commissioner: int | None, ids: dict, text: str | None
) -> tuple:
    """Whose commentary it is comes from the button pressed."""
    kind = "commissioner" if _triggered_type() == forms.COMMENT_SAVE_COMMISSIONER else "provider"
    return save_commentary(ids, kind, text)


def _action_callback(
    _clicks: int | None, ids: dict, what: str | None, owner: str | None, due: str | None
) -> tuple:
    return save_action(ids, what, owner, due)


def _update_callback(_done: int | None, _open: int | None, ids: dict, note: str | None) -> tuple:
    """The new status comes from the button pressed: "Mark as done" or "Keep open"."""
    status = "done" if _triggered_type() == forms.UPDATE_DONE else "open"
    return update_action(ids, status, note)


def register() -> None:
    """Register the callbacks with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output(_record_key(forms.COMMENT_RESULT), "children"),
        Output(_record_key(forms.RECORD), "children", allow_duplicate=True),
        Output(_record_key(forms.COMMENT_TEXT), "value"),
        Input(_record_key(forms.COMMENT_SAVE), "n_clicks"),
        Input(_record_key(forms.COMMENT_SAVE_COMMISSIONER), "n_clicks"),
        State(_record_key(forms.COMMENT_SAVE), "id"),
        State(_record_key(forms.COMMENT_TEXT), "value"),
        prevent_initial_call=True,
    )(_commentary_callback)
    dash.callback(
        Output(_record_key(forms.ACTION_RESULT), "children"),
        Output(_record_key(forms.RECORD), "children", allow_duplicate=True),
        Output(_record_key(forms.ACTION_WHAT), "value"),
        Output(_record_key(forms.ACTION_OWNER), "value"),
        Output(_record_key(forms.ACTION_DUE), "value"),
        Input(_record_key(forms.ACTION_SAVE), "n_clicks"),
        State(_record_key(forms.ACTION_SAVE), "id"),
        State(_record_key(forms.ACTION_WHAT), "value"),
        State(_record_key(forms.ACTION_OWNER), "value"),
        State(_record_key(forms.ACTION_DUE), "value"),
        prevent_initial_call=True,
    )(_action_callback)
    dash.callback(
        Output(_action_key(forms.UPDATE_RESULT), "children"),
        Output(_action_key(forms.ACTION_BLOCK), "children"),
        Input(_action_key(forms.UPDATE_DONE), "n_clicks"),
        Input(_action_key(forms.UPDATE_OPEN), "n_clicks"),
        State(_action_key(forms.UPDATE_DONE), "id"),
        State(_action_key(forms.UPDATE_NOTE), "value"),
        prevent_initial_call=True,
    )(_update_callback)
