"""Moving whole tables of rows between pandas and the store in one operation each, not one statement a row.

An import writes hundreds of thousands of observations; sending them as one ``INSERT`` per row took most of
an import's time. Here each database gets its own bulk path: DuckDB reads a pandas DataFrame in place
(``INSERT ... SELECT`` from the registered frame, and query results come back as a frame), PostgreSQL takes
the rows as one ``COPY`` in CSV (written by DuckDB, many times faster than pandas writes it). Anything else
falls back to SQLAlchemy's many-row insert. Everything runs on the caller's connection, inside its
transaction, so an import stays all or nothing.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import duckdb
import pandas as pd
import sqlalchemy as sa


def insert_frame(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    """Append ``frame``'s rows to ``table`` (the columns they share); missing values (None or NaN) become
    NULL."""
    if frame.empty:
        return
    columns = [c.name for c in table.columns if c.name in frame.columns]
    rows = frame[columns]
    if conn.dialect.name == "duckdb":
        raw = conn.connection.driver_connection
        assert raw is not None  # an open connection
        view = f"frame_{uuid.uuid4().hex}"
        raw.register(view, rows)
        try:
            source = sa.select(*(sa.column(c) for c in columns)).select_from(sa.table(view))
            conn.execute(table.insert().from_select(columns, source))
        finally:
            raw.unregister(view)
    elif conn.dialect.name == "postgresql":
        _copy(conn, table, rows)
    else:  # pragma: no cover - the product runs on DuckDB and PostgreSQL
        # pandas-stubs do not allow None as the replacement, which pandas takes (and the driver needs).
        plain = rows.astype(object).where(rows.notna(), None)  # type: ignore[call-overload]
        conn.execute(table.insert(), plain.to_dict("records"))


def _copy(conn: sa.Connection, table: sa.Table, rows: pd.DataFrame) -> None:
    """PostgreSQL's ``COPY ... FROM STDIN`` in CSV: an empty unquoted cell is NULL, except in text columns
    that cannot be NULL, where it is the empty string the frame holds."""
    quote = conn.dialect.identifier_preparer.quote
    not_null_text = [
        quote(c.name)
        for c in table.columns
        if c.name in rows.columns and not c.nullable and isinstance(c.type, sa.String)
    ]
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(not_null_text)})" if not_null_text else "")
    name = quote(table.name)
    statement = f"COPY {name} ({', '.join(quote(c) for c in rows.columns)}) FROM STDIN ({options})"
    raw = conn.connection.driver_connection
    assert raw is not None  # an open connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(_csv(rows))


def _csv(rows: pd.DataFrame) -> str:
    """``rows`` as CSV text for ``COPY``, written by DuckDB (pandas' CSV writer took longer than the rest of
    an import put together): numbers in the shortest form that reads back exactly, and an empty or missing
    text cell as an empty unquoted cell, as pandas writes it."""
    writer = duckdb.connect()
    try:
        writer.register("copied_rows", rows)
        types = {
            name: kind for name, kind, *_ in writer.execute("DESCRIBE SELECT * FROM copied_rows").fetchall()
        }
        cells = ", ".join(
            f"NULLIF({_quoted(name)}, '')" if types[name] == "VARCHAR" else _quoted(name)
            for name in rows.columns
        )
        with tempfile.TemporaryDirectory(prefix="kpi-copy-") as folder:
            path = Path(folder) / "rows.csv"
            writer.execute(f"COPY (SELECT {cells} FROM copied_rows) TO '{path}' (FORMAT csv, HEADER false)")
            return path.read_text(encoding="utf-8")
    finally:
        writer.close()


def _quoted(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def stage(conn: sa.Connection, frame: pd.DataFrame, like: sa.Table, *extra: sa.Column) -> sa.Table:
    """A temporary table holding ``frame``'s rows, typed as the same columns of ``like`` (and as ``extra``,
    for columns ``like`` lacks); drop it with :func:`drop` when done (it also goes when the transaction is
    rolled back)."""
    name = f"stage_{like.name}_{uuid.uuid4().hex[:12]}"
    columns = [
        sa.Column(c.name, c.type, nullable=c.nullable) for c in like.columns if c.name in frame.columns
    ]
    table = sa.Table(name, sa.MetaData(), *columns, *extra, prefixes=["TEMPORARY"])
    table.create(conn)
    insert_frame(conn, table, frame)
    return table


def drop(conn: sa.Connection, table: sa.Table) -> None:
    """Drop a table made by :func:`stage`."""
    table.drop(conn)


def read_frame(conn: sa.Connection, query: sa.Select) -> pd.DataFrame:
    """A query's rows as a DataFrame (DuckDB hands its result over whole; others row by row)."""
    names = [c.name for c in query.selected_columns]
    if conn.dialect.name == "duckdb":
        compiled = query.compile(dialect=conn.dialect)
        raw = conn.connection.driver_connection
        assert raw is not None  # an open connection
        params = [compiled.params[p] for p in compiled.positiontup or []]
        frame = raw.execute(str(compiled), params).df()
        frame.columns = pd.Index(names)
        return frame
    return pd.DataFrame(conn.execute(query).tuples().all(), columns=names)
