"""Shared fixtures: fresh in-memory stores, and the same store on PostgreSQL when one is available.

PostgreSQL tests use ``KPI_TEST_POSTGRES_URL`` (default: the local server's ``test`` database). Without a
server they skip with the reason, unless ``KPI_REQUIRE_POSTGRES=1`` (set by CI), when they fail instead.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from data import schema
from data.db import make_engine
from data.seed import seed_reference

POSTGRES_URL = os.environ.get("KPI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_engine() -> sa.Engine:
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        reason = f"PostgreSQL is not reachable at {POSTGRES_URL.split('@')[-1]}: {error.orig}"
        if os.environ.get("KPI_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return engine


@pytest.fixture
def empty_store() -> sa.Engine:
    """A new in-memory DuckDB database with no tables."""
    engine = make_engine("duckdb:///:memory:")
    yield engine
    engine.dispose()


@pytest.fixture
def store(empty_store: sa.Engine) -> sa.Engine:
    """A new in-memory DuckDB store holding the shipped areas, frameworks, indicators and targets."""
    seed_reference(empty_store)
    return empty_store


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest) -> sa.Engine:
    """The reference-seeded store on each supported database: DuckDB in memory, then PostgreSQL."""
    if request.param == "duckdb":
        engine = make_engine("duckdb:///:memory:")
    else:
        engine = _postgres_engine()
        schema.metadata.drop_all(engine)
    seed_reference(engine)
    yield engine
    if request.param == "postgresql":
        schema.metadata.drop_all(engine)
    engine.dispose()
