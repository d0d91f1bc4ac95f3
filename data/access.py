"""Who may do what: the one server-side permission check.

Every function that changes money, KPIs, contract decisions or data takes the :class:`User` making the
change and calls :func:`require` before it opens a transaction, so a refused change writes nothing. The
dashboard may use :func:`can` to hide controls a user cannot use, but hiding is a courtesy: the check that
counts is the one here, made by the store function itself.

Roles:

* ``admin``: everything: users, targets, the indicator catalogue, payment schemes, extension decisions,
  rolling back an import;
* ``officer``: loads data, writes commentary and remedial actions, records process changes for SPC;
* ``viewer``: reads only (committee members).

:func:`command_line_user` is who runs the ``kpi`` command line: ``KPI_USER`` (default: the operating-system
login name) with the role in ``KPI_ROLE`` (default ``viewer``). It is for the command line only: a web
request's user comes from its sign-in (``dashboard.auth``), never from the environment.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

CHANGE_SCHEME = "change a payment scheme"
RECORD_EXTENSION = "record a contract extension decision"
IMPORT_DATA = "import data"
ROLL_BACK_IMPORT = "roll back an import"
WRITE_COMMENTARY = "write commentary"
MANAGE_ACTIONS = "record and update remedial actions"
RECORD_PROCESS_CHANGE = "record or withdraw a process change"
CHANGE_TARGETS = "change targets and the indicator catalogue"
MANAGE_USERS = "add and disable users"
MANAGE_CATALOGUE = "map indicators into a framework and edit the catalogue"

PERMISSIONS = frozenset(
    {
        CHANGE_SCHEME,
        RECORD_EXTENSION,
        IMPORT_DATA,
        ROLL_BACK_IMPORT,
        WRITE_COMMENTARY,
        MANAGE_ACTIONS,
        RECORD_PROCESS_CHANGE,
        CHANGE_TARGETS,
        MANAGE_USERS,
        MANAGE_CATALOGUE,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": PERMISSIONS,
    "officer": frozenset({IMPORT_DATA, WRITE_COMMENTARY, MANAGE_ACTIONS, RECORD_PROCESS_CHANGE}),
    "viewer": frozenset(),
}

# How a role is named in a sentence ("Only an administrator can ...").
ROLE_NAMES = {"admin": "an administrator", "officer": "an officer", "viewer": "a viewer"}

USER_VARIABLE = "KPI_USER"
ROLE_VARIABLE = "KPI_ROLE"
DEFAULT_ROLE = "viewer"


class PermissionDenied(PermissionError):
    """The user's roles do not allow the change; the message says who may make it."""

    def __init__(self, user: User, permission: str) -> None:
        self.user = user
        self.permission = permission
        allowed = [ROLE_NAMES[role] for role, granted in ROLE_PERMISSIONS.items() if permission in granted]
        who = (
            f"you are signed in as {user.name} ({', '.join(sorted(user.roles)) or 'no role'})."
            if user.signed_in
            else "you are not signed in."
        )
        super().__init__(f"Only {' or '.join(allowed)} can {permission}; {who}")


@dataclass(frozen=True)
class User:
    """A person using the dashboard: the name recorded against their changes, and their roles."""

    name: str
    roles: frozenset[str]
    signed_in: bool = True  # False for someone reading a public dashboard without signing in

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("A user needs a name, so that changes can be attributed.")
        unknown = sorted(set(self.roles) - set(ROLE_PERMISSIONS))
        if unknown:
            raise ValueError(
                f"Unknown role {', '.join(map(repr, unknown))}; roles are {', '.join(ROLE_PERMISSIONS)}."
            )
        object.__setattr__(self, "roles", frozenset(self.roles))


def can(user: User, permission: str) -> bool:
    """True when any of the user's roles grants ``permission``."""
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}")
    return any(permission in ROLE_PERMISSIONS[role] for role in user.roles)


def require(user: User, permission: str) -> None:
    """Raise :class:`PermissionDenied` unless the user may do ``permission``."""
    if not can(user, permission):
        raise PermissionDenied(user, permission)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except OSError:  # no login name in the environment (some containers)
        return "unknown user"


def command_line_user() -> User:
    """Who runs the command line: from ``KPI_USER`` and ``KPI_ROLE`` (never used for a web request)."""
    name = os.environ.get(USER_VARIABLE, "").strip() or _login_name()
    role = os.environ.get(ROLE_VARIABLE, "").strip().lower() or DEFAULT_ROLE
    return User(name, frozenset({role}))
