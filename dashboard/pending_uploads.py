"""Where an uploaded file waits between its arrival, its preview and the officer's confirm or cancel.

The upload route (:mod:`dashboard.upload_route`) streams the file straight to disk as it arrives
(:class:`Incoming`: counted against the page's limit and hashed chunk by chunk, so a large file never sits in
memory whole), in ``KPI_UPLOAD_DIR`` if set (a folder every worker can reach when several run), else
``<instance folder>/uploads``, under a random token; the browser holds only the token. Each file is kept with
the name, the SHA-256 computed as it arrived and the user who uploaded it, so only that person can preview
and load it, and the confirm loads exactly the file that was previewed. Files left waiting longer than
:data:`KEEP_FOR` (an abandoned preview, or an upload cut off) are deleted when the next one arrives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

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
    content: bytes  # empty as :meth:`Incoming.keep` returns it; read from disk by :func:`find`


def folder() -> Path:
    """The waiting folder (``KPI_UPLOAD_DIR``, else the serving app's instance folder), made when needed."""
    path = Path(os.environ.get(FOLDER_VARIABLE) or Path(current_app.instance_path) / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


class TooBig(Exception):
    """The arriving file went past its limit; nothing of it is kept."""


class Incoming:
    """A file arriving: written to the waiting folder chunk by chunk, counted and hashed as it comes.

    Writing past ``limit`` bytes raises :class:`TooBig` at once, so a file over the limit is refused while
    it streams in rather than after. :meth:`keep` makes it a waiting file; :meth:`abandon` removes it.
    """

    def __init__(self, file_name: str, uploaded_by: str, limit: int) -> None:
        _remove_stale()
        self.token = secrets.token_urlsafe(24)
        self.file_name, self.uploaded_by, self.limit = file_name, uploaded_by, limit
        self.size = 0
        self._path = folder() / f"{self.token}.part"
        self._file = self._path.open("wb")
        self._hash = hashlib.sha256()

    def write(self, chunk: bytes) -> int:
        """Add the next piece of the file; :class:`TooBig` once the file is over its limit."""
        self.size += len(chunk)
        if self.size > self.limit:
            raise TooBig(self.file_name)
        self._hash.update(chunk)
        return self._file.write(chunk)

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move in the file written so far (the form parser rewinds it when the file has arrived)."""
        return self._file.seek(offset, whence)

    def keep(self) -> Pending:
        """The whole file has arrived: keep it under its token until it is loaded or cancelled."""
        self._file.close()
        self._path.replace(folder() / f"{self.token}.bin")
        meta = {
            "file_name": self.file_name,
            "sha256": self._hash.hexdigest(),
            "uploaded_by": self.uploaded_by,
        }
        (folder() / f"{self.token}.json").write_text(json.dumps(meta), encoding="utf-8")
        return Pending(self.token, self.file_name, meta["sha256"], self.uploaded_by, b"")

    def abandon(self) -> None:
        """Remove what arrived of a file that is refused or was cut off."""
        self._file.close()
        self._path.unlink(missing_ok=True)


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
        if path.suffix in (".bin", ".json", ".part") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
