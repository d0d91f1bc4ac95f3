"""The ``kpi`` command: the data commands of :mod:`data.cli`, and ``kpi serve`` for the dashboard.

It lives beside ``app.py`` because it needs both layers, and data/ must not import the dashboard. Nothing
heavy is imported until a command runs: ``serve`` imports the dashboard (``app.py``) only when it starts.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    cli()
