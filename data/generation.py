"""The store's data generation: a short stamp that changes whenever anything the dashboard shows changes.

Every change the dashboard caches a view of adds a row to one of a few small tables, and none of these
tables ever loses a row: an import (loaded, rejected or failed) adds a batch, a rollback adds a rollback, a
payment scheme change or an extension decision adds an audit entry, a target change adds a version, and
commentary, remedial actions, their updates and agreed quarters are only ever added (a process change is
added, and withdrawn by marking its row, so its withdrawals are counted too). So the row counts of
these tables, taken together, move with every change, whichever process or worker made it (the web, or the
``kpi`` command line). Reading them is one query over small tables, whose answer the dashboard keeps for at
most a second (:mod:`dashboard.cache`).

On a DuckDB file the query itself takes a few milliseconds, but opening the file for it costs 25-100 ms on a
national store (2 GB), and a page whose results are all cached would open the file for nothing else. Every
committed change to a DuckDB file is written to the file or to its write-ahead log (``<file>.wal``), so while
neither has changed on disk the stamp has not moved either: the files' identity, size and change times are
noted just before each query, and when they are the same at the next reading the stamp is reused without
opening the file. Change times are only trusted once :data:`SETTLED_SECONDS` old, so a write made in the same
clock tick as the note (which might leave the times as they were) cannot be missed: any write after the note
is stamped later than every time noted. In-memory and PostgreSQL stores are always queried.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import sqlalchemy as sa

from data import schema
from data.db import duckdb_file

TABLES = (
    schema.import_batches,
    schema.import_rollbacks,
    schema.audit_log,
    schema.targets,
    schema.commentary,
    schema.remedial_actions,
    schema.remedial_action_updates,
    schema.agreed_periods,
)
"""The tables whose row counts make the stamp: every one only ever gains rows."""


SETTLED_SECONDS = 1.0
"""How long ago a store file must last have changed for its change times to be relied on."""

FileState = tuple[tuple[int, int, int, int] | None, ...]
"""For the store file and its write-ahead log: (inode, size, modified, changed in ns), or None if absent."""

_last_read: dict[Path, tuple[FileState, str]] = {}
"""For each DuckDB store file: its state noted before the stamp was last counted, and that stamp."""


def data_generation(engine: sa.Engine) -> str:
    """The stamp (see :func:`counted_generation`), counted afresh unless the engine's DuckDB file and its
    write-ahead log are unchanged on disk since it was last counted (see the module's notes)."""
    path = duckdb_file(engine.url.render_as_string(hide_password=False))
    state = None if path is None else file_state(path)
    if state is not None and path is not None:
        noted, stamp = _last_read.get(path, (None, ""))
        if noted == state:
            return stamp
    stamp = counted_generation(engine)
    if state is not None and path is not None:
        _last_read[path] = (state, stamp)
    return stamp


def file_state(path: Path, now_ns: int | None = None) -> FileState | None:
    """The store file's and its write-ahead log's identity, size and change times, or None when the file is
    missing or either changed less than :data:`SETTLED_SECONDS` ago (``now_ns``, default the clock)."""
    states: list[tuple[int, int, int, int] | None] = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            found = os.stat(file)
        except FileNotFoundError:
            states.append(None)
            continue
        states.append((found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns))
    if states[0] is None:
        return None
    newest = max(max(state[2], state[3]) for state in states if state is not None)
    now = time.time_ns() if now_ns is None else now_ns
    return tuple(states) if now - newest >= SETTLED_SECONDS * 1e9 else None


def counted_generation(engine: sa.Engine) -> str:
    """The stamp: the row counts of :data:`TABLES`, then the process changes recorded and withdrawn (a
    withdrawal marks its row rather than adding one), joined by dots (e.g. '29.0.4.40.3.1.2.0.1.0').

    The counts are one row each of a ``UNION ALL``, numbered so their order is kept: DuckDB takes tens of
    milliseconds to plan the same counts as scalar subqueries of one row (its planning grows steeply with
    each one), and this query is made at the start of every page that is not cached."""
    changes = schema.process_changes
    counted = [*((table, sa.func.count()) for table in TABLES), (changes, sa.func.count())]
    counted.append((changes, sa.func.count(changes.c.withdrawn_at)))
    parts: list[sa.Select] = [
        sa.select(sa.literal_column(str(place)).label("place"), count.label("rows")).select_from(table)
        for place, (table, count) in enumerate(counted)
    ]
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.union_all(*parts)).tuples().all())
    return ".".join(str(int(rows[place])) for place in range(len(counted)))
