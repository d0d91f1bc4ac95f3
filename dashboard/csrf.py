"""CSRF protection: every POST must carry the session's secret token, so a page elsewhere cannot post here.

A form carries the token in a hidden ``csrf_token`` field. Dash callbacks, and the upload page's script
sending a file to ``/_upload``, use the double-submit cookie that
dash-renderer already supports: it copies the ``_csrf_token`` cookie's value into an ``X-CSRFToken`` header
on every ``/_dash-update-component`` request (``csrf_token_name`` and ``csrf_header_name`` in its config,
these names by default). The server compares the header with the token kept in the signed session; another
site can neither read the cookie nor set the header, so its crafted POST is refused with HTTP 400.
"""

from __future__ import annotations

import hmac
import secrets

import flask

SESSION_KEY = "csrf_token"
FIELD = "csrf_token"
COOKIE = "_csrf_token"
HEADER = "X-CSRFToken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED = (
    "This request was refused: it did not carry the dashboard's security token, so it may not have come "
    "from one of the dashboard's own pages. Reload the page and try again."
)


def new_token() -> str:
    """A fresh token for this session (at sign-in, so a token seen before sign-in is no use after)."""
    flask.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return flask.session[SESSION_KEY]


def token() -> str:
    """This session's token, made on first use."""
    return flask.session.get(SESSION_KEY) or new_token()


def check() -> flask.Response | None:
    """Before each request: refuse a POST (or other change) whose token is missing or wrong."""
    if flask.request.method in SAFE_METHODS:
        token()
        return None
    request = flask.request
    # A file upload's form is never read here: that would take in the whole file before the upload route
    # could check its size. Its token comes in the header.
    in_form = request.mimetype == "application/x-www-form-urlencoded"
    sent = request.headers.get(HEADER) or (request.form.get(FIELD) if in_form else None) or ""
    expected = flask.session.get(SESSION_KEY) or ""
    if expected and hmac.compare_digest(sent.encode(), expected.encode()):
        return None
    return flask.Response(REFUSED, status=400, mimetype="text/plain")


def set_cookie(response: flask.Response) -> flask.Response:
    """After each request: give the browser the token as the cookie dash-renderer sends back."""
    current = flask.session.get(SESSION_KEY)
    if current and flask.request.cookies.get(COOKIE) != current:
        response.set_cookie(
            COOKIE,
            current,
            secure=flask.current_app.config["SESSION_COOKIE_SECURE"],
            httponly=False,  # dash-renderer reads it to send it back in the header
            samesite="Lax",
        )
    return response
