"""The permission check: who may change what, the message when they may not, and the safe default user."""

from __future__ import annotations

import getpass

import pytest

from data.access import (
    CHANGE_SCHEME,
    IMPORT_DATA,
    PERMISSIONS,
    RECORD_EXTENSION,
    ROLE_PERMISSIONS,
    PermissionDenied,
    User,
    can,
    command_line_user,
    require,
)


def test_an_administrator_may_do_everything():
    admin = User("Asha Patel", frozenset({"admin"}))
    assert ROLE_PERMISSIONS["admin"] == PERMISSIONS
    for permission in PERMISSIONS:
        require(admin, permission)


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_only_an_administrator_may_change_a_payment_scheme(role):
    with pytest.raises(PermissionDenied) as refused:
        require(User("Sam Jones", frozenset({role})), CHANGE_SCHEME)
    assert str(refused.value) == (
        f"Only an administrator can change a payment scheme; you are signed in as Sam Jones ({role})."
    )
    assert not can(User("Sam Jones", frozenset({role})), RECORD_EXTENSION)


def test_an_officer_may_import_data_and_a_viewer_may_not():
    require(User("Sam Jones", frozenset({"officer"})), IMPORT_DATA)
    with pytest.raises(PermissionDenied, match="Only an administrator or an officer can import data"):
        require(User("Kim Lee", frozenset({"viewer"})), IMPORT_DATA)


def test_a_user_with_no_role_may_do_nothing():
    nobody = User("Kim Lee", frozenset())
    assert not any(can(nobody, permission) for permission in PERMISSIONS)
    with pytest.raises(PermissionDenied, match=r"signed in as Kim Lee \(no role\)"):
        require(nobody, RECORD_EXTENSION)


def test_unknown_roles_and_permissions_are_refused_rather_than_ignored():
    with pytest.raises(ValueError, match="Unknown role 'superuser'; roles are admin, officer, viewer"):
        User("Kim Lee", frozenset({"superuser"}))
    with pytest.raises(ValueError, match="Unknown permission"):
        can(User("Kim Lee", frozenset({"admin"})), "delete everything")


def test_on_the_command_line_the_user_is_the_login_name_and_a_viewer(monkeypatch):
    monkeypatch.delenv("KPI_USER", raising=False)
    monkeypatch.delenv("KPI_ROLE", raising=False)
    user = command_line_user()
    assert user == User(getpass.getuser(), frozenset({"viewer"}))
    assert not can(user, CHANGE_SCHEME)


def test_on_the_command_line_the_environment_names_the_user_and_role(monkeypatch):
    monkeypatch.setenv("KPI_USER", "Asha Patel")
    monkeypatch.setenv("KPI_ROLE", " Admin ")
    assert command_line_user() == User("Asha Patel", frozenset({"admin"}))
