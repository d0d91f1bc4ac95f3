"""Sessions on the dashboard's server: secret key, cookie settings, timeout, and who may reach what.

By default every page needs sign-in: anyone not signed in is sent to ``/sign-in`` (a Dash request gets HTTP
401), except for the sign-in page, styles and scripts, the health check and the accessibility statement.
``KPI_PUBLIC=1`` publishes the read-only pages without sign-in; changing anything still needs a signed-in
user with the right role, as every store function checks. A sign-in lasts ``KPI_SESSION_HOURS`` (default
8) however active the user is; a disabled user is signed out at their next request.

Settings: ``KPI_SECRET_KEY`` (else a key generated once into ``instance/secret_key``, owner-only, not
committed), ``KPI_SECURE_COOKIES=1`` (cookies only over HTTPS: set it whenever the dashboard is served over
HTTPS), ``KPI_SESSION_HOURS`` and ``KPI_PUBLIC``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import flask
import flask_login
from werkzeug.wrappers import Response

from dashboard import auth, csrf, data_access, routes, sign_in

PUBLIC_VARIABLE = "KPI_PUBLIC"
SECRET_VARIABLE = "KPI_SECRET_KEY"
SECURE_VARIABLE = "KPI_SECURE_COOKIES"
HOURS_VARIABLE = "KPI_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 8.0
INSTANCE_FOLDER = Path(__file__).resolve().parents[1] / "instance"

# Open to anyone, signed in or not: the sign-in page itself, styles and scripts, the health check.
OPEN_PREFIXES = (
    sign_in.SIGN_IN,
    sign_in.SIGN_OUT,
    "/assets/",
    "/health",
    "/_favicon",
    "/_dash-component-suites/",
)
# Pages anyone may read, with the Dash requests that build them (the shell and the page router).
OPEN_PAGES = (routes.ACCESSIBILITY,)
DASH_SHELL = ("/_dash-layout", "/_dash-dependencies", "/_reload-hash")


def secret_key(folder: Path = INSTANCE_FOLDER) -> str:
    """``KPI_SECRET_KEY``, else the key generated once into ``folder/secret_key`` (mode 0600), so sessions
    survive a restart and every worker shares them."""
    supplied = os.environ.get(SECRET_VARIABLE, "").strip()
    if supplied:
        return supplied
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            return path.read_text().strip()
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip()


def session_hours() -> float:
    """How long a sign-in lasts (``KPI_SESSION_HOURS``, default 8)."""
    return float(os.environ.get(HOURS_VARIABLE) or DEFAULT_SESSION_HOURS)


def _load_user(name: str) -> auth.SignedIn | None:
    user = data_access.signed_in_user(name)
    return None if user is None else auth.SignedIn(user)


def _open_dash_request(path: str) -> bool:
    """A Dash request that only builds an open page: the shell, or the page router asked for an open page."""
    if path in DASH_SHELL:
        return True
    if path != "/_dash-update-component":
        return False
    body = flask.request.get_json(silent=True) or {}
    asked = {
        i.get("value")
        for i in body.get("inputs", [])
        if isinstance(i, dict) and i.get("id") == "_pages_location" and i.get("property") == "pathname"
    }
    wanted = {flask.request.script_root + page for page in OPEN_PAGES}
    return "_pages_content.children" in str(body.get("output", "")) and bool(asked) and asked <= wanted


def _needs_sign_in(path: str) -> bool:
    if path in OPEN_PAGES or auth.is_public() or auth.is_signed_in():
        return False
    return not _open_dash_request(path)


def _gate() -> Response | None:
    """Before each request: end a session past its hours, then send anyone not signed in to the sign-in
    page (unless what they asked for is open, or the dashboard is public)."""
    path = flask.request.path
    if path.startswith(OPEN_PREFIXES):
        return None
    if auth.is_signed_in():
        elapsed = auth.signed_in_for()
        if elapsed is None or elapsed > session_hours() * 3600:
            auth.end_session()
    if not _needs_sign_in(path):
        return None
    if path.startswith("/_"):
        return flask.Response("Sign in to use the dashboard.", status=401, mimetype="text/plain")
    return flask.redirect(sign_in.sign_in_url(flask.request.full_path.rstrip("?")))


def init_app(server: flask.Flask, *, public: bool | None = None) -> None:
    """Sessions, sign-in and sign-out, the sign-in rule and CSRF checks on ``server``; ``public`` defaults
    to ``KPI_PUBLIC=1``."""
    server.config.update(
        SECRET_KEY=server.config.get("SECRET_KEY") or secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get(SECURE_VARIABLE) == "1",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=session_hours()),
        KPI_PUBLIC=os.environ.get(PUBLIC_VARIABLE) == "1" if public is None else public,
    )
    manager = flask_login.LoginManager(server)
    manager.user_loader(_load_user)
    server.before_request(_gate)
    server.before_request(csrf.check)
    server.after_request(csrf.set_cookie)
    sign_in.register(server)
