"""Data quality of the provider's return for a quarter: missing KPIs, late loads, suppressed and
provisional figures, from small known returns loaded on DuckDB and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data import schema
from data.importers.pipeline import import_file
from data.monitoring_quality import LATE_AFTER_DAYS, provider_indicator_codes, quarter_quality
from tests.data.helpers import write_csv

CAMBS = "E10000003"
HEADER = [
    "indicator_code",
    "area_code",
    "period",
    "numerator",
    "denominator",
    "value",
    "provisional",
    "value_note",
]


def _load(engine, tmp_path, rows, name="return.csv"):
    return import_file(engine, write_csv(tmp_path / name, HEADER, rows), imported_by="tester")


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
