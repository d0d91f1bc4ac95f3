"""The benchmark's national store, its Fingertips export and its measurements, at a tiny scale.

The store must hold what the benchmark promises (real area codes, every figure with its count, denominator
and limits, the same rows on every build) and the measurements must report what the results table reads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from bench import fingertips, measure, naive, national, report
from data import schema
from data.areas import ENGLAND, bundled_areas, home
from data.db import make_engine
from data.importers.pipeline import import_file
from data.periods import parse_period
from tests.bench.conftest import SCALE


def _frame(engine: sa.Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(sa.text(sql))
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def test_the_store_holds_the_rows_promised(built):
    engine, made = built
    with engine.connect() as conn:
        indicators = national.store_indicators(conn, SCALE)
        areas = national.store_areas(conn, SCALE)
    promised = sum(len(national.periods(i)) * len(national.breakdowns(i)) for i in indicators) * len(areas)
    counts = _frame(
        engine,
        "SELECT count(*) AS n, count(DISTINCT indicator_code) AS i, count(DISTINCT area_code) AS a "
        "FROM observations",
    ).iloc[0]
    assert made["observations"] == promised == counts["n"]
    assert counts["i"] == made["indicators_with_data"] == 7
    assert counts["a"] == made["areas"] == len(home().areas) + 1 + 9 + 3
    assert made["indicators"] == national.INDICATORS == 336


def test_every_area_is_a_real_english_authority_with_england_and_the_regions(built):
    engine, _ = built
    codes = set(_frame(engine, "SELECT DISTINCT area_code FROM observations")["area_code"])
    real = bundled_areas().set_index("code")["area_type"]
    assert codes <= set(real.index)
    assert {ENGLAND, home().region, *home().areas} <= codes
    assert {code for code in real.index if real[code] == "region"} <= codes


def test_every_figure_has_a_count_a_denominator_and_limits_around_its_value(built):
    engine, _ = built
    missing = _frame(
        engine,
        "SELECT count(*) AS n FROM observations WHERE count IS NULL OR denominator IS NULL OR value IS NULL "
        "OR lower95 IS NULL OR upper95 IS NULL OR lower998 IS NULL OR upper998 IS NULL "
        "OR NOT (0 <= lower998 AND lower998 <= lower95 AND lower95 <= value AND value <= upper95 "
        "AND upper95 <= upper998)",
    )
    assert missing["n"].iloc[0] == 0


def test_periods_run_from_2010_to_2025_labelled_as_the_importer_reads_them(built):
    engine, _ = built
    periods = _frame(
        engine,
        "SELECT DISTINCT o.period_label, o.period_start, o.period_end, o.granularity, i.year_type "
        "FROM observations o JOIN indicators i ON i.code = o.indicator_code",
    )
    assert set(periods["granularity"]) == {"quarter", "year"}
    assert periods["period_start"].min().year == 2010
    assert periods["period_start"].max().year == 2025
    for row in periods.itertuples():
        parsed = parse_period(row.period_label, row.year_type)
        assert (parsed.start, parsed.end) == (row.period_start, row.period_end), row.period_label


def test_the_store_has_breakdowns_targets_and_a_payment_scheme(built):
    engine, _ = built
    breakdowns = set(_frame(engine, "SELECT DISTINCT category_type FROM observations")["category_type"])
    assert breakdowns == {"", national.DEPRIVATION}
    targets = _frame(engine, "SELECT count(*) AS n FROM targets WHERE indicator_code LIKE 'nat-%'")
    assert targets["n"].iloc[0] > 50
    kpis = _frame(engine, "SELECT DISTINCT indicator_code FROM scheme_kpis")["indicator_code"]
    with_data = set(_frame(engine, "SELECT DISTINCT indicator_code FROM observations")["indicator_code"])
    assert not kpis.empty and set(kpis) <= with_data


def test_building_again_gives_the_same_store(built, tmp_path):
    engine, _ = built
    other = make_engine(f"duckdb:///{tmp_path / 'again.duckdb'}")
    national.build_store(other, scale=SCALE)
    national.build_store(other, scale=SCALE)  # over a store already built
    key = ", ".join(schema.OBSERVATION_KEY)
    first = _frame(engine, f"SELECT * FROM observations ORDER BY {key}")
    second = _frame(other, f"SELECT * FROM observations ORDER BY {key}")
    pd.testing.assert_frame_equal(first, second)


def test_the_fingertips_export_imports_whole_as_new_rows(built, tmp_path):
    engine, _ = built
    path = tmp_path / "export.csv"
    assert fingertips.write_export(engine, path, 300) == 300
    header = path.read_text().splitlines()[0].split(",")
    assert header == list(fingertips.HEADER)
    result = import_file(engine, path, imported_by="test")
    assert (result.rows_read, result.rows_new, result.rows_rejected) == (300, 300, 0)


def test_the_measurements_report_what_the_results_table_reads(built):
    engine, _ = built
    scenario = measure.choose_scenario(engine)
    app = measure.uncached_app(engine)
    pages = {
        name: measure.summary(measure.timed(call, 2))
        for name, call in measure.page_calls(app, scenario).items()
    }
    floor_calls = measure.floor_calls(engine, scenario)
    frame = measure.load_observations(engine)
    naive_calls = naive.naive_page_calls(app, scenario, naive.HeldTable(frame, engine))
    row_calls = measure.row_filter_calls(frame, measure.catalogue_frame(engine), scenario)
    assert set(pages) == set(floor_calls) == set(naive_calls) == set(row_calls)
    for name in pages:
        assert set(pages[name]) == {"p50_ms", "p95_ms", "min_ms", "max_ms", "repeats"}
        assert pages[name]["repeats"] == 2
        rows, filtered = floor_calls[name](), row_calls[name]()
        if name == "scorecard":  # the floor reads one summary row per series; the filter, their figures
            series = {(row.indicator_code, row.area_code) for row in rows}
            assert series == set(zip(filtered["indicator_code"], filtered["area_code"], strict=True)), name
        assert rows and (name == "scorecard" or len(rows) == len(filtered)), name
    floors = {name: measure.summary(measure.timed(call, 2)) for name, call in floor_calls.items()}
    naive_pages = {name: measure.summary(measure.timed(call, 2)) for name, call in naive_calls.items()}
    rows_only = {name: measure.summary(measure.timed(call, 2)) for name, call in row_calls.items()}
    ratios = report.ratios(pages, floors, naive_pages, rows_only)
    assert set(ratios["scorecard"]) == {
        "page_over_floor_p95",
        "page_over_floor_p50",
        "naive_over_page_p95",
        "naive_over_page_p50",
        "rows_only_over_page_p95",
        "rows_only_over_page_p50",
    }
    assert ratios["scorecard"]["naive_over_page_p95"] == (
        naive_pages["scorecard"]["p95_ms"] / pages["scorecard"]["p95_ms"]
    )
    assert len(frame) == _frame(engine, "SELECT count(*) AS n FROM observations")["n"].iloc[0]


def test_a_slow_page_is_timed_fewer_times_but_at_least_three():
    assert len(measure.timed(lambda: None, 10)) == 10
    assert len(measure.timed(lambda: sum(range(10_000)), 10, budget=0.0)) == measure.MIN_REPEATS


def test_the_probe_reports_its_own_peak_memory_not_that_of_the_program_that_started_it():
    held = b"x" * (300 * 2**20)  # the benchmark holds the store it has just built
    code = "from bench.probe import peak_rss_mb; print(peak_rss_mb())"
    root = Path(__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert float(done.stdout) < 200
    assert len(held) == 300 * 2**20
