"""The sign-in page (GET and POST ``/sign-in``) and signing out (POST ``/sign-out``).

Plain Flask routes rendering a small HTML page in the product's look, so signing in works with no Dash and
no JavaScript. After signing in the user returns to the page they asked for, but only to a path on this
site (``next`` must be a local path), never to another site. A failed sign-in waits a moment
(:data:`FAILURE_DELAY`) and says the same thing whether the name or the password was wrong.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import flask
from werkzeug.wrappers import Response

from dashboard import auth, csrf, data_access, routes
from data.users import MIN_PASSWORD_LENGTH

SIGN_IN = "/sign-in"
SIGN_OUT = "/sign-out"
FAILURE_DELAY = 1.0  # seconds, on every failed sign-in
NOT_RIGHT = "The name or password is not right"
UNAVAILABLE = (
    "Signing in is not possible just now: the dashboard could not read its data store. Try again soon"
)
FIRST_ADMIN = (
    "No one can sign in yet. Someone with access to the server must first create an administrator, with "
    "the command: kpi user add YOUR-NAME --role admin"
)

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{% if problem %}Error: {% endif %}Sign in – {{ service }}</title>
  <link rel="stylesheet" href="{{ stylesheet }}">
</head>
<body class="app-body-template">
<div class="app-template">
  <a href="#main-content" class="app-skip-link">Skip to main content</a>
  <header class="app-header"><div class="app-width-container app-header__container">
    <a href="{{ home }}" class="app-header__service-name">{{ service }}</a>
    <span class="app-header__area">Cambridgeshire and Peterborough</span>
  </div></header>
  <div class="app-width-container">
  <main id="main-content" class="app-main-wrapper app-page app-page--sign-in" tabindex="-1">
    {% if problem %}
    <div class="app-error-summary" role="alert" tabindex="-1" aria-labelledby="sign-in-problem-title"
         id="sign-in-error-summary">
      <h2 class="app-error-summary__title app-heading-m" id="sign-in-problem-title">There is a problem</h2>
      <ul class="app-list app-error-summary__list"><li><a href="#sign-in-name">{{ problem }}</a></li></ul>
    </div>
    {% endif %}
    <h1 class="app-heading-xl">Sign in</h1>
    {% if not has_users %}<div class="app-inset-text" id="sign-in-first-admin"><p class="app-body">
      {{ first_admin }}</p></div>{% endif %}
    <p class="app-body">Sign in with the name and password an administrator gave you.
      {% if public %}You can also <a href="{{ home }}">read the dashboard without signing in</a>;
      signing in is needed only to change anything.{% endif %}</p>
    <form method="post" action="{{ action }}" novalidate>
      <input type="hidden" name="csrf_token" value="{{ token }}">
      <input type="hidden" name="next" value="{{ next }}">
      <div class="app-form-group{% if problem %} app-form-group--error{% endif %}">
        <label class="app-label" for="sign-in-name">Name</label>
        {% if problem %}<p class="app-error-message" id="sign-in-name-error">
          <span class="app-visually-hidden">Error:</span> {{ problem }}</p>{% endif %}
        <input class="app-input" id="sign-in-name" name="name" type="text" autocomplete="username"
               spellcheck="false" value="{{ name }}"
               {% if problem %}aria-describedby="sign-in-name-error"{% endif %}>
      </div>
      <div class="app-form-group">
        <label class="app-label" for="sign-in-password">Password</label>
        <div class="app-hint" id="sign-in-password-hint">At least {{ min_length }} characters.</div>
        <input class="app-input" id="sign-in-password" name="password" type="password"
               autocomplete="current-password" aria-describedby="sign-in-password-hint">
      </div>
      <button class="app-button" type="submit" id="sign-in-button">Sign in</button>
    </form>
  </main>
  </div>
</div>
</body>
</html>
"""


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this site, else the home page: no redirect to another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\\"):
        return "/"
    return target


def sign_in_url(next_path: str) -> str:
    """The sign-in page, returning to ``next_path`` afterwards."""
    return flask.url_for("sign_in", next=local_path(next_path))


def _has_users() -> bool:
    try:
        return data_access.has_users()
    except data_access.DataUnavailable:
        return True  # say nothing about the first administrator when the store cannot be read


def _page(problem: str | None = None, name: str = "") -> str:
    html = flask.render_template_string(
        PAGE,
        service=routes.SERVICE_NAME,
        stylesheet=flask.request.script_root + "/assets/style.css",
        home=routes.href(routes.SCORECARD),
        action=flask.url_for("sign_in"),
        problem=problem,
        name=name,
        next=local_path(flask.request.values.get("next")),
        token=csrf.token(),
        has_users=_has_users(),
        first_admin=FIRST_ADMIN,
        public=auth.is_public(),
        min_length=MIN_PASSWORD_LENGTH,
    )
    return html


def sign_in() -> Response | str:
    """Show the form, or sign in with what was posted and return to the page asked for."""
    if flask.request.method == "GET":
        return _page()
    name = flask.request.form.get("name", "").strip()
    try:
        user = data_access.check_sign_in(name, flask.request.form.get("password", ""))
    except data_access.DataUnavailable:
        return _page(UNAVAILABLE, name)
    if user is None:
        time.sleep(FAILURE_DELAY)
        return _page(NOT_RIGHT, name)
    target = local_path(flask.request.form.get("next"))
    auth.start_session(user)
    data_access.note_sign_in(user.name)
    return flask.redirect(flask.request.script_root + target)


def sign_out() -> Response:
    """Sign out and go to the sign-in page."""
    auth.end_session()
    return flask.redirect(flask.url_for("sign_in"))


def register(server: flask.Flask) -> None:
    """Add the sign-in and sign-out routes to ``server``."""
    server.add_url_rule(SIGN_IN, "sign_in", sign_in, methods=["GET", "POST"])
    server.add_url_rule(SIGN_OUT, "sign_out", sign_out, methods=["POST"])
