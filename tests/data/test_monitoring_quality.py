"""Data quality of the provider's return for a quarter: missing KPIs, late loads, suppressed and
provisional figures, from small known returns loaded on DuckDB and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data import schema
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.pipeline import import_file
from data.monitoring_quality import (
    LATE_AFTER_DAYS,
    counts_for_lateness,
    provider_indicator_codes,
    quarter_quality,
)
from data.seed import SEEDED_BY, bundled_files
from tests.data.helpers import write_csv

CAMBS = "E10000003"
HEADER = list(PROVIDER_RETURN_HEADER)


def _load(engine, tmp_path, rows, name="return.csv", by="tester"):
    return import_file(engine, write_csv(tmp_path / name, HEADER, rows), imported_by=by)


def _set_loaded(engine, batch_id, when):
    with engine.begin() as conn:
        conn.execute(
            schema.import_batches.update()
            .where(schema.import_batches.c.id == batch_id)
            .values(started_at=when)
        )


def test_every_provider_kpi_but_the_ones_in_the_return_is_missing(any_store, tmp_path):
    codes = provider_indicator_codes(any_store)
    assert "hv-new-birth-visit-14d" in codes and "wf-staff-in-post" in codes
    _load(
        any_store,
        tmp_path,
        [
            ["hv-new-birth-visit-14d", CAMBS, "2025/26 Q2", 900, 1000, "", "no", ""],
            ["hv-antenatal-contact", CAMBS, "2025/26 Q2", "", "", "", "yes", "Suppressed: small numbers"],
            ["hv-6-8-week-review", CAMBS, "2025/26 Q2", 800, 1000, "", "yes", ""],
        ],
    )
    quality = quarter_quality(any_store, CAMBS, "2025/26 Q2")
    assert quality.received and quality.quarter_end == dt.date(2025, 9, 30)
    assert set(quality.missing) == set(codes) - {
        "hv-new-birth-visit-14d",
        "hv-antenatal-contact",
        "hv-6-8-week-review",
    }
    assert [(s.indicator_code, s.note) for s in quality.suppressed] == [
        ("hv-antenatal-contact", "Suppressed: small numbers")
    ]
    assert set(quality.provisional) == {"hv-antenatal-contact", "hv-6-8-week-review"}


def test_a_quarter_with_no_return_is_not_received_and_lists_nothing_missing(any_store):
    quality = quarter_quality(any_store, CAMBS, "2025/26 Q3")
    assert not quality.received and quality.missing == ()


def test_a_figure_first_loaded_after_six_weeks_is_late_and_a_later_correction_is_not(any_store, tmp_path):
    first = _load(
        any_store, tmp_path, [["hv-new-birth-visit-14d", CAMBS, "2025/26 Q2", 900, 1000, "", "no", ""]]
    )
    on_time = _load(
        any_store, tmp_path, [["hv-6-8-week-review", CAMBS, "2025/26 Q2", 800, 1000, "", "no", ""]], "b.csv"
    )
    deadline = dt.date(2025, 9, 30) + dt.timedelta(days=LATE_AFTER_DAYS)
    _set_loaded(any_store, first.batch_id, dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(9)))
    _set_loaded(any_store, on_time.batch_id, dt.datetime.combine(deadline, dt.time(17)))
    correction = _load(
        any_store,
        tmp_path,
        [["hv-new-birth-visit-14d", CAMBS, "2025/26 Q2", 910, 1000, "", "no", ""]],
        "c.csv",
    )
    _set_loaded(any_store, correction.batch_id, dt.datetime(2026, 1, 10))
    quality = quarter_quality(any_store, CAMBS, "2025/26 Q2")
    assert [(late.indicator_code, late.days_after_quarter) for late in quality.late] == [
        ("hv-new-birth-visit-14d", 43)
    ]
    with any_store.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(schema.observation_revisions)).scalar() == 1
        )


def test_the_deadline_is_six_weeks_after_the_quarter_ends(any_store):
    assert LATE_AFTER_DAYS == 42
    quality = quarter_quality(any_store, CAMBS, "2025/26 Q2")
    assert quality.deadline == dt.date(2025, 11, 11)  # 30 September + 42 days
    assert quarter_quality(any_store, CAMBS, "2025/26 Q4").deadline == dt.date(2026, 5, 12)  # 31 March + 42


def test_only_a_provider_return_loaded_by_someone_can_be_late():
    assert counts_for_lateness("provider_return", "Kim Lee")
    assert not counts_for_lateness("provider_return", SEEDED_BY)
    assert not counts_for_lateness("fingertips", "Kim Lee")
    assert not counts_for_lateness("tidy", "Kim Lee")


def test_figures_from_the_bundled_data_are_never_late_however_long_after_the_quarter(any_store, tmp_path):
    seeded = _load(
        any_store,
        tmp_path,
        [["hv-new-birth-visit-14d", CAMBS, "2025/26 Q2", 900, 1000, "", "no", ""]],
        by=SEEDED_BY,
    )
    _set_loaded(any_store, seeded.batch_id, dt.datetime(2026, 11, 29, 9))  # a year after the deadline
    quality = quarter_quality(any_store, CAMBS, "2025/26 Q2")
    assert quality.received and quality.late == ()


def test_a_provider_correction_of_a_bundled_figure_is_not_a_late_first_load(any_store, tmp_path):
    seeded = _load(
        any_store,
        tmp_path,
        [["hv-new-birth-visit-14d", CAMBS, "2025/26 Q2", 900, 1000, "", "no", ""]],
        by=SEEDED_BY,
    )
    _set_loaded(any_store, seeded.batch_id, dt.datetime(2025, 10, 1, 9))
    correction = _load(
        any_store,
        tmp_path,
        [
            ["hv-new-birth-visit-14d", CAMBS, "2025/26 Q2", 905, 1000, "", "no", ""],
            ["hv-6-8-week-review", CAMBS, "2025/26 Q2", 800, 1000, "", "no", ""],
        ],
        "late.csv",
        by="Kim Lee",
    )
    _set_loaded(any_store, correction.batch_id, dt.datetime(2025, 12, 1, 10))  # 62 days after the quarter
    quality = quarter_quality(any_store, CAMBS, "2025/26 Q2")
    assert [(late.indicator_code, late.first_loaded, late.days_after_quarter) for late in quality.late] == [
        ("hv-6-8-week-review", dt.date(2025, 12, 1), 62)
    ]


def test_the_bundled_illustrative_returns_show_no_late_loads(store):
    from data.seed import seed

    seed(store, files=[path for path in bundled_files() if "illustrative" in str(path)])
    quarters = ["2024/25 Q4", "2025/26 Q1", "2025/26 Q2"]
    for quarter in quarters:
        quality = quarter_quality(store, CAMBS, quarter)
        assert quality.received, quarter
        assert quality.late == (), quarter
