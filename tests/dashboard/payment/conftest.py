"""Fixtures for the payment page tests: the store with the bundled illustrative returns, the app on it, the
page's callbacks, and the user making a change."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard import create_app, payment_callbacks
from tests.dashboard.payment.support import payment_store
from tests.dashboard.signing_in import signed_in_as


@pytest.fixture(scope="module")
def engine() -> sa.Engine:
    engine = payment_store()
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine):
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture(scope="module")
def payment(app):
    """The page's callbacks, registered with Dash as the app imports the page."""
    return payment_callbacks


@pytest.fixture
def viewer(monkeypatch):
    signed_in_as(monkeypatch, "Sam Jones", "viewer")


@pytest.fixture
def admin(monkeypatch):
    signed_in_as(monkeypatch, "Asha Patel", "admin")
