"""A load test: ``python -m bench.load --users 20 --seconds 60 --workers 2 --database-url URL``.

Starts ``kpi serve`` (gunicorn, ``--workers`` processes of ``--threads`` threads) on the store at
``--database-url``, with the shared Redis cache when ``--redis-url`` is given (under a key prefix of its
own, removed afterwards) and each worker's own cache otherwise. Then ``--users`` simulated users, one thread
each, open pages one after another for ``--seconds`` seconds, as a browser does: for each page, the page
shell (``GET``), then the page router's ``_dash-update-component`` request that builds the page (with the
CSRF token the shell set). Each user starts at a different place in the same round: the scorecard for each
home area, and the indicator page of each of the first indicators the default area has figures for. A user
finishes the page it is on when the time is up, so every shell has its page request.

It reports requests a second (over the whole run, until the last user's page is answered), the median,
95th and 99th percentiles of the response times (all requests, and by kind), and the errors (any answer but
200, or no answer within ``--timeout`` seconds), keeps them in ``--output`` (``bench/load_results.json``,
beside the latest run of every other setting) and prints them as one line of Markdown. The figures are what
the server manages on this machine with the simulated users on it too: the users' threads take a share of
the cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import requests
import sqlalchemy as sa

from dashboard import routes
from data import schema
from data.areas import home
from data.db import make_engine

HERE = Path(__file__).parent
ROOT = HERE.parent
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
INDICATORS = 8
"""How many indicator pages the users' round takes in (with a scorecard for each home area)."""


@dataclass(frozen=True)
class Page:
    """One page a user opens: its path and query string (``?area=…``)."""

    path: str
    search: str

    @property
    def kind(self) -> str:
        return "scorecard" if self.path == routes.SCORECARD else "indicator"


@dataclass
class Tally:
    """What one user's requests came to: each answered request's time by kind, and the errors by kind."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)

    def add(self, kind: str, milliseconds: float, error: str | None) -> None:
        if error is None:
            self.times.setdefault(kind, []).append(milliseconds)
            return
        self.errors[kind] += 1
        if len(self.error_examples) < 5:
            self.error_examples.append(f"{kind}: {error}")


def round_of_pages(engine: sa.Engine) -> list[Page]:
    """The pages the users go round: each home area's scorecard and the default area's first
    :data:`INDICATORS` indicator pages (of the indicators it has figures for), alternating."""
    area = home().default_area
    obs = schema.observations
    with engine.connect() as conn:
        codes = list(
            conn.execute(
                sa.select(sa.distinct(obs.c.indicator_code))
                .where(obs.c.area_code == area)
                .order_by(obs.c.indicator_code)
                .limit(INDICATORS)
            ).scalars()
        )
    scorecards = [Page(routes.SCORECARD, f"?area={code}") for code in home().areas]
    indicators = [Page(f"/indicator/{code}", f"?area={area}") for code in codes]
    pages: list[Page] = []
    for index in range(max(len(scorecards), len(indicators))):
        pages += [*scorecards[index : index + 1], *indicators[index : index + 1]]
    return pages


def _router_request(page: Page) -> dict[str, Any]:
    """The body of the page router's request for ``page``, as Dash's renderer sends it."""
    return {
        "output": ROUTER_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": page.path},
            {"id": "_pages_location", "property": "search", "value": page.search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }


def _timed(tally: Tally, kind: str, send: Callable[[], requests.Response]) -> requests.Response | None:
    """Send a request with ``send()`` and note its time, or the error, under ``kind``."""
    start = time.perf_counter()
    try:
        response = send()
    except requests.RequestException as error:
        tally.add(kind, (time.perf_counter() - start) * 1000, f"{type(error).__name__}: {error}"[:200])
        return None
    milliseconds = (time.perf_counter() - start) * 1000
    failed = None if response.status_code == 200 else f"{response.status_code}: {response.text[:120]}"
    tally.add(kind, milliseconds, failed)
    return response if failed is None else None


def user(base: str, pages: list[Page], first: int, until: float, timeout: float) -> Tally:
    """One simulated user: opens ``pages`` in turn from ``pages[first]`` until ``until`` (a
    ``time.monotonic()`` time), each as its shell and then its page request; returns what that came to."""
    tally = Tally()
    with requests.Session() as session:
        index = first
        while time.monotonic() < until:
            page = pages[index % len(pages)]
            index += 1
            shell = functools.partial(session.get, f"{base}{page.path}{page.search}", timeout=timeout)
            if _timed(tally, "shell", shell) is None:
                continue
            build = functools.partial(
                session.post,
                f"{base}/_dash-update-component",
                json=_router_request(page),
                headers={"X-CSRFToken": session.cookies.get("_csrf_token") or ""},
                timeout=timeout,
            )
            _timed(tally, page.kind, build)
    return tally


def figures(times: list[float]) -> dict[str, float]:
    """How many, and the median, 95th and 99th percentiles (linear interpolation) in milliseconds."""
    if not times:
        return {"requests": 0}
    p50, p95, p99 = np.percentile(times, [50, 95, 99])
    return {"requests": len(times), "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99)}


def combine(tallies: list[Tally], seconds: float) -> dict[str, Any]:
    """The users' tallies as the load test's figures: every request, by kind and by user."""
    kinds = sorted({kind for tally in tallies for kind in (*tally.times, *tally.errors)})
    every = [ms for tally in tallies for times in tally.times.values() for ms in times]
    errors = sum((tally.errors for tally in tallies), Counter[str]())
    by_kind = {
        kind: {
            **figures([ms for tally in tallies for ms in tally.times.get(kind, [])]),
            "errors": errors[kind],
        }
        for kind in kinds
    }
    answered = len(every)
    return {
        "seconds": seconds,
        "requests": answered + sum(errors.values()),
        "answered": answered,
        "errors": sum(errors.values()),
        "requests_per_second": (answered + sum(errors.values())) / seconds,
        **{key: value for key, value in figures(every).items() if key != "requests"},
        "by_kind": by_kind,
        "by_user": [sum(map(len, t.times.values())) + sum(t.errors.values()) for t in tallies],
        "error_examples": [example for tally in tallies for example in tally.error_examples][:10],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(
    url: str, workers: int, threads: int, redis_url: str | None, log: Path, wait: float = 300.0
) -> Iterator[str]:
    """``kpi serve`` on the store at ``url`` for the duration of the block; yields its base URL."""
    port = _free_port()
    prefix = f"kpi-load-{uuid.uuid4().hex[:12]}-"
    environment = {
        **os.environ,
        "KPI_DATABASE_URL": url,
        "KPI_PUBLIC": "1",
        "KPI_SECRET_KEY": "load test only",
    }
    if redis_url:
        environment |= {
            "KPI_CACHE_TYPE": "RedisCache",
            "KPI_CACHE_REDIS_URL": redis_url,
            "KPI_CACHE_KEY_PREFIX": prefix,
        }
    command = [sys.executable, "-m", "kpi", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + wait
            while not _healthy(base):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"`kpi serve` did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.5)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if redis_url:
                _forget(redis_url, prefix)


def _healthy(base: str) -> bool:
    try:
        return requests.get(f"{base}/health", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or its workers still starting
        return False


def _forget(redis_url: str, prefix: str) -> None:
    """Remove the cache entries the load test's server left in Redis under ``prefix``."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def run(
    url: str,
    *,
    users: int,
    seconds: float,
    workers: int,
    threads: int,
    redis_url: str | None = None,
    timeout: float = 120.0,
    note: str = "",
) -> dict[str, Any]:
    """Serve the store at ``url`` and put it under load; returns the results (see the module's notes)."""
    engine = make_engine(url)
    try:
        pages = round_of_pages(engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT count(*) FROM observations")).scalar_one()
        database = "PostgreSQL" if engine.dialect.name == "postgresql" else "DuckDB"
    finally:
        engine.dispose()
    from kpi import worker_count

    served_workers, _ = worker_count(url, workers, read_only=os.environ.get("KPI_DATABASE_READ_ONLY") == "1")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kpi-load-") as folder:
        log = Path(folder) / "serve.log"
        with served(url, workers, threads, redis_url, log) as base:
            started = time.monotonic()
            tallies: list[Tally] = [Tally() for _ in range(users)]

            def one(number: int) -> None:
                first = number * len(pages) // max(users, 1)
                tallies[number] = user(base, pages, first, started + seconds, timeout)

            threads_running = [threading.Thread(target=one, args=(n,)) for n in range(users)]
            for thread in threads_running:
                thread.start()
            for thread in threads_running:
                thread.join()
            elapsed = time.monotonic() - started
    results = {
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "description": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
            "cpus": os.cpu_count(),
            "load_before": [round(x, 1) for x in load_before],
            "load_after": [round(x, 1) for x in os.getloadavg()],
            "note": note or "shared with other work",
        },
        "store": {"database": database, "observations": rows},
        "server": {
            "workers": served_workers,
            "threads": threads,
            "cache": "Redis (shared)" if redis_url else "each worker's own",
        },
        "users": users,
        "pages": [f"{page.path}{page.search}" for page in pages],
        **combine(tallies, elapsed),
    }
    results["markdown"] = markdown(results)
    return results


def markdown(results: dict[str, Any]) -> str:
    """The results as one line of Markdown."""
    server, machine, store = results["server"], results["machine"], results["store"]
    pages = results["by_kind"]
    kinds = ", ".join(
        f"{kind} p50 {pages[kind]['p50_ms']:,.0f} ms / p95 {pages[kind]['p95_ms']:,.0f} ms"
        for kind in ("shell", "scorecard", "indicator")
        if pages.get(kind, {}).get("requests")
    )
    typical = (
        f"p50 {results['p50_ms']:,.0f} ms, p95 {results['p95_ms']:,.0f} ms, p99 {results['p99_ms']:,.0f} ms"
        if results.get("answered")
        else "no request answered"
    )
    return (
        f"{results['finished_at'][:16].replace('T', ' ')} UTC, {store['database']} "
        f"({store['observations']:,} observations), {server['workers']} worker(s) × {server['threads']} "
        f"threads, cache {server['cache']}; {results['users']} users for {results['seconds']:.0f} s: "
        f"{results['requests']:,} requests, {results['requests_per_second']:.1f}/s, {typical} "
        f"({kinds}); {results['errors']} errors; load average {machine['load_before'][0]} before, "
        f"{machine['load_after'][0]} after ({machine['cpus']} CPUs, {machine['note']})."
    )


def setting(results: dict[str, Any]) -> str:
    """What a run was of: the database, the workers and the cache (a later run of it replaces it)."""
    server = results["server"]
    return f"{results['store']['database']}, {server['workers']} worker(s), cache {server['cache']}"


def write(results: dict[str, Any], path: Path) -> None:
    """Keep ``results`` in the JSON file at ``path``, beside the latest run of every other setting."""
    runs = json.loads(path.read_text()) if path.exists() else {}
    runs[setting(results)] = results
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(runs, indent=2) + "\n")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--database-url", required=True, help="The store to serve (DuckDB or PostgreSQL).")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="On a DuckDB store, always one.")
    parser.add_argument("--threads", type=int, default=4, help="Threads in each worker.")
    parser.add_argument("--redis-url", default=None, help="Share a Redis cache between the workers.")
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds a request may take.")
    parser.add_argument("--output", type=Path, default=HERE / "load_results.json")
    parser.add_argument("--note", default="", help="Said beside the machine in the results (e.g. 'busy').")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    arguments = _arguments(argv)
    results = run(
        arguments.database_url,
        users=arguments.users,
        seconds=arguments.seconds,
        workers=arguments.workers,
        threads=arguments.threads,
        redis_url=arguments.redis_url,
        timeout=arguments.timeout,
        note=arguments.note,
    )
    write(results, arguments.output)
    print(results["markdown"])
    print(f"Written {arguments.output}.")
    return results


if __name__ == "__main__":
    main()
