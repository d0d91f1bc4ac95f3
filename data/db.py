"""Connecting to the indicator store.

The store is any SQLAlchemy database named by ``KPI_DATABASE_URL``: an embedded DuckDB file by default
(``duckdb:///data/hcp_outcomes.duckdb`` beside this package), or PostgreSQL
(``postgresql+psycopg://user@host/db``) for a multi-user deployment. Everything else in the product takes
an ``Engine`` so the same code runs on both.

DuckDB locks its file for as long as a connection is open, and a read-write connection in one process
blocks every other process, even from reading. So a DuckDB file is opened per use and closed straight after
(no connection pool, see :class:`DuckDBFilePool`), and an open that finds the file locked tries again for up
to :data:`LOCK_WAIT_SECONDS`, so that the dashboard and the ``kpi`` command take turns rather than fail.

Opening the file from cold costs 15 ms on a quiet machine and 60-250 ms on a busy one, while a connection
to a file this process already has open costs under a millisecond. So work that reads several times in a
row (one scorecard, one page request) holds the file open for its duration with :func:`kept_open`: the
first read opens it, the rest join it (taking up the connections earlier reads finished with, rather than
a new one each), and it is closed when the work is done.

The dashboard's requests come in bursts (a page and its callbacks, a reader going from page to page), and
each closing and reopening cost a request 25-30 ms on the national store, plus reading from the file again
what DuckDB had in memory (a scorecard's figures: 11 ms from a fresh opening, 3 ms from one already open).
So the dashboard's hold (``kept_open(engine, linger=True)``) keeps the file open for
:data:`LINGER_SECONDS` after its request ends, for the next request to take up; the file is let go once
the dashboard has been idle that long. A hold taken up again and again is let go at the end of the first
request after it has been open for :data:`HOLD_LIMIT_SECONDS`, so that however busy the dashboard, the
``kpi`` command, trying every :data:`LOCK_RETRY_SECONDS` for up to :data:`LOCK_WAIT_SECONDS`, finds the
file free between two requests, as it did when every request closed it.

DuckDB on its own may use 80% of the machine's memory and every core, however many workers share the
machine. ``KPI_DUCKDB_MEMORY_LIMIT`` and ``KPI_DUCKDB_THREADS`` lower either for a store file; beyond the
memory limit DuckDB works through temporary files beside the store where it can. No limit is set unless
asked for: a store's primary-key index must fit in memory while rows are written, and on a national store
(8 million figures) it needs more than 1 GB, so a default limit of 1 GB made such imports fail.
"""

from __future__ import annotations

import atexit
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa

DATA_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_FILE = DATA_DIR / "hcp_outcomes.duckdb"
DATABASE_URL_VARIABLE = "KPI_DATABASE_URL"
IN_MEMORY_URLS = ("duckdb://", "duckdb:///:memory:")

# How long opening a DuckDB file waits for another process to close it, and how often it tries.
LOCK_WAIT_SECONDS = 5.0
LOCK_RETRY_SECONDS = 0.05
# How long the dashboard keeps a DuckDB file open after a request, for the next one, and for how long one
# opening may be taken up so before it is let go between two requests (see the module's notes).
LINGER_SECONDS = 2.0
HOLD_LIMIT_SECONDS = 3.0

# DuckDB's own settings for a store file (see the module's notes).
DUCKDB_MEMORY_LIMIT_VARIABLE = "KPI_DUCKDB_MEMORY_LIMIT"
DUCKDB_THREADS_VARIABLE = "KPI_DUCKDB_THREADS"


@dataclass
class _Held:
    """A DuckDB file held open by :func:`kept_open`: the connection holding it, and the connections the
    block's reads have finished with, which its next reads take up again rather than open anew."""

    holder: Any
    idle: list[sa.pool.ConnectionPoolEntry] = field(default_factory=list)
    opened_at: float = field(default_factory=time.monotonic)

    def close(self) -> None:
        for record in self.idle:
            record.close()
        self.holder.close()


class DuckDBFilePool(sa.pool.NullPool):
    """No connections kept between uses, and one thread at a time opening or closing one.

    The connections one process has to a DuckDB file share one database, which DuckDB shuts down when the
    last of them closes; a thread opening the file while another is shutting it down fails ("Unique file
    handle conflict"). Taking turns avoids that: an open either joins the database still in use or starts
    it afresh once the shutdown has finished.

    Inside :func:`kept_open` a connection given back is kept for the block's next read (rolled back, as
    any pool's is), as an ordinary pool keeps it, and closed when the block ends.
    """

    _turns = threading.RLock()
    _holding: ContextVar[dict[sa.pool.Pool, _Held] | None] = ContextVar("duckdb_files_held", default=None)
    """Inside :func:`kept_open`: for each file read so far in the block, what holds it open; None outside."""

    def _do_get(self) -> sa.pool.ConnectionPoolEntry:
        with self._turns:
            held = self._holding.get()
            if held is not None:
                if self not in held:
                    held[self] = _Held(self._creator())  # type: ignore[call-arg]
                elif held[self].idle:
                    return held[self].idle.pop()
            return super()._do_get()

    def _do_return_conn(self, record: sa.pool.ConnectionPoolEntry) -> None:
        with self._turns:
            held = self._holding.get()
            if held is not None and self in held and record.dbapi_connection is not None:
                held[self].idle.append(record)
                return
            super()._do_return_conn(record)

    _lingering: ClassVar[dict[sa.pool.Pool, tuple[_Held, threading.Timer]]] = {}
    """Files kept open after a block with ``linger``, each with the timer that lets it go."""

    def _take_lingering(self) -> _Held | None:
        """What keeps this pool's file open since an earlier block, taken over (its timer stopped), if any."""
        with self._turns:
            found = self._lingering.pop(self, None)
        if found is None:
            return None
        found[1].cancel()
        return found[0]

    def _linger(self, held: _Held) -> None:
        """Keep ``held`` open for :data:`LINGER_SECONDS`, then let it go, unless a block takes it up first.
        One is kept per file: another block's, ending at the same time, is closed (the file stays open)."""
        with self._turns:
            if self in self._lingering:
                held.close()
                return
            timer = threading.Timer(LINGER_SECONDS, self._let_go, args=(held,))
            timer.daemon = True
            self._lingering[self] = (held, timer)
            timer.start()

    def _let_go(self, held: _Held) -> None:
        """Close ``held`` if it is still the one kept for this pool (not taken up since)."""
        with self._turns:
            found = self._lingering.get(self)
            if found is not None and found[0] is held:
                del self._lingering[self]
                held.close()

    @classmethod
    def let_go_all(cls) -> None:
        """Close every file kept open after a block now (at exit, and for a caller about to replace one)."""
        with cls._turns:
            kept = list(cls._lingering.values())
            cls._lingering.clear()
            for held, timer in kept:
                timer.cancel()
                held.close()


atexit.register(DuckDBFilePool.let_go_all)


@contextmanager
def kept_open(engine: sa.Engine, *, linger: bool = False) -> Iterator[None]:
    """Within the block, a DuckDB file is opened at most once: the first read opens it and holds it open,
    later reads join it, taking up the connections earlier reads finished with (see the module's notes),
    and all are closed at the end. With ``linger`` (the dashboard's requests), a file kept open after an
    earlier such block is taken up, and this block's is kept open for :data:`LINGER_SECONDS` after it
    rather than closed, unless it has been open for :data:`HOLD_LIMIT_SECONDS`. Elsewhere (PostgreSQL, an
    in-memory database, which already keep their connections) it does nothing."""
    pool = engine.pool
    if not isinstance(pool, DuckDBFilePool) or DuckDBFilePool._holding.get() is not None:
        yield
        return
    held: dict[sa.pool.Pool, _Held] = {}
    taken = pool._take_lingering() if linger else None
    if taken is not None:
        held[pool] = taken
    token = DuckDBFilePool._holding.set(held)
    try:
        yield
    finally:
        DuckDBFilePool._holding.reset(token)
        for kept_pool, kept in held.items():
            fresh = time.monotonic() - kept.opened_at < HOLD_LIMIT_SECONDS
            if linger and fresh and isinstance(kept_pool, DuckDBFilePool):
                kept_pool._linger(kept)
            else:
                with DuckDBFilePool._turns:
                    kept.close()


def database_url() -> str:
    """The database URL in force: ``KPI_DATABASE_URL`` if set, else the bundled DuckDB file."""
    return os.environ.get(DATABASE_URL_VARIABLE) or f"duckdb:///{DEFAULT_DATABASE_FILE}"


def make_engine(url: str | None = None, *, read_only: bool = False) -> sa.Engine:
    """A new engine for ``url`` (default :func:`database_url`).

    An in-memory DuckDB database exists only inside one connection, so its engine shares a single
    connection (tests use this). A DuckDB file is opened for each use and closed after it, waiting briefly
    if another process has it open (see the module's notes); ``read_only`` opens it for reading only, so
    that several processes can read it at once (DuckDB lets one process write a file, or many read it). It
    does not apply to PostgreSQL, which uses SQLAlchemy's ordinary pool and manages concurrent users itself.
    """
    url = url or database_url()
    if url in IN_MEMORY_URLS:
        return sa.create_engine(url, poolclass=sa.pool.StaticPool)
    if url.startswith("duckdb"):
        connect_args: dict[str, Any] = {"config": duckdb_config()}
        if read_only:
            connect_args["read_only"] = True
        engine = sa.create_engine(url, poolclass=DuckDBFilePool, connect_args=connect_args)
        sa.event.listen(engine, "do_connect", _connect_waiting_for_lock)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def duckdb_config() -> dict[str, str | int]:
    """DuckDB's settings for a store file: the memory limit and the threads, each only if set (see the
    module's notes). A threads value that is not a whole number above 0 is refused in words."""
    config: dict[str, str | int] = {}
    memory = os.environ.get(DUCKDB_MEMORY_LIMIT_VARIABLE, "").strip()
    if memory:
        config["memory_limit"] = memory
    threads = os.environ.get(DUCKDB_THREADS_VARIABLE, "").strip()
    if threads:
        if not threads.isdigit() or int(threads) < 1:
            raise ValueError(
                f"{DUCKDB_THREADS_VARIABLE} must be a whole number of threads (1 or more), not {threads!r}"
            )
        config["threads"] = int(threads)
    return config


@cache
def get_engine(url: str | None = None, *, read_only: bool = False) -> sa.Engine:
    """The process-wide engine for ``url`` (default :func:`database_url`), created once per mode."""
    return make_engine(url or database_url(), read_only=read_only)


def duckdb_file(url: str) -> Path | None:
    """The file a DuckDB ``url`` names, or None for an in-memory or other database."""
    if url in IN_MEMORY_URLS or not url.startswith("duckdb"):
        return None
    return Path(sa.make_url(url).database or "")


def is_locked_error(error: BaseException) -> bool:
    """True when ``error`` says another process holds the DuckDB file (e.g. a running import)."""
    return "Could not set lock on file" in str(error)


def lock_holder(error: BaseException) -> int | None:
    """The process id DuckDB names as holding the file, if it does."""
    found = re.search(r"\(PID (\d+)\)", str(error))
    return int(found.group(1)) if found else None


def _connect_waiting_for_lock(
    dialect: sa.Dialect, _record: object, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> Any:
    """Open a DuckDB connection, trying again while another process holds the file's lock.

    Called by SQLAlchemy in place of its own connect; the last lock error is raised as it came (SQLAlchemy
    wraps it), so callers see an ordinary database error once :data:`LOCK_WAIT_SECONDS` have passed.
    """
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as error:
            if not is_locked_error(error) or time.monotonic() >= deadline:
                raise
            time.sleep(LOCK_RETRY_SECONDS)
