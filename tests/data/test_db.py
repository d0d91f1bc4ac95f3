"""Opening a DuckDB store file: several reads in one block share one opening, and the file is let go at the
end, so another program (the ``kpi`` command) can write it."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import duckdb
import pytest
import sqlalchemy as sa

from data import db, schema
from data.db import DuckDBFilePool, kept_open, make_engine

VERSION = sa.select(sa.func.max(schema.schema_version.c.version))


def _new_store(tmp_path) -> tuple:
    """(path, engine) of a new store file."""
    path = tmp_path / "store.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    schema.create_schema(engine)
    return path, engine


def _openings(engine: sa.Engine) -> list[object]:
    """The connections the engine opens from now on, as it opens them."""
    opened: list[object] = []
    sa.event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
    return opened


def _another_program_can_write(path) -> bool:
    code = f"import duckdb; duckdb.connect({str(path)!r}).execute('CREATE TABLE IF NOT EXISTS t (x INT)')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60).returncode == 0


def test_reads_in_a_block_share_one_opening_and_the_file_is_let_go_after(tmp_path):
    path, engine = _new_store(tmp_path)

    with kept_open(engine):
        for _ in range(3):
            with engine.connect() as conn:
                assert conn.execute(VERSION).scalar() == schema.SCHEMA_VERSION
        held = DuckDBFilePool._holding.get()
        assert held is not None and len(held) == 1  # one connection holds the file for the block
        assert not _another_program_can_write(path)

    assert DuckDBFilePool._holding.get() is None
    assert _another_program_can_write(path)
    engine.dispose()


def test_reads_in_a_block_take_up_the_connections_earlier_reads_finished_with(tmp_path):
    path, engine = _new_store(tmp_path)
    opened = _openings(engine)

    with kept_open(engine):
        for _ in range(5):
            with engine.connect() as conn:
                assert conn.execute(VERSION).scalar() == schema.SCHEMA_VERSION
        assert len(opened) == 1, "one after another, the reads share one connection"
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x INT)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        with engine.connect() as first, engine.connect() as second:
            assert first.execute(sa.text("SELECT x FROM t")).scalar() == 1, "a write shows to the next read"
            assert second.execute(VERSION).scalar() == schema.SCHEMA_VERSION
        assert len(opened) == 2, "two reads at once have a connection each"
        with engine.connect() as conn:
            conn.execute(sa.text("INSERT INTO t VALUES (2)"))  # left uncommitted: rolled back when given back
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar() == 1

    assert _another_program_can_write(path), "every connection of the block is closed at its end"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar() == 1
    engine.dispose()


def test_the_dashboards_hold_keeps_the_file_open_for_its_next_request_then_lets_it_go(tmp_path, monkeypatch):
    """A request's hold (``linger``) is taken up by the next request within the moment, without opening the
    file again; once the dashboard is idle that long, the file is let go for another program."""
    monkeypatch.setattr(db, "LINGER_SECONDS", 0.3)
    path, engine = _new_store(tmp_path)
    opened = _openings(engine)

    for _ in range(3):
        with kept_open(engine, linger=True), engine.connect() as conn:
            assert conn.execute(VERSION).scalar() == schema.SCHEMA_VERSION
    assert len(opened) == 1, "the first request opens a connection; the next two take it up"
    assert not _another_program_can_write(path), "kept open just after a request"

    deadline = time.monotonic() + 10
    while engine.pool not in DuckDBFilePool._lingering and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert engine.pool not in DuckDBFilePool._lingering
    assert _another_program_can_write(path), "let go once the dashboard has been idle"
    engine.dispose()


def test_a_busy_dashboard_still_lets_the_file_go_between_two_requests(tmp_path, monkeypatch):
    """Requests one after another with no idle moment between them: once the opening they share has been
    held for the limit, it is let go at the end of a request, and a command waiting for the file gets it."""
    monkeypatch.setattr(db, "LINGER_SECONDS", 30)
    monkeypatch.setattr(db, "HOLD_LIMIT_SECONDS", 0.5)
    path, engine = _new_store(tmp_path)
    opened = _openings(engine)
    with kept_open(engine, linger=True), engine.connect() as conn:
        assert conn.execute(VERSION).scalar() == schema.SCHEMA_VERSION
    assert not _another_program_can_write(path), "held for the next request"
    time.sleep(0.6)
    with kept_open(engine, linger=True), engine.connect() as conn:
        assert conn.execute(VERSION).scalar() == schema.SCHEMA_VERSION
    assert len(opened) == 1, "the second request took up the first one's opening"
    assert _another_program_can_write(path), "held past the limit: let go at the end of the request"
    engine.dispose()


def test_requests_side_by_side_let_the_file_go_once_both_are_done(tmp_path, monkeypatch):
    """Two threads' requests overlap, each holding the file; when both have ended and the dashboard is idle,
    nothing they held keeps the file from another program."""
    monkeypatch.setattr(db, "LINGER_SECONDS", 0.3)
    path, engine = _new_store(tmp_path)
    both_inside = threading.Barrier(2)
    answers: list[int] = []

    def request() -> None:
        with kept_open(engine, linger=True), engine.connect() as conn:
            both_inside.wait(timeout=10)
            answers.append(conn.execute(VERSION).scalar())

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [schema.SCHEMA_VERSION] * 2
    assert not _another_program_can_write(path)
    time.sleep(1.0)
    assert _another_program_can_write(path)
    engine.dispose()


def _setting(engine: sa.Engine, name: str) -> str:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT current_setting(:name)"), {"name": name}).scalar_one()


def test_a_store_file_has_duckdbs_own_memory_limit_unless_one_is_set(tmp_path, monkeypatch):
    """No limit is imposed by default: a national store's primary-key index needs more than 1 GB while
    rows are written, and a lower default made such imports fail."""
    monkeypatch.delenv("KPI_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("KPI_DUCKDB_THREADS", raising=False)
    engine = make_engine(f"duckdb:///{tmp_path / 'store.duckdb'}")
    plain = duckdb.connect()
    try:
        own = plain.execute("SELECT current_setting('memory_limit')").fetchone()
    finally:
        plain.close()
    assert own is not None and _setting(engine, "memory_limit") == own[0]
    assert _setting(engine, "memory_limit") != "953.6 MiB"
    engine.dispose()


def test_the_memory_limit_and_threads_are_settings_and_hold_for_a_read_only_opening(tmp_path, monkeypatch):
    path = tmp_path / "store.duckdb"
    schema.create_schema(make_engine(f"duckdb:///{path}"))
    monkeypatch.setenv("KPI_DUCKDB_MEMORY_LIMIT", "512MB")
    monkeypatch.setenv("KPI_DUCKDB_THREADS", "1")
    engine = make_engine(f"duckdb:///{path}", read_only=True)

    assert _setting(engine, "memory_limit") == "488.2 MiB"
    assert _setting(engine, "threads") == 1
    with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError, match="read-only"):
        conn.execute(sa.text("CREATE TABLE t (x INT)"))
    engine.dispose()


def test_a_threads_setting_that_is_not_a_number_is_refused_in_words(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DUCKDB_THREADS", "lots")
    with pytest.raises(ValueError, match="KPI_DUCKDB_THREADS must be a whole number"):
        make_engine(f"duckdb:///{tmp_path / 'store.duckdb'}")
