"""Data quality of the provider's quarterly return: what is missing, late, suppressed or provisional.

For one area and one quarter (``2025/26 Q2``), over every provider-return indicator (the catalogue's
indicators whose source is the provider's quarterly return):

* missing: a KPI with no figure for a quarter the return covers (the return covers a quarter when it holds
  a figure of any provider KPI for it; a quarter with no figures at all is reported as not yet received);
* late: a figure the provider's return delivered after the agreed submission deadline, which is
  :data:`LATE_AFTER_DAYS` days after the quarter ended (the one place that number is set). The first load
  is the earliest import that wrote the figure, found through the observation's revisions too, so a later
  correction does not hide a late first load. Only a provider return loaded by someone counts
  (:func:`counts_for_lateness`): a figure that came first from the bundled data (``kpi seed``, loaded
  whenever the store is built) or from a public source (Fingertips, a tidy extract) is never late, as its
  load date says nothing about when the provider sent it;
* suppressed: no value but a note saying why (small numbers, data not available);
* provisional: a figure the provider marked provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from data import schema
from data.importers.formats import PROVIDER_RETURN
from data.periods import parse_period
from data.seed import SEEDED_BY

LATE_AFTER_DAYS = 42
"""The agreed submission deadline: a quarter's provider return is due this many days (six weeks) after the
quarter ends; a figure first loaded after that day is late."""
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


@dataclass(frozen=True)
class _FirstLoad:
    """The earliest import that wrote a figure: when, in which format and by whom."""

    started_at: dt.datetime
    source_format: str
    imported_by: str


def counts_for_lateness(source_format: str, imported_by: str) -> bool:
    """True for a provider return loaded by someone (through the web or ``kpi import``); False for the
    bundled data loaded by ``kpi seed`` and for public-source formats."""
    return source_format == PROVIDER_RETURN.name and imported_by != SEEDED_BY


def _first_loads(
    conn: sa.Connection, area_code: str, quarter: str, codes: list[str]
) -> dict[str, _FirstLoad]:
    """The earliest import that wrote each indicator's figure for the quarter (current or revised)."""
    obs, rev, batches = schema.observations, schema.observation_revisions, schema.import_batches
    current = sa.select(obs.c.indicator_code, obs.c.batch_id).where(
        obs.c.area_code == area_code, obs.c.period_label == quarter, obs.c.indicator_code.in_(codes)
    )
    earlier = sa.select(rev.c.indicator_code, rev.c.batch_id).where(
        rev.c.area_code == area_code, rev.c.period_label == quarter, rev.c.indicator_code.in_(codes)
    )
    written = sa.union_all(current, earlier).subquery()
    query = (
        sa.select(
            written.c.indicator_code, batches.c.started_at, batches.c.source_format, batches.c.imported_by
        )
        .join(batches, batches.c.id == written.c.batch_id)
        .order_by(written.c.indicator_code, batches.c.started_at, batches.c.id)
    )
    first: dict[str, _FirstLoad] = {}
    for code, started, source_format, imported_by in conn.execute(query):
        first.setdefault(code, _FirstLoad(started, source_format, imported_by))
    return first


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
        first = first_loads.get(code)
        if (
            code not in held
            or first is None
            or not counts_for_lateness(first.source_format, first.imported_by)
        ):
            continue
        loaded = first.started_at.date()
        if loaded > deadline:
            late.append(LateLoad(code, loaded, (loaded - quarter_end).days))
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
