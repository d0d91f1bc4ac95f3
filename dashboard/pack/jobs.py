"""Packs built in the background for the dashboard's button, and the route that hands them over.

A click starts :func:`start`: a thread builds the pack (:func:`dashboard.pack.build.build`) in the app's
context while the page polls :func:`state` for its progress, so the page never freezes. Each job keeps its
state and files in a folder of its own (under ``instance/pack-jobs``, or ``KPI_PACK_JOBS``), so any worker
serving the same machine can report on it. The files are served by ``/pack/<job>/<file>``, which checks on
the server that the person asking is signed in and is the person who asked for the pack.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import flask

from dashboard import auth
from dashboard.sessions import INSTANCE_FOLDER

JOBS_VARIABLE = "KPI_PACK_JOBS"
ROUTE = "/pack/<job>/<name>"
FILES = {"pdf": "committee-pack.pdf", "pptx": "committee-pack.pptx"}
MEDIA = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
KEEP_SECONDS = 24 * 3600
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass(frozen=True)
class JobState:
    """Where a build has got to: its status, the latest progress message, who asked, and the figures."""

    status: str
    message: str
    user: str
    started: float
    pages: int | None = None
    slides: int | None = None
    seconds: float | None = None


def jobs_folder() -> Path:
    return Path(os.environ.get(JOBS_VARIABLE) or INSTANCE_FOLDER / "pack-jobs")


def _folder(job: object) -> Path | None:
    return jobs_folder() / job if isinstance(job, str) and JOB_ID.match(job) else None


def _write(job: str, state: JobState) -> None:
    folder = _folder(job)
    assert folder is not None
    temporary = folder / "state.json.tmp"
    temporary.write_text(json.dumps(asdict(state)), encoding="utf-8")
    temporary.replace(folder / "state.json")  # readers never see half a file


def state(job: object) -> JobState | None:
    """The job's state, or None for an unknown job (or anything that is not a job's id)."""
    folder = _folder(job)
    try:
        return JobState(**json.loads((folder / "state.json").read_text(encoding="utf-8"))) if folder else None
    except (OSError, ValueError, TypeError):
        return None


def _tidy() -> None:
    """Remove the folders of jobs started more than a day ago."""
    root = jobs_folder()
    if not root.exists():
        return
    for folder in root.iterdir():
        if folder.is_dir() and time.time() - folder.stat().st_mtime > KEEP_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)


def running_for(user: str) -> str | None:
    """The job still building a pack for ``user``, if there is one (begun in the last ten minutes)."""
    root = jobs_folder()
    if not root.exists():
        return None
    for folder in root.iterdir():
        found = state(folder.name)
        if found and found.user == user and found.status == RUNNING and time.time() - found.started < 600:
            return folder.name
    return None


def start(request, user: str) -> str:
    """Start building the pack for ``request`` (a :class:`dashboard.pack.build.Request`) for ``user``;
    return the job's id. Someone whose pack is still building gets that job instead of a second one."""
    from dashboard.pack.build import build

    _tidy()
    already = running_for(user)
    if already:
        return already
    job = secrets.token_urlsafe(18)
    folder = jobs_folder() / job
    folder.mkdir(parents=True)
    started = time.time()
    _write(job, JobState(RUNNING, "Starting", user, started))
    app = flask.current_app._get_current_object()  # type: ignore[attr-defined]

    def progress(message: str) -> None:
        _write(job, JobState(RUNNING, message, user, started))

    def run() -> None:
        with app.app_context():
            try:
                built = build(
                    request, pdf=folder / FILES["pdf"], pptx=folder / FILES["pptx"], progress=progress
                )
            except Exception as error:  # reported to the reader; the log has the details
                app.logger.exception("Building the committee pack failed")
                reason = str(error).splitlines()[0] if isinstance(error, ValueError) else ""
                _write(job, JobState(FAILED, reason or "The pack could not be built.", user, started))
                return
        _write(
            job,
            JobState(DONE, "Ready", user, started, built.pages, len(built.slide_titles), built.seconds),
        )

    threading.Thread(target=run, name=f"pack-{job}", daemon=True).start()
    return job


def download(job: str, name: str) -> flask.Response:
    """Serve a finished pack's PDF or slides to the signed-in person who asked for it (404 for anyone
    else, or for a job or file that does not exist)."""
    found = state(job)
    user = auth.current_user()
    kind = next((k for k, file in FILES.items() if file == name), None)
    folder = _folder(job)
    if (
        found is None
        or kind is None
        or folder is None
        or found.status != DONE
        or not user.signed_in
        or user.name != found.user
    ):
        flask.abort(404)
    return flask.send_file(folder / name, mimetype=MEDIA[kind], as_attachment=True, download_name=name)


def register_routes(server: flask.Flask) -> None:
    """Add the download route to ``server``."""
    server.add_url_rule(ROUTE, "pack_download", download, methods=["GET"])
