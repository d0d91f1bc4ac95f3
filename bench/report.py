"""The benchmark's results: the ratios worked out from the timings, ``results.json`` and a Markdown table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAGE_NAMES = {
    "scorecard": "Scorecard for one area",
    "indicator_all_areas": "One indicator across all areas",
    "indicator_page": "Indicator page",
    "payment_page": "Payment page",
    "committee_pack": "Committee pack (`kpi report`, a command: start-up included)",
}
GOAL_P95_MS, GOAL_FLOOR_RATIO, GOAL_NAIVE_RATIO = 250.0, 3.0, 10.0


def _over(top: dict | None, bottom: dict | None, key: str) -> float | None:
    """``top[key] / bottom[key]``, or None when either was not measured."""
    if not top or not bottom or key not in top or key not in bottom:
        return None
    return top[key] / bottom[key]


def ratios(
    pages: dict[str, dict], floors: dict[str, dict], naive: dict[str, dict], rows_only: dict[str, dict]
) -> dict[str, dict]:
    """For each page measured: page p95 / floor p95, naive page p95 / page p95 (the ten-times goal) and
    "rows only" p95 / page p95, and the same on medians (None where a figure is missing)."""
    found: dict[str, dict] = {}
    for name, page in pages.items():
        if "p95_ms" not in page or name not in floors:
            continue
        found[name] = {
            f"{label}_{p}": _over(top, bottom, f"{p}_ms")
            for label, top, bottom in (
                ("page_over_floor", page, floors.get(name)),
                ("naive_over_page", naive.get(name), page),
                ("rows_only_over_page", rows_only.get(name), page),
            )
            for p in ("p95", "p50")
        }
    return found


def _verdict(met: bool) -> str:
    return "met" if met else "missed"


def _ms(figures: dict) -> str:
    """A reference's p95 in milliseconds, or what stopped it being measured."""
    return f"{figures['p95_ms']:,.0f}" if "p95_ms" in figures else figures.get("note", "–")


def _times(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}×"


def markdown(results: dict[str, Any]) -> str:
    """The results as a Markdown section: the store, the pages table, start-up, memory and the import."""
    store, machine = results["store"], results["machine"]
    lines = [
        f"Measured {results['finished_at']} on {machine['description']} "
        f"({machine['cpus']} CPUs, load average {machine['load_before']} before and {machine['load_after']} "
        f"after; {machine['note']}).",
        "",
        f"Store: {store['database']}, {store['observations']:,} observations ({store['indicators']} "
        f"indicators, {store['indicators_with_data']} with figures, × {store['areas']} areas × periods "
        "2010-2025 × "
        f"breakdowns), generated in {store['observations_seconds']:.0f} s "
        f"({store['observations_per_second']:,.0f} rows/s) at scale {store['scale']}, seed {store['seed']}.",
        "",
        "| Page (uncached server work) | p50 ms | p95 ms | floor p95 ms | page ÷ floor | naive page p95 ms "
        "| naive ÷ page | rows only p95 ms | goal p95 ≤ 250 ms, ≤ 3× floor, ≥ 10× naive |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, page in results["pages"].items():
        label = PAGE_NAMES.get(name, name)
        if "p95_ms" not in page:
            lines.append(f"| {label} | – | – | – | – | – | – | – | {page.get('note', '')} |")
            continue
        ratio = results["ratios"].get(name)
        if ratio is None:
            lines.append(
                f"| {label} | {page['p50_ms']:,.0f} | {page['p95_ms']:,.0f} "
                "| – | – | – | – | – | no reference |"
            )
            continue
        floor = results["floors"][name]
        naive, rows = results["naive"].get(name, {}), results["rows_only"].get(name, {})
        goals = (
            _verdict(page["p95_ms"] <= GOAL_P95_MS),
            _verdict(ratio["page_over_floor_p95"] <= GOAL_FLOOR_RATIO),
            "not measured"
            if ratio["naive_over_page_p95"] is None
            else _verdict(ratio["naive_over_page_p95"] >= GOAL_NAIVE_RATIO),
        )
        lines.append(
            f"| {label} | {page['p50_ms']:,.0f} | {page['p95_ms']:,.0f} "
            f"| {floor['p95_ms']:,.1f} | {ratio['page_over_floor_p95']:.1f}× | {_ms(naive)} "
            f"| {_times(ratio['naive_over_page_p95'])} | {_ms(rows)} | {', '.join(goals)} |"
        )
    start, load = results["cold_start"], results["naive_load"]
    lines += [
        "",
        f"Repeats per figure: up to {results['repeats']} after one warm-up, fewer (at least 3) for a page "
        f"whose repeats took over {results['page_budget']:.0f} s (see `repeats` in results.json). The naive "
        "page is the page's own work (the same layout, statuses, trends, SPC and charts) with every read "
        "of the observations answered by filtering the whole table held in pandas instead of by SQL; the "
        'ten-times goal is judged against it. "Rows only" is that filtering alone, to the floor\'s rows, '
        "with none of the page's work. The one-off load of the whole table into pandas, which both use, took "
        f"{load['seconds']:.1f} s ({load['rows']:,} rows, {load['memory_mb']:,.0f} MB).",
        "",
    ]
    if "cold_start_seconds" in start:
        lines.append(
            f"Cold start (process start to the first scorecard page built, goal ≤ 3 s): "
            f"{start['cold_start_seconds']:.1f} s (importing the app {start['import_app_seconds']:.1f} s, "
            f"first page shell {start['first_shell_seconds']:.1f} s, first page "
            f"{start['first_page_seconds']:.1f} s). "
            f"Peak RSS after {start['views_served']} views (goal ≤ 1.5 GB): {start['peak_rss_mb']:,.0f} MB."
        )
    else:
        lines.append(f"Cold start: not measured ({start.get('error', 'no figure')}).")
    lines.append("")
    imported = results["import"]
    if "rows_per_second" in imported:
        lines.append(
            f"Import (`kpi import`) of {imported['rows']:,} Fingertips-format rows into this store: "
            f"{imported['seconds']:.1f} s = {imported['rows_per_second']:,.0f} rows/s; DuckDB's own "
            f"`read_csv` of the same file: {imported['read_csv_seconds']:.2f} s = "
            f"{imported['read_csv_rows_per_second']:,.0f} rows/s, so the import is "
            f"{imported['over_read_csv']:.0f}× slower (goal ≥ 200,000 rows/s and ≤ 2×)."
        )
        if imported.get("note"):
            lines.append(f"{imported['note']}")
    else:
        lines.append(f"Import: not measured ({imported.get('note', 'no figure')}).")
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """Write ``results.json`` and ``RESULTS.md`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    data, table = folder / "results.json", folder / "RESULTS.md"
    data.write_text(json.dumps(results, indent=2, default=str) + "\n")
    table.write_text("# National benchmark results\n\nWritten by `make bench`.\n\n" + markdown(results))
    return data, table
