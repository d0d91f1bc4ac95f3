"""Published rows load as published (flagged when they do not quite add up), rejections say what the row is
and why, one summary line per cause, a file imported again stores nothing twice, no cell can crash an import,
academic-year indicators keep their September-August dates, and a version-2 store is upgraded in place."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from data import schema
from data.importers.pipeline import import_file
from data.imports import rejected_rows
from data.redating import redate_observations
from tests.data.helpers import count_rows, observations, provider_proportion, write_csv

CAMBS, PBORO, ENGLAND, CAMBRIDGE = "E10000003", "E06000031", "E92000001", "E07000008"
# The Fingertips export's columns, as the API and fingertipsR write them.
FINGERTIPS_HEADER = [
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
]
RETURN_HEADER = ["indicator_code", "area_code", "period", "numerator", "denominator", "value", "provisional"]
LOW_INCOME = "Children in relative low income families (under 16s)"


def low_income_row(
    area: str, name: str, period: str, value: str, lower: str, upper: str, **cells: str
) -> list:
    """A row of a Fingertips export of indicator 93700 (children in relative low income families)."""
    row = dict.fromkeys(FINGERTIPS_HEADER, "")
    row.update(
        IndicatorID="93700",
        IndicatorName=LOW_INCOME,
        AreaCode=area,
        AreaName=name,
        AreaType="England" if area == ENGLAND else "Counties & UAs (from Apr 2023)",
        Sex="Persons",
        Age="<16 yrs",
        Timeperiod=period,
        Value=value,
        **{"Lower_CI_95.0_limit": lower, "Upper_CI_95.0_limit": upper},
    )
    row.update(cells)
    return [row[h] for h in FINGERTIPS_HEADER]


ENGLAND_ROW = low_income_row(ENGLAND, "England", "2022/23", "16.1", "16.1028", "16.166")
CAMBS_ROW = low_income_row(CAMBS, "Cambridgeshire", "2022/23", "11.3", "11.1", "11.5")


def test_a_published_value_just_outside_its_interval_loads_with_a_flag(any_store, tmp_path):
    path = write_csv(tmp_path / "fingertips.csv", FINGERTIPS_HEADER, [ENGLAND_ROW, CAMBS_ROW])
    result = import_file(any_store, path)
    assert (result.rows_new, result.rows_rejected, result.rows_flagged) == (2, 0, 1)
    stored = observations(any_store, indicator_code="children-relative-low-income").set_index("area_code")
    england = stored.loc[ENGLAND]
    assert england["value"] == pytest.approx(16.1)
    assert england["quality_note"] == (
        "value 16.1 is outside its published 95% interval 16.1028 to 16.166 (within rounding of the value)"
    )
    assert england["limits_source"] == "published"
    assert stored.loc[CAMBS]["quality_note"] is None
    lines = result.summary().splitlines()
    assert lines[0].endswith("0 rejected; 1 row with a quality flag loaded as published.")
    assert lines[1] == "  1 row flagged: value outside its published interval (first at row 2)"


def test_a_value_that_disagrees_with_its_count_loads_flagged_and_rounding_is_allowed(any_store, tmp_path):
    code = provider_proportion(any_store)
    rows = [
        [code, CAMBS, "2024/25 Q1", 120, 130, "94.7", "no"],  # 120 of 130 is 92.3%
        [code, PBORO, "2024/25 Q1", 120, 130, "92.3", "no"],  # 92.307...% rounded
    ]
    result = import_file(any_store, write_csv(tmp_path / "return.csv", RETURN_HEADER, rows))
    assert (result.rows_new, result.rows_flagged) == (2, 1)
    stored = observations(any_store, indicator_code=code).set_index("area_code")
    assert (
        stored.loc[CAMBS]["quality_note"] == "value 94.7 does not match count 120 of denominator 130 (92.31)"
    )
    assert stored.loc[PBORO]["quality_note"] is None
    assert set(stored["limits_source"]) == {"calculated"}  # a return gives no limits: the Wilson interval
    assert (
        "  1 row flagged: value disagrees with its count and denominator (first at row 2)" in result.summary()
    )


def test_a_strict_import_refuses_a_file_with_a_flagged_row(store, tmp_path):
    path = write_csv(tmp_path / "fingertips.csv", FINGERTIPS_HEADER, [ENGLAND_ROW, CAMBS_ROW])
    result = import_file(store, path, strict=True)
    assert result.status == "rejected"
    assert count_rows(store, schema.observations) == 0
    assert (
        "Nothing was loaded: the import was strict and some rows were rejected or flagged."
        in result.summary()
    )


def test_a_rejection_names_its_row_area_period_figures_and_reason(any_store, tmp_path):
    code = provider_proportion(any_store)
    path = write_csv(tmp_path / "return.csv", RETURN_HEADER, [[code, PBORO, "2024/25 Q2", 120, 100, "", ""]])
    result = import_file(any_store, path)
    expected = (
        "Row 2 (Peterborough, 2024/25 Q2, count 120, denominator 100): "
        "count 120 is more than the denominator 100"
    )
    assert [r.described for r in result.rejections] == [expected]
    assert rejected_rows(any_store, result.batch_id) == [(2, expected)]


def test_the_summary_gives_one_line_per_cause_with_a_count(store, tmp_path):
    unknown = [list(ENGLAND_ROW) for _ in range(3)]  # three rows that name no indicator
    for n, row in enumerate(unknown):
        row[0], row[11] = "", f"20{10 + n}"
    bad_area = low_income_row("E07000201", "Forest Heath", "2022/23", "9.5", "9.0", "10.0")
    path = write_csv(tmp_path / "f.csv", FINGERTIPS_HEADER, [*unknown, CAMBS_ROW, bad_area])
    lines = import_file(store, path).summary().splitlines()
    assert lines[1:] == [
        "  3 rows rejected: no indicator given (first at row 2)",
        "  1 row rejected: the area code is not one we know: E07000201 (first at row 6)",
    ]


def test_importing_the_same_file_again_stores_nothing_twice(any_store, tmp_path):
    code = provider_proportion(any_store)
    rows = [[code, CAMBS, "2024/25 Q1", 90, 100, "", ""], [code, PBORO, "2024/25 Q1", 120, 100, "", ""]]
    path = write_csv(tmp_path / "return.csv", RETURN_HEADER, rows)
    first = import_file(any_store, path)
    second = import_file(any_store, path)
    assert (second.rows_new, second.rows_unchanged, second.rows_rejected) == (0, 1, 1)
    assert second.same_file_as is not None and second.same_file_as.batch_id == first.batch_id
    assert (
        second.summary()
        .splitlines()[1]
        .startswith(f"This file was imported before (batch {first.batch_id[:8]}, ")
    )
    assert second.summary().splitlines()[1].endswith("1 row rejected then; nothing new stored.")
    assert count_rows(any_store, schema.rejected_rows) == 1
    assert count_rows(any_store, schema.import_files) == 1
    assert rejected_rows(any_store, second.batch_id) == rejected_rows(any_store, first.batch_id)
    write_csv(path, RETURN_HEADER, [*rows, [code, CAMBS, "2024/25 Q2", 91, 100, "", ""]])
    changed = import_file(any_store, path)
    assert (changed.rows_new, changed.same_file_as) == (1, None)
    assert count_rows(any_store, schema.rejected_rows) == 2


BAD_CELLS = [
    ({"Timeperiod": "0000"}, "names a year outside 1900 to 2100"),
    ({"Timeperiod": "9999/00"}, "names a year outside 1900 to 2100"),
    ({"Timeperiod": "9998 - 9999"}, "names a year outside 1900 to 2100"),
    ({"Timeperiod": "2263"}, "names a year outside 1900 to 2100"),
    ({"Count": "12%"}, "count (numerator) '12%' is not a number"),
    ({"Value": "1_000"}, "value '1_000' is not a number"),
    ({"Value": "\u0661\u0662"}, "is not a number"),  # Arabic-Indic digits
    ({"Value": "-0", "Lower_CI_95.0_limit": "5", "Upper_CI_95.0_limit": "10"}, "value -0 is negative"),
    ({"Count": "1e308", "Denominator": "1e308"}, "count (numerator) 1e308 is too large to be a real figure"),
    # A note under the reading limit on one cell (a 20-million-character cell refuses the whole file).
    ({"Value_note": "x" * 50_000}, "the note is 50,000 characters long; at most 2,000 are kept"),
    ({"Sex": "Persons of every sex and none"}, "longer than 16 characters"),
]


def test_no_cell_crashes_an_import_each_is_rejected_with_its_reason(any_store, tmp_path):
    rows = [
        low_income_row(CAMBS, "Cambridgeshire", f"20{10 + n}/{11 + n}", "11.3", "11.1", "11.5")
        for n in range(len(BAD_CELLS))
    ]
    for row, (cells, _) in zip(rows, BAD_CELLS, strict=True):
        for column, text in cells.items():
            row[FINGERTIPS_HEADER.index(column)] = text
    result = import_file(any_store, write_csv(tmp_path / "bad.csv", FINGERTIPS_HEADER, rows))
    assert (result.rows_new, result.rows_rejected) == (0, len(BAD_CELLS))
    for rejection, (_, words) in zip(result.rejections, BAD_CELLS, strict=True):
        assert words in rejection.reason, rejection.reason
    with any_store.connect() as conn:
        raw = conn.execute(
            sa.select(schema.rejected_rows.c.raw).where(schema.rejected_rows.c.row_number == 11)
        )
        note = json.loads(raw.scalar())["Value_note"]
    assert len(note) == 2001  # the row is kept, its note cut (the whole file is kept with the import)


def test_a_provider_return_count_must_be_whole(store, tmp_path):
    code = provider_proportion(store)
    path = write_csv(tmp_path / "r.csv", RETURN_HEADER, [[code, CAMBS, "2024/25 Q1", "90.5", 100, "", ""]])
    [rejection] = import_file(store, path).rejections
    assert rejection.reason == "count (numerator) 90.5 is not a whole number"


def test_thousands_separators_still_read_as_numbers(store, tmp_path):
    code = provider_proportion(store)
    path = write_csv(
        tmp_path / "r.csv", RETURN_HEADER, [[code, CAMBS, "2024/25 Q1", "1,587", "1,702", "", ""]]
    )
    assert import_file(store, path).rows_new == 1
    assert observations(store).iloc[0]["count"] == 1587


NCMP_HEADER = ["area_code", "area_name", "period", "value", "indicator", "measure", "unit", "significance"]
NCMP_ROW = [
    CAMBRIDGE,
    "Cambridge",
    "2007/08",
    "24.1",
    "Children aged 4-5 years who have excess weight",
    "Percentage",
    "Persons",
    "Similar",
]


def test_an_ncmp_figure_is_stored_on_its_academic_year(any_store, tmp_path):
    import_file(any_store, write_csv(tmp_path / "ncmp.csv", NCMP_HEADER, [NCMP_ROW]))
    [row] = observations(any_store, indicator_code="excess-weight-reception").to_dict("records")
    assert (row["period_start"], row["period_end"]) == (dt.date(2007, 9, 1), dt.date(2008, 8, 31))
    assert row["value"] == pytest.approx(24.1)


def test_figures_stored_on_financial_years_move_to_academic_years(any_store, tmp_path):
    ind = schema.indicators
    path = write_csv(tmp_path / "ncmp.csv", NCMP_HEADER, [NCMP_ROW])
    with any_store.begin() as conn:  # as an earlier release stored it
        conn.execute(
            ind.update().where(ind.c.code == "excess-weight-reception").values(year_type="financial")
        )
    import_file(any_store, path)
    assert observations(any_store).iloc[0]["period_start"] == dt.date(2007, 4, 1)
    with any_store.begin() as conn:
        conn.execute(ind.update().where(ind.c.code == "excess-weight-reception").values(year_type="academic"))
        assert redate_observations(conn) == 1
        assert redate_observations(conn) == 0
    [row] = observations(any_store).to_dict("records")
    assert (row["period_start"], row["period_end"]) == (dt.date(2007, 9, 1), dt.date(2008, 8, 31))
    again = write_csv(
        tmp_path / "ncmp-again.csv",
        NCMP_HEADER,
        [NCMP_ROW, [*NCMP_ROW[:2], "2008/09", "22.0", *NCMP_ROW[4:]]],
    )
    assert (import_file(any_store, again).rows_new, count_rows(any_store, schema.observations)) == (1, 2)


def _as_version_2(engine: sa.Engine) -> None:
    """Rewrite ``engine``'s store in the version-2 layout, rows and all: today's tables without the columns
    added since, and version 2 recorded."""
    added = {pair for pairs in schema.ADDED_COLUMNS_SINCE.values() for pair in pairs}
    with engine.connect() as conn:
        rows = {
            t.name: [dict(r) for r in conn.execute(sa.select(t)).mappings()]
            for t in schema.metadata.sorted_tables
        }
    schema.metadata.drop_all(engine)
    old = sa.MetaData()
    for table in schema.metadata.sorted_tables:
        sa.Table(table.name, old, *(c._copy() for c in table.columns if (table.name, c.name) not in added))
    old.create_all(engine)
    with engine.begin() as conn:
        for table in old.sorted_tables:
            kept = [
                {k: v for k, v in row.items() if (table.name, k) not in added} for row in rows[table.name]
            ]
            if table.name == "schema_version":
                kept = [{"version": 2, "applied_at": dt.datetime(2026, 1, 1)}]
            if kept:
                conn.execute(table.insert(), kept)


def test_a_version_2_store_is_upgraded_in_place_with_its_figures_kept(any_store, tmp_path):
    code = provider_proportion(any_store)
    path = write_csv(tmp_path / "r.csv", RETURN_HEADER, [[code, CAMBS, "2024/25 Q1", 90, 100, "", ""]])
    first = import_file(any_store, path)
    before = observations(any_store).drop(columns=["quality_note", "limits_source"])
    _as_version_2(any_store)
    assert "quality_note" not in {c["name"] for c in sa.inspect(any_store).get_columns("observations")}

    schema.create_schema(any_store)

    with any_store.connect() as conn:
        versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert sorted(versions) == [2, schema.SCHEMA_VERSION]
    after = observations(any_store)
    assert after.drop(columns=["quality_note", "limits_source"]).equals(before)
    assert after.iloc[0]["limits_source"] is None  # not known for a figure loaded before version 3
    again = import_file(any_store, path)
    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
    assert again.same_file_as is not None and again.same_file_as.batch_id == first.batch_id
    assert observations(any_store).iloc[0]["limits_source"] == "calculated"  # recorded on the way past
    schema.create_schema(any_store)  # safe to run again
    assert count_rows(any_store, schema.schema_version) == 2


def test_a_figure_already_held_on_its_true_dates_is_not_kept_twice(store, tmp_path):
    ind = schema.indicators
    path = write_csv(tmp_path / "ncmp.csv", NCMP_HEADER, [NCMP_ROW])
    with store.begin() as conn:
        conn.execute(
            ind.update().where(ind.c.code == "excess-weight-reception").values(year_type="financial")
        )
    import_file(store, path)
    with store.begin() as conn:
        conn.execute(ind.update().where(ind.c.code == "excess-weight-reception").values(year_type="academic"))
    later = [NCMP_ROW, [*NCMP_ROW[:2], "2008/09", "22.0", *NCMP_ROW[4:]]]
    import_file(store, write_csv(tmp_path / "ncmp-2.csv", NCMP_HEADER, later))
    assert count_rows(store, schema.observations) == 3  # 2007/08 on both sets of dates, and 2008/09
    with store.begin() as conn:
        redate_observations(conn)
    rows = observations(store).sort_values("period_start")
    assert rows["period_start"].tolist() == [dt.date(2007, 9, 1), dt.date(2008, 9, 1)]
