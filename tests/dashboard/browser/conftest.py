"""Browser fixtures: a seeded store, the dashboard on a real local server, and headless Chromium.

* The store: ``KPI_BROWSER_DATABASE_URL`` if set (an existing, seeded store), else a temporary DuckDB file
  seeded with the bundled data (about 20 seconds, once per session).
* The server: the app from :func:`dashboard.create_app` on that store, served by Werkzeug on a free
  localhost port in a background thread. ``base_url`` serves it in public mode (the read-only pages open to
  all, as ``KPI_PUBLIC=1`` does), so the page tests read it as an anonymous visitor; ``private_base_url``
  serves the default, where every page needs sign-in. The store holds a user of each role
  (``tests.dashboard.signing_in.NAMES``); :func:`signed_in` signs a tab in through the real form.
* The browser: Debian's Chromium at ``/usr/bin/chromium`` (``KPI_CHROMIUM`` to use another), driven by
  Playwright. Without it the browser tests skip with the reason, unless ``KPI_REQUIRE_BROWSER=1`` (for CI),
  when they fail instead.
* Screenshots go to ``KPI_SCREENSHOT_DIR`` if set, else a temporary folder; the path is printed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

CHROMIUM = os.environ.get("KPI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}


def _missing_browser(reason: str) -> None:
    if os.environ.get("KPI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (KPI_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    supplied = os.environ.get("KPI_BROWSER_DATABASE_URL")
    if supplied:
        return supplied
    from data.db import make_engine
    from data.seed import seed

    path = tmp_path_factory.mktemp("store") / "browser.duckdb"
    url = f"duckdb:///{path}"
    engine = make_engine(url)
    try:
        seed(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def store_engine(database_url: str) -> Iterator[sa.Engine]:
    """The engine both servers share, holding a user of each role."""
    from data.db import make_engine
    from tests.dashboard.signing_in import add_users

    engine = make_engine(database_url)
    add_users(engine)
    yield engine
    engine.dispose()


@contextmanager
def _serving(engine: sa.Engine, *, public: bool) -> Iterator[str]:
    from werkzeug.serving import make_server

    from dashboard import create_app

    app = create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"}, public=public)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dashboard-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(store_engine: sa.Engine) -> Iterator[str]:
    """The dashboard in public mode: the read-only pages need no sign-in."""
    with _serving(store_engine, public=True) as url:
        yield url


@pytest.fixture(scope="session")
def private_base_url(store_engine: sa.Engine) -> Iterator[str]:
    """The dashboard as it is served by default: every page needs sign-in."""
    with _serving(store_engine, public=False) as url:
        yield url


def signed_in(page, role: str) -> None:
    """Sign ``page``'s browser in as the test user with ``role``, through the sign-in form."""
    from tests.dashboard.signing_in import NAMES, PASSWORD

    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Name").fill(NAMES[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#sign-in-button").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing_browser(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - playwright is a dev dependency
        _missing_browser(f"Playwright is not installed: {error}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as error:
        playwright.stop()
        _missing_browser(f"Chromium at {CHROMIUM} would not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


def _is_page_not_found(message) -> bool:
    """The browser logs the 404 status of an unknown page's own address as an error; that is expected."""
    path = urlparse(message.location.get("url", "")).path
    return "status of 404" in message.text and not path.startswith(("/_dash", "/assets", "/_favicon"))


@pytest.fixture
def page(browser, base_url: str):
    """A fresh desktop-size tab on the public server; fails the test if the page logs a JavaScript error."""
    yield from _tab(browser, base_url)


@pytest.fixture
def private_page(browser, private_base_url: str):
    """A fresh desktop-size tab on the server that needs sign-in; fails on a JavaScript error."""
    yield from _tab(browser, private_base_url)


def _tab(browser, base_url: str, *, enforce_csp: bool = False):
    """A tab that fails its test on a JavaScript error. The dashboard's content security policy forbids
    evaluating strings as code, which Playwright's ``wait_for_function`` does in the page, so these tabs
    bypass the policy unless ``enforce_csp`` (``test_security.py`` checks every page under it)."""
    context = browser.new_context(
        viewport=DESKTOP, base_url=base_url, locale="en-GB", bypass_csp=not enforce_csp
    )
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not _is_page_not_found(message)
            else None
        ),
    )
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("KPI_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nScreenshots: {folder}")
    return folder
