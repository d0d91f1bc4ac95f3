"""The series summary: each headline series in one row, kept in step with every write of the figures.

The scorecard reads its figures from the summary; it must give exactly the rows and statuses it gives from
the observations themselves, after every kind of write, and show an edit to a target, the catalogue or the
process changes at once (the judgements are made when asked, never stored).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from bench import national
from data import backup, catalogue_edits, imports, process_changes, queries, schema, series_summary
from data.access import User
from data.areas import ENGLAND, home, region_of
from data.db import make_engine
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.pipeline import import_file
from data.importers.preview import preview_bytes
from data.scorecard import scorecard
from data.seed import seed
from tests.data.helpers import count_rows, write_csv

CAMBS, PBORO = "E10000003", "E06000031"
ADMIN = User("Ada Admin", frozenset({"admin"}))
RETURN_HEADER = list(PROVIDER_RETURN_HEADER)
NEW_BIRTH = "hv-new-birth-visit-14d"
QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)]


def _from_observations(engine: sa.Engine, area: str, **options) -> pd.DataFrame:
    """The scorecard built from the observations, as before the summary."""
    codes = [area, ENGLAND, region_of(area) or ENGLAND]
    return scorecard(engine, area, series=queries.headline_series(engine, area_codes=codes), **options)


def period_ends_from_observations(engine: sa.Engine, areas: list[str]) -> dict:
    """{(area, indicator): {granularity: [ISO period ends with a value, oldest first]}} of the headline
    observations: what the summary's period ends must say."""
    figures = queries.headline_series(engine, area_codes=areas)
    figures = figures[figures["value"].notna()]
    ends: dict = {}
    for area, code, end, granularity in zip(
        figures["area_code"],
        figures["indicator_code"],
        figures["period_end"],
        figures["granularity"],
        strict=True,
    ):
        ends.setdefault((area, code), {}).setdefault(granularity, set()).add(
            pd.Timestamp(end).date().isoformat()
        )
    return {key: {g: sorted(days) for g, days in held.items()} for key, held in ends.items()}


def assert_held_periods_match(engine: sa.Engine, areas: list[str]) -> None:
    """What the pages offer and count as loaded (every end, the quarterly ends, the areas with a figure and
    each indicator's earliest end) is what the observations of the areas say, read together or merged."""
    expected = period_ends_from_observations(engine, areas)
    found = series_summary.held_periods(engine, areas)
    assert found.ends == {day for held in expected.values() for days in held.values() for day in days}
    assert found.quarter_ends == {day for held in expected.values() for day in held.get("quarter", [])}
    assert found.areas == {area for area, _ in expected}
    first: dict[str, str] = {}
    for (_, code), held in expected.items():
        first[code] = min([first.get(code, "9999"), *(days[0] for days in held.values())])
    assert found.first_ends == first
    one_by_one = [series_summary.held_periods(engine, [area]) for area in areas]
    merged = one_by_one[0]
    for other in one_by_one[1:]:
        merged = merged.merged(other)
    assert merged == found


def assert_summary_matches(engine: sa.Engine, areas: list[str]) -> None:
    """The summary holds every headline figure as the observations do, with the ends of the periods each
    series has a value for, and every area's scorecard (latest, and as at an earlier date) is the same built
    from either."""
    pd.testing.assert_frame_equal(
        series_summary.headline_series(engine), queries.headline_series(engine), check_exact=True
    )
    every_area = sorted(set(queries.headline_series(engine)["area_code"]))
    held = {
        (found.area_code, found.indicator_code): found.ends
        for found in series_summary.period_ends(engine, every_area)
        if found.ends
    }
    assert held == period_ends_from_observations(engine, every_area)
    assert_held_periods_match(engine, areas)
    for area in areas:
        pd.testing.assert_frame_equal(scorecard(engine, area), _from_observations(engine, area))
        earlier = dt.date(2024, 3, 31)
        pd.testing.assert_frame_equal(
            scorecard(engine, area, as_at=earlier), _from_observations(engine, area, as_at=earlier)
        )


def _quarterly_return(path: Path, numerators: list[int], area: str = CAMBS) -> Path:
    rows = [
        [NEW_BIRTH, area, quarter, numerator, 1000, "", "no", ""]
        for quarter, numerator in zip(QUARTERS, numerators, strict=True)
    ]
    return write_csv(path, RETURN_HEADER, rows)


def _row(engine: sa.Engine, area: str = CAMBS, code: str = NEW_BIRTH) -> pd.Series:
    return scorecard(engine, area).set_index("indicator_code").loc[code]


# --- The same scorecard from the summary as from the figures -----------------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory):
    engine = make_engine(f"duckdb:///{tmp_path_factory.mktemp('bundled') / 'bundled.duckdb'}")
    seed(engine)
    yield engine
    engine.dispose()


def test_the_bundled_data_gives_the_same_scorecard_from_the_summary(bundled):
    assert count_rows(bundled, schema.series_summary) > 100
    assert_summary_matches(bundled, [*home().areas, home().region, ENGLAND])


def test_a_generated_national_store_gives_the_same_scorecard_from_the_summary(tmp_path):
    engine = make_engine(f"duckdb:///{tmp_path / 'national.duckdb'}")
    made = national.build_store(engine, scale=0.02)
    statuses = scorecard(engine, CAMBS)
    assert statuses["has_data"].sum() == made["indicators_with_data"]
    assert set(statuses["spc_variation"].dropna()) and set(statuses["trend"]) - {"cannot be calculated"}
    assert_summary_matches(engine, [CAMBS, PBORO, made["area_codes"][-1]])
    engine.dispose()


# --- Every write of the figures keeps the summary in step -------------------------------------------------


def test_an_import_a_rollback_and_a_preview_each_leave_the_summary_in_step(store, tmp_path):
    first = import_file(store, _quarterly_return(tmp_path / "a.csv", [900] * 12))
    assert _row(store)["value"] == pytest.approx(90.0)
    assert _row(store)["spc_points"] == 12

    corrected = [900] * 11 + [700]
    second = import_file(store, _quarterly_return(tmp_path / "b.csv", corrected))
    assert second.rows_updated == 1
    assert _row(store)["value"] == pytest.approx(70.0)  # the corrected figure shows at once
    assert_summary_matches(store, [CAMBS])

    content = _quarterly_return(tmp_path / "c.csv", [500] * 12).read_bytes()
    preview_bytes(store, content, "c.csv", ADMIN)  # runs the import and rolls it back
    assert _row(store)["value"] == pytest.approx(70.0)

    imports.roll_back_batch(store, second.batch_id, ADMIN)
    assert _row(store)["value"] == pytest.approx(90.0)
    imports.roll_back_batch(store, first.batch_id, ADMIN)
    assert not _row(store)["has_data"]
    assert count_rows(store, schema.series_summary) == 0
    assert_summary_matches(store, [CAMBS])


def test_a_restored_backup_and_an_upgraded_store_have_their_summary_from_the_figures(any_store, tmp_path):
    import_file(any_store, _quarterly_return(tmp_path / "a.csv", [900] * 12))
    import_file(any_store, _quarterly_return(tmp_path / "p.csv", [800] * 12, area=PBORO))
    path = tmp_path / "store.zip"
    backup.backup(any_store, path)

    restored = make_engine("duckdb:///:memory:")
    backup.restore(restored, path)
    assert count_rows(restored, schema.series_summary) == 2
    assert_summary_matches(restored, [CAMBS, PBORO])

    # A store from release 4 had no summary: the upgrade makes it from the figures.
    with any_store.begin() as conn:
        conn.execute(schema.schema_version.delete())
        conn.execute(schema.schema_version.insert().values(version=4, applied_at=dt.datetime(2026, 11, 1)))
    schema.series_summary.drop(any_store)
    schema.create_schema(any_store)
    assert count_rows(any_store, schema.series_summary) == 2
    assert_summary_matches(any_store, [CAMBS, PBORO])


def test_a_version_6_store_has_its_summary_made_again_with_the_period_ends(any_store, tmp_path):
    """Release 7 keeps the ends of each series' periods with its figures; an older store's summary, which
    lacks them, is made again from the figures on upgrade."""
    import_file(any_store, _quarterly_return(tmp_path / "a.csv", [900] * 11 + [None]))
    with any_store.begin() as conn:
        conn.execute(schema.schema_version.delete())
        conn.execute(schema.schema_version.insert().values(version=6, applied_at=dt.datetime(2026, 11, 1)))
        conn.exec_driver_sql("ALTER TABLE series_summary DROP COLUMN period_ends")

    schema.create_schema(any_store)

    (found,) = series_summary.period_ends(any_store, [CAMBS])
    assert found.ends == {
        "quarter": [
            "2022-06-30",
            "2022-09-30",
            "2022-12-31",
            "2023-03-31",
            "2023-06-30",
            "2023-09-30",
            "2023-12-31",
            "2024-03-31",
            "2024-06-30",
            "2024-09-30",
            "2024-12-31",
        ]
    }  # the last quarter, with no figure, is not among them
    assert_summary_matches(any_store, [CAMBS])


# --- Edits users make show at once --------------------------------------------------------------------------


def test_a_target_a_polarity_and_a_process_change_each_show_at_once(store, tmp_path):
    import_file(
        store,
        _quarterly_return(tmp_path / "a.csv", [800, 805, 795, 800, 810, 790, 860, 880, 900, 920, 940, 960]),
    )
    before = _row(store)
    assert (before["target_status"], before["trend"]) == ("green", "increasing and getting better")
    assert before["spc_points"] == 12

    catalogue_edits.edit(
        store,
        ADMIN,
        NEW_BIRTH,
        nodes=list(catalogue_edits.entry_of(store, NEW_BIRTH).nodes),
        polarity="lower_is_better",
        reason="A test of a polarity change",
        target=95.0,
    )
    edited = _row(store)
    assert edited["polarity"] == "lower_is_better"
    assert edited["trend"] == "increasing and getting worse"
    assert (edited["target"], edited["target_status"]) == (95.0, "red")  # lower is better: 96 misses 95

    process_changes.record(
        store,
        ADMIN,
        indicator_code=NEW_BIRTH,
        area_code=CAMBS,
        change_date=dt.date(2023, 10, 1),
        reason="New pathway",
    )
    assert _row(store)["spc_points"] == 6  # judged on the figures since the change
    assert_summary_matches(store, [CAMBS])
