"""Every page's path and title, and the links between pages: the one place a path is written down.

Pages register with these paths and titles; any page that links to another builds the link here, with the
view's filters in the query string (:mod:`dashboard.urlstate`), so a path changes in one place only.
"""

from __future__ import annotations

from collections.abc import Mapping

import dash

from dashboard import urlstate
from data import access

SERVICE_NAME = "Healthy Child Programme outcomes"

SCORECARD = "/"
SUMMARY = "/summary"
AREAS_TABLE = "/areas-table"
PAYMENT = "/payment"
EXCEPTIONS = "/exceptions"
QUARTER = "/quarter"
MEETING = "/meeting"
UPLOAD = "/upload"
IMPORTS = "/imports"
ABOUT = "/about"
DATA_SOURCES = "/data-sources"
CATALOGUE = "/indicators"
ACCESSIBILITY = "/accessibility"
NOT_FOUND = "/404"
INDICATOR_TEMPLATE = "/indicator/<code>"

TITLES = {
    SCORECARD: "Scorecard",
    SUMMARY: "Summary",
    AREAS_TABLE: "Areas table",
    PAYMENT: "Performance-linked payment",
    EXCEPTIONS: "Exceptions",
    QUARTER: "Quarter view",
    MEETING: "Meeting mode",
    UPLOAD: "Load data",
    IMPORTS: "Import history",
    ABOUT: "About this dashboard",
    DATA_SOURCES: "Data sources",
    CATALOGUE: "Indicators not in a framework",
    ACCESSIBILITY: "Accessibility statement",
    NOT_FOUND: "Page not found",
}
"""Each fixed page's name, as its heading and navigation use it."""

NAVIGATION = (
    ("Scorecard", SCORECARD),
    ("Summary", SUMMARY),
    ("Areas table", AREAS_TABLE),
    ("Payment", PAYMENT),
    ("Exceptions", EXCEPTIONS),
    ("Quarter", QUARTER),
    ("Meeting mode", MEETING),
    ("Load data", UPLOAD),
    ("Import history", IMPORTS),
    ("About", ABOUT),
)
"""Navigation in order; an entry appears only when a page is registered at its path, and only to a user who
may use the page (:data:`PERMISSIONS`). The data sources and the accessibility statement are linked from
every page's footer, as GOV.UK services link them, so that an administrator's menu fits on one line at a
1366-pixel-wide screen."""

PERMISSIONS = {
    UPLOAD: access.IMPORT_DATA,
    IMPORTS: access.IMPORT_DATA,
}
"""The pages only some roles may use, with the permission each needs (officers and administrators load data
and check the import history; a viewer may neither load nor roll back, so sees neither page). Navigation
links to them only for a user with the permission; each page refuses anyone else itself."""


def may_use(user: access.User, path: str) -> bool:
    """True when ``user`` may use the page at ``path`` (every page not in :data:`PERMISSIONS`)."""
    permission = PERMISSIONS.get(path)
    return permission is None or access.can(user, permission)


def page_title(name: str) -> str:
    """The browser title for a page: "Scorecard – Healthy Child Programme outcomes"."""
    return f"{name} – {SERVICE_NAME}"


def href(path: str, filters: Mapping[str, str | None] | None = None, *, fragment: str = "") -> str:
    """A link to ``path`` under the app's prefix, with ``filters`` in the query string: "/?area=E06000031"."""
    link = dash.get_relative_path(path) + urlstate.build(filters or {})
    return f"{link}#{fragment}" if fragment else link


def indicator_path(code: str) -> str:
    """The path of an indicator's page: "/indicator/hv-new-birth-visit-14d"."""
    return f"/indicator/{code}"


def indicator_href(code: str, filters: Mapping[str, str | None] | None = None) -> str:
    """A link to an indicator's page for the view in ``filters`` (area, view, ci)."""
    return href(indicator_path(code), filters)
