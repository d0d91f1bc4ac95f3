"""Process changes in the store, on DuckDB and PostgreSQL: who may record and withdraw them, what is refused
with which words, that a withdrawal keeps the history, and that the scorecard judges SPC on the current
phase."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data import process_changes, schema
from data.access import PermissionDenied, User
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.pipeline import import_file
from data.scorecard import scorecard
from metrics import spc
from tests.data.helpers import count_rows, write_csv

CAMBS, PBORO = "E10000003", "E06000031"
KPI = "hv-new-birth-visit-14d"
OFFICER = User("Olu Officer", frozenset({"officer"}))
ADMIN = User("Ada Admin", frozenset({"admin"}))
VIEWER = User("Vic Viewer", frozenset({"viewer"}))
HEADER = list(PROVIDER_RETURN_HEADER)
OLD_QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2021, 2022, 2023) for q in (1, 2, 3, 4)]
NEW_QUARTERS = ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2"]
PATHWAY = dt.date(2024, 4, 1)


@pytest.fixture
def with_series(any_store, tmp_path):
    """Cambridgeshire's new birth visits: twelve quarters at 80-82%, then six at 97-98% after a new pathway
    (April 2024). Peterborough has the old quarters only."""
    rows = [[KPI, CAMBS, q, 800 + 20 * (i % 2), 1000, "", "no", ""] for i, q in enumerate(OLD_QUARTERS)]
    rows += [[KPI, CAMBS, q, 970 + 10 * (i % 2), 1000, "", "no", ""] for i, q in enumerate(NEW_QUARTERS)]
    rows += [[KPI, PBORO, q, 800 + 20 * (i % 2), 1000, "", "no", ""] for i, q in enumerate(OLD_QUARTERS)]
    import_file(any_store, write_csv(tmp_path / "return.csv", HEADER, rows))
    return any_store


def _record(engine, user=OFFICER, **changes):
    values = dict(
        indicator_code=KPI,
        area_code=CAMBS,
        change_date=PATHWAY,
        reason="New 6-8 week review pathway from April 2024",
    )
    return process_changes.record(engine, user, **{**values, **changes})


def test_an_officer_records_a_change_with_their_name(with_series):
    change = _record(with_series, reason="  New   pathway\n from April 2024 ")
    [held] = process_changes.changes_for(with_series, KPI, CAMBS)
    assert held == change
    assert (held.reason, held.recorded_by, held.change_date) == (
        "New pathway from April 2024",
        "Olu Officer",
        PATHWAY,
    )
    assert process_changes.changes_for(with_series, KPI, PBORO) == []  # Cambridgeshire's alone


def test_a_change_for_every_area_applies_to_each(with_series):
    _record(with_series, user=ADMIN, area_code=None, change_date=dt.date(2023, 1, 1))
    assert [c.area_code for c in process_changes.changes_for(with_series, KPI, PBORO)] == [None]
    assert [c.area_code for c in process_changes.changes_for(with_series, KPI, CAMBS)] == [None]


def test_a_viewer_cannot_record_or_withdraw_and_nothing_is_written(with_series):
    with pytest.raises(
        PermissionDenied, match="Only an administrator or an officer can record or withdraw a process change"
    ):
        _record(with_series, user=VIEWER)
    assert count_rows(with_series, schema.process_changes) == 0
    change = _record(with_series)
    with pytest.raises(PermissionDenied):
        process_changes.withdraw(with_series, VIEWER, change.id)
    assert process_changes.changes_for(with_series, KPI, CAMBS) == [change]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": "   "}, "Enter the reason for the change"),
        ({"reason": "x" * 301}, "300 characters or fewer; it has 301"),
        ({"change_date": None}, "Enter the date the change took effect"),
        (
            {"change_date": dt.date(2021, 4, 1)},
            "must fall within the figures for New birth visit within 14 days in Cambridgeshire: "
            "after 1 April 2021 \\(when the first period, 2021/22 Q1, starts\\) and on or before "
            "30 September 2025 \\(when the latest, 2025/26 Q2, ends\\)",
        ),
        ({"change_date": dt.date(2025, 10, 1)}, "The change date, 1 October 2025, must fall within"),
        ({"area_code": "E99999999"}, "There is no area with the code 'E99999999'"),
        ({"indicator_code": "no-such"}, "There is no indicator with the code 'no-such'"),
    ],
)
def test_a_change_that_cannot_be_recorded_is_refused_in_words(with_series, changes, message):
    with pytest.raises(process_changes.ProcessChangeError, match=message):
        _record(with_series, **changes)
    assert count_rows(with_series, schema.process_changes) == 0


def test_no_figures_no_change(with_series):
    with pytest.raises(process_changes.ProcessChangeError, match=r"There are no figures for .* in Fenland"):
        _record(with_series, area_code="E07000010")


def test_a_withdrawn_change_is_kept_with_who_withdrew_it(with_series):
    change = _record(with_series)
    withdrawn = process_changes.withdraw(with_series, ADMIN, change.id)
    assert withdrawn.withdrawn and withdrawn.withdrawn_by == "Ada Admin"
    assert process_changes.changes_for(with_series, KPI, CAMBS) == []
    [kept] = process_changes.changes_for(with_series, KPI, CAMBS, include_withdrawn=True)
    assert (kept.reason, kept.recorded_by, kept.withdrawn_by) == (change.reason, "Olu Officer", "Ada Admin")
    with pytest.raises(process_changes.ProcessChangeError, match="already withdrawn by Ada Admin on"):
        process_changes.withdraw(with_series, OFFICER, change.id)
    with pytest.raises(process_changes.ProcessChangeError, match="not in the store"):
        process_changes.withdraw(with_series, OFFICER, "no-such-id")


def _spc(engine, area=CAMBS):
    row = scorecard(engine, area).set_index("indicator_code").loc[KPI]
    return row["spc_variation"], row["spc_assurance"], row["spc_points"], row["spc_trial_limits"]


def test_the_scorecard_judges_spc_on_the_current_phase(with_series):
    # Against limits from all eighteen quarters (mean 86.5%), the new level is special cause (improving), and
    # the target (92% from April 2025) lies above the upper limit: "will not meet the target".
    assert _spc(with_series) == ("improvement_high", "consistent_fail", 18, False)
    change = _record(with_series)
    # The new process alone: six quarters at 97-98%, usual for it, and well above the target.
    assert _spc(with_series) == ("common_cause", "consistent_pass", 6, True)
    assert _spc(with_series, PBORO)[2] == 12  # another area's series is not split
    process_changes.withdraw(with_series, OFFICER, change.id)
    assert _spc(with_series) == ("improvement_high", "consistent_fail", 18, False)


def test_the_scorecard_agrees_with_xmr_phased(with_series):
    _record(with_series, change_date=dt.date(2023, 8, 15))  # mid-quarter: from 2023/24 Q3
    values = [80 + 2 * (i % 2) for i in range(12)] + [97 + (i % 2) for i in range(6)]
    current = spc.xmr_phased(values, [10], improvement="increase", target=92.0)[-1]
    row = scorecard(with_series, CAMBS).set_index("indicator_code").loc[KPI]
    assert (row["spc_variation"], row["spc_assurance"], row["spc_points"]) == (
        current.variation,
        current.assurance,
        8,
    )


def test_a_version_2_store_gains_the_process_changes_table(any_store):
    with any_store.begin() as conn:
        conn.execute(schema.schema_version.delete())
        conn.execute(schema.schema_version.insert().values(version=2, applied_at=dt.datetime(2026, 1, 1)))
    schema.process_changes.drop(any_store)
    schema.create_schema(any_store)
    assert sa.inspect(any_store).has_table("process_changes")
    with any_store.connect() as conn:
        versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert sorted(versions) == [2, schema.SCHEMA_VERSION]


def test_recording_and_withdrawing_move_the_data_generation(with_series):
    """Every worker's cache is filed under the generation, so each must see a change made by another."""
    from data.generation import data_generation

    before = data_generation(with_series)
    change = _record(with_series)
    recorded = data_generation(with_series)
    process_changes.withdraw(with_series, OFFICER, change.id)
    assert len({before, recorded, data_generation(with_series)}) == 3
