"""Who is making a web request: the one place pages and callbacks ask, before any change is written.

Every callback or route that changes data calls :func:`current_user` and passes the user to the store
function, which checks the permission itself (:func:`data.access.require`) before it writes. Rights come
only from signing in (Flask-Login sessions set up by :mod:`dashboard.sessions`, the form in
:mod:`dashboard.sign_in`); no environment variable grants rights to a web request. Someone not signed in
is :data:`ANONYMOUS`, a viewer who can change nothing.
"""

from __future__ import annotations

import time

import flask
import flask_login

from dashboard import csrf
from data import access

ANONYMOUS = access.User("a visitor (not signed in)", frozenset({"viewer"}), signed_in=False)
SIGNED_IN_AT = "signed_in_at"


class SignedIn(flask_login.UserMixin):
    """A signed-in person as Flask-Login holds them: their :class:`access.User`, keyed by name."""

    def __init__(self, user: access.User) -> None:
        self.user = user

    def get_id(self) -> str:
        return self.user.name


def current_user() -> access.User:
    """The user making this request: the signed-in user, or :data:`ANONYMOUS` (a viewer)."""
    if is_signed_in():
        return flask_login.current_user.user
    return ANONYMOUS


def is_signed_in() -> bool:
    """True when the request comes from a signed-in user."""
    return flask.has_request_context() and bool(flask_login.current_user.is_authenticated)


def is_public() -> bool:
    """True when the read-only pages are published without sign-in (``KPI_PUBLIC=1``)."""
    return flask.has_app_context() and bool(flask.current_app.config.get("KPI_PUBLIC"))


def start_session(user: access.User) -> None:
    """Sign ``user`` in: a fresh session (so no one can plant a session first), with a new CSRF token."""
    flask.session.clear()
    flask.session.permanent = True
    flask_login.login_user(SignedIn(user))
    flask.session[SIGNED_IN_AT] = time.time()
    csrf.new_token()


def end_session() -> None:
    """Sign out and forget everything the session held."""
    flask_login.logout_user()
    flask.session.clear()


def signed_in_for() -> float | None:
    """Seconds since this session signed in, or None if it never did."""
    started = flask.session.get(SIGNED_IN_AT)
    return None if started is None else time.time() - float(started)
