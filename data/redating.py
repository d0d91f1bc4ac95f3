"""Keeping stored figures on the dates their indicator's year type gives them.

A period label such as ``2022/23`` means April 2022 to March 2023 for a financial-year indicator and
September 2022 to August 2023 for an academic-year one (NCMP, school readiness). When the catalogue changes an
indicator's year type, the figures already stored under it are moved to the true dates, so a re-import of the
same file finds them (the dates are part of each figure's key) instead of adding a second copy.
"""

from __future__ import annotations

import sqlalchemy as sa

from data import schema, series_summary
from data.periods import PeriodError, parse_period

_BREAKDOWN = ("indicator_code", "area_code", "sex", "age", "category_type", "category")


def redate_observations(conn: sa.Connection, codes: list[str] | None = None) -> int:
    """Move every stored figure (and earlier revision) whose dates do not match its label read with its
    indicator's year type; return how many figures moved. The moved indicators' series summaries are
    rewritten (:mod:`data.series_summary`).

    Without ``codes`` only indicators of academic or calendar years are looked at (figures are stored on
    financial-year dates unless their indicator says otherwise, so ``kpi seed`` need not read every figure);
    with ``codes``, every figure of those indicators, whatever their year type now (one changed back to
    financial years, say).

    A figure whose true dates another copy of it already holds is removed rather than moved: the copy on the
    true dates was loaded later, from a file read with the right year type.
    """
    ind = schema.indicators
    year_types = dict(conn.execute(sa.select(ind.c.code, ind.c.year_type)).tuples().all())
    wanted = [c for c, t in year_types.items() if t != "financial"] if codes is None else list(codes)
    moved, moved_codes = 0, set[str]()
    for table in (schema.observations, schema.observation_revisions):
        groups = conn.execute(
            sa.select(table.c.indicator_code, table.c.period_label, table.c.period_start, table.c.period_end)
            .distinct()
            .where(table.c.indicator_code.in_(wanted))
        ).tuples()
        for code, label, start, end in list(groups):
            try:
                period = parse_period(label, year_types[code])
            except PeriodError:
                continue
            if (period.start, period.end) == (start, end):
                continue
            moved += _move(conn, table, code, label, (start, end), (period.start, period.end))
            if table is schema.observations:
                moved_codes.add(code)
    series_summary.refresh_indicators(conn, moved_codes)
    return moved


def _move(conn: sa.Connection, table: sa.Table, code: str, label: str, old: tuple, new: tuple) -> int:
    this = sa.and_(
        table.c.indicator_code == code,
        table.c.period_label == label,
        table.c.period_start == old[0],
        table.c.period_end == old[1],
    )
    twin = table.alias("twin")
    already = (
        sa.select(sa.literal(1))
        .where(*(twin.c[c] == table.c[c] for c in _BREAKDOWN))
        .where(twin.c.period_start == new[0], twin.c.period_end == new[1])
    )
    if "replaced_by_batch_id" in table.c:
        already = already.where(twin.c.replaced_by_batch_id == table.c.replaced_by_batch_id)
    conn.execute(table.delete().where(this, already.exists()))
    return conn.execute(table.update().where(this).values(period_start=new[0], period_end=new[1])).rowcount
