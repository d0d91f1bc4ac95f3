"""Connecting to the indicator store.

The store is any SQLAlchemy database named by ``KPI_DATABASE_URL``: an embedded DuckDB file by default
(``duckdb:///data/hcp_outcomes.duckdb`` beside this package), or PostgreSQL
(``postgresql+psycopg://user@host/db``) for a multi-user deployment. Everything else in the product takes
an ``Engine`` so the same code runs on both.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import sqlalchemy as sa

DATA_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_FILE = DATA_DIR / "hcp_outcomes.duckdb"
DATABASE_URL_VARIABLE = "KPI_DATABASE_URL"


def database_url() -> str:
    """The database URL in force: ``KPI_DATABASE_URL`` if set, else the bundled DuckDB file."""
    return os.environ.get(DATABASE_URL_VARIABLE) or f"duckdb:///{DEFAULT_DATABASE_FILE}"


def make_engine(url: str | None = None, *, read_only: bool = False) -> sa.Engine:
    """A new engine for ``url`` (default :func:`database_url`).

    An in-memory DuckDB database exists only inside one connection, so its engine shares a single
    connection (tests use this); a DuckDB file or PostgreSQL uses SQLAlchemy's ordinary pool.
    ``read_only`` opens a DuckDB file for reading only, so that several dashboard processes can share it
    (DuckDB lets one process write a file, or many read it); it does not apply to PostgreSQL, where the
    server manages concurrent users.
    """
    url = url or database_url()
    if url in ("duckdb://", "duckdb:///:memory:"):
        return sa.create_engine(url, poolclass=sa.pool.StaticPool)
    if url.startswith("duckdb"):
        return sa.create_engine(url, connect_args={"read_only": True} if read_only else {})
    return sa.create_engine(url, pool_pre_ping=True)


@cache
def get_engine(url: str | None = None, *, read_only: bool = False) -> sa.Engine:
    """The process-wide engine for ``url`` (default :func:`database_url`), created once per mode."""
    return make_engine(url or database_url(), read_only=read_only)


def is_locked_error(error: BaseException) -> bool:
    """True when ``error`` says another process holds the DuckDB file (e.g. a running dashboard)."""
    return "Could not set lock on file" in str(error)
