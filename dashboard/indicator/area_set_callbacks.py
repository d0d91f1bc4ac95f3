"""Saving the areas on the trend chart as a named set to compare with (:mod:`data.area_sets`).

The form sits under "Compared with other areas" when the reader has chosen areas for the trend chart and is
signed in; the areas saved are the reader's area and those chosen. The user comes only from
:func:`dashboard.auth.current_user`, and the store refuses anyone not signed in.
"""

from __future__ import annotations

import dash
from dash import MATCH, Input, Output, State, dcc, html

from dashboard import auth, data_access
from dashboard.components.payment.forms import dom_id, error_summary
from dashboard.indicator.view import SET_PREFIX, View


def part(kind: str, form: object = "area-set") -> dict:
    """A pattern-matching id for a part of the form (one callback per form, as request checks expect), so
    the callback is absent from pages without it."""
    return {"type": f"area-set-{kind}", "form": form}


def area_set_form(view: View, names: dict[str, str]) -> html.Div | None:
    """The form saving the trend chart's areas as a set, or None when there is nothing to save or the
    reader is not signed in."""
    if not view.with_areas or not auth.current_user().signed_in:
        return None
    codes = (view.area, *view.with_areas)
    return html.Div(
        [
            html.H3("Save these areas as a set", className="app-heading-s"),
            html.P(
                "Areas: "
                + ", ".join(names.get(c, c) for c in codes)
                + ". A saved set is offered to everyone "
                "under \u201cCompare with\u201d.",
                className="app-body",
            ),
            dcc.Store(id=part("areas"), data=list(codes)),
            html.Label("Name of the set", htmlFor=dom_id(part("name")), className="app-label"),
            dcc.Input(id=part("name"), type="text", value="", maxLength=80, className="app-input"),
            html.Button("Save the set", id=part("save"), n_clicks=0, type="button", className="app-button"),
            html.Div(id=part("result"), role="status"),
        ],
        className="app-area-set",
        id="area-set-form",
    )


def save_set(name: object, codes: object) -> html.Div | html.P:
    """Save the set as the signed-in user: the confirmation with a link to it, or the refusal in words."""
    chosen = [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []
    try:
        saved = data_access.save_area_set(auth.current_user(), name if isinstance(name, str) else "", chosen)
    except (ValueError, data_access.DataUnavailable) as problem:
        return error_summary([("", str(problem))], id="area-set-errors")
    cleaned = " ".join(str(name).split())
    return html.P(
        f"Saved \u201c{cleaned}\u201d ({len(saved)} areas). Choose it under \u201cCompare with\u201d "
        f"(compare={SET_PREFIX}{cleaned}).",
        className="app-body app-area-set__saved",
    )


def _on_save(clicks, name, areas):
    if not (isinstance(clicks, int) and clicks > 0):
        return dash.no_update
    return save_set(name, areas)


def register() -> None:
    """Register the form's callback with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output(part("result", MATCH), "children"),
        Input(part("save", MATCH), "n_clicks"),
        State(part("name", MATCH), "value"),
        State(part("areas", MATCH), "data"),
        prevent_initial_call=True,
    )(_on_save)
