"""The preview of an import: what would load, change and be rejected, and the warnings, with nothing
written; and a preview always agrees with the import that follows it."""

from __future__ import annotations

import datetime as dt

import pytest

from data import access, process_changes, schema
from data.importers.pipeline import import_bytes
from data.importers.preview import preview_bytes
from data.imports import agree_period
from tests.data.helpers import count_rows
from tests.data.upload_helpers import CAMBS, OFFICER, PBORO, VIEWER, provider_codes, return_bytes

QUARTERS = [f"{year} Q{q}" for year in ("2023/24", "2024/25") for q in (1, 2, 3, 4)]


def _history(store, code, numerators=(90, 91, 89, 90, 91, 89, 90, 91)):
    rows = [
        [code, CAMBS, quarter, n, 100, "", "no", ""] for quarter, n in zip(QUARTERS, numerators, strict=True)
    ]
    import_bytes(store, return_bytes(rows), "history.csv", imported_by="test")


def test_preview_lists_new_changed_and_rejected_rows_and_writes_nothing(any_store):
    code = provider_codes(any_store)[0]
    import_bytes(any_store, return_bytes([[code, CAMBS, "2025/26 Q1", 80, 100, "", "", ""]]), "q1.csv")
    before = [
        count_rows(any_store, t) for t in (schema.observations, schema.import_batches, schema.import_files)
    ]
    content = return_bytes(
        [
            [code, CAMBS, "2025/26 Q1", 85, 100, "", "", ""],
            [code, PBORO, "2025/26 Q1", 40, 50, "", "", ""],
            [code, PBORO, "2025/26 Q2", 60, 50, "", "", ""],
        ]
    )
    preview = preview_bytes(any_store, content, "return.csv", OFFICER)
    assert preview.summary() == "2 rows will load: 1 new, 1 changes a figure; 1 row is rejected."
    (new,) = preview.new
    assert (new.area, new.period, new.value) == ("Peterborough", "2025/26 Q1", pytest.approx(80.0))
    (change,) = preview.changes
    assert (change.area, change.old_value, change.value) == (
        "Cambridgeshire",
        pytest.approx(80),
        pytest.approx(85),
    )
    (rejected,) = preview.rejected
    assert (rejected.row_number, rejected.area, rejected.period) == (4, "Peterborough", "2025/26 Q2")
    assert rejected.figures == "numerator 60, denominator 50"
    assert rejected.reason == "count 60 is more than the denominator 50"
    after = [
        count_rows(any_store, t) for t in (schema.observations, schema.import_batches, schema.import_files)
    ]
    assert after == before


def test_a_value_outside_its_process_limits_is_flagged(store):
    code = provider_codes(store)[0]
    _history(store, code)
    content = return_bytes([[code, CAMBS, "2025/26 Q1", 50, 100, "", "", ""]])
    warnings = [
        w for w in preview_bytes(store, content, "r.csv", OFFICER).warnings if w.kind == "outside limits"
    ]
    assert len(warnings) == 1
    assert "50.0 is outside the process limits" in warnings[0].message
    assert "of the 8 figures held before it" in warnings[0].message


def test_a_value_within_its_limits_or_with_too_short_a_series_is_not_flagged(store):
    code = provider_codes(store)[0]
    _history(store, code, numerators=(90, 91, 89, 90, 91, 89, 90, 91))
    within = return_bytes([[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]])
    short = return_bytes([[code, PBORO, "2025/26 Q1", 10, 100, "", "", ""]])
    for content in (within, short):
        assert not [
            w for w in preview_bytes(store, content, "r.csv", OFFICER).warnings if w.kind == "outside limits"
        ]


def test_after_a_process_change_a_figure_is_judged_against_the_current_phase(store):
    code = provider_codes(store)[0]
    _history(store, code, numerators=(50, 51, 49, 90, 91, 89, 90, 91))

    def outside(value):
        content = return_bytes([[code, CAMBS, "2025/26 Q1", value, 100, "", "", ""]])
        warnings = preview_bytes(store, content, "r.csv", OFFICER).warnings
        return [w.message for w in warnings if w.kind == "outside limits"]

    # Over both processes the limits are about 71.6 to 78.7, so a figure like the recent ones looks unusual.
    assert outside(90) and "of the 8 figures held before it." in outside(90)[0]
    process_changes.record(
        store,
        OFFICER,
        indicator_code=code,
        area_code=CAMBS,
        change_date=dt.date(2024, 1, 1),
        reason="New pathway from January 2024",
    )
    # The current phase (90, 91, 89, 90, 91) has limits of about 86.9 to 93.5.
    assert outside(90) == []
    (message,) = outside(70)
    assert "limits 86.9 to 93.5 of the 5 figures held before it since the latest recorded" in message


def test_a_denominator_that_moved_by_more_than_a_fifth_is_flagged(store):
    code = provider_codes(store)[0]
    _history(store, code)
    moved = return_bytes([[code, CAMBS, "2025/26 Q1", 181, 200, "", "", ""]])
    (warning,) = [
        w for w in preview_bytes(store, moved, "r.csv", OFFICER).warnings if w.kind == "denominator moved"
    ]
    assert warning.message.endswith("the denominator 200 is 100% higher than 100 in 2024/25 Q4.")
    steady = return_bytes([[code, CAMBS, "2025/26 Q1", 108, 120, "", "", ""]])
    assert not [
        w for w in preview_bytes(store, steady, "r.csv", OFFICER).warnings if w.kind == "denominator moved"
    ]


def test_every_provider_kpi_missing_from_a_return_is_named(store):
    codes = provider_codes(store)
    content = return_bytes([[codes[0], CAMBS, "2025/26 Q1", 5, 10, "", "", ""]])
    missing = [w for w in preview_bytes(store, content, "r.csv", OFFICER).warnings if w.kind == "missing KPI"]
    assert len(missing) == len(codes) - 1
    assert {(w.area, w.period) for w in missing} == {("Cambridgeshire", "2025/26 Q1")}
    assert all(
        w.message.endswith("no figure for Cambridgeshire, 2025/26 Q1 will load from this return.")
        for w in missing
    )


def test_a_figure_in_a_quarter_agreed_at_a_meeting_is_flagged(store):
    code = provider_codes(store)[0]
    agree_period(store, "ccc-hcp-s75", "2025/26 Q1", OFFICER)
    content = return_bytes(
        [[code, CAMBS, "2025/26 Q1", 5, 10, "", "", ""], [code, CAMBS, "2025/26 Q2", 5, 10, "", "", ""]]
    )
    (warning,) = [
        w for w in preview_bytes(store, content, "r.csv", OFFICER).warnings if w.kind == "agreed period"
    ]
    assert warning.message.startswith(
        "Cambridgeshire, 2025/26 Q1 was agreed at a monitoring meeting (by Olu Officer"
    )
    assert warning.message.endswith("this file writes 1 row in it.")


def test_preview_and_import_agree(any_store):
    codes = provider_codes(any_store)
    import_bytes(any_store, return_bytes([[codes[0], CAMBS, "2025/26 Q1", 80, 100, "", "", ""]]), "q1.csv")
    content = return_bytes(
        [
            [codes[0], CAMBS, "2025/26 Q1", 85, 100, "", "", ""],
            [codes[0], PBORO, "2025/26 Q1", 80, 100, "", "", ""],
            [codes[1], CAMBS, "2025/26 Q1", 80, 100, "", "", ""],
            [codes[0], PBORO, "2025/26 Q1", 80, 100, "", "", ""],
            ["nothing", CAMBS, "2025/26 Q1", 1, 2, "", "", ""],
        ]
    )
    preview = preview_bytes(any_store, content, "r.csv", OFFICER)
    result = import_bytes(any_store, content, "r.csv")
    assert (len(preview.new), len(preview.changes), preview.rows_unchanged) == (
        result.rows_new,
        result.rows_updated,
        result.rows_unchanged,
    )
    assert [r.row_number for r in preview.rejected] == [r.row_number for r in result.rejections] == [3, 5, 6]
    assert preview.sha256 == result.sha256


def test_a_viewer_cannot_preview_an_upload(store):
    content = return_bytes([[provider_codes(store)[0], CAMBS, "2025/26 Q1", 5, 10, "", "", ""]])
    with pytest.raises(access.PermissionDenied):
        preview_bytes(store, content, "r.csv", VIEWER)


def test_preview_counts_flagged_rows_and_gives_one_line_per_cause(any_store):
    codes = provider_codes(any_store)
    content = return_bytes(
        [
            [codes[0], CAMBS, "2025/26 Q1", 120, 130, "94.7", "", ""],  # 120 of 130 is 92.3%
            [codes[0], PBORO, "2025/26 Q1", 60, 50, "", "", ""],
            [codes[1], PBORO, "2025/26 Q1", 70, 50, "", "", ""],
        ]
    )
    preview = preview_bytes(any_store, content, "r.csv", OFFICER)
    assert preview.summary() == (
        "1 row will load: 1 new, 0 change a figure; 2 rows are rejected; "
        "1 row will load as published with a quality flag."
    )
    assert preview.causes == [
        "2 rows rejected: the count is more than the denominator (first at row 3)",
        "1 row flagged: value disagrees with its count and denominator (first at row 2)",
    ]
    (flagged,) = preview.flagged
    assert (flagged.row_number, flagged.area, flagged.note) == (
        2,
        "Cambridgeshire",
        "value 94.7 does not match count 120 of denominator 130 (92.31)",
    )


def test_preview_of_a_file_imported_before_says_so(store):
    content = return_bytes([[provider_codes(store)[0], CAMBS, "2025/26 Q1", 60, 50, "", "", ""]])
    first = import_bytes(store, content, "r.csv")
    preview = preview_bytes(store, content, "r.csv", OFFICER)
    assert preview.earlier.startswith(f"This file was imported before (batch {first.batch_id[:8]}, ")
    assert preview.earlier.endswith("1 row rejected then; nothing new stored.")
