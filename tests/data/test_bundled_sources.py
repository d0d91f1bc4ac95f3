"""The bundled DfE LAIT, ONS Explore Local Statistics and UK SDG data, as `kpi seed` loads them.

The local framework's scorecard for Cambridgeshire should show a real (not illustrative) figure for every
indicator a public source feeds; the indicators still without one are listed exactly, so a change in either
direction is noticed. Provider KPIs are counted apart: their figures are illustrative until the provider's
return is loaded, and no public source can give them.
"""

from __future__ import annotations

import pytest

from data.areas import BUNDLED
from data.catalogue import load_catalogue
from data.db import make_engine
from data.importers.pipeline import import_file
from data.queries import indicator_nodes
from data.scorecard import scorecard
from data.seed import seed
from tests.data.helpers import observations

CAMBS, FENLAND = "E10000003", "E07000010"
NEW_BUNDLES = ("dfe-lait", "ons-explore-local-statistics", "ons-sdg-data")
# Local framework indicators with no public Cambridgeshire figure in the bundled data.
STILL_WITHOUT_A_FIGURE = {
    "smoking-at-delivery",
    "first-feed-breastmilk",
    "ae-attendances-0-4",
    "asthma-admissions-under-19",
    "injury-admissions-0-4",
    "obesity-reception-3yr",
    "obesity-reception-5yr",
    "obesity-year6-3yr",
    "obesity-year6-5yr",
    "dental-decay-free-5",
    "children-low-income-hmrc",
    "child-development-2-2half",
}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    engine = make_engine(f"duckdb:///{tmp_path_factory.mktemp('bundled') / 'bundled.duckdb'}")
    seed(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def cambridgeshire(bundled):
    nodes = indicator_nodes(bundled)
    local = set(nodes.loc[nodes["framework_code"] == "cyp-outcomes", "indicator_code"])
    card = scorecard(bundled, CAMBS)
    return card[card["indicator_code"].isin(local)].set_index("indicator_code")


def test_every_indicator_a_public_source_feeds_has_a_real_cambridgeshire_figure(cambridgeshire):
    fed = [i.code for i in load_catalogue().indicators if i.sources]
    assert len(fed) == 19
    rows = cambridgeshire.loc[fed]
    assert rows["has_data"].all(), rows.index[~rows["has_data"]].tolist()
    assert not rows["illustrative"].any()


def test_local_framework_indicators_without_a_real_cambridgeshire_figure(cambridgeshire):
    real = cambridgeshire[~cambridgeshire["illustrative"]]
    assert set(real.index[~real["has_data"]]) == STILL_WITHOUT_A_FIGURE
    assert len(STILL_WITHOUT_A_FIGURE) == 12
    assert int(cambridgeshire["illustrative"].sum()) == 18  # provider KPIs, counted apart


def _closing_note_indicators() -> dict[str, str]:
    """Indicator code -> the public source named for it, from the closing table of PROVENANCE.md."""
    text = (BUNDLED / "PROVENANCE.md").read_text(encoding="utf-8")
    note = text.split("### What still has no public Cambridgeshire figure here", 1)[1].split("\n#", 1)[0]
    rows = [line.strip("|").split("|") for line in note.splitlines() if line.startswith("| ")]
    return {
        code.strip(): source.strip()
        for codes, source in rows[1:]  # the first row is the table's heading
        for code in codes.split(",")
    }


def test_closing_note_names_a_source_for_each_indicator_still_without_a_figure():
    named = _closing_note_indicators()
    assert set(named) == STILL_WITHOUT_A_FIGURE
    assert all("Fingertips" in source for source in named.values())


@pytest.mark.parametrize(
    ("indicator", "area", "period", "value"),
    [
        ("low-birth-weight-term", CAMBS, "2024", 1.96),
        ("first-time-entrants", CAMBS, "2024", 79),
        ("cp-plans-starting", CAMBS, "2024/25", 42.9),
        ("under-18-conceptions", CAMBS, "2022", 9.5),
        ("early-education-2yo", CAMBS, "2024/25", 67.4),
        ("early-education-3-4yo", CAMBS, "2024/25", 90.0),
        ("asq3-at-2-year-review", CAMBS, "2023/24", 87.76463),
        ("eyfs-literacy", CAMBS, "2024/25", 71.0),
        ("excess-weight-reception", FENLAND, "2021/22", 24.27184),
    ],
)
def test_bundled_figures_are_the_published_ones(bundled, indicator, area, period, value):
    rows = observations(bundled, indicator_code=indicator, area_code=area)
    assert rows.loc[rows["period_label"] == period, "value"].tolist() == [pytest.approx(value)]


def test_seeding_the_new_sources_again_changes_nothing(bundled):
    for folder in NEW_BUNDLES:
        for path in sorted((BUNDLED / folder).glob("*.csv")):
            result = import_file(bundled, path)
            assert (result.rows_new, result.rows_updated, result.rows_rejected) == (0, 0, 0), path.name
