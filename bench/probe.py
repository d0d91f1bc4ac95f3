"""Cold start and memory, measured in a fresh process: ``python -m bench.probe STARTED AREA INDICATOR``.

Started by the benchmark with ``KPI_DATABASE_URL`` naming the store and ``STARTED`` the wall-clock time
just before the process was started. It loads the dashboard the way ``gunicorn app:server`` does (importing
``app``), asks for the scorecard's page shell with the Flask test client, then builds the scorecard page
for ``AREA`` (what the page router does next for a browser): the time from ``STARTED`` to then is the cold
start. It then serves every home area's scorecard, the indicator page for ``INDICATOR`` and the next four
indicators, and the payment page, with the app's ordinary cache, and reports the process's peak resident
memory. Prints one JSON object.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(started: float, area: str, indicator: str) -> dict[str, float]:
    """Measure; see the module's notes."""
    begin = time.perf_counter()
    import app as wsgi
    from bench.measure import render
    from dashboard import data_access, routes
    from data.areas import home

    imported = time.perf_counter()
    client = wsgi.server.test_client()
    response = client.get(f"{routes.SCORECARD}?area={area}")
    if response.status_code != 200:
        raise RuntimeError(f"The page shell answered {response.status_code}")
    shell = time.perf_counter()
    render(wsgi.app, routes.SCORECARD, area=area)
    served = time.time()
    first_page = time.perf_counter()
    for code in home().areas:
        render(wsgi.app, routes.SCORECARD, area=code)
    with wsgi.server.test_request_context("/"):
        catalogue = list(data_access.catalogue()["code"])
    start = catalogue.index(indicator) if indicator in catalogue else 0
    for code in catalogue[start : start + 5]:
        render(wsgi.app, f"/indicator/{code}", area=area)
    render(wsgi.app, routes.PAYMENT)
    return {
        "cold_start_seconds": served - started,
        "interpreter_seconds": time.time() - started - (time.perf_counter() - begin),
        "import_app_seconds": imported - begin,
        "first_shell_seconds": shell - imported,
        "first_page_seconds": first_page - shell,
        "views_served": 1 + len(home().areas) + len(catalogue[start : start + 5]) + 1,
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """This process's own peak resident memory, in MB.

    Linux's ``VmHWM``, where there is one: the usual ``ru_maxrss`` of a process started by another carries
    over the starting process's peak (Linux keeps it across ``exec``), so started by the benchmark, which
    has just built the store, it reported the benchmark's peak (4.3 GB at full scale) rather than the
    dashboard's (about 0.5 GB at half scale)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    print(json.dumps(main(float(sys.argv[1]), sys.argv[2], sys.argv[3])))
