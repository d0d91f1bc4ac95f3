"""Where an uploaded file waits between its preview and the officer's confirm or cancel.

The bytes stay on the server, in ``KPI_UPLOAD_DIR`` if set (a folder every worker can reach when several
run), else ``<instance folder>/uploads``, under a random token; the browser holds only
the token. Each file is kept with the name, the SHA-256 computed when it arrived and the user who uploaded
it, so the confirm loads exactly the file that was previewed, for the same person. Files left waiting longer
than :data:`KEEP_FOR` (an abandoned preview) are deleted when the next one arrives.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from data.importers.readers import sha256_of

KEEP_FOR = dt.timedelta(hours=2)
FOLDER_VARIABLE = "KPI_UPLOAD_DIR"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class Pending:
    """A file waiting for confirmation."""

    token: str
    file_name: str
    sha256: str
    uploaded_by: str
    content: bytes


def folder() -> Path:
    """The waiting folder (``KPI_UPLOAD_DIR``, else the serving app's instance folder), made when needed."""
    path = Path(os.environ.get(FOLDER_VARIABLE) or Path(current_app.instance_path) / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(content: bytes, file_name: str, uploaded_by: str) -> Pending:
    """Put a file aside under a new token, and clear out abandoned ones."""
    _remove_stale()
    token = secrets.token_urlsafe(24)
    pending = Pending(token, file_name, sha256_of(content), uploaded_by, content)
    (folder() / f"{token}.bin").write_bytes(content)
    meta = {"file_name": file_name, "sha256": pending.sha256, "uploaded_by": uploaded_by}
    (folder() / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return pending


def find(token: str) -> Pending | None:
    """The file waiting under ``token``, or None if there is none (cancelled, loaded, or expired)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    data, meta = folder() / f"{token}.bin", folder() / f"{token}.json"
    if not (data.exists() and meta.exists()):
        return None
    about = json.loads(meta.read_text(encoding="utf-8"))
    return Pending(token, about["file_name"], about["sha256"], about["uploaded_by"], data.read_bytes())


def discard(token: str) -> None:
    """Delete the file waiting under ``token``, if any."""
    if isinstance(token, str) and _TOKEN.fullmatch(token):
        for suffix in (".bin", ".json"):
            (folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _remove_stale() -> None:
    cutoff = (dt.datetime.now() - KEEP_FOR).timestamp()
    for path in folder().iterdir():
        if path.suffix in (".bin", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
