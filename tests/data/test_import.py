"""Importing files: every row loaded or rejected with its reason, re-imports change nothing, failures leave
the store as it was. Each test runs on DuckDB and, where available, PostgreSQL."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import sqlalchemy as sa

from data import schema
from data.importers import pipeline
from data.importers.formats import PROVIDER_RETURN_HEADER, FileProblem
from data.importers.pipeline import import_bytes, import_file
from data.importers.template import write_blank_template
from tests.data.helpers import (
    EAST_OF_ENGLAND_MH,
    count_rows,
    indicator_code,
    observations,
    provider_proportion,
    write_csv,
)

CAMBS, PBORO, ENGLAND = "E10000003", "E06000031", "E92000001"
RETURN_HEADER = list(PROVIDER_RETURN_HEADER)


def test_fingertips_export_loads_with_its_published_limits(any_store, tmp_path):
    result = import_file(any_store, EAST_OF_ENGLAND_MH)
    self_harm = indicator_code(any_store, fingertips_id=90813)
    rows = observations(any_store, indicator_code=self_harm, area_code=CAMBS)
    latest = rows[rows["period_label"] == "2017/18"].iloc[0]
    assert latest["value"] == pytest.approx(662.7249468)
    assert (latest["lower95"], latest["upper95"]) == pytest.approx((616.9113053, 711.0384872))
    assert (latest["count"], latest["denominator"]) == (777, 116545)
    assert str(latest["period_start"]) == "2017-04-01"
    assert result.rows_read == 130
    assert result.rows_new + result.rows_rejected == 130


def test_second_import_of_the_same_file_loads_nothing_new(any_store):
    first = import_file(any_store, EAST_OF_ENGLAND_MH)
    before = count_rows(any_store, schema.observations)
    second = import_file(any_store, EAST_OF_ENGLAND_MH)
    assert first.rows_new > 0
    assert (second.rows_new, second.rows_updated) == (0, 0)
    assert second.rows_unchanged == first.rows_new
    assert count_rows(any_store, schema.observations) == before


def test_both_fingertips_header_styles_give_the_same_observations(store, tmp_path):
    original = pd.read_csv(EAST_OF_ENGLAND_MH, dtype=str, keep_default_na=False)
    website = original.rename(columns=lambda c: c.replace("_", " ").replace("Timeperiod", "Time period"))
    assert "Time period" in website.columns and "Lower CI 95.0 limit" in website.columns
    website.to_csv(tmp_path / "website.csv", index=False)
    import_file(store, tmp_path / "website.csv")
    from_website = observations(store).drop(columns="batch_id").sort_values(list(schema.OBSERVATION_KEY))
    second = import_file(store, EAST_OF_ENGLAND_MH)
    assert (second.rows_new, second.rows_updated) == (0, 0)
    assert len(from_website) == second.rows_unchanged


def test_a_changed_figure_is_updated_and_the_old_one_kept(any_store, tmp_path):
    code = provider_proportion(any_store)
    path = tmp_path / "return.csv"
    write_csv(path, RETURN_HEADER, [[code, CAMBS, "2025/26 Q1", 90, 100, "", "yes", ""]])
    first = import_file(any_store, path)
    write_csv(path, RETURN_HEADER, [[code, CAMBS, "2025/26 Q1", 93, 100, "", "no", "Revised"]])
    second = import_file(any_store, path)
    assert (second.rows_new, second.rows_updated) == (0, 1)
    row = observations(any_store, indicator_code=code).iloc[0]
    assert row["value"] == pytest.approx(93.0)
    assert not row["provisional"]
    with any_store.connect() as conn:
        old = conn.execute(sa.select(schema.observation_revisions)).mappings().one()
    assert old["value"] == pytest.approx(90.0)
    assert old["batch_id"] == first.batch_id
    assert old["replaced_by_batch_id"] == second.batch_id


def test_provider_return_gets_its_percentage_and_wilson_limits_computed(any_store, tmp_path):
    code = provider_proportion(any_store)
    path = write_csv(
        tmp_path / "return.csv",
        RETURN_HEADER,
        [
            [code, PBORO, "2024/25 Q3", 0, 50, "", "", ""],
            [code, CAMBS, "2024/25 Q3", 1587, 1702, "", "no", ""],
        ],
    )
    result = import_file(any_store, path)
    assert result.rows_new == 2
    rows = observations(any_store, indicator_code=code).set_index("area_code")
    cambs = rows.loc[CAMBS]
    assert cambs["value"] == pytest.approx(100 * 1587 / 1702)
    # Wilson score interval for 1587 of 1702 (z = 1.959964): 91.95% to 94.34%
    assert (cambs["lower95"], cambs["upper95"]) == pytest.approx((91.950765, 94.340959), abs=1e-6)
    assert cambs["lower998"] < cambs["lower95"] and cambs["upper998"] > cambs["upper95"]
    zero = rows.loc[PBORO]
    assert zero["value"] == 0 and zero["lower95"] == 0 and zero["upper95"] > 0
    assert str(cambs["period_start"]) == "2024-10-01"


@pytest.mark.parametrize(
    ("row", "problem", "words"),
    [
        (
            ["no-such-indicator", CAMBS, "2024/25 Q1", 1, 2, "", "", ""],
            "unknown indicator",
            "no-such-indicator",
        ),
        (["{code}", "E07000201", "2024/25 Q1", 1, 2, "", "", ""], "unknown area", "E07000201"),
        (["{code}", CAMBS, "Spring 2024", 1, 2, "", "", ""], "unreadable period", "Spring 2024"),
        (["{code}", CAMBS, "2024/25 Q1", "lots", 2, "", "", ""], "not a number", "'lots' is not a number"),
        (
            ["{code}", CAMBS, "2024/25 Q1", 12, 10, "", "", ""],
            "count above denominator",
            "more than the denominator",
        ),
        (["{code}", CAMBS, "2024/25 Q1", -1, 10, "", "", ""], "negative number", "negative"),
        (["{code}", CAMBS, "2024/25 Q1", "", "", 120, "", ""], "value out of range", "more than 100"),
        (["{code}", CAMBS, "2024/25 Q1", 1, 2, "", "maybe", ""], "unreadable flag", "yes or no"),
    ],
)
def test_bad_rows_are_rejected_with_row_number_and_reason(store, tmp_path, row, problem, words):
    code = provider_proportion(store)
    good = [code, PBORO, "2024/25 Q1", 5, 10, "", "", ""]
    bad = [code if cell == "{code}" else cell for cell in row]
    path = write_csv(tmp_path / "return.csv", RETURN_HEADER, [good, bad])
    result = import_file(store, path)
    assert (result.rows_new, result.rows_rejected) == (1, 1)
    [rejection] = result.rejections
    assert rejection.row_number == 3  # the heading is row 1, so the second data row is row 3
    assert rejection.problem == problem
    assert words in rejection.reason
    with store.connect() as conn:
        stored = conn.execute(sa.select(schema.rejected_rows)).mappings().one()
    assert stored["row_number"] == 3 and words in stored["reason"]
    assert json.loads(stored["raw"])["area_code"] == bad[1]  # the row is kept as it was written


def test_every_reason_for_a_row_is_reported_together(store, tmp_path):
    path = write_csv(tmp_path / "r.csv", RETURN_HEADER, [["nope", "E99999999", "soon", "x", "", "", "", ""]])
    [rejection] = import_file(store, path).rejections
    assert len(rejection.reasons) == 4
    assert "unknown indicator" in rejection.reason and "unknown area" in rejection.reason


def test_rows_with_the_same_key_are_all_rejected_naming_each_other(any_store, tmp_path):
    code = provider_proportion(any_store)
    rows = [[code, CAMBS, "2024/25 Q1", 5, 10, "", "", ""], [code, CAMBS, "2024/25 Q1", 6, 10, "", "", ""]]
    result = import_file(any_store, write_csv(tmp_path / "dup.csv", RETURN_HEADER, rows))
    assert result.rows_new == 0
    assert [(r.row_number, r.problem) for r in result.rejections] == [
        (2, "duplicate row"),
        (3, "duplicate row"),
    ]
    assert "row 3" in result.rejections[0].reason and "row 2" in result.rejections[1].reason


def test_strict_import_refuses_the_whole_file_but_keeps_the_reasons(any_store, tmp_path):
    code = provider_proportion(any_store)
    rows = [[code, CAMBS, "2024/25 Q1", 5, 10, "", "", ""], [code, CAMBS, "2024/25 Q2", 15, 10, "", "", ""]]
    result = import_file(any_store, write_csv(tmp_path / "r.csv", RETURN_HEADER, rows), strict=True)
    assert result.status == "rejected"
    assert result.rows_new == 0
    assert count_rows(any_store, schema.observations) == 0
    assert count_rows(any_store, schema.rejected_rows) == 1
    assert "Nothing was loaded" in result.summary()


def test_a_failure_part_way_leaves_the_store_as_it_was(any_store, tmp_path, monkeypatch):
    import_file(any_store, EAST_OF_ENGLAND_MH)
    before_obs = count_rows(any_store, schema.observations)
    before_batches = count_rows(any_store, schema.import_batches)
    code = provider_proportion(any_store)
    path = write_csv(tmp_path / "r.csv", RETURN_HEADER, [[code, CAMBS, "2024/25 Q1", 5, 10, "", "", ""]])
    real_write = pipeline._write

    def write_then_fail(*args, **kwargs):
        real_write(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_write", write_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(any_store, path)
    assert count_rows(any_store, schema.observations) == before_obs
    assert count_rows(any_store, schema.import_batches) == before_batches


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"   \n  \n", "is empty"),
        (b"\x00\x01\x02binary\x00", "not a CSV file"),
        (b"PK\x03\x04 not really a workbook", "not an Excel workbook"),
        (b"colour,shape\nred,square\n", "do not match any format"),
        (b"indicator_code,area_code,period,numerator\n", "no rows"),
        (
            b"Indicator ID,Area Code,Sex,Age,Value\n1,E10000003,Persons,All,3\n",
            "missing the column Time period",
        ),
        (b"just one column\nvalue\n", "only one column"),
        (b'a,b\n"unclosed,2\n', "not a well-formed CSV"),
    ],
)
def test_malformed_files_get_one_clear_message_and_are_logged(store, content, words):
    with pytest.raises(FileProblem, match=words):
        import_bytes(store, content, "upload.csv")
    with store.connect() as conn:
        batch = conn.execute(sa.select(schema.import_batches)).mappings().one()
    assert batch["status"] == "failed" and words in batch["message"]
    assert count_rows(store, schema.observations) == 0


def test_import_before_the_store_exists_says_to_seed_first(empty_store, tmp_path):
    schema.create_schema(empty_store)
    with pytest.raises(FileProblem, match="kpi seed"):
        import_file(empty_store, EAST_OF_ENGLAND_MH)


def test_tidy_extract_matches_indicators_by_name_and_keeps_missing_values_as_gaps(any_store):
    result = import_file(
        any_store, EAST_OF_ENGLAND_MH.parents[1] / "trafford-dashboard-children" / "neets.csv"
    )
    neet = indicator_code(any_store, fingertips_id=93203)
    rows = observations(any_store, indicator_code=neet, area_code=CAMBS).sort_values("period_start")
    assert rows["period_label"].tolist() == ["2016", "2017", "2018"]
    assert result.rows_new + result.rows_rejected == result.rows_read == 462
    assert {r.problem for r in result.rejections} <= {"unknown area"}  # only retired area codes
    gaps = observations(any_store, indicator_code=neet)
    gaps = gaps[gaps["value"].isna()]
    assert len(gaps) > 0 and (gaps["value_note"] == "No value published").all()


def test_blank_xlsx_template_filled_in_imports(store, tmp_path):
    from openpyxl import load_workbook

    path = write_blank_template(tmp_path / "return.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames[:2] == ["Instructions", "Return"]
    indicators = [row[0].value for row in workbook["Indicators"].iter_rows(min_row=2)]
    assert provider_proportion(store) in indicators
    sheet = workbook["Return"]
    sheet.append([provider_proportion(store), CAMBS, "2025/26 Q2", 1500, 1600, None, "yes", None])
    workbook.save(path)
    result = import_file(store, path)
    assert (result.source_format, result.rows_new, result.rows_rejected) == ("provider_return", 1, 0)
    row = observations(store, indicator_code=provider_proportion(store)).iloc[0]
    assert row["value"] == pytest.approx(93.75) and row["provisional"]


def test_blank_csv_template_has_the_headings_only(store, tmp_path):
    path = write_blank_template(tmp_path / "return.csv")
    assert path.read_text().strip() == ",".join(RETURN_HEADER)


def test_windows_excel_csv_encoding_is_read(store, tmp_path):
    code = provider_proportion(store)
    text = ",".join(RETURN_HEADER) + f"\n{code},{CAMBS},2024/25 Q1,5,10,,,Caf\u00e9 closed\n"
    result = import_bytes(store, text.encode("cp1252"), "excel.csv")
    assert result.rows_new == 1
    assert observations(store).iloc[0]["value_note"] == "Caf\u00e9 closed"
    assert not math.isnan(observations(store).iloc[0]["lower95"])


def test_a_rounded_copy_without_limits_does_not_replace_the_detailed_figure(any_store, tmp_path):
    """The tidy extracts repeat Fingertips' figures rounded and without limits; the full figure stays."""
    import_file(any_store, EAST_OF_ENGLAND_MH)
    tidy = write_csv(
        tmp_path / "tidy.csv",
        ["area_code", "area_name", "period", "value", "indicator", "measure", "unit", "significance"],
        [
            [
                CAMBS,
                "Cambridgeshire",
                "2017/18",
                662.7,
                "Hospital admissions as a result of self-harm (10-24 years)",
                "Age standardised rate per 100,000",
                "Persons",
                "Worse",
            ],
            [
                CAMBS,
                "Cambridgeshire",
                "2016/17",
                640.1,
                "Hospital admissions as a result of self-harm (10-24 years)",
                "Age standardised rate per 100,000",
                "Persons",
                "Worse",
            ],
        ],
    )
    result = import_file(any_store, tidy)
    assert (result.rows_new, result.rows_updated, result.rows_unchanged) == (1, 0, 1)
    code = indicator_code(any_store, fingertips_id=90813)
    kept = (
        observations(any_store, indicator_code=code, area_code=CAMBS).set_index("period_label").loc["2017/18"]
    )
    assert kept["value"] == pytest.approx(662.7249468) and kept["count"] == 777
