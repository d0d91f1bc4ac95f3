"""Small helpers for the store tests: write files, look things up, count rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data import schema

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "bundled"
EAST_OF_ENGLAND_MH = (
    BUNDLED / "fingertips-cyp-mental-health" / "indicators-CountyUA_cyp_mh_east_of_england.csv"
)


SCORECARD_FILES = (
    BUNDLED / "illustrative" / "provider_quarterly_returns.csv",
    BUNDLED / "trafford-dashboard-children" / "child_protection_plans.csv",
    EAST_OF_ENGLAND_MH,
)
"""Provider returns, child protection plans and mental health figures: every kind of scorecard row."""


def load_scorecard_figures(engine: sa.Engine) -> sa.Engine:
    """Load :data:`SCORECARD_FILES` into ``engine``'s store and record a process change for the new birth
    visits of the default area (so SPC is judged on a current phase); returns the engine."""
    import datetime as dt

    from data import process_changes
    from data.access import User
    from data.areas import home
    from data.importers.pipeline import import_file

    for path in SCORECARD_FILES:
        import_file(engine, path)
    process_changes.record(
        engine,
        User("Olu Officer", frozenset({"officer"})),
        indicator_code="hv-new-birth-visit-14d",
        area_code=home().default_area,
        change_date=dt.date(2023, 4, 1),
        reason="New pathway",
    )
    return engine


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def indicator_code(engine: sa.Engine, **where: object) -> str:
    """The code of the first catalogue indicator matching ``where`` (column=value)."""
    ind = schema.indicators
    query = sa.select(ind.c.code).where(*(ind.c[k] == v for k, v in where.items())).order_by(ind.c.sort_order)
    with engine.connect() as conn:
        return conn.execute(query).scalars().first()


def provider_proportion(engine: sa.Engine) -> str:
    """A provider-return indicator measured as a percentage."""
    ind = schema.indicators
    query = (
        sa.select(ind.c.code)
        .where(ind.c.source.startswith("Provider"), ind.c.value_type == "proportion")
        .order_by(ind.c.sort_order)
    )
    with engine.connect() as conn:
        return conn.execute(query).scalars().first()


def observations(engine: sa.Engine, **where: object) -> pd.DataFrame:
    obs = schema.observations
    query = sa.select(obs).where(*(obs.c[k] == v for k, v in where.items()))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in obs.columns])


def count_rows(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
