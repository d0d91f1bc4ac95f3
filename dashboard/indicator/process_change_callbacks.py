"""The SPC view's callbacks: record a process change, withdraw one.

Each is a plain function (so tests can call it), registered with Dash by :func:`register`. The user comes only
from :func:`dashboard.auth.current_user`, and the store checks the permission before it writes, so a
viewer's crafted request is refused with the refusal shown and nothing written. After a change the "Over
time" section and the summary card are built again from the store, so the chart, its limits and the
variation and assurance everywhere on the page are the new ones at once.
"""

from __future__ import annotations

import datetime as dt
import re

import dash
from dash import ALL, Input, Output, State, html

from dashboard import auth, data_access
from dashboard.components.payment.forms import error_summary
from dashboard.indicator import process_changes as section
from dashboard.indicator.context import build_context
from dashboard.indicator.over_time import over_time_section
from dashboard.indicator.summary_card import summary_section
from data import access

ERRORS = "process-change-errors"
_NO = dash.no_update


def _problem(message: str, anchor: str = "") -> tuple:
    """The refusal in an error summary beside the form; the page is left as it was."""
    return error_summary([(anchor, message)], title="There is a problem", id=ERRORS), _NO, _NO


def _redrawn(view: dict, words: str) -> tuple:
    """The "Over time" section and the summary card rebuilt from the store, with ``words`` confirming."""
    query = {"area": view.get("area"), "view": view.get("view"), "ci": view.get("ci")}
    ctx = build_context(view["code"], query)
    if ctx is None:
        raise dash.exceptions.PreventUpdate
    saved = html.P(words, className="app-body app-process-changes__saved", role="status")
    return _NO, over_time_section(ctx, saved).children, summary_section(ctx).children


_DAY = re.compile(r"^(\d{1,2})[/ .-](\d{1,2})[/ .-](\d{4})$")


def _day(text: str | None) -> dt.date | None:
    """The date typed as 1/4/2024, 1 4 2024 or 2024-04-01; None when blank. ValueError in words."""
    value = " ".join((text or "").split())
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        match = _DAY.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValueError("The date the change took effect must be a real date, for example 1/4/2024.")


def record_change(view: dict, for_every_area: bool, date_text: str | None, reason: str | None) -> tuple:
    """Record a process change for the indicator and area in ``view`` (or every area); (problem, over-time
    section, summary card)."""
    try:
        change = data_access.record_process_change(
            auth.current_user(),
            indicator_code=view["code"],
            area_code=None if for_every_area else view["area"],
            change_date=_day(date_text),
            reason=reason,
        )
    except access.PermissionDenied as error:
        return _problem(str(error))
    except data_access.DataUnavailable as error:
        return _problem(f"The change could not be saved: the store could not be written ({error}).")
    except ValueError as error:  # ProcessChangeError, or a date that is not a real date
        words = str(error)
        anchor = f"{section.REASON}-group" if "reason" in words.lower() else f"{section.DATE}-group"
        return _problem(words, anchor)
    where = "every area" if for_every_area else "this area"
    day = section.day_words(change.change_date)
    return _redrawn(view, f"Process change from {day} recorded for {where}.")


def withdraw_change(view: dict, change_id: str) -> tuple:
    """Withdraw the process change ``change_id``; (problem, over-time section, summary card)."""
    try:
        change = data_access.withdraw_process_change(auth.current_user(), change_id)
    except access.PermissionDenied as error:
        return _problem(str(error))
    except data_access.DataUnavailable as error:
        return _problem(f"The change could not be withdrawn: the store could not be written ({error}).")
    except data_access.ProcessChangeError as error:
        return _problem(str(error))
    return _redrawn(view, f"Process change from {section.day_words(change.change_date)} withdrawn.")


def _callback(
    _area: int | None,
    _all: int | None,
    _withdraw: list[int | None],
    view: dict | None,
    date_text: str | None,
    reason: str | None,
) -> tuple:
    """Which button was pressed decides what is done; a button drawn afresh (no click) does nothing."""
    triggered = dash.ctx.triggered_id
    clicked = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
    if not view or not clicked:
        raise dash.exceptions.PreventUpdate
    if isinstance(triggered, dict) and triggered.get("type") == section.WITHDRAW:
        return withdraw_change(view, triggered["change"])
    return record_change(view, triggered == section.SAVE_ALL, date_text, reason)


def register() -> None:
    """Register the callback with the app being built."""
    dash.callback(
        Output(section.RESULT, "children"),
        Output("over-time", "children"),
        Output("indicator-summary", "children"),
        Input(section.SAVE_AREA, "n_clicks"),
        Input(section.SAVE_ALL, "n_clicks"),
        Input(section.withdraw_id(ALL), "n_clicks"),  # type: ignore[arg-type]
        State("indicator-view", "data"),
        State(section.DATE, "value"),
        State(section.REASON, "value"),
        prevent_initial_call=True,
    )(_callback)
