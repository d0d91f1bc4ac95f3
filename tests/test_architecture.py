"""The layers stay apart: metrics is pure, data never imports the dashboard (import-linter contracts)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _lint(cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_import_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_contracts_catch_a_layer_violation(tmp_path):
    """A metrics module that imports SQLAlchemy, and a data module that imports the dashboard, are caught."""
    for package in ("metrics", "data", "dashboard"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "metrics" / "bad.py").write_text("import sqlalchemy\n")
    (tmp_path / "data" / "bad.py").write_text("import dashboard\n")
    result = _lint(tmp_path, extra_path=tmp_path)
    assert result.returncode != 0
    assert "Contracts: 1 kept, 2 broken" in result.stdout
