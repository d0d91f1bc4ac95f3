"""The store's data generation: a short stamp that changes whenever anything the dashboard shows changes.

Every change the dashboard caches a view of adds a row to one of a few small tables, and none of these
tables ever loses a row: an import (loaded, rejected or failed) adds a batch, a rollback adds a rollback, a
payment scheme change or an extension decision adds an audit entry, a target change adds a version, and
commentary, remedial actions, their updates and agreed quarters are only ever added (a process change is
added, and withdrawn by marking its row, so its withdrawals are counted too). So the row counts of
these tables, taken together, move with every change, whichever process or worker made it (the web, or the
``kpi`` command line). Reading them is one query over small tables, whose answer the dashboard keeps for at
most a second (:mod:`dashboard.cache`).
"""

from __future__ import annotations

import sqlalchemy as sa

from data import schema

TABLES = (
    schema.import_batches,
    schema.import_rollbacks,
    schema.audit_log,
    schema.targets,
    schema.commentary,
    schema.remedial_actions,
    schema.remedial_action_updates,
    schema.agreed_periods,
)
"""The tables whose row counts make the stamp: every one only ever gains rows."""


def data_generation(engine: sa.Engine) -> str:
    """The stamp: the row counts of :data:`TABLES`, then the process changes recorded and withdrawn (a
    withdrawal marks its row rather than adding one), joined by dots (e.g. '29.0.4.40.3.1.2.0.1.0').

    The counts are one row each of a ``UNION ALL``, numbered so their order is kept: DuckDB takes tens of
    milliseconds to plan the same counts as scalar subqueries of one row (its planning grows steeply with
    each one), and this query is made at the start of every page that is not cached."""
    changes = schema.process_changes
    counted = [*((table, sa.func.count()) for table in TABLES), (changes, sa.func.count())]
    counted.append((changes, sa.func.count(changes.c.withdrawn_at)))
    parts: list[sa.Select] = [
        sa.select(sa.literal_column(str(place)).label("place"), count.label("rows")).select_from(table)
        for place, (table, count) in enumerate(counted)
    ]
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.union_all(*parts)).tuples().all())
    return ".".join(str(int(rows[place])) for place in range(len(counted)))
