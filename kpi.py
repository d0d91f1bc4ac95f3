"""The ``kpi`` command: the data commands of :mod:`data.cli`, and ``kpi serve`` for the dashboard.

It lives beside ``app.py`` because it needs both layers, and data/ must not import the dashboard. Nothing
heavy is imported until a command runs: ``serve`` imports the dashboard (``app.py``) only when it starts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from data.cli import FIRST_ADMIN_HINT, build_store
from data.cli import main as cli

DUCKDB_ONE_WORKER = (
    "A DuckDB store is written by one process at a time, so the dashboard runs in one worker here (asked for "
    "{asked}); its threads answer requests side by side. For several workers, use PostgreSQL (see "
    "'Deploying for a team' in the README), or set KPI_DATABASE_READ_ONLY=1 for a dashboard that only reads."
)


def worker_count(url: str, asked: int, *, read_only: bool) -> tuple[int, str | None]:
    """How many gunicorn workers serve the store at ``url`` when ``asked`` are wanted, and why fewer when
    fewer: a DuckDB file that the dashboard writes (uploads, scheme changes) is served by one worker, as
    DuckDB lets one process write a file at a time; PostgreSQL, or a DuckDB file opened read-only, by as
    many as asked."""
    if asked > 1 and url.startswith("duckdb") and not read_only:
        return 1, DUCKDB_ONE_WORKER.format(asked=asked)
    return asked, None


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app:server`` with gunicorn: ``workers`` processes of ``threads`` threads each. Anything else
    gunicorn offers can be set in ``GUNICORN_CMD_ARGS`` (e.g. ``--access-logfile -``)."""
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    class Dashboard(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "timeout": 120,  # an upload of a large file is loaded within its request
            }
            for name, value in settings.items():
                self.cfg.set(name, value)
            extra = self.cfg.get_cmd_args_from_env()
            if extra:
                parsed = self.cfg.parser().parse_args(extra)
                for name, value in vars(parsed).items():
                    if value is not None and name != "args":
                        self.cfg.set(name.lower(), value)

        def load(self):
            from app import server

            return server

    Dashboard().run()


@cli.command(help="Serve the dashboard with gunicorn (--debug: Dash's development server, which reloads).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    envvar="KPI_WORKERS",
    show_envvar=True,
    help="Worker processes. On a DuckDB store the dashboard writes to, always one.",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(min=1),
    envvar="KPI_THREADS",
    show_envvar=True,
    help="Threads in each worker.",
)
@click.option("--debug", is_flag=True, help="Reload on code changes and show Dash's developer tools.")
def serve(host: str, port: int, workers: int, threads: int, debug: bool) -> None:
    import os

    from data import schema, users
    from data.db import database_url, make_engine

    writer = make_engine()
    if not schema.has_schema(writer):
        click.echo("Building the store from the bundled data (first run only)…")
        build_store(writer)
    else:
        schema.create_schema(writer)  # a store from an earlier release is upgraded in place
    if not users.has_users(writer):
        click.echo(FIRST_ADMIN_HINT)
    writer.dispose()

    click.echo(f"Serving the dashboard on http://{host}:{port} (press Ctrl+C to stop)")
    if debug:
        from app import app

        app.run(host=host, port=port, debug=True)
        return
    read_only = os.environ.get("KPI_DATABASE_READ_ONLY") == "1"
    workers, why = worker_count(database_url(), workers, read_only=read_only)
    if why:
        click.echo(why)
    run_gunicorn(host, port, workers, threads)


@cli.command(help="Build the committee pack (PDF and/or PowerPoint) from the same data as the dashboard.")
@click.option(
    "--area",
    "areas",
    multiple=True,
    metavar="CODE",
    help="An area's ONS code (repeat for several); default the home area.",
)
@click.option(
    "--as-of", "as_of", metavar="DATE", help="Figures to this date (YYYY-MM-DD); default the latest."
)
@click.option(
    "--framework",
    default="cyp-outcomes",
    show_default=True,
    help="cyp-outcomes (the local CYP outcomes framework) or hcp-high-impact-areas.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Say what changed since this date; default the previous pack's date, else the previous quarter.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the pack: a .pdf, or a .pptx for slides.",
)
@click.option("--pptx", type=click.Path(dir_okay=False, path_type=Path), help="Also write the slides here.")
def report(
    areas: tuple[str, ...],
    as_of: str | None,
    framework: str,
    since: dt.datetime | None,
    output: Path | None,
    pptx: Path | None,
) -> None:
    from data.cli import _existing_store

    pdf = output
    if output is not None and output.suffix.lower() == ".pptx":
        pdf, pptx = None, pptx or output
    elif output is not None and output.suffix.lower() != ".pdf":
        raise click.BadParameter("the file name must end in .pdf or .pptx", param_hint="--output")
    if pdf is None and pptx is None:
        pdf = Path("pack.pdf")
    engine = _existing_store(read_only=True)

    from dashboard import create_app
    from dashboard.pack.build import Request, build
    from dashboard.pack.charts import ChartsUnavailable

    app = create_app(engine)
    request = Request(tuple(areas), framework, as_of, since.date() if since else None)
    with app.server.app_context():
        try:
            built = build(request, pdf=pdf, pptx=pptx, progress=lambda m: click.echo(m + "…"))
        except (ValueError, ChartsUnavailable) as error:
            raise click.ClickException(str(error)) from error
    if pdf is not None:
        click.echo(f"Wrote {pdf} ({built.pages} pages, {built.exceptions} exceptions).")
    if pptx is not None:
        click.echo(f"Wrote {pptx} ({len(built.slide_titles)} slides).")
    click.echo(f"Built in {built.seconds:.1f} seconds.")


if __name__ == "__main__":
    cli()
