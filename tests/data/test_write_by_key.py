"""Writing checked rows by key gives exactly what comparing every row of the file with the store gave.

An import now matches the file's keys against the store in one join there and compares figure by figure only
the rows the store already holds. This test keeps the earlier way, which merged every row of the file with
the stored rows in pandas, as a reference, and holds the two to the same counts, summary, observations,
revisions and rejected rows on a file that mixes every case: figures already stored as they are, changed
figures, rounded copies without their limits and counts (which must not replace the detailed figure), new
figures and rejected rows.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
import sqlalchemy as sa

from data import schema
from data.db import make_engine
from data.importers import bulk, pipeline
from data.importers.pipeline import _as_dates, _describe_again, _key_match, _less_detailed, _same
from data.importers.validate import KEY_FIELDS
from tests.conftest import copy_store
from tests.data.test_bulk_import import _fingertips_file, _store_state


def _write_by_merge(conn: sa.Connection, valid: pd.DataFrame, batch_id: str) -> tuple[int, int, int]:
    """The earlier ``_write``: every row of the file merged with the stored rows of the same keys."""
    if valid.empty:
        return 0, 0, 0
    valid = _as_dates(valid.copy())
    obs = schema.observations
    keys = bulk.stage(conn, valid[list(KEY_FIELDS)], obs)
    existing = _as_dates(bulk.read_frame(conn, sa.select(obs).join(keys, _key_match(obs, keys))))
    bulk.drop(conn, keys)
    merged = valid.merge(existing, on=list(KEY_FIELDS), how="left", suffixes=("", "_old"), indicator=True)
    is_new = merged["_merge"] == "left_only"
    same = ~is_new
    for column in pipeline.VALUE_FIELDS:
        same &= _same(merged[column], merged[f"{column}_old"])
    less_detailed = ~is_new & _less_detailed(merged)
    unchanged = same | less_detailed
    changed = ~is_new & ~unchanged
    _describe_again(conn, merged[same & ~less_detailed])
    if changed.any():
        replaced = bulk.stage(conn, merged.loc[changed, list(KEY_FIELDS)], obs)
        kept = [c.name for c in obs.columns]
        earlier = sa.select(*obs.c, sa.literal(batch_id).label("replaced_by_batch_id")).join(
            replaced, _key_match(obs, replaced)
        )
        conn.execute(
            schema.observation_revisions.insert().from_select([*kept, "replaced_by_batch_id"], earlier)
        )
        conn.execute(obs.delete().where(sa.exists().where(_key_match(obs, replaced))))
        bulk.drop(conn, replaced)
    to_insert = merged[is_new | changed].copy()
    if not to_insert.empty:
        to_insert["batch_id"] = batch_id
        bulk.insert_frame(conn, obs, to_insert[[c.name for c in obs.columns]])
    return int(is_new.sum()), int(changed.sum()), int(unchanged.sum())


def _mixed_file() -> bytes:
    """Rows 1-600 as first imported, 601-1,200 changed, 1,201-1,500 rounded to one decimal place without
    their limits and counts, 1,501-2,000 new (the first import had 1,500 rows)."""
    first = list(csv.reader(io.StringIO(_fingertips_file(2000).decode())))
    changed = list(csv.reader(io.StringIO(_fingertips_file(2000, seed=8).decode())))
    rows = [first[0]]
    for number in range(1, 2001):
        row = list(changed[number] if 600 < number <= 1200 else first[number])
        if 1200 < number <= 1500 and row[7] != "12%":
            row[7] = f"{float(row[7]):.1f}"
            row[8:12] = ["", "", "", ""]
        rows.append(row)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _imports(engine: sa.Engine) -> list[tuple]:
    found = []
    for content in (_fingertips_file(1500), _mixed_file()):
        result = pipeline.import_bytes(engine, content, "national.csv", imported_by="test")
        found.append((result.rows_new, result.rows_updated, result.rows_unchanged, result.summary()))
    return found


def test_writing_by_key_leaves_the_store_as_merging_every_row_left_it(
    any_store: sa.Engine, reference_store_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _imports(any_store)
    assert [counts[:3] for counts in found] == [(1484, 0, 0), (495, 595, 889)]
    state = _store_state(any_store)
    assert len(state["observation_revisions"]) == 595

    reference = make_engine("duckdb:///:memory:")
    copy_store(reference_store_file, reference)
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_write", _write_by_merge)
        assert _imports(reference) == found
    assert _store_state(reference) == state
    reference.dispose()
