"""A query's frame fetched column by column from DuckDB is the same frame, cell for cell and type for type,
as the one built from the fetched tuples (what PostgreSQL gives and the dashboard was written against)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from data.frames import result_frame

ROWS = [
    ("E06000031", 1.5, 7, True, dt.date(2025, 3, 31), None, None, 4, False, Decimal("1250.50")),
    (None, None, None, None, None, None, None, 5, True, Decimal("0.10")),
    ("E10000003", 2.25, 9, False, dt.date(2024, 3, 31), None, None, 6, False, None),
]
COLUMNS = "code, value, n, flag, day, no_value, no_text, whole, provisional, money"


@pytest.fixture
def engine():
    engine = sa.create_engine("duckdb://", poolclass=sa.pool.StaticPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE t (code VARCHAR, value DOUBLE, n INTEGER, flag BOOLEAN, day DATE, no_value DOUBLE, "
            "no_text VARCHAR, whole BIGINT, provisional BOOLEAN, money DECIMAL(12, 2))"
        )
        conn.exec_driver_sql(
            "INSERT INTO t VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * 3),
            tuple(value for row in ROWS for value in row),
        )
    return engine


def _both(engine: sa.Engine, sql: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with engine.connect() as conn:
        result = conn.execute(sa.text(sql))
        from_tuples = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        return result_frame(conn.execute(sa.text(sql))), from_tuples


@pytest.mark.parametrize(
    "where",
    ["", "WHERE code IS NOT NULL", "WHERE code IS NULL", "WHERE code = 'nowhere'"],
    ids=["gaps", "no gaps", "one row of gaps", "no rows"],
)
def test_the_columnwise_frame_is_the_tuple_built_frame(engine, where):
    columns = COLUMNS.replace(", money", "")  # exact decimals are fetched as tuples (below)
    fast, reference = _both(engine, f"SELECT {columns} FROM t {where} ORDER BY whole")
    pd.testing.assert_frame_equal(fast, reference)
    assert list(fast.dtypes) == list(reference.dtypes)
    assert [type(v) for v in fast["day"]] == [type(v) for v in reference["day"]]


def test_dates_stay_dates_and_missing_figures_stay_none(engine):
    fast, _ = _both(engine, "SELECT code, n, flag, day, no_value FROM t ORDER BY whole")
    assert fast["day"].tolist() == [dt.date(2025, 3, 31), None, dt.date(2024, 3, 31)]
    assert fast["n"].tolist()[0] == 7.0 and pd.isna(fast["n"].tolist()[1])
    assert fast["flag"].tolist() == [True, None, False]
    assert fast["no_value"].tolist() == [None, None, None]


def test_money_keeps_its_exact_decimals(engine):
    fast, reference = _both(engine, f"SELECT {COLUMNS} FROM t ORDER BY whole")
    pd.testing.assert_frame_equal(fast, reference)
    assert fast["money"].tolist()[:2] == [Decimal("1250.50"), Decimal("0.10")]
