"""Indicators not in a framework: what was loaded from exports that the catalogue lacked, and, for an
administrator, the form that maps one into framework outcomes with its polarity and a target.

Anyone signed in sees the list; the form is shown only to an administrator, as a courtesy: the store itself
refuses anyone else (:func:`data.catalogue_edits.edit` checks the permission), and the refusal is shown in
the error summary. Each save adds a version (who, when, why); the history under the form lists them all. The
indicator being edited is in the URL (``?code=``), so a link from the scorecard opens the form on it.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import auth, catalogue_callbacks, data_access, routes
from dashboard.catalogue_callbacks import part
from dashboard.components.attributes import extra
from dashboard.components.govuk import select
from dashboard.components.notices import data_unavailable
from dashboard.components.payment.forms import dom_id
from data import access, catalogue_edits

TITLE = routes.TITLES[routes.CATALOGUE]
FORM = "catalogue-form"
HISTORY = catalogue_callbacks.HISTORY

dash.register_page(
    __name__,
    path=routes.CATALOGUE,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="Indicators loaded from exports that no framework outcome serves yet, and mapping them.",
    order=11,
)
catalogue_callbacks.register()


def _field(label: str, field_id: dict, component, hint: str = "") -> html.Div:
    dom = dom_id(field_id)
    return html.Div(
        [
            html.Label(label, htmlFor=dom, className="app-label"),
            *([html.Div(hint, className="app-hint")] if hint else []),
            component,
        ],
        className="app-form-group",
    )


def _fieldset(legend: str, children: list, hint: str = "") -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(legend, className="app-fieldset__legend"),
            *([html.P(hint, className="app-hint")] if hint else []),
            *children,
        ],
        className="app-fieldset app-form-group",
    )


def _choices(id: dict, options: list[dict], value: list[str]) -> html.Div:
    """Tick boxes, drawn plainly (see ``assets/choices.js``)."""
    return html.Div(
        dcc.Checklist(
            options=options,
            value=value,
            id=id,
            className="app-checkboxes",
            inputClassName="app-checkboxes__input",
            labelClassName="app-checkboxes__item",
        ),
        className="app-plain-checkboxes",
    )


def _node_fields(chosen: tuple[str, ...]) -> list:
    """A heading and tick boxes per framework, one box per domain or outcome."""
    fields: list = []
    for framework in data_access.frameworks().itertuples(index=False):
        code = str(framework.code)
        options = [
            {"label": f"{node.code} {node.title}", "value": f"{code}:{node.code}"}
            for node in data_access.framework_nodes(code).itertuples(index=False)
        ]
        fields += [
            html.H3(str(framework.short_title), className="app-heading-s"),
            _choices(part("nodes", code), options, [n for n in chosen if n.startswith(f"{code}:")]),
        ]
    return fields


def _form(code: str, codes: list[tuple[str, str]]) -> html.Section:
    entry = data_access.catalogue_entry(code)
    polarity_options = [
        {"label": words, "value": value} for value, words in catalogue_edits.POLARITY_WORDS.items()
    ]
    return html.Section(
        [
            html.H2(
                "Map an indicator into a framework", className="app-heading-l", id="catalogue-form-heading"
            ),
            html.Div(id=catalogue_callbacks.ERRORS),
            html.Div(id=catalogue_callbacks.RESULT, role="status"),
            dcc.Store(id=part("code"), data=code),
            html.Form(
                [
                    select("catalogue-choice", "code", "Indicator", codes, code),
                    html.Button("Open", type="submit", className="app-button app-button--secondary"),
                ],
                method="get",
                action=routes.href(routes.CATALOGUE),
                className="app-catalogue-form__choice",
            ),
            _fieldset(
                "Framework outcomes and high-impact areas it serves",
                _node_fields(entry.nodes),
                "Tick one or more; tick none to keep it out of every framework.",
            ),
            _fieldset(
                "Which direction is better",
                [
                    html.Div(
                        dcc.RadioItems(
                            id=part("polarity"),
                            options=polarity_options,
                            value=entry.polarity,
                            className="app-radios",
                            inputClassName="app-radios__input",
                            labelClassName="app-radios__label",
                        ),
                        className="app-plain-checkboxes",
                    )
                ],
            ),
            _fieldset(
                "What a year such as 2022/23 means",
                [
                    html.Div(
                        dcc.RadioItems(
                            id=part("year-type"),
                            options=[
                                {"label": words, "value": value}
                                for value, words in catalogue_edits.YEAR_TYPE_WORDS.items()
                            ],
                            value=entry.year_type,
                            className="app-radios",
                            inputClassName="app-radios__input",
                            labelClassName="app-radios__label",
                        ),
                        className="app-plain-checkboxes",
                    )
                ],
                "School-year measures (NCMP, pupils, school readiness) use academic years. Changing it moves "
                "the indicator's stored figures to the dates it gives them.",
            ),
            _field(
                "Short name",
                part("short-name"),
                dcc.Input(
                    id=part("short-name"),
                    type="text",
                    value=entry.short_name,
                    maxLength=40,
                    className="app-input",
                ),
                "At most 40 characters, for tables.",
            ),
            _field(
                "Target for every area (optional)",
                part("target"),
                dcc.Input(id=part("target"), type="text", value="", className="app-input app-input--short"),
                "In the indicator's unit, for example 120 or 95.5. Leave blank for no target.",
            ),
            _field(
                "Why (kept with the change)",
                part("reason"),
                dcc.Textarea(id=part("reason"), value="", className="app-textarea"),
                "For example: agreed at the March contract meeting.",
            ),
            html.Button("Save", id=part("save"), n_clicks=0, className="app-button", type="button"),
            html.H3("History", className="app-heading-m"),
            html.Div(catalogue_callbacks.history(code), id=HISTORY),
        ],
        id=FORM,
        className="app-catalogue-form",
        **extra({"aria-labelledby": "catalogue-form-heading"}),
    )


def layout(**query: str) -> html.Div:
    user = auth.current_user()
    children: list = [html.H1(TITLE, className="app-heading-xl", id="catalogue-heading")]
    try:
        unmapped = data_access.not_in_a_framework()
        catalogue = data_access.catalogue()
    except data_access.DataUnavailable:
        return html.Div([*children, data_unavailable("list the indicators")], className="app-page")
    children.append(
        html.P(
            "Indicators loaded from a file that the catalogue did not have. They are described only by what "
            "the file said (name, unit, and whether higher is better where its comparisons with England "
            "show it) and appear under \u201cNot in a framework\u201d on the scorecard until an "
            "administrator maps them to an outcome.",
            className="app-body-l",
        )
    )
    children.append(html.Div(catalogue_callbacks.unmapped(unmapped), id=catalogue_callbacks.UNMAPPED))
    wanted = query.get("code") or (unmapped["code"].iloc[0] if not unmapped.empty else None)
    codes = [(str(c), str(n)) for c, n in zip(catalogue["code"], catalogue["name"], strict=True)]
    if wanted not in {c for c, _ in codes}:
        wanted = codes[0][0] if codes else None
    if access.can(user, access.MANAGE_CATALOGUE) and wanted is not None:
        children.append(_form(wanted, codes))
        return html.Div(children, className="app-page app-page--catalogue")
    if not access.can(user, access.MANAGE_CATALOGUE):
        children.append(
            html.P(
                "Only an administrator can map an indicator into a framework or change its entry.",
                className="app-body",
                id="catalogue-not-allowed",
            )
        )
    # The empty regions keep the page's callback whole, whoever's page Dash checks its callbacks against.
    children += [html.Div(id=i) for i in (catalogue_callbacks.ERRORS, catalogue_callbacks.RESULT, HISTORY)]
    return html.Div(children, className="app-page app-page--catalogue")
