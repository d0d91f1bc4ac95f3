"""Process changes: a recorded change to how a service works, after which SPC limits are worked out afresh.

An officer records, for an indicator and one area (or every area), the date a change took effect and why
("new 6-8 week review pathway from April 2024"). The SPC chart and the scorecard then compute the limits in
phases (:func:`metrics.spc.xmr_phased`), each change starting a phase at the first period that starts on or
after its date, and judge variation and assurance on the current phase.

A change is never edited or deleted: withdrawing one records who withdrew it and when, and it stops
counting, so the history of what was said stays whole. Every write takes the :class:`data.access.User`
making it and checks :data:`data.access.RECORD_PROCESS_CHANGE` before opening a transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data import access, queries, schema

MAX_REASON = 300
"""The reason is drawn on the chart beside the break, so it is kept to a sentence or two."""


class ProcessChangeError(ValueError):
    """A process change that cannot be recorded or withdrawn as asked; the message says why in plain words."""


@dataclass(frozen=True)
class ProcessChange:
    """One recorded change: from ``change_date``, for ``area_code`` (None: every area), and why."""

    id: str
    indicator_code: str
    area_code: str | None
    change_date: dt.date
    reason: str
    recorded_by: str
    recorded_at: dt.datetime
    withdrawn_by: str | None = None
    withdrawn_at: dt.datetime | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def day_words(day: dt.date) -> str:
    """'1 April 2024'."""
    return f"{day.day} {day:%B %Y}"


def _reason(text: str | None) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise ProcessChangeError(
            "Enter the reason for the change, for example 'New 6-8 week review pathway from April 2024'."
        )
    if len(reason) > MAX_REASON:
        raise ProcessChangeError(
            f"The reason must be {MAX_REASON} characters or fewer; it has {len(reason):,}."
        )
    return reason


def _names(conn: sa.Connection, indicator_code: str, area_code: str | None) -> tuple[str, str]:
    """The indicator's short name and the area's name (or 'every area'), refusing unknown codes in words."""
    ind, areas = schema.indicators, schema.areas
    name = conn.execute(sa.select(ind.c.short_name).where(ind.c.code == indicator_code)).scalar()
    if name is None:
        raise ProcessChangeError(f"There is no indicator with the code {indicator_code!r}.")
    if area_code is None:
        return name, "every area"
    area = conn.execute(sa.select(areas.c.name).where(areas.c.code == area_code)).scalar()
    if area is None:
        raise ProcessChangeError(f"There is no area with the code {area_code!r}.")
    return name, area


def _check_within_series(
    engine: sa.Engine,
    indicator_code: str,
    area_code: str | None,
    change_date: dt.date,
    names: tuple[str, str],
) -> None:
    """Refuse a date that cannot start a phase of the figures held: it must be after the first period starts
    (limits before it would have no figures) and no later than the end of the latest period."""
    series = queries.headline_series(
        engine, area_codes=None if area_code is None else [area_code], indicator_codes=[indicator_code]
    )
    series = series[series["value"].notna()]
    indicator, area = names
    if series.empty:
        raise ProcessChangeError(
            f"There are no figures for {indicator} in {area} yet, so there is no series to mark a change in."
        )
    first = series.loc[pd.to_datetime(series["period_start"]).idxmin()]
    last = series.loc[pd.to_datetime(series["period_end"]).idxmax()]
    first_start = pd.Timestamp(str(first["period_start"])).date()
    last_end = pd.Timestamp(str(last["period_end"])).date()
    if not first_start < change_date <= last_end:
        raise ProcessChangeError(
            f"The change date, {day_words(change_date)}, must fall within the figures for {indicator} in "
            f"{area}: after {day_words(first_start)} (when the first period, {first['period_label']}, "
            f"starts) and on or before {day_words(last_end)} (when the latest, {last['period_label']}, ends)."
        )


def record(
    engine: sa.Engine,
    user: access.User,
    *,
    indicator_code: str,
    area_code: str | None,
    change_date: dt.date | None,
    reason: str | None,
) -> ProcessChange:
    """Record a process change as ``user`` (an officer or administrator) and return it.

    ``area_code`` None records it for every area. Refused, with nothing written: someone without the
    permission; no reason, or a reason over :data:`MAX_REASON` characters; no date, or a date outside the
    indicator's figures for the area; an unknown indicator or area.
    """
    access.require(user, access.RECORD_PROCESS_CHANGE)
    text = _reason(reason)
    if change_date is None:
        raise ProcessChangeError("Enter the date the change took effect, for example 1/4/2024.")
    with engine.connect() as conn:
        names = _names(conn, indicator_code, area_code)
    _check_within_series(engine, indicator_code, area_code, change_date, names)
    change = ProcessChange(
        id=str(uuid.uuid4()),
        indicator_code=indicator_code,
        area_code=area_code,
        change_date=change_date,
        reason=text,
        recorded_by=user.name,
        recorded_at=dt.datetime.now(),
    )
    with engine.begin() as conn:
        conn.execute(
            schema.process_changes.insert().values(
                id=change.id,
                indicator_code=change.indicator_code,
                area_code=change.area_code,
                change_date=change.change_date,
                reason=change.reason,
                recorded_by=change.recorded_by,
                recorded_at=change.recorded_at,
            )
        )
    return change


def withdraw(engine: sa.Engine, user: access.User, change_id: str) -> ProcessChange:
    """Withdraw a recorded change as ``user``: it is kept, marked with who withdrew it and when, and no longer
    splits the SPC limits. Refuses an unknown change or one already withdrawn."""
    access.require(user, access.RECORD_PROCESS_CHANGE)
    table = schema.process_changes
    with engine.begin() as conn:
        row = conn.execute(sa.select(table).where(table.c.id == change_id)).mappings().first()
        if row is None:
            raise ProcessChangeError("That process change is not in the store; it may have been removed.")
        if row["withdrawn_at"] is not None:
            raise ProcessChangeError(
                f"That process change was already withdrawn by {row['withdrawn_by']} on "
                f"{day_words(row['withdrawn_at'].date())}."
            )
        now = dt.datetime.now()
        conn.execute(
            table.update().where(table.c.id == change_id).values(withdrawn_by=user.name, withdrawn_at=now)
        )
    return _change({**row, "withdrawn_by": user.name, "withdrawn_at": now})


def _change(row) -> ProcessChange:
    return ProcessChange(
        id=row["id"],
        indicator_code=row["indicator_code"],
        area_code=row["area_code"],
        change_date=row["change_date"],
        reason=row["reason"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        withdrawn_by=row["withdrawn_by"],
        withdrawn_at=row["withdrawn_at"],
    )


def changes_for(
    engine: sa.Engine, indicator_code: str, area_code: str, *, include_withdrawn: bool = False
) -> list[ProcessChange]:
    """The changes that apply to the indicator in ``area_code`` (its own and those for every area), by
    change date; withdrawn ones too when ``include_withdrawn``."""
    table = schema.process_changes
    query = sa.select(table).where(
        table.c.indicator_code == indicator_code,
        sa.or_(table.c.area_code == area_code, table.c.area_code.is_(None)),
    )
    if not include_withdrawn:
        query = query.where(table.c.withdrawn_at.is_(None))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(table.c.change_date, table.c.recorded_at)).mappings().all()
    return [_change(row) for row in rows]


def change_dates(engine: sa.Engine, area_code: str) -> pd.DataFrame:
    """Every change in force for ``area_code`` (its own and those for every area), for the scorecard:
    indicator_code and change_date, one row per change."""
    table = schema.process_changes
    query = sa.select(table.c.indicator_code, table.c.change_date).where(
        table.c.withdrawn_at.is_(None),
        sa.or_(table.c.area_code == area_code, table.c.area_code.is_(None)),
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["indicator_code", "change_date"])
