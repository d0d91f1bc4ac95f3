"""Downloads of a page's table as it is on screen: ``/download/<table>.csv`` or ``.xlsx`` with the page's own
query string (its filters), written by :mod:`data.exports` with the table's description first.

A page registers a builder (:func:`register_table`) that reads the same query string as the page and returns
the tidy table, its description and a file name; the page links to :func:`download_href` with its current
filters, so the file always holds the rows the page shows. Links, not callbacks: the browser fetches the
file like any other, and the link can be shared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import flask
import pandas as pd
from dash import html

from dashboard import data_access, routes

ROUTE = "/download/<table>.<extension>"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class TableFile:
    """A table to download: the tidy rows, their description (title, area, period, unit, source, licence)
    and the file's name without its extension."""

    frame: pd.DataFrame
    about: Mapping[str, object]
    name: str


Builder = Callable[[Mapping[str, str]], TableFile | None]
_BUILDERS: dict[str, Builder] = {}


def register_table(table: str, builder: Builder) -> None:
    """Offer ``table`` for download: ``builder`` turns the page's query string into the file (None when the
    query names nothing to download)."""
    _BUILDERS[table] = builder


def download_href(table: str, extension: str, filters: Mapping[str, str | None]) -> str:
    """The address of ``table`` as ``extension`` ('csv' or 'xlsx') with the page's ``filters``."""
    return routes.href(f"/download/{table}.{extension}", filters)


def download_links(table: str, filters: Mapping[str, str | None], what: str, id: str) -> html.P:
    """ "Download these indicators (CSV) · (XLSX, with their description)": the two links a page shows."""
    return html.P(
        [
            html.A(
                f"Download {what} (CSV)",
                href=download_href(table, "csv", filters),
                id=f"{id}-csv",
                className="app-link",
            ),
            " ",
            html.A(
                f"Download {what} as a spreadsheet (XLSX)",
                href=download_href(table, "xlsx", filters),
                id=f"{id}-xlsx",
                className="app-link",
            ),
        ],
        className="app-body-s app-table-downloads app-no-print",
        id=id,
    )


def download(table: str, extension: str) -> flask.Response:
    """Serve ``table`` as CSV or XLSX for the query string of the request (404 for anything else)."""
    builder = _BUILDERS.get(table)
    if builder is None or extension not in ("csv", "xlsx"):
        flask.abort(404)
    found = builder({k: v for k, v in flask.request.args.items()})
    if found is None:
        flask.abort(404)
    name = f"{found.name}.{extension}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if extension == "csv":
        body = data_access.frame_csv(found.frame, found.about)
        return flask.Response(body, mimetype="text/csv", headers=headers)
    return flask.Response(
        data_access.table_workbook(found.frame, found.about), mimetype=XLSX_TYPE, headers=headers
    )


def register_routes(server: flask.Flask) -> None:
    """Add the download route to ``server``."""
    server.add_url_rule(ROUTE, "table_download", download, methods=["GET"])
