"""The payment page's callbacks: what-if values, the downloads, and the forms that change or agree a scheme.

Each callback is a plain function (so tests can call it), registered with Dash by :func:`register`, which the
page module calls as Dash's pages plugin imports it (once for each app). Everything is read and written
through :mod:`dashboard.data_access`: :func:`load` reads what a scheme version needs, and the forms save
through :func:`dashboard.data_access.save_scheme` and :func:`~dashboard.data_access.agree_scheme`. After a
save or an agreement the page opens the version written (:mod:`dashboard.scheme_setup_callbacks`, which also
has the callbacks that set up a year's first scheme or start it from an uplift).

Changing a scheme is an administrator's action. The save callback checks the user with
:func:`data.access.require` before it reads anything, and the store checks again before it writes; a refusal
is shown in an error summary with nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash
from dash import ALL, Input, NoUpdate, Output, State, dcc, html

from dashboard import auth, data_access, scheme_setup_callbacks
from dashboard.components.notices import notification_banner
from dashboard.components.payment import forms, sections, whatif_panel
from dashboard.components.payment.assurance import assurance_for
from dashboard.components.payment.choice import Loaded
from dashboard.components.payment.forms import change_field_id, error_summary, form_id, read_amount
from dashboard.components.payment.whatif import WhatIfInputs, apply_what_if, price
from dashboard.scheme_setup_callbacks import Outcome, announce, done, version_href
from data import access
from data.access import CHANGE_SCHEME, PermissionDenied
from data.payment_export import csv_text, file_name, workbook_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def load(contract: str, year: str, version: int) -> Loaded | None:
    """What the page and its callbacks need for a scheme version (None when there is no such version): the
    scheme, its reported figures, each KPI's SPC assurance, the area and the indicators' names."""
    scheme, _ = data_access.payment_scheme(contract, year, version)
    if scheme is None:
        return None
    so_far, year_to_date = data_access.payment_actuals(contract, year, version)
    codes = tuple(sorted({kpi.indicator_code for kpi in scheme.kpis}))
    series = data_access.payment_series(scheme.area_code, codes, year)
    area_name = str(data_access.payment_contracts().set_index("code").loc[contract, "area_name"])
    catalogue = data_access.catalogue()
    name_column = "short_name" if "short_name" in catalogue.columns else "name"
    names = dict(zip(catalogue["code"], catalogue[name_column].fillna(catalogue["name"]), strict=True))
    return Loaded(
        scheme,
        so_far,
        year_to_date,
        assurance_for(scheme, series, data_access.process_change_dates(scheme.area_code)),
        area_name,
        scheme.area_code,
        names,
    )


# --- What-if values ----------------------------------------------------------------------------------------


def _grid(defaults: WhatIfInputs, entries: Sequence[Mapping] | None) -> list[list]:
    """The what-if values from Dash's list of {id, value} entries, as one list per KPI."""
    grid: list[list] = [list(row) for row in defaults["values"]]
    for entry in entries or ():
        kpi, period = _position(entry["id"], "kpi", grid), _position(entry["id"], "period", grid, "kpi")
        if kpi is not None and period is not None:
            grid[kpi][period] = entry.get("value")
    return grid


def _position(component_id: Mapping, key: str, grid: Sequence, row_key: str | None = None) -> int | None:
    """The KPI (or, with ``row_key``, period) position an input's id names, None if the page has no such
    input (a crafted request: its value is ignored, so the figures shown stay those of the page)."""
    position = component_id.get(key)
    items = grid[component_id[row_key]] if row_key else grid
    if isinstance(position, int) and not isinstance(position, bool) and 0 <= position < len(items):
        return position
    return None


def _weights(defaults: WhatIfInputs, entries: Sequence[Mapping] | None) -> list:
    """The what-if weights from Dash's list of {id, value} entries."""
    weights: list = list(defaults["weights"])
    for entry in entries or ():
        kpi = _position(entry["id"], "kpi", weights)
        if kpi is not None:
            weights[kpi] = entry.get("value")
    return weights


def what_if_outputs(
    context: Mapping, defaults: WhatIfInputs, values: Sequence[Sequence], weights: Sequence
) -> tuple:
    """(results, error summary, what-if notice, inline errors, live money) for the what-if inputs given."""
    loaded = load(context["contract"], context["year"], context["version"])
    if loaded is None:
        return (dash.no_update,) * 5
    what_if = apply_what_if(loaded.scheme, loaded.so_far, defaults, values, weights)
    if what_if.errors:
        summary = error_summary(
            what_if.errors,
            id="payment-whatif-error-summary",
            note="The money on this page is not worked out again until this is fixed.",
        )
        inline = html.P(
            [
                html.Strong("Fix the problem to see the money: "),
                "; ".join(message for _, message in what_if.errors) + ".",
            ],
            className="app-error-message",
            id="payment-whatif-inline-message",
        )
        return (
            dash.no_update,
            summary,
            whatif_panel.whatif_notice(what_if.changes),
            inline,
            [html.P("The money cannot be worked out until the problem is fixed.", className="app-body")],
        )
    priced = price(what_if, loaded.assured)
    reported = price(apply_what_if(loaded.scheme, loaded.so_far, defaults), loaded.assured)
    return (
        sections.results(loaded, priced, context.get("palette", "standard"), what_if=what_if.active),
        None,
        whatif_panel.whatif_notice(what_if.changes),
        None,
        whatif_panel.whatif_live(priced, reported, what_if.changes),
    )


def _what_if_from_request(context: Mapping, defaults: WhatIfInputs) -> tuple:
    """The what-if outputs for the values and weights in the request Dash is serving."""
    if not context or not defaults:  # the page always fills both; a request without them changes nothing
        return (dash.no_update,) * 5
    inputs = dash.ctx.inputs_list
    return what_if_outputs(context, defaults, _grid(defaults, inputs[0]), _weights(defaults, inputs[1]))


def _what_if_messages(values, weights, context, defaults) -> tuple:
    """The small, quick part: the money beside the inputs, the what-if notice and any problems."""
    _, summary, notice, inline, live = _what_if_from_request(context, defaults)
    return summary, notice, inline, live


def _what_if_results(values, weights, context, defaults) -> list:
    """The page-wide part: the money, the KPI table and the forecast, in its own request so the browser can
    show the money beside the inputs first."""
    return _what_if_from_request(context, defaults)[0]


def reset_what_if(
    n_clicks, defaults: WhatIfInputs, value_ids: Sequence[Mapping], weight_ids: Sequence[Mapping]
) -> tuple[list, list] | tuple[NoUpdate, NoUpdate]:
    """Put every what-if input back to the reported figure and the scheme's weight."""
    if not n_clicks or not defaults:
        return dash.no_update, dash.no_update
    values, weights = defaults["values"], defaults["weights"]
    return (
        [
            values[i["kpi"]][i["period"]]
            if _position(i, "kpi", values) is not None and _position(i, "period", values, "kpi") is not None
            else None
            for i in value_ids
        ],
        [weights[i["kpi"]] if _position(i, "kpi", weights) is not None else None for i in weight_ids],
    )


# --- Downloads ---------------------------------------------------------------------------------------------


def export_file(
    kind: str, context: Mapping, defaults: WhatIfInputs, values: Sequence[Sequence], weights: Sequence
) -> dict[str, Any] | NoUpdate:
    """The calculation as a dcc.Download payload (XLSX or CSV), with the what-if values if any."""
    loaded = load(context["contract"], context["year"], context["version"])
    if loaded is None:
        return dash.no_update
    what_if = apply_what_if(loaded.scheme, loaded.so_far, defaults, values, weights)
    if what_if.errors:
        what_if = apply_what_if(loaded.scheme, loaded.so_far, defaults)
    priced = price(what_if, loaded.assured)
    name = file_name(priced.scheme, kind, what_if=what_if.active)
    commissioner = data_access.payment_contracts().set_index("code").loc[context["contract"], "commissioner"]
    if kind == "csv":
        text = csv_text(priced, what_if=what_if.changes, commissioner=commissioner)
        return dcc.send_string(text, name, type="text/csv")
    versions, audit = data_access.payment_history(context["contract"], context["year"])
    content = workbook_bytes(
        priced, commissioner=commissioner, versions=versions, audit=audit, what_if=what_if.changes
    )
    return dcc.send_bytes(content, name, type=XLSX_TYPE)


def _export_callback(
    xlsx_clicks, csv_clicks, values, weights, context, defaults
) -> dict[str, Any] | NoUpdate:
    """The download for the button pressed, with the what-if values in the page."""
    if not context or not defaults:
        return dash.no_update
    kind = "csv" if dash.ctx.triggered_id == "payment-download-csv" else "xlsx"
    states = dash.ctx.states_list
    return export_file(kind, context, defaults, _grid(defaults, states[0]), _weights(defaults, states[1]))


# --- Changing and agreeing a scheme ------------------------------------------------------------------------


def _problem(field: str, message: str) -> Outcome:
    """An error summary with one problem, linked to its field; the page stays where it is."""
    return [error_summary([(field, message)], id="payment-change-error-summary")], dash.no_update


def _kpi_field(message: str, latest: data_access.StoredScheme) -> str:
    """The form field an error message is about: 'KPI C2: floor ...' -> the C2 floor field."""
    for i, kpi in enumerate(latest.kpis):
        if message.startswith((f"KPI {kpi.code}:", f"KPI {kpi.code} ")):
            kind = "floor" if "floor" in message else "target" if "target" in message else "weight"
            return change_field_id(kind, i)
    for word in ("weights", "share", "budget", "reason"):
        if word in message.lower():
            return change_field_id("weight", 0) if word == "weights" else change_field_id(word)
    return change_field_id("budget")


def _changed_kpis(
    latest: data_access.StoredScheme,
    weights: Sequence,
    targets: Sequence,
    floors: Sequence,
    problems: list[tuple[str, str]],
) -> list[data_access.SchemeKpi]:
    """The latest version's KPIs with the weights, targets and floors entered; problems go in ``problems``."""
    kpis: list[data_access.SchemeKpi] = []
    for i, kpi in enumerate(latest.kpis):
        weight = read_amount(weights[i], f"a weight for {kpi.code}", change_field_id("weight", i), problems)
        target = read_amount(targets[i], f"a target for {kpi.code}", change_field_id("target", i), problems)
        floor = read_amount(
            floors[i], f"a floor for {kpi.code}", change_field_id("floor", i), problems, optional=True
        )
        if weight is not None and target is not None:
            kpis.append(
                data_access.SchemeKpi(
                    code=kpi.code,
                    indicator_code=kpi.indicator_code,
                    label=kpi.label,
                    weight=weight / 100,
                    target=float(target),
                    floor=None if floor is None else float(floor),
                    polarity=kpi.polarity,
                    basis=kpi.basis,
                )
            )
    return kpis


def _saved(user: access.User, saved: data_access.StoredScheme) -> Outcome:
    """The banner that says a version was saved as a draft, with a link to it, and the page goes there."""
    return done(
        f"Version {saved.version} saved as a draft.",
        f"Saved by {user.name}. It is not in force until it is agreed.",
        saved,
        id="payment-change-saved",
    )


def save_change(n_clicks, context, budget, share, weights, targets, floors, reason) -> Outcome:
    """Save a change to the scheme, through the one permission check, and go to the version saved. A refusal
    or an invalid change is shown in an error summary and nothing is written."""
    if not n_clicks:
        return dash.no_update, dash.no_update
    user = auth.current_user()
    try:
        access.require(user, CHANGE_SCHEME)
    except PermissionDenied as refused:
        return _problem(change_field_id("budget"), str(refused))
    versions, _ = data_access.payment_history(context["contract"], context["year"])
    if not versions:
        return _problem(change_field_id("budget"), "There is no scheme to change for this year.")
    latest = versions[-1]
    problems: list[tuple[str, str]] = []
    new_budget = read_amount(budget, "the budget in pounds", change_field_id("budget"), problems)
    new_share = read_amount(share, "the share as a percentage", change_field_id("share"), problems)
    kpis = _changed_kpis(latest, weights, targets, floors, problems)
    # A required amount is None only with a problem noted for it.
    if problems or new_budget is None or new_share is None:
        return [error_summary(problems, id="payment-change-error-summary")], dash.no_update
    try:
        saved = data_access.save_scheme(
            user,
            context["contract"],
            context["year"],
            budget=new_budget,
            share=new_share / 100,
            kpis=kpis,
            reason=reason or "",
        )
    except PermissionDenied as refused:
        return _problem(change_field_id("budget"), str(refused))
    except ValueError as error:
        return _problem(_kpi_field(str(error), latest), str(error))
    except data_access.DataUnavailable:
        return _problem(
            change_field_id("budget"),
            "The change could not be saved: the dashboard could not write "
            "to its data store (it may be open for reading only). Nothing was changed.",
        )
    return _saved(user, saved)


def agree_change(n_clicks, context, reason) -> Outcome:
    """Agree the latest draft, through the one permission check, and go to the version now in force."""
    if not n_clicks:
        return dash.no_update, dash.no_update
    user = auth.current_user()
    field = change_field_id("agree-reason")

    def refused(message: str) -> Outcome:
        return [error_summary([(field, message)], id="payment-agree-errors")], dash.no_update

    try:
        agreed = data_access.agree_scheme(user, context["contract"], context["year"], reason or "")
    except PermissionDenied as refusal:
        return refused(str(refusal))
    except (ValueError, LookupError) as error:
        return refused(str(error))
    except data_access.DataUnavailable:
        return refused("The dashboard could not write to its data store. Nothing was changed.")
    heading = f"Version {agreed.version} is agreed and now in force."
    body = f"Agreed by {user.name}. It is never edited again: any later change makes a new version."
    href = version_href(agreed.contract_code, agreed.financial_year, agreed.version)
    announce("Agreed", heading, body)
    banner = notification_banner(
        "Agreed",
        heading,
        html.P([body, " ", html.A("Show the scheme in force", href=href)], className="app-body"),
        id="payment-agree-saved",
        kind="success",
    )
    return [banner], href


def _save_callback(clicks, contexts, budgets, shares, weights, targets, floors, reasons) -> tuple:
    """The change form's save, for the one change form on the page (pattern-matching ids)."""
    if len(clicks or ()) != 1 or not clicks[0]:  # the page has one such form; a request for more is not its
        raise dash.exceptions.PreventUpdate
    shown, href = save_change(
        clicks[0], contexts[0], budgets[0], shares[0], weights, targets, floors, reasons[0]
    )
    return [shown], href


def _agree_callback(clicks, contexts, reasons) -> tuple:
    """The agree form's button, for the one agree form on the page (pattern-matching ids)."""
    if len(clicks or ()) != 1 or not clicks[0]:  # the page has one such form; a request for more is not its
        raise dash.exceptions.PreventUpdate
    shown, href = agree_change(clicks[0], contexts[0], reasons[0])
    return [shown], href


# --- Registration ------------------------------------------------------------------------------------------


def register() -> None:
    """Register the callbacks with Dash, for the app whose pages are being imported."""
    what_if_inputs = (
        Input({"type": forms.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "value"),
        Input({"type": forms.WHATIF_WEIGHT, "kpi": ALL}, "value"),
        State("payment-context", "data"),
        State("payment-defaults", "data"),
    )
    dash.callback(
        Output("payment-whatif-errors", "children"),
        Output("payment-whatif-notice", "children"),
        Output("payment-whatif-inline-errors", "children"),
        Output("payment-whatif-live", "children"),
        *what_if_inputs,
        prevent_initial_call=True,
    )(_what_if_messages)
    dash.callback(Output("payment-results", "children"), *what_if_inputs, prevent_initial_call=True)(
        _what_if_results
    )
    dash.callback(
        Output({"type": forms.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "value"),
        Output({"type": forms.WHATIF_WEIGHT, "kpi": ALL}, "value"),
        Input("payment-whatif-reset", "n_clicks"),
        State("payment-defaults", "data"),
        State({"type": forms.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "id"),
        State({"type": forms.WHATIF_WEIGHT, "kpi": ALL}, "id"),
        prevent_initial_call=True,
    )(reset_what_if)
    dash.callback(
        Output("payment-download", "data"),
        Input("payment-download-xlsx", "n_clicks"),
        Input("payment-download-csv", "n_clicks"),
        State({"type": forms.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "value"),
        State({"type": forms.WHATIF_WEIGHT, "kpi": ALL}, "value"),
        State("payment-context", "data"),
        State("payment-defaults", "data"),
        prevent_initial_call=True,
    )(_export_callback)
    dash.callback(
        Output(form_id("change-result") | {"form": ALL}, "children"),
        scheme_setup_callbacks.go_output(),
        Input(form_id("change-save") | {"form": ALL}, "n_clicks"),
        State(form_id("change-context") | {"form": ALL}, "data"),
        State(form_id("change-budget") | {"form": ALL}, "value"),
        State(form_id("change-share") | {"form": ALL}, "value"),
        State({"type": forms.CHANGE_WEIGHT, "kpi": ALL}, "value"),
        State({"type": forms.CHANGE_TARGET, "kpi": ALL}, "value"),
        State({"type": forms.CHANGE_FLOOR, "kpi": ALL}, "value"),
        State(form_id("change-reason") | {"form": ALL}, "value"),
        prevent_initial_call=True,
    )(_save_callback)
    dash.callback(
        Output(form_id("agree-result") | {"form": ALL}, "children"),
        scheme_setup_callbacks.go_output(),
        Input(form_id("agree") | {"form": ALL}, "n_clicks"),
        State(form_id("agree-context") | {"form": ALL}, "data"),
        State(form_id("agree-reason") | {"form": ALL}, "value"),
        prevent_initial_call=True,
    )(_agree_callback)
    scheme_setup_callbacks.register()
