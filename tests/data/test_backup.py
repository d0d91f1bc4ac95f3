"""Backing up and restoring the store: a backup restores every row of every table exactly, on DuckDB and on
PostgreSQL and from one to the other, and a restore that cannot be trusted writes nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from data import backup as store_backup
from data import schema, users
from data.access import User
from data.backup import BackupProblem, backup, restore
from data.db import make_engine
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.pipeline import import_file
from kpi import cli
from tests.data.helpers import EAST_OF_ENGLAND_MH, write_csv

ADMIN = User("Test setup", frozenset({"admin"}))
RETURN_HEADER = list(PROVIDER_RETURN_HEADER)


def _fill(engine: sa.Engine, folder: Path) -> None:
    """Give the reference store rows of every kind: figures with notes and blanks, a rejected row, the raw
    files imported, a user with a password hash and a sign-in time."""
    assert import_file(engine, EAST_OF_ENGLAND_MH, imported_by="test").rows_new == 130
    rows = [
        [
            "hv-2-year-review",
            "E10000003",
            "2025/26 Q1",
            9,
            8,
            "",
            "",
            "",
        ],  # rejected: count above denominator
        ["hv-2-year-review", "E10000003", "2025/26 Q2", 1500, 1700, "", "yes", '=HYPERLINK("x")'],
    ]
    result = import_file(engine, write_csv(folder / "return.csv", RETURN_HEADER, rows), imported_by="test")
    assert (result.rows_new, result.rows_rejected) == (1, 1)
    users.add_user(engine, ADMIN, "Asha Patel", "a long enough test password", "admin")
    users.record_sign_in(engine, "Asha Patel")


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as Python values, in a fixed order."""
    found = {}
    with engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            rows = [tuple(row) for row in conn.execute(sa.select(table)).all()]
            found[table.name] = sorted(rows, key=repr)
    return found


def _differences(before: dict, after: dict) -> dict[str, int]:
    return {
        name: len(set(before[name]) ^ set(after.get(name, [])))
        for name in before
        if before[name] != after.get(name)
    }


def _empty_store_like(engine: sa.Engine, request: pytest.FixtureRequest) -> sa.Engine:
    """An empty database of the same kind as ``engine``."""
    if engine.dialect.name == "duckdb":
        return make_engine("duckdb:///:memory:")
    server = request.getfixturevalue("postgres_server")
    name = f"{server.name}_empty"
    server._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server._execute(f'CREATE DATABASE "{name}"')
    request.addfinalizer(lambda: server._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return server.engine(name)


@pytest.fixture
def filled(any_store, tmp_path) -> sa.Engine:
    _fill(any_store, tmp_path)
    return any_store


def test_a_backup_restores_every_row_of_every_table(filled, tmp_path, request):
    before = snapshot(filled)
    file = tmp_path / "store.zip"
    tables = backup(filled, file)
    assert {t.name: t.rows for t in tables} == {name: len(rows) for name, rows in before.items()}
    target = _empty_store_like(filled, request)
    try:
        restore(target, file)
        after = snapshot(target)
    finally:
        target.dispose()
    assert _differences(before, after) == {}
    assert sum(len(rows) for rows in after.values()) > 800
    assert after["import_files"] and after["rejected_rows"] and after["users"]


@pytest.mark.postgres
def test_a_duckdb_backup_restores_into_postgresql_and_back(store, postgres_server, tmp_path):
    _fill(store, tmp_path)
    before = snapshot(store)
    backup(store, tmp_path / "from-duckdb.zip")
    postgres = postgres_server.fresh_store()  # holds the reference data: replaced
    try:
        restore(postgres, tmp_path / "from-duckdb.zip", replace=True)
        assert _differences(before, snapshot(postgres)) == {}
        backup(postgres, tmp_path / "from-postgresql.zip")
    finally:
        postgres.dispose()
    duckdb = make_engine("duckdb:///:memory:")
    restore(duckdb, tmp_path / "from-postgresql.zip")
    assert _differences(before, snapshot(duckdb)) == {}
    # the two files hold the same content, table for table
    manifests = [_manifest(tmp_path / name) for name in ("from-duckdb.zip", "from-postgresql.zip")]
    assert manifests[0]["made_from"] == "duckdb" and manifests[1]["made_from"] == "postgresql"
    assert {n: t["sha256"] for n, t in manifests[0]["tables"].items()} == {
        n: t["sha256"] for n, t in manifests[1]["tables"].items()
    }


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _rewrite(path: Path, change_manifest=None, change_table: tuple[str, bytes] | None = None) -> Path:
    """A copy of the backup at ``path`` with its manifest or a table's file changed."""
    out = path.with_name("changed-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "manifest.json" and change_manifest:
                manifest = json.loads(content)
                change_manifest(manifest)
                content = json.dumps(manifest).encode()
            if change_table and item.filename == f"tables/{change_table[0]}.jsonl":
                content = change_table[1](content)
            target.writestr(item, content)
    return out


@pytest.fixture
def made(store, tmp_path) -> tuple[sa.Engine, Path]:
    _fill(store, tmp_path)
    file = tmp_path / "store.zip"
    backup(store, file)
    return store, file


def test_a_store_holding_data_is_replaced_only_when_asked(made):
    engine, file = made
    before = snapshot(engine)
    with pytest.raises(BackupProblem, match=r"already holds .* rows.*--replace"):
        restore(engine, file)
    restore(engine, file, replace=True)
    assert _differences(before, snapshot(engine)) == {}


def test_a_backup_from_a_newer_release_is_refused(made):
    _, file = made
    newer = _rewrite(file, change_manifest=lambda m: m.update(schema_version=schema.SCHEMA_VERSION + 1))
    target = make_engine("duckdb:///:memory:")
    with pytest.raises(BackupProblem, match=f"newer release \\(schema version {schema.SCHEMA_VERSION + 1}"):
        restore(target, newer)
    assert not schema.has_schema(target)  # nothing written, not even the tables


@pytest.mark.parametrize(
    "damage",
    [
        lambda content: content.replace(b"Asha Patel", b"Mal Icious"),
        lambda content: content + b'{"name": "extra"}\n',
    ],
)
def test_a_damaged_or_changed_table_is_refused(made, damage):
    engine, file = made
    before = snapshot(engine)
    changed = _rewrite(file, change_table=("users", damage))
    with pytest.raises(BackupProblem, match="Table users in the backup does not match its checksum"):
        restore(engine, changed, replace=True)
    assert _differences(before, snapshot(engine)) == {}


def test_a_restore_that_fails_part_way_leaves_the_store_as_it_was(made):
    engine, file = made
    before = snapshot(engine)

    # a users table holding the same user twice: its checksum and count made to match, so only the
    # database's primary key stops it, after every earlier table has been written
    with zipfile.ZipFile(file) as archive:
        lines = archive.read("tables/users.jsonl")
    doubled = lines + lines.splitlines(keepends=True)[0]

    def fix(manifest: dict) -> None:
        import hashlib

        manifest["tables"]["users"].update(
            rows=doubled.count(b"\n"), sha256=hashlib.sha256(doubled).hexdigest()
        )

    broken = _rewrite(file, change_manifest=fix, change_table=("users", lambda _: doubled))
    with pytest.raises(BackupProblem, match=r"The store refused the backup's rows .*Nothing was restored"):
        restore(engine, broken, replace=True)
    assert _differences(before, snapshot(engine)) == {}


def test_a_file_that_is_not_a_backup_says_so(made, tmp_path):
    engine, _ = made
    (tmp_path / "notes.zip").write_text("not a zip")
    with pytest.raises(BackupProblem, match=r"notes\.zip is not a backup made by 'kpi backup'"):
        restore(engine, tmp_path / "notes.zip")


def test_kpi_backup_and_restore_between_two_duckdb_files(made, tmp_path, monkeypatch):
    engine, _ = made
    source = tmp_path / "source.duckdb"
    file_engine = make_engine(f"duckdb:///{source}")
    restore(file_engine, tmp_path / "store.zip")
    file_engine.dispose()
    monkeypatch.setenv("KPI_DATABASE_URL", f"duckdb:///{source}")
    made_backup = CliRunner().invoke(cli, ["backup", str(tmp_path / "cli.zip")])
    assert made_backup.exit_code == 0, made_backup.output
    assert made_backup.output.startswith("Backed up ") and "tables to" in made_backup.output

    target = tmp_path / "target.duckdb"
    monkeypatch.setenv("KPI_DATABASE_URL", f"duckdb:///{target}")
    restored = CliRunner().invoke(cli, ["restore", str(tmp_path / "cli.zip")])
    assert restored.exit_code == 0, restored.output
    again = CliRunner().invoke(cli, ["restore", str(tmp_path / "cli.zip")])
    assert again.exit_code == 1 and "--replace" in again.output
    assert CliRunner().invoke(cli, ["restore", "--replace", str(tmp_path / "cli.zip")]).exit_code == 0
    target_engine = make_engine(f"duckdb:///{target}")
    try:
        assert _differences(snapshot(engine), snapshot(target_engine)) == {}
    finally:
        target_engine.dispose()
    manifest = _manifest(tmp_path / "cli.zip")
    assert manifest["format"] == store_backup.FORMAT and manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["tables"]["users"]["rows"] == 1
