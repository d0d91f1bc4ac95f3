"""The Healthy Child Programme outcomes dashboard, for ``gunicorn app:server`` or ``python app.py``.

The store is the one named by ``KPI_DATABASE_URL`` (see ``data/db.py``); create it with ``kpi seed``. The
``kpi`` command is in ``kpi.py``, so that a data command does not build the dashboard; ``cli`` is named
here too, so that ``app:cli`` (what ``kpi`` ran before) still works.
"""

from __future__ import annotations

import os

from dashboard import create_app
from dashboard.memory import freeze_held_objects
from kpi import cli

__all__ = ["app", "cli", "server"]

app = create_app()
server = app.server
freeze_held_objects()


if __name__ == "__main__":
    app.run(
        host=os.environ.get("KPI_HOST", "127.0.0.1"),
        port=int(os.environ.get("KPI_PORT", "8050")),
        debug=os.environ.get("KPI_DEBUG") == "1",
    )
