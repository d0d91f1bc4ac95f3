"""Every worker shows new data at once: two dashboard apps ("workers", each with its own in-process cache)
on one store, where a load, a rollback or commentary made through one is what the other shows next; the
data generation is read at most once a second; and, with Redis, two workers share one cache.

The Redis tests use the server at 127.0.0.1:6379 (``KPI_TEST_REDIS_URL``); without one they skip with the
reason, unless ``KPI_REQUIRE_REDIS=1`` (set by CI), when they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from dashboard import cache as dashboard_cache
from dashboard import create_app, data_access
from data import generation
from data.db import make_engine
from data.generation import counted_generation, data_generation
from data.importers.pipeline import import_bytes
from data.importers.readers import sha256_of
from tests.dashboard.pages import by_id, render, text
from tests.data.upload_helpers import ADMIN, CAMBS, OFFICER, provider_codes, return_bytes

REDIS_URL = os.environ.get("KPI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, reference_store_file, tmp_path) -> Iterator[str]:
    """The URL of a reference-seeded store that two engines can open: a DuckDB file, or PostgreSQL."""
    if request.param == "duckdb":
        path = tmp_path / "shared.duckdb"
        path.write_bytes(reference_store_file.read_bytes())
        yield f"duckdb:///{path}"
    else:
        engine = request.getfixturevalue("postgres_server").fresh_store()
        yield engine.url.render_as_string(hide_password=False)
        engine.dispose()


def _worker(url: str, cache_config: dict | None = None):
    """A dashboard app on its own engine for ``url``, as one gunicorn worker would be."""
    return create_app(make_engine(url), cache_config=cache_config or {"CACHE_TYPE": "SimpleCache"})


@pytest.fixture
def workers(store_url) -> Iterator[tuple]:
    first, second = _worker(store_url), _worker(store_url)
    yield first, second
    for app in (first, second):
        app.server.extensions[data_access.EXTENSION]["engine"].dispose()


def _figures_held(app) -> str:
    return text(by_id(render(app, "/about"), "key-figure-observations"))


def _load_through(app, rows: list[list[object]], name: str = "return.csv"):
    content = return_bytes(rows)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        return data_access.load_upload(OFFICER, content, name, sha256_of(content))


def _no_delay(monkeypatch) -> None:
    """Read the generation at every cached read, so a test need not wait out the second."""
    monkeypatch.setattr(dashboard_cache, "GENERATION_MAX_AGE", 0.0)


def test_a_load_through_one_worker_shows_at_once_on_the_other(workers, monkeypatch):
    _no_delay(monkeypatch)
    first, second = workers
    assert _figures_held(second) == "0 figures held"
    assert _figures_held(second) == "0 figures held"  # now cached in the second worker
    with first.server.app_context():
        code = provider_codes(data_access.engine())[0]
    loaded = _load_through(first, [[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]])
    assert loaded.rows_new == 1
    assert _figures_held(second) == "1 figure held"
    assert "Latest import:" in text(render(second, "/about"))


def test_a_rollback_and_commentary_through_one_worker_show_at_once_on_the_other(workers, monkeypatch):
    _no_delay(monkeypatch)
    first, second = workers
    with first.server.app_context():
        code = provider_codes(data_access.engine())[0]
    loaded = _load_through(first, [[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]])
    assert _figures_held(second) == "1 figure held"
    with second.server.test_request_context("/quarter"):
        assert data_access.monitoring_commentary(CAMBS) == []
    with first.server.test_request_context("/_dash-update-component", method="POST"):
        assert data_access.roll_back_import(ADMIN, loaded.batch_id) == (1, 0)
        data_access.add_commentary(
            OFFICER,
            indicator_code=code,
            area_code=CAMBS,
            period_label="2025/26 Q1",
            kind="provider",
            text="Two clinics closed in June.",
        )
    assert _figures_held(second) == "0 figures held"
    with second.server.test_request_context("/quarter"):
        assert [c.text for c in data_access.monitoring_commentary(CAMBS)] == ["Two clinics closed in June."]


def test_an_import_from_the_command_line_shows_on_every_worker(workers, store_url, monkeypatch):
    _no_delay(monkeypatch)
    first, second = workers
    assert _figures_held(first) == _figures_held(second) == "0 figures held"
    engine = make_engine(store_url)
    code = provider_codes(engine)[0]
    import_bytes(engine, return_bytes([[code, CAMBS, "2025/26 Q2", 80, 100, "", "", ""]]), "cli.csv")
    engine.dispose()
    assert _figures_held(first) == _figures_held(second) == "1 figure held"


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_generation_is_read_at_most_once_a_second_and_a_change_shows_after_it(workers, monkeypatch):
    first, second = workers
    clock = _Clock()
    monkeypatch.setattr(dashboard_cache.time, "monotonic", clock)
    reads = []
    real = data_access.data_generation
    monkeypatch.setattr(data_access, "data_generation", lambda: reads.append(1) or real())
    for _ in range(5):
        assert _figures_held(second) == "0 figures held"
    assert len(reads) == 1, "five pages within one second read the generation once"
    with first.server.app_context():
        code = provider_codes(data_access.engine())[0]
    _load_through(first, [[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]])
    assert _figures_held(first) == "1 figure held", "the worker that loaded shows it at its next request"
    clock.now += 0.5
    assert _figures_held(second) == "0 figures held", "within the second, the other worker may lag"
    clock.now += 0.6
    assert _figures_held(second) == "1 figure held", "after it, the other worker shows the load"


def test_the_generation_moves_with_every_kind_of_change(store_url):
    engine = make_engine(store_url)
    before = data_generation(engine)
    assert data_generation(engine) == before, "reading changes nothing"
    stamps = _stamps_after_changes(engine, engine)
    assert len({before, *stamps}) == 4
    engine.dispose()


def _stamps_after_changes(writer, reader) -> list[str]:
    """The stamp ``reader`` reads after each of three changes ``writer`` makes: an import, its rollback and
    a commentary."""
    from data.imports import roll_back_batch
    from data.monitoring import add_commentary

    code = provider_codes(writer)[0]
    loaded = import_bytes(writer, return_bytes([[code, CAMBS, "2025/26 Q1", 9, 10, "", "", ""]]), "a.csv")
    stamps = [data_generation(reader)]
    roll_back_batch(writer, loaded.batch_id, ADMIN)
    stamps.append(data_generation(reader))
    add_commentary(
        writer,
        OFFICER,
        indicator_code=code,
        area_code=CAMBS,
        period_label="2025/26 Q1",
        kind="commissioner",
        text="Checked with the provider.",
    )
    stamps.append(data_generation(reader))
    return stamps


@pytest.fixture
def store_file(reference_store_file, tmp_path):
    """A reference-seeded DuckDB store file that several engines can open."""
    path = tmp_path / "settled.duckdb"
    path.write_bytes(reference_store_file.read_bytes())
    return path


def _counting(monkeypatch) -> list[str]:
    """Every time the stamp is counted by a query (the file opened for it), noted in the list returned."""
    counted: list[str] = []
    real = generation.counted_generation
    monkeypatch.setattr(generation, "counted_generation", lambda engine: counted.append("") or real(engine))
    return counted


def test_an_unchanged_store_file_gives_its_stamp_without_being_opened(store_file, monkeypatch):
    monkeypatch.setattr(generation, "SETTLED_SECONDS", 0.0)  # the file's times are trusted at once
    counted = _counting(monkeypatch)
    reader, writer = make_engine(f"duckdb:///{store_file}"), make_engine(f"duckdb:///{store_file}")
    before = data_generation(reader)
    assert data_generation(reader) == data_generation(reader) == before
    assert len(counted) == 1, "the file has not changed: the stamp is counted once"
    *_, after_commentary = stamps = _stamps_after_changes(writer, reader)
    assert len({before, *stamps}) == 4, "each change is seen"
    assert after_commentary == counted_generation(reader)
    for engine in (reader, writer):
        engine.dispose()


def test_a_store_file_changed_within_the_settling_time_is_always_counted(store_file, monkeypatch):
    counted = _counting(monkeypatch)
    engine = make_engine(f"duckdb:///{store_file}")
    changed = max(store_file.stat().st_mtime_ns, store_file.stat().st_ctime_ns)
    settling = int(generation.SETTLED_SECONDS * 1e9)
    assert generation.file_state(store_file, now_ns=changed + settling // 2) is None
    assert generation.file_state(store_file, now_ns=changed + settling) is not None
    data_generation(engine)
    data_generation(engine)
    assert len(counted) == 2, "just written: its times could still match a change to come"
    engine.dispose()


def test_in_memory_stores_are_always_counted(store, monkeypatch):
    counted = _counting(monkeypatch)
    assert data_generation(store) == data_generation(store)
    assert len(counted) == 2


def test_a_store_that_cannot_be_read_keeps_the_pages_working(monkeypatch):
    empty = make_engine("duckdb:///:memory:")  # no tables: the stamp cannot be read
    app = create_app(empty, cache_config={"CACHE_TYPE": "SimpleCache"})
    with app.server.test_request_context("/"):
        assert dashboard_cache.current_generation() == ""
        with pytest.raises(data_access.DataUnavailable):
            data_access.frameworks()
    empty.dispose()


# --- Redis: one cache shared by every worker ---------------------------------------------------------------


@pytest.fixture
def redis_config() -> Iterator[dict]:
    """A RedisCache configuration with a key prefix of this test's own (skips, or fails when
    ``KPI_REQUIRE_REDIS=1``, when Redis is not reachable)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        reason = f"Redis is not reachable at {REDIS_URL}: {error}"
        if os.environ.get("KPI_REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    prefix = f"kpi-test-{uuid.uuid4().hex[:12]}-"
    yield {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    keys = client.keys(prefix + "*")
    if keys:
        client.delete(*keys)
    client.close()


def test_two_workers_share_one_redis_cache_and_a_load_shows_on_both(store_url, redis_config, monkeypatch):
    _no_delay(monkeypatch)
    first, second = _worker(store_url, redis_config), _worker(store_url, redis_config)
    from data import queries

    calls: list[sa.Engine] = []
    real = queries.data_summary
    monkeypatch.setattr(queries, "data_summary", lambda engine: calls.append(engine) or real(engine))
    assert _figures_held(first) == "0 figures held"
    assert _figures_held(second) == "0 figures held"
    assert len(calls) == 1, "the second worker used the result the first put in Redis"
    with first.server.app_context():
        code = provider_codes(data_access.engine())[0]
    _load_through(first, [[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]])
    assert _figures_held(second) == "1 figure held"
    assert _figures_held(first) == "1 figure held"
    assert len(calls) == 2, "after the load the summary was read once more, then shared"
    for app in (first, second):
        app.server.extensions[data_access.EXTENSION]["engine"].dispose()
