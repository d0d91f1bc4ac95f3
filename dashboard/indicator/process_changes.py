"""Process changes under the SPC chart: the changes recorded for the indicator and area, each with the period
its new limits start from, and, for an officer or administrator, a form to record one and a button to
withdraw one.

Anyone reading the page sees the list; only someone who may record a change (:data:`RECORD_PROCESS_CHANGE`)
sees the form and the Withdraw buttons. Hiding them is a courtesy: the callbacks
(:mod:`dashboard.indicator.process_change_callbacks`) pass the signed-in user to the store, which refuses
anyone else and writes nothing.
"""

from __future__ import annotations

import json

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import auth, data_access
from dashboard.components.attributes import extra
from dashboard.components.govuk import visually_hidden
from dashboard.indicator.context import Context
from data import access

SECTION = "process-changes"
LIST = "process-change-list"
RESULT, DATE, REASON, SAVE, WITHDRAW = (
    "process-change-result",
    "process-change-date",
    "process-change-reason",
    "process-change-save",
    "process-change-withdraw",
)
"""The types of the pattern-matching ids of the form's parts. Their callback is registered for every page, so
its ids are patterns that simply match nothing on other pages (a plain id missing from a page is an error)."""
AREA, ALL_AREAS = "area", "all"


def part_id(kind: str, ctx_or_view: Context | dict, **more: str) -> dict:
    """The id of a part of the form: its ``kind`` and the view it belongs to (indicator, area, CI setting), so
    that the callback knows what to record from the button pressed alone."""
    view = ctx_or_view.view.as_data() if isinstance(ctx_or_view, Context) else ctx_or_view
    return {"type": kind, "code": view["code"], "area": view["area"], "ci": view["ci"], **more}


def dom_id(component_id: dict) -> str:
    """The id Dash gives a pattern-matching component in the page: its JSON with the keys sorted."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


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
                id=part_id(WITHDRAW, ctx, change=change.id),
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


def _field(label: str, component: dcc.Input, field_id: dict, hint: str) -> html.Div:
    """A labelled form group; an error summary links to it ("process-change-date-group")."""
    return html.Div(
        [
            html.Label(label, htmlFor=dom_id(field_id), className="app-label"),
            html.Div(hint, className="app-hint"),
            component,
        ],
        className="app-form-group",
        id=f"{field_id['type']}-group",
    )


def _form(ctx: Context) -> html.Div:
    """Record a change: the date it took effect, the reason, and whether it is this area's or every area's
    (a button for each, so there is no choice to get wrong)."""
    date_id, reason_id = part_id(DATE, ctx), part_id(REASON, ctx)
    return html.Div(
        [
            html.H4("Record a process change", className="app-heading-s"),
            _field(
                "Date the change took effect",
                dcc.Input(id=date_id, type="text", className="app-input app-input--date", value=""),
                date_id,
                "For example, 1/4/2024. The limits are worked out afresh from the first period starting on "
                "or after this date: 1/4/2024 starts them again from 2024/25 Q1.",
            ),
            _field(
                "Reason",
                dcc.Input(
                    id=reason_id,
                    type="text",
                    className="app-input",
                    value="",
                    maxLength=data_access.MAX_PROCESS_CHANGE_REASON,
                ),
                reason_id,
                f"Shown on the chart, for example 'New 6-8 week review pathway'. Up to "
                f"{data_access.MAX_PROCESS_CHANGE_REASON} characters.",
            ),
            html.Div(
                [
                    html.Button(
                        f"Record for {ctx.area_name}",
                        id=part_id(SAVE, ctx, scope=AREA),
                        className="app-button",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Record for all areas",
                        id=part_id(SAVE, ctx, scope=ALL_AREAS),
                        className="app-button app-button--secondary",
                        n_clicks=0,
                    ),
                ],
                className="app-button-group",
            ),
        ],
        className="app-process-changes__form",
    )


def process_changes_section(ctx: Context) -> html.Div:
    """The recorded changes for the indicator and area, and the form for someone who may record one, under
    a place for the confirmation or problem after a change."""
    can_change = access.can(auth.current_user(), access.RECORD_PROCESS_CHANGE)
    children: list[Component] = [
        html.H3("Process changes", className="app-heading-m", id="process-changes-heading"),
        html.Div(id=part_id(RESULT, ctx), **extra({"aria-live": "polite"})),
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
