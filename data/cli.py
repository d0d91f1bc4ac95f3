"""The ``kpi`` command's data commands: build the store, import files, list imports, write the blank template.

``kpi.py`` adds ``kpi serve`` to this group (the installed ``kpi`` command is ``kpi:cli``), so that the data
layer never depends on the dashboard. Only click is imported up front: each command imports the database
and data libraries it needs, so ``kpi --help`` answers at once.

Every command works on the database named by ``KPI_DATABASE_URL`` (default: the DuckDB file under
``data/``); ``kpi template`` needs no database. ``kpi imports`` and ``kpi rejections`` open a DuckDB file
read-only, so they work while the dashboard runs. Exit status is 0 on success, 1 when an import had rejected
rows (so scripts notice), 2 when a file could not be read at all, and 3 when another program kept the store
busy for longer than :data:`data.db.LOCK_WAIT_SECONDS`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import sqlalchemy as sa

STORE_BUSY_EXIT = 3
NOT_CREATED = "The store has not been created yet: run 'kpi seed' first."
OLDER_STORE = "The store was made by an earlier release: run 'kpi seed' to bring it up to date first."


class StoreBusy(click.ClickException):
    """Another program kept the DuckDB file locked: one line saying what to do, instead of a traceback."""

    exit_code = STORE_BUSY_EXIT

    def __init__(self, holder: int | None) -> None:
        program = f"another program (process {holder})" if holder else "another program"
        super().__init__(
            f"The store is in use by {program}, such as an import still running. "
            "Try again when it has finished."
        )


class DataCommands(click.Group):
    """The command group, turning a locked store into :class:`StoreBusy` whichever command met it."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own ends, such as a command's --help: no store was touched
        except Exception as error:
            from data.db import is_locked_error, lock_holder

            if is_locked_error(error):
                raise StoreBusy(lock_holder(error)) from error
            raise


@click.group(cls=DataCommands, help="Healthy Child Programme outcomes dashboard: data store and server.")
def main() -> None:
    """Command group."""


def _engine(*, read_only: bool = False) -> sa.Engine:
    """The store's engine; read-only for the commands that only read (no effect on PostgreSQL)."""
    from data.db import database_url, make_engine

    return make_engine(database_url(), read_only=read_only)


def _existing_store(*, read_only: bool = False) -> sa.Engine:
    """The store's engine, or a one-line error if the store has not been created."""
    from data import schema
    from data.db import database_url, duckdb_file

    file = duckdb_file(database_url())
    if file is not None and not file.exists():
        raise click.ClickException(NOT_CREATED)
    engine = _engine(read_only=read_only)
    if not schema.has_schema(engine):
        raise click.ClickException(NOT_CREATED)
    if not read_only:
        schema.create_schema(engine)  # a store from an earlier release is upgraded in place first
    elif schema.stored_version(engine) != schema.SCHEMA_VERSION:
        raise click.ClickException(OLDER_STORE)
    return engine


@main.command(help="Create the store and load the catalogue and bundled data. Safe to run again.")
@click.option("--if-missing", is_flag=True, help="Do nothing if the store already exists.")
def seed(if_missing: bool) -> None:
    from data import schema
    from data.db import database_url

    engine = _engine()
    if if_missing and schema.has_schema(engine):
        click.echo(f"The store already exists ({_display(database_url())}); nothing to do.")
        return
    build_store(engine)


def build_store(engine: sa.Engine) -> None:
    """Create or refresh the store from the shipped catalogue and bundled data, reporting as it goes."""
    from data.db import database_url
    from data.importers.pipeline import import_file
    from data.seed import bundled_files, seed_reference, seed_summary

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
    from data.importers.formats import FileProblem
    from data.importers.pipeline import import_file

    engine = _existing_store()
    status = 0
    for path in files:
        try:
            result = import_file(engine, path, imported_by=imported_by, strict=strict)
        except FileProblem as problem:
            click.echo(f"{path.name}: not imported. {problem}", err=True)
            status = 2
            continue
        click.echo(result.summary())
        if result.rows_rejected:
            status = max(status, 1)
            batch = result.same_file_as.batch_id if result.same_file_as else result.batch_id
            click.echo(f"  Every rejected row and its reason: kpi rejections {batch}")
        elif result.status == "rejected":
            status = max(status, 1)
    sys.exit(status)


@main.command(help="List recent imports.")
@click.option("--limit", default=20, show_default=True)
def imports(limit: int) -> None:
    import sqlalchemy as sa

    from data import schema

    batches = schema.import_batches
    with _existing_store(read_only=True).connect() as conn:
        rows = (
            conn.execute(sa.select(batches).order_by(batches.c.started_at.desc()).limit(limit))
            .mappings()
            .all()
        )
    for row in rows:
        click.echo(
            f"{row['started_at']:%d %b %Y %H:%M}  {row['status']:<8} {row['file_name']}: "
            f"{row['rows_read']:,} read, {row['rows_new']:,} new, {row['rows_updated']:,} updated, "
            f"{row['rows_rejected']:,} rejected{_flagged(row['rows_flagged'])}  [{row['id']}]"
        )


@main.command(help="Show the rows an import rejected, with their reasons.")
@click.argument("batch_id")
def rejections(batch_id: str) -> None:
    from data import imports

    found = imports.rejections_of(_existing_store(read_only=True), batch_id)
    if found is None:
        click.echo("There is no import with that number.")
        return
    if found.same_file_as:
        click.echo(f"This import read the same file as import {found.same_file_as}; its rejected rows:")
    if not found.rows:
        click.echo("No rejected rows for that import.")
    elif found.rows_rejected > len(found.rows):
        click.echo(
            f"{found.rows_rejected:,} rejected rows, in {len(found.rows):,} lines: "
            "rows rejected for the same reason share a line that names them all."
        )
    for number, reason in found.rows:
        click.echo(reason if reason.startswith("Row") else f"row {number}: {reason}")


@main.command(help="Write a blank provider quarterly return (CSV or XLSX, by the file's extension).")
@click.argument("path", type=click.Path(path_type=Path))
def template(path: Path) -> None:
    from data.importers.template import write_blank_template

    write_blank_template(path)
    click.echo(f"Wrote a blank provider quarterly return to {path}")


def _flagged(rows: int | None) -> str:
    """ ", 3 flagged" for an import that loaded rows with a quality flag."""
    return f", {rows:,} flagged" if rows else ""


def _display(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


# --- Users: who may sign in to the dashboard --------------------------------------------------------------

FIRST_ADMIN_HINT = (
    "No one can sign in yet: create the first administrator with 'kpi user add YOUR-NAME --role admin'."
)


@main.group(help="Add, list and disable the people who may sign in to the dashboard.")
def user() -> None:
    """Command group."""


@user.command("add", help="Add a user; you are asked for their password (twice, not shown).")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["viewer", "officer", "admin"], case_sensitive=False),
    default="viewer",
    show_default=True,
    help="viewer: reads only; officer: loads data, writes commentary and actions; admin: everything.",
)
@click.option("--display-name", default=None, help="The name to show, if not the sign-in name.")
def user_add(name: str, role: str, display_name: str | None) -> None:
    from data import access, users

    engine = _existing_store()
    first = not users.has_users(engine)
    if first and role.lower() != "admin":
        raise click.ClickException("The first user must be an administrator: add them with --role admin.")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        if first:
            added = users.add_first_admin(engine, name, password, display_name)
        else:
            added = users.add_user(engine, access.command_line_user(), name, password, role, display_name)
    except (ValueError, PermissionError) as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Added {added.name} ({added.role}). They can now sign in to the dashboard.")


@user.command("list", help="List the users, their roles and when they last signed in.")
def user_list() -> None:
    from data import users

    found = users.list_users(_existing_store(read_only=True))
    if not found:
        click.echo(FIRST_ADMIN_HINT)
    for record in found:
        last = (
            f"last signed in {record.last_sign_in:%d %b %Y %H:%M}"
            if record.last_sign_in
            else "never signed in"
        )
        state = "  DISABLED" if record.disabled else ""
        shown = f" ({record.display_name})" if record.display_name else ""
        click.echo(f"{record.name}{shown}: {record.role}, {last}{state}")


@user.command("disable", help="Stop a user signing in (their name stays on the changes they made).")
@click.argument("name")
def user_disable(name: str) -> None:
    from data import access, users

    try:
        users.disable_user(_existing_store(), access.command_line_user(), name)
    except (ValueError, LookupError, PermissionError) as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"{name} can no longer sign in.")


# --- Indicators not in a framework, and mapping them into one ---------------------------------------------


@main.group(help="List indicators not in a framework; map one into a framework (administrators).")
def indicator() -> None:
    """Command group."""


@indicator.command("unmapped", help="List the indicators that serve no framework outcome.")
def indicator_unmapped() -> None:
    from data import catalogue_edits

    found = catalogue_edits.not_in_a_framework(_existing_store(read_only=True))
    if found.empty:
        click.echo("Every indicator is in a framework.")
    for row in found.itertuples(index=False):
        click.echo(f"{row.code}: {row.name} ({row.unit}; {row.year_type} years; {row.source})")


@indicator.command("map", help="Map an indicator into framework outcomes, with its polarity and a target.")
@click.argument("code")
@click.option(
    "--to", "nodes", multiple=True, help="A framework node, e.g. cyp-outcomes:2.1 (repeat for more)."
)
@click.option(
    "--polarity",
    required=True,
    type=click.Choice(["higher_is_better", "lower_is_better", "no_judgement"]),
)
@click.option("--reason", required=True, help="Why, in a sentence (kept with the change).")
@click.option("--target", type=float, default=None, help="A target for every area.")
@click.option("--name", default=None, help="A new name.")
@click.option("--short-name", default=None, help="A new short name (at most 40 characters).")
@click.option("--definition", default=None, help="A new plain-English definition.")
@click.option(
    "--year-type",
    type=click.Choice(["financial", "academic", "calendar"]),
    default=None,
    help="What a period such as 2022/23 means: April-March, September-August (school years), or calendar "
    "years. Its stored figures move to the dates this gives them.",
)
def indicator_map(
    code: str,
    nodes: tuple[str, ...],
    polarity: str,
    reason: str,
    target: float | None,
    name: str | None,
    short_name: str | None,
    definition: str | None,
    year_type: str | None,
) -> None:
    from data import access, catalogue_edits

    try:
        version = catalogue_edits.edit(
            _existing_store(),
            access.command_line_user(),
            code,
            nodes=list(nodes),
            polarity=polarity,
            reason=reason,
            target=target,
            name=name,
            short_name=short_name,
            definition=definition,
            year_type=year_type,
        )
    except (ValueError, LookupError, PermissionError) as problem:
        raise click.ClickException(str(problem)) from problem
    where = ", ".join(version.entry.nodes) or "no framework"
    years = ""
    if year_type is not None:
        moved = version.figures_redated
        years = f"; {year_type} years: {moved:,} figure{'' if moved == 1 else 's'} moved to their dates"
    click.echo(f"{code}: version {version.version} saved, mapped to {where}{years}.")


@indicator.command("history", help="Every version of an indicator's catalogue entry: who, when and why.")
@click.argument("code")
def indicator_history(code: str) -> None:
    from data import catalogue_edits

    versions = catalogue_edits.history(_existing_store(read_only=True), code)
    if not versions:
        click.echo(f"{code} has not been edited.")
    for v in versions:
        where = ", ".join(v.entry.nodes) or "no framework"
        years = f"; {v.entry.year_type} years" if v.entry.year_type else ""
        click.echo(
            f"Version {v.version}, {v.edited_at:%d %b %Y %H:%M} by {v.edited_by}: {where}; "
            f"{v.entry.polarity}{years}. {v.reason}"
        )


# --- Backing up and restoring the store -------------------------------------------------------------------


@main.command("backup", help="Back up the whole store to one file (a ZIP of every table and a manifest).")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def backup_command(path: Path) -> None:
    from data.backup import BackupProblem, backup

    started = time.perf_counter()
    try:
        tables = backup(_existing_store(read_only=True), path)
    except BackupProblem as problem:
        raise click.ClickException(str(problem)) from problem
    rows = sum(t.rows for t in tables)
    click.echo(
        f"Backed up {rows:,} rows in {len(tables)} tables to {path} "
        f"({path.stat().st_size / 1_000_000:.1f} MB, {time.perf_counter() - started:.1f} s)."
    )


@main.command("restore", help="Restore a backup made by 'kpi backup' (DuckDB or PostgreSQL, either way).")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace everything in a store that already holds data.")
def restore_command(path: Path, replace: bool) -> None:
    from data.backup import BackupProblem, restore
    from data.db import database_url

    started = time.perf_counter()
    try:
        tables = restore(_engine(), path, replace=replace)
    except BackupProblem as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(
        f"Restored {sum(t.rows for t in tables):,} rows in {len(tables)} tables from {path} into "
        f"{_display(database_url())} ({time.perf_counter() - started:.1f} s)."
    )
