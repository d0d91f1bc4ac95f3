"""Shared fixtures: fresh stores for each test, on DuckDB and, when one is available, PostgreSQL.

Loading the reference data (areas, catalogue, targets, contracts) takes about half a second, so it is done
once per test session (per pytest-xdist worker) and each test gets its own copy: a DuckDB file copied into a
new in-memory database, or a PostgreSQL database created from a seeded template database. One test's
writes are never seen by another.

PostgreSQL tests use the server named by ``KPI_TEST_POSTGRES_URL`` (default: the local server's ``test``
database). They work in databases of their own, named after that database, the xdist worker and a random
suffix (several workers, or several checkouts, may share the server), created on the fly and dropped at the
end. Without a server they skip with the reason, unless ``KPI_REQUIRE_POSTGRES=1`` (set by CI), when they
fail instead.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings

from data.db import make_engine
from data.seed import seed_reference

# Property tests assert answers, not speed (speed is measured by `make bench`): no per-example time limit,
# which a busy machine would trip.
settings.register_profile("kpi", deadline=None)
settings.load_profile("kpi")


# Sessions in tests are signed with a fixed key, so no test writes instance/secret_key into the checkout.
os.environ.setdefault("KPI_SECRET_KEY", "a key for tests only")
# Committee packs built by tests (and their remembered dates) go to a temporary folder, not the checkout.
_PACKS = tempfile.mkdtemp(prefix="kpi-test-packs-")
atexit.register(shutil.rmtree, _PACKS, True)
os.environ.setdefault("KPI_PACK_JOBS", os.path.join(_PACKS, "jobs"))
os.environ.setdefault("KPI_PACK_LOG", os.path.join(_PACKS, "packs.json"))

POSTGRES_URL = os.environ.get("KPI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def reference_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding the shipped reference data, built once per session; copy it, never write it."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    seed_reference(engine)
    engine.dispose()
    return path


def copy_store(source: Path, engine: sa.Engine) -> None:
    """Copy every table of the DuckDB file ``source`` into ``engine``'s in-memory DuckDB database."""
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ATTACH '{source}' AS source (READ_ONLY)")
        conn.exec_driver_sql("COPY FROM DATABASE source TO memory")
    with engine.begin() as conn:
        conn.exec_driver_sql("DETACH source")


@pytest.fixture
def empty_store() -> Iterator[sa.Engine]:
    """A new in-memory DuckDB database with no tables."""
    engine = make_engine("duckdb:///:memory:")
    yield engine
    engine.dispose()


@pytest.fixture
def store(empty_store: sa.Engine, reference_store_file: Path) -> sa.Engine:
    """A new in-memory DuckDB store holding the shipped areas, frameworks, indicators and targets."""
    copy_store(reference_store_file, empty_store)
    return empty_store


class PostgresServer:
    """The test PostgreSQL server: a seeded template database, and a fresh copy of it for each test."""

    def __init__(self, url: str, worker: str) -> None:
        self.url = sa.make_url(url)
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self.name = f"{self.url.database}_{worker}_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.name}_template"

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(statement)

    def engine(self, database: str) -> sa.Engine:
        """An engine on ``database`` of this server."""
        return make_engine(self.url.set(database=database).render_as_string(hide_password=False))

    def create_template(self) -> None:
        """Create the template database and load the reference data into it."""
        self._execute(f'CREATE DATABASE "{self.template}"')
        engine = self.engine(self.template)
        try:
            seed_reference(engine)
        finally:
            engine.dispose()  # a template must have no open connections to be copied

    def fresh_store(self) -> sa.Engine:
        """A new database copied from the template, with an engine on it."""
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        return self.engine(self.name)

    def drop_all(self) -> None:
        """Drop this session's databases."""
        for database in (self.name, self.template):
            self._execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.admin.dispose()


def _unreachable(reason: str) -> None:
    if os.environ.get("KPI_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server(worker_id: str) -> Iterator[PostgresServer]:
    """This session's PostgreSQL databases (skips, or fails on CI, when the server is not reachable)."""
    server = PostgresServer(POSTGRES_URL, worker_id)
    try:
        with server.admin.connect():
            pass
    except sa.exc.OperationalError as error:
        _unreachable(f"PostgreSQL is not reachable at {POSTGRES_URL.split('@')[-1]}: {error.orig}")
    server.create_template()
    yield server
    server.drop_all()


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """The reference-seeded store on each supported database: DuckDB in memory, then PostgreSQL."""
    if request.param == "duckdb":
        engine = make_engine("duckdb:///:memory:")
        copy_store(request.getfixturevalue("reference_store_file"), engine)
    else:
        engine = request.getfixturevalue("postgres_server").fresh_store()
    yield engine
    engine.dispose()
