"""The payment page's set-up callbacks: a year's first scheme, the next year from an uplift, and what the page
says and shows after any change to a scheme.

After a scheme is set up, changed, agreed or started from an uplift, the page loads the version written:
the callback puts that version's link in the ``payment-go`` store, which the browser follows, and leaves a
notice in the session that the page shows (once) at its top, so the banner survives the reload.

Each callback is a plain function (so tests can call it) returning what the form shows and where the page
goes next (``dash.no_update`` when it stays). Each checks the user with :func:`data.access.require` before
anything else, and the store checks again before it writes; a refusal, or a problem with what was typed, is
shown in an error summary naming the field, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import dash
import flask
from dash import ALL, MATCH, Input, NoUpdate, Output, State, html

from dashboard import auth, data_access, routes
from dashboard.components.notices import notification_banner
from dashboard.components.payment import setup
from dashboard.components.payment.forms import error_summary, form_id, read_amount
from dashboard.components.payment.setup import setup_field_id, uplift_field_id
from data import access
from data.access import CHANGE_SCHEME, PermissionDenied
from metrics.money import format_pounds
from metrics.payment import Basis

NOTICE_KEY = "payment-notice"
GO, GO_DONE = "payment-go", "payment-go-done"
SETUP_ERRORS, UPLIFT_ERRORS = "payment-setup-error-summary", "payment-uplift-error-summary"
NOT_WRITTEN = (
    "The dashboard could not write to its data store (it may be open for reading only). Nothing was changed."
)
# Follow the link the server put in the store: a full load, so the page is drawn afresh from the top.
FOLLOW_LINK = """
function (href) {
    if (!href) { return window.dash_clientside.no_update; }
    window.location.assign(href);
    return href;
}
"""

# Flip a two-state button (dashboard.components.payment.setup.toggle) each time it is pressed.
FLIP = f"""
function (clicks, className) {{
    const on = "{setup.TOGGLE_ON}", off = "{setup.TOGGLE_OFF}";
    const names = (className || "").split(" ");
    const others = names.filter((name) => name && name !== on && name !== off);
    return others.concat([names.includes(on) ? off : on]).join(" ");
}}
"""

BASES: dict[str, Basis] = {setup.QUARTERLY: "quarterly", setup.ANNUAL: "annual"}

Shown = list[html.Div]
Outcome = tuple[Shown | NoUpdate, str | NoUpdate]


# --- After a change: the notice the page shows, and the version it goes to --------------------------------


def announce(title: str, heading: str, body: str) -> None:
    """Leave a notice for the next payment page this browser draws (kept in the signed session cookie)."""
    flask.session[NOTICE_KEY] = {"title": title, "heading": heading, "body": body}


def take_notice() -> html.Div | None:
    """The notice left by the last change, once (None when there is none, or outside a request)."""
    # Look before taking: taking marks the session changed, which would send everyone a new cookie.
    if not flask.has_request_context() or NOTICE_KEY not in flask.session:
        return None
    notice = flask.session.pop(NOTICE_KEY)
    if not isinstance(notice, Mapping):
        return None
    return notification_banner(
        str(notice.get("title", "")),
        str(notice.get("heading", "")),
        str(notice.get("body", "")),
        id="payment-notice",
        kind="success",
    )


def version_href(contract: str, year: str, version: int) -> str:
    """The payment page for one version of a year's scheme."""
    return routes.href(routes.PAYMENT, {"contract": contract, "year": year, "version": str(version)})


# --- Reading what was typed -------------------------------------------------------------------------------


def _percent(
    text: Any, what: str, field: str, problems: list[tuple[str, str]], *, low: int, high: int | None
) -> Decimal | None:
    """A percentage typed into a form, as a fraction (2.5 -> 0.025), within its range and stored exactly."""
    number = read_amount(text, what, field, problems)
    if number is None:
        return None
    within = number >= low if high is None else low <= number <= high
    if not within:
        limit = f"more than {low}%" if high is None else f"between {low}% and {high}%"
        problems.append((field, f"{what[0].upper()}{what[1:]} must be {limit}"))
        return None
    if number != number.quantize(Decimal("0.0001")):
        problems.append((field, f"{what[0].upper()}{what[1:]} can have at most 4 decimal places"))
        return None
    return number / 100


def _reason(text: Any, field: str, problems: list[tuple[str, str]]) -> str:
    """The reason typed, or a problem noted when there is none."""
    reason = " ".join(str(text or "").split())
    if not reason:
        problems.append((field, "Give a reason for the change; it is kept in the audit log."))
    return reason


def _refused(error_id: str, field: str, message: str) -> Outcome:
    """One problem in the error summary, and the page stays where it is."""
    return [error_summary([(field, message)], id=error_id)], dash.no_update


# --- Setting up a year's first scheme ----------------------------------------------------------------------


def _setup_kpis(
    rows: Sequence[Mapping],
    includes: Sequence[bool],
    weights: Sequence,
    targets: Sequence,
    floors: Sequence,
    bases: Sequence[str],
    problems: list[tuple[str, str]],
) -> list[data_access.SchemeKpi]:
    """The rows included, as KPIs; a value missing or not a number is noted in ``problems`` by its field."""
    kpis: list[data_access.SchemeKpi] = []
    for i, row in enumerate(rows):
        if not includes[i]:
            continue
        code = row["code"]
        weight = read_amount(weights[i], f"a weight for {code}", setup_field_id("weight", i), problems)
        target = read_amount(targets[i], f"a target for {code}", setup_field_id("target", i), problems)
        floor = read_amount(
            floors[i], f"a floor for {code}", setup_field_id("floor", i), problems, optional=True
        )
        basis = BASES.get(bases[i])
        if basis is None:
            problems.append((setup_field_id("basis", i), f"Choose quarterly or annual for {code}"))
            continue
        if weight is not None and target is not None:
            kpis.append(
                data_access.SchemeKpi(
                    code=code,
                    indicator_code=row["indicator_code"],
                    label=row["label"],
                    weight=weight / 100,
                    target=float(target),
                    floor=None if floor is None else float(floor),
                    polarity=row["polarity"],
                    basis=basis,
                )
            )
    return kpis


def _store_field(message: str, rows: Sequence[Mapping], includes: Sequence[bool]) -> str:
    """The set-up field a refusal from the store is about: 'KPI C2: floor ...' -> C2's floor."""
    for i, row in enumerate(rows):
        if message.startswith((f"KPI {row['code']}:", f"KPI {row['code']} ")):
            kind = "floor" if "floor" in message else "target" if "target" in message else "weight"
            return setup_field_id(kind, i)
    if "weights" in message:
        chosen = [i for i, included in enumerate(includes) if included]
        return setup_field_id("weight", chosen[0]) if chosen else setup_field_id("kpis")
    for word in ("share", "reason"):
        if word in message.lower():
            return setup_field_id(word)
    return setup_field_id("budget")


def set_up_scheme(
    n_clicks,
    context: Mapping,
    budget,
    share,
    includes: Sequence[bool],
    weights: Sequence,
    targets: Sequence,
    floors: Sequence,
    bases: Sequence[str],
    illustrative: bool,
    reason,
) -> Outcome:
    """Save version 1 of the year's scheme as a draft and go to it; or say what is wrong, writing nothing.

    ``includes``, ``weights``, ``targets``, ``floors`` and ``bases`` have one entry for each of the rows in
    ``context`` (the KPIs the form offered): whether it is included, the text typed, and 'quarterly' or
    'annual'."""
    if not n_clicks:
        return dash.no_update, dash.no_update
    user = auth.current_user()
    try:
        access.require(user, CHANGE_SCHEME)
    except PermissionDenied as refused:
        return _refused(SETUP_ERRORS, setup_field_id("budget"), str(refused))
    contract, year, rows = context["contract"], context["year"], context.get("rows") or []
    problems: list[tuple[str, str]] = []
    amount = read_amount(budget, "the budget in pounds", setup_field_id("budget"), problems)
    fraction = _percent(
        share, "the share paid on performance", setup_field_id("share"), problems, low=0, high=100
    )
    if len({len(rows), len(includes), len(weights), len(targets), len(floors), len(bases)}) != 1:
        message = "The KPI table was not sent whole: reload the page"
        return _refused(SETUP_ERRORS, setup_field_id("kpis"), message)
    kpis = _setup_kpis(rows, includes, weights, targets, floors, bases, problems)
    if not any(includes):
        problems.append((setup_field_id("include", 0), "Include at least one KPI in the scheme"))
    given = _reason(reason, setup_field_id("reason"), problems)
    if problems or amount is None or fraction is None:
        return [error_summary(problems, id=SETUP_ERRORS)], dash.no_update
    try:
        saved = data_access.set_up_scheme(
            user,
            contract,
            year,
            budget=amount,
            share=fraction,
            kpis=kpis,
            reason=given,
            illustrative=bool(illustrative),
        )
    except PermissionDenied as refused:
        return _refused(SETUP_ERRORS, setup_field_id("budget"), str(refused))
    except (ValueError, LookupError) as error:
        return _refused(SETUP_ERRORS, _store_field(str(error), rows, includes), str(error))
    except data_access.DataUnavailable:
        return _refused(SETUP_ERRORS, setup_field_id("budget"), NOT_WRITTEN)
    body = (
        f"Set up by {user.name}: a budget of {format_pounds(saved.budget, pence=True)} with "
        f"{len(saved.kpis)} KPIs. It is not in force until it is agreed."
    )
    return done(f"Version {saved.version} of the {year} scheme saved as a draft.", body, saved)


def done(heading: str, body: str, saved: data_access.StoredScheme, *, id: str = "payment-saved") -> Outcome:
    """The banner with a link to the version written, the same banner left for the page, and the link."""
    href = version_href(saved.contract_code, saved.financial_year, saved.version)
    announce("Saved", heading, body)
    banner = notification_banner(
        "Saved",
        heading,
        html.P([body, " ", html.A(f"View version {saved.version}", href=href)], className="app-body"),
        id=id,
        kind="success",
    )
    return [banner], href


# --- Starting the next year from an uplift -----------------------------------------------------------------


def start_next_year(n_clicks, context: Mapping, uplift, reason) -> Outcome:
    """Draft next year's scheme from this year's agreed one with the uplift typed, and go to it."""
    if not n_clicks:
        return dash.no_update, dash.no_update
    user = auth.current_user()
    field = uplift_field_id("percent")
    try:
        access.require(user, CHANGE_SCHEME)
    except PermissionDenied as refused:
        return _refused(UPLIFT_ERRORS, field, str(refused))
    problems: list[tuple[str, str]] = []
    fraction = _percent(uplift, "the uplift", field, problems, low=-100, high=None)
    given = _reason(reason, uplift_field_id("reason"), problems)
    if problems or fraction is None:
        return [error_summary(problems, id=UPLIFT_ERRORS)], dash.no_update
    contract, from_year, to_year = context["contract"], context["from_year"], context["to_year"]
    try:
        saved = data_access.start_year_from_uplift(user, contract, from_year, to_year, fraction, given)
    except PermissionDenied as refused:
        return _refused(UPLIFT_ERRORS, field, str(refused))
    except (ValueError, LookupError) as error:
        return _refused(UPLIFT_ERRORS, field, str(error))
    except data_access.DataUnavailable:
        return _refused(UPLIFT_ERRORS, field, NOT_WRITTEN)
    body = (
        f"Started by {user.name} from the agreed {from_year} scheme: its budget raised by "
        f"{(fraction * 100).normalize():f}% is {format_pounds(saved.budget, pence=True)}. It is not in "
        "force until it is agreed."
    )
    return done(f"Version {saved.version} of the {to_year} scheme saved as a draft.", body, saved)


# --- Registration ------------------------------------------------------------------------------------------


def _setup_callback(
    clicks, contexts, budgets, shares, includes, weights, targets, floors, bases, marks, reasons
) -> tuple:
    """The set-up form's save, for the one set-up form on the page (pattern-matching ids). The include,
    basis and illustrative buttons' states are read from their classes."""
    if len(clicks or ()) != 1 or not clicks[0]:  # the page has one such form; a request for more is not its
        raise dash.exceptions.PreventUpdate
    shown, href = set_up_scheme(
        clicks[0],
        contexts[0],
        budgets[0],
        shares[0],
        [setup.is_on(c) for c in includes],
        weights,
        targets,
        floors,
        [setup.QUARTERLY if setup.is_on(c) else setup.ANNUAL for c in bases],
        setup.is_on(marks[0]),
        reasons[0],
    )
    return [shown], href


def _uplift_callback(clicks, contexts, uplifts, reasons) -> tuple:
    """The uplift form's button, for the one uplift form on the page (pattern-matching ids)."""
    if len(clicks or ()) != 1 or not clicks[0]:  # the page has one such form; a request for more is not its
        raise dash.exceptions.PreventUpdate
    shown, href = start_next_year(clicks[0], contexts[0], uplifts[0], reasons[0])
    return [shown], href


def go_output() -> Output:
    """Where a callback puts the link of the version to show next (several callbacks share it)."""
    return Output(GO, "data", allow_duplicate=True)


def register() -> None:
    """Register the set-up and uplift callbacks, and the step that follows the link after a change."""
    dash.callback(
        Output(form_id("setup-result") | {"form": ALL}, "children"),
        go_output(),
        Input(form_id("setup-save") | {"form": ALL}, "n_clicks"),
        State(form_id("setup-context") | {"form": ALL}, "data"),
        State(form_id("setup-budget") | {"form": ALL}, "value"),
        State(form_id("setup-share") | {"form": ALL}, "value"),
        State({"type": setup.SETUP_INCLUDE, "kpi": ALL}, "className"),
        State({"type": setup.SETUP_WEIGHT, "kpi": ALL}, "value"),
        State({"type": setup.SETUP_TARGET, "kpi": ALL}, "value"),
        State({"type": setup.SETUP_FLOOR, "kpi": ALL}, "value"),
        State({"type": setup.SETUP_BASIS, "kpi": ALL}, "className"),
        State(form_id("setup-illustrative") | {"form": ALL}, "className"),
        State(form_id("setup-reason") | {"form": ALL}, "value"),
        prevent_initial_call=True,
    )(_setup_callback)
    dash.callback(
        Output(form_id("uplift-result") | {"form": ALL}, "children"),
        go_output(),
        Input(form_id("uplift-save") | {"form": ALL}, "n_clicks"),
        State(form_id("uplift-context") | {"form": ALL}, "data"),
        State(form_id("uplift-percent") | {"form": ALL}, "value"),
        State(form_id("uplift-reason") | {"form": ALL}, "value"),
        prevent_initial_call=True,
    )(_uplift_callback)
    dash.clientside_callback(
        FOLLOW_LINK, Output(GO_DONE, "title"), Input(GO, "data"), prevent_initial_call=True
    )
    for toggled in (
        {"type": setup.SETUP_INCLUDE, "kpi": MATCH},
        {"type": setup.SETUP_BASIS, "kpi": MATCH},
        form_id("setup-illustrative") | {"form": MATCH},
    ):
        dash.clientside_callback(
            FLIP,
            Output(toggled, "className"),
            Input(toggled, "n_clicks"),
            State(toggled, "className"),
            prevent_initial_call=True,
        )
