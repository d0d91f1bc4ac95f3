"""The benchmark's national store at a tiny scale, built once for the benchmark's tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bench import national
from data.db import make_engine

SCALE = 0.02


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[sa.Engine, dict]:
    """The national store at :data:`SCALE` in a DuckDB file, and what building it reported."""
    path = tmp_path_factory.mktemp("national") / "national.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    made = national.build_store(engine, scale=SCALE)
    return engine, made
