"""The forms that make a year's first payment scheme, and the notice that says a version is a draft.

* :func:`setup_form`: "Set up a payment scheme for 2025/26": the budget (always typed in: it must come from
  the agreement, and the dashboard never suggests one), the share paid on performance, and a table of KPIs
  filled in from another scheme (or the provider KPIs in the catalogue), each with an "include" box, weight,
  target, floor and basis; the reason is required.
* :func:`uplift_form`: "Start 2026/27 from this scheme": the agreed scheme's budget raised by an uplift, its
  share and KPIs copied, saved as a draft.
* :func:`draft_notice`: the banner at the top of a draft version, saying it is not yet agreed and what
  agreeing it does.

Like the change and agree forms, their parts have pattern-matching ids (:func:`forms.form_id`), so their
callbacks are absent for anyone the forms are not shown to; the server checks the user again on saving.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components.attributes import extra
from dashboard.components.govuk import visually_hidden
from dashboard.components.notices import notification_banner
from dashboard.components.payment.forms import dom_id, form_id
from dashboard.data_access import SchemeKpi, StoredScheme
from dashboard.formatting import percent, plain_number
from metrics.money import format_pounds

# Ids of the set-up table's inputs, one of each for every KPI row (pattern-matching: {"type": ..., "kpi": i}).
SETUP_INCLUDE, SETUP_WEIGHT, SETUP_TARGET, SETUP_FLOOR, SETUP_BASIS = (
    "payment-setup-include",
    "payment-setup-weight",
    "payment-setup-target",
    "payment-setup-floor",
    "payment-setup-basis",
)
QUARTERLY, ANNUAL = "quarterly", "annual"
TOGGLE_ON, TOGGLE_OFF = "app-toggle--on", "app-toggle--off"
POLARITY_WORDS = {"higher_is_better": "higher is better", "lower_is_better": "lower is better"}


def setup_field_id(name: str, kpi_index: int | None = None) -> str:
    """The id of the element around a set-up field, which the error summary links to."""
    return f"payment-setup-{name}-field" + ("" if kpi_index is None else f"-{kpi_index}")


def uplift_field_id(name: str) -> str:
    """The id of the form group around an uplift field, which the error summary links to."""
    return f"payment-uplift-{name}-field"


@dataclass(frozen=True)
class KpiRow:
    """One row of the set-up table: the KPI it offers and the values the form starts with (text, as typed)."""

    code: str
    indicator_code: str
    label: str
    polarity: str
    unit: str
    weight: str = ""
    target: str = ""
    floor: str = ""
    basis: str = "quarterly"
    included: bool = False

    def as_data(self) -> dict[str, str]:
        """What the save callback needs to rebuild the KPI (the values typed come from the inputs)."""
        row = asdict(self)
        return {key: row[key] for key in ("code", "indicator_code", "label", "polarity", "unit")}


@dataclass(frozen=True)
class Prefill:
    """The KPI rows the form starts with, where they came from, and whether that source is illustrative."""

    rows: tuple[KpiRow, ...]
    source: str
    illustrative: bool


def rows_from_scheme(kpis: Sequence[SchemeKpi]) -> tuple[KpiRow, ...]:
    """Rows copied from a scheme's KPIs, each included, with its weight, target, floor and basis."""
    return tuple(
        KpiRow(
            code=kpi.code,
            indicator_code=kpi.indicator_code,
            label=kpi.label,
            polarity=kpi.polarity,
            unit=kpi.unit,
            weight=plain_number(kpi.weight * 100),
            target=plain_number(kpi.target),
            floor="" if kpi.floor is None else plain_number(kpi.floor),
            basis=kpi.basis,
            included=True,
        )
        for kpi in kpis
    )


def rows_from_catalogue(catalogue: pd.DataFrame, codes: Sequence[str]) -> tuple[KpiRow, ...]:
    """Rows for the provider KPIs in the catalogue (``codes``, in order), none included and nothing filled
    in, short codes K1, K2 ...; indicators with no better direction cannot be paid on, so are left out."""
    by_code = catalogue.set_index("code")
    rows: list[KpiRow] = []
    for code in codes:
        if code not in by_code.index or by_code.loc[code, "polarity"] not in POLARITY_WORDS:
            continue
        entry = by_code.loc[code]
        name = entry.get("short_name")
        rows.append(
            KpiRow(
                code=f"K{len(rows) + 1}",
                indicator_code=code,
                label=str(name if isinstance(name, str) and name else entry["name"]),
                polarity=str(entry["polarity"]),
                unit=str(entry.get("unit") or ""),
            )
        )
    return tuple(rows)


# --- Small form parts ---------------------------------------------------------------------------------------


def toggle(
    component_id: dict, state: bool, *, on: tuple[str, str], off: tuple[str, str], choice: bool = False
) -> html.Button:
    """A button that switches between two states: ``on`` and ``off`` are each (the words shown, the rest
    of the button's name for screen readers). Only the current state's words are shown and read out. The
    browser flips the class on each press, and the server reads the state from it (:func:`is_on`). A
    ``choice`` between two values (quarterly or annual) looks the same in both states.

    Plain buttons rather than Dash's checkboxes and radios, which nest their inputs inside list options that
    screen readers do not announce reliably."""
    return html.Button(
        [
            html.Span([on[0], visually_hidden(on[1])], className="app-toggle__on"),
            html.Span([off[0], visually_hidden(off[1])], className="app-toggle__off"),
        ],
        id=component_id,
        n_clicks=0,
        type="button",
        className=" ".join(
            ["app-toggle", *(["app-toggle--choice"] if choice else []), TOGGLE_ON if state else TOGGLE_OFF]
        ),
    )


def is_on(class_name: str | None) -> bool:
    """Whether a :func:`toggle` is on, from its class."""
    return TOGGLE_ON in (class_name or "").split()


def _text_input(component_id: dict, value: str, width: int) -> dcc.Input:
    """A text input for a number (text, so '£9,126,108' can be typed; the decimal keypad on a phone)."""
    return dcc.Input(
        id=component_id,
        type="text",
        # Dash's list of input modes leaves out HTML's "decimal", which it passes on as given.
        inputMode="decimal",  # type: ignore[arg-type]
        value=value,
        className=f"app-input app-input--width-{width}",
    )


def _group(label: str, control: Component, *, id: str, hint: str | Component | None = None) -> html.Div:
    """A labelled form group: the label, an optional hint (which the input refers to) and the input."""
    parts: list[Component] = [
        html.Label(label, htmlFor=dom_id(control.id), className="app-label")  # type: ignore[attr-defined]
    ]
    if hint is not None:
        parts.append(html.Div(hint, className="app-hint", id=f"{id}-hint"))
    parts.append(control)
    return html.Div(parts, className="app-form-group", id=id)


def _reason(kind: str, label: str) -> html.Div:
    """The required reason for a change, kept in the audit log."""
    return _group(
        label,
        dcc.Textarea(
            id=form_id(f"{kind}-reason"),
            value="",
            className="app-textarea",
            rows=3,
        ),
        id=f"payment-{kind}-reason-field",
        hint="Required. It is kept in the audit log with your name and the time.",
    )


# --- Setting up a first scheme ------------------------------------------------------------------------------


def _kpi_row(i: int, row: KpiRow) -> html.Tr:
    """One KPI of the set-up table: include it or not, and its weight, target, floor and basis."""
    name = f"{row.code} {row.label}"
    unit = f" ({row.unit})" if row.unit else ""

    def number(kind: str, value: str, label: str, width: int) -> html.Td:
        return html.Td(
            html.Label(
                [visually_hidden(f"{name}: {label}"), _text_input({"type": kind, "kpi": i}, value, width)],
                id=setup_field_id(kind.removeprefix("payment-setup-"), i),
            ),
            className="app-table__cell",
        )

    return html.Tr(
        [
            html.Td(
                toggle(
                    {"type": SETUP_INCLUDE, "kpi": i},
                    row.included,
                    on=("\u2713 Included", f": {name}; press to leave it out"),
                    off=("\u2013 Not included", f": {name}; press to include it"),
                ),
                className="app-table__cell",
                id=setup_field_id("include", i),
            ),
            html.Th(
                [
                    html.Span(row.code, className="app-payment__code"),
                    " ",
                    row.label,
                    html.Span(
                        f"{POLARITY_WORDS.get(row.polarity, row.polarity)}{unit}",
                        className="app-payment__setup-meta",
                    ),
                ],
                scope="row",
                className="app-table__cell app-table__cell--row-header",
            ),
            number(SETUP_WEIGHT, row.weight, "weight (%)", 4),
            number(SETUP_TARGET, row.target, f"target{unit}", 4),
            number(SETUP_FLOOR, row.floor, f"floor{unit}, blank for none", 4),
            html.Td(
                toggle(
                    {"type": SETUP_BASIS, "kpi": i},
                    row.basis == QUARTERLY,
                    on=("Quarterly", f": the basis of {name}; press to make it annual"),
                    off=("Annual", f": the basis of {name}; press to make it quarterly"),
                    choice=True,
                ),
                className="app-table__cell",
                id=setup_field_id("basis", i),
            ),
        ],
        className="app-table__row",
    )


def _kpi_table(prefill: Prefill) -> html.Div:
    """The set-up form's KPI table, in a region that scrolls sideways on a small screen."""
    headers = ("Include", "KPI", "Weight (%)", "Target", "Floor (blank for none)", "Basis")
    table = html.Table(
        [
            html.Caption(
                "The scheme's KPIs: choose which to include",
                className="app-table__caption app-table__caption--s",
            ),
            html.Thead(html.Tr([html.Th(h, scope="col", className="app-table__header") for h in headers])),
            html.Tbody([_kpi_row(i, row) for i, row in enumerate(prefill.rows)]),
        ],
        className="app-table app-payment__setup-table",
    )
    return html.Div(
        table,
        className="app-table-scroll",
        tabIndex="0",
        role="region",
        id=setup_field_id("kpis"),
        **extra({"aria-label": "The scheme's KPIs (scrolls sideways on a small screen)"}),
    )


def setup_form(
    contract: str, commissioner: str, year: str, prefill: Prefill, *, alternative: bool = False
) -> html.Div:
    """The form that makes version 1 of ``contract``'s scheme for ``year``, saved as a draft; with
    ``alternative`` it follows the uplift form, and its heading says it is the other way."""
    heading = (
        "Or enter the scheme from the agreement" if alternative else "Enter the scheme from the agreement"
    )
    illustrative_choice = toggle(
        form_id("setup-illustrative"),
        prefill.illustrative,
        on=("\u2713 Marked illustrative", ": press to mark the scheme as the agreed one"),
        off=("\u2013 Not marked illustrative", ": press to mark the scheme illustrative"),
    )
    return html.Div(
        [
            html.H3(heading, className="app-heading-m", id="payment-setup"),
            html.P(
                f"Enter {commissioner}'s scheme for {year} as the agreement sets it out. It is saved as "
                "version 1, a draft: the page then shows it, and it is in force only once it is agreed.",
                className="app-body",
            ),
            html.Div(id=form_id("setup-result")),
            dcc.Store(
                id=form_id("setup-context"),
                data={"contract": contract, "year": year, "rows": [row.as_data() for row in prefill.rows]},
            ),
            _group(
                "Budget for the year (£)",
                _text_input(form_id("setup-budget"), "", 10),
                id=setup_field_id("budget"),
                hint=(
                    f"Type the budget written in the agreement or contract for {year}. The figure must "
                    "come from the agreement itself: the dashboard never suggests or fills in a budget."
                ),
            ),
            _group(
                "Share of the budget paid on performance (%)",
                _text_input(form_id("setup-share"), "", 4),
                id=setup_field_id("share"),
                hint="The part of the budget paid only as far as the KPIs' targets are met, such as 3.",
            ),
            html.H4("KPIs", className="app-heading-s"),
            html.P(
                [
                    f"The KPIs below are copied from {prefill.source}. Include those in this agreement's "
                    "Annual Development Plan (press \u201cIncluded\u201d to leave one out) and change their "
                    "weights, targets, floors and basis to the agreed ones. ",
                    html.Strong("The weights of the KPIs included must total 100%."),
                    " A floor is the value at or beyond which nothing is earned; leave it blank if nothing "
                    "is earned short of the target. Quarterly KPIs are assessed each quarter; annual ones "
                    "once, on the year's figure.",
                ],
                className="app-body",
                id="payment-setup-kpis-help",
            ),
            _kpi_table(prefill),
            html.Div(
                [
                    html.P(
                        "Is the scheme illustrative? Mark it so while its KPIs, weights, targets or floors "
                        "are not yet the agreed ones: every figure worked out from it is then labelled "
                        "illustrative.",
                        className="app-body",
                    ),
                    illustrative_choice,
                ],
                className="app-form-group",
                id=setup_field_id("illustrative"),
            ),
            _reason("setup", "Why are you setting up this scheme? (for example, the agreement it is from)"),
            html.Button(
                f"Save as version 1 (draft) for {year}",
                id=form_id("setup-save"),
                n_clicks=0,
                className="app-button",
                type="button",
            ),
        ],
        className="app-payment__change app-payment__setup",
        id="payment-setup-form",
    )


# --- Starting the next year from an uplift ------------------------------------------------------------------


def uplift_form(base: StoredScheme, to_year: str, *, from_this: bool) -> html.Div:
    """The form that drafts ``to_year``'s scheme from ``base`` (an agreed version) with an uplift; its heading
    says "this scheme" on ``base``'s own page (``from_this``), else names the year it starts from."""
    source = "this scheme" if from_this else f"the agreed {base.financial_year} scheme"
    return html.Div(
        [
            html.H3(f"Start {to_year} from {source}", className="app-heading-m", id="payment-uplift"),
            html.P(
                [
                    f"Makes version 1 of the {to_year} scheme, a draft, from the agreed "
                    f"{base.financial_year} scheme (version {base.version}): its budget of "
                    f"{format_pounds(base.budget, pence=True)} raised by the uplift and rounded to the "
                    "nearest penny (half a penny rounds up), with its "
                    f"{percent(base.share)} share and its {len(base.kpis)} KPIs copied. You can change "
                    "the draft before it is agreed.",
                ],
                className="app-body",
            ),
            html.Div(id=form_id("uplift-result")),
            dcc.Store(
                id=form_id("uplift-context"),
                data={"contract": base.contract_code, "from_year": base.financial_year, "to_year": to_year},
            ),
            _group(
                "Uplift (%)",
                _text_input(form_id("uplift-percent"), "", 4),
                id=uplift_field_id("percent"),
                hint="For example 2.5 for a 2.5% rise (NHS pay award, inflation), or 0 to keep the budget.",
            ),
            _reason("uplift", f"Why is {to_year} started with this uplift?"),
            html.Button(
                f"Start {to_year} as a draft",
                id=form_id("uplift-save"),
                n_clicks=0,
                className="app-button",
                type="button",
            ),
        ],
        className="app-payment__change app-payment__uplift",
        id="payment-uplift-form",
    )


# --- A draft, said at the top ---------------------------------------------------------------------------


def draft_notice(scheme: StoredScheme, *, can_agree: bool) -> html.Div:
    """The banner at the top of a draft version: not yet agreed, what agreeing does, and where to do it."""
    body: list[str | Component] = [
        f"Version {scheme.version} of the {scheme.financial_year} scheme is a draft. The money on this "
        "page is worked out as if it were in force, but it is not the agreed scheme: nothing is paid on "
        "it until it is agreed.",
        "Agreeing it makes it the scheme in force for the year, and it is never edited again: any later "
        "change makes a new version.",
    ]
    if can_agree:
        body.append(
            html.P(
                html.A(f"Agree version {scheme.version}", href="#payment-agree-form"),
                className="app-body",
            )
        )
    else:
        body.append("An administrator agrees it once the commissioner and the provider have.")
    return notification_banner(
        "\u25c7 Draft",
        "\u25c7 Draft: not yet agreed",
        *body,
        id="payment-draft-notice",
        kind="draft",
    )
