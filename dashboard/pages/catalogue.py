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
from dashboard.components.attributes import extra
from dashboard.components.govuk import select, table
from dashboard.components.notices import data_unavailable
from data import access, catalogue_edits

TITLE = routes.TITLES[routes.CATALOGUE]
FORM = "catalogue-form"

dash.register_page(
    __name__,
    path=routes.CATALOGUE,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="Indicators loaded from exports that no framework outcome serves yet, and mapping them.",
    order=11,
)
catalogue_callbacks.register()


def _unmapped_table(unmapped) -> html.Table:
    rows = [
        (
            html.A(row.name, href=routes.indicator_href(row.code)),
            "" if row.fingertips_id is None else str(int(row.fingertips_id)),
            row.unit,
            catalogue_edits.POLARITY_WORDS.get(row.polarity, row.polarity),
            row.source,
        )
        for row in unmapped.itertuples(index=False)
    ]
    return table(
        "Indicators not in a framework",
        ("Indicator", "Fingertips ID", "Unit", "Polarity", "Where it came from"),
        rows,
        numeric=("Fingertips ID",),
        caption_size="m",
    )


def _node_options() -> list[dict]:
    options = []
    for framework in data_access.frameworks().itertuples(index=False):
        for node in data_access.framework_nodes(str(framework.code)).itertuples(index=False):
            options.append(
                {
                    "label": f"{framework.short_title}: {node.code} {node.title}",
                    "value": f"{framework.code}:{node.code}",
                }
            )
    return options


def _field(label: str, field_id: str, component, hint: str = "") -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=field_id, className="app-label"),
            *([html.Div(hint, className="app-hint", id=f"{field_id}-hint")] if hint else []),
            component,
        ],
        className="app-form-group",
    )


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
            dcc.Store(id="catalogue-code", data=code),
            html.Form(
                [
                    select("catalogue-choice", "code", "Indicator", codes, code),
                    html.Button("Open", type="submit", className="app-button app-button--secondary"),
                ],
                method="get",
                action=routes.href(routes.CATALOGUE),
                className="app-catalogue-form__choice",
            ),
            _field(
                "Framework outcomes and high-impact areas it serves",
                "catalogue-nodes",
                dcc.Dropdown(
                    id="catalogue-nodes", options=_node_options(), value=list(entry.nodes), multi=True
                ),
                "Choose one or more; leave empty to keep it out of every framework.",
            ),
            _field(
                "Which direction is better",
                "catalogue-polarity",
                dcc.RadioItems(
                    id="catalogue-polarity",
                    options=polarity_options,
                    value=entry.polarity,
                    className="app-radios",
                    inputClassName="app-radios__input",
                    labelClassName="app-radios__label",
                ),
            ),
            _field(
                "Short name",
                "catalogue-short-name",
                dcc.Input(
                    id="catalogue-short-name",
                    type="text",
                    value=entry.short_name,
                    maxLength=40,
                    className="app-input",
                ),
                "At most 40 characters, for tables.",
            ),
            _field(
                "Target for every area (optional)",
                "catalogue-target",
                dcc.Input(
                    id="catalogue-target", type="text", value="", className="app-input app-input--short"
                ),
                "In the indicator's unit, for example 120 or 95.5. Leave blank for no target.",
            ),
            _field(
                "Why (kept with the change)",
                "catalogue-reason",
                dcc.Textarea(id="catalogue-reason", value="", className="app-textarea"),
                "For example: agreed at the March contract meeting.",
            ),
            html.Button("Save", id="catalogue-save", n_clicks=0, className="app-button"),
            html.H3("History", className="app-heading-m"),
            html.Div(catalogue_callbacks.history(code), id="catalogue-history"),
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
    if unmapped.empty:
        children.append(
            html.P("Every indicator is in a framework.", className="app-body", id="catalogue-none")
        )
    else:
        children.append(_unmapped_table(unmapped))
    wanted = query.get("code") or (unmapped["code"].iloc[0] if not unmapped.empty else None)
    codes = [(str(c), str(n)) for c, n in zip(catalogue["code"], catalogue["name"], strict=True)]
    if wanted not in {c for c, _ in codes}:
        wanted = codes[0][0] if codes else None
    if not access.can(user, access.MANAGE_CATALOGUE):
        children.append(
            html.P(
                "Only an administrator can map an indicator into a framework or change its entry.",
                className="app-body",
                id="catalogue-not-allowed",
            )
        )
    elif wanted is not None:
        children.append(_form(wanted, codes))
    return html.Div(children, className="app-page app-page--catalogue")
