"""Fixtures for the indicator page tests: the store of known figures (see :mod:`.support`), built once for
the folder, the app on it and a client whose page router is ready."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from dashboard import create_app
from tests.dashboard.indicator.support import seeded_engine
from tests.dashboard.signing_in import signed_in_client


@pytest.fixture(scope="package")
def engine(tmp_path_factory) -> Iterator[sa.Engine]:
    engine = seeded_engine(tmp_path_factory.mktemp("indicator-files"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="package")
def app(engine):
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture(scope="package")
def client(app):
    client = signed_in_client(app)
    assert client.get("/").status_code == 200  # builds the page router
    return client
