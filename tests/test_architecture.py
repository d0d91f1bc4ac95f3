"""The layers stay apart: metrics is pure, data never imports the dashboard, and the dashboard reaches the
store only through dashboard.data_access (import-linter contracts)."""

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
    assert "Contracts: 4 kept, 0 broken" in result.stdout


def _package_tree(root: Path) -> None:
    """The three packages, with the store's way in as the real tree has it."""
    for package in ("metrics", "data", "dashboard", "dashboard/pages"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("")
    (root / "data" / "queries.py").write_text("import sqlalchemy\n")
    (root / "data" / "contracts.py").write_text("import sqlalchemy\n")
    (root / "dashboard" / "data_access.py").write_text(
        "import sqlalchemy\nfrom data import contracts, queries\n"
    )
    (root / "dashboard" / "factory.py").write_text("import sqlalchemy\n")


def test_contracts_catch_a_layer_violation(tmp_path):
    """A metrics module that imports SQLAlchemy, and a data module that imports the dashboard, are
    caught."""
    _package_tree(tmp_path)
    (tmp_path / "metrics" / "bad.py").write_text("import sqlalchemy\n")
    (tmp_path / "data" / "bad.py").write_text("import dashboard\n")
    result = _lint(tmp_path, extra_path=tmp_path)
    assert result.returncode != 0
    assert "Contracts: 2 kept, 2 broken" in result.stdout


def test_contracts_catch_a_page_that_reads_the_store_itself(tmp_path):
    """A page that queries the store directly, not through dashboard.data_access, is caught."""
    _package_tree(tmp_path)
    result = _lint(tmp_path, extra_path=tmp_path)
    assert "Contracts: 4 kept, 0 broken" in result.stdout, result.stdout
    (tmp_path / "dashboard" / "pages" / "bad.py").write_text("from data import queries\n")
    result = _lint(tmp_path, extra_path=tmp_path)
    assert result.returncode != 0
    assert "Contracts: 3 kept, 1 broken" in result.stdout
    assert "dashboard.pages.bad -> data.queries" in result.stdout
