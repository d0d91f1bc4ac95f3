"""``python -m bench``: build the national store, measure every page and the import, write the results.

See README.md ("Benchmark") for what is measured. On PostgreSQL (``--database-url``) the benchmark works in
a database of its own on that server, created at the start and dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import fingertips, measure, naive, national, report
from data.db import make_engine

HERE = Path(__file__).parent
IMPORT_ROWS = 1_000_000
PILOT_ROWS = 10_000


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the national store (8.2 million rows).")
    parser.add_argument(
        "--database-url",
        default=None,
        help="A PostgreSQL server to use (the bench makes a database of its own on it); default DuckDB.",
    )
    parser.add_argument("--repeats", type=int, default=10, help="Timed calls per page and reference.")
    parser.add_argument(
        "--page-budget",
        type=float,
        default=60.0,
        help="Seconds of repeats per page; a slower page is timed fewer times (at least 3).",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--import-rows", type=int, default=None, help="Default 1,000,000 × scale.")
    parser.add_argument(
        "--import-budget",
        type=float,
        default=180.0,
        help="Seconds the import may take; a slower one is timed on as many rows as fit.",
    )
    parser.add_argument("--output", type=Path, default=HERE, help="Where results.json and RESULTS.md go.")
    parser.add_argument("--note", default="", help="Said beside the machine in the results (e.g. 'busy').")
    return parser.parse_args(argv)


@contextmanager
def _store_url(database_url: str | None, folder: Path) -> Iterator[str]:
    """The URL of the store to build: a DuckDB file in ``folder``, or a new database on the PostgreSQL
    server of ``database_url`` (dropped afterwards)."""
    if not database_url:
        yield f"duckdb:///{folder / 'national.duckdb'}"
        return
    url = sa.make_url(database_url)
    name = f"{url.database or 'kpi'}_bench_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _environment(url: str) -> dict[str, str]:
    return {**os.environ, "KPI_DATABASE_URL": url, "KPI_PUBLIC": "1", "KPI_SECRET_KEY": "benchmark only"}


def cold_start(url: str, scenario: measure.Scenario) -> dict[str, Any]:
    """Start a fresh process on the store and measure its first page and peak memory (see bench.probe)."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", repr(started), scenario.area, scenario.indicator],
        capture_output=True,
        text=True,
        env=_environment(url),
        cwd=HERE.parent,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "the probe failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_calls(calls: dict[str, Any], repeats: int, budget: float) -> dict[str, dict]:
    """Each call's timing summary, or the error it raised (the others are still measured)."""
    found: dict[str, dict] = {}
    for name, call in calls.items():
        try:
            found[name] = measure.summary(measure.timed(call, repeats, budget))
        except Exception as error:
            found[name] = {"note": f"failed: {type(error).__name__}: {error}"}
        print(f"  {name:<22} {json.dumps(found[name])}", flush=True)
    return found


def committee_pack(url: str, folder: Path, repeats: int, budget: float) -> dict[str, Any]:
    """Time ``kpi report --output pack.pdf`` as a command, start-up included, if this release has it (each
    run is a cold process, so there is no warm-up: up to ``repeats`` runs, no more once they have taken
    ``budget`` seconds); skipped with a note otherwise."""
    from kpi import cli

    if "report" not in cli.commands:
        return {"note": "skipped: this release has no `kpi report` command"}
    command = [sys.executable, "kpi.py", "report", "--output", str(folder / "pack.pdf")]

    def run() -> None:
        done = subprocess.run(
            command, capture_output=True, text=True, env=_environment(url), cwd=HERE.parent, check=False
        )
        if done.returncode != 0:
            raise RuntimeError((done.stderr or done.stdout).strip()[-300:])

    times: list[float] = []
    try:
        while len(times) < repeats and sum(times) / 1000 <= budget:
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return measure.summary(times)
    except RuntimeError as error:
        return {"note": f"`kpi report` failed: {error}"}


def _cli_import(url: str, path: Path) -> float:
    """Seconds ``kpi import`` takes to load ``path`` into the store at ``url``."""
    from click.testing import CliRunner

    from kpi import cli

    start = time.perf_counter()
    outcome = CliRunner().invoke(cli, ["import", str(path), "--by", "benchmark"], env=_environment(url))
    seconds = time.perf_counter() - start
    if outcome.exit_code != 0:
        raise RuntimeError(outcome.output.strip()[-500:] or repr(outcome.exception))
    return seconds


def _observations(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM observations")).scalar_one()


def import_figures(engine: sa.Engine, url: str, folder: Path, rows: int, budget: float) -> dict[str, Any]:
    """Import a Fingertips export of ``rows`` rows through ``kpi import`` and compare with DuckDB's read_csv.

    A pilot of :data:`PILOT_ROWS` other rows is imported first; if its speed says the whole file would take
    longer than ``budget`` seconds, the import is timed on the first rows of the file that fit, and the note
    says so (with the estimate for the whole file)."""
    export, pilot = folder / "fingertips_export.csv", folder / "fingertips_pilot.csv"
    rows = fingertips.write_export(engine, export, rows)
    pilot_rows = fingertips.write_export(engine, pilot, min(PILOT_ROWS, max(100, rows // 20)), skip=rows)
    read_csv = fingertips.read_csv_seconds(export)
    before = _observations(engine)
    pilot_seconds = _cli_import(url, pilot)
    pilot_rate = pilot_rows / pilot_seconds
    note = ""
    timed_file, timed_rows = export, rows
    if rows / pilot_rate > budget:
        timed_rows = max(pilot_rows, int(pilot_rate * budget * 0.8))
        timed_file = folder / "fingertips_slice.csv"
        fingertips.write_export(engine, timed_file, timed_rows)
        note = (
            f"The pilot import ran at {pilot_rate:,.0f} rows/s, so all {rows:,} rows would take about "
            f"{rows / pilot_rate / 60:,.0f} minutes; the import was timed on the file's first "
            f"{timed_rows:,} rows to keep the run within its budget ({budget:.0f} s)."
        )
    seconds = _cli_import(url, timed_file)
    added = _observations(engine) - before
    if added != pilot_rows + timed_rows:
        note += f" The import stored {added - pilot_rows:,} of the {timed_rows:,} rows."
    return {
        "rows": timed_rows,
        "file_rows": rows,
        "seconds": seconds,
        "rows_per_second": timed_rows / seconds,
        "pilot_rows": pilot_rows,
        "pilot_rows_per_second": pilot_rate,
        "read_csv_seconds": read_csv,
        "read_csv_rows_per_second": rows / read_csv,
        "over_read_csv": (rows / read_csv) / (timed_rows / seconds),
        "note": note.strip(),
    }


def _machine(note: str) -> dict[str, Any]:
    return {
        "description": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "cpus": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 1),
        "note": note or "shared with other work",
    }


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark; returns the results (also written to ``arguments.output``)."""
    machine = _machine(arguments.note)
    results: dict[str, Any] = {"started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    rows = arguments.import_rows or max(1_000, round(IMPORT_ROWS * arguments.scale))
    with (
        tempfile.TemporaryDirectory(prefix="kpi-bench-") as work,
        _store_url(arguments.database_url, Path(work)) as url,
    ):
        folder = Path(work)
        engine = make_engine(url)
        print(f"Building the national store (scale {arguments.scale}) in {engine.dialect.name}…", flush=True)
        store = national.build_store(engine, scale=arguments.scale, seed=arguments.seed)
        store.pop("area_codes")
        store["database"] = "PostgreSQL" if engine.dialect.name == "postgresql" else "DuckDB"
        print(
            f"  {store['observations']:,} observations in {store['observations_seconds']:.0f} s", flush=True
        )
        scenario = measure.choose_scenario(engine)
        engine.dispose()
        print("Cold start and memory in a fresh process…", flush=True)
        results["cold_start"] = cold_start(url, scenario)
        print(f"  {json.dumps(results['cold_start'])}", flush=True)
        engine = make_engine(url)
        app = measure.uncached_app(engine)
        print("Pages (uncached):", flush=True)
        pages = time_calls(measure.page_calls(app, scenario), arguments.repeats, arguments.page_budget)
        print("Floors (plain SQL):", flush=True)
        floors = time_calls(measure.floor_calls(engine, scenario), arguments.repeats, arguments.page_budget)
        print("Naive baseline (the pages fed from the whole table in pandas):", flush=True)
        start = time.perf_counter()
        frame = measure.load_observations(engine)
        load = {
            "seconds": time.perf_counter() - start,
            "rows": len(frame),
            "memory_mb": frame.memory_usage(deep=True).sum() / 2**20,
        }
        held = naive.HeldTable(frame, engine)
        naive_pages = time_calls(
            naive.naive_page_calls(app, scenario, held), arguments.repeats, arguments.page_budget
        )
        print("Rows only (the same table, filtered to the floor's rows):", flush=True)
        row_calls = measure.row_filter_calls(frame, measure.catalogue_frame(engine), scenario)
        rows_only = time_calls(row_calls, arguments.repeats, arguments.page_budget)
        del frame, held
        print("Committee pack:", flush=True)
        pages["committee_pack"] = committee_pack(url, folder, arguments.repeats, arguments.page_budget)
        print(f"  {json.dumps(pages['committee_pack'])}", flush=True)
        print(f"Import of {rows:,} Fingertips rows…", flush=True)
        try:
            imported = import_figures(engine, url, folder, rows, arguments.import_budget)
        except RuntimeError as error:
            imported = {"note": f"failed: {error}"}
        print(f"  {json.dumps(imported)}", flush=True)
        engine.dispose()
    machine["load_after"] = round(os.getloadavg()[0], 1)
    results.update(
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        machine=machine,
        store=store,
        scenario=scenario.__dict__,
        repeats=arguments.repeats,
        page_budget=arguments.page_budget,
        pages=pages,
        floors=floors,
        naive=naive_pages,
        rows_only=rows_only,
        naive_load=load,
        ratios=report.ratios(pages, floors, naive_pages, rows_only),
        bench_peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **{"import": imported},
    )
    return results


def main(argv: list[str] | None = None) -> None:
    arguments = _arguments(argv)
    start = time.perf_counter()
    results = run(arguments)
    results["total_seconds"] = time.perf_counter() - start
    data, table = report.write(results, arguments.output)
    print()
    print(report.markdown(results))
    print(f"Whole run: {results['total_seconds'] / 60:.1f} minutes. Written {data} and {table}.")


if __name__ == "__main__":
    main()
