"""A team deployment: ``kpi serve --workers 2`` on PostgreSQL with the shared Redis cache. Data loaded by the
``kpi`` command line shows on both workers, each answering the page requests (their process ids are in the
access log)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("KPI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RETURNS = ROOT / "data" / "bundled" / "illustrative" / "provider_quarterly_returns.csv"
ROUTER = ".._pages_content.children..._pages_store.data.."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scorecard_lead(base: str) -> str:
    """The scorecard's opening sentence for Cambridgeshire, as the page router sends it to a browser."""
    session = requests.Session()
    session.get(f"{base}/", timeout=60)
    body = {
        "output": ROUTER,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/"},
            {"id": "_pages_location", "property": "search", "value": "?area=E10000003"},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }
    token = session.cookies.get("_csrf_token", "")
    answer = session.post(
        f"{base}/_dash-update-component", json=body, headers={"X-CSRFToken": token}, timeout=60
    )
    assert answer.status_code == 200, answer.text[:300]
    found = re.search(r'"Against target, against England and over time: [^"]*"', answer.text)
    assert found, answer.text[:300]
    return found.group(0)


@pytest.fixture
def redis_prefix() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("KPI_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    prefix = f"kpi-deploy-test-{uuid.uuid4().hex[:12]}-"
    yield prefix
    keys = client.keys(prefix + "*")
    if keys:
        client.delete(*keys)
    client.close()


def test_two_workers_on_postgresql_both_show_data_loaded_by_the_command_line(
    postgres_server, redis_prefix, tmp_path
):
    engine = postgres_server.fresh_store()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "access.log"
    environment = {
        **os.environ,
        "KPI_DATABASE_URL": url,
        "KPI_PUBLIC": "1",
        "KPI_CACHE_TYPE": "RedisCache",
        "KPI_CACHE_REDIS_URL": REDIS_URL,
        "KPI_CACHE_KEY_PREFIX": redis_prefix,
        "GUNICORN_CMD_ARGS": f"--access-logfile {log} --access-logformat '%(p)s %(U)s %(s)s'",
    }
    output = (tmp_path / "serve.out").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "kpi", "serve", "--workers", "2", "--threads", "1", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or its workers still starting
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.out").read_text()
            time.sleep(0.5)

        assert "no figures yet" in _scorecard_lead(base)

        loaded = subprocess.run(
            [sys.executable, "-m", "kpi", "import", str(RETURNS)],
            cwd=ROOT,
            env={**environment, "KPI_USER": "Test loader", "KPI_ROLE": "officer"},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert loaded.returncode in (0, 1), loaded.stdout + loaded.stderr  # 1: some rows rejected
        time.sleep(1.5)  # each worker reads the data generation at most once a second

        answered: set[str] = set()
        for _ in range(5):
            before = log.read_text() if log.exists() else ""
            with ThreadPoolExecutor(max_workers=6) as pool:
                leads = list(pool.map(lambda _: _scorecard_lead(base), range(6)))
            # Every worker's scorecard says how far the figures run ("provider returns to 30 September 2025").
            assert all(re.search(r" to \d{1,2} [A-Z][a-z]+ \d{4}", lead) for lead in leads), leads
            after = log.read_text()[len(before) :]
            answered |= set(re.findall(r"^<(\d+)> /_dash-update-component 200$", after, re.MULTILINE))
            if len(answered) == 2:
                break
        assert len(answered) == 2, log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=60)
        output.close()
