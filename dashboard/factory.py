"""Build the dashboard: :func:`create_app` returns a Dash app wired to an indicator store.

``app.py`` calls ``create_app()`` with no engine, so the app reads the store named by ``KPI_DATABASE_URL``;
tests pass the engine of a test database. The engine is kept on the Flask server
(``server.extensions["hcp_dashboard"]["engine"]``), and :mod:`dashboard.data_access` reads it from
whichever app is serving the request, so several apps on different stores can live in one process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import dash
import flask

from dashboard import (
    cache,
    data_access,
    layout,
    request_checks,
    routes,
    sessions,
    table_downloads,
    theme,
    upload_route,
)
from dashboard.pack import jobs as pack_jobs

if TYPE_CHECKING:
    import sqlalchemy as sa

DESCRIPTION = (
    "Outcomes for children, young people and families in Cambridgeshire and Peterborough, for the "
    "commissioners of the 0-19 Healthy Child Programme (health visiting and school nursing)."
)

INDEX_STRING = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body class="app-body-template">
        <noscript>
            <p class="app-noscript">This dashboard needs JavaScript to show its pages. Turn on JavaScript in
            your browser and reload the page.</p>
        </noscript>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>
"""


class DashboardApp(dash.Dash):
    """Dash, with each page's own title in the served HTML (Dash otherwise serves the app's title until the
    page has loaded, which is what a screen reader announces and a browser tab or bookmark shows), and HTTP
    status 404 for an address that is not a page."""

    def _requested_page(self) -> dict | None:
        return page_for_path(self.strip_relative_path(flask.request.path) or "")

    def interpolate_index(
        self,
        metas: str = "",
        title: str = "",
        css: str = "",
        config: str = "",
        scripts: str = "",
        app_entry: str = "",
        favicon: str = "",
        renderer: str = "",
    ) -> str:
        if flask.has_request_context():
            page = self._requested_page()
            if page is None:
                title = routes.page_title(routes.TITLES[routes.NOT_FOUND])
            else:
                title = page["title"]() if callable(page["title"]) else page["title"]
        return super().interpolate_index(
            metas=metas,
            title=title,
            css=css,
            config=config,
            scripts=scripts,
            app_entry=app_entry,
            favicon=favicon,
            renderer=renderer,
        )

    def index(self, *args, **kwargs):
        html = super().index(*args, **kwargs)
        if flask.has_request_context() and self._requested_page() is None:
            return html, 404
        return html


def page_for_path(relative_path: str) -> dict | None:
    """The registered page at ``relative_path`` ('' for the home page), or None."""
    wanted = relative_path.strip("/")
    for page in dash.page_registry.values():
        if page["path"].strip("/") == wanted:
            return page
    for page in dash.page_registry.values():  # pages with a path template, such as /indicator/<code>
        template = (page.get("path_template") or "").strip("/")
        if template and re.fullmatch(re.sub(r"<[^/>]+>", "[^/]+", re.escape(template)), wanted):
            return page
    return None


STATIC_POLICY = {
    "default-src": "'self'",
    # Dash's renderer and Plotly add <style> elements as they draw (without this Chromium blocks 22 on the
    # scorecard alone): inline styles only, never inline scripts.
    "style-src": "'self' 'unsafe-inline'",
    # blob: lets Plotly draw a chart as a PNG for its "Download the chart" button (assets/chart_images.js):
    # it renders the SVG into an image made from a blob the page's own script creates.
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
HSTS = "max-age=31536000; includeSubDomains"
SERVER_NAME = "hcp-dashboard"
"""What the ``Server`` header says instead of the server's name and version."""


def content_security_policy(app: dash.Dash) -> str:
    """The Content-Security-Policy: everything from the dashboard's own address; scripts only from its files
    and Dash's own inline start-up script, allowed by its hash (:meth:`dash.Dash.csp_hashes`, which also
    covers any inline clientside callback), so no other inline script and no ``eval`` can run."""
    script = " ".join(["'self'", *app.csp_hashes()])
    directives = {**STATIC_POLICY, "script-src": script}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(app: dash.Dash, response: flask.Response) -> flask.Response:
    """Headers on every response: the content security policy, no sniffing of content types, no referrer to
    other sites, no framing by other sites, and HSTS when served over HTTPS (or ``KPI_SECURE_COOKIES=1``,
    which says it is). The ``Server`` header is the web server's, see :func:`_hide_server_banner`."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(app))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    if flask.request.is_secure or os.environ.get(sessions.SECURE_VARIABLE) == "1":
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _server_name(_handler: object) -> str:
    return SERVER_NAME


def _hide_server_banner() -> None:
    """Werkzeug (``kpi serve``) and gunicorn write a ``Server`` header of their own, outside the app
    (Werkzeug's names itself, its version and Python's): make both write :data:`SERVER_NAME` instead, so a
    response says nothing about the software or versions behind it."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = _server_name  # type: ignore[method-assign, assignment]
    try:
        import gunicorn.http.wsgi  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - gunicorn is a dependency, but only the production server
        return
    gunicorn.http.wsgi.SERVER = SERVER_NAME  # read by each gunicorn response as it is made


def _one_open_per_request(server: flask.Flask, engine: sa.Engine) -> None:
    """Each request opens a DuckDB store file at most once, however many reads it makes, and the file is
    kept open for the next request for a moment after it ends (:func:`data.db.kept_open` with ``linger``):
    opening it afresh for every read made the scorecard page three times slower, and for every request
    25-30 ms slower on a national store; letting it go once the dashboard is idle lets the ``kpi`` command
    take its turn. Held for the app context, which every request (and every test request) has."""
    import contextlib

    from data.db import kept_open

    def hold(sender: flask.Flask, **_: object) -> None:
        stack = contextlib.ExitStack()
        stack.enter_context(kept_open(engine, linger=True))
        flask.g.kpi_store_held = stack

    def release(_error: BaseException | None) -> None:
        stack = flask.g.pop("kpi_store_held", None)
        if stack is not None:
            stack.close()

    flask.appcontext_pushed.connect(hold, server)
    server.teardown_appcontext(release)
    server.extensions["hcp_store_held"] = hold  # the signal keeps only a weak reference


def create_app(
    engine: sa.Engine | None = None,
    *,
    cache_config: Mapping | None = None,
    contact_email: str | None = None,
    public: bool | None = None,
) -> dash.Dash:
    """A dashboard app on ``engine`` (default: the store named by ``KPI_DATABASE_URL``).

    ``cache_config`` is flask-caching configuration (default from the ``KPI_CACHE_*`` environment
    variables, see :mod:`dashboard.cache`); ``contact_email`` is where readers report problems (default
    ``KPI_CONTACT_EMAIL``), shown on the accessibility statement. ``public`` publishes the read-only pages
    without sign-in (default ``KPI_PUBLIC=1``; see :mod:`dashboard.sessions`).
    """
    if engine is None:
        from data.db import get_engine

        engine = get_engine(read_only=os.environ.get("KPI_DATABASE_READ_ONLY") == "1")
    theme.register()
    app = DashboardApp(
        "dashboard",
        use_pages=True,
        pages_folder="pages",
        title=routes.SERVICE_NAME,
        description=DESCRIPTION,
        # Dash documents None as "never change the tab title while a callback runs" but annotates str.
        update_title=None,  # type: ignore[arg-type]
        index_string=INDEX_STRING,
        health_endpoint="health",
        # Dash otherwise builds every page, reading the store, on the first request for the browser to check
        # callback ids against in debug mode (4 of a national store's 7 seconds to start), and sends that
        # in every page shell (638 KB). Pages build components that callbacks add later anyway.
        suppress_callback_exceptions=True,
    )
    server = app.server
    server.extensions[data_access.EXTENSION] = {"engine": engine}
    _one_open_per_request(server, engine)
    server.config["KPI_CONTACT_EMAIL"] = contact_email or os.environ.get("KPI_CONTACT_EMAIL") or None
    cache.init_cache(server, cache_config)
    sessions.init_app(server, public=public)
    pack_jobs.register_routes(server)
    table_downloads.register_routes(server)
    upload_route.register_routes(server)
    request_checks.guard_callbacks(app)

    server.after_request(lambda response: security_headers(app, response))
    _hide_server_banner()

    app.layout = layout.shell
    layout.register_navigation_callback(app)
    return app
