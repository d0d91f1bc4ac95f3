"""After an import: the file kept with its hash, the history, rolling back exactly (or refusing to), the
permission checks, and the quarters agreed at monitoring meetings. On DuckDB and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest

from data import access, schema
from data.importers.pipeline import import_bytes
from data.imports import (
    ImportRefused,
    agree_period,
    agreed_periods,
    history,
    load_upload,
    rejected_rows,
    roll_back_batch,
    stored_file,
)
from tests.data.helpers import count_rows
from tests.data.upload_helpers import (
    ADMIN,
    CAMBS,
    OFFICER,
    PBORO,
    VIEWER,
    provider_codes,
    return_bytes,
    value_of,
)


def _first_and_second(store):
    code = provider_codes(store)[0]
    first = import_bytes(store, return_bytes([[code, CAMBS, "2025/26 Q1", 80, 100, "", "", ""]]), "first.csv")
    content = return_bytes(
        [[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""], [code, PBORO, "2025/26 Q1", 7, 10, "", "", ""]]
    )
    second = load_upload(
        store, content, "second.csv", OFFICER, expected_sha256=hashlib.sha256(content).hexdigest()
    )
    return code, first, second


def test_the_file_is_kept_with_its_hash(any_store):
    content = return_bytes([[provider_codes(any_store)[0], CAMBS, "2025/26 Q1", 8, 10, "", "", ""]])
    result = import_bytes(any_store, content, "return.csv")
    assert stored_file(any_store, result.batch_id) == (
        "return.csv",
        hashlib.sha256(content).hexdigest(),
        content,
    )


def test_history_shows_who_loaded_what_and_the_rejected_rows(any_store):
    code, _, _ = _first_and_second(any_store)
    bad = import_bytes(any_store, return_bytes([[code, CAMBS, "2025/26 Q2", 12, 10, "", "", ""]]), "bad.csv")
    latest, middle, _ = history(any_store)
    assert (middle.file_name, middle.imported_by, middle.rows_new, middle.rows_updated) == (
        "second.csv",
        "Olu Officer",
        1,
        1,
    )
    assert (latest.batch_id, latest.rows_rejected, latest.has_file) == (bad.batch_id, 1, True)
    assert rejected_rows(any_store, bad.batch_id) == [
        (
            2,
            "Row 2 (Cambridgeshire, 2025/26 Q2, count 12, denominator 10): "
            "count 12 is more than the denominator 10",
        )
    ]


def test_rolling_back_restores_the_previous_values(any_store):
    code, _, second = _first_and_second(any_store)
    assert value_of(any_store, code, CAMBS, "2025/26 Q1") == pytest.approx(90)
    assert roll_back_batch(any_store, second.batch_id, ADMIN) == (2, 1)
    assert value_of(any_store, code, CAMBS, "2025/26 Q1") == pytest.approx(80)
    assert value_of(any_store, code, PBORO, "2025/26 Q1") is None
    rolled = next(b for b in history(any_store) if b.batch_id == second.batch_id)
    assert (rolled.status, rolled.rolled_back_by) == ("rolled back", "Ada Admin")
    with pytest.raises(ImportRefused, match="has already been rolled back"):
        roll_back_batch(any_store, second.batch_id, ADMIN)


def test_a_batch_changed_again_later_cannot_be_rolled_back_until_the_later_one_is(any_store):
    code, first, second = _first_and_second(any_store)
    with pytest.raises(ImportRefused, match=r"a later import, second\.csv .* changed figures it loaded"):
        roll_back_batch(any_store, first.batch_id, ADMIN)
    assert value_of(any_store, code, CAMBS, "2025/26 Q1") == pytest.approx(90)
    roll_back_batch(any_store, second.batch_id, ADMIN)
    roll_back_batch(any_store, first.batch_id, ADMIN)
    assert value_of(any_store, code, CAMBS, "2025/26 Q1") is None


@pytest.mark.parametrize("user", [VIEWER, OFFICER])
def test_only_an_admin_can_roll_back(store, user):
    code, _, second = _first_and_second(store)
    with pytest.raises(access.PermissionDenied, match="Only an administrator can roll back an import"):
        roll_back_batch(store, second.batch_id, user)
    assert value_of(store, code, CAMBS, "2025/26 Q1") == pytest.approx(90)


def test_a_viewer_cannot_upload_and_a_changed_file_is_not_loaded(store):
    content = return_bytes([[provider_codes(store)[0], CAMBS, "2025/26 Q1", 8, 10, "", "", ""]])
    batches = count_rows(store, schema.import_batches)
    with pytest.raises(access.PermissionDenied):
        load_upload(store, content, "r.csv", VIEWER, expected_sha256=hashlib.sha256(content).hexdigest())
    with pytest.raises(ImportRefused, match="not the file that was previewed"):
        load_upload(
            store, content + b"\n", "r.csv", OFFICER, expected_sha256=hashlib.sha256(content).hexdigest()
        )
    assert count_rows(store, schema.import_batches) == batches


def test_a_quarter_is_agreed_once_by_a_named_officer(any_store):
    first = agree_period(any_store, "pcc-hcp-s75", "2025/26 Q1", OFFICER)
    again = agree_period(any_store, "pcc-hcp-s75", "2025/26 Q1", ADMIN)
    assert again == first and first.agreed_by == "Olu Officer"
    assert agreed_periods(any_store, "pcc-hcp-s75") == [first]
    assert agreed_periods(any_store, "ccc-hcp-s75") == []
    with pytest.raises(access.PermissionDenied):
        agree_period(any_store, "ccc-hcp-s75", "2025/26 Q1", VIEWER)
