"""The payment page's sections, put together from its parts: the money, the KPIs and the forecast (which a
what-if redraws), the lines that say which scheme is shown and whether it is illustrative, the what-if inputs,
the downloads, and the scheme's history with the forms that change it.

Each takes what the page has read; none reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import formatting
from dashboard.components.attributes import extra
from dashboard.components.govuk import inset_text, visually_hidden
from dashboard.components.notices import notification_banner
from dashboard.components.payment.assurance import forecast_table, how_forecast
from dashboard.components.payment.charts import budget_chart, forecast_chart
from dashboard.components.payment.choice import Choice, Loaded
from dashboard.components.payment.forms import agree_form, change_form, whatif_inputs
from dashboard.components.payment.tables import (
    audit_table,
    how_calculated,
    kpi_table,
    scrolling,
    versions_table,
)
from dashboard.components.payment.whatif import WhatIfInputs
from dashboard.components.payment.words import budget_sentences, forecast_sentence
from dashboard.data_access import AGREED, SEEDED_BY, StoredScheme
from data import access
from data.access import CHANGE_SCHEME, ROLE_NAMES
from data.payment_export import Payment
from metrics.money import format_pounds


def slug(scheme: StoredScheme) -> str:
    """The scheme version in a file name: 'ccc-hcp-s75-2025-26-v1'."""
    return f"{scheme.contract_code}-{scheme.financial_year.replace('/', '-')}-v{scheme.version}"


def results(loaded: Loaded, priced: Payment, palette: str, *, what_if: bool) -> list[html.Section]:
    """The money, the KPI table and the forecast: what a what-if redraws."""
    scheme = priced.scheme
    file_slug = slug(scheme) + ("-what-if" if what_if else "")
    illustrative_tag: list[str | Component] = (
        [" ", html.Strong("Illustrative", className="app-payment__illustrative-tag")]
        if scheme.illustrative
        else []
    )
    return [
        html.Section(
            [
                html.H2(["The money", *illustrative_tag], className="app-heading-l", id="payment-money"),
                *budget_sentences(priced, loaded.area_name, what_if=what_if),
                budget_chart(priced, loaded.area_name, slug=file_slug),
            ],
            **extra({"aria-labelledby": "payment-money"}),
        ),
        html.Section(
            [
                html.H2(
                    ["KPIs and targets, year to date", *illustrative_tag],
                    className="app-heading-l",
                    id="payment-kpis",
                ),
                kpi_table(
                    priced,
                    area_code=loaded.area_code,
                    indicator_names=loaded.names,
                    palette=palette,
                    year_to_date=loaded.year_to_date,
                ),
                how_calculated(),
            ],
            **extra({"aria-labelledby": "payment-kpis"}),
        ),
        html.Section(
            [
                html.H2(
                    ["Year-end forecast", *illustrative_tag], className="app-heading-l", id="payment-forecast"
                ),
                html.P(forecast_sentence(priced), className="app-body", id="payment-forecast-sentence"),
                forecast_chart(priced, loaded.area_name, slug=file_slug),
                forecast_table(priced, loaded.assured),
                how_forecast(),
            ],
            **extra({"aria-labelledby": "payment-forecast"}),
        ),
    ]


def scheme_summary(choice: Choice, scheme: StoredScheme, latest: StoredScheme) -> list[Component]:
    """Which agreement and scheme version is shown, whether it is in force, and a link to a later version."""
    agreement = choice.agreement
    in_force = (
        "agreed: the scheme in force"
        if scheme.status == AGREED
        else "a draft, not yet agreed, so not in force"
    )
    dates = (
        f"{formatting.date(agreement['start_date'])} to {formatting.date(agreement['current_end'])} "
        f"(extendable to {formatting.date(agreement['latest_end'])})"
    )
    parts: list[Component] = [
        html.P(
            [
                f"Section 75 agreement with {agreement['provider']}, {dates}. ",
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


def _budget_is_published(versions: Sequence[StoredScheme], scheme: StoredScheme) -> bool:
    """The shipped scheme's budget and share come from the committee paper; they stay real while unchanged."""
    first = versions[0] if versions else None
    return (
        first is not None
        and first.created_by == SEEDED_BY
        and first.budget == scheme.budget
        and first.share == scheme.share
    )


def illustrative_banner(scheme: StoredScheme, versions: Sequence[StoredScheme]) -> html.Div | None:
    """What in an illustrative scheme is real and what is not (None for a scheme not marked illustrative)."""
    if not scheme.illustrative:
        return None
    share = formatting.percent(scheme.share)
    if _budget_is_published(versions, scheme):
        heading = f"The budget and {share} share are real; the KPIs are not."
        body = (
            f"The Children and Young People Committee agreed the {format_pounds(scheme.budget)} budget for "
            f"{scheme.financial_year} and the {share} share on 8 October 2024. The Annual Development Plan "
            "is not public, so the KPIs, their weights, targets and floors are illustrative, and so are the "
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


def whatif_section(loaded: Loaded, defaults: WhatIfInputs, live: Sequence[Component]) -> html.Section:
    """The what-if inputs, with the money beside them and a button that puts the reported figures back."""
    return html.Section(
        [
            html.H2("What if?", className="app-heading-l", id="payment-whatif"),
            html.Div(
                [
                    html.Strong("What-if: nothing is saved. "),
                    (
                        "Change any value or weight below to see how the money would move. Nobody else sees "
                        "your changes, and they are gone when you leave or reload the page."
                    ),
                ],
                className="app-inset-text app-payment__whatif-intro",
            ),
            html.P(
                "Values are shown to one decimal place; a value you leave as shown keeps the exact reported "
                "figure. Fill in a quarter not yet reported to count it; a blank quarter before one you fill "
                "in counts as no data. Weights are percentages of the money at risk and must total 100%.",
                className="app-body",
            ),
            html.Div(id="payment-whatif-inline-errors"),
            html.Div(
                live,
                id="payment-whatif-live",
                className="app-payment__live-panel",
                role="status",
                **extra({"aria-live": "polite"}),
            ),
            whatif_inputs(loaded.scheme, defaults, loaded.year_to_date),
            html.Button(
                "Reset to the reported figures",
                id="payment-whatif-reset",
                n_clicks=0,
                className="app-button app-button--secondary",
                type="button",
            ),
        ],
        className="app-payment__whatif-section",
        **extra({"aria-labelledby": "payment-whatif"}),
    )


def _download_button(kind: str, scheme: StoredScheme) -> html.Button:
    """A button that downloads the calculation as ``kind`` ('xlsx' or 'csv')."""
    return html.Button(
        [f"Download the calculation ({kind.upper()})", visually_hidden(f", {scheme.financial_year}")],
        id=f"payment-download-{kind}",
        n_clicks=0,
        className="app-button app-button--secondary",
        type="button",
    )


def downloads_section(scheme: StoredScheme) -> html.Section:
    """The buttons that download the calculation as XLSX (with live formulas) and as CSV."""
    return html.Section(
        [
            html.H2("Download the calculation", className="app-heading-l", id="payment-downloads"),
            html.P(
                "The calculation with its inputs and live Excel formulas (at risk, each period's "
                "achievement, the money earned and withheld, the forecast), so it can be checked line by "
                "line, and the scheme's audit history. The CSV has the same rows. Both are in pounds and "
                "pence, and include any what-if values you have entered (the file name then ends in "
                "\u201cwhat-if\u201d).",
                className="app-body",
            ),
            html.Div(
                [_download_button("xlsx", scheme), _download_button("csv", scheme)],
                className="app-button-group",
            ),
            dcc.Download(id="payment-download"),
        ],
        className="app-payment__downloads",
        **extra({"aria-labelledby": "payment-downloads"}),
    )


def _who(user: access.User, *, has_scheme: bool = True) -> html.P:
    """Who is using the page, in which role, and whether they can change (or set up) the scheme."""
    roles = " and ".join(ROLE_NAMES.get(role, role) for role in sorted(user.roles)) or "no role"
    return html.P(
        [
            f"You are using the dashboard as {user.name}, {roles}. ",
            "Only an administrator can change a payment scheme."
            if not access.can(user, CHANGE_SCHEME)
            else "You can change this scheme at the bottom of the page."
            if has_scheme
            else "You can set up this year's scheme above.",
        ],
        className="app-body-s app-secondary",
        id="payment-who",
    )


def history_section(
    choice: Choice,
    user: access.User,
    versions: Sequence[StoredScheme],
    audit: pd.DataFrame,
    *,
    uplift: Component | None = None,
) -> html.Section:
    """The year's versions and audit log, then the forms that change and agree the scheme (and ``uplift``,
    the form that starts next year from this one) for someone who may use them, or a note saying why they
    are not shown."""
    parts: list[Component | None] = [
        html.H2("Versions and changes", className="app-heading-l", id="payment-history"),
        _who(user, has_scheme=bool(versions)),
    ]
    if versions:
        parts += [
            scrolling(versions_table(versions, choice.version, lambda v: choice.href(version=v)), "Versions"),
            scrolling(audit_table(audit), "Audit log"),
        ]
    else:
        parts.append(
            html.P(f"There is no scheme for {choice.year}, so there is no history.", className="app-body")
        )
    if versions and access.can(user, CHANGE_SCHEME):
        latest = versions[-1]
        parts += [change_form(latest), agree_form(latest), uplift]
    elif versions:
        roles = ", ".join(sorted(user.roles)) or "no role"
        parts.append(
            inset_text(
                html.P(
                    f"Only an administrator can change this scheme. You are {user.name} ({roles}), so you "
                    "can see its history but not change it.",
                    className="app-body",
                )
            )
        )
    return html.Section([p for p in parts if p is not None], **extra({"aria-labelledby": "payment-history"}))
