"""Fixtures for the monitoring page tests: a fresh known store and an app on it for each test (pages write
commentary and actions), and the user making the request."""

from __future__ import annotations

import pytest

from dashboard import create_app
from tests.dashboard.monitoring.support import monitoring_store
from tests.dashboard.signing_in import signed_in_as


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
    signed_in_as(monkeypatch, "Olu Officer", "officer")


@pytest.fixture
def viewer(monkeypatch):
    signed_in_as(monkeypatch, "Vic Viewer", "viewer")
