"""The load test serves a store with ``kpi serve`` and its simulated users' requests all add up: every
request is answered or counted as an error, every page shell is followed by its page, and the figures
written are the ones printed."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bench import load
from data.areas import home


def test_two_users_for_a_few_seconds_make_requests_that_all_add_up(built, tmp_path):
    engine, made = built
    url = engine.url.render_as_string(hide_password=False)
    results = load.run(url, users=2, seconds=3, workers=1, threads=2)

    assert results["errors"] == 0, results["error_examples"]
    kinds = results["by_kind"]
    assert set(kinds) == {"shell", "scorecard", "indicator"}
    assert (
        results["requests"] == results["answered"] == sum(k["requests"] + k["errors"] for k in kinds.values())
    )
    assert kinds["shell"]["requests"] == kinds["scorecard"]["requests"] + kinds["indicator"]["requests"]
    assert len(results["by_user"]) == 2 and sum(results["by_user"]) == results["requests"]
    assert all(requests >= 2 for requests in results["by_user"])  # each user opened a page at least
    assert results["seconds"] >= 3
    assert results["requests_per_second"] == results["requests"] / results["seconds"]
    assert 0 < results["p50_ms"] <= results["p95_ms"] <= results["p99_ms"]
    assert results["store"] == {"database": "DuckDB", "observations": made["observations"]}
    assert results["server"] == {"workers": 1, "threads": 2, "cache": "each worker's own"}
    assert f"/?area={home().areas[0]}" in results["pages"]
    assert f"2 users for {results['seconds']:.0f} s: {results['requests']:,} requests" in results["markdown"]


def test_a_run_is_kept_beside_the_latest_run_of_every_other_setting(tmp_path):
    path = tmp_path / "load_results.json"

    def run(database: str, workers: int, requests: int) -> dict:
        server = {"workers": workers, "threads": 4, "cache": "Redis (shared)"}
        return {"store": {"database": database}, "server": server, "requests": requests}

    load.write(run("PostgreSQL", 2, 10), path)
    load.write(run("DuckDB", 1, 20), path)
    load.write(run("PostgreSQL", 2, 30), path)
    kept = json.loads(path.read_text())
    assert {name: found["requests"] for name, found in kept.items()} == {
        "PostgreSQL, 2 worker(s), cache Redis (shared)": 30,
        "DuckDB, 1 worker(s), cache Redis (shared)": 20,
    }


def test_the_users_share_out_the_round_of_scorecards_and_indicator_pages(built):
    engine, _ = built
    pages = load.round_of_pages(engine)
    scorecards = [page for page in pages if page.kind == "scorecard"]
    indicators = [page for page in pages if page.kind == "indicator"]
    assert [page.search for page in scorecards] == [f"?area={code}" for code in home().areas]
    with engine.connect() as conn:
        held = conn.execute(
            sa.text("SELECT DISTINCT indicator_code FROM observations WHERE area_code = :area ORDER BY 1"),
            {"area": home().default_area},
        ).scalars()
        assert [page.path for page in indicators] == [f"/indicator/{code}" for code in held][
            : load.INDICATORS
        ]
    assert all(page.search == f"?area={home().default_area}" for page in indicators)
    assert pages[0].kind == "scorecard" and pages[1].kind == "indicator"
