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


@cli.command(help="Serve the dashboard (for development; use 'gunicorn app:server' in production).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show Dash's developer tools.")
def serve(host: str, port: int, debug: bool) -> None:
    from data import schema, users
    from data.db import make_engine

    writer = make_engine()
    if not schema.has_schema(writer):
        click.echo("Building the store from the bundled data (first run only)…")
        build_store(writer)
    else:
        schema.create_schema(writer)  # a store from an earlier release is upgraded in place
    if not users.has_users(writer):
        click.echo(FIRST_ADMIN_HINT)
    writer.dispose()
    from app import app

    click.echo(f"Serving the dashboard on http://{host}:{port} (press Ctrl+C to stop)")
    app.run(host=host, port=port, debug=debug)


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
