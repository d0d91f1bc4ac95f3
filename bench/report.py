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


def ratios(pages: dict[str, dict], floors: dict[str, dict], naive: dict[str, dict]) -> dict[str, dict]:
    """For each page measured: page p95 / floor p95 and naive p95 / page p95 (and the same on medians)."""
    found: dict[str, dict] = {}
    for name, page in pages.items():
        if "p95_ms" not in page or name not in floors:
            continue
        found[name] = {
            "page_over_floor_p95": page["p95_ms"] / floors[name]["p95_ms"],
            "page_over_floor_p50": page["p50_ms"] / floors[name]["p50_ms"],
            "naive_over_page_p95": naive[name]["p95_ms"] / page["p95_ms"],
            "naive_over_page_p50": naive[name]["p50_ms"] / page["p50_ms"],
        }
    return found


def _verdict(met: bool) -> str:
    return "met" if met else "missed"


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
        "| Page (uncached server work) | p50 ms | p95 ms | floor p95 ms | page ÷ floor | naive p95 ms "
        "| naive ÷ page | goal p95 ≤ 250 ms, ≤ 3× floor, ≥ 10× naive |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, page in results["pages"].items():
        if "p95_ms" not in page:
            lines.append(f"| {PAGE_NAMES.get(name, name)} | – | – | – | – | – | – | {page.get('note', '')} |")
            continue
        ratio = results["ratios"].get(name)
        if ratio is None:
            lines.append(
                f"| {PAGE_NAMES.get(name, name)} | {page['p50_ms']:,.0f} | {page['p95_ms']:,.0f} "
                "| – | – | – | – | no reference |"
            )
            continue
        floor, naive = results["floors"][name], results["naive"][name]
        goals = (
            page["p95_ms"] <= GOAL_P95_MS,
            ratio["page_over_floor_p95"] <= GOAL_FLOOR_RATIO,
            ratio["naive_over_page_p95"] >= GOAL_NAIVE_RATIO,
        )
        lines.append(
            f"| {PAGE_NAMES.get(name, name)} | {page['p50_ms']:,.0f} | {page['p95_ms']:,.0f} "
            f"| {floor['p95_ms']:,.1f} | {ratio['page_over_floor_p95']:.1f}× | {naive['p95_ms']:,.0f} "
            f"| {ratio['naive_over_page_p95']:.2f}× | {', '.join(_verdict(g) for g in goals)} |"
        )
    start, load = results["cold_start"], results["naive_load"]
    lines += [
        "",
        f"Repeats per figure: up to {results['repeats']} after one warm-up, fewer (at least 3) for a page "
        f"whose repeats took over {results['page_budget']:.0f} s (see `repeats` in results.json). The naive "
        "baseline's one-off load "
        f"of the whole table into pandas took {load['seconds']:.1f} s ({load['rows']:,} rows, "
        f"{load['memory_mb']:,.0f} MB).",
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
