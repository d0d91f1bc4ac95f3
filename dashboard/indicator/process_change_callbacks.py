"""The SPC view's callback: record a process change, or withdraw one.

The functions that do the work are plain (so tests can call them); :func:`register` connects them to Dash.
The user comes only from :func:`dashboard.auth.current_user`, and the store checks the permission before it
writes, so a viewer's crafted request is refused with the refusal shown and nothing written.

After a change the whole indicator page is built again from the store, so the chart, its limits, and the
variation and assurance in the summary card and under the chart are the new ones at once; a problem is shown
in an error summary above the form, and the page is left as it was. The form's parts have pattern-matching
ids carrying the view (indicator, area, CI setting), so the button pressed says what to record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import ALL, Input, Output, State, html

from dashboard import auth, data_access, routes
from dashboard.components.payment.forms import error_summary
from dashboard.components.typed_dates import typed_date
from dashboard.indicator import process_changes as section
from data import access

ERRORS = "process-change-errors"
_NO = dash.no_update


def _day(text: str | None) -> dt.date | None:
    """The date typed as 1/4/2024, 1 4 2024 or 2024-04-01; None when blank. ValueError in words."""
    return typed_date(text, "The date the change took effect must be a real date, for example 1/4/2024.")


def _problem(message: str, anchor: str = "") -> tuple:
    """(page unchanged, the refusal in an error summary above the form)."""
    return _NO, error_summary([(anchor, message)], title="There is a problem", id=ERRORS)


def _with_message(node: Any, wanted: dict, message: html.P) -> bool:
    """Put ``message`` in the component with id ``wanted`` under ``node``; True when it was found."""
    if isinstance(node, list | tuple):
        return any(_with_message(child, wanted, message) for child in node)
    if not hasattr(node, "to_plotly_json"):
        return False
    if getattr(node, "id", None) == wanted:
        node.children = message
        return True
    return _with_message(getattr(node, "children", None), wanted, message)


def _page_again(view: dict, words: str) -> tuple:
    """(the indicator page built again from the store with ``words`` confirming the change, no problem)."""
    page = next(p for p in dash.page_registry.values() if p.get("path_template") == routes.INDICATOR_TEMPLATE)
    content = page["layout"](code=view["code"], area=view["area"], view="spc", ci=view["ci"])
    saved = html.P(words, className="app-body app-process-changes__saved", role="status")
    _with_message(content, section.part_id(section.RESULT, view), saved)
    return content, None


def record_change(view: dict, for_every_area: bool, date_text: str | None, reason: str | None) -> tuple:
    """Record a process change for the indicator and area of ``view`` (code, area, ci), or for every area;
    (page content, problem)."""
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
        field = section.REASON if "reason" in words.lower() else section.DATE
        return _problem(words, f"{field}-group")
    where = "every area" if for_every_area else "this area"
    return _page_again(
        view, f"Process change from {section.day_words(change.change_date)} recorded for {where}."
    )


def withdraw_change(view: dict, change_id: str) -> tuple:
    """Withdraw the process change ``change_id``; (page content, problem)."""
    try:
        change = data_access.withdraw_process_change(auth.current_user(), change_id)
    except access.PermissionDenied as error:
        return _problem(str(error))
    except data_access.DataUnavailable as error:
        return _problem(f"The change could not be withdrawn: the store could not be written ({error}).")
    except data_access.ProcessChangeError as error:
        return _problem(str(error))
    return _page_again(view, f"Process change from {section.day_words(change.change_date)} withdrawn.")


def _callback(
    _saves: list[int | None],
    _withdrawals: list[int | None],
    dates: list[str | None],
    reasons: list[str | None],
) -> tuple:
    """The button pressed says what to do, and for which view; a button drawn afresh (no click) does
    nothing."""
    triggered = dash.ctx.triggered_id
    clicked = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
    if not isinstance(triggered, dict) or not clicked:
        raise dash.exceptions.PreventUpdate
    view = {key: triggered[key] for key in ("code", "area", "ci")}
    if triggered["type"] == section.WITHDRAW:
        content, problem = withdraw_change(view, triggered["change"])
    else:
        content, problem = record_change(
            view, triggered["scope"] == section.ALL_AREAS, next(iter(dates), None), next(iter(reasons), None)
        )
    return content, [problem if problem is not None else _NO]


def _all(kind: str, **more: Any) -> dict:
    return {"type": kind, "code": ALL, "area": ALL, "ci": ALL, **more}


def register() -> None:
    """Register the callback with the app being built."""
    dash.callback(
        Output("_pages_content", "children", allow_duplicate=True),
        Output(_all(section.RESULT), "children"),
        Input(_all(section.SAVE, scope=ALL), "n_clicks"),
        Input(_all(section.WITHDRAW, change=ALL), "n_clicks"),
        State(_all(section.DATE), "value"),
        State(_all(section.REASON), "value"),
        prevent_initial_call=True,
    )(_callback)
