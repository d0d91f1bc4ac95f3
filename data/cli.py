"""The ``kpi`` command's data commands: build the store, import files, list imports, write the blank template.

``app.py`` adds ``kpi serve`` to this group (the installed ``kpi`` command is ``app:cli``), so that the data
layer never depends on the dashboard.

Every command works on the database named by ``KPI_DATABASE_URL`` (default: the DuckDB file under
``data/``). Exit status is 0 on success, 1 when an import had rejected rows (so scripts notice), and 2 when
a file could not be read at all.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
import sqlalchemy as sa

from data import schema
from data.db import database_url, is_locked_error, make_engine
from data.importers.formats import FileProblem
from data.importers.pipeline import import_file
from data.importers.template import write_blank_template
from data.seed import bundled_files, seed_reference, seed_summary


def _engine() -> sa.Engine:
    return make_engine(database_url())


@click.group(help="Healthy Child Programme outcomes dashboard: data store and server.")
def main() -> None:
    """Command group."""


@main.command(help="Create the store and load the catalogue and bundled data. Safe to run again.")
@click.option("--if-missing", is_flag=True, help="Do nothing if the store already exists.")
def seed(if_missing: bool) -> None:
    engine = _engine()
    if if_missing and schema.has_schema(engine):
        click.echo(f"The store already exists ({_display(database_url())}); nothing to do.")
        return
    build_store(engine)


def build_store(engine: sa.Engine) -> None:
    """Create or refresh the store from the shipped catalogue and bundled data, reporting as it goes."""
    started = time.perf_counter()
    counts = seed_reference(engine)
    click.echo(
        "Reference data: "
        + ", ".join(f"{n} {name.replace('_', ' ')} added or changed" for name, n in counts.items())
    )
    results = []
    for path in bundled_files():
        result = import_file(engine, path, imported_by="kpi seed")
        results.append(result)
        click.echo(result.summary().splitlines()[0])
    summary = seed_summary(results)
    click.echo(
        f"Seeded {_display(database_url())} in {time.perf_counter() - started:.1f} s: "
        f"{summary['read'].sum():,} rows read, {summary['new'].sum():,} new, "
        f"{summary['updated'].sum():,} updated, {summary['rejected'].sum():,} rejected "
        "(see 'kpi imports' and 'kpi rejections')."
    )


@main.command("import", help="Import a Fingertips export, a tidy extract or a provider return (CSV or XLSX).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Load nothing from a file if any of its rows is rejected.")
@click.option("--by", "imported_by", default=None, help="Who is importing (default: your login name).")
def import_command(files: tuple[Path, ...], strict: bool, imported_by: str | None) -> None:
    engine = _engine()
    if not schema.has_schema(engine):
        raise click.ClickException("The store has not been created yet: run 'kpi seed' first.")
    status = 0
    for path in files:
        try:
            result = import_file(engine, path, imported_by=imported_by, strict=strict)
        except sa.exc.DBAPIError as error:
            if is_locked_error(error):
                raise click.ClickException(
                    "The database is open in a running dashboard, which reads it. Stop the dashboard, import, "
                    "then start it again (a shared deployment on PostgreSQL has no such limit)."
                ) from error
            raise
        except FileProblem as problem:
            click.echo(f"{path.name}: not imported. {problem}", err=True)
            status = 2
            continue
        click.echo(result.summary())
        if result.rows_rejected:
            status = max(status, 1)
            click.echo(f"  Every rejected row and its reason: kpi rejections {result.batch_id}")
    sys.exit(status)


@main.command(help="List recent imports.")
@click.option("--limit", default=20, show_default=True)
def imports(limit: int) -> None:
    batches = schema.import_batches
    with _engine().connect() as conn:
        rows = (
            conn.execute(sa.select(batches).order_by(batches.c.started_at.desc()).limit(limit))
            .mappings()
            .all()
        )
    for row in rows:
        click.echo(
            f"{row['started_at']:%d %b %Y %H:%M}  {row['status']:<8} {row['file_name']}: "
            f"{row['rows_read']:,} read, {row['rows_new']:,} new, {row['rows_updated']:,} updated, "
            f"{row['rows_rejected']:,} rejected  [{row['id']}]"
        )


@main.command(help="Show the rows an import rejected, with their reasons.")
@click.argument("batch_id")
def rejections(batch_id: str) -> None:
    table = schema.rejected_rows
    with _engine().connect() as conn:
        rows = (
            conn.execute(
                sa.select(table).where(table.c.batch_id.startswith(batch_id)).order_by(table.c.row_number)
            )
            .mappings()
            .all()
        )
    if not rows:
        click.echo("No rejected rows for that import.")
    for row in rows:
        click.echo(f"row {row['row_number']}: {row['reason']}")


@main.command(help="Write a blank provider quarterly return (CSV or XLSX, by the file's extension).")
@click.argument("path", type=click.Path(path_type=Path))
def template(path: Path) -> None:
    write_blank_template(_engine(), path)
    click.echo(f"Wrote a blank provider quarterly return to {path}")


def _display(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url
