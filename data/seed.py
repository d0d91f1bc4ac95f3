"""Building a store from what the product ships: schema, areas, catalogue, shipped targets and bundled data.

``seed`` is safe to run again: reference rows (areas, frameworks, indicators) are inserted when missing and
updated when the shipped files changed; shipped targets are added only where no target exists yet, so a
target an officer changed is never overwritten; and the bundled files go through the ordinary importer,
which leaves unchanged rows alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data import catalogue_edits, schema, series_summary
from data.areas import BUNDLED, bundled_areas
from data.catalogue import Catalogue, load_catalogue
from data.contracts import seed_contracts
from data.importers.pipeline import ImportResult, import_file
from data.redating import redate_observations

SEEDED_BY = "kpi seed"

# Imported in this order, so that where two sources give the same figure the newer extract wins.
BUNDLED_DATA = (
    "trafford-dashboard-children",
    "trafford-themes-children",
    "fingertips-cyp-mental-health",
    "dfe-lait",
    "ons-explore-local-statistics",
    "ons-sdg-data",
    "illustrative",
)


def bundled_files() -> list[Path]:
    """The bundled data files, in import order."""
    return [path for folder in BUNDLED_DATA for path in sorted((BUNDLED / folder).glob("*.csv"))]


def _sync(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> tuple[int, int]:
    """Insert rows whose primary key is missing and update those that differ; return (inserted, updated).

    Only the columns that changed are written: DuckDB refuses an update that rewrites a uniquely indexed
    column (such as an indicator's Fingertips id) of a row other tables refer to, even to the same value.
    """
    key = [c.name for c in table.primary_key.columns]
    existing = {tuple(r[k] for k in key): dict(r) for r in conn.execute(sa.select(table)).mappings()}
    inserted = updated = 0
    inserts = [row for row in rows if tuple(row[k] for k in key) not in existing]
    if inserts:
        conn.execute(table.insert(), inserts)
        inserted = len(inserts)
    for row in rows:
        old = existing.get(tuple(row[k] for k in key))
        changes = {c: v for c, v in row.items() if old is not None and c not in key and old[c] != v}
        if changes:
            conn.execute(table.update().where(sa.and_(*(table.c[k] == row[k] for k in key))).values(changes))
            updated += 1
    return inserted, updated


def _catalogue_rows(catalogue: Catalogue) -> dict[sa.Table, list[dict]]:
    frameworks = [
        {
            "code": f.code,
            "title": f.title,
            "short_title": f.short_title,
            "source": f.source,
            "sort_order": f.sort_order,
        }
        for f in catalogue.frameworks
    ]
    nodes = [asdict(n) for f in catalogue.frameworks for n in f.nodes]
    indicator_columns = {c.name for c in schema.indicators.columns}
    renamed = {"numerator": "numerator_definition", "denominator": "denominator_definition"}
    indicators = [
        {renamed.get(k, k): v for k, v in asdict(i).items() if renamed.get(k, k) in indicator_columns}
        for i in catalogue.indicators
    ]
    mapping = [
        {"indicator_code": i.code, "framework_code": fw, "node_code": node}
        for i in catalogue.indicators
        for fw, node in i.maps_to
    ]
    aliases = [
        {"source_name": a.source_name, "measure": a.measure, "indicator_code": i.code}
        for i in catalogue.indicators
        for a in i.aliases
    ]
    return {
        schema.frameworks: frameworks,
        schema.framework_nodes: nodes,
        schema.indicators: indicators,
        schema.indicator_nodes: mapping,
        schema.indicator_aliases: aliases,
    }


def _remove_stale_links(conn: sa.Connection, table: sa.Table, rows: list[dict], shipped: set[str]) -> None:
    """Drop mapping rows the catalogue no longer has (links carry no data of their own). The alias of an
    indicator the shipped catalogue lacks (one a tidy extract added) is the store's own and stays."""
    key = [c.name for c in table.primary_key.columns]
    wanted = {tuple(r[k] for k in key) for r in rows}
    for row in conn.execute(sa.select(table)).mappings().all():
        own = table is schema.indicator_aliases and row["indicator_code"] not in shipped
        if tuple(row[k] for k in key) not in wanted and not own:
            conn.execute(table.delete().where(sa.and_(*(table.c[k] == row[k] for k in key))))


def _add_shipped_targets(conn: sa.Connection, catalogue: Catalogue) -> int:
    present = {
        (r.indicator_code, r.area_code)
        for r in conn.execute(sa.select(schema.targets.c.indicator_code, schema.targets.c.area_code))
    }
    now = dt.datetime.now()
    rows = [
        {**asdict(t), "version": 1, "set_at": now}
        for t in catalogue.targets
        if (t.indicator_code, t.area_code) not in present
    ]
    if rows:
        conn.execute(schema.targets.insert(), rows)
    return len(rows)


def _headline_breakdowns(conn: sa.Connection) -> dict[str, tuple[str, str]]:
    """Each indicator's headline sex and age, which pick its headline series out of its figures."""
    ind = schema.indicators
    return {code: (sex, age) for code, sex, age in conn.execute(sa.select(ind.c.code, ind.c.sex, ind.c.age))}


def seed_reference(engine: sa.Engine, catalogue: Catalogue | None = None) -> dict[str, int]:
    """Create the schema and load areas, frameworks, indicators and shipped targets (one transaction)."""
    catalogue = catalogue or load_catalogue()
    schema.create_schema(engine)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        headline_before = _headline_breakdowns(conn)
        areas = bundled_areas()
        # pandas-stubs do not allow None as the replacement, which pandas takes (and the driver needs).
        areas = areas.astype(object).where(areas.notna(), None)  # type: ignore[call-overload]
        counts["areas"] = sum(_sync(conn, schema.areas, areas.to_dict("records")))
        for table, rows in _catalogue_rows(catalogue).items():
            if table in (schema.indicator_nodes, schema.indicator_aliases):
                _remove_stale_links(conn, table, rows, {i.code for i in catalogue.indicators})
            counts[table.name] = sum(_sync(conn, table, rows))
        counts["targets"] = _add_shipped_targets(conn, catalogue)
        counts["catalogue_edits"] = catalogue_edits.reapply(conn)
        redated = redate_observations(conn)  # an indicator's year type may have changed
        if redated:
            counts["observations"] = redated
        # An indicator whose headline series is now another sex or age: its series are other figures now.
        headline_after = _headline_breakdowns(conn)
        series_summary.refresh_indicators(
            conn, [code for code, held in headline_after.items() if headline_before.get(code, held) != held]
        )

        counts["contracts"] = seed_contracts(conn)
    return counts


def seed(engine: sa.Engine, *, files: list[Path] | None = None) -> list[ImportResult]:
    """Build or refresh the whole store: reference data, then every bundled data file."""
    seed_reference(engine)
    return [import_file(engine, path, imported_by=SEEDED_BY) for path in (files or bundled_files())]


def seed_summary(results: list[ImportResult]) -> pd.DataFrame:
    """One row per imported file: rows read, new, updated, unchanged, rejected and seconds taken."""
    return pd.DataFrame(
        [
            {
                "file": r.file_name,
                "read": r.rows_read,
                "new": r.rows_new,
                "updated": r.rows_updated,
                "unchanged": r.rows_unchanged,
                "rejected": r.rows_rejected,
                "seconds": round(r.seconds, 2),
            }
            for r in results
        ]
    )
