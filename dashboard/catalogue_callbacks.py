"""The indicators page's callback: an administrator saves an indicator's mapping into a framework (the
indicator is the one in the URL, held in the page's ``catalogue-code`` store).

The user comes only from :func:`dashboard.auth.current_user`, and the store checks the permission before it
writes (:func:`data.catalogue_edits.edit`), so anyone else's crafted request is refused in the error summary
with nothing written.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import ALL, Input, Output, State, html

from dashboard import auth, data_access, formatting, routes
from dashboard.components.govuk import table
from dashboard.components.payment.forms import error_summary
from data import access, catalogue_edits

ERRORS = "catalogue-errors"
RESULT = "catalogue-result"
HISTORY = "catalogue-history"
UNMAPPED = "catalogue-unmapped"


def part(kind: str, form: object = "catalogue") -> dict:
    """A pattern-matching id for a part of the form, so that its callback is wholly absent from a page
    without the form (every page but this one, and this one for anyone but an administrator)."""
    return {"type": f"catalogue-{kind}", "form": form}


def unmapped(found: pd.DataFrame) -> html.Table | html.P:
    """The indicators not in a framework as a table, or a sentence saying there are none."""
    if found.empty:
        return html.P("Every indicator is in a framework.", className="app-body")
    rows = [
        (
            html.A(str(row.name), href=routes.indicator_href(str(row.code))),
            "" if pd.isna(row.fingertips_id) else str(int(str(row.fingertips_id))),
            str(row.unit),
            catalogue_edits.POLARITY_WORDS.get(str(row.polarity), str(row.polarity)),
            catalogue_edits.YEAR_TYPE_WORDS.get(str(row.year_type), str(row.year_type)),
            str(row.source),
        )
        for row in found.itertuples(index=False)
    ]
    return table(
        "Indicators not in a framework",
        ("Indicator", "Fingertips ID", "Unit", "Polarity", "Years", "Where it came from"),
        rows,
        numeric=("Fingertips ID",),
        caption_size="m",
    )


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
            catalogue_edits.YEAR_TYPE_WORDS.get(v.entry.year_type, "Not recorded"),
            v.reason,
        )
        for v in versions
    ]
    return table(
        "Every version of this indicator's entry",
        ("Version", "When", "Who", "Framework outcomes", "Polarity", "Years", "Why"),
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
    code: object,
    nodes: object,
    polarity: object,
    short_name: object,
    target: object,
    reason: object,
    year_type: object = None,
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
            year_type=_text(year_type) or None,
        )
    except (ValueError, LookupError, access.PermissionDenied, data_access.DataUnavailable) as problem:
        return error_summary([("", str(problem))], id=ERRORS), None, dash.no_update, dash.no_update
    where = ", ".join(version.entry.nodes) or "no framework"
    words = f"Saved as version {version.version}: {code} now serves {where}."
    if version.figures_redated:
        moved = version.figures_redated
        words += (
            f" {moved:,} stored figure{'' if moved == 1 else 's'} moved to their dates as "
            f"{version.entry.year_type} years."
        )
    saved = html.P(words, className="app-body app-catalogue-form__saved")
    return None, saved, history(_text(code)), unmapped(data_access.not_in_a_framework())


def register() -> None:
    """Register the page's callbacks with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output(ERRORS, "children"),
        Output(RESULT, "children"),
        Output(HISTORY, "children"),
        Output(UNMAPPED, "children"),
        Input(part("save", ALL), "n_clicks"),
        State(part("code", ALL), "data"),
        State(part("nodes", ALL), "value"),
        State(part("polarity", ALL), "value"),
        State(part("short-name", ALL), "value"),
        State(part("target", ALL), "value"),
        State(part("reason", ALL), "value"),
        State(part("year-type", ALL), "value"),
        prevent_initial_call=True,
    )(_save)


def _first(values: object) -> object:
    """The one value a pattern-matching state holds on the page (None when the form is absent)."""
    return values[0] if isinstance(values, list) and values else None


def _save(clicks, code, nodes, polarity, short_name, target, reason, year_type):
    if not any(isinstance(c, int) and c > 0 for c in (clicks if isinstance(clicks, list) else [])):
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update
    ticked = [
        n for group in (nodes if isinstance(nodes, list) else []) if isinstance(group, list) for n in group
    ]
    return save(
        _first(code),
        ticked,
        _first(polarity),
        _first(short_name),
        _first(target),
        _first(reason),
        _first(year_type),
    )
