"""A Fingertips-format export for the import benchmark: new figures for the national store, every run alike.

The export holds district figures (England's lower-tier authorities other than the home districts, which the
national store leaves without figures), for the indicators that have a Fingertips id, in the column layout of
the OHID Fingertips API download (``IndicatorID, IndicatorName, ..., Compared_to_goal``) that the importer
reads as its ``fingertips`` format. Every row is new to the store, so the import writes each one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import sqlalchemy as sa

from bench.national import Indicator, _dimension_frames, figures, store_indicators
from data import schema
from data.areas import home

HEADER = (
    "IndicatorID",
    "IndicatorName",
    "ParentCode",
    "ParentName",
    "AreaCode",
    "AreaName",
    "AreaType",
    "Sex",
    "Age",
    "Category_Type",
    "Category",
    "Timeperiod",
    "Value",
    "Lower_CI_95.0_limit",
    "Upper_CI_95.0_limit",
    "Lower_CI_99.8_limit",
    "Upper_CI_99.8_limit",
    "Count",
    "Denominator",
    "Value_note",
    "Recent_Trend",
    "Compared_to_England_value_or_percentiles",
    "Compared_to_Region_value_or_percentiles",
    "Time_period_Sortable",
    "New_data",
    "Compared_to_goal",
)

_SELECT = """
SELECT {fingertips_id} AS "IndicatorID", '{name}' AS "IndicatorName", a.parent_code AS "ParentCode",
       '' AS "ParentName", a.code AS "AreaCode", a.name AS "AreaName", 'Districts & UAs' AS "AreaType",
       g.sex AS "Sex", g.age AS "Age", g.category_type AS "Category_Type", g.category AS "Category",
       p.label AS "Timeperiod", f.value AS "Value", f.lower95 AS "Lower_CI_95.0_limit",
       f.upper95 AS "Upper_CI_95.0_limit", f.lower998 AS "Lower_CI_99.8_limit",
       f.upper998 AS "Upper_CI_99.8_limit", f.count AS "Count", f.denominator AS "Denominator",
       '' AS "Value_note", '' AS "Recent_Trend", 'Not compared' AS "Compared_to_England_value_or_percentiles",
       'Not compared' AS "Compared_to_Region_value_or_percentiles",
       year(p.start) * 10000 AS "Time_period_Sortable", '' AS "New_data", '' AS "Compared_to_goal"
FROM bench_figures f
JOIN bench_areas a ON a.position = f.area
JOIN bench_periods p ON p.position = f.period
JOIN bench_groups g ON g.position = f.breakdown
"""


def districts(conn: sa.Connection) -> pd.DataFrame:
    """England's districts outside the home areas, in code order: code, name, parent_code, population."""
    areas = schema.areas
    frame = pd.DataFrame(
        conn.execute(
            sa.select(areas.c.code, areas.c.name, areas.c.parent_code)
            .where(areas.c.area_type == "district", areas.c.code.not_in(home().areas))
            .order_by(areas.c.code)
        ).all(),
        columns=["code", "name", "parent_code"],
    )
    frame["parent_code"] = frame["parent_code"].fillna("")
    frame["population"] = 6_000.0
    return frame


def _fingertips_indicators(conn: sa.Connection) -> list[tuple[Indicator, int, str]]:
    ind = schema.indicators
    ids = {r[0]: (r[1], r[2]) for r in conn.execute(sa.select(ind.c.code, ind.c.fingertips_id, ind.c.name))}
    return [(i, *ids[i.code]) for i in store_indicators(conn, 1.0) if ids[i.code][0] is not None]


def write_export(engine: sa.Engine, path: Path, rows: int, *, skip: int = 0, seed: int = 2027) -> int:
    """Write ``rows`` rows of the export (after the first ``skip``) to the CSV file ``path``; return how many
    were written (fewer only if the districts and indicators run out)."""
    with engine.connect() as conn:
        places = districts(conn)
        chosen = _fingertips_indicators(conn)
    maker = duckdb.connect()
    try:
        maker.execute(f"CREATE TABLE export ({', '.join(f'{chr(34)}{h}{chr(34)} VARCHAR' for h in HEADER)})")
        held = 0
        for indicator, fingertips_id, name in chosen:
            if held >= skip + rows:
                break
            frames = {
                "bench_figures": figures(indicator, places, seed),
                **_dimension_frames(indicator, places),
            }
            frames["bench_areas"] = frames["bench_areas"].merge(places[["code", "name", "parent_code"]])
            for table, frame in frames.items():
                maker.register(table, frame)
            select = _SELECT.format(fingertips_id=fingertips_id, name=name.replace("'", "''"))
            maker.execute(f"INSERT INTO export {select}")
            held += len(frames["bench_figures"])
        maker.execute(
            f"COPY (SELECT * FROM export LIMIT {rows} OFFSET {skip}) TO '{path}' (FORMAT csv, HEADER true)"
        )
        return min(rows, max(0, held - skip))
    finally:
        maker.close()


def read_csv_seconds(path: Path) -> float:
    """How long DuckDB's own CSV reader takes to load ``path`` into a table (the reference for the import)."""
    import time

    maker = duckdb.connect()
    try:
        start = time.perf_counter()
        maker.execute(f"CREATE TABLE loaded AS SELECT * FROM read_csv('{path}')")
        return time.perf_counter() - start
    finally:
        maker.close()
