"""The forms on the exceptions page: add commentary, record a remedial action, update an action's status.

Each form's fields have pattern-matching ids keyed by the indicator, area and period it is about (or the
action), so one set of callbacks serves every exception (:mod:`dashboard.monitoring_callbacks`). Every field
has a label; a problem is listed in an error summary that links to the field's form group.
"""

from __future__ import annotations

import datetime as dt
import json

from dash import dcc, html

from dashboard import data_access
from dashboard.components.attributes import extra
from dashboard.components.typed_dates import typed_date

COMMENT_TEXT, COMMENT_SAVE, COMMENT_SAVE_COMMISSIONER, COMMENT_RESULT = (
    "monitor-comment-text",
    "monitor-comment-save",
    "monitor-comment-save-commissioner",
    "monitor-comment-result",
)
ACTION_WHAT, ACTION_OWNER, ACTION_DUE, ACTION_SAVE, ACTION_RESULT = (
    "monitor-action-what",
    "monitor-action-owner",
    "monitor-action-due",
    "monitor-action-save",
    "monitor-action-result",
)
UPDATE_NOTE, UPDATE_DONE, UPDATE_OPEN, UPDATE_RESULT, ACTION_BLOCK = (
    "monitor-update-note",
    "monitor-update-done",
    "monitor-update-open",
    "monitor-update-result",
    "monitor-action",
)
RECORD = "monitor-record"


def key(kind: str, indicator_code: str, area_code: str, period_label: str) -> dict:
    """The id of a part of an exception's forms or record."""
    return {"type": kind, "indicator": indicator_code, "area": area_code, "period": period_label}


def action_key(kind: str, action_id: str, area_code: str) -> dict:
    """The id of a part of one action's block or update form."""
    return {"type": kind, "action": action_id, "area": area_code}


def dom_id(component_id: dict) -> str:
    """The id Dash gives a pattern-matching component in the page: its JSON with the keys sorted."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def group_id(name: str, owner: str) -> str:
    """The id of a field's form group, which an error summary links to ("monitor-comment-text-<code>")."""
    return f"{name}-{owner}"


def _field(label: str, component, name: str, owner: str, hint: str | None = None) -> html.Div:
    parts: list = [html.Label(label, htmlFor=dom_id(component.id), className="app-label")]
    if hint:
        parts.append(html.Div(hint, className="app-hint"))
    parts.append(component)
    return html.Div(parts, className="app-form-group", id=group_id(name, owner))


def commentary_form(indicator_code: str, area_code: str, period_label: str) -> html.Div:
    """Add the provider's explanation or the commissioner's view of the figure for ``period_label``: one
    text box, and a button for each (no radio buttons to get wrong)."""

    def button(words: str, kind: str, secondary: bool = False) -> html.Button:
        return html.Button(
            words,
            id=key(kind, indicator_code, area_code, period_label),
            className="app-button app-button--secondary" if secondary else "app-button",
            n_clicks=0,
        )

    return html.Div(
        [
            html.H4(f"Add commentary on {period_label}", className="app-heading-s"),
            html.Div(
                id=key(COMMENT_RESULT, indicator_code, area_code, period_label),
                **extra({"aria-live": "polite"}),
            ),
            _field(
                "Commentary",
                dcc.Textarea(
                    id=key(COMMENT_TEXT, indicator_code, area_code, period_label),
                    className="app-textarea",
                    rows=4,
                    value="",
                ),
                COMMENT_TEXT,
                indicator_code,
                hint=f"Plain text, up to {data_access.MAX_MONITORING_TEXT:,} characters. "
                "A correction is added as a new entry.",
            ),
            html.Div(
                [
                    button("Save as the provider's explanation", COMMENT_SAVE),
                    button("Save as the commissioner's view", COMMENT_SAVE_COMMISSIONER, secondary=True),
                ],
                className="app-button-group",
            ),
        ],
        className="app-monitor__form",
    )


def action_form(indicator_code: str, area_code: str, period_label: str) -> html.Div:
    """Record a remedial action: what will be done, who owns it and when it is due."""
    ids = {
        name: key(name, indicator_code, area_code, period_label)
        for name in (ACTION_WHAT, ACTION_OWNER, ACTION_DUE)
    }
    return html.Div(
        [
            html.H4("Record a remedial action", className="app-heading-s"),
            html.Div(
                id=key(ACTION_RESULT, indicator_code, area_code, period_label),
                **extra({"aria-live": "polite"}),
            ),
            _field(
                "What will be done",
                dcc.Textarea(id=ids[ACTION_WHAT], className="app-textarea", rows=3, value=""),
                ACTION_WHAT,
                indicator_code,
            ),
            _field(
                "Owner",
                dcc.Input(id=ids[ACTION_OWNER], type="text", className="app-input", value=""),
                ACTION_OWNER,
                indicator_code,
                hint="The person or team responsible.",
            ),
            _field(
                "Due date",
                dcc.Input(id=ids[ACTION_DUE], type="text", className="app-input app-input--date", value=""),
                ACTION_DUE,
                indicator_code,
                hint="For example, 31/12/2025.",
            ),
            html.Button(
                "Save action",
                id=key(ACTION_SAVE, indicator_code, area_code, period_label),
                className="app-button",
                n_clicks=0,
            ),
        ],
        className="app-monitor__form",
    )


def update_form(action_id: str, area_code: str) -> html.Div:
    """Update an open action: a note saying what has changed, then mark it done or keep it open."""
    return html.Div(
        [
            html.Div(id=action_key(UPDATE_RESULT, action_id, area_code), **extra({"aria-live": "polite"})),
            _field(
                "Note on progress",
                dcc.Input(
                    id=action_key(UPDATE_NOTE, action_id, area_code),
                    type="text",
                    className="app-input",
                    value="",
                ),
                UPDATE_NOTE,
                action_id,
            ),
            html.Div(
                [
                    html.Button(
                        "Mark as done",
                        id=action_key(UPDATE_DONE, action_id, area_code),
                        className="app-button",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Keep open",
                        id=action_key(UPDATE_OPEN, action_id, area_code),
                        className="app-button app-button--secondary",
                        n_clicks=0,
                    ),
                ],
                className="app-button-group",
            ),
        ],
        className="app-monitor__form app-monitor__update",
    )


def parse_due(text: str | None) -> dt.date | None:
    """A due date typed as 31/12/2025, 31 12 2025 or 2025-12-31 (None when blank); ValueError in words."""
    return typed_date(text, "The due date must be a real date, for example 31/12/2025.")
