"""The performance-linked payment: the page a contract monitoring session opens first.

``/payment?contract=ccc-hcp-s75&year=2025/26`` shows one agreement's scheme for one financial year: the budget
split (paid regardless, at risk, earned, withheld) in words and as a chart, the Annual Development Plan KPIs
with each quarter's status and the money they earn, the year-end forecast, what-if values that move the money
without saving anything, the calculation as XLSX and CSV, and the scheme's versions and audit log.

URL filters: ``contract`` (an agreement's code), ``year`` (a financial year such as ``2025/26``), ``version``
(a scheme version; default the agreed version in force, else the latest draft) and ``palette``
(``colour-blind`` for blue/orange/grey statuses).

Changing a scheme is an administrator's action. The change form is shown only to those who may use it, but
that is a courtesy: the save callback goes through :func:`data.access.require` and
:func:`data.contracts.save_scheme_version`, which refuse anyone else, and the refusal is shown in an error
summary with nothing written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

import dash
from dash import ALL, Input, Output, State, dcc, html
from sqlalchemy.exc import SQLAlchemyError

from dashboard import data_access, formatting, urlstate
from dashboard.components import payment_view as view
from dashboard.components import status
from dashboard.components.govuk import inset_text, visually_hidden, warning_text
from dashboard.components.notices import notification_banner
from dashboard.routes import page_title
from data import access, contracts
from data.access import CHANGE_SCHEME, ROLE_NAMES, PermissionDenied
from data.payment_export import Payment, csv_text, file_name, workbook_bytes

TITLE = "Performance-linked payment"
PATH = "/payment"

dash.register_page(
    __name__,
    path=PATH,
    name=TITLE,
    title=page_title(TITLE),
    description="The Healthy Child Programme's performance-linked payment: the budget at risk, the Annual "
    "Development Plan KPIs, the money earned and withheld, the year-end forecast and what-if values.",
    order=2,
)


# ---------------------------------------------------------------------------------------------------------
# What the page is about: the agreement, the year and the scheme version, from the URL
# ---------------------------------------------------------------------------------------------------------


def financial_years(start: dt.date, end: dt.date) -> list[str]:
    """The financial years from the one containing ``start`` to the one containing ``end``: '2025/26', ..."""
    first = start.year if start.month >= 4 else start.year - 1
    last = end.year if end.month >= 4 else end.year - 1
    return [f"{year}/{(year + 1) % 100:02d}" for year in range(first, last + 1)]


def _today() -> dt.date:
    return dt.date.today()


def choose(query: Mapping) -> view.Choice:
    """Read the URL: an unknown agreement, year or version is ignored (and the page says so)."""
    agreements = data_access.payment_contracts()
    codes = list(agreements["code"])
    first = urlstate.parse(query, {"contract": codes})
    contract = first.get("contract", codes[0] if codes else "")
    row = agreements.set_index("code").loc[contract]
    years = financial_years(row["start_date"], row["latest_end"])
    schemes = data_access.payment_scheme_versions(contract)
    with_scheme = sorted(set(schemes["financial_year"])) if not schemes.empty else []
    second = urlstate.parse(query, {"contract": codes, "year": years})
    if second.get("year"):
        year = second.get("year")
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
    if filters.get("version"):
        version = int(filters.get("version"))
    elif versions.empty:
        version = None
    else:
        agreed = versions[versions["status"] == contracts.AGREED]
        version = int((agreed if not agreed.empty else versions)["version"].max())
    return view.Choice(
        contract,
        year,
        version,
        filters.get("palette", "standard"),
        agreements,
        years,
        versions,
        filters.ignored,
    )


# ---------------------------------------------------------------------------------------------------------
# Everything the sections need, read once (cached) per request
# ---------------------------------------------------------------------------------------------------------


def load(contract: str, year: str, version: int) -> view.Loaded | None:
    scheme, _ = data_access.payment_scheme(contract, year, version)
    if scheme is None:
        return None
    so_far, year_to_date = data_access.payment_actuals(contract, year, version)
    year_end = contracts.financial_year(year).end.isoformat()
    codes = tuple(sorted({kpi.indicator_code for kpi in scheme.kpis}))
    series = data_access.payment_series(scheme.area_code, codes, year_end)
    agreement = data_access.payment_contracts().set_index("code").loc[contract]
    catalogue = data_access.catalogue()
    name_column = "short_name" if "short_name" in catalogue.columns else "name"
    names = dict(zip(catalogue["code"], catalogue[name_column].fillna(catalogue["name"]), strict=True))
    return view.Loaded(
        scheme,
        so_far,
        year_to_date,
        view.assurance_for(scheme, series),
        agreement["area_name"],
        scheme.area_code,
        names,
    )


def _slug(scheme: contracts.StoredScheme) -> str:
    return f"{scheme.contract_code}-{scheme.financial_year.replace('/', '-')}-v{scheme.version}"


def results(loaded: view.Loaded, priced: Payment, palette: str, *, what_if: bool) -> list:
    """The money, the KPI table and the forecast: what a what-if redraws."""
    scheme = priced.scheme
    slug = _slug(scheme) + ("-what-if" if what_if else "")
    illustrative_tag = (
        [" ", html.Strong("Illustrative", className="app-payment__illustrative-tag")]
        if scheme.illustrative
        else []
    )
    return [
        html.Section(
            [
                html.H2(["The money", *illustrative_tag], className="app-heading-l", id="payment-money"),
                *view.budget_sentences(priced, loaded.area_name, what_if=what_if),
                view.budget_chart(priced, loaded.area_name, slug=slug),
            ],
            **{"aria-labelledby": "payment-money"},
        ),
        html.Section(
            [
                html.H2(
                    ["KPIs and targets, year to date", *illustrative_tag],
                    className="app-heading-l",
                    id="payment-kpis",
                ),
                view.kpi_table(
                    priced,
                    area_code=loaded.area_code,
                    indicator_names=loaded.names,
                    palette=palette,
                    year_to_date=loaded.year_to_date,
                ),
                view.how_calculated(),
            ],
            **{"aria-labelledby": "payment-kpis"},
        ),
        html.Section(
            [
                html.H2(
                    ["Year-end forecast", *illustrative_tag], className="app-heading-l", id="payment-forecast"
                ),
                html.P(view.forecast_sentence(priced), className="app-body", id="payment-forecast-sentence"),
                view.forecast_chart(priced, loaded.area_name, slug=slug),
                view.forecast_table(priced, loaded.assured),
                view.how_forecast(),
            ],
            **{"aria-labelledby": "payment-forecast"},
        ),
    ]


# ---------------------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------------------


def _who(user: access.User) -> html.P:
    roles = " and ".join(ROLE_NAMES.get(role, role) for role in sorted(user.roles)) or "no role"
    return html.P(
        [
            f"You are using the dashboard as {user.name}, {roles}. ",
            "Only an administrator can change a payment scheme."
            if not access.can(user, CHANGE_SCHEME)
            else "You can change this scheme at the bottom of the page.",
        ],
        className="app-body-s app-secondary",
        id="payment-who",
    )


def _select(name: str, label: str, options: list[tuple[str, str]], selected: str) -> html.Div:
    field_id = f"payment-choose-{name}"
    return html.Div(
        [
            html.Label(label, htmlFor=field_id, className="app-label"),
            html.Select(
                [html.Option(text, value=value, selected=value == selected) for value, text in options],
                id=field_id,
                name=name,
                className="app-select",
            ),
        ],
        className="app-form-group",
    )


def _selector(choice: view.Choice) -> html.Form:
    """Choose the agreement and the year: an ordinary form, so the choice lands in the link."""
    all_schemes = data_access.payment_scheme_versions(choice.contract)
    with_scheme = set(all_schemes["financial_year"]) if not all_schemes.empty else set()
    contract_options = [(row.code, row.commissioner) for row in choice.agreements.itertuples(index=False)]
    year_options = [(year, year + ("" if year in with_scheme else " (no scheme)")) for year in choice.years]
    hidden = (
        [dcc.Input(type="hidden", name="palette", value=choice.palette)]
        if choice.palette != "standard"
        else []
    )
    return html.Form(
        [
            html.H2("Choose the agreement and year", className="app-visually-hidden"),
            _select("contract", "Agreement", contract_options, choice.contract),
            _select("year", "Financial year", year_options, choice.year),
            *hidden,
            html.Button("Show this payment", id="payment-choose", className="app-button", type="submit"),
        ],
        action=dash.get_relative_path(PATH),
        method="get",
        className="app-payment__selector",
        id="payment-selector",
    )


def _contents(has_scheme: bool) -> html.Nav:
    entries = (
        [
            ("The money", "#payment-money"),
            ("KPIs and targets", "#payment-kpis"),
            ("Year-end forecast", "#payment-forecast"),
            ("What if?", "#payment-whatif"),
            ("Download the calculation", "#payment-downloads"),
        ]
        if has_scheme
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
        **{"aria-label": "On this page"},
    )


def _budget_is_published(versions: Sequence[contracts.StoredScheme], scheme: contracts.StoredScheme) -> bool:
    """The shipped scheme's budget and share come from the committee paper; they stay real while unchanged."""
    first = versions[0] if versions else None
    return (
        first is not None
        and first.created_by == contracts.SEEDED_BY
        and first.budget == scheme.budget
        and first.share == scheme.share
    )


def _illustrative(
    scheme: contracts.StoredScheme, versions: Sequence[contracts.StoredScheme]
) -> html.Div | None:
    if not scheme.illustrative:
        return None
    share = view.percent(scheme.share)
    if _budget_is_published(versions, scheme):
        heading = f"The budget and {share} share are real; the KPIs are not."
        body = (
            f"The Children and Young People Committee agreed the {format_budget(scheme)} budget for "
            f"{scheme.financial_year} and the {share} share on 8 October 2024. The Annual Development Plan is "
            "not public, so the KPIs, their weights, targets and floors are illustrative, and so are the "
            "provider figures they are judged on. Every amount earned, withheld or forecast on this page is "
            "therefore illustrative."
        )
    else:
        heading = "This scheme is marked illustrative."
        body = (
            "Its budget, or its KPIs, weights, targets and floors, are not from a public source, and the "
            "provider figures are illustrative. Every amount earned, withheld or forecast on this page is "
            "therefore illustrative."
        )
    return notification_banner(
        "Illustrative scheme", heading, body, id="payment-illustrative-banner", kind="illustrative"
    )


def format_budget(scheme: contracts.StoredScheme) -> str:
    return view.format_pounds(scheme.budget)


def _scheme_summary(
    choice: view.Choice, scheme: contracts.StoredScheme, latest: contracts.StoredScheme
) -> list:
    agreement = choice.agreement
    in_force = (
        "agreed: the scheme in force"
        if scheme.status == contracts.AGREED
        else "a draft, not yet agreed, so not in force"
    )
    parts = [
        html.P(
            [
                (
                    f"Section 75 agreement with {agreement['provider']}, {formatting.date(agreement['start_date'])} to "
                    f"{formatting.date(agreement['current_end'])} (extendable to {formatting.date(agreement['latest_end'])}). "
                ),
                html.Strong(f"Payment scheme version {scheme.version}, {in_force}."),
            ],
            className="app-body app-payment__scheme-line",
            id="payment-scheme-summary",
        )
    ]
    if latest.version != scheme.version:
        parts.append(
            inset_text(
                html.P(
                    [
                        f"Version {latest.version} ({latest.status}) is the latest. ",
                        html.A(f"View version {latest.version}", href=choice.href(version=latest.version)),
                        ".",
                    ],
                    className="app-body",
                )
            )
        )
    return parts


def _no_scheme(choice: view.Choice, message: str) -> list:
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
    parts = [
        html.H2("No payment scheme", className="app-heading-l", id="payment-no-scheme"),
        warning_text(message),
    ]
    if links:
        parts += [
            html.P("Payment schemes on record:", className="app-body"),
            html.Ul(links, className="app-list"),
        ]
    return parts


def _whatif_section(loaded: view.Loaded, defaults: dict, live: list) -> html.Section:
    return html.Section(
        [
            html.H2("What if?", className="app-heading-l", id="payment-whatif"),
            html.Div(
                [
                    html.Strong("What-if: nothing is saved. "),
                    (
                        "Change any value or weight below to see how the money would move. Nobody else sees your "
                        "changes, and they are gone when you leave or reload the page."
                    ),
                ],
                className="app-inset-text app-payment__whatif-intro",
            ),
            html.P(
                "Values are shown to one decimal place; a value you leave as shown keeps the exact reported figure. "
                "Fill in a quarter not yet reported to count it; a blank quarter before one you fill in counts as "
                "no data. Weights are percentages of the money at risk and must total 100%.",
                className="app-body",
            ),
            html.Div(id="payment-whatif-inline-errors"),
            html.Div(
                live,
                id="payment-whatif-live",
                className="app-payment__live-panel",
                role="status",
                **{"aria-live": "polite"},
            ),
            view.whatif_inputs(loaded.scheme, defaults, loaded.year_to_date),
            html.Button(
                "Reset to the reported figures",
                id="payment-whatif-reset",
                n_clicks=0,
                className="app-button app-button--secondary",
                type="button",
            ),
        ],
        className="app-payment__whatif-section",
        **{"aria-labelledby": "payment-whatif"},
    )


def _downloads_section(scheme: contracts.StoredScheme) -> html.Section:
    return html.Section(
        [
            html.H2("Download the calculation", className="app-heading-l", id="payment-downloads"),
            html.P(
                "The calculation with its inputs and live Excel formulas (at risk, each period's achievement, the "
                "money earned and withheld, the forecast), so it can be checked line by line, and the scheme's "
                "audit history. The CSV has the same rows. Both are in pounds and pence, and include any what-if "
                "values you have entered (the file name then ends in \u201cwhat-if\u201d).",
                className="app-body",
            ),
            html.Div(
                [
                    html.Button(
                        ["Download the calculation (XLSX)", visually_hidden(f", {scheme.financial_year}")],
                        id="payment-download-xlsx",
                        n_clicks=0,
                        className="app-button app-button--secondary",
                        type="button",
                    ),
                    html.Button(
                        ["Download the calculation (CSV)", visually_hidden(f", {scheme.financial_year}")],
                        id="payment-download-csv",
                        n_clicks=0,
                        className="app-button app-button--secondary",
                        type="button",
                    ),
                ],
                className="app-button-group",
            ),
            dcc.Download(id="payment-download"),
        ],
        className="app-payment__downloads",
        **{"aria-labelledby": "payment-downloads"},
    )


def _field(label: str, input_component, *, id: str, hint: str | None = None) -> html.Div:
    parts = [html.Label(label, htmlFor=dom_id(input_component.id), className="app-label")]
    if hint:
        parts.append(html.Div(hint, className="app-hint", id=f"{id}-hint"))
    parts.append(input_component)
    return html.Div(parts, className="app-form-group", id=id)


def form_id(kind: str) -> dict:
    """A pattern-matching id for a part of the change or agree form, so that the forms' callbacks are wholly
    absent from the page for someone who cannot use them (Dash complains about half-present callbacks)."""
    return {"type": f"payment-{kind}", "form": "scheme"}


def dom_id(component_id: dict) -> str:
    """The id Dash gives a pattern-matching component in the page: its JSON with the keys sorted."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def change_field_id(name: str, kpi_index: int | None = None) -> str:
    return f"payment-change-{name}-field" + ("" if kpi_index is None else f"-{kpi_index}")


def _change_form(latest: contracts.StoredScheme) -> html.Div:
    rows = []
    for i, kpi in enumerate(latest.kpis):

        def cell(kind: str, value, label: str, i=i, kpi=kpi) -> html.Td:
            return html.Td(
                html.Label(
                    [
                        visually_hidden(f"{kpi.code} {kpi.label}: {label}"),
                        dcc.Input(
                            id={"type": kind, "kpi": i},
                            type="text",
                            inputMode="decimal",
                            value=value,
                            className="app-input app-input--width-5",
                            debounce=True,
                        ),
                    ],
                    id=change_field_id(kind.removeprefix("payment-change-"), i),
                ),
                className="app-table__cell",
            )

        rows.append(
            html.Tr(
                [
                    html.Th(
                        [html.Span(kpi.code, className="app-payment__code"), " ", kpi.label],
                        scope="row",
                        className="app-table__cell app-table__cell--row-header",
                    ),
                    cell(view.CHANGE_WEIGHT, view.plain_number(kpi.weight * 100), "weight (%)"),
                    cell(view.CHANGE_TARGET, view.plain_number(kpi.target), f"target ({kpi.unit})"),
                    cell(
                        view.CHANGE_FLOOR,
                        "" if kpi.floor is None else view.plain_number(kpi.floor),
                        f"floor ({kpi.unit}), blank for none",
                    ),
                ],
                className="app-table__row",
            )
        )
    kpi_table = html.Table(
        [
            html.Caption(
                "Each KPI's weight, target and floor", className="app-table__caption app-table__caption--s"
            ),
            html.Thead(
                html.Tr(
                    [
                        html.Th(h, scope="col", className="app-table__header")
                        for h in ("KPI", "Weight (%)", "Target", "Floor (blank for none)")
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="app-table",
    )
    action = (
        f"Save as version {latest.version + 1} (draft)"
        if latest.status == contracts.AGREED
        else f"Save changes to version {latest.version} (draft)"
    )
    explain = (
        f"Version {latest.version} is agreed, so it is kept as it is: your change is saved as version "
        f"{latest.version + 1}, a draft, until it is agreed."
        if latest.status == contracts.AGREED
        else f"Version {latest.version} is a draft, so your change updates it. Agreed versions are never edited."
    )
    return html.Div(
        [
            html.H3("Change this scheme", className="app-heading-m", id="payment-change"),
            html.P(explain, className="app-body"),
            html.Div(id=form_id("change-result")),
            dcc.Store(
                id=form_id("change-context"),
                data={"contract": latest.contract_code, "year": latest.financial_year},
            ),
            _field(
                "Budget (£)",
                dcc.Input(
                    id=form_id("change-budget"),
                    type="text",
                    inputMode="decimal",
                    value=f"{latest.budget:.2f}",
                    className="app-input app-input--width-10",
                ),
                id=change_field_id("budget"),
            ),
            _field(
                "Share of the budget paid on performance (%)",
                dcc.Input(
                    id=form_id("change-share"),
                    type="text",
                    inputMode="decimal",
                    value=view.plain_number(latest.share * 100),
                    className="app-input app-input--width-4",
                ),
                id=change_field_id("share"),
            ),
            kpi_table,
            _field(
                "Why are you making this change?",
                dcc.Textarea(id=form_id("change-reason"), value="", className="app-textarea", rows=3),
                id=change_field_id("reason"),
                hint="Required. It is kept in the audit log with your name and the time.",
            ),
            html.Button(action, id=form_id("change-save"), n_clicks=0, className="app-button", type="button"),
        ],
        className="app-payment__change",
        id="payment-change-form",
    )


def _agree_form(latest: contracts.StoredScheme) -> html.Div | None:
    if latest.status != contracts.DRAFT:
        return None
    return html.Div(
        [
            html.H3(f"Agree version {latest.version}", className="app-heading-m"),
            html.P(
                "Once agreed, a version is never edited: later changes make a new version.",
                className="app-body",
            ),
            html.Div(id=form_id("agree-result")),
            dcc.Store(
                id=form_id("agree-context"),
                data={"contract": latest.contract_code, "year": latest.financial_year},
            ),
            _field(
                "Why is it agreed? (for example, the meeting that agreed it)",
                dcc.Textarea(id=form_id("agree-reason"), value="", className="app-textarea", rows=2),
                id=change_field_id("agree-reason"),
            ),
            html.Button(
                f"Agree version {latest.version}",
                id=form_id("agree"),
                n_clicks=0,
                className="app-button",
                type="button",
            ),
        ],
        className="app-payment__change",
        id="payment-agree-form",
    )


def _history_section(choice: view.Choice, user: access.User) -> html.Section:
    versions, audit = data_access.payment_history(choice.contract, choice.year)
    parts: list = [
        html.H2("Versions and changes", className="app-heading-l", id="payment-history"),
        _who(user),
    ]
    if versions:
        parts += [
            _scrolling(
                view.versions_table(versions, choice.version, lambda v: choice.href(version=v)), "Versions"
            ),
            _scrolling(view.audit_table(audit), "Audit log"),
        ]
    else:
        parts.append(
            html.P(f"There is no scheme for {choice.year}, so there is no history.", className="app-body")
        )
    if versions and access.can(user, CHANGE_SCHEME):
        latest = versions[-1]
        parts += [_change_form(latest), _agree_form(latest)]
    elif versions:
        parts.append(
            inset_text(
                html.P(
                    f"Only an administrator can change this scheme. You are {user.name} "
                    f"({', '.join(sorted(user.roles)) or 'no role'}), so you can see its history but not change it.",
                    className="app-body",
                )
            )
        )
    return html.Section([p for p in parts if p is not None], **{"aria-labelledby": "payment-history"})


def _scrolling(table, label: str) -> html.Div:
    return html.Div(
        table,
        className="app-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": f"{label} (scrolls sideways on a small screen)"},
    )


def _unavailable() -> html.Div:
    return html.Div(
        [
            html.H1(TITLE, className="app-heading-xl"),
            html.Div(
                [
                    html.H2(
                        "The figures could not be loaded", className="app-heading-m app-error-summary__title"
                    ),
                    html.P(
                        "The dashboard could not read its data store. Try again in a few minutes.",
                        className="app-body",
                    ),
                ],
                className="app-error-summary",
                role="alert",
                id="data-unavailable",
            ),
        ],
        className="app-page app-page--payment",
    )


def layout(**query) -> html.Div:
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
        user = access.current_user()
        return _page(choice, user)
    except data_access.DataUnavailable:
        return _unavailable()


def _page(choice: view.Choice, user: access.User) -> html.Div:
    agreement = choice.agreement
    children: list = [
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
    children.append(_selector(choice))
    loaded = load(choice.contract, choice.year, choice.version) if choice.version is not None else None
    if loaded is None:
        message = data_access.payment_scheme(choice.contract, choice.year, choice.version)[1] or (
            f"{agreement['commissioner']}'s agreement has no payment scheme for {choice.year}."
        )
        children += [_contents(False), *_no_scheme(choice, message), _history_section(choice, user)]
        return html.Div(children, className="app-page app-page--payment")

    scheme = loaded.scheme
    versions, _ = data_access.payment_history(choice.contract, choice.year)
    defaults = view.default_inputs(scheme, loaded.so_far)
    priced = view.payment(view.apply_what_if(scheme, loaded.so_far, defaults), loaded.assured)
    children += [
        _contents(True),
        *_scheme_summary(choice, scheme, versions[-1] if versions else scheme),
        _illustrative(scheme, versions),
        html.Div(id="payment-whatif-notice"),
        html.Div(results(loaded, priced, choice.palette, what_if=False), id="payment-results"),
        _whatif_section(loaded, defaults, view.whatif_live(priced, priced, ())),
        _downloads_section(scheme),
        _history_section(choice, user),
        dcc.Store(
            id="payment-context",
            data={
                "contract": choice.contract,
                "year": choice.year,
                "version": choice.version,
                "palette": choice.palette,
            },
        ),
        dcc.Store(id="payment-defaults", data=defaults),
    ]
    return html.Div([c for c in children if c is not None], className="app-page app-page--payment")


# ---------------------------------------------------------------------------------------------------------
# Callbacks. Each is a plain function (so tests can call it) registered with Dash below.
# ---------------------------------------------------------------------------------------------------------


def _grid(defaults: Mapping, entries: Sequence[Mapping] | None) -> list[list]:
    """The what-if values from Dash's list of {id, value} entries, as one list per KPI."""
    grid = [list(row) for row in defaults["values"]]
    for entry in entries or ():
        grid[entry["id"]["kpi"]][entry["id"]["period"]] = entry.get("value")
    return grid


def _weights(defaults: Mapping, entries: Sequence[Mapping] | None) -> list:
    weights = list(defaults["weights"])
    for entry in entries or ():
        weights[entry["id"]["kpi"]] = entry.get("value")
    return weights


def what_if_outputs(
    context: Mapping, defaults: Mapping, values: Sequence[Sequence], weights: Sequence
) -> tuple:
    """(results, error summary, what-if notice, inline errors, live money) for the what-if inputs given."""
    loaded = load(context["contract"], context["year"], context["version"])
    if loaded is None:
        return (dash.no_update,) * 5
    what_if = view.apply_what_if(loaded.scheme, loaded.so_far, defaults, values, weights)
    if what_if.errors:
        summary = view.error_summary(
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
            view.whatif_notice(what_if.changes),
            inline,
            [html.P("The money cannot be worked out until the problem is fixed.", className="app-body")],
        )
    priced = view.payment(what_if, loaded.assured)
    reported = view.payment(view.apply_what_if(loaded.scheme, loaded.so_far, defaults), loaded.assured)
    return (
        results(loaded, priced, context.get("palette", "standard"), what_if=what_if.active),
        None,
        view.whatif_notice(what_if.changes),
        None,
        view.whatif_live(priced, reported, what_if.changes),
    )


def _what_if_from_request(context, defaults) -> tuple:
    inputs = dash.ctx.inputs_list
    return what_if_outputs(context, defaults, _grid(defaults, inputs[0]), _weights(defaults, inputs[1]))


def _what_if_messages(values, weights, context, defaults):
    """The small, quick part: the money beside the inputs, the what-if notice and any problems."""
    _, summary, notice, inline, live = _what_if_from_request(context, defaults)
    return summary, notice, inline, live


def _what_if_results(values, weights, context, defaults):
    """The page-wide part: the money, the KPI table and the forecast, in its own request so the browser can
    show the money beside the inputs first."""
    return _what_if_from_request(context, defaults)[0]


def reset_what_if(n_clicks, defaults, value_ids, weight_ids):
    """Put every what-if input back to the reported figure and the scheme's weight."""
    if not n_clicks:
        return dash.no_update, dash.no_update
    return (
        [defaults["values"][i["kpi"]][i["period"]] for i in value_ids],
        [defaults["weights"][i["kpi"]] for i in weight_ids],
    )


def export_file(
    kind: str, context: Mapping, defaults: Mapping, values: Sequence[Sequence], weights: Sequence
):
    """The calculation as a dcc.Download payload (XLSX or CSV), with the what-if values if any."""
    loaded = load(context["contract"], context["year"], context["version"])
    if loaded is None:
        return dash.no_update
    what_if = view.apply_what_if(loaded.scheme, loaded.so_far, defaults, values, weights)
    if what_if.errors:
        what_if = view.apply_what_if(loaded.scheme, loaded.so_far, defaults)
    priced = view.payment(what_if, loaded.assured)
    name = file_name(priced.scheme, kind, what_if=what_if.active)
    if kind == "csv":
        return dcc.send_string(csv_text(priced, what_if=what_if.changes), name, type="text/csv")
    versions, audit = data_access.payment_history(context["contract"], context["year"])
    commissioner = data_access.payment_contracts().set_index("code").loc[context["contract"], "commissioner"]
    content = workbook_bytes(
        priced, commissioner=commissioner, versions=versions, audit=audit, what_if=what_if.changes
    )
    return dcc.send_bytes(
        content, name, type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def _export_callback(xlsx_clicks, csv_clicks, values, weights, context, defaults):
    kind = "csv" if dash.ctx.triggered_id == "payment-download-csv" else "xlsx"
    states = dash.ctx.states_list
    return export_file(kind, context, defaults, _grid(defaults, states[0]), _weights(defaults, states[1]))


def _problem(field: str, message: str) -> list:
    return [view.error_summary([(field, message)], id="payment-change-error-summary")]


def _kpi_field(message: str, latest: contracts.StoredScheme) -> str:
    """The form field an error message is about: 'KPI C2: floor ...' -> the C2 floor field."""
    for i, kpi in enumerate(latest.kpis):
        if message.startswith((f"KPI {kpi.code}:", f"KPI {kpi.code} ")):
            kind = "floor" if "floor" in message else "target" if "target" in message else "weight"
            return change_field_id(kind, i)
    if "weights" in message.lower():
        return change_field_id("weight", 0)
    if "share" in message.lower():
        return change_field_id("share")
    if "budget" in message.lower():
        return change_field_id("budget")
    if "reason" in message.lower():
        return change_field_id("reason")
    return change_field_id("budget")


def save_change(n_clicks, context, budget, share, weights, targets, floors, reason) -> list:
    """Save a change to the scheme, through the one permission check. A refusal or an invalid change is shown
    in an error summary and nothing is written."""
    if not n_clicks:
        return dash.no_update
    user = access.current_user()
    try:
        access.require(user, CHANGE_SCHEME)
    except PermissionDenied as refused:
        return _problem(change_field_id("budget"), str(refused))
    versions, _ = data_access.payment_history(context["contract"], context["year"])
    if not versions:
        return _problem(change_field_id("budget"), "There is no scheme to change for this year.")
    latest = versions[-1]
    problems: list[tuple[str, str]] = []

    def number(text, what: str, field: str, *, optional: bool = False):
        if optional and not str(text if text is not None else "").strip():
            return None
        try:
            return view.parse_amount(text, what)
        except ValueError as error:
            problems.append((field, str(error)))
            return None

    new_budget = number(budget, "the budget in pounds", change_field_id("budget"))
    new_share = number(share, "the share as a percentage", change_field_id("share"))
    kpis = []
    for i, kpi in enumerate(latest.kpis):
        weight = number(weights[i], f"a weight for {kpi.code}", change_field_id("weight", i))
        target = number(targets[i], f"a target for {kpi.code}", change_field_id("target", i))
        floor = number(floors[i], f"a floor for {kpi.code}", change_field_id("floor", i), optional=True)
        if weight is not None and target is not None:
            kpis.append(
                contracts.SchemeKpi(
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
    if problems:
        return [view.error_summary(problems, id="payment-change-error-summary")]
    try:
        saved = contracts.save_scheme_version(
            data_access.engine(),
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
    except SQLAlchemyError:
        return _problem(
            change_field_id("budget"),
            "The change could not be saved: the dashboard could not write "
            "to its data store (it may be open for reading only). Nothing was changed.",
        )
    data_access.forget_payment_reads()
    href = dash.get_relative_path(
        urlstate.href(
            PATH, {"contract": context["contract"], "year": context["year"], "version": str(saved.version)}
        )
    )
    return [
        notification_banner(
            "Saved",
            f"Version {saved.version} saved as a draft.",
            html.P(
                [
                    f"Saved by {user.name}. ",
                    html.A(f"View version {saved.version}", href=href),
                    " to see its figures and the audit log.",
                ],
                className="app-body",
            ),
            id="payment-change-saved",
            kind="important",
        )
    ]


def agree_change(n_clicks, context, reason) -> list:
    """Agree the latest draft, through the one permission check."""
    if not n_clicks:
        return dash.no_update
    user = access.current_user()
    try:
        agreed = contracts.agree_scheme(
            data_access.engine(), user, context["contract"], context["year"], reason or ""
        )
    except PermissionDenied as refused:
        return [
            view.error_summary([(change_field_id("agree-reason"), str(refused))], id="payment-agree-errors")
        ]
    except (ValueError, LookupError) as error:
        return [
            view.error_summary([(change_field_id("agree-reason"), str(error))], id="payment-agree-errors")
        ]
    except SQLAlchemyError:
        return [
            view.error_summary(
                [
                    (
                        change_field_id("agree-reason"),
                        "The dashboard could not write to its data store. Nothing was changed.",
                    )
                ],
                id="payment-agree-errors",
            )
        ]
    data_access.forget_payment_reads()
    href = dash.get_relative_path(
        urlstate.href(PATH, {"contract": context["contract"], "year": context["year"]})
    )
    return [
        notification_banner(
            "Agreed",
            f"Version {agreed.version} is agreed and now in force.",
            html.P(html.A("Show the scheme in force", href=href), className="app-body"),
            id="payment-agree-saved",
            kind="important",
        )
    ]


_WHAT_IF_INPUTS = (
    Input({"type": view.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "value"),
    Input({"type": view.WHATIF_WEIGHT, "kpi": ALL}, "value"),
    State("payment-context", "data"),
    State("payment-defaults", "data"),
)

dash.callback(
    Output("payment-whatif-errors", "children"),
    Output("payment-whatif-notice", "children"),
    Output("payment-whatif-inline-errors", "children"),
    Output("payment-whatif-live", "children"),
    *_WHAT_IF_INPUTS,
    prevent_initial_call=True,
)(_what_if_messages)

dash.callback(Output("payment-results", "children"), *_WHAT_IF_INPUTS, prevent_initial_call=True)(
    _what_if_results
)

dash.callback(
    Output({"type": view.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "value"),
    Output({"type": view.WHATIF_WEIGHT, "kpi": ALL}, "value"),
    Input("payment-whatif-reset", "n_clicks"),
    State("payment-defaults", "data"),
    State({"type": view.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "id"),
    State({"type": view.WHATIF_WEIGHT, "kpi": ALL}, "id"),
    prevent_initial_call=True,
)(reset_what_if)

dash.callback(
    Output("payment-download", "data"),
    Input("payment-download-xlsx", "n_clicks"),
    Input("payment-download-csv", "n_clicks"),
    State({"type": view.WHATIF_VALUE, "kpi": ALL, "period": ALL}, "value"),
    State({"type": view.WHATIF_WEIGHT, "kpi": ALL}, "value"),
    State("payment-context", "data"),
    State("payment-defaults", "data"),
    prevent_initial_call=True,
)(_export_callback)


def _save_callback(clicks, contexts, budgets, shares, weights, targets, floors, reasons):
    if not any(clicks or ()):
        return dash.no_update
    return [save_change(clicks[0], contexts[0], budgets[0], shares[0], weights, targets, floors, reasons[0])]


def _agree_callback(clicks, contexts, reasons):
    if not any(clicks or ()):
        return dash.no_update
    return [agree_change(clicks[0], contexts[0], reasons[0])]


dash.callback(
    Output(form_id("change-result") | {"form": ALL}, "children"),
    Input(form_id("change-save") | {"form": ALL}, "n_clicks"),
    State(form_id("change-context") | {"form": ALL}, "data"),
    State(form_id("change-budget") | {"form": ALL}, "value"),
    State(form_id("change-share") | {"form": ALL}, "value"),
    State({"type": view.CHANGE_WEIGHT, "kpi": ALL}, "value"),
    State({"type": view.CHANGE_TARGET, "kpi": ALL}, "value"),
    State({"type": view.CHANGE_FLOOR, "kpi": ALL}, "value"),
    State(form_id("change-reason") | {"form": ALL}, "value"),
    prevent_initial_call=True,
)(_save_callback)

dash.callback(
    Output(form_id("agree-result") | {"form": ALL}, "children"),
    Input(form_id("agree") | {"form": ALL}, "n_clicks"),
    State(form_id("agree-context") | {"form": ALL}, "data"),
    State(form_id("agree-reason") | {"form": ALL}, "value"),
    prevent_initial_call=True,
)(_agree_callback)
