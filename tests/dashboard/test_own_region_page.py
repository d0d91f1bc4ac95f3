"""The scorecard and the indicator page compare an area outside the home set with its own region: Manchester's
new birth visits (81.2%) beside the North West's (90.0%), never the East of England's."""

from __future__ import annotations

import dash
import pytest
import sqlalchemy as sa

from dashboard import create_app
from data.db import make_engine
from data.importers.pipeline import import_file
from data.seed import seed_reference
from tests.dashboard import pages
from tests.dashboard.pages import by_id, text
from tests.data.helpers import write_csv

MANCHESTER, NORTH_WEST, EAST, ENGLAND = "E08000003", "E12000002", "E12000006", "E92000001"
NEW_BIRTH = "hv-new-birth-visit-14d"
HEADER = ["indicator_code", "area_code", "period", "numerator", "denominator", "value", "provisional"]


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> dash.Dash:
    engine: sa.Engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    rows = [
        [NEW_BIRTH, code, period, n, 1000, "", "no"]
        for code, n in ((MANCHESTER, 812), (NORTH_WEST, 900), (EAST, 850), (ENGLAND, 880))
        for period in ("2024/25 Q4", "2025/26 Q1")
    ]
    import_file(engine, write_csv(tmp_path_factory.mktemp("r") / "r.csv", HEADER, rows))
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def test_the_scorecard_compares_manchester_with_the_north_west(app):
    shown = text(pages.render(app, "/", area=MANCHESTER))
    assert "North West 90.0%" in shown
    assert "East of England 85.0%" not in shown  # the region is named only in the area choice


def test_the_indicator_page_compares_manchester_with_the_north_west(app):
    page = pages.render(app, f"/indicator/{NEW_BIRTH}", area=MANCHESTER)
    assert text(by_id(page, "summary-region")).startswith("✗ Worse than North West North West 90.0%")
    assert "85.0%" not in text(page)  # the East of England's figure is not shown
