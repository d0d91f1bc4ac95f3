"""The payment page's forms: the what-if inputs, the error summary that lists a form's problems, and the
forms an administrator uses to change a scheme or agree it.

The change and agree forms' parts have pattern-matching ids (:func:`form_id`), so their callbacks are wholly
absent from the page for someone who cannot use them. Showing the forms only to those who may use them is a
courtesy: the save goes through the one permission check on the server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components.attributes import extra
from dashboard.components.govuk import visually_hidden
from dashboard.components.payment.tables import row_header, td, th
from dashboard.components.payment.whatif import WhatIfInputs, whatif_field_id
from dashboard.components.payment.words import QUARTERS, period_labels
from dashboard.data_access import AGREED, DRAFT, SchemeKpi, StoredScheme
from dashboard.formatting import plain_number, quantity
from metrics.payment import Value

# Ids of the page's interactive parts, shared by the page, its callbacks and the tests.
WHATIF_VALUE, WHATIF_WEIGHT = "payment-whatif-value", "payment-whatif-weight"
CHANGE_WEIGHT, CHANGE_TARGET, CHANGE_FLOOR = (
    "payment-change-weight",
    "payment-change-target",
    "payment-change-floor",
)


# --- What-if inputs ----------------------------------------------------------------------------------------


def whatif_inputs(
    scheme: StoredScheme, defaults: WhatIfInputs, year_to_date: Mapping[str, Sequence[Value]]
) -> html.Div:
    """A table of number inputs: each KPI's weight and its value for each period, each with its own label."""
    head = html.Thead(html.Tr([th("KPI"), th("Weight (%)", True), *[th(q, True) for q in QUARTERS]]))
    rows = []
    for i, kpi in enumerate(scheme.kpis):
        unit = f" ({kpi.unit})" if kpi.unit else ""
        weight = html.Label(
            [
                visually_hidden(f"{kpi.code} {kpi.label}: weight (%)"),
                dcc.Input(
                    id={"type": WHATIF_WEIGHT, "kpi": i},
                    type="number",
                    value=defaults["weights"][i],
                    min=0,
                    max=100,
                    step="any",
                    # Dash's list of input modes leaves out HTML's "decimal", which it passes on as given.
                    inputMode="decimal",  # type: ignore[arg-type]
                    debounce=False,
                    className="app-input app-input--width-4",
                ),
            ],
            id=whatif_field_id("weight", i),
            className="app-payment__field",
        )
        cells = []
        labels = period_labels(kpi)
        for p, label in enumerate(labels):
            annual = kpi.basis == "annual"
            ytd = (year_to_date.get(kpi.code) or [None])[0] if annual else None
            visible: list[Component] = []
            if annual:
                visible = [
                    html.Span(
                        "Whole year" + (f" ({quantity(ytd, kpi.unit)} so far)" if ytd is not None else ""),
                        className="app-payment__field-label",
                        **extra({"aria-hidden": "true"}),
                    )
                ]
            field = html.Label(
                [
                    *visible,
                    visually_hidden(f"{kpi.code} {kpi.label}: {label} value{unit}"),
                    dcc.Input(
                        id={"type": WHATIF_VALUE, "kpi": i, "period": p},
                        type="number",
                        value=defaults["values"][i][p],
                        step="any",
                        min=0,
                        # Dash's list of input modes leaves out HTML's "decimal", which it passes on as given.
                        inputMode="decimal",  # type: ignore[arg-type]
                        debounce=False,
                        className="app-input app-input--width-5",
                    ),
                ],
                id=whatif_field_id("value", i, p),
                className="app-payment__field" + (" app-payment__field--year" if annual else ""),
            )
            cells.append(td(field, not annual, **({"colSpan": 4} if annual else {})))
        rows.append(
            html.Tr(
                [
                    row_header(kpi),
                    td(weight, True),
                    *cells,
                ],
                className="app-table__row",
            )
        )
    table = html.Table(
        [
            html.Caption(
                "What-if values: weights and each period's figure",
                className="app-table__caption app-table__caption--s",
            ),
            head,
            html.Tbody(rows),
        ],
        className="app-table app-payment__whatif-table",
        id="payment-whatif-table",
    )
    return html.Div(
        table,
        className="app-table-scroll",
        tabIndex="0",
        role="region",
        **extra({"aria-label": "What-if values (scrolls sideways on a small screen)"}),
    )


def error_summary(
    errors: Sequence[tuple[str, str]], *, title: str = "There is a problem", id: str, note: str | None = None
) -> html.Div:
    """A GOV.UK error summary: a title, a link to each problem's field, and an optional note."""
    return html.Div(
        [
            html.H2(title, className="app-error-summary__title app-heading-m", id=f"{id}-title"),
            html.Ul(
                [
                    html.Li(html.A(message, href=f"#{anchor}")) if anchor else html.Li(message)
                    for anchor, message in errors
                ],
                className="app-list app-error-summary__list",
            ),
            *([html.P(note, className="app-body app-error-summary__note")] if note else []),
        ],
        className="app-error-summary",
        role="alert",
        id=id,
        tabIndex="-1",
        **extra({"aria-labelledby": f"{id}-title"}),
    )


# --- Changing and agreeing a scheme -------------------------------------------------------------------------


def _field(
    label: str, input_component: dcc.Input | dcc.Textarea, *, id: str, hint: str | None = None
) -> html.Div:
    """A labelled form group around ``input_component``, with an optional hint."""
    # Dash sets each property given as an attribute, but its typed components do not declare them.
    component_id = input_component.id  # type: ignore[union-attr]
    parts: list[Component] = [html.Label(label, htmlFor=dom_id(component_id), className="app-label")]
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
    """The id of the form group around a change-form field, which the error summary links to."""
    return f"payment-change-{name}-field" + ("" if kpi_index is None else f"-{kpi_index}")


def change_form(latest: StoredScheme) -> html.Div:
    """The form that changes the latest version of a scheme: its budget, share, and each KPI's weight, target
    and floor, with the reason for the change. An agreed version is kept, and the change saved as a new
    draft; a draft is changed in place."""
    rows = []
    for i, kpi in enumerate(latest.kpis):

        def cell(kind: str, value: str, label: str, i: int = i, kpi: SchemeKpi = kpi) -> html.Td:
            return html.Td(
                html.Label(
                    [
                        visually_hidden(f"{kpi.code} {kpi.label}: {label}"),
                        dcc.Input(
                            id={"type": kind, "kpi": i},
                            type="text",
                            # Dash's list of input modes leaves out HTML's "decimal", which it passes on as
                            # given.
                            inputMode="decimal",  # type: ignore[arg-type]
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
                    row_header(kpi),
                    cell(CHANGE_WEIGHT, plain_number(kpi.weight * 100), "weight (%)"),
                    cell(CHANGE_TARGET, plain_number(kpi.target), f"target ({kpi.unit})"),
                    cell(
                        CHANGE_FLOOR,
                        "" if kpi.floor is None else plain_number(kpi.floor),
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
        if latest.status == AGREED
        else f"Save changes to version {latest.version} (draft)"
    )
    explain = (
        f"Version {latest.version} is agreed, so it is kept as it is: your change is saved as version "
        f"{latest.version + 1}, a draft, until it is agreed."
        if latest.status == AGREED
        else f"Version {latest.version} is a draft, so your change updates it. Agreed versions are never "
        "edited."
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
                    # Dash's list of input modes leaves out HTML's "decimal", which it passes on as given.
                    inputMode="decimal",  # type: ignore[arg-type]
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
                    # Dash's list of input modes leaves out HTML's "decimal", which it passes on as given.
                    inputMode="decimal",  # type: ignore[arg-type]
                    value=plain_number(latest.share * 100),
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


def agree_form(latest: StoredScheme) -> html.Div | None:
    """The form that agrees the latest version while it is a draft (None once it is agreed)."""
    if latest.status != DRAFT:
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


def parse_amount(text, what: str) -> Decimal:
    """A number typed into the change form ('£9,126,108', '3', '92.5') as a Decimal; ValueError if it is
    not."""
    cleaned = str(text if text is not None else "").replace(",", "").replace("£", "").replace("%", "").strip()
    if not cleaned:
        raise ValueError(f"Enter {what}")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"{what[0].upper()}{what[1:]} must be a number") from error
    if not number.is_finite():
        raise ValueError(f"{what[0].upper()}{what[1:]} must be a number")
    return number


def read_amount(
    text: Any, what: str, field: str, problems: list[tuple[str, str]], *, optional: bool = False
) -> Decimal | None:
    """A number typed into a payment form, or None: a blank optional field, or a problem noted against
    ``field`` (the id the error summary links to) so that every problem in the form is reported at once."""
    if optional and not str(text if text is not None else "").strip():
        return None
    try:
        return parse_amount(text, what)
    except ValueError as error:
        problems.append((field, str(error)))
        return None
