"""The people who may sign in: add, list, disable, and check a name and password.

Passwords are kept only as werkzeug scrypt hashes and checked with werkzeug's constant-time comparison. A
wrong name and a wrong password give the same answer and take about the same time (an unknown name is
checked against a stand-in hash), so the sign-in page does not tell anyone which names exist. A disabled
user is kept, so the changes recorded under the name still say who made them, but cannot sign in.

Adding and disabling users needs :data:`access.MANAGE_USERS`, checked before any transaction opens; the one
exception is :func:`add_first_admin`, which the command line uses to create the first administrator of a
store that has no users at all.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from data import access, schema

MIN_PASSWORD_LENGTH = 12
MAX_NAME_LENGTH = 120
HASH_METHOD = "scrypt"


@dataclass(frozen=True)
class UserRecord:
    """One user as the store holds them (never the password or its hash)."""

    name: str
    display_name: str | None
    role: str
    disabled: bool
    created_at: dt.datetime
    created_by: str
    last_sign_in: dt.datetime | None


def check_password(password: str) -> None:
    """Raise ValueError, in words, unless ``password`` is long enough to use."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long; "
            "a short phrase of several words is easy to remember and hard to guess."
        )


def _checked_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ValueError("A user needs a name to sign in with.")
    if len(cleaned) > MAX_NAME_LENGTH or any(not c.isprintable() for c in cleaned):
        raise ValueError(f"A name is at most {MAX_NAME_LENGTH} ordinary characters.")
    return cleaned


def _checked_role(role: str) -> str:
    cleaned = role.strip().lower()
    if cleaned not in access.ROLE_PERMISSIONS:
        raise ValueError(f"Unknown role {role!r}; roles are {', '.join(access.ROLE_PERMISSIONS)}.")
    return cleaned


def _insert(conn: sa.Connection, name: str, password: str, role: str, display_name: str | None, by: str):
    if conn.execute(sa.select(schema.users.c.name).where(schema.users.c.name == name)).first():
        raise ValueError(f"There is already a user called {name}.")
    conn.execute(
        schema.users.insert().values(
            name=name,
            display_name=(display_name or "").strip() or None,
            role=role,
            password_hash=generate_password_hash(password, method=HASH_METHOD),
            disabled=False,
            created_at=dt.datetime.now(),
            created_by=by,
            last_sign_in=None,
        )
    )


def add_user(
    engine: sa.Engine, by: access.User, name: str, password: str, role: str, display_name: str | None = None
) -> UserRecord:
    """Add a user who can sign in with ``name`` and ``password``; ``by`` needs MANAGE_USERS."""
    access.require(by, access.MANAGE_USERS)
    name, role = _checked_name(name), _checked_role(role)
    check_password(password)
    with engine.begin() as conn:
        _insert(conn, name, password, role, display_name, by.name)
    return get_user(engine, name)


class UsersExist(PermissionError):
    """The first administrator can be made only while the store has no users."""


def add_first_admin(
    engine: sa.Engine, name: str, password: str, display_name: str | None = None
) -> UserRecord:
    """Add the store's first user, an administrator, with no one to authorise it: refused once any user
    exists, so that it cannot be used to make a second, unauthorised administrator."""
    name = _checked_name(name)
    check_password(password)
    with engine.begin() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(schema.users)).scalar():
            raise UsersExist("There are users already: an administrator must add new users.")
        _insert(conn, name, password, "admin", display_name, "first run")
    return get_user(engine, name)


def has_users(engine: sa.Engine) -> bool:
    """True once any user (enabled or not) has been added."""
    with engine.connect() as conn:
        return bool(conn.execute(sa.select(sa.func.count()).select_from(schema.users)).scalar())


def _record(row: sa.RowMapping) -> UserRecord:
    return UserRecord(
        name=row["name"],
        display_name=row["display_name"],
        role=row["role"],
        disabled=bool(row["disabled"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        last_sign_in=row["last_sign_in"],
    )


def list_users(engine: sa.Engine) -> list[UserRecord]:
    """Every user, by name."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.users).order_by(schema.users.c.name)).mappings().all()
    return [_record(row) for row in rows]


def get_user(engine: sa.Engine, name: str) -> UserRecord:
    """The user called ``name``; LookupError if there is none."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(schema.users).where(schema.users.c.name == name)).mappings().first()
    if row is None:
        raise LookupError(f"There is no user called {name}.")
    return _record(row)


def disable_user(engine: sa.Engine, by: access.User, name: str) -> UserRecord:
    """Stop ``name`` signing in (their sessions end at their next request); ``by`` needs MANAGE_USERS. The
    last enabled administrator cannot be disabled, or no one could manage users again."""
    access.require(by, access.MANAGE_USERS)
    users = schema.users
    with engine.begin() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        if row is None:
            raise LookupError(f"There is no user called {name}.")
        if row["role"] == "admin" and not row["disabled"]:
            admins = conn.execute(
                sa.select(sa.func.count()).where(users.c.role == "admin", users.c.disabled.is_(False))
            ).scalar()
            if admins == 1:
                raise ValueError(f"{name} is the only administrator left, so cannot be disabled.")
        conn.execute(users.update().where(users.c.name == name).values(disabled=True))
    return get_user(engine, name)


@functools.cache
def _stand_in_hash() -> str:
    """A hash no password matches, checked when the name is unknown so that the answer takes as long."""
    return generate_password_hash("no user has this password", method=HASH_METHOD)


def _as_access_user(row: sa.RowMapping) -> access.User:
    return access.User(row["name"], frozenset({row["role"]}))


def verify(engine: sa.Engine, name: str, password: str) -> access.User | None:
    """The user, if ``name`` and ``password`` match an enabled user; otherwise None, whichever was wrong."""
    with engine.connect() as conn:
        row = (
            conn.execute(sa.select(schema.users).where(schema.users.c.name == name.strip()))
            .mappings()
            .first()
        )
    stored = row["password_hash"] if row is not None else _stand_in_hash()
    matches = check_password_hash(stored, password)
    if row is None or not matches or row["disabled"]:
        return None
    return _as_access_user(row)


def enabled_user(engine: sa.Engine, name: str) -> access.User | None:
    """The user called ``name`` if they exist and are not disabled (checked on every signed-in request)."""
    users = schema.users
    with engine.connect() as conn:
        row = (
            conn.execute(sa.select(users).where(users.c.name == name, users.c.disabled.is_(False)))
            .mappings()
            .first()
        )
    return None if row is None else _as_access_user(row)


def record_sign_in(engine: sa.Engine, name: str) -> None:
    """Note when ``name`` last signed in (shown by ``kpi user list``)."""
    with engine.begin() as conn:
        conn.execute(
            schema.users.update().where(schema.users.c.name == name).values(last_sign_in=dt.datetime.now())
        )
