"""The headers every response carries: a content security policy with no inline script but Dash's own (by
hash) and no eval, HSTS only over HTTPS, cookies that scripts on other sites cannot use, and a Server header
that names no software or version."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import urllib.request

import pytest

from dashboard import create_app
from dashboard.factory import SERVER_NAME
from tests.dashboard.signing_in import sign_in, signed_in_client


@pytest.fixture
def app(store):
    return create_app(store, cache_config={"CACHE_TYPE": "NullCache"})


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_the_policy_lets_only_the_dashboards_own_scripts_run(app):
    client = signed_in_client(app)
    page = client.get("/")
    policy = _policy(page)
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'" and policy["base-uri"] == "'self'"
    assert "unsafe-eval" not in page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy["script-src"]
    # each inline script in the page is allowed by its hash, and nothing else inline is
    html = page.get_data(as_text=True)
    inline = [
        body
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attributes and "application/json" not in attributes
    ]
    assert inline
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    # the policy is on every response, the sign-in page and Dash's own requests too
    assert "Content-Security-Policy" in app.server.test_client().get("/sign-in").headers
    assert "Content-Security-Policy" in client.get("/_dash-layout").headers


def test_hsts_only_when_served_over_https(app, monkeypatch):
    monkeypatch.delenv("KPI_SECURE_COOKIES", raising=False)
    plain = app.server.test_client().get("/sign-in")
    assert "Strict-Transport-Security" not in plain.headers
    secure = app.server.test_client().get("/sign-in", base_url="https://dashboard.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    monkeypatch.setenv("KPI_SECURE_COOKIES", "1")  # behind a proxy that ends HTTPS
    assert "Strict-Transport-Security" in app.server.test_client().get("/sign-in").headers


def _cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_session_and_csrf_cookies_are_lax_and_secure_when_asked(store, monkeypatch):
    monkeypatch.setenv("KPI_SECURE_COOKIES", "1")
    app = create_app(store, cache_config={"CACHE_TYPE": "NullCache"})
    client = app.server.test_client()
    signed_in_client(app)  # adds the users
    response = sign_in(client, "Sam Jones")
    cookies = _cookies(response) | _cookies(client.get("/sign-in"))
    session, token = cookies["session"], cookies["_csrf_token"]
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Secure" in session
    # the CSRF token is read by the page's script to send back in a header, so it cannot be HttpOnly
    assert "SameSite=Lax" in token and "Secure" in token and "HttpOnly" not in token


def test_the_server_header_names_no_software_or_version(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/sign-in") as response:
            assert response.headers.get_all("Server") == [SERVER_NAME]
    finally:
        server.shutdown()
        thread.join(timeout=10)
    import gunicorn.http.wsgi

    assert gunicorn.http.wsgi.Response(None, None, None).version == SERVER_NAME
