"""DfE LAIT's funded early-education take-up above 100% loads as published, flagged, never rejected.

The rows are DfE's own for 2018 (Bath and North East Somerset 103.2% of 3- and 4-year-olds and 130.1% of
eligible 2-year-olds; Cambridgeshire 97.8% and 68.3%), written as the CSV form of the LAIT dataset.
"""

from __future__ import annotations

import pytest

from data.importers.lait import TAKE_UP_ABOVE_100
from data.importers.pipeline import import_file
from tests.data.helpers import observations, write_csv

HEADER = ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"]
ROWS = [
    ["%_3&4yr_olds", "Percentage of 3 & 4 year olds taking up some free education", "2018",
     "Bath and North East Somerset", "103.2", 800, "South West"],
    ["%_3&4yr_olds", "", "2018", "Cambridgeshire", "97.8", 873, "East of England"],
    ["%_2yr_olds", "Percentage of 2 year old children benefitting from funded early education", "2018",
     "Bath and North East Somerset", "130.1", 800, "South West"],
    ["%_2yr_olds", "", "2018", "Cambridgeshire", "68.3", 873, "East of England"],
]  # fmt: skip
BATH, CAMBS = "E06000022", "E10000003"


@pytest.fixture
def lait_file(tmp_path):
    return write_csv(tmp_path / "lait_take_up.csv", HEADER, ROWS)


def test_take_up_above_100_percent_loads_as_published_with_a_flag(any_store, lait_file):
    result = import_file(any_store, lait_file)
    assert (result.rows_new, result.rows_rejected, result.rows_flagged) == (4, 0, 2)
    assert "2 rows with a quality flag loaded as published" in result.summary()
    stored = observations(any_store, area_code=BATH).set_index("indicator_code")
    assert sorted(stored["value"]) == [103.2, 130.1]
    assert set(stored["quality_note"]) == {TAKE_UP_ABOVE_100}
    cambs = observations(any_store, area_code=CAMBS)
    assert sorted(cambs["value"]) == [68.3, 97.8]
    assert cambs["quality_note"].isna().all()


def test_a_strict_import_still_refuses_the_flagged_take_up(any_store, lait_file):
    result = import_file(any_store, lait_file, strict=True)
    assert result.status == "rejected"
    assert observations(any_store).empty
