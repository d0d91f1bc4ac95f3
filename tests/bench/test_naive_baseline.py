"""The benchmark's naive baseline is the issue's naive approach: the product's own pages, fed from the whole
observations table held in pandas. It must build the very pages the product builds, without reading the
observations by SQL, and the results table must judge the ten-times goal against it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import plotly
import pytest
import sqlalchemy as sa

from bench import measure, naive, national, report
from tests.bench.conftest import SCALE

# A download link carries its file inline, and the file (a zip) records when it was made.
INLINE_FILE = re.compile(r"base64,[A-Za-z0-9+/=]+")
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)', re.IGNORECASE)


@pytest.fixture(scope="module")
def pages(built):
    engine, _ = built
    scenario = measure.choose_scenario(engine)
    app = measure.uncached_app(engine)
    held = naive.HeldTable(measure.load_observations(engine), engine)
    return engine, measure.page_calls(app, scenario), naive.naive_page_calls(app, scenario, held)


def _built(page: object) -> str:
    """The page (or the series read) as the text sent to the browser, without the inline files' bytes."""
    if isinstance(page, pd.DataFrame):
        return page.to_json(orient="split", date_format="iso")
    text = json.dumps(page, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
    return INLINE_FILE.sub("base64,…", text)


@contextmanager
def _tables_read(engine: sa.Engine) -> Iterator[set[str]]:
    """The tables named in every SQL statement sent to ``engine`` inside the block."""
    tables: set[str] = set()

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        tables.update(name.lower() for name in TABLE.findall(statement))

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield tables
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


@pytest.mark.parametrize("name", ["scorecard", "indicator_all_areas", "indicator_page", "payment_page"])
def test_the_naive_page_is_the_page_the_product_builds(pages, name):
    _, product, naive_pages = pages
    built = _built(product[name]())
    assert len(built) > 1000
    assert _built(naive_pages[name]()) == built


def test_the_naive_pages_read_the_observations_from_the_held_table_not_by_sql(pages):
    engine, product, naive_pages = pages
    with _tables_read(engine) as by_product:
        for call in product.values():
            call()
    assert "observations" in by_product
    with _tables_read(engine) as by_naive:
        for call in naive_pages.values():
            call()
    assert by_naive, "the naive pages still read the small tables by SQL"
    assert by_naive <= naive.STORE_TABLES, by_naive - naive.STORE_TABLES


def test_the_product_reads_the_store_again_once_the_naive_page_is_built(pages):
    engine, product, naive_pages = pages
    naive_pages["scorecard"]()
    with _tables_read(engine) as tables:
        product["scorecard"]()
    assert "series_summary" in tables  # the scorecard reads the series summarised at import


def _results(page_p95: float, floor_p95: float, naive_p95: float, rows_p95: float) -> dict:
    def figures(p95: float) -> dict:
        return {"p50_ms": p95 / 2, "p95_ms": p95, "min_ms": 1.0, "max_ms": p95, "repeats": 3}

    pages = {"scorecard": figures(page_p95)}
    floors, naive_pages, rows = (
        {"scorecard": figures(floor_p95)},
        {"scorecard": figures(naive_p95)},
        {"scorecard": figures(rows_p95)},
    )
    return {
        "finished_at": "2026-11-30T04:00:00+00:00",
        "machine": {"description": "Linux", "cpus": 2, "load_before": 1.0, "load_after": 2.0, "note": "test"},
        "store": {
            "database": "DuckDB",
            "observations": 1000,
            "indicators": 3,
            "indicators_with_data": 3,
            "areas": 2,
            "observations_seconds": 1.0,
            "observations_per_second": 1000.0,
            "scale": 0.01,
            "seed": 1,
        },
        "repeats": 3,
        "page_budget": 60.0,
        "pages": pages,
        "floors": floors,
        "naive": naive_pages,
        "rows_only": rows,
        "ratios": report.ratios(pages, floors, naive_pages, rows),
        "naive_load": {"seconds": 2.0, "rows": 1000, "memory_mb": 1.0},
        "cold_start": {"error": "not run"},
        "import": {"note": "not run"},
    }


def test_the_results_table_judges_the_ten_times_goal_against_the_naive_page_and_shows_rows_only():
    met = report.markdown(_results(page_p95=200, floor_p95=100, naive_p95=2400, rows_p95=30))
    row = next(line for line in met.splitlines() if line.startswith("| Scorecard"))
    assert row == (
        "| Scorecard for one area | 100 | 200 | 100.0 | 2.0× | 2,400 | 12.00× | 30 | met, met, met |"
    )
    missed = report.markdown(_results(page_p95=200, floor_p95=100, naive_p95=1000, rows_p95=3000))
    row = next(line for line in missed.splitlines() if line.startswith("| Scorecard"))
    assert row.endswith("| 1,000 | 5.00× | 3,000 | met, met, missed |")
    assert "naive page p95 ms" in met and "rows only p95 ms" in met


def test_a_naive_page_that_failed_is_shown_as_not_measured():
    results = _results(page_p95=200, floor_p95=100, naive_p95=2400, rows_p95=30)
    results["naive"] = {"scorecard": {"note": "failed: KeyError: 'x'"}}
    results["ratios"] = report.ratios(
        results["pages"], results["floors"], results["naive"], results["rows_only"]
    )
    row = next(line for line in report.markdown(results).splitlines() if line.startswith("| Scorecard"))
    assert "failed: KeyError: 'x' | – | 30 | met, met, not measured |" in row


@pytest.mark.postgres
def test_on_postgresql_the_naive_pages_are_the_pages_the_product_builds(postgres_server):
    engine = postgres_server.fresh_store()
    national.build_store(engine, scale=SCALE)
    scenario = measure.choose_scenario(engine)
    app = measure.uncached_app(engine)
    held = naive.HeldTable(measure.load_observations(engine), engine)
    product, naive_pages = measure.page_calls(app, scenario), naive.naive_page_calls(app, scenario, held)
    for name, call in product.items():
        assert _built(naive_pages[name]()) == _built(call()), name
    engine.dispose()
