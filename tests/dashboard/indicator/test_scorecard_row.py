"""The indicator page's scorecard record is worked out for its one indicator from the series the page reads
of it; every status and figure must be those of the indicator's row in the whole scorecard."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import create_app, data_access
from tests.data.helpers import load_scorecard_figures

CAMBS, PBORO, FENLAND = "E10000003", "E06000031", "E07000010"
MANCHESTER = "E08000003"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from data.db import make_engine
    from tests.conftest import copy_store

    engine = make_engine("duckdb:///:memory:")
    copy_store(_reference(tmp_path_factory), engine)
    load_scorecard_figures(engine)
    yield create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})
    engine.dispose()


def _reference(tmp_path_factory) -> Path:
    from data.db import make_engine
    from tests.conftest import seed_reference

    path = tmp_path_factory.mktemp("reference-row") / "reference.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    seed_reference(engine)
    engine.dispose()
    return path


@pytest.mark.parametrize("area", [CAMBS, PBORO, FENLAND, MANCHESTER])
def test_every_indicators_record_is_its_row_of_the_whole_scorecard(app, area, monkeypatch):
    series_reads: list[tuple[str, ...]] = []
    real = data_access.indicator_series
    monkeypatch.setattr(
        data_access, "indicator_series", lambda code, areas: series_reads.append(areas) or real(code, areas)
    )
    with app.server.test_request_context("/"):
        whole = data_access.scorecard_rows(area)
        assert sum(row.has_data for row in whole) >= (5 if area in (CAMBS, PBORO) else 0)
        for row in whole:
            assert data_access.scorecard_row(area, row.indicator_code) == row, row.indicator_code
        assert data_access.scorecard_row(area, "no-such-indicator") is None
    home = area != MANCHESTER
    assert series_reads == ([data_access.INDICATOR_SERIES_AREAS] * (len(whole) + 1) if home else [])
