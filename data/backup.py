"""Backing up the whole store to one portable file, and restoring it, on DuckDB or PostgreSQL.

A backup is one ZIP file holding every table of :data:`data.schema.metadata` as JSON Lines
(``tables/<table>.jsonl``, one row per line as an object of column to value, rows in primary-key order) and
a ``manifest.json`` naming the product, the store's schema version, when and from which kind of database it
was made, and for each table its file, row count and the SHA-256 of the file's bytes. Values are written by
column type so they come back exactly: dates and times in ISO 8601, money and other exact decimals as
decimal strings, floating-point figures as the shortest text that reads back as the same number, file
contents in base64. So a backup made from DuckDB restores into PostgreSQL and back with every row equal.

:func:`restore` checks the whole file before writing anything: it refuses a file made by a newer release
(a higher schema version), one whose tables do not match their checksums or row counts, and one with
tables or columns this release does not know. It writes in one transaction, so a restore that fails leaves
the store as it was, and it refuses to write over a store holding any rows unless ``replace`` is given.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import sqlalchemy as sa

from data import schema, series_summary

FORMAT = "hcp-dashboard store backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
INSERT_CHUNK = 2_000


class BackupProblem(ValueError):
    """The backup file cannot be restored (what is wrong is in the message), or the store is not empty."""


@dataclass(frozen=True)
class TableSummary:
    """One table of a backup or a restore: its name and how many rows it holds."""

    name: str
    rows: int


# --- Values: written by column type, read back by column type -----------------------------------------------


def _encode(value: Any, column: sa.Column) -> Any:
    """A value as JSON can hold it, exactly."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.LargeBinary):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(kind, sa.DateTime):
        return value.isoformat()
    if isinstance(kind, sa.Date):
        return value.isoformat()
    if isinstance(kind, sa.Float):  # Double is a Float, and a Float is a Numeric: test it first
        return float(value)
    if isinstance(kind, sa.Numeric):
        return format(Decimal(value), "f")
    if isinstance(kind, sa.Boolean):
        return bool(value)
    if isinstance(kind, sa.Integer):
        return int(value)
    return str(value)


def _decode(value: Any, column: sa.Column) -> Any:
    """A value from a backup file, as the column takes it."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, sa.Float):
        return float(value)
    if isinstance(kind, sa.Numeric):
        return Decimal(value)
    return value


def _key(table: sa.Table) -> list[str]:
    return [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]


def table_lines(conn: sa.Connection, table: sa.Table) -> list[bytes]:
    """Every row of ``table`` as a line of JSON, in primary-key order (compared as written, so the order is
    the same whichever database the rows come from)."""
    rows = conn.execute(sa.select(table)).mappings().all()
    encoded = [{c.name: _encode(row[c.name], c) for c in table.columns} for row in rows]
    key = _key(table)
    encoded.sort(key=lambda row: json.dumps([row[name] for name in key], ensure_ascii=False))
    return [json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" for row in encoded]


# --- Backing up -------------------------------------------------------------------------------------------


def _dialect(engine: sa.Engine) -> str:
    return "postgresql" if engine.dialect.name.startswith("postgres") else engine.dialect.name


def _stored_version(conn: sa.Connection) -> int | None:
    if not sa.inspect(conn).has_table(schema.schema_version.name):
        return None
    return conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar()


def backup(engine: sa.Engine, path: Path, *, made_at: dt.datetime | None = None) -> list[TableSummary]:
    """Write every table of the store to the backup file ``path`` (replacing it only once the new file is
    complete), read in one transaction so the tables agree with each other; return each table's rows."""
    path = Path(path)
    connection = engine.connect()
    if _dialect(engine) == "postgresql":  # one snapshot of the whole store while others write
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "made_at": (made_at or dt.datetime.now()).isoformat(timespec="seconds"),
        "made_from": _dialect(engine),
        "tables": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(descriptor)
    try:
        with connection as conn, conn.begin():
            version = _stored_version(conn)
            if version is None:
                raise BackupProblem("The store has not been created yet: there is nothing to back up.")
            manifest["schema_version"] = version
            present = set(sa.inspect(conn).get_table_names())
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for table in schema.metadata.sorted_tables:
                    if table.name not in present:
                        continue
                    content = b"".join(table_lines(conn, table))
                    name = f"tables/{table.name}.jsonl"
                    archive.writestr(name, content)
                    manifest["tables"][table.name] = {
                        "file": name,
                        "rows": content.count(b"\n"),
                        "sha256": hashlib.sha256(content).hexdigest(),
                        "columns": [c.name for c in table.columns],
                    }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return [TableSummary(name, entry["rows"]) for name, entry in manifest["tables"].items()]


# --- Restoring --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    """A backup file, read and checked: its manifest and each table's lines."""

    manifest: Mapping[str, Any]
    contents: Mapping[str, bytes]

    @property
    def schema_version(self) -> int:
        return int(self.manifest["schema_version"])

    def rows(self, table: sa.Table) -> Iterator[dict[str, Any]]:
        """The table's rows as the store takes them."""
        columns = {c.name: c for c in table.columns}
        for line in io.BytesIO(self.contents[table.name]):
            row = json.loads(line)
            yield {name: _decode(row.get(name), column) for name, column in columns.items()}


def read_backup(path: Path) -> Backup:
    """Read and check a backup file: raises :class:`BackupProblem` saying what is wrong, if anything."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupProblem(f"{Path(path).name} is not a backup made by 'kpi backup': {error}") from error
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError) as error:
            raise BackupProblem(
                f"{Path(path).name} has no readable {MANIFEST}: it is not a backup."
            ) from error
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupProblem(f"{Path(path).name} is not a backup this release can read.")
        _check_version(int(manifest.get("schema_version", 0)))
        known = {t.name: t for t in schema.metadata.sorted_tables}
        contents: dict[str, bytes] = {}
        for name, entry in manifest["tables"].items():
            if name not in known:
                raise BackupProblem(f"The backup holds a table this release does not know: {name}.")
            unknown = sorted(set(entry["columns"]) - {c.name for c in known[name].columns})
            if unknown:
                raise BackupProblem(
                    f"Table {name} in the backup has columns this release does not know: {unknown}."
                )
            try:
                content = archive.read(entry["file"])
            except KeyError as error:
                raise BackupProblem(f"The backup is missing the file for table {name}.") from error
            if hashlib.sha256(content).hexdigest() != entry["sha256"]:
                raise BackupProblem(
                    f"Table {name} in the backup does not match its checksum: the file is damaged or was "
                    "changed after it was made. Nothing was restored."
                )
            if content.count(b"\n") != entry["rows"]:
                raise BackupProblem(
                    f"Table {name} in the backup does not hold the {entry['rows']} rows it should."
                )
            contents[name] = content
    return Backup(manifest, contents)


def _check_version(version: int) -> None:
    if version > schema.SCHEMA_VERSION:
        raise BackupProblem(
            f"The backup was made by a newer release (schema version {version}; this release uses "
            f"{schema.SCHEMA_VERSION}). Restore it with that release or a later one."
        )
    if version != schema.SCHEMA_VERSION and version not in schema.UPGRADABLE_FROM:
        raise BackupProblem(f"The backup holds schema version {version}, which this release cannot restore.")


def rows_in_store(conn: sa.Connection) -> int:
    """How many rows the store holds in the product's tables (the schema version aside)."""
    present = set(sa.inspect(conn).get_table_names())
    return sum(
        conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
        for table in schema.metadata.sorted_tables
        if table.name in present and table is not schema.schema_version
    )


def _insert(conn: sa.Connection, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert ``rows`` into ``table`` inside the restore's transaction; on DuckDB, which inserts row by row
    when given many rows, they go in as one table (about ten times faster), on the same connection."""
    if conn.dialect.name == "duckdb":
        return _insert_duckdb(conn, table, list(rows))
    written, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == INSERT_CHUNK:
            conn.execute(table.insert(), chunk)
            written, chunk = written + len(chunk), []
    if chunk:
        conn.execute(table.insert(), chunk)
        written += len(chunk)
    return written


def _insert_duckdb(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    import pandas as pd

    columns = [c.name for c in table.columns]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)  # as objects: None stays NULL, not NaN
    duck = conn.connection.driver_connection
    assert duck is not None
    duck.execute("SELECT 1").fetchall()  # finish any result left open, which register() will not work beside
    duck.register("restoring", frame)  # a view of the frame on this connection, replaced by the next table's
    listed = ", ".join(f'"{name}"' for name in columns)
    duck.execute(f'INSERT INTO "{table.name}" ({listed}) SELECT {listed} FROM restoring')
    duck.unregister("restoring")
    return len(rows)


def _empty(conn: sa.Connection) -> None:
    """Remove every row from the product's tables, in the restore's transaction. DuckDB cannot delete a row
    that a row deleted earlier in the same transaction referred to, so there the tables are dropped and
    made again; PostgreSQL deletes, keeping the tables (and any rights granted on them)."""
    if conn.dialect.name == "duckdb":
        schema.metadata.drop_all(conn)
        schema.metadata.create_all(conn)
        return
    for table in reversed(schema.metadata.sorted_tables):
        conn.execute(table.delete())


def restore(engine: sa.Engine, path: Path, *, replace: bool = False) -> list[TableSummary]:
    """Restore the backup file ``path`` into the store: every table's rows, in one transaction.

    Raises :class:`BackupProblem`, having written nothing, if the file is not a good backup this release can
    restore, or if the store holds any rows and ``replace`` is not given (with it, every row in the store is
    removed first, in the same transaction). A backup from an earlier release that this release upgrades in
    place (:data:`data.schema.UPGRADABLE_FROM`) is restored as it was, the tables and columns added since
    left empty, and brought up to this release's schema version."""
    found = read_backup(path)
    try:
        return _restore(engine, found, replace=replace)
    except (sa.exc.DBAPIError, duckdb.Error) as error:
        first = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise BackupProblem(
            f"The store refused the backup's rows ({first}). Nothing was restored."
        ) from error


def _restore(engine: sa.Engine, found: Backup, *, replace: bool) -> list[TableSummary]:
    tables = schema.metadata.sorted_tables
    restored: list[TableSummary] = []
    with engine.begin() as conn:
        schema.metadata.create_all(conn)
        held = rows_in_store(conn)
        if held and not replace:
            raise BackupProblem(
                f"The store already holds {held:,} rows. Restoring would replace all of them: run the "
                "restore again with --replace if that is what you want."
            )
        if held:
            _empty(conn)
        for table in tables:
            if table.name in found.contents:
                restored.append(TableSummary(table.name, _insert(conn, table, found.rows(table))))
        series_summary.refresh_all(conn)  # made again from the figures, whatever release made the backup
        if found.schema_version != schema.SCHEMA_VERSION:
            conn.execute(
                schema.schema_version.insert().values(
                    version=schema.SCHEMA_VERSION, applied_at=dt.datetime.now()
                )
            )
    return restored
