"""Process changes under the SPC chart: the changes recorded for the indicator and area, each with the period
its new limits start from, and, for an officer or administrator, a form to record one and a button to
withdraw one.

Anyone reading the page sees the list; only someone who may record a change (:data:`RECORD_PROCESS_CHANGE`)
sees the form and the Withdraw buttons. Hiding them is a courtesy: the callbacks
(:mod:`dashboard.indicator.process_change_callbacks`) pass the signed-in user to the store, which refuses
anyone else and writes nothing.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import auth, data_access
from dashboard.components.attributes import extra
from dashboard.components.govuk import visually_hidden
from dashboard.indicator.context import Context
from data import access

SECTION = "process-changes"
DATE, REASON, RESULT, LIST = (
    "process-change-date",
    "process-change-reason",
    "process-change-result",
    "process-change-list",
)
SAVE_AREA, SAVE_ALL = "process-change-save-area", "process-change-save-all"
WITHDRAW = "process-change-withdraw"


def withdraw_id(change_id: str) -> dict:
    """The id of the Withdraw button of one change."""
    return {"type": WITHDRAW, "change": change_id}


def day_words(day) -> str:
    """'1 April 2024'."""
    stamp = pd.Timestamp(day)
    return f"{stamp.day} {stamp:%B %Y}"


def first_period(ctx: Context, change: data_access.ProcessChange) -> str:
    """Where the change starts new limits for the area shown: "2024/25 Q1", or why it does not (yet)."""
    rows = ctx.area_rows()
    rows = rows[rows["value"].notna()].sort_values(["period_end", "period_start"])
    starts = pd.to_datetime(rows["period_start"])
    later = rows[starts >= pd.Timestamp(change.change_date)]
    if later.empty:
        return "no figures since this date yet"
    if later.index[0] == rows.index[0]:
        return "before the first figure, so every figure is in one phase"
    return f"limits recalculated from {later['period_label'].iloc[0]}"


def _entry(ctx: Context, change: data_access.ProcessChange, can_change: bool) -> html.Li:
    where = f"{ctx.area_name} only" if change.area_code else "every area"
    parts: list[Component | str] = [
        html.Strong(f"From {day_words(change.change_date)}"),
        f" ({first_period(ctx, change)}; {where}): ",
        html.Span(change.reason, className="app-process-changes__reason"),
        html.Br(),
        html.Span(
            f"Recorded by {change.recorded_by} on {day_words(change.recorded_at)}.",
            className="app-secondary",
        ),
    ]
    if can_change:
        parts.append(
            html.Button(
                ["Withdraw", visually_hidden(f" the change from {day_words(change.change_date)}")],
                id=withdraw_id(change.id),
                className="app-button app-button--secondary app-process-changes__withdraw",
                n_clicks=0,
            )
        )
    return html.Li(parts, className="app-process-changes__entry")


def _changes_list(ctx: Context, can_change: bool) -> Component:
    changes = data_access.process_changes_for(ctx.view.code, ctx.area)
    if not changes:
        return html.P(
            "No process change has been recorded for this indicator here.",
            className="app-body app-secondary",
            id=LIST,
        )
    return html.Ul(
        [_entry(ctx, change, can_change) for change in changes],
        className="app-process-changes__list",
        id=LIST,
    )


def _field(label: str, component: Component, field_id: str, hint: str) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=field_id, className="app-label"),
            html.Div(hint, className="app-hint", id=f"{field_id}-hint"),
            component,
        ],
        className="app-form-group",
        id=f"{field_id}-group",
    )


def _form(ctx: Context) -> html.Div:
    """Record a change: the date it took effect, the reason, and whether it is this area's or every area's
    (a button for each, so there is no choice to get wrong)."""
    return html.Div(
        [
            html.H4("Record a process change", className="app-heading-s"),
            _field(
                "Date the change took effect",
                dcc.Input(
                    id=DATE,
                    type="text",
                    className="app-input app-input--date",
                    value="",
                ),
                DATE,
                "For example, 1/4/2024. The limits are worked out afresh from the first period starting on "
                "or after this date: 1/4/2024 starts them again from 2024/25 Q1.",
            ),
            _field(
                "Reason",
                dcc.Input(
                    id=REASON,
                    type="text",
                    className="app-input app-input--wide",
                    value="",
                    maxLength=data_access.MAX_PROCESS_CHANGE_REASON,
                ),
                REASON,
                f"Shown on the chart, for example 'New 6-8 week review pathway'. Up to "
                f"{data_access.MAX_PROCESS_CHANGE_REASON} characters.",
            ),
            html.Div(
                [
                    html.Button(
                        f"Record for {ctx.area_name}", id=SAVE_AREA, className="app-button", n_clicks=0
                    ),
                    html.Button(
                        "Record for all areas",
                        id=SAVE_ALL,
                        className="app-button app-button--secondary",
                        n_clicks=0,
                    ),
                ],
                className="app-button-group",
            ),
        ],
        className="app-process-changes__form",
    )


def process_changes_section(ctx: Context, message: Component | None = None) -> html.Div:
    """The recorded changes for the indicator and area, and the form for someone who may record one.
    ``message`` (a confirmation or a problem) is shown at the top, where the reader's eye is."""
    can_change = access.can(auth.current_user(), access.RECORD_PROCESS_CHANGE)
    children: list[Component] = [
        html.H3("Process changes", className="app-heading-m", id="process-changes-heading"),
        html.Div(message, id=RESULT, **extra({"aria-live": "polite"})),
        html.P(
            "When the way a service works changes (a new pathway, a new way of counting), the process limits "
            "are worked out afresh from that date, and variation and assurance are judged on the figures "
            "since.",
            className="app-body",
        ),
        _changes_list(ctx, can_change),
    ]
    if can_change:
        children.append(_form(ctx))
    return html.Div(
        children,
        className="app-process-changes",
        id=SECTION,
    )
