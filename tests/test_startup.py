"""Nothing slow to import is loaded before it is needed, so the dashboard and the ``kpi`` command start fast.

Each check starts a fresh Python, as ``gunicorn app:server`` or the ``kpi`` command does, and looks at what
it imported. SciPy (exact Poisson limits, funnel curves) and openpyxl (reading and writing workbooks) took
about half of the dashboard's start-up before they were imported only where they are used; ``kpi import
--help`` loaded SQLAlchemy to check for a locked store that no help text touches.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOADED_ONLY_WHEN_USED = ("scipy", "openpyxl")


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code``."""
    env = {**os.environ, "KPI_DATABASE_URL": f"duckdb:///{tmp_path / 'store.duckdb'}"}
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_starting_the_dashboard_imports_neither_scipy_nor_openpyxl(tmp_path):
    loaded = _modules_after("import app", tmp_path)
    assert "dash" in loaded and "pandas" in loaded  # the dashboard was really built
    assert loaded.isdisjoint(LOADED_ONLY_WHEN_USED), loaded & set(LOADED_ONLY_WHEN_USED)


def test_a_commands_help_touches_no_database_library(tmp_path):
    code = (
        "import sys\nfrom kpi import cli\n"
        "try:\n    cli(['import', '--help'])\nexcept SystemExit as end:\n    assert end.code == 0, end.code"
    )
    loaded = _modules_after(code, tmp_path)
    assert "click" in loaded
    assert loaded.isdisjoint({"sqlalchemy", "pandas", "duckdb", *LOADED_ONLY_WHEN_USED})
