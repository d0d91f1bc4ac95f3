"""Measure how long the store takes to build, to import, and to answer the dashboard's queries.

Run with ``make bench-small`` (or ``uv run python scripts/benchmark.py [DATABASE_URL]``). Builds a fresh store
from the shipped catalogue and bundled data — a DuckDB file in a temporary folder, or the empty PostgreSQL
database named on the command line, whose tables it drops first — times each import (rows per second),
re-imports everything (which should change nothing), then times the dashboard's main queries for each local
area. Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from data import queries, schema
from data.areas import LOCAL_AREAS
from data.db import make_engine
from data.importers.pipeline import import_file
from data.scorecard import scorecard
from data.seed import bundled_files, seed_reference


def _timed(function, repeat: int = 5) -> tuple[float, float]:
    """Median and worst wall-clock milliseconds of ``repeat`` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = sys.argv[1] if len(sys.argv) > 1 else f"duckdb:///{Path(folder) / 'bench.duckdb'}"
        engine = make_engine(url)
        schema.metadata.drop_all(engine)
        print(f"Store: {engine.dialect.name}")
        start = time.perf_counter()
        seed_reference(engine)
        reference_seconds = time.perf_counter() - start

        results = [import_file(engine, path, imported_by="benchmark") for path in bundled_files()]
        rows = sum(r.rows_read for r in results)
        import_seconds = sum(r.seconds for r in results)
        print(f"Reference data (schema, areas, catalogue, targets): {reference_seconds:.2f} s")
        print(
            f"First import of {len(results)} bundled files: {rows:,} rows in {import_seconds:.2f} s "
            f"= {rows / import_seconds:,.0f} rows/s"
        )
        biggest = max(results, key=lambda r: r.rows_read)
        print(
            f"  largest file {biggest.file_name}: {biggest.rows_read:,} rows in {biggest.seconds:.2f} s "
            f"= {biggest.rows_read / biggest.seconds:,.0f} rows/s"
        )
        print(f"Store built in {reference_seconds + import_seconds:.2f} s")

        again = [import_file(engine, path, imported_by="benchmark") for path in bundled_files()]
        changed = sum(r.rows_new + r.rows_updated for r in again)
        again_seconds = sum(r.seconds for r in again)
        print(
            f"Re-import of the same files: {changed} rows changed, {again_seconds:.2f} s "
            f"= {rows / again_seconds:,.0f} rows/s"
        )

        print("Queries (median / worst of 5, ms):")
        checks = {
            "indicator catalogue": lambda: queries.indicator_catalogue(engine),
            "areas": lambda: queries.list_areas(engine),
            "data summary": lambda: queries.data_summary(engine),
        }
        for area in LOCAL_AREAS:
            checks[f"latest values {area}"] = lambda a=area: queries.latest_values(engine, a)
            checks[f"scorecard {area}"] = lambda a=area: scorecard(engine, a)
        for name, function in checks.items():
            median, worst = _timed(function)
            print(f"  {name:<32} {median:7.1f} {worst:7.1f}")
        engine.dispose()


if __name__ == "__main__":
    main()
