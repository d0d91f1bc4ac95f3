"""Commentary and remedial actions for contract monitoring: what is said about a figure, and what is done.

Commentary is the provider's explanation of a figure or the commissioner's view of it, for one indicator,
area and period, kept as plain text (never read as HTML or Markdown) with its author and time. An entry is
never edited: a correction is a new entry, so the record of what was said stays whole.

A remedial action says what will be done, who owns it and when it is due, for an indicator, area and
quarter. Its status (open or done) is the latest entry in its history of updates; "overdue" is worked out
when it is read (open and past its due date), so it is never stale.

Every write takes the :class:`data.access.User` making it, checks the permission (WRITE_COMMENTARY or
MANAGE_ACTIONS) before opening a transaction, and records the user's name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from data import access, schema

PROVIDER, COMMISSIONER = "provider", "commissioner"
KINDS = {PROVIDER: "Provider's explanation", COMMISSIONER: "Commissioner's view"}
OPEN, DONE, OVERDUE = "open", "done", "overdue"
STATUSES = (OPEN, DONE)
MAX_TEXT = 5000
MAX_OWNER = 200


class MonitoringError(ValueError):
    """A commentary or action that cannot be recorded as given; the message says why in plain words."""


@dataclass(frozen=True)
class Commentary:
    """One entry of commentary on an indicator's figure for an area and period."""

    id: str
    indicator_code: str
    area_code: str
    period_label: str
    kind: str
    text: str
    author: str
    written_at: dt.datetime


@dataclass(frozen=True)
class ActionUpdate:
    """One entry in an action's history: its status after the update, and why."""

    sequence: int
    status: str
    note: str
    updated_by: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class Action:
    """A remedial action with its history (oldest first); ``status`` is 'open', 'done' or 'overdue'."""

    id: str
    indicator_code: str
    area_code: str
    period_label: str
    what: str
    owner: str
    due_date: dt.date
    created_by: str
    created_at: dt.datetime
    history: tuple[ActionUpdate, ...]
    status: str


def _text(value: str | None, what: str, limit: int = MAX_TEXT) -> str:
    """``value`` trimmed, or a plain refusal if it is empty or longer than ``limit`` characters."""
    text = (value or "").strip()
    if not text:
        raise MonitoringError(f"Enter {what}.")
    if len(text) > limit:
        raise MonitoringError(
            f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer; it has {len(text):,}."
        )
    return text


def _check_subject(conn: sa.Connection, indicator_code: str, area_code: str, period_label: str) -> None:
    """Refuse an unknown indicator or area, or a blank period, in words rather than a database error."""
    ind, areas = schema.indicators, schema.areas
    if conn.execute(sa.select(ind.c.code).where(ind.c.code == indicator_code)).first() is None:
        raise MonitoringError(f"There is no indicator with the code {indicator_code!r}.")
    if conn.execute(sa.select(areas.c.code).where(areas.c.code == area_code)).first() is None:
        raise MonitoringError(f"There is no area with the code {area_code!r}.")
    if not period_label.strip():
        raise MonitoringError("Say which period the entry is about.")


def _now() -> dt.datetime:
    return dt.datetime.now()


# --- Commentary ---------------------------------------------------------------------------------------------


def add_commentary(
    engine: sa.Engine,
    user: access.User,
    *,
    indicator_code: str,
    area_code: str,
    period_label: str,
    kind: str,
    text: str,
) -> Commentary:
    """Record a commentary entry as ``user`` (an officer or administrator) and return it."""
    access.require(user, access.WRITE_COMMENTARY)
    if kind not in KINDS:
        raise MonitoringError("Choose whose commentary this is: the provider's or the commissioner's.")
    entry = Commentary(
        id=str(uuid.uuid4()),
        indicator_code=indicator_code,
        area_code=area_code,
        period_label=period_label.strip(),
        kind=kind,
        text=_text(text, "the commentary"),
        author=user.name,
        written_at=_now(),
    )
    with engine.begin() as conn:
        _check_subject(conn, indicator_code, area_code, period_label)
        conn.execute(
            schema.commentary.insert().values(
                id=entry.id,
                indicator_code=entry.indicator_code,
                area_code=entry.area_code,
                period_label=entry.period_label,
                kind=entry.kind,
                body=entry.text,
                author=entry.author,
                written_at=entry.written_at,
            )
        )
    return entry


def commentary_for(
    engine: sa.Engine, area_code: str, period_labels: Iterable[str] | None = None
) -> list[Commentary]:
    """The area's commentary (for ``period_labels`` only, when given), oldest first."""
    table = schema.commentary
    query = sa.select(table).where(table.c.area_code == area_code)
    if period_labels is not None:
        query = query.where(table.c.period_label.in_(list(period_labels)))
    query = query.order_by(table.c.written_at, table.c.id)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        Commentary(
            id=row["id"],
            indicator_code=row["indicator_code"],
            area_code=row["area_code"],
            period_label=row["period_label"],
            kind=row["kind"],
            text=row["body"],
            author=row["author"],
            written_at=row["written_at"],
        )
        for row in rows
    ]


# --- Remedial actions ---------------------------------------------------------------------------------------


def add_action(
    engine: sa.Engine,
    user: access.User,
    *,
    indicator_code: str,
    area_code: str,
    period_label: str,
    what: str,
    owner: str,
    due_date: dt.date | None,
) -> str:
    """Record a remedial action (open) as ``user`` and return its id."""
    access.require(user, access.MANAGE_ACTIONS)
    what = _text(what, "what will be done")
    owner = _text(owner, "who owns the action", MAX_OWNER)
    if due_date is None:
        raise MonitoringError("Enter the date the action is due, for example 31 12 2025.")
    action_id, now = str(uuid.uuid4()), _now()
    with engine.begin() as conn:
        _check_subject(conn, indicator_code, area_code, period_label)
        conn.execute(
            schema.remedial_actions.insert().values(
                id=action_id,
                indicator_code=indicator_code,
                area_code=area_code,
                period_label=period_label.strip(),
                what=what,
                owner=owner,
                due_date=due_date,
                created_by=user.name,
                created_at=now,
            )
        )
        conn.execute(
            schema.remedial_action_updates.insert().values(
                action_id=action_id,
                sequence=1,
                status=OPEN,
                note="Action recorded",
                updated_by=user.name,
                updated_at=now,
            )
        )
    return action_id


def update_action(engine: sa.Engine, user: access.User, action_id: str, status: str, note: str) -> None:
    """Add an update to an action's history as ``user``: its new status ('open' or 'done') and why."""
    access.require(user, access.MANAGE_ACTIONS)
    if status not in STATUSES:
        raise MonitoringError("Choose the action's status: open or done.")
    note = _text(note, "a note saying what has changed")
    updates = schema.remedial_action_updates
    with engine.begin() as conn:
        found = conn.execute(
            sa.select(schema.remedial_actions.c.id).where(schema.remedial_actions.c.id == action_id)
        ).first()
        if found is None:
            raise MonitoringError("That action is not in the store; it may have been entered elsewhere.")
        last = conn.execute(
            sa.select(sa.func.max(updates.c.sequence)).where(updates.c.action_id == action_id)
        ).scalar()
        conn.execute(
            updates.insert().values(
                action_id=action_id,
                sequence=(last or 0) + 1,
                status=status,
                note=note,
                updated_by=user.name,
                updated_at=_now(),
            )
        )


def action_status(history: tuple[ActionUpdate, ...], due_date: dt.date, today: dt.date) -> str:
    """'done', 'overdue' (open and past its due date) or 'open', from the latest update."""
    latest = history[-1].status if history else OPEN
    if latest == DONE:
        return DONE
    return OVERDUE if due_date < today else OPEN


def actions_for(
    engine: sa.Engine,
    area_code: str,
    period_labels: Iterable[str] | None = None,
    *,
    today: dt.date | None = None,
) -> list[Action]:
    """The area's remedial actions (for ``period_labels`` only, when given), by due date, each with its
    history and its status as at ``today`` (default: today)."""
    day = today or dt.date.today()
    actions, updates = schema.remedial_actions, schema.remedial_action_updates
    query = sa.select(actions).where(actions.c.area_code == area_code)
    if period_labels is not None:
        query = query.where(actions.c.period_label.in_(list(period_labels)))
    history_query = (
        sa.select(updates)
        .join(actions, actions.c.id == updates.c.action_id)
        .where(actions.c.area_code == area_code)
        .order_by(updates.c.action_id, updates.c.sequence)
    )
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(actions.c.due_date, actions.c.created_at)).mappings().all()
        history_rows = conn.execute(history_query).mappings().all()
    histories: dict[str, list[ActionUpdate]] = {}
    for row in history_rows:
        histories.setdefault(row["action_id"], []).append(
            ActionUpdate(row["sequence"], row["status"], row["note"], row["updated_by"], row["updated_at"])
        )
    result = []
    for row in rows:
        history = tuple(histories.get(row["id"], ()))
        result.append(
            Action(
                id=row["id"],
                indicator_code=row["indicator_code"],
                area_code=row["area_code"],
                period_label=row["period_label"],
                what=row["what"],
                owner=row["owner"],
                due_date=row["due_date"],
                created_by=row["created_by"],
                created_at=row["created_at"],
                history=history,
                status=action_status(history, row["due_date"], day),
            )
        )
    return result
