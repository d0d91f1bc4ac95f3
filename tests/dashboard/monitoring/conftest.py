"""Fixtures for the monitoring page tests: a fresh known store and an app on it for each test (pages write
commentary and actions), and the user making the request."""

from __future__ import annotations

import pytest

from dashboard import create_app
from tests.dashboard.monitoring.support import monitoring_store


@pytest.fixture
def engine():
    engine = monitoring_store()
    yield engine
    engine.dispose()


@pytest.fixture
def app(engine):
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture
def officer(monkeypatch):
    monkeypatch.setenv("KPI_USER", "Olu Officer")
    monkeypatch.setenv("KPI_ROLE", "officer")


@pytest.fixture
def viewer(monkeypatch):
    monkeypatch.setenv("KPI_USER", "Vic Viewer")
    monkeypatch.setenv("KPI_ROLE", "viewer")
