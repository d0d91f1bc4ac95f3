"""The Healthy Child Programme outcomes dashboard, for ``gunicorn app:server`` or ``python app.py``.

The store is the one named by ``KPI_DATABASE_URL`` (see ``data/db.py``); create it with ``kpi seed``.
"""

from __future__ import annotations

import os

import click

from dashboard import create_app
from data import schema
from data.cli import build_store
from data.cli import main as cli
from data.db import make_engine

app = create_app()
server = app.server


@cli.command(help="Serve the dashboard (for development; use 'gunicorn app:server' in production).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show Dash's developer tools.")
def serve(host: str, port: int, debug: bool) -> None:
    writer = make_engine()
    if not schema.has_schema(writer):
        click.echo("Building the store from the bundled data (first run only)…")
        build_store(writer)
    writer.dispose()
    click.echo(f"Serving the dashboard on http://{host}:{port} (press Ctrl+C to stop)")
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    app.run(
        host=os.environ.get("KPI_HOST", "127.0.0.1"),
        port=int(os.environ.get("KPI_PORT", "8050")),
        debug=os.environ.get("KPI_DEBUG") == "1",
    )
