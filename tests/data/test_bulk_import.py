"""The bulk import path gives exactly what checking and writing one row at a time gives.

Clean rows are checked a whole column at a time and written in one bulk operation; any row the column-wise
screen cannot show to be clean is checked by :func:`check_row`, one by one. These tests hold the two paths
to the same answers: every kind of awkward cell, drawn at random, gives the same observations, rejections
(word for word) and flags whichever path checks it; and a large file with rejections, flags and changed
figures leaves the same store, revisions and rejected rows on DuckDB and PostgreSQL as the one-by-one path.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import schema
from data.db import make_engine
from data.importers import validate as validation
from data.importers.formats import COMMON_COLUMNS, FINGERTIPS, PROVIDER_RETURN, Format
from data.importers.pipeline import _lookups, import_bytes
from data.importers.validate import Lookups, validate
from tests.conftest import copy_store

PROPORTION, RATE, STANDARDISED, COUNT = "93085", "90810", "90813", "91145"
ACADEMIC = "92517"
HEADER = [
    "Indicator ID",
    "Area Code",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
    "Value note",
]


def careful_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every row through :func:`check_row`, as imports did before the column-wise screen."""
    screen = validation._clean_rows

    def nothing_clean(common: pd.DataFrame, file_format: Format, lookups: Lookups, measured=None):
        clean, _, _ = screen(common.iloc[:0], file_format, lookups)
        return clean, pd.Series(True, index=common.index), []

    monkeypatch.setattr(validation, "_clean_rows", nothing_clean)


@pytest.fixture(scope="module")
def lookups(reference_store_file) -> Iterator[Lookups]:
    engine = make_engine("duckdb:///:memory:")
    copy_store(reference_store_file, engine)
    with engine.connect() as conn:
        yield _lookups(conn)
    engine.dispose()


NUMBERS = st.sampled_from(
    [
        "",
        "-",
        "n/a",
        "0",
        "0.0",
        "12",
        "12.5",
        "99.95",
        "100",
        "100.04",
        "101",
        "-3",
        "-0",
        "+4",
        ".5",
        "5.",
        "1e3",
        "2E+01",
        "1e0004",
        "inf",
        "nan",
        "1,234",
        "12%",
        "1_000",
        "999999999999",
        "1000000000000",
        "7.25",
        "16.1",
        "16.1028",
        "16.166",
        "140",
        "130",
        " 8 ",
        " NA ",
        "N/A",
        "5\x00",
        "\u0665",
    ]
)
CELLS = {
    "indicator_ref": st.sampled_from(
        [PROPORTION, RATE, STANDARDISED, COUNT, ACADEMIC, "999999", "", "93085.0"]
    ),
    "area_code": st.sampled_from(["E10000003", "e06000031 ", "E99999999", ""]),
    "period": st.sampled_from(["2022/23", "2023", "2020 - 22", "2023/24 Q1", "0000", "2022/24", "soon", ""]),
    "sex": st.sampled_from(["", "Persons", "Female", "x" * 17]),
    "age": st.sampled_from(["", "0-4 yrs"]),
    "category_type": st.sampled_from(["", "Deprivation decile"]),
    "category": st.sampled_from(["", "Most deprived decile"]),
    "value": NUMBERS,
    "lower95": NUMBERS,
    "upper95": NUMBERS,
    "count": NUMBERS,
    "denominator": NUMBERS,
    "value_note": st.sampled_from(["", "Suppressed", "Source defect: counted twice", "n" * 2001]),
    "provisional": st.sampled_from(["", "yes", " Y ", "no", "maybe"]),
    "published_comparison": st.sampled_from(["", "Similar", "n/a"]),
}


def _table(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{c: row.get(c, "") for c in COMMON_COLUMNS} for row in rows], columns=COMMON_COLUMNS
    )
    frame.insert(0, "row_number", range(2, len(rows) + 2))
    return frame


def _answers(common: pd.DataFrame, file_format: Format, lookups: Lookups):
    valid, rejections, flags = validate(common, file_format, lookups)
    valid = valid.astype(object).where(valid.notna(), None).sort_values("row_number").reset_index(drop=True)
    return valid.to_dict("records"), rejections, flags


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=40), provider=st.booleans())
def test_every_kind_of_cell_gets_the_same_answer_from_both_paths(
    rows: list[dict[str, str]], provider: bool, lookups: Lookups, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_format = PROVIDER_RETURN if provider else FINGERTIPS
    if provider:  # a provider return names indicators by their catalogue code
        codes = {str(int(i)): code for code, i in lookups.indicators["fingertips_id"].dropna().items()}
        rows = [
            {**row, "indicator_ref": codes.get(row["indicator_ref"], row["indicator_ref"])} for row in rows
        ]
    common = _table(rows)
    bulk = _answers(common, file_format, lookups)
    with monkeypatch.context() as patched:
        careful_only(patched)
        careful = _answers(common, file_format, lookups)
    assert bulk == careful


def test_clean_rows_are_checked_column_wise_with_their_figures_exact(lookups: Lookups) -> None:
    common = _table(
        [
            {
                "indicator_ref": PROPORTION,
                "area_code": "E10000003",
                "period": "2022/23",
                "value": "7.123456789012345",
            },
            {
                "indicator_ref": PROPORTION,
                "area_code": "E10000003",
                "period": "2021/22",
                "count": "3",
                "denominator": "7",
            },
        ]
    )
    clean, careful, rejections = validation._clean_rows(common, FINGERTIPS, lookups)
    assert not careful.any() and not rejections
    assert clean["value"].tolist() == [7.123456789012345, 3 / 7 * 100.0]
    assert clean["period_start"].astype(str).tolist() == ["2022-04-01", "2021-04-01"]


def _fingertips_file(rows: int, *, seed: int = 7) -> bytes:
    """A Fingertips export of ``rows`` rows over every area, with a few rejected and flagged rows."""
    rnd = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    areas = ["E10000003", "E06000031", "E07000008", "E07000009", "E07000010", "E07000011", "E07000012"]
    written = 0
    for year in range(1990, 2100):
        for area in areas:
            for decile in range(11):
                if written == rows:
                    return out.getvalue().encode()
                denominator = rnd.randint(100, 5000)
                count = rnd.randint(0, denominator * 9 // 10)
                value = round(count / denominator * 100, 3)
                cells = [PROPORTION, area, "Persons", "All ages", "", "", f"{year}/{(year + 1) % 100:02d}"]
                cells[4:6] = ["Deprivation decile", f"Decile {decile}"] if decile else ["", ""]
                cells += [f"{value}", "", "", count, denominator, ""]
                if written % 97 == 5:
                    cells[7] = "12%"  # rejected
                if written % 89 == 3:
                    cells[7] = f"{value + 1}"  # flagged: disagrees with its count
                if written % 101 == 9:
                    cells[8:10] = [f"{value + 2}", f"{value + 3}"]  # flagged: outside its interval
                writer.writerow(cells)
                written += 1
    raise AssertionError("asked for more rows than the generator makes")  # pragma: no cover


def _store_state(engine: sa.Engine) -> dict[str, list]:
    """Everything an import writes, with batch ids (random) replaced by the import's place in order."""
    with engine.connect() as conn:
        batches = conn.execute(
            sa.select(schema.import_batches.c.id).order_by(schema.import_batches.c.started_at)
        )
        order = {batch_id: n for n, (batch_id,) in enumerate(batches)}
        tables = (schema.observations, schema.observation_revisions, schema.rejected_rows)
        found = [conn.execute(sa.select(table)).all() for table in tables]
    return {
        table.name: sorted(tuple(order.get(v, v) if isinstance(v, str) else v for v in row) for row in rows)
        for table, rows in zip(tables, found, strict=True)
    }


def _import_three_times(engine: sa.Engine) -> list[tuple[int, int, int, int, int]]:
    first, changed = _fingertips_file(3000), _fingertips_file(3000, seed=8)
    counts = []
    for content in (first, first, changed):
        result = import_bytes(engine, content, "national.csv", imported_by="test")
        counts.append(
            (
                result.rows_new,
                result.rows_updated,
                result.rows_unchanged,
                result.rows_rejected,
                result.rows_flagged,
            )
        )
    return counts


def test_a_large_file_loads_exactly_as_row_by_row_checking_loads_it(
    any_store: sa.Engine, reference_store_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _import_three_times(any_store)
    # 3,000 rows: 30 rejected ("12%"; a 31st is written over by a flagged figure), the rest new; the
    # same file again changes nothing; then every figure changes (new counts and denominators) and is
    # updated, its earlier figures kept as revisions.
    assert counts[0][:4] == (2970, 0, 0, 30)
    assert counts[1][:4] == (0, 0, 2970, 30)
    assert counts[2][:4] == (0, 2970, 0, 30)
    assert counts[0][4] == counts[2][4] > 0
    bulk = _store_state(any_store)
    assert len(bulk["observation_revisions"]) == 2970

    reference = make_engine("duckdb:///:memory:")
    copy_store(reference_store_file, reference)
    with monkeypatch.context() as patched:
        careful_only(patched)
        assert _import_three_times(reference) == counts
    assert _store_state(reference) == bulk
    reference.dispose()
