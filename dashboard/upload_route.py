"""The route the upload page sends a file to: ``POST /_upload``, ``multipart/form-data`` with the file in the
field ``file``, streamed to disk as it arrives.

A Dash callback would carry the whole file inside a JSON request as base64 (a third larger, and held in
memory whole several times over); this route writes it to the waiting folder chunk by chunk
(:class:`dashboard.pending_uploads.Incoming`), checking the page's limit (``KPI_UPLOAD_MAX_MB``) as it goes,
and answers with the waiting file's token. The page's script (``assets/upload.js``) sends the file, says
how much has been sent, then hands the token to the page's preview callback; the token is bound to the user
who sent the file, so only they can preview and load it.

Refusals, each a plain sentence: not signed in, 401 (the sign-in rule in :mod:`dashboard.sessions`, as for
every address starting ``/_``); no security token, 400 (:mod:`dashboard.csrf`, read from the
``X-CSRFToken`` header the script sends); not allowed to load data, 403; over the limit, 413 (before reading
anything when the request says its size, else as soon as the file passes the limit); not a file the
dashboard reads, 415; no file or an unreadable form, 400.
"""

from __future__ import annotations

from pathlib import PurePath

import flask
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

from dashboard import auth, pending_uploads, upload_callbacks
from data import access

UPLOAD = "/_upload"
FIELD = "file"
FORM_OVERHEAD = 64 * 1024
"""Bytes a multipart request adds to its file (headings, boundaries and the short fields), allowed for when
the request's own size is checked before reading it."""
MAX_FORM_MEMORY = 500 * 1024
"""The most of the form's text (not its file) held in memory at once, Flask's own default: the form parser
also holds each chunk it reads (64 KB) against this."""


class Refused(Exception):
    """The file is refused: the HTTP status and the sentence that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _plain(message: str, status: int) -> flask.Response:
    return flask.Response(message, status=status, mimetype="text/plain")


def type_refusal(file_name: str) -> str | None:
    """Why a file of this name is not one the dashboard reads (None when it is)."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".xls":
        return (
            f"{file_name} is an Excel 97-2003 workbook (.xls), which the dashboard cannot read. Open it in "
            "Excel and save it as an Excel Workbook (.xlsx) or CSV, then upload that."
        )
    if suffix not in upload_callbacks.ALLOWED_TYPES:
        return (
            f"{file_name or 'The file'} is not a file the dashboard reads. Upload the provider return "
            "template or a Fingertips or tidy extract saved as .csv, .tsv, .txt (Excel's \u201cUnicode "
            "text\u201d) or .xlsx, or a DfE .parquet file."
        )
    return None


def receive() -> flask.Response:
    """Take one uploaded file for the signed-in user; answer with its token (JSON) or a refusal in words."""
    user = auth.current_user()
    if not access.can(user, access.IMPORT_DATA):
        return _plain("Only an officer or an administrator can load data.", 403)
    limit = upload_callbacks.max_bytes()
    size = flask.request.content_length
    if size is not None and size > limit + FORM_OVERHEAD:
        return _plain(upload_callbacks.too_big("The file"), 413)
    try:
        kept = _take(user.name, limit)
    except pending_uploads.TooBig as too_big:
        return _plain(upload_callbacks.too_big(str(too_big)), 413)
    except Refused as refused:
        return _plain(str(refused), refused.status)
    except RequestEntityTooLarge:  # many parts, or a long text field: not what the page sends
        return _plain("The upload carried more than one file; upload the file on its own.", 413)
    except ValueError:
        return _plain("The file could not be read from the upload. Try uploading it again.", 400)
    return flask.jsonify(token=kept.token, file_name=kept.file_name)


def _take(who: str, limit: int) -> pending_uploads.Pending:
    """Read the request's form, writing its file to disk as it arrives; the file kept for ``who``. Whatever
    stops it (a refusal, the limit, a broken form or connection) leaves nothing of the file behind."""
    arriving: list[pending_uploads.Incoming] = []

    def to_disk(
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None,
        content_length: int | None = None,
    ) -> pending_uploads.Incoming:
        name = PurePath((filename or "").replace("\\", "/")).name
        refusal = type_refusal(name)
        if refusal is not None:
            raise Refused(415, refusal)
        if arriving:
            raise Refused(400, "Upload one file at a time.")
        arriving.append(pending_uploads.Incoming(name, who, limit))
        return arriving[-1]

    parser = FormDataParser(
        stream_factory=to_disk,  # type: ignore[arg-type]  # an Incoming is written to and rewound only
        max_form_memory_size=MAX_FORM_MEMORY,
        max_form_parts=10,
        silent=False,
    )
    request = flask.request
    try:
        _, _, files = parser.parse(
            request.stream, request.mimetype, request.content_length, request.mimetype_params
        )
        if FIELD not in files or not arriving:
            raise Refused(400, "Choose a file to upload.")
        return arriving[0].keep()
    except BaseException:
        for incoming in arriving:
            incoming.abandon()
        raise


def register_routes(server: flask.Flask) -> None:
    """Add the upload route to ``server``."""
    server.add_url_rule(UPLOAD, "upload_file", receive, methods=["POST"])
