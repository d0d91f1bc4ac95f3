"""Users in the store, on DuckDB and PostgreSQL: who may add and disable them, and who may sign in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data import schema
from data.access import PermissionDenied, User
from data.users import (
    UsersExist,
    add_first_admin,
    add_user,
    disable_user,
    enabled_user,
    has_users,
    list_users,
    verify,
)

ADMIN = User("Asha Patel", frozenset({"admin"}))
OFFICER = User("Kim Lee", frozenset({"officer"}))
PASSWORD = "correct horse battery"


def test_the_first_admin_can_be_made_only_while_there_are_no_users(any_store):
    assert not has_users(any_store)
    first = add_first_admin(any_store, "Asha Patel", PASSWORD)
    assert (first.role, first.created_by, first.disabled) == ("admin", "first run", False)
    with pytest.raises(UsersExist):
        add_first_admin(any_store, "Mallory", PASSWORD)
    assert [u.name for u in list_users(any_store)] == ["Asha Patel"]


def test_an_admin_adds_a_user_who_can_then_sign_in_with_their_role(any_store):
    added = add_user(any_store, ADMIN, "Kim Lee", PASSWORD, "Officer", display_name="Kim")
    assert (added.name, added.role, added.display_name, added.created_by) == (
        "Kim Lee",
        "officer",
        "Kim",
        ADMIN.name,
    )
    assert verify(any_store, "Kim Lee", PASSWORD) == OFFICER


def test_only_the_hash_is_stored_never_the_password(any_store):
    add_user(any_store, ADMIN, "Kim Lee", PASSWORD, "officer")
    with any_store.connect() as conn:
        stored = conn.execute(sa.select(schema.users.c.password_hash)).scalar()
    assert stored.startswith("scrypt:") and PASSWORD not in stored


def test_a_wrong_name_and_a_wrong_password_give_the_same_answer(any_store):
    add_user(any_store, ADMIN, "Kim Lee", PASSWORD, "officer")
    assert verify(any_store, "Kim Lee", "wrong password here") is None
    assert verify(any_store, "Nobody", PASSWORD) is None


def test_officers_and_viewers_cannot_add_or_disable_users_and_nothing_is_written(any_store):
    add_user(any_store, ADMIN, "Kim Lee", PASSWORD, "officer")
    with pytest.raises(PermissionDenied, match="Only an administrator can add and disable users"):
        add_user(any_store, OFFICER, "Mallory", PASSWORD, "admin")
    with pytest.raises(PermissionDenied):
        disable_user(any_store, User("Sam Jones", frozenset({"viewer"})), "Kim Lee")
    assert [(u.name, u.disabled) for u in list_users(any_store)] == [("Kim Lee", False)]


def test_a_disabled_user_cannot_sign_in_and_their_session_ends(any_store):
    add_user(any_store, ADMIN, "Kim Lee", PASSWORD, "officer")
    assert enabled_user(any_store, "Kim Lee") == OFFICER
    disable_user(any_store, ADMIN, "Kim Lee")
    assert verify(any_store, "Kim Lee", PASSWORD) is None
    assert enabled_user(any_store, "Kim Lee") is None
    assert list_users(any_store)[0].disabled


def test_short_passwords_duplicate_names_and_unknown_roles_are_refused_in_words(any_store):
    with pytest.raises(ValueError, match="at least 12 characters"):
        add_user(any_store, ADMIN, "Kim Lee", "short", "officer")
    add_user(any_store, ADMIN, "Kim Lee", PASSWORD, "officer")
    with pytest.raises(ValueError, match="already a user called Kim Lee"):
        add_user(any_store, ADMIN, " Kim Lee ", PASSWORD, "viewer")
    with pytest.raises(ValueError, match="Unknown role 'boss'"):
        add_user(any_store, ADMIN, "Lee", PASSWORD, "boss")


def test_the_last_administrator_cannot_be_disabled(any_store):
    add_first_admin(any_store, "Asha Patel", PASSWORD)
    with pytest.raises(ValueError, match="only administrator left"):
        disable_user(any_store, ADMIN, "Asha Patel")
    with pytest.raises(LookupError, match="no user called Nobody"):
        disable_user(any_store, ADMIN, "Nobody")
