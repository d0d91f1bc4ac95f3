"""The kpi command: plain summaries, and exit codes that scripts can rely on."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from app import cli
from data.db import make_engine
from data.seed import seed_reference
from tests.data.helpers import EAST_OF_ENGLAND_MH, write_csv


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'store.duckdb'}"
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    engine = make_engine(url)
    seed_reference(engine)
    engine.dispose()
    return url


def test_import_reports_rows_and_exits_1_when_rows_were_rejected(database):
    result = CliRunner().invoke(cli, ["import", str(EAST_OF_ENGLAND_MH)])
    assert result.exit_code == 0, result.output
    assert "130 rows read; 130 new, 0 updated, 0 unchanged, 0 rejected" in result.output
    again = CliRunner().invoke(cli, ["import", str(EAST_OF_ENGLAND_MH)])
    assert "0 new, 0 updated, 130 unchanged" in again.output


def test_rejected_rows_are_listed_with_their_reasons(database, tmp_path):
    header = [
        "indicator_code",
        "area_code",
        "period",
        "numerator",
        "denominator",
        "value",
        "provisional",
        "value_note",
    ]
    path = write_csv(
        tmp_path / "r.csv", header, [["hv-2-year-review", "E10000003", "2025/26 Q1", 9, 8, "", "", ""]]
    )
    result = CliRunner().invoke(cli, ["import", str(path)])
    assert result.exit_code == 1
    assert (
        "1 row rejected: count above denominator (e.g. row 2: count 9 is more than the denominator 8)"
        in result.output
    )
    batch = result.output.split("kpi rejections ")[1].split()[0]
    listing = CliRunner().invoke(cli, ["rejections", batch])
    assert "row 2: count 9 is more than the denominator 8" in listing.output


def test_an_unreadable_file_exits_2_with_one_message(database, tmp_path):
    (tmp_path / "notes.csv").write_text("colour,shape\nred,square\n")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "notes.csv")])
    assert result.exit_code == 2
    assert "notes.csv: not imported. The file's columns do not match any format we read" in result.output


def test_template_writes_a_blank_return(database, tmp_path):
    result = CliRunner().invoke(cli, ["template", str(tmp_path / "return.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "return.xlsx").stat().st_size > 0
