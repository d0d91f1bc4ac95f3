"""kpi user add, list and disable: the first administrator, passwords asked for twice, plain refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from data import db, users
from kpi import cli

PASSWORD = "a long enough password"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference_store_file: Path) -> str:
    """A DuckDB file holding the reference data and no users, named by KPI_DATABASE_URL."""
    path = tmp_path / "store.duckdb"
    shutil.copy(reference_store_file, path)
    url = f"duckdb:///{path}"
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    return url


def _kpi(*arguments: str, typed: str = "", **environment: str):
    return CliRunner().invoke(cli, list(arguments), input=typed, env=environment or None)


def _users(url: str) -> list[users.UserRecord]:
    engine = db.make_engine(url)
    try:
        return users.list_users(engine)
    finally:
        engine.dispose()


def test_with_no_users_list_says_how_to_create_the_first_admin(database):
    result = _kpi("user", "list")
    assert result.exit_code == 0
    assert result.output.strip() == (
        "No one can sign in yet: create the first administrator with 'kpi user add YOUR-NAME --role admin'."
    )


def test_the_first_user_must_be_an_admin_and_needs_no_one_to_authorise_it(database):
    refused = _kpi("user", "add", "Kim Lee", "--role", "officer", typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert refused.exit_code == 1
    assert "The first user must be an administrator" in refused.output
    added = _kpi("user", "add", "Asha Patel", "--role", "admin", typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    assert "Added Asha Patel (admin)." in added.output
    assert PASSWORD not in added.output, "the password is not echoed"
    assert [(u.name, u.role, u.created_by) for u in _users(database)] == [
        ("Asha Patel", "admin", "first run")
    ]


def test_after_the_first_admin_adding_a_user_needs_an_admin_at_the_command_line(database):
    _kpi("user", "add", "Asha Patel", "--role", "admin", typed=f"{PASSWORD}\n{PASSWORD}\n")
    viewer = _kpi(
        "user", "add", "Kim Lee", "--role", "officer", typed=f"{PASSWORD}\n{PASSWORD}\n", KPI_ROLE="viewer"
    )
    assert viewer.exit_code == 1
    assert "Only an administrator can add and disable users" in viewer.output
    admin = _kpi(
        "user",
        "add",
        "Kim Lee",
        "--role",
        "officer",
        typed=f"{PASSWORD}\n{PASSWORD}\n",
        KPI_USER="Asha Patel",
        KPI_ROLE="admin",
    )
    assert admin.exit_code == 0, admin.output
    listing = _kpi("user", "list").output
    assert "Asha Patel: admin, never signed in" in listing and "Kim Lee: officer, never signed in" in listing


def test_short_and_mistyped_passwords_are_refused_in_plain_words(database):
    short = _kpi("user", "add", "Asha Patel", "--role", "admin", typed="short\nshort\n")
    assert short.exit_code == 1
    assert "The password must be at least 12 characters long" in short.output
    mistyped = _kpi("user", "add", "Asha Patel", "--role", "admin", typed=f"{PASSWORD}\nsomething else\n")
    assert mistyped.exit_code == 1
    assert _users(database) == []


def test_disable_stops_a_user_signing_in(database):
    _kpi("user", "add", "Asha Patel", "--role", "admin", typed=f"{PASSWORD}\n{PASSWORD}\n")
    as_admin = {"KPI_USER": "Asha Patel", "KPI_ROLE": "admin"}
    _kpi("user", "add", "Kim Lee", "--role", "officer", typed=f"{PASSWORD}\n{PASSWORD}\n", **as_admin)
    result = _kpi("user", "disable", "Kim Lee", **as_admin)
    assert (result.exit_code, result.output.strip()) == (0, "Kim Lee can no longer sign in.")
    assert "Kim Lee: officer, never signed in  DISABLED" in _kpi("user", "list").output
    unknown = _kpi("user", "disable", "Nobody", **as_admin)
    assert (unknown.exit_code, unknown.output.strip()) == (1, "Error: There is no user called Nobody.")


def test_serve_says_how_to_create_the_first_admin_when_no_one_can_sign_in(database, monkeypatch):
    import kpi

    monkeypatch.setattr(kpi, "run_gunicorn", lambda *_: None)
    result = _kpi("serve")
    assert result.exit_code == 0, result.output
    assert "create the first administrator with 'kpi user add YOUR-NAME --role admin'" in result.output


def test_serve_runs_one_worker_on_a_duckdb_store_the_dashboard_writes(database, monkeypatch):
    import kpi

    served: list = []
    monkeypatch.setattr(kpi, "run_gunicorn", lambda *arguments: served.append(arguments))
    result = _kpi("serve", "--workers", "3", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "the dashboard runs in one worker here (asked for 3)" in result.output
    assert served == [("127.0.0.1", 8123, 1, 4)]

    read_only = _kpi("serve", KPI_WORKERS="3", KPI_DATABASE_READ_ONLY="1")
    assert "one worker" not in read_only.output
    assert served[-1] == ("127.0.0.1", 8050, 3, 4)  # many processes may read a DuckDB file


def test_postgresql_is_served_by_as_many_workers_as_asked():
    import kpi

    assert kpi.worker_count("postgresql+psycopg://u@h/db", 4, read_only=False) == (4, None)
    workers, why = kpi.worker_count("duckdb:///store.duckdb", 4, read_only=False)
    assert workers == 1 and why and "PostgreSQL" in why
