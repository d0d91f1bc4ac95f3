"""Signing in for the dashboard tests: a user of each role in the app's store, and a test client signed in
through the real sign-in form that sends the CSRF header as dash-renderer does."""

from __future__ import annotations

from typing import Any

import dash
import sqlalchemy as sa

from dashboard import auth, csrf, data_access
from data import users
from data.access import User

PASSWORD = "a long enough test password"
NAMES = {"viewer": "Sam Jones", "officer": "Kim Lee", "admin": "Asha Patel"}
SETTER_UP = User("Test setup", frozenset({"admin"}))


def add_users(engine: sa.Engine) -> None:
    """One enabled user of each role in :data:`NAMES`, all with :data:`PASSWORD` (kept if already there)."""
    existing = {record.name for record in users.list_users(engine)}
    for role, name in NAMES.items():
        if name not in existing:
            users.add_user(engine, SETTER_UP, name, PASSWORD, role)


def token(client: Any) -> str:
    """The CSRF token the client's cookie holds (what dash-renderer copies into its header)."""
    cookie = client.get_cookie(csrf.COOKIE)
    return cookie.value if cookie else ""


def sign_in(client: Any, name: str, password: str = PASSWORD, next: str = "/") -> Any:
    """Post the sign-in form as a browser would (after loading it, which gives the form its token)."""
    page = client.get("/sign-in")
    assert page.status_code == 200
    return client.post(
        "/sign-in", data={"name": name, "password": password, "next": next, "csrf_token": token(client)}
    )


def signed_in_client(app: dash.Dash, role: str = "viewer") -> Any:
    """A test client signed in as the user with ``role``, sending the CSRF header on every request."""
    with app.server.app_context():
        add_users(data_access.engine())
    client = app.server.test_client()
    response = sign_in(client, NAMES[role])
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    client.environ_base["HTTP_X_CSRFTOKEN"] = token(client)
    return client


def signed_in_as(monkeypatch: Any, name: str, role: str) -> None:
    """Callbacks and page layouts called directly (not through a request) see ``name`` with ``role`` as the
    signed-in user."""
    monkeypatch.setattr(auth, "current_user", lambda: User(name, frozenset({role})))
