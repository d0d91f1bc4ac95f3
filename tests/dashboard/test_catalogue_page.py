"""An indicator loaded from an export the catalogue lacked shows under "Not in a framework" on the scorecard,
the data sources page and the indicators page; an administrator maps it into an outcome there, and the
scorecard then lists it under that outcome; anyone else is refused by the server."""

from __future__ import annotations

import datetime as dt

import dash
import pytest
import sqlalchemy as sa

from dashboard import catalogue_callbacks as catalogue
from dashboard import create_app
from data import schema
from data.db import make_engine
from data.importers.pipeline import import_file
from data.seed import seed_reference
from tests.dashboard import pages
from tests.dashboard.pages import by_id, text
from tests.dashboard.signing_in import signed_in_as
from tests.data.helpers import count_rows
from tests.data.test_new_indicators import ASTHMA, asthma_file

CAMBS = "E10000003"
CODE = "fingertips-92196"


@pytest.fixture
def engine(tmp_path) -> sa.Engine:
    engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    import_file(engine, asthma_file(tmp_path))
    yield engine
    engine.dispose()


@pytest.fixture
def app(engine: sa.Engine) -> dash.Dash:
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def _save(app, **changes):
    form = {
        "code": CODE,
        "nodes": ["cyp-outcomes:2.1"],
        "polarity": "lower_is_better",
        "short_name": "Asthma admissions, under 19s",
        "target": "120",
        "reason": "Agreed at the March contract meeting",
    } | changes
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        return catalogue.save(**form)


def test_the_new_indicator_shows_under_not_in_a_framework(app, monkeypatch):
    signed_in_as(monkeypatch, "Kim Lee", "viewer")
    scorecard = pages.render(app, "/", area=CAMBS)
    section = by_id(scorecard, "scorecard-not-in-a-framework-table")
    assert "Hospital admissions for asthma" in text(section)
    assert "101.5" in text(section)
    sources = text(by_id(pages.render(app, "/data-sources"), "data-sources-not-in-a-framework"))
    assert f"{ASTHMA} per 100,000: OHID Fingertips, indicator 92196 (from the file asthma.csv)" in sources
    listed = pages.render(app, "/indicators")
    assert "Lower is better" in text(listed)  # from the file's own comparisons with England
    assert "Financial years (April to March)" in text(listed)  # its periods are written like 2022/23
    assert "Only an administrator can map" in text(by_id(listed, "catalogue-not-allowed"))


def test_an_administrator_maps_it_and_the_scorecard_follows(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Asha Patel", "admin")
    page = pages.render(app, "/indicators", code=CODE)
    assert by_id(page, catalogue.part("code")).data == CODE
    errors, saved, history, listed = _save(app)
    assert errors is None
    assert text(saved) == f"Saved as version 2: {CODE} now serves cyp-outcomes:2.1."
    assert "Asha Patel" in text(history) and "Agreed at the March contract meeting" in text(history)
    assert text(listed) == "Every indicator is in a framework."
    scorecard = pages.render(app, "/", area=CAMBS)
    assert "Asthma admissions, under 19s" in text(by_id(scorecard, "scorecard-domain-2-table"))
    assert not pages.find(scorecard, lambda c: getattr(c, "id", None) == "scorecard-not-in-a-framework")
    assert "Every indicator is in a framework." in text(pages.render(app, "/indicators"))


def test_a_bad_target_and_a_viewer_are_refused_in_words(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Asha Patel", "admin")
    errors, saved, *_ = _save(app, target="about 120")
    assert "The target must be a number, like 95.5; 'about 120' is not." in text(errors) and saved is None
    signed_in_as(monkeypatch, "Kim Lee", "officer")
    errors, saved, *_ = _save(app)
    assert "Only an administrator can map indicators into a framework" in text(errors)
    assert count_rows(engine, schema.catalogue_edits) == 0


def test_an_administrator_sets_academic_years_and_the_figures_move(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Asha Patel", "admin")
    page = pages.render(app, "/indicators", code=CODE)
    assert by_id(page, catalogue.part("year-type")).value == "financial"
    errors, saved, history, _ = _save(app, year_type="academic")
    assert errors is None
    assert text(saved) == (
        f"Saved as version 2: {CODE} now serves cyp-outcomes:2.1. 3 stored figures moved to their dates as "
        "academic years."
    )
    assert "Academic years (September to August)" in text(history)
    with engine.connect() as conn:
        starts = set(
            conn.execute(
                sa.select(schema.observations.c.period_start).where(
                    schema.observations.c.indicator_code == CODE
                )
            ).scalars()
        )
    assert starts == {dt.date(2022, 9, 1)}
