"""The performance-linked payment: the page a contract monitoring session opens first.

``/payment?contract=ccc-hcp-s75&year=2025/26`` shows one agreement's scheme for one financial year: the budget
split (paid regardless, at risk, earned, withheld) in words and as a chart, the Annual Development Plan KPIs
with each quarter's status and the money they earn, the year-end forecast, what-if values that move the money
without saving anything, the calculation as XLSX and CSV, and the scheme's versions and audit log.

URL filters: ``contract`` (an agreement's code), ``year`` (a financial year such as ``2025/26``), ``version``
(a scheme version; default the agreed version in force, else the latest draft) and ``palette``
(``colour-blind`` for blue/orange/grey statuses).

This module is the page: its layout and the choice read from the URL. Its parts are in
:mod:`dashboard.components.payment` and its callbacks in :mod:`dashboard.payment_callbacks` (registered here,
as Dash imports the page). It reads the store only through :mod:`dashboard.data_access`.

A year with no scheme offers an administrator the form that sets one up (and, when the year before has an
agreed scheme, the form that starts this year from it with an uplift); a draft version says so at the top.
After any change the page opens the version written.

Changing a scheme is an administrator's action. The change form is shown only to those who may use it, but
that is a courtesy: the save callback goes through :func:`data.access.require`, and the store refuses anyone
else too, and the refusal is shown in an error summary with nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import dash
import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import auth, data_access, payment_callbacks, routes, scheme_setup_callbacks, urlstate
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.govuk import inset_text, select, warning_text
from dashboard.components.notices import data_unavailable
from dashboard.components.payment import sections, setup, whatif_panel
from dashboard.components.payment.choice import Choice
from dashboard.components.payment.whatif import apply_what_if, default_inputs, price
from data import access
from data.access import CHANGE_SCHEME, ROLE_NAMES

TITLE = routes.TITLES[routes.PAYMENT]

dash.register_page(
    __name__,
    path=routes.PAYMENT,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="The Healthy Child Programme's performance-linked payment: the budget at risk, the Annual "
    "Development Plan KPIs, the money earned and withheld, the year-end forecast and what-if values.",
    order=2,
)
payment_callbacks.register()


# --- What the page is about: the agreement, the year and the scheme version, from the URL -------------------


def financial_years(start: dt.date, end: dt.date) -> list[str]:
    """The financial years from the one containing ``start`` to the one containing ``end``: '2025/26', ..."""
    first = start.year if start.month >= 4 else start.year - 1
    last = end.year if end.month >= 4 else end.year - 1
    return [f"{year}/{(year + 1) % 100:02d}" for year in range(first, last + 1)]


def _today() -> dt.date:
    return dt.date.today()


def choose(query: Mapping) -> Choice:
    """Read the URL: an unknown agreement, year or version is ignored (and the page says so)."""
    agreements = data_access.payment_contracts()
    codes = list(agreements["code"])
    first = urlstate.parse(query, {"contract": codes})
    contract = first.get("contract") or (codes[0] if codes else "")
    row = agreements.set_index("code").loc[contract]
    # Agreement codes are unique, so this is one row; were a code repeated, its first row would be used.
    agreement = row.iloc[0] if isinstance(row, pd.DataFrame) else row
    years = financial_years(agreement["start_date"], agreement["latest_end"])
    schemes = data_access.payment_scheme_versions(contract)
    with_scheme = sorted(set(schemes["financial_year"])) if not schemes.empty else []
    second = urlstate.parse(query, {"contract": codes, "year": years})
    chosen_year = second.get("year")
    if chosen_year:
        year = chosen_year
    elif with_scheme:
        year = with_scheme[-1]
    else:
        this_year = financial_years(_today(), _today())[0]
        year = this_year if this_year in years else years[0]
    versions = schemes[schemes["financial_year"] == year] if not schemes.empty else schemes
    allowed = {
        "contract": codes,
        "year": years,
        "version": [str(v) for v in versions.get("version", [])],
        "palette": status.PALETTES,
    }
    filters = urlstate.parse(query, allowed)
    chosen_version = filters.get("version")
    version: int | None
    if chosen_version:
        version = int(chosen_version)
    elif versions.empty:
        version = None
    else:
        agreed = versions[versions["status"] == data_access.AGREED]
        version = int((agreed if not agreed.empty else versions)["version"].max())
    return Choice(
        contract,
        year,
        version,
        filters.get("palette") or "standard",
        agreements,
        years,
        versions,
        filters.ignored,
    )


# --- The page ---------------------------------------------------------------------------------------------


def _selector(choice: Choice) -> html.Form:
    """Choose the agreement and the year: an ordinary form, so the choice lands in the link."""
    all_schemes = data_access.payment_scheme_versions(choice.contract)
    with_scheme = set(all_schemes["financial_year"]) if not all_schemes.empty else set()
    contract_options = list(zip(choice.agreements["code"], choice.agreements["commissioner"], strict=True))
    year_options = [(year, year + ("" if year in with_scheme else " (no scheme)")) for year in choice.years]
    hidden = (
        [dcc.Input(type="hidden", name="palette", value=choice.palette)]
        if choice.palette != "standard"
        else []
    )
    return html.Form(
        [
            html.H2("Choose the agreement and year", className="app-visually-hidden"),
            _choose("contract", "Agreement", contract_options, choice.contract),
            _choose("year", "Financial year", year_options, choice.year),
            *hidden,
            html.Button("Show this payment", id="payment-choose", className="app-button", type="submit"),
        ],
        action=routes.href(routes.PAYMENT),
        method="get",
        className="app-payment__selector",
        id="payment-selector",
    )


def _contents(has_scheme: bool, *, set_up: bool = False) -> html.Nav:
    """The page's contents links; when there is no scheme to show, the set-up form (for someone who may use
    it) and the history."""
    entries = (
        [
            ("The money", "#payment-money"),
            ("KPIs and targets", "#payment-kpis"),
            ("Year-end forecast", "#payment-forecast"),
            ("What if?", "#payment-whatif"),
            ("Download the calculation", "#payment-downloads"),
        ]
        if has_scheme
        else [("Set up a payment scheme", "#payment-set-up")]
        if set_up
        else []
    )
    entries.append(("Versions and changes", "#payment-history"))
    return html.Nav(
        [
            html.H2("On this page", className="app-heading-s"),
            html.Ul(
                [html.Li(html.A(label, href=href)) for label, href in entries],
                className="app-list app-payment__contents",
            ),
        ],
        **extra({"aria-label": "On this page"}),
    )


def _no_scheme(choice: Choice, message: str) -> list[Component]:
    """Why there is no scheme to show, with links to the schemes on record."""
    others = data_access.payment_scheme_versions(choice.contract)
    links = []
    for code in choice.agreements["code"]:
        if code == choice.contract:
            continue
        other = data_access.payment_scheme_versions(code)
        if not other.empty:
            year = max(set(other["financial_year"]))
            name = choice.agreements.set_index("code").loc[code, "commissioner"]
            links.append(
                html.Li(html.A(f"{name}, {year}", href=choice.href(contract=code, year=year, version=None)))
            )
    if not others.empty:
        for year in sorted(set(others["financial_year"])):
            links.append(
                html.Li(
                    html.A(
                        f"{choice.agreement['commissioner']}, {year}",
                        href=choice.href(year=year, version=None),
                    )
                )
            )
    parts: list[Component] = [
        html.H2("No payment scheme", className="app-heading-l", id="payment-no-scheme"),
        warning_text(message),
    ]
    if links:
        parts += [
            html.P("Payment schemes on record:", className="app-body"),
            html.Ul(links, className="app-list"),
        ]
    return parts


# --- Setting up a scheme, or starting a year from the one before -------------------------------------------


def year_after(year: str) -> str:
    """The financial year after ``year``: '2025/26' -> '2026/27'."""
    first = int(year[:4]) + 1
    return f"{first}/{(first + 1) % 100:02d}"


def year_before(year: str) -> str:
    """The financial year before ``year``: '2026/27' -> '2025/26'."""
    first = int(year[:4]) - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _year_versions(contract: str, year: str) -> pd.DataFrame:
    """The versions of ``contract``'s scheme for ``year`` (no KPIs); empty when it has none."""
    versions = data_access.payment_scheme_versions(contract)
    return versions if versions.empty else versions[versions["financial_year"] == year]


def _agreed(contract: str, year: str) -> data_access.StoredScheme | None:
    """The agreed scheme in force for ``year`` (its latest agreed version), or None."""
    versions = _year_versions(contract, year)
    agreed = versions if versions.empty else versions[versions["status"] == data_access.AGREED]
    if agreed.empty:
        return None
    return data_access.payment_scheme(contract, year, int(agreed["version"].max()))[0]


def uplift_offer(choice: Choice, from_year: str, to_year: str, *, from_this: bool) -> html.Div | None:
    """The form that starts ``to_year`` from ``from_year``'s agreed scheme, when both years are in the
    agreement's term, ``from_year`` has an agreed scheme and ``to_year`` has none (else None)."""
    if from_year not in choice.years or to_year not in choice.years:
        return None
    if not _year_versions(choice.contract, to_year).empty:
        return None
    base = _agreed(choice.contract, from_year)
    return None if base is None else setup.uplift_form(base, to_year, from_this=from_this)


def _prefill(choice: Choice) -> setup.Prefill:
    """The KPI rows the set-up form starts with: those of the agreement's own latest scheme, else another
    agreement's (the agreed version in force, else the latest), else the provider KPIs in the catalogue."""
    names = choice.agreements.set_index("code")["commissioner"]
    others = [code for code in choice.agreements["code"] if code != choice.contract]
    for code in [choice.contract, *others]:
        versions = data_access.payment_scheme_versions(code)
        if versions.empty:
            continue
        year = max(set(versions["financial_year"]))
        scheme = _agreed(code, year) or data_access.payment_scheme(code, year, None)[0]
        if scheme is None or not scheme.kpis:
            continue
        state = "agreed" if scheme.status == data_access.AGREED else "a draft"
        flag = ", whose KPIs are marked illustrative" if scheme.illustrative else ""
        return setup.Prefill(
            setup.rows_from_scheme(scheme.kpis),
            f"{names[code]}'s {year} scheme (version {scheme.version}, {state}{flag})",
            scheme.illustrative,
        )
    rows = setup.rows_from_catalogue(data_access.catalogue(), data_access.provider_indicator_codes())
    return setup.Prefill(rows, "the provider KPIs in the indicator catalogue, none yet included", False)


def _set_up(choice: Choice, user: access.User) -> list[Component]:
    """How a year with no scheme gets one: the set-up form (and the uplift form, when the year before has an
    agreed scheme) for an administrator; for anyone else, who can set it up."""
    uplift = uplift_offer(choice, year_before(choice.year), choice.year, from_this=False)
    heading = html.H2(
        f"Set up a payment scheme for {choice.year}", className="app-heading-l", id="payment-set-up"
    )
    if access.can(user, CHANGE_SCHEME):
        commissioner = str(choice.agreement["commissioner"])
        form = setup.setup_form(
            choice.contract, commissioner, choice.year, _prefill(choice), alternative=uplift is not None
        )
        return [heading, *([uplift] if uplift is not None else []), form]
    roles = " and ".join(ROLE_NAMES.get(role, role) for role in sorted(user.roles)) or "with no role"
    also = f", or start it from the agreed {year_before(choice.year)} scheme with an uplift" if uplift else ""
    you = (
        f"You are using the dashboard as {user.name}, {roles}, so you cannot."
        if user.signed_in
        else "Sign in as an administrator to do so."
    )
    return [
        heading,
        inset_text(
            html.P(
                f"An administrator can set up a payment scheme for {choice.year} on this page{also}, "
                f"with the budget from the agreement. {you}",
                className="app-body",
                id="payment-set-up-who",
            )
        ),
    ]


def _history(choice: Choice, user: access.User) -> html.Section:
    """The year's versions and audit log, and the forms for someone who may change the scheme (with the
    one that starts next year from this year's agreed scheme, when next year has none)."""
    versions, audit = data_access.payment_history(choice.contract, choice.year)
    uplift = (
        uplift_offer(choice, choice.year, year_after(choice.year), from_this=True)
        if versions and access.can(user, CHANGE_SCHEME)
        else None
    )
    return sections.history_section(choice, user, versions, audit, uplift=uplift)


def _unavailable() -> html.Div:
    """What the page says when the store cannot be read."""
    return html.Div(
        [html.H1(TITLE, className="app-heading-xl"), data_unavailable("show the payment")],
        className="app-page app-page--payment",
    )


def layout(**query) -> html.Div:
    """The page for the agreement, year and version in the URL (``query``)."""
    try:
        if data_access.payment_contracts().empty:
            return html.Div(
                [
                    html.H1(TITLE, className="app-heading-xl"),
                    html.P(
                        "No agreements are stored yet, so there is no payment to show. Run "
                        "“kpi seed” to load the Section 75 agreements.",
                        className="app-body",
                    ),
                ],
                className="app-page app-page--payment",
            )
        choice = choose(query)
        user = auth.current_user()
        return _page(choice, user)
    except data_access.DataUnavailable:
        return _unavailable()


def _page(choice: Choice, user: access.User) -> html.Div:
    """The page for ``choice``: the scheme's money, KPIs, forecast, what-if and history, or why there is
    none."""
    agreement = choice.agreement
    children: list[Component | None] = [
        scheme_setup_callbacks.take_notice(),
        html.Div(id="payment-whatif-errors"),
        html.Span(
            f"{agreement['commissioner']} \u00b7 Healthy Child Programme 0-19 \u00b7 {choice.year}",
            className="app-caption-l",
            id="payment-caption",
        ),
        html.H1(TITLE, className="app-heading-xl"),
        html.P(
            "What the provider is paid for the Healthy Child Programme, how much depends on the Annual "
            "Development Plan targets, and what the figures reported so far have earned.",
            className="app-body-l",
        ),
    ]
    if choice.ignored:
        described = "; ".join(f"{name} \u201c{value}\u201d" for name, value in choice.ignored)
        children.append(
            inset_text(
                html.P(
                    f"This link included settings the page could not use ({described}), "
                    "so they have been ignored.",
                    className="app-body",
                )
            )
        )
    top = len(children)  # where a draft says so, above the choice of agreement and year
    children.append(_selector(choice))
    loaded = (
        payment_callbacks.load(choice.contract, choice.year, choice.version)
        if choice.version is not None
        else None
    )
    if loaded is None:
        message = data_access.payment_scheme(choice.contract, choice.year, choice.version)[1] or (
            f"{agreement['commissioner']}'s agreement has no payment scheme for {choice.year}."
        )
        may_set_up = access.can(user, CHANGE_SCHEME)
        children += [
            _contents(False, set_up=may_set_up),
            *_no_scheme(choice, message),
            *_set_up(choice, user),
            _history(choice, user),
            *_follow_link(),
        ]
        return html.Div([c for c in children if c is not None], className="app-page app-page--payment")

    scheme = loaded.scheme
    versions, _ = data_access.payment_history(choice.contract, choice.year)
    defaults = default_inputs(scheme, loaded.so_far)
    priced = price(apply_what_if(scheme, loaded.so_far, defaults), loaded.assured)
    if scheme.status == data_access.DRAFT:
        children.insert(top, setup.draft_notice(scheme, can_agree=access.can(user, CHANGE_SCHEME)))
    children += [
        _contents(True),
        *sections.scheme_summary(choice, scheme, versions[-1] if versions else scheme),
        sections.illustrative_banner(scheme, versions),
        html.Div(id="payment-whatif-notice"),
        html.Div(sections.results(loaded, priced, choice.palette, what_if=False), id="payment-results"),
        sections.whatif_section(loaded, defaults, whatif_panel.whatif_live(priced, priced, ())),
        sections.downloads_section(scheme),
        _history(choice, user),
        dcc.Store(
            id="payment-context",
            data={
                "contract": choice.contract,
                "year": choice.year,
                "version": choice.version,
                "palette": choice.palette,
            },
        ),
        dcc.Store(id="payment-defaults", data=dict(defaults)),  # a Store's data is typed as a plain dict
        *_follow_link(),
    ]
    return html.Div([c for c in children if c is not None], className="app-page app-page--payment")


def _follow_link() -> list[Component]:
    """Where a change puts the link of the version to show next, which the browser then opens."""
    return [
        dcc.Store(id=scheme_setup_callbacks.GO),
        html.Div(id=scheme_setup_callbacks.GO_DONE, hidden=True),
    ]


def _choose(name: str, label: str, options: list[tuple[str, str]], selected: str) -> html.Div:
    """The page's labelled drop-down for ``name``."""
    return select(f"payment-choose-{name}", name, label, options, selected)
