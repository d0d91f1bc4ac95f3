"""Opening a DuckDB store file: several reads in one block share one opening, and the file is let go at the
end, so another program (the ``kpi`` command) can write it."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa

from data import schema
from data.db import DuckDBFilePool, kept_open, make_engine


def _another_program_can_write(path) -> bool:
    code = f"import duckdb; duckdb.connect({str(path)!r}).execute('CREATE TABLE IF NOT EXISTS t (x INT)')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60).returncode == 0


def test_reads_in_a_block_share_one_opening_and_the_file_is_let_go_after(tmp_path):
    path = tmp_path / "store.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    schema.create_schema(engine)

    with kept_open(engine):
        for _ in range(3):
            with engine.connect() as conn:
                assert conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar() == (
                    schema.SCHEMA_VERSION
                )
        held = DuckDBFilePool._holding.get()
        assert held is not None and len(held) == 1  # one connection holds the file for the block
        assert not _another_program_can_write(path)

    assert DuckDBFilePool._holding.get() is None
    assert _another_program_can_write(path)
    engine.dispose()
