"""What has been said and done about an exception: the provider's note from the return, the commentary and
the remedial actions with their history. Everything typed by a person is shown as text (Dash escapes it);
nothing is read as HTML or Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dash import html

from dashboard import data_access, formatting
from dashboard.components.attributes import extra
from dashboard.components.monitoring import forms

NO_COMMENTARY = "No commentary recorded."
NO_ACTION = "No action recorded."
ACTION_STATUS_WORDS = {"open": ("Open", "○"), "done": ("Done", "✓"), "overdue": ("Overdue", "!")}


def action_status_tag(status: str) -> html.Strong:
    """An action's status in words with a shape (and a colour from the stylesheet): Open, Done, Overdue."""
    words, icon = ACTION_STATUS_WORDS[status]
    return html.Strong(
        [html.Span(icon, className="status-tag__icon", **extra({"aria-hidden": "true"})), words],
        className=f"app-tag app-monitor__action-status app-monitor__action-status--{status}",
    )


def provider_note(note: str | None) -> list:
    """The note that came with the figure in the provider's return, if there was one."""
    if not note or not note.strip():
        return []
    return [
        html.P(
            [html.Strong("Note in the provider's return: "), note.strip()],
            className="app-body app-monitor__return-note",
        )
    ]


def commentary_list(entries: Sequence[data_access.Commentary]) -> html.Div:
    """Commentary entries, oldest first, each with whose view it is, the author and the time."""
    if not entries:
        return html.Div(html.P(NO_COMMENTARY, className="app-body app-monitor__none"))
    items = [
        html.Li(
            [
                html.P(
                    [
                        html.Strong(data_access.COMMENTARY_KINDS.get(entry.kind, entry.kind)),
                        f" — {entry.author}, {formatting.date_time(entry.written_at)}",
                    ],
                    className="app-body app-monitor__meta",
                ),
                html.P(entry.text, className="app-body app-monitor__text"),
            ],
            className="app-monitor__entry",
        )
        for entry in entries
    ]
    return html.Div(html.Ul(items, className="app-list app-monitor__entries"))


def _history(action: data_access.Action) -> html.Details:
    items = [
        html.Li(
            f"{formatting.date_time(update.updated_at)}: {ACTION_STATUS_WORDS[update.status][0]} — "
            f"{update.note} ({update.updated_by})"
        )
        for update in action.history
    ]
    return html.Details(
        [html.Summary("History of this action", className="app-details__summary"), html.Ul(items)],
        className="app-details app-monitor__history",
    )


def action_children(action: data_access.Action, can_manage: bool, message: html.P | None = None) -> list:
    """What one action shows: status and what, owner and due date, its history, a message after an update,
    and (for an officer, while it is not done) the update form."""
    children: list = [
        html.P([action_status_tag(action.status), " ", action.what], className="app-body app-monitor__what"),
        html.P(
            f"Owner: {action.owner}. Due {formatting.date(action.due_date)}. "
            f"Recorded by {action.created_by} for {action.period_label}.",
            className="app-body app-monitor__meta",
        ),
        _history(action),
    ]
    if message is not None:
        children.append(message)
    if can_manage and action.status != "done":
        children.append(forms.update_form(action.id, action.area_code))
    return children


def action_block(action: data_access.Action, can_manage: bool) -> html.Div:
    """One action in its own block, which an update re-draws."""
    return html.Div(
        action_children(action, can_manage),
        id=forms.action_key(forms.ACTION_BLOCK, action.id, action.area_code),
        className="app-monitor__action",
    )


def actions_list(actions: Sequence[data_access.Action], can_manage: bool) -> html.Div:
    """The actions, or "No action recorded."."""
    if not actions:
        return html.Div(html.P(NO_ACTION, className="app-body app-monitor__none"))
    return html.Div([action_block(action, can_manage) for action in actions])


def record(
    indicator_code: str,
    area_code: str,
    period_label: str,
    *,
    can_manage: bool,
    today: dt.date | None = None,
) -> list:
    """The commentary and actions recorded for an indicator, area and period, read from the store."""
    entries = [
        c
        for c in data_access.monitoring_commentary(area_code, (period_label,))
        if c.indicator_code == indicator_code
    ]
    actions = [
        a
        for a in data_access.monitoring_actions(
            area_code, (period_label,), today.isoformat() if today else None
        )
        if a.indicator_code == indicator_code
    ]
    return [
        html.H4("Commentary", className="app-heading-s"),
        commentary_list(entries),
        html.H4("Remedial actions", className="app-heading-s"),
        actions_list(actions, can_manage),
    ]
