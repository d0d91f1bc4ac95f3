"""The indicators page's callback: an administrator saves an indicator's mapping into a framework (the
indicator is the one in the URL, held in the page's ``catalogue-code`` store).

The user comes only from :func:`dashboard.auth.current_user`, and the store checks the permission before it
writes (:func:`data.catalogue_edits.edit`), so anyone else's crafted request is refused in the error summary
with nothing written.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from dashboard import auth, data_access, formatting
from dashboard.components.govuk import table
from dashboard.components.payment.forms import error_summary
from data import access, catalogue_edits

ERRORS = "catalogue-errors"
RESULT = "catalogue-result"


def history(code: str) -> html.Table | html.P:
    """Every version of the indicator's entry as a table (who, when, what, why)."""
    versions = data_access.catalogue_history(code)
    if not versions:
        return html.P("This indicator's entry has not been edited.", className="app-body")
    rows = [
        (
            str(v.version),
            formatting.date(v.edited_at.date()) + f" {v.edited_at:%H:%M}",
            v.edited_by,
            ", ".join(v.entry.nodes) or "None",
            catalogue_edits.POLARITY_WORDS.get(v.entry.polarity, v.entry.polarity),
            v.reason,
        )
        for v in versions
    ]
    return table(
        "Every version of this indicator's entry",
        ("Version", "When", "Who", "Framework outcomes", "Polarity", "Why"),
        rows,
        numeric=("Version",),
        caption_size="s",
    )


def _text(value: object) -> str:
    """A form field's text; anything else a request may carry counts as blank."""
    return value if isinstance(value, str) else ""


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise catalogue_edits.CatalogueEditError(
            f"The target must be a number, like 95.5; '{text}' is not."
        ) from None


def save(
    code: object, nodes: object, polarity: object, short_name: object, target: object, reason: object
) -> tuple:
    """Save the form as the signed-in user: (error summary or None, confirmation or None, history)."""
    chosen = [n for n in nodes if isinstance(n, str)] if isinstance(nodes, list) else []
    try:
        version = data_access.edit_catalogue(
            auth.current_user(),
            _text(code),
            nodes=chosen,
            polarity=_text(polarity),
            short_name=_text(short_name),
            target=_number(_text(target)),
            reason=_text(reason),
        )
    except (ValueError, LookupError, access.PermissionDenied, data_access.DataUnavailable) as problem:
        return error_summary([("", str(problem))], id=ERRORS), None, dash.no_update
    where = ", ".join(version.entry.nodes) or "no framework"
    words = f"Saved as version {version.version}: {code} now serves {where}."
    return None, html.P(words, className="app-body app-catalogue-form__saved"), history(_text(code))


def register() -> None:
    """Register the page's callbacks with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output(ERRORS, "children"),
        Output(RESULT, "children"),
        Output("catalogue-history", "children"),
        Input("catalogue-save", "n_clicks"),
        State("catalogue-code", "data"),
        State("catalogue-nodes", "value"),
        State("catalogue-polarity", "value"),
        State("catalogue-short-name", "value"),
        State("catalogue-target", "value"),
        State("catalogue-reason", "value"),
        prevent_initial_call=True,
    )(_save)


def _save(_clicks, code, nodes, polarity, short_name, target, reason):
    return save(code, nodes, polarity, short_name, target, reason)
