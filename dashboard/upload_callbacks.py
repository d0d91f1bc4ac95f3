"""The upload page's callbacks: a file that has arrived is previewed; Confirm loads it; Cancel discards it.

The file itself is sent to the upload route (:mod:`dashboard.upload_route`), which streams it to disk and
answers with a token; the page's script puts ``{token, file_name}`` in the page's ``upload-received`` store,
which starts the preview. One callback serves all three steps, so the page's parts (error summary, preview,
outcome, the waiting file's token and the Confirm/Cancel buttons) are always set together. Each step asks
:func:`dashboard.auth.current_user` who is acting: only the person who sent a file may preview or load it,
and the store checks the permission itself; a refusal is shown in the error summary and nothing is written.
The browser holds only the waiting file's token: the bytes stay on the server
(:mod:`dashboard.pending_uploads`).
"""

from __future__ import annotations

import logging
import os

import dash
from dash import ALL, Input, Output, State, html

from dashboard import auth, data_access, pending_uploads, routes
from dashboard.components.notices import notification_banner
from dashboard.components.payment.forms import error_summary
from dashboard.components.upload.preview import preview_section
from data.access import PermissionDenied

MAX_MB_VARIABLE = "KPI_UPLOAD_MAX_MB"
DEFAULT_MAX_MB = 100
ALLOWED_TYPES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")
"""What ``kpi import`` reads: delimited text (Excel's "CSV" and "Unicode text" among them), workbooks, and
DfE's Parquet files. Excel 97-2003 workbooks (.xls) are not among them: no library the product uses reads
them, so they are refused with a sentence saying how to re-save them."""
FILE_FIELD = "upload-file-field"
LOG = logging.getLogger(__name__)


def max_megabytes() -> int:
    """The largest file the page takes, in megabytes: ``KPI_UPLOAD_MAX_MB`` (default 100); a value that is
    not a whole number of 1 or more is logged and the default used."""
    text = os.environ.get(MAX_MB_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_MB
    if text.isdigit() and int(text) >= 1:
        return int(text)
    LOG.warning("%s=%r is not a whole number of megabytes; using %d", MAX_MB_VARIABLE, text, DEFAULT_MAX_MB)
    return DEFAULT_MAX_MB


def max_bytes() -> int:
    """:func:`max_megabytes` in bytes."""
    return max_megabytes() * 1024 * 1024


def too_big(file_name: str) -> str:
    """The sentence for a file over the limit (the page's script shows the same before sending it)."""
    return (
        f"{file_name} is larger than {max_megabytes():,} MB, the most this page takes. Load it with "
        "'kpi import' on the server, or split it into smaller files and upload each one."
    )


# What the callback sets: (errors, preview, outcome, token, actions hidden).
Outputs = tuple[list, list, list, str | None, bool]


def _problem(message: str) -> Outputs:
    """Nothing previewed or loaded: the error summary says why, linked to the file field."""
    return [error_summary([(FILE_FIELD, message)], id="upload-error-summary")], [], [], None, True


def _waiting(token: object, who: str) -> pending_uploads.Pending:
    """The file waiting under ``token`` for ``who``; ValueError with the words to show."""
    pending = pending_uploads.find(token if isinstance(token, str) else "")
    if pending is None:
        raise ValueError(
            "There is no file waiting to be loaded: it was loaded or cancelled. Upload it again."
        )
    if pending.uploaded_by != who:
        raise ValueError(f"This file was uploaded by {pending.uploaded_by}; only they can check and load it.")
    return pending


def preview_upload(received: object) -> Outputs:
    """Show what loading the file that has just arrived (``{token, file_name}``) would do; a file the store
    cannot read or the user may not load is discarded."""
    token = received.get("token") if isinstance(received, dict) else None
    if not token:
        return _problem("Choose a file to upload.")
    user = auth.current_user()
    try:
        pending = _waiting(token, user.name)
    except ValueError as refused:
        return _problem(str(refused))
    try:
        shown = data_access.preview_upload(user, pending.content, pending.file_name)
    except (ValueError, PermissionDenied) as refused:  # FileProblem is a ValueError
        pending_uploads.discard(pending.token)
        return _problem(str(refused))
    except data_access.DataUnavailable:
        return _problem("The dashboard could not read its data store, so the file could not be checked.")
    return [], [preview_section(shown)], [], pending.token, False


def confirm_upload(token: str | None) -> Outputs:
    """Load the waiting file, if it is exactly what was previewed and by the same person."""
    user = auth.current_user()
    try:
        pending = _waiting(token, user.name)
        result = data_access.load_upload(user, pending.content, pending.file_name, pending.sha256)
    except (ValueError, PermissionDenied) as refused:
        return _problem(str(refused))
    except data_access.DataUnavailable:
        return _problem("The dashboard could not write to its data store. Nothing was loaded.")
    pending_uploads.discard(pending.token)
    return [], [], [_loaded(result, user.name)], None, True


def _loaded(result: data_access.ImportResult, who: str) -> html.Div:
    return notification_banner(
        "Loaded",
        f"{result.file_name} is loaded: {result.rows_new:,} new, {result.rows_updated:,} changed, "
        f"{result.rows_unchanged:,} unchanged, {result.rows_rejected:,} rejected"
        + (f", {result.rows_flagged:,} with a data quality flag." if result.rows_flagged else "."),
        html.P(
            [
                f"Loaded by {who}. Every page now shows the new figures. ",
                html.A("See the import history", href=routes.href(routes.IMPORTS)),
                ", where an administrator can roll this import back.",
            ],
            className="app-body",
        ),
        id="upload-loaded",
    )


def cancel_upload(token: str | None) -> Outputs:
    """Discard the waiting file; nothing is written."""
    pending_uploads.discard(token or "")
    banner = notification_banner(
        "Cancelled", "Nothing was loaded.", "The file has been discarded.", id="upload-cancelled"
    )
    return [], [], [banner], None, True


def upload_id(kind: str, form: object = "upload") -> dict:
    """A pattern-matching id for a part of the upload form, so that its callback is wholly absent from the
    page for someone who cannot load data (the form is not shown to them)."""
    return {"type": f"upload-{kind}", "form": form}


def _on_action(received, _confirm, _cancel, token) -> Outputs:
    trigger = dash.ctx.triggered_id or {}
    if trigger.get("type") == "upload-confirm":
        return confirm_upload(token)
    if trigger.get("type") == "upload-cancel":
        return cancel_upload(token)
    return preview_upload((received or [None])[0])


def register() -> None:
    """Register the page's callback with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output("upload-errors", "children"),
        Output("upload-preview", "children"),
        Output("upload-outcome", "children"),
        Output("upload-token", "data"),
        Output("upload-actions", "hidden"),
        Input(upload_id("received", ALL), "data"),
        Input(upload_id("confirm", ALL), "n_clicks"),
        Input(upload_id("cancel", ALL), "n_clicks"),
        State("upload-token", "data"),
        prevent_initial_call=True,
    )(_on_action)
