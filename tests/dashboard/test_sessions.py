"""Who reaches what: sign-in for every page by default, public mode, the open pages, and CSRF on callbacks.

A crafted POST to /_dash-update-component (what another site could make a signed-in browser send) carries no
X-CSRFToken header and is refused with HTTP 400; without a session it is refused with 401.
"""

from __future__ import annotations

import json

import pytest

from dashboard import auth, create_app, payment_callbacks, sessions
from tests.dashboard.pages import route, text
from tests.dashboard.payment.support import CCC, YEAR, payment_store, row_counts
from tests.dashboard.signing_in import NAMES, add_users, sign_in, signed_in_client, token


def _app(engine, public: bool):
    add_users(engine)
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"}, public=public)


@pytest.fixture
def private(store):
    return _app(store, public=False)


@pytest.fixture
def public(store):
    return _app(store, public=True)


def _anonymous(app):
    """A browser that has loaded a page (so holds the token cookie) and sends the header, not signed in."""
    client = app.server.test_client()
    client.get("/sign-in")
    client.environ_base["HTTP_X_CSRFTOKEN"] = token(client)
    return client


def test_a_callback_without_the_csrf_header_is_refused_even_when_signed_in(private):
    client = signed_in_client(private, "admin")
    assert route(client, "/")  # with the header, as dash-renderer sends it
    del client.environ_base["HTTP_X_CSRFTOKEN"]
    response = client.post("/_dash-update-component", json={"output": "x.children", "inputs": []})
    assert response.status_code == 400
    assert "did not carry the dashboard's security token" in response.get_data(as_text=True)
    client.environ_base["HTTP_X_CSRFTOKEN"] = "a guess"
    assert client.post("/_dash-update-component", json={}).status_code == 400


def test_by_default_nothing_but_the_open_pages_is_served_without_signing_in(private):
    client = _anonymous(private)
    assert client.get("/").location == "/sign-in?next=/"
    assert client.get("/_dash-layout").status_code == 200, "the shell, for the accessibility statement"
    response = client.post("/_dash-update-component", json={"output": "x.children", "inputs": []})
    assert (response.status_code, response.get_data(as_text=True)) == (401, "Sign in to use the dashboard.")
    with pytest.raises(AssertionError, match="Sign in to use the dashboard"):
        route(client, "/")
    assert client.get("/accessibility").status_code == 200
    assert "Accessibility statement" in json.dumps(route(client, "/accessibility"))
    assert client.get("/health").status_code == 200
    assert client.get("/assets/style.css").status_code == 200


def test_in_public_mode_the_pages_are_read_without_signing_in(public):
    client = _anonymous(public)
    assert client.get("/").status_code == 200
    assert '"id": "scorecard-heading"' in json.dumps(route(client, "/"))
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert '"Sign in"' in layout and "Signed in as" not in layout


def test_the_header_says_who_is_signed_in_with_a_sign_out_button(private):
    client = signed_in_client(private, "officer")
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert f"Signed in as {NAMES['officer']} (officer)" in layout
    assert '"Sign out"' in layout and token(client) in layout


def test_in_public_mode_an_anonymous_save_is_refused_and_nothing_is_written():
    engine = payment_store()
    app = _app(engine, public=True)
    before = row_counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        assert auth.current_user() == auth.ANONYMOUS
        shown = payment_callbacks.agree_change(1, {"contract": CCC, "year": YEAR}, "Agreed")
    assert "Only an administrator can change a payment scheme; you are not signed in." in text(shown)
    assert row_counts(engine) == before


def test_the_environment_grants_no_rights_to_a_web_request(private, monkeypatch):
    monkeypatch.setenv("KPI_USER", "Mallory")
    monkeypatch.setenv("KPI_ROLE", "admin")
    client = private.server.test_client()
    assert "The name or password is not right" in sign_in(client, "Mallory").get_data(as_text=True)
    with private.server.test_request_context("/"):
        assert auth.current_user() == auth.ANONYMOUS


def test_without_a_key_in_the_environment_one_is_made_once_readable_only_by_its_owner(tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_SECRET_KEY")
    key = sessions.secret_key(tmp_path / "instance")
    assert len(key) == 64 and sessions.secret_key(tmp_path / "instance") == key
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("KPI_SECRET_KEY", "from the environment")
    assert sessions.secret_key(tmp_path / "instance") == "from the environment"
