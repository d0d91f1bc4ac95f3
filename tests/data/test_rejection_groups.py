"""Many rows refused for the same reason are stored as one line naming every row, small groups keep a line
per row, the command line and import history still say which rows were refused and why, and importing the
file again stores nothing twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from data import schema
from data.importers.pipeline import import_file
from data.importers.preview import preview_bytes
from data.importers.rejection_groups import as_ranges, ranges_text
from data.imports import rejected_rows
from kpi import cli
from tests.data.helpers import count_rows, provider_proportion, write_csv
from tests.data.upload_helpers import OFFICER

CAMBS, PBORO = "E10000003", "E06000031"
RETURN_HEADER = ["indicator_code", "area_code", "period", "numerator", "denominator", "value", "provisional"]
QUARTERS = [f"{year}/{str(year + 1)[2:]} Q{q}" for year in range(2015, 2025) for q in range(1, 5)]


def test_row_numbers_are_written_as_ranges():
    runs = as_ranges([9, 2, 3, 4, 5001, 5002, 12000, 4])
    assert runs == [(2, 4), (9, 9), (5001, 5002), (12000, 12000)]
    assert ranges_text(runs) == "2-4,9,5001-5002,12000"
    assert ranges_text(runs, thousands=True) == "2-4, 9, 5,001-5,002, 12,000"


def _mixed_return(tmp_path: Path, code: str) -> Path:
    """Rows 2-26 and 29-33: thirty rows of an indicator the catalogue lacks; rows 27-28: two rows whose
    count exceeds the denominator; row 34: a good row."""
    unknown = [["not-in-catalogue", CAMBS, q, 5, 10, "", ""] for q in QUARTERS[:30]]
    unknown[26][1] = unknown[27][1] = "E99999999"  # rows 30 and 31 also name an unknown area
    over = [[code, CAMBS, "2024/25 Q1", 12, 10, "", ""], [code, PBORO, "2024/25 Q1", 11, 10, "", ""]]
    rows = [*unknown[:25], *over, *unknown[25:], [code, CAMBS, "2024/25 Q2", 9, 10, "", ""]]
    return write_csv(tmp_path / "return.csv", RETURN_HEADER, rows)


OVER_CAMBS = (
    "Row 27 (Cambridgeshire, 2024/25 Q1, count 12, denominator 10): count 12 is more than the denominator 10"
)
OVER_PBORO = (
    "Row 28 (Peterborough, 2024/25 Q1, count 11, denominator 10): count 11 is more than the denominator 10"
)
GROUPED_LINE = (
    "Rows 2-26, 29-33 (30 rows): unknown indicator code 'not-in-catalogue'; "
    "the first is row 2 (Cambridgeshire, 2015/16 Q1, count 5, denominator 10). "
    "Also: unknown area code 'E99999999' (rows 30-31)"
)


def test_many_rows_refused_for_one_reason_are_stored_as_one_line(any_store, tmp_path):
    code = provider_proportion(any_store)
    result = import_file(any_store, _mixed_return(tmp_path, code))
    assert (result.rows_read, result.rows_new, result.rows_rejected) == (33, 1, 32)
    assert count_rows(any_store, schema.rejected_rows) == 3
    table = schema.rejected_rows
    with any_store.connect() as conn:
        stored = conn.execute(
            sa.select(table.c.row_number, table.c.row_count, table.c.row_ranges).order_by(table.c.row_number)
        ).all()
    assert [tuple(row) for row in stored] == [(2, 30, "2-26,29-33"), (27, 1, "27"), (28, 1, "28")]
    assert rejected_rows(any_store, result.batch_id) == [
        (2, GROUPED_LINE),
        (27, OVER_CAMBS),
        (28, OVER_PBORO),
    ]

    again = import_file(any_store, _mixed_return(tmp_path, code))
    assert again.same_file_as is not None and again.same_file_as.batch_id == result.batch_id
    assert count_rows(any_store, schema.rejected_rows) == 3
    assert rejected_rows(any_store, again.batch_id) == rejected_rows(any_store, result.batch_id)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference_store_file: Path) -> str:
    """A DuckDB file holding the reference data, named by KPI_DATABASE_URL."""
    path = tmp_path / "store.duckdb"
    shutil.copy(reference_store_file, path)
    url = f"duckdb:///{path}"
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    return url


def test_kpi_rejections_names_every_refused_row(database, tmp_path):
    from data.db import make_engine

    engine = make_engine(database)
    code = provider_proportion(engine)
    engine.dispose()
    imported = CliRunner().invoke(cli, ["import", str(_mixed_return(tmp_path, code))])
    assert imported.exit_code == 1
    batch = imported.output.split("kpi rejections ")[1].split()[0]
    listing = CliRunner().invoke(cli, ["rejections", batch])
    assert listing.output.splitlines() == [
        "32 rejected rows, in 3 lines: rows rejected for the same reason share a line that names them all.",
        GROUPED_LINE,
        OVER_CAMBS,
        OVER_PBORO,
    ]


def test_the_upload_preview_shows_many_rows_refused_for_one_reason_once(any_store, tmp_path):
    code = provider_proportion(any_store)
    preview = preview_bytes(any_store, _mixed_return(tmp_path, code).read_bytes(), "return.csv", OFFICER)
    assert preview.summary().endswith("32 rows are rejected.")
    assert [(r.row_number, r.rows, r.row_count) for r in preview.rejected] == [
        (2, "2-26, 29-33 (30 rows; the first shown)", 30),
        (27, "", 1),
        (28, "", 1),
    ]
    grouped = preview.rejected[0]
    assert (grouped.area, grouped.period, grouped.figures) == (
        "Cambridgeshire",
        "2015/16 Q1",
        "numerator 5, denominator 10",
    )
    assert grouped.reason == (
        "unknown indicator code 'not-in-catalogue'. Also: unknown area code 'E99999999' (rows 30-31)"
    )
