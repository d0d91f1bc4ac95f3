"""The upload page's callbacks: a file arrives and is previewed; Confirm loads it; Cancel discards it.

One callback serves all three, so the page's parts (error summary, preview, outcome, the waiting file's
token and the Confirm/Cancel buttons) are always set together. Each step asks :func:`dashboard.auth.
current_user` who is acting and passes the user to the store, which checks the permission itself; a refusal
is shown in the error summary and nothing is written. The browser holds only the waiting file's token:
the bytes stay on the server (:mod:`dashboard.pending_uploads`).
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from pathlib import PurePath

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


def _decoded(contents: str, file_name: str) -> bytes:
    """The uploaded bytes from the browser's data URL; ValueError with the words to show."""
    suffix = PurePath(file_name or "").suffix.lower()
    if suffix == ".xls":
        raise ValueError(
            f"{file_name} is an Excel 97-2003 workbook (.xls), which the dashboard cannot read. Open it in "
            "Excel and save it as an Excel Workbook (.xlsx) or CSV, then upload that."
        )
    if suffix not in ALLOWED_TYPES:
        raise ValueError(
            f"{file_name or 'The file'} is not a file the dashboard reads. Upload the provider return "
            "template or a Fingertips or tidy extract saved as .csv, .tsv, .txt (Excel's \u201cUnicode "
            "text\u201d) or .xlsx, or a DfE .parquet file."
        )
    try:
        content = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error) as error:
        raise ValueError(f"{file_name} could not be read from the upload. Try uploading it again.") from error
    if len(content) > max_bytes():
        raise ValueError(too_big(file_name))
    return content


def preview_upload(contents: str | None, file_name: str | None) -> Outputs:
    """Put the uploaded file aside and show what loading it would do."""
    if not contents or not file_name:
        return _problem("Choose a file to upload.")
    user = auth.current_user()
    try:
        content = _decoded(contents, file_name)
        shown = data_access.preview_upload(user, content, file_name)
    except (ValueError, PermissionDenied) as refused:  # FileProblem is a ValueError
        return _problem(str(refused))
    except data_access.DataUnavailable:
        return _problem("The dashboard could not read its data store, so the file could not be checked.")
    pending = pending_uploads.keep(content, file_name, user.name)
    return [], [preview_section(shown)], [], pending.token, False


def confirm_upload(token: str | None) -> Outputs:
    """Load the waiting file, if it is exactly what was previewed and by the same person."""
    user = auth.current_user()
    pending = pending_uploads.find(token or "")
    if pending is None:
        return _problem("There is no file waiting to be loaded: it was loaded or cancelled. Upload it again.")
    if pending.uploaded_by != user.name:
        return _problem(f"This file was previewed by {pending.uploaded_by}; only they can load it.")
    try:
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


def _on_action(contents, _confirm, _cancel, file_names, token) -> Outputs:
    trigger = dash.ctx.triggered_id or {}
    if trigger.get("type") == "upload-confirm":
        return confirm_upload(token)
    if trigger.get("type") == "upload-cancel":
        return cancel_upload(token)
    return preview_upload((contents or [None])[0], (file_names or [None])[0])


def register() -> None:
    """Register the page's callback with Dash, for the app whose pages are being imported."""
    dash.callback(
        Output("upload-errors", "children"),
        Output("upload-preview", "children"),
        Output("upload-outcome", "children"),
        Output("upload-token", "data"),
        Output("upload-actions", "hidden"),
        Input(upload_id("file", ALL), "contents"),
        Input(upload_id("confirm", ALL), "n_clicks"),
        Input(upload_id("cancel", ALL), "n_clicks"),
        State(upload_id("file", ALL), "filename"),
        State("upload-token", "data"),
        prevent_initial_call=True,
    )(_on_action)
