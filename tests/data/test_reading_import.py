"""Imports of files in the shapes real spreadsheets save them: a continental export loads the same figures
as its UK twin, and a file that cannot be read safely is refused in one sentence and logged as a failed
import, with nothing loaded."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from data import schema
from data.importers.formats import FileProblem
from data.importers.pipeline import import_bytes, import_file
from tests.data.helpers import EAST_OF_ENGLAND_MH, count_rows, indicator_code, observations
from tests.data.reading_files import continental, delimited, fingertips_rows, wide_heading_csv, zip_bomb

CAMBS = "E10000003"


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("semicolons.csv", lambda rows: delimited(continental(rows), ";").encode("utf-8-sig")),
        ("quoted.csv", lambda rows: delimited(continental(rows), ",", quote_all=True).encode()),
        ("unicode text.txt", lambda rows: delimited(continental(rows), "\t").encode("utf-16")),
    ],
)
def test_a_decimal_comma_export_loads_the_same_figures_as_its_decimal_point_twin(any_store, name, encode):
    original = import_file(any_store, EAST_OF_ENGLAND_MH)
    twin = import_bytes(any_store, encode(fingertips_rows()), name)
    assert (twin.rows_read, twin.rows_rejected) == (original.rows_read, original.rows_rejected)
    assert (twin.rows_new, twin.rows_updated, twin.rows_unchanged) == (0, 0, original.rows_new)
    prevalence = indicator_code(any_store, fingertips_id=91141)
    cambs = observations(any_store, indicator_code=prevalence, area_code=CAMBS).iloc[0]
    assert cambs["value"] == 8.37273134052217 and cambs["count"] == pytest.approx(7285.78335789558)


def test_a_decimal_comma_in_quotes_is_never_read_as_thousands(store):
    rows = fingertips_rows()
    twin = continental(rows)
    content = delimited(twin, ",", quote_all=True).encode()
    assert '"8,37273134052217"' in content.decode()
    import_bytes(store, content, "libreoffice.csv")
    prevalence = indicator_code(store, fingertips_id=91141)
    assert (
        observations(store, indicator_code=prevalence, area_code=CAMBS).iloc[0]["value"] == 8.37273134052217
    )


def failed_batch(engine: sa.Engine) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(schema.import_batches)).mappings().one())


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: wide_heading_csv(), "more than 200 columns"),
        (lambda: b"Value,Area Code,Value\n1,E1,2\n", "The heading 'Value' appears twice (columns A and C)"),
        (
            lambda: b'Indicator ID,Area Code,Time period,Sex,Age,Value\n1,E1,2015,Persons,All,"1,234"\n',
            "could be read two ways: '1,234' (row 2, column Value) could be 1234 or 1.234",
        ),
        (
            lambda: (
                b'Indicator ID,Area Code,Time period,Sex,Age,Value\n1,E1,2015,Persons,All,"1,5"\n'
                b"1,E2,2015,Persons,All,2.5\n"
            ),
            "writes numbers in two ways",
        ),
    ],
)
def test_a_file_that_cannot_be_read_safely_is_logged_as_a_failed_import(store, make, words):
    with pytest.raises(FileProblem, match=re.escape(words)):
        import_bytes(store, make(), "upload.csv")
    batch = failed_batch(store)
    assert batch["status"] == "failed" and words in batch["message"]
    assert count_rows(store, schema.observations) == 0


def test_a_zip_bomb_is_logged_as_a_failed_import(store, monkeypatch):
    monkeypatch.setenv("KPI_IMPORT_MAX_MEGABYTES", "20")
    with pytest.raises(FileProblem, match="unpacks to 30 MB"):
        import_bytes(store, zip_bomb(30), "bomb.xlsx")
    assert (
        failed_batch(store)["message"] == "bomb.xlsx unpacks to 30 MB, more than the 20 MB one import reads."
    )


def test_a_named_file_over_the_size_limit_is_refused_before_it_is_read(store, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_IMPORT_MAX_MEGABYTES", "1")
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 300_000)
    with pytest.raises(FileProblem, match=r"big\.csv is larger than 1 MB"):
        import_file(store, path)
