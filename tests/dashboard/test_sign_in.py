"""Signing in and out through the real form with Flask's test client: good and bad passwords, disabled users,
returning to the page asked for (never to another site), the session timeout and the first-run hint."""

from __future__ import annotations

import time

import pytest

from dashboard import auth, create_app, data_access, sign_in
from data import users
from tests.dashboard.signing_in import NAMES, PASSWORD, SETTER_UP, add_users, token
from tests.dashboard.signing_in import sign_in as post_sign_in


@pytest.fixture(autouse=True)
def no_delay(monkeypatch):
    monkeypatch.setattr(sign_in, "FAILURE_DELAY", 0)


@pytest.fixture
def app(store):
    add_users(store)
    return create_app(store, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture
def client(app):
    return app.server.test_client()


def test_a_page_asked_for_without_signing_in_goes_to_sign_in_and_back_after(client):
    asked = client.get("/payment?contract=ccc-hcp-s75")
    assert asked.status_code == 302
    assert asked.location == "/sign-in?next=/payment?contract%3Dccc-hcp-s75"
    signed_in = post_sign_in(client, NAMES["officer"], next="/payment?contract=ccc-hcp-s75")
    assert (signed_in.status_code, signed_in.location) == (302, "/payment?contract=ccc-hcp-s75")
    assert client.get("/payment?contract=ccc-hcp-s75").status_code == 200


def test_the_sign_in_page_is_a_plain_form_with_labels_and_its_token(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<h1 class="app-heading-xl">Sign in</h1>' in page
    assert '<label class="app-label" for="sign-in-name">Name</label>' in page
    assert '<label class="app-label" for="sign-in-password">Password</label>' in page
    assert f'name="csrf_token" value="{token(client)}"' in page
    assert "kpi user add" not in page, "users exist, so there is no first-run hint"


def test_a_wrong_password_or_name_is_the_same_error_and_signs_no_one_in(client, monkeypatch):
    waits = []
    monkeypatch.setattr(sign_in.time, "sleep", waits.append)
    monkeypatch.setattr(sign_in, "FAILURE_DELAY", 1.0)
    for name, password in ((NAMES["admin"], "not the password at all"), ("Nobody", PASSWORD)):
        response = post_sign_in(client, name, password)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert (
            "<title>Error: Sign in" in page
            and 'href="#sign-in-name">The name or password is not right' in page
        )
        assert client.get("/").status_code == 302
    assert waits == [1.0, 1.0]


def test_a_disabled_user_cannot_sign_in_and_a_signed_in_one_is_signed_out(app, client, store):
    assert post_sign_in(client, NAMES["officer"]).status_code == 302
    assert client.get("/").status_code == 200
    users.disable_user(store, SETTER_UP, NAMES["officer"])
    assert client.get("/").status_code == 302
    assert post_sign_in(app.server.test_client(), NAMES["officer"]).status_code == 200, "the form again"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_sign_in_never_sends_anyone_to_another_site(client, target):
    response = post_sign_in(client, NAMES["viewer"], next=target)
    assert (response.status_code, response.location) == (302, "/")


def test_a_sign_in_lasts_its_hours_however_busy(client, monkeypatch):
    monkeypatch.setenv("KPI_SESSION_HOURS", "8")
    post_sign_in(client, NAMES["viewer"])
    with client.session_transaction() as session:
        session[auth.SIGNED_IN_AT] = time.time() - 7.9 * 3600
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session[auth.SIGNED_IN_AT] = time.time() - 8.1 * 3600
    assert client.get("/").location == "/sign-in?next=/"


def test_sign_out_ends_the_session_and_needs_the_token(client):
    post_sign_in(client, NAMES["admin"])
    assert client.post("/sign-out").status_code == 400, "a sign-out posted from elsewhere is refused"
    assert client.get("/").status_code == 200
    response = client.post("/sign-out", data={"csrf_token": token(client)})
    assert (response.status_code, response.location) == (302, "/sign-in")
    assert client.get("/").status_code == 302


def test_sign_in_is_refused_without_the_forms_token(client):
    client.get("/sign-in")
    response = client.post("/sign-in", data={"name": NAMES["admin"], "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_the_cookies_are_http_only_and_same_site(client, app):
    post_sign_in(client, NAMES["viewer"])
    session_cookie = client.get_cookie("session")
    assert session_cookie.http_only and session_cookie.same_site == "Lax"
    assert not client.get_cookie("_csrf_token").http_only, "dash-renderer must read it"
    assert app.server.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600


def test_with_no_users_the_sign_in_page_says_how_to_create_the_first_admin(store):
    client = create_app(store, cache_config={"CACHE_TYPE": "NullCache"}).server.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    assert "kpi user add YOUR-NAME --role admin" in page


def test_a_store_that_cannot_be_read_is_explained_on_the_sign_in_page(client, monkeypatch):
    def unreadable(*args):
        raise data_access.DataUnavailable("the store is locked")

    monkeypatch.setattr(data_access, "_read", unreadable)
    page = post_sign_in(client, NAMES["admin"]).get_data(as_text=True)
    assert "Signing in is not possible just now: the dashboard could not read its data store." in page
