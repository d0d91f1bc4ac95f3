"""Data quality of the provider's quarterly return: what is missing, late, suppressed or provisional.

For one area and one quarter (``2025/26 Q2``), over every provider-return indicator (the catalogue's
indicators whose source is the provider's quarterly return):

* missing: a KPI with no figure for a quarter the return covers (the return covers a quarter when it holds
  a figure of any provider KPI for it; a quarter with no figures at all is reported as not yet received);
* late: a figure first loaded more than :data:`LATE_AFTER_DAYS` days after the quarter ended (the first
  load is the earliest import that wrote the figure, found through the observation's revisions too, so a
  later correction does not hide a late first load);
* suppressed: no value but a note saying why (small numbers, data not available);
* provisional: a figure the provider marked provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from data import schema
from data.periods import parse_period

LATE_AFTER_DAYS = 42
PROVIDER_SOURCE_PREFIX = "Provider"


@dataclass(frozen=True)
class LateLoad:
    """A figure first loaded after the deadline."""

    indicator_code: str
    first_loaded: dt.date
    days_after_quarter: int


@dataclass(frozen=True)
class Suppressed:
    """A figure held back, with the provider's note saying why."""

    indicator_code: str
    note: str


@dataclass(frozen=True)
class QuarterQuality:
    """The data quality of one area's return for one quarter (codes in catalogue order)."""

    area_code: str
    quarter: str
    quarter_end: dt.date
    received: bool
    missing: tuple[str, ...]
    late: tuple[LateLoad, ...]
    suppressed: tuple[Suppressed, ...]
    provisional: tuple[str, ...]

    @property
    def deadline(self) -> dt.date:
        """The last day a figure for the quarter can be loaded without being late."""
        return self.quarter_end + dt.timedelta(days=LATE_AFTER_DAYS)

    @property
    def problems(self) -> int:
        """How many figures have a problem of any kind."""
        return len(self.missing) + len(self.late) + len(self.suppressed) + len(self.provisional)


def provider_indicator_codes(engine: sa.Engine) -> list[str]:
    """The provider-return indicators, in catalogue order."""
    ind = schema.indicators
    query = (
        sa.select(ind.c.code)
        .where(ind.c.source.startswith(PROVIDER_SOURCE_PREFIX))
        .order_by(ind.c.sort_order, ind.c.code)
    )
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def _headline_rows(conn: sa.Connection, area_code: str, quarter: str, codes: list[str]) -> list:
    obs, ind = schema.observations, schema.indicators
    query = (
        sa.select(
            obs.c.indicator_code,
            obs.c.value,
            obs.c.value_note,
            obs.c.provisional,
            obs.c.period_start,
            obs.c.period_end,
            obs.c.batch_id,
        )
        .join(
            ind, sa.and_(obs.c.indicator_code == ind.c.code, obs.c.sex == ind.c.sex, obs.c.age == ind.c.age)
        )
        .where(
            obs.c.area_code == area_code,
            obs.c.period_label == quarter,
            obs.c.category_type == "",
            obs.c.indicator_code.in_(codes),
        )
    )
    return list(conn.execute(query).mappings())


def _first_loads(
    conn: sa.Connection, area_code: str, quarter: str, codes: list[str]
) -> dict[str, dt.datetime]:
    """When each indicator's figure for the quarter was first loaded (earliest batch, current or revised)."""
    obs, rev, batches = schema.observations, schema.observation_revisions, schema.import_batches
    current = sa.select(obs.c.indicator_code, obs.c.batch_id).where(
        obs.c.area_code == area_code, obs.c.period_label == quarter, obs.c.indicator_code.in_(codes)
    )
    earlier = sa.select(rev.c.indicator_code, rev.c.batch_id).where(
        rev.c.area_code == area_code, rev.c.period_label == quarter, rev.c.indicator_code.in_(codes)
    )
    written = sa.union_all(current, earlier).subquery()
    query = (
        sa.select(written.c.indicator_code, sa.func.min(batches.c.started_at))
        .join(batches, batches.c.id == written.c.batch_id)
        .group_by(written.c.indicator_code)
    )
    return {code: started for code, started in conn.execute(query)}


def _missing(row) -> bool:
    """No row, or a row with neither a value nor a note saying why."""
    return row is None or (row["value"] is None and not str(row["value_note"] or "").strip())


def quarter_quality(engine: sa.Engine, area_code: str, quarter: str) -> QuarterQuality:
    """The data quality of ``area_code``'s provider return for ``quarter`` (a label such as '2025/26 Q2')."""
    quarter_end = parse_period(quarter).end
    codes = provider_indicator_codes(engine)
    with engine.connect() as conn:
        rows = _headline_rows(conn, area_code, quarter, codes)
        first_loads = _first_loads(conn, area_code, quarter, codes)
    held = {row["indicator_code"]: row for row in rows}
    deadline = quarter_end + dt.timedelta(days=LATE_AFTER_DAYS)
    late = []
    for code in codes:
        loaded = first_loads.get(code)
        if code in held and loaded is not None and loaded.date() > deadline:
            late.append(LateLoad(code, loaded.date(), (loaded.date() - quarter_end).days))
    return QuarterQuality(
        area_code=area_code,
        quarter=quarter,
        quarter_end=quarter_end,
        received=bool(held),
        missing=tuple(code for code in codes if held and _missing(held.get(code))),
        late=tuple(late),
        suppressed=tuple(
            Suppressed(code, str(held[code]["value_note"]).strip())
            for code in codes
            if code in held and held[code]["value"] is None and str(held[code]["value_note"] or "").strip()
        ),
        provisional=tuple(code for code in codes if code in held and held[code]["provisional"]),
    )
