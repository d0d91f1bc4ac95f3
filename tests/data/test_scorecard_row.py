"""The scorecard's typed records: converted a column at a time, they hold exactly the values (and types)
that converting each value on its own gave, for real scorecards and for every kind of missing value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from data.areas import ENGLAND, home
from data.scorecard import scorecard
from data.scorecard_row import _FIELDS, ScorecardRow, _convert, to_rows
from tests.data.helpers import load_scorecard_figures


def one_value_at_a_time(frame: pd.DataFrame, area_code: str) -> list[ScorecardRow]:
    """The records as made before: each value of each row converted on its own."""
    columns = [name for name in _FIELDS if name != "area_code"]
    records = frame.reindex(columns=columns).to_dict("records")
    return [
        ScorecardRow(area_code=area_code, **{name: _convert(name, record[name]) for name in columns})
        for record in records
    ]


def assert_same_records(frame: pd.DataFrame, area_code: str) -> None:
    made, before = to_rows(frame, area_code), one_value_at_a_time(frame, area_code)
    assert made == before
    for new, old in zip(made, before, strict=True):
        for name in _FIELDS:
            assert type(getattr(new, name)) is type(getattr(old, name)), (new.indicator_code, name)


@pytest.fixture
def loaded(store):
    """The reference store with every kind of scorecard row and a process change."""
    return load_scorecard_figures(store)


def test_every_area_s_records_are_the_same_converted_a_column_at_a_time(loaded):
    for area in (*home().areas, home().region, ENGLAND):
        for as_at in (None, dt.date(2024, 3, 31)):
            frame = scorecard(loaded, area, as_at=as_at)
            assert frame["has_data"].any() or area != home().default_area
            assert_same_records(frame, area)


def test_missing_and_numpy_values_are_converted_as_one_at_a_time(loaded):
    frame = scorecard(loaded, home().default_area).head(6).copy()
    frame["value"] = pd.Series(
        [1.5, None, np.nan, pd.NA, Decimal("2.25"), np.float64(3)], dtype=object
    ).values
    frame["target"] = np.array([np.nan, 1, 2, 3, 4, 5], dtype=float)
    frame["provisional"] = pd.Series([True, False, None, np.nan, np.bool_(True), pd.NA], dtype=object).values
    frame["has_data"] = np.array([True, False, True, False, True, False])
    frame["value_note"] = pd.Series(["a", None, np.nan, pd.NA, pd.NaT, "b"], dtype=object).values
    frame["fingertips_id"] = [np.nan, 90_001.0, None, 3, np.int64(4), 5]
    frame["period_end"] = [
        dt.date(2024, 3, 31),
        None,
        pd.Timestamp("2024-06-30"),
        pd.NaT,
        np.nan,
        dt.date(2025, 1, 1),
    ]
    frame["spc_points"] = np.array([0, 1, 2, 3, 4, 5], dtype=np.int64)
    assert_same_records(frame, home().default_area)
