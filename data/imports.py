"""Imports after the event: loading an uploaded file, the history of imports, the file each one read,
rolling one back, and the contract quarters agreed at monitoring meetings.

Every function that changes data takes the :class:`access.User` making the change and checks the permission
before it opens a transaction, so a refused change writes nothing.

Rolling back is exact or refused: it restores the figures the batch replaced (from
``observation_revisions``), removes the rows it added, and marks it 'rolled back', all in one transaction.
If a later import (not itself rolled back) changed a figure this batch wrote, the rollback is refused with
the later import named: roll that one back first. That keeps every figure traceable to one import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data import access, schema, series_summary
from data.importers import pipeline
from data.importers.readers import sha256_of

ROLLED_BACK = "rolled back"


class ImportRefused(ValueError):
    """An upload or a rollback that cannot be done; the message says why in plain English."""


@dataclass(frozen=True)
class Batch:
    """One import in the history, with its counts and, when rolled back, by whom and when."""

    batch_id: str
    file_name: str
    source_format: str
    imported_by: str
    started_at: dt.datetime
    status: str
    rows_read: int
    rows_new: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    message: str
    has_file: bool
    rolled_back_by: str | None
    rolled_back_at: dt.datetime | None
    rows_flagged: int | None = None  # None for imports before flags were recorded
    same_file_as: str | None = None  # the earlier import of the same bytes, when this one stored nothing new


@dataclass(frozen=True)
class BatchRejections:
    """An import's rejected rows, (first row number, the rejection in words: one line per row, or one for
    many rows refused for the same reason, naming them all), and the earlier import of the same file they
    were stored with, if that is where they are."""

    batch_id: str
    same_file_as: str | None
    rows: list[tuple[int, str]]
    rows_rejected: int = 0
    """How many rows the import rejected (more than ``rows`` when some share a line)."""


@dataclass(frozen=True)
class RollbackPlan:
    """What rolling an import back would do, for the administrator to confirm before anything changes."""

    batch_id: str
    file_name: str
    imported_by: str
    started_at: dt.datetime
    figures_restored: int
    """Figures the import changed, whose previous values come back."""
    figures_removed: int
    """Figures the import added, which go."""


@dataclass(frozen=True)
class Agreement:
    """A contract quarter agreed at a monitoring meeting."""

    contract_code: str
    period_label: str
    agreed_by: str
    agreed_at: dt.datetime


def load_upload(
    engine: sa.Engine, content: bytes, file_name: str, user: access.User, *, expected_sha256: str
) -> pipeline.ImportResult:
    """Import an uploaded file as ``user``, only if it is byte for byte the file that was previewed."""
    access.require(user, access.IMPORT_DATA)
    if sha256_of(content) != expected_sha256:
        raise ImportRefused(
            f"{file_name} is not the file that was previewed, so it was not loaded. Upload it again."
        )
    return pipeline.import_bytes(engine, content, file_name, imported_by=user.name)


def history(engine: sa.Engine, limit: int = 200) -> list[Batch]:
    """The most recent imports first, with their counts and any rollback."""
    batches, files, rollbacks = schema.import_batches, schema.import_files, schema.import_rollbacks
    query = (
        sa.select(
            batches,
            files.c.batch_id.is_not(None).label("has_file"),
            rollbacks.c.rolled_back_by,
            rollbacks.c.rolled_back_at,
        )
        .outerjoin(files, files.c.batch_id == batches.c.id)
        .outerjoin(rollbacks, rollbacks.c.batch_id == batches.c.id)
        .order_by(batches.c.started_at.desc(), batches.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    fields = set(Batch.__dataclass_fields__) - {"batch_id"}
    return [Batch(batch_id=row["id"], **{k: row[k] for k in fields}) for row in rows]


def rejected_rows(engine: sa.Engine, batch_id: str) -> list[tuple[int, str]]:
    """A batch's rejected rows: (first row number, the rejection in words), in file order, many rows refused
    for the same reason as one line naming their rows; for an import that repeated an earlier one of the
    same file, the earlier import's."""
    found = rejections_of(engine, batch_id)
    return found.rows if found is not None else []


def rejections_of(engine: sa.Engine, batch_prefix: str) -> BatchRejections | None:
    """The rejected rows of the import whose number starts with ``batch_prefix`` (None when none does)."""
    batches, table = schema.import_batches, schema.rejected_rows
    with engine.connect() as conn:
        batch = conn.execute(
            sa.select(batches.c.id, batches.c.same_file_as, batches.c.rows_rejected)
            .where(batches.c.id.startswith(batch_prefix, autoescape=True))
            .order_by(batches.c.started_at.desc())
        ).first()
        if batch is None:
            return None
        source = batch.same_file_as or batch.id
        query = (
            sa.select(table.c.row_number, table.c.reason)
            .where(table.c.batch_id == source)
            .order_by(table.c.row_number)
        )
        rows = [(int(n), str(reason)) for n, reason in conn.execute(query).tuples().all()]
    return BatchRejections(batch.id, batch.same_file_as, rows, int(batch.rows_rejected))


def stored_file(engine: sa.Engine, batch_id: str) -> tuple[str, str, bytes] | None:
    """The file a batch read: (name, SHA-256, bytes), or None when it was not kept; for an import that
    repeated an earlier one of the same file, the earlier import's copy."""
    files, batches = schema.import_files, schema.import_batches
    with engine.connect() as conn:
        earlier = conn.execute(sa.select(batches.c.same_file_as).where(batches.c.id == batch_id)).scalar()
        query = sa.select(files.c.file_name, files.c.sha256, files.c.content).where(
            files.c.batch_id == (earlier or batch_id)
        )
        row = conn.execute(query).first()
    return None if row is None else (row.file_name, row.sha256, bytes(row.content))


def rollback_plan(engine: sa.Engine, batch_id: str, user: access.User) -> RollbackPlan:
    """What :func:`roll_back_batch` would do to ``batch_id``, with nothing written: the figures whose
    previous values it would restore and the new figures it would remove.

    Only an administrator may ask (the same permission as rolling back); raises :class:`ImportRefused`
    when the rollback would be refused, saying why.
    """
    access.require(user, access.ROLL_BACK_IMPORT)
    batches, obs, rev = schema.import_batches, schema.observations, schema.observation_revisions
    with engine.connect() as conn:
        batch = conn.execute(sa.select(batches).where(batches.c.id == batch_id)).mappings().first()
        _check_can_roll_back(conn, batch)
        assert batch is not None  # checked just above
        held = conn.execute(
            sa.select(sa.func.count()).select_from(obs).where(obs.c.batch_id == batch_id)
        ).scalar_one()
        replaced = conn.execute(
            sa.select(sa.func.count()).select_from(rev).where(rev.c.replaced_by_batch_id == batch_id)
        ).scalar_one()
    # Every figure the batch replaced is held under the batch now (a later change would have refused the
    # rollback), so the figures it added are the rest of those it holds.
    return RollbackPlan(
        batch_id=batch_id,
        file_name=batch["file_name"],
        imported_by=batch["imported_by"],
        started_at=batch["started_at"],
        figures_restored=int(replaced),
        figures_removed=int(held) - int(replaced),
    )


def roll_back_batch(engine: sa.Engine, batch_id: str, user: access.User) -> tuple[int, int]:
    """Undo an import: restore what it replaced, remove what it added; return (removed, restored).

    Raises :class:`ImportRefused` when the batch is unknown, did not load, is already rolled back, or had
    a figure changed again by a later import that is still in force.
    """
    access.require(user, access.ROLL_BACK_IMPORT)
    batches, obs, rev = schema.import_batches, schema.observations, schema.observation_revisions
    with engine.begin() as conn:
        batch = conn.execute(sa.select(batches).where(batches.c.id == batch_id)).mappings().first()
        _check_can_roll_back(conn, batch)
        touched = conn.execute(
            sa.select(obs.c.indicator_code, obs.c.area_code).distinct().where(obs.c.batch_id == batch_id)
        ).all()
        removed = conn.execute(obs.delete().where(obs.c.batch_id == batch_id)).rowcount
        replaced = conn.execute(sa.select(rev).where(rev.c.replaced_by_batch_id == batch_id)).mappings().all()
        if replaced:
            columns = [c.name for c in obs.columns]
            conn.execute(obs.insert(), [{c: row[c] for c in columns} for row in replaced])
        series_summary.refresh_series(conn, pd.DataFrame(touched, columns=["indicator_code", "area_code"]))
        conn.execute(batches.update().where(batches.c.id == batch_id).values(status=ROLLED_BACK))
        conn.execute(
            schema.import_rollbacks.insert().values(
                batch_id=batch_id,
                rolled_back_by=user.name,
                rolled_back_at=dt.datetime.now(),
                rows_removed=removed,
                rows_restored=len(replaced),
            )
        )
    return removed, len(replaced)


def _check_can_roll_back(conn: sa.Connection, batch: sa.RowMapping | None) -> None:
    if batch is None:
        raise ImportRefused("There is no such import.")
    name = batch["file_name"]
    if batch["status"] == ROLLED_BACK:
        raise ImportRefused(f"The import of {name} has already been rolled back.")
    if batch["status"] != "loaded":
        raise ImportRefused(f"The import of {name} loaded nothing, so there is nothing to roll back.")
    batches, rev = schema.import_batches, schema.observation_revisions
    later = conn.execute(
        sa.select(batches.c.file_name, batches.c.started_at)
        .join(rev, rev.c.replaced_by_batch_id == batches.c.id)
        .where(rev.c.batch_id == batch["id"], batches.c.status != ROLLED_BACK)
        .order_by(batches.c.started_at.desc())
    ).first()
    if later is not None:
        raise ImportRefused(
            f"The import of {name} cannot be rolled back: a later import, {later.file_name} "
            f"({later.started_at:%-d %B %Y %H:%M}), changed figures it loaded. Roll that import back first."
        )


def agree_period(engine: sa.Engine, contract_code: str, period_label: str, user: access.User) -> Agreement:
    """Record that a contract's quarter was agreed at a monitoring meeting, by ``user``, now.

    Agreeing the meeting record is an officer's task (the remedial-actions permission). A quarter is
    agreed once: agreeing it again returns the first agreement unchanged.
    """
    access.require(user, access.MANAGE_ACTIONS)
    agreed = schema.agreed_periods
    with engine.begin() as conn:
        known = conn.execute(
            sa.select(schema.contracts.c.code).where(schema.contracts.c.code == contract_code)
        )
        if known.first() is None:
            raise ImportRefused(f"There is no contract {contract_code}.")
        found = _agreement(conn, contract_code, period_label)
        if found is not None:
            return found
        conn.execute(
            agreed.insert().values(
                contract_code=contract_code,
                period_label=period_label,
                agreed_by=user.name,
                agreed_at=dt.datetime.now(),
            )
        )
        created = _agreement(conn, contract_code, period_label)
    assert created is not None  # just written in this transaction
    return created


def _agreement(conn: sa.Connection, contract_code: str, period_label: str) -> Agreement | None:
    agreed = schema.agreed_periods
    row = conn.execute(
        sa.select(agreed).where(
            agreed.c.contract_code == contract_code, agreed.c.period_label == period_label
        )
    ).first()
    return None if row is None else Agreement(*row)


def agreed_periods(engine: sa.Engine, contract_code: str) -> list[Agreement]:
    """The contract's agreed quarters, in the order they were agreed."""
    agreed = schema.agreed_periods
    query = sa.select(agreed).where(agreed.c.contract_code == contract_code).order_by(agreed.c.agreed_at)
    with engine.connect() as conn:
        return [Agreement(*row) for row in conn.execute(query).all()]
