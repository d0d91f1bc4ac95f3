"""The kpi command: plain summaries, exit codes that scripts can rely on, and sharing the store.

DuckDB lets one process write a file or many read it, and while one process has the file open read-write
no other process can open it at all. The sharing tests start a second Python process that uses the store as
the dashboard does (the app's own engine, one connection per query) or as a running import does (one
read-write connection kept open), and run the command beside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from data import db
from data.cli import OLDER_STORE
from kpi import cli
from tests.data.helpers import EAST_OF_ENGLAND_MH, write_csv

ROOT = Path(__file__).resolve().parents[2]
KPI = str(Path(sys.executable).parent / "kpi")

# A dashboard serving requests without pause: the engine create_app() gives the app, a query per request.
DASHBOARD = """
import sys, time
from pathlib import Path
import sqlalchemy as sa
from dashboard import create_app, data_access
from data import schema

app = create_app(cache_config={"CACHE_TYPE": "NullCache"})
with app.server.app_context():
    engine = data_access.engine()
print("ready", flush=True)
while not Path(sys.argv[1]).exists():
    with engine.connect() as conn:
        conn.execute(sa.select(sa.func.count()).select_from(schema.observations)).scalar()
    time.sleep(0.02)
"""

# An import in progress: one read-write connection, open in a transaction until told to stop.
IMPORT = """
import sys, time
from pathlib import Path
import sqlalchemy as sa
from data.db import make_engine

with make_engine().begin() as conn:
    conn.execute(sa.text("select 1"))
    print("ready", flush=True)
    while not Path(sys.argv[1]).exists():
        time.sleep(0.02)
"""


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference_store_file: Path) -> str:
    """A DuckDB file holding the reference data, named by KPI_DATABASE_URL."""
    path = tmp_path / "store.duckdb"
    shutil.copy(reference_store_file, path)
    url = f"duckdb:///{path}"
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    return url


@contextmanager
def other_process(program: str, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Run ``program`` in another Python process until the block ends; it must then exit cleanly."""
    stop = tmp_path / "stop"
    process = subprocess.Popen(
        [sys.executable, "-c", program, str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", process.stderr.read() if process.stderr else ""
        yield process
    finally:
        stop.touch()
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err


def test_import_reports_rows_and_exits_1_when_rows_were_rejected(database):
    result = CliRunner().invoke(cli, ["import", str(EAST_OF_ENGLAND_MH)])
    assert result.exit_code == 0, result.output
    assert "130 rows read; 130 new, 0 updated, 0 unchanged, 0 rejected" in result.output
    again = CliRunner().invoke(cli, ["import", str(EAST_OF_ENGLAND_MH)])
    assert "0 new, 0 updated, 130 unchanged" in again.output


def _rejected_return(tmp_path: Path) -> Path:
    header = [
        "indicator_code",
        "area_code",
        "period",
        "numerator",
        "denominator",
        "value",
        "provisional",
        "value_note",
    ]
    return write_csv(
        tmp_path / "r.csv", header, [["hv-2-year-review", "E10000003", "2025/26 Q1", 9, 8, "", "", ""]]
    )


def test_rejected_rows_are_listed_with_their_reasons(database, tmp_path):
    result = CliRunner().invoke(cli, ["import", str(_rejected_return(tmp_path))])
    assert result.exit_code == 1
    assert "  1 row rejected: the count is more than the denominator (first at row 2)" in result.output
    batch = result.output.split("kpi rejections ")[1].split()[0]
    listing = CliRunner().invoke(cli, ["rejections", batch])
    assert listing.output == (
        "Row 2 (Cambridgeshire, 2025/26 Q1, count 9, denominator 8): count 9 is more than the denominator 8\n"
    )


def test_an_unreadable_file_exits_2_with_one_message(database, tmp_path):
    (tmp_path / "notes.csv").write_text("colour,shape\nred,square\n")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "notes.csv")])
    assert result.exit_code == 2
    assert "notes.csv: not imported. The file's columns do not match any format we read" in result.output


def test_template_writes_a_blank_return(database, tmp_path):
    result = CliRunner().invoke(cli, ["template", str(tmp_path / "return.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "return.xlsx").stat().st_size > 0


def test_template_needs_no_database(tmp_path, monkeypatch):
    store = tmp_path / "nowhere" / "store.duckdb"
    monkeypatch.setenv("KPI_DATABASE_URL", f"duckdb:///{store}")
    result = CliRunner().invoke(cli, ["template", str(tmp_path / "return.xlsx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "return.xlsx").stat().st_size > 0 and not store.parent.exists()


def test_reading_a_store_not_yet_created_says_to_seed_it(tmp_path, monkeypatch):
    store = tmp_path / "store.duckdb"
    monkeypatch.setenv("KPI_DATABASE_URL", f"duckdb:///{store}")
    for command in (["imports"], ["rejections", "abc"], ["import", str(EAST_OF_ENGLAND_MH)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        assert result.output == "Error: The store has not been created yet: run 'kpi seed' first.\n"
    assert not store.exists()


def test_help_imports_no_database_or_dashboard_library():
    """`kpi --help` answers at once: nothing heavy is imported until a command needs it."""
    program = (
        "import sys, kpi; "
        "print(sorted(m for m in ('pandas', 'sqlalchemy', 'duckdb', 'dash', 'openpyxl') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
    shown = subprocess.run([KPI, "--help"], capture_output=True, text=True, check=False)
    assert shown.returncode == 0 and "serve" in shown.stdout and "template" in shown.stdout


def test_every_command_works_while_the_dashboard_reads_the_store(database, tmp_path):
    with other_process(DASHBOARD, tmp_path):
        imported = CliRunner().invoke(cli, ["import", str(_rejected_return(tmp_path))])
        assert imported.exit_code == 1, imported.output  # loaded, with the one row rejected
        batch = imported.output.split("kpi rejections ")[1].split()[0]
        listing = CliRunner().invoke(cli, ["rejections", batch])
        assert listing.exit_code == 0 and "Row 2 (Cambridgeshire, 2025/26 Q1, count 9" in listing.output
        template = CliRunner().invoke(cli, ["template", str(tmp_path / "return.xlsx")])
        assert template.exit_code == 0, template.output
        recent = subprocess.run([KPI, "imports"], capture_output=True, text=True, check=False, env=os.environ)
        assert recent.returncode == 0 and recent.stderr == ""
        assert f"r.csv: 1 read, 0 new, 0 updated, 1 rejected  [{batch}]" in recent.stdout


def test_a_command_that_cannot_open_the_store_says_so_in_one_line(database, tmp_path, monkeypatch):
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", 0.2)
    with other_process(IMPORT, tmp_path) as importing:
        busy = (
            f"Error: The store is in use by another program (process {importing.pid}), such as an import "
            "still running. Try again when it has finished.\n"
        )
        for command in (["import", str(EAST_OF_ENGLAND_MH)], ["imports"], ["rejections", "abc"]):
            result = CliRunner().invoke(cli, command)
            assert (result.exit_code, result.output) == (3, busy), command
        template = CliRunner().invoke(cli, ["template", str(tmp_path / "return.csv")])
        assert template.exit_code == 0, template.output
        # The installed command, as a person runs it: the same one line on standard error, no traceback.
        real = subprocess.run([KPI, "imports"], capture_output=True, text=True, check=False, env=os.environ)
        assert (real.returncode, real.stdout, real.stderr) == (3, "", busy)


def test_import_says_how_many_rows_were_flagged_and_strict_refuses_them(database, tmp_path):
    header = ["indicator_code", "area_code", "period", "numerator", "denominator", "value"]
    path = write_csv(
        tmp_path / "r.csv", header, [["hv-2-year-review", "E10000003", "2025/26 Q1", 120, 130, "94.7"]]
    )
    strict = CliRunner().invoke(cli, ["import", "--strict", str(path)])
    assert strict.exit_code == 1
    assert (
        "Nothing was loaded: the import was strict and some rows were rejected or flagged." in strict.output
    )
    loaded = CliRunner().invoke(cli, ["import", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert (
        "1 new, 0 updated, 0 unchanged, 0 rejected; 1 row with a quality flag loaded as published."
        in loaded.output
    )
    assert "  1 row flagged: value disagrees with its count and denominator (first at row 2)" in loaded.output
    assert (
        "r.csv: 1 read, 1 new, 0 updated, 0 rejected, 1 flagged  ["
        in CliRunner().invoke(cli, ["imports"]).output
    )


def test_a_rejected_file_imported_again_points_to_the_first_import(database, tmp_path):
    first = CliRunner().invoke(cli, ["import", str(_rejected_return(tmp_path))])
    batch = first.output.split("kpi rejections ")[1].split()[0]
    again = CliRunner().invoke(cli, ["import", str(_rejected_return(tmp_path))])
    assert f"This file was imported before (batch {batch[:8]}, " in again.output
    assert f"kpi rejections {batch}" in again.output


def test_reading_a_store_from_an_earlier_release_says_to_bring_it_up_to_date(database):
    from data import schema

    engine = db.make_engine(database)
    with engine.begin() as conn:
        conn.execute(schema.schema_version.update().values(version=2))
    engine.dispose()
    for command in (["imports"], ["rejections", "abc"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        assert result.output == f"Error: {OLDER_STORE}\n"
    imported = CliRunner().invoke(cli, ["import", str(EAST_OF_ENGLAND_MH)])
    assert imported.exit_code == 0, imported.output  # a write upgrades the store first
    assert CliRunner().invoke(cli, ["imports"]).exit_code == 0
