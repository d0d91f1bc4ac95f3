"""Any area is compared with its own region, not the home region: Manchester with the North West, a
Cambridgeshire district with the East of England (through its county), and England with no region."""

from __future__ import annotations

import pytest

from data.areas import region_of
from data.importers.pipeline import import_file
from data.scorecard import scorecard_rows
from tests.data.helpers import write_csv

CAMBS, CAMBRIDGE, MANCHESTER = "E10000003", "E07000008", "E08000003"
ENGLAND, NORTH_WEST, EAST = "E92000001", "E12000002", "E12000006"
NEW_BIRTH = "hv-new-birth-visit-14d"
HEADER = ["indicator_code", "area_code", "period", "numerator", "denominator", "value", "provisional"]


@pytest.mark.parametrize(
    ("area", "region"),
    [(MANCHESTER, NORTH_WEST), (CAMBRIDGE, EAST), (CAMBS, EAST), (ENGLAND, None), (NORTH_WEST, None)],
)
def test_region_of_an_area(area, region):
    assert region_of(area) == region


def test_a_non_home_area_is_compared_with_its_own_region(store, tmp_path):
    rows = [
        [NEW_BIRTH, code, "2025/26 Q1", n, 1000, "", "no"]
        for code, n in ((MANCHESTER, 812), (NORTH_WEST, 900), (EAST, 850), (CAMBS, 935), (ENGLAND, 880))
    ]
    import_file(store, write_csv(tmp_path / "r.csv", HEADER, rows))
    [manchester] = [r for r in scorecard_rows(store, MANCHESTER) if r.indicator_code == NEW_BIRTH]
    assert (manchester.region_name, manchester.region_value) == ("North West", pytest.approx(90.0))
    [cambs] = [r for r in scorecard_rows(store, CAMBS) if r.indicator_code == NEW_BIRTH]
    assert (cambs.region_name, cambs.region_value) == ("East of England", pytest.approx(85.0))
    [england] = [r for r in scorecard_rows(store, ENGLAND) if r.indicator_code == NEW_BIRTH]
    assert (england.region_name, england.region_value) == (None, None)
