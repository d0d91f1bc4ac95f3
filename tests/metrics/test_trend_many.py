"""The table form of the recent-trend markers, checked against the one-series function.

``recent_trend_table`` must give, for every series of a long table, exactly what
``recent_trend`` gives for that series on its own: the same marker and reason words, and the same
chi-squared and gradient (to a relative 1e-12), including every 'cannot be calculated' case.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import trend
from metrics.compare import POLARITIES
from tests.metrics.test_trend_markers import REASONS, SHEETS

COLUMNS = {"numerator": "num", "denominator": "den", "value": "val", "lower95": "low", "upper95": "up"}
RESULTS = ["label", "reason", "chi2", "gradient"]


def _table(frame: pd.DataFrame, by: str | list[str] = "series") -> pd.DataFrame:
    return trend.recent_trend_table(
        frame, by=by, period="period", polarity="polarity", method="method", **COLUMNS
    )


def _one_by_one(frame: pd.DataFrame, by: str | list[str] = "series") -> pd.DataFrame:
    """The reference: recent_trend called series by series."""
    rows = []
    for key, group in frame.groupby(by, sort=False, dropna=False):
        if group.method.iloc[0] == "proportion":
            figures = {"numerators": group.num, "denominators": group.den}
        else:
            figures = {"values": group.val, "lower95": group.low, "upper95": group.up}
        result = trend.recent_trend(polarity=group.polarity.iloc[0], periods=group.period, **figures)
        keys = key if isinstance(key, tuple) else (key,)
        rows.append((*keys, result.label, result.reason, result.chi2, result.gradient))
    return pd.DataFrame(rows, columns=[*([by] if isinstance(by, str) else by), *RESULTS])


def _words(column: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in column]


def _assert_same(table: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(table.columns) == list(expected.columns)
    for column in expected.columns.drop(["chi2", "gradient"]):
        assert _words(table[column]) == _words(expected[column]), column
    for column in ("chi2", "gradient"):
        np.testing.assert_allclose(
            table[column].to_numpy(float),
            expected[column].to_numpy(float),
            rtol=1e-12,
            atol=0,
            equal_nan=True,
        )


# Random series --------------------------------------------------------------------------------

WIDTHS = [0.0, -1.0, 0.05, 0.5, 1.0, 4.0, math.nan]


@st.composite
def _series(draw: st.DrawFn, name: int) -> dict[str, np.ndarray]:
    size = draw(st.integers(1, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))  # point-by-point noise, cheaply
    if draw(st.integers(0, 3)):
        periods = np.arange(size) + 2000.0
    else:  # repeats, and now and then a missing period
        periods = rng.choice([2001, 2002, 2003, 2004, 2005, math.nan], size)
    t = np.arange(size, dtype=float)
    # Proportions: a logit-linear trend (often significant), rounded to whole counts, so that ties,
    # 0% and 100% all turn up; denominators include 0.
    denominator = float(draw(st.sampled_from([0, 1, 5, 40, 300, 5000])))
    logit = draw(st.floats(-3, 3)) + draw(st.sampled_from([0.0, 0.05, -0.05, 0.3, -0.3, 1.0])) * t
    numerators = np.round(
        denominator / (1 + np.exp(-logit + draw(st.sampled_from([0, 0.2])) * rng.normal(size=size)))
    )
    # Other indicators: a linear trend on a coarse grid (ties, exact zero slopes), limits of varied width.
    values = draw(st.sampled_from([0.0, 10.0, 55.5])) + draw(st.sampled_from([0.0, 0.5, -1.0, 3.0])) * t
    values += rng.choice([0.0, 0.0, 0.25, -0.5, 1.0], size) * draw(st.sampled_from([0, 1]))
    jump = max(0, size - 1 - draw(st.integers(0, 4)))  # one point out of line: 'outlier found'
    values[jump] += draw(st.sampled_from([0.0, 0.0, 10.0]))
    widths = rng.choice(draw(st.sampled_from([WIDTHS, [0.5], [0.05, 1.0]])), size)
    figures = {
        "num": numerators,
        "den": np.full(size, denominator),
        "val": values,
        "low": values - widths,
        "up": values + np.abs(widths),
    }
    if not draw(st.integers(0, 3)):  # missing figures, sometimes among the latest five
        for figure in figures.values():
            figure[draw(st.lists(st.integers(0, size - 1), max_size=1))] = math.nan
    return {
        "series": np.full(size, name),
        "period": periods,
        "polarity": np.full(size, draw(st.sampled_from(POLARITIES)), dtype=object),
        "method": np.full(size, draw(st.sampled_from(trend.METHODS)), dtype=object),
        **figures,
    }


@st.composite
def _long_tables(draw: st.DrawFn) -> pd.DataFrame:
    series = [draw(_series(name)) for name in range(draw(st.integers(0, 8)))]
    columns = ["series", "period", "polarity", "method", *COLUMNS.values()]
    frame = pd.DataFrame({c: np.concatenate([s[c] for s in series]) if series else [] for c in columns})
    # rows of the series interleaved and out of period order
    order = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_long_tables())
def test_table_equals_series_by_series(frame: pd.DataFrame) -> None:
    _assert_same(_table(frame), _one_by_one(frame))


def test_a_large_random_table_covers_every_outcome() -> None:
    """One table of 1,000 seeded random series: every reason occurs, and every result is the reference's."""
    rng = np.random.default_rng(20240611)
    frames = []
    for name in range(1000):
        size = int(rng.integers(1, 9))
        t = np.arange(size)
        denominator = rng.integers(0, 400, size).astype(float)
        share = 1 / (1 + np.exp(-(rng.normal(0, 1) + rng.normal(0, 0.3) * t + rng.normal(0, 0.1, size))))
        values = rng.normal(0, 1) + rng.normal(0, 1) * t + rng.normal(0, 0.5, size)
        widths = np.abs(rng.normal(0.5, 0.5, size)) * (rng.random(size) > 0.02)
        periods = rng.permutation(size) + 2000
        if rng.random() < 0.1:
            periods[0] = periods[-1]
        frame = pd.DataFrame(
            {
                "series": name,
                "period": periods,
                "polarity": rng.choice(POLARITIES),
                "method": rng.choice(trend.METHODS),
                "num": np.round(share * denominator),
                "den": denominator,
                "val": values,
                "low": values - widths,
                "up": values + widths,
            }
        )
        for column in ("num", "den", "val", "low"):
            if rng.random() < 0.04:
                frame.loc[int(rng.integers(size)), column] = math.nan
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    expected = _one_by_one(frame)
    _assert_same(_table(frame), expected)
    assert set(expected.reason) == {
        "duplicate periods",
        "not enough data points",
        "missing values",
        "proportions must lie strictly between 0 and 1 for the logit gradient",
        "missing at least one confidence interval value",
        "confidence intervals must have positive width",
        "no significant trend",
        "outlier found",
        "no outliers and significant trend",
    }
    assert set(expected.label) == {
        "cannot be calculated",
        "no significant change",
        "increasing",
        "decreasing",
        "increasing and getting better",
        "increasing and getting worse",
        "decreasing and getting better",
        "decreasing and getting worse",
    }


# The national test workbook, all series in one table -------------------------------------------


def _workbook_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every series of the trend-marker workbook as one long table, and the last row of each series."""
    frames, expected = [], []
    for name, sheet in SHEETS.items():
        groups = sheet.groupby("Ethnicity", sort=False) if "Ethnicity" in sheet else [("all", sheet)]
        proportion = name in ("testdata_prop_trends", "testdata_prop_grouped")
        for group, rows in groups:
            series = f"{name}: {group}"
            frames.append(
                pd.DataFrame(
                    {
                        "series": series,
                        "period": rows.Year,
                        "polarity": "no_judgement",
                        "method": "proportion" if proportion else "other",
                        "num": rows.Count,
                        "den": rows.denominator if proportion else math.nan,
                        "val": rows.Value,
                        "low": rows.get("LL", math.nan),
                        "up": rows.get("UL", math.nan),
                    }
                )
            )
            expected.append(rows.iloc[-1].rename(series))
    return pd.concat(frames, ignore_index=True), pd.DataFrame(expected)


def test_workbook_series_together_match_the_workbook() -> None:
    frame, expected = _workbook_table()
    table = _table(frame.sample(frac=1, random_state=1))  # rows shuffled: the periods put them back in order
    table = table.set_index("series").loc[expected.index]
    assert len(table) == 13
    assert table.label.tolist() == expected.recent_trend.str.lower().tolist()
    reasons = expected.recent_trend_reason.str.lower()
    assert table.reason.tolist() == [REASONS.get(r, r) for r in reasons]
    np.testing.assert_allclose(table.chi2.round(4), expected.Significance, rtol=1e-5, equal_nan=True)
    np.testing.assert_allclose(table.gradient.round(4), expected.Gradient, rtol=1e-5, equal_nan=True)
    _assert_same(_table(frame), _one_by_one(frame))


def test_polarity_and_method_vary_by_series() -> None:
    frame, _ = _workbook_table()
    polarities = {
        "testdata_prop_trends: all": "higher_is_better",
        "testdata_other_grouped: Black, Black British, Caribbean or African": "lower_is_better",
    }
    frame["polarity"] = frame.series.map(polarities).fillna("no_judgement")
    table = _table(frame).set_index("series").label
    assert table["testdata_prop_trends: all"] == "decreasing and getting worse"
    assert (
        table["testdata_other_grouped: Black, Black British, Caribbean or African"]
        == "increasing and getting worse"
    )
    assert table["testdata_other_trends: all"] == "decreasing"


def test_series_named_by_several_columns() -> None:
    frame, _ = _workbook_table()
    frame[["sheet", "group"]] = frame.series.str.split(": ", expand=True)
    frame.loc[frame.group == "all", "group"] = math.nan  # a missing key is a series of its own
    by = ["sheet", "group"]
    table = _table(frame.drop(columns="series"), by=by)
    assert list(table.columns) == [*by, *RESULTS]
    _assert_same(table, _one_by_one(frame.drop(columns="series"), by=by))


# Shapes and bad input --------------------------------------------------------------------------


def test_empty_table() -> None:
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in ["series", "period", *COLUMNS.values()]})
    empty["polarity"] = pd.Series(dtype=object)
    empty["method"] = pd.Series(dtype=object)
    assert list(_table(empty).columns) == ["series", *RESULTS]
    assert _table(empty).empty


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("polarity", ["up_is_good"] * 5, "polarity"),
        ("method", ["rate"] * 5, "method"),
        ("polarity", ["higher_is_better"] * 4 + ["lower_is_better"], "same on every row"),
        ("method", ["proportion"] * 4 + ["other"], "same on every row"),
    ],
)
def test_bad_columns_raise(column: str, values: list[str], message: str) -> None:
    frame = pd.DataFrame(
        {
            "series": "a",
            "period": range(5),
            "polarity": "no_judgement",
            "method": "proportion",
            "num": [1, 2, 3, 4, 5],
            "den": 10,
            "val": 1.0,
            "low": 0.0,
            "up": 2.0,
        }
    )
    frame[column] = values
    with pytest.raises(ValueError, match=message):
        _table(frame)
