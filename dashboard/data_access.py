"""What the pages read, and the only place they read it: cached calls to :mod:`data.queries`.

Each function asks :mod:`data.queries` (which holds all the SQL) on the engine of the app serving the
request, and caches the result (see :mod:`dashboard.cache`). Pages catch :class:`DataUnavailable` and tell
the reader the figures could not be loaded, rather than failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from flask import current_app, has_app_context
from sqlalchemy.exc import SQLAlchemyError

from dashboard.cache import cache
from data import queries

if TYPE_CHECKING:
    import sqlalchemy as sa

EXTENSION = "hcp_dashboard"


class DataUnavailable(RuntimeError):
    """The store could not be read (not created yet, unreachable, or locked by another process)."""


def engine() -> sa.Engine:
    """The engine of the app serving this request (set by :func:`dashboard.create_app`)."""
    return current_app.extensions[EXTENSION]["engine"]


def _read(function, *args):
    try:
        return function(engine(), *args)
    except SQLAlchemyError as error:
        current_app.logger.exception("Reading the indicator store failed")
        raise DataUnavailable(str(error).splitlines()[0]) from error


@cache.memoize()
def areas() -> pd.DataFrame:
    """Areas in display order: code, name, type, parent_code, is_local."""
    frame = _read(queries.list_areas)
    if "type" not in frame.columns and "area_type" in frame.columns:
        frame = frame.assign(type=frame["area_type"])
    if "is_local" not in frame.columns:
        frame = frame.assign(is_local=False)
    return frame


@cache.memoize()
def frameworks() -> pd.DataFrame:
    return _read(queries.list_frameworks)


@cache.memoize()
def framework_nodes(framework_code: str) -> pd.DataFrame:
    return _read(queries.framework_nodes, framework_code)


@cache.memoize()
def catalogue() -> pd.DataFrame:
    return _read(queries.indicator_catalogue)


@cache.memoize()
def indicator_links() -> pd.DataFrame:
    """Which framework nodes each indicator serves: indicator_code, framework_code, node_code."""
    return _read(queries.indicator_nodes)


@cache.memoize()
def latest_values(area_code: str) -> pd.DataFrame:
    return _read(queries.latest_values, area_code)


@cache.memoize()
def summary() -> dict:
    """indicators, observations, areas (with data) and last_import (a datetime, or None)."""
    return _read(queries.data_summary)


def has_illustrative_indicators() -> bool:
    """Whether the catalogue holds any indicator whose figures are illustrative (True if it cannot tell,
    including outside a request, when Dash checks the layout at start-up)."""
    if not has_app_context():
        return True
    try:
        frame = catalogue()
    except DataUnavailable:
        return True
    return "illustrative" in frame.columns and bool(frame["illustrative"].fillna(False).astype(bool).any())
