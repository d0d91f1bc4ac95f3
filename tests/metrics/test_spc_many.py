"""The table form of the XmR chart, checked against the one-series function.

``xmr_table`` must give, for every series of a long table, exactly what ``xmr`` gives for that
series on its own (missing values dropped): the same mean, moving range and limits (to a relative
1e-12) and the same variation, assurance, trial-limits flag and latest point type.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import spc, spc_table
from tests.metrics.test_spc_xmr import ALTERNATING_1_3, SIX_ABOVE_ONE_ON_MEAN_SIX_BELOW, TRANSCRIBED, _values

FIGURES = ["mean", "mean_moving_range", "lpl", "upl"]
RESULTS = ["n_points", *FIGURES, "variation", "assurance", "trial_limits", "last_point_type"]


def _table(frame: pd.DataFrame, by: str | list[str] = "series", **options) -> pd.DataFrame:
    return spc_table.xmr_table(
        frame, by=by, order="month", value="value", improvement="improvement", target="target", **options
    )


def _one_by_one(frame: pd.DataFrame, by: str | list[str] = "series", **options) -> pd.DataFrame:
    """The reference: xmr called series by series, each in month order."""
    rows = []
    for key, group in frame.groupby(by, sort=False, dropna=False):
        group = group.sort_values("month", kind="stable")
        chart = spc.xmr(
            group.value, improvement=group.improvement.iloc[0], target=group.target.iloc[0], **options
        )
        present = np.flatnonzero(group.value.notna().to_numpy())
        latest = chart.point_types[present[-1]] if present.size else None
        keys = key if isinstance(key, tuple) else (key,)
        rows.append(
            (
                *keys,
                present.size,
                chart.mean,
                chart.mean_moving_range,
                chart.lpl,
                chart.upl,
                chart.variation,
                chart.assurance,
                chart.trial_limits,
                latest,
            )
        )
    return pd.DataFrame(rows, columns=[*([by] if isinstance(by, str) else by), *RESULTS])


def _words(column: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in column]


def _assert_same(table: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(table.columns) == list(expected.columns)
    for column in expected.columns.drop(FIGURES):
        assert _words(table[column]) == _words(expected[column]), column
    for column in FIGURES:
        np.testing.assert_allclose(
            table[column].to_numpy(float),
            expected[column].to_numpy(float),
            rtol=1e-12,
            atol=0,
            equal_nan=True,
        )


def _long(
    series: dict[str, list[float]], improvement: str = "increase", target: float = math.nan
) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"series": name, "month": month, "value": v, "improvement": improvement, "target": target}
            for name, values in series.items()
            for month, v in enumerate(values)
        ]
    )


# Random series --------------------------------------------------------------------------------

GRIDS = [
    [0.0, 1.0, 2.0, 3.0],  # ties, points exactly on the mean, flat stretches, level steps
    [0.1, 0.2, 0.3, 0.7],  # decimals whose float mean is not exact
    [95.0, 100.0],  # near a ceiling
]


ENDINGS = [
    [5.5, 1.0, 5.5],
    [5.5, 5.5, 1.0],
    [1.0, 4.5, 5.5],
    [5.5, -1.0, 5.5],
    [-5.5, -4.5, -1.0],
    [4.5, 12.0, 1.0],
    [12.0, 4.5, 4.5],
    [1.0, 1.0, 1.0],
]


@st.composite
def _series(draw: st.DrawFn, name: int) -> dict[str, np.ndarray]:
    size = draw(st.integers(1, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))  # point-by-point values, cheaply
    shape = draw(st.sampled_from(["grid", "flat", "walk", "jump", "trend", "near"]))
    if shape == "grid":
        values = rng.choice(draw(st.sampled_from(GRIDS)), size)
    elif shape == "flat":
        values = np.full(size, draw(st.sampled_from([0.1, 100.0, -3.0])))
    elif shape == "walk":
        values = np.cumsum(rng.normal(size=size))
    elif shape == "jump":  # one large move: screened moving ranges, points beyond the limits
        values = rng.choice([5.0, 5.0, 5.0, 6.0], size)
        values[rng.integers(size)] = draw(st.sampled_from([9.0, 30.0, -20.0]))
    elif shape == "trend":
        values = np.arange(size) * draw(st.sampled_from([1.0, -0.5])) + rng.choice([0.0, 3.0, -3.0], size)
    else:  # small swings, then points near or beyond the limits at the end (two in three)
        values = np.resize([1.0, -1.0], size)
        end = min(size, 3)
        values[-end:] = draw(st.sampled_from(ENDINGS))[-end:]
    values[rng.random(size) < draw(st.sampled_from([0.0, 0.0, 0.15, 0.15, 1.0]))] = (
        math.nan
    )  # 1.0: no points at all
    present = values[~np.isnan(values)]
    target = draw(st.sampled_from(["none", "mean", "low", "high", "point"]))
    target = {
        "none": math.nan,
        "low": -1e3,
        "high": 1e3,
        "mean": present.mean() if present.size else 1.0,
        "point": present[0] if present.size else 1.0,
    }[target]
    months = np.arange(size) // draw(st.sampled_from([1, 1, 1, 2]))  # 2: months shared by two rows
    return {
        "series": np.full(size, name),
        "month": months,
        "value": values,
        "improvement": np.full(size, draw(st.sampled_from(spc.IMPROVEMENTS)), dtype=object),
        "target": np.full(size, target),
    }


@st.composite
def _long_tables(draw: st.DrawFn) -> pd.DataFrame:
    series = [draw(_series(name)) for name in range(draw(st.integers(0, 8)))]
    columns = ["series", "month", "value", "improvement", "target"]
    frame = pd.DataFrame({c: np.concatenate([s[c] for s in series]) if series else [] for c in columns})
    # rows of the series interleaved and out of month order
    order = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


OPTIONS = st.fixed_dictionaries(
    {
        "screen_outliers": st.booleans(),
        "run_length": st.sampled_from([2, 3, 6, 7]),
        "trend_length": st.sampled_from([2, 3, 6, 7]),
        "two_in_three_counts_outside": st.booleans(),
    }
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_long_tables(), OPTIONS)
def test_table_equals_series_by_series(frame: pd.DataFrame, options: dict) -> None:
    _assert_same(_table(frame, **options), _one_by_one(frame, **options))


def test_a_large_random_table_covers_every_outcome() -> None:
    """One table of 1,200 seeded random series, some longer than 128 points (numpy sums those in
    two halves): every variation, assurance and point type occurs, and every result is the reference's."""
    rng = np.random.default_rng(20240611)
    series = {}
    for name in range(1200):
        size = int(rng.integers(1, 31)) if name % 20 else int(rng.integers(100, 400))
        values = np.cumsum(rng.normal(size=size)) if name % 3 else rng.choice([0.0, 1.0, 2.0, 3.0, 8.0], size)
        values[rng.random(size) < 0.05] = math.nan
        series[name] = values
    frame = _long(series)
    frame["improvement"] = frame.series.map(lambda name: spc.IMPROVEMENTS[name % 3])
    frame["target"] = frame.series.map(lambda name: [math.nan, -5.0, 5.0, 1.5][name % 4])
    expected = _one_by_one(frame)
    _assert_same(_table(frame), expected)
    assert set(expected.variation) == {
        "common_cause",
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "neutral_high",
        "neutral_low",
    }
    assert set(_words(expected.assurance)) == {None, "consistent_pass", "consistent_fail", "inconsistent"}
    assert set(_words(expected.last_point_type)) == {
        None,
        "common_cause",
        "special_cause_improvement",
        "special_cause_concern",
        "special_cause_neutral_high",
        "special_cause_neutral_low",
    }


def test_sums_are_added_in_numpy_order() -> None:
    """The table form adds each series' values in the order numpy's own sum does, to the last bit.

    A plain row sum of a padded array differs in the last bit for some series, which is enough to
    move a point lying exactly on the mean off it.
    """
    rng = np.random.default_rng(3)
    lengths = np.arange(0, 400)
    matrix = rng.normal(size=(lengths.size, 400)) * 10.0 ** rng.integers(-6, 6, (lengths.size, 400))
    means = spc_table._row_means(matrix, lengths)
    expected = [matrix[i, :n].mean() if n else math.nan for i, n in enumerate(lengths)]
    assert means[1:].tolist() == expected[1:] and math.isnan(means[0])


# Known answers, many series in one table ---------------------------------------------------------


def test_a_point_exactly_on_the_mean_stays_on_it_beside_longer_series() -> None:
    """numpy adds these nine values to 2.6999999999999997, so the mean is exactly 0.3 and the six
    points of 0.3 are on it: no run. Added in another order (as a plain sum of the series padded
    to the 30 points of the longer series would) they make 2.7, the mean comes out just above 0.3,
    and the last seven points look like a run below the mean."""
    frame = _long({"on the mean": [0.7, 0.1, 0.1] + [0.3] * 6, "longer": ALTERNATING_1_3 * 2})
    chart = _table(frame).set_index("series").loc["on the mean"]
    assert chart["mean"] == 0.3
    assert (chart.variation, chart.last_point_type) == ("common_cause", "common_cause")
    _assert_same(_table(frame), _one_by_one(frame))


@pytest.mark.parametrize("screen", [True, False])
def test_transcribed_reference_series_together(screen: bool) -> None:
    rows = TRANSCRIBED[TRANSCRIBED.screen_outliers == screen]
    frame = _long({row.series_id: _values(row) for _, row in rows.iterrows()})
    table = _table(frame.sample(frac=1, random_state=2), screen_outliers=screen).set_index("series")
    for _, row in rows.iterrows():
        chart = table.loc[row.series_id]
        assert chart.n_points == row.n_points
        if pd.isna(row.expected_mean):
            continue
        actual = (chart["mean"], chart.lpl, chart.upl)
        expected = (row.expected_mean, row.expected_lpl, row.expected_upl)
        if row.series_id.startswith("vignette"):
            assert tuple(round(v, 2) for v in actual) == pytest.approx(expected, abs=1e-9)
        else:
            assert actual == pytest.approx(expected, rel=1e-5)
    _assert_same(_table(frame, screen_outliers=screen), _one_by_one(frame, screen_outliers=screen))


def test_hand_checked_series_together() -> None:
    frame = _long(
        {
            "on the mean": SIX_ABOVE_ONE_ON_MEAN_SIX_BELOW,  # a point on the mean breaks the run
            "run of seven": [
                *SIX_ABOVE_ONE_ON_MEAN_SIX_BELOW[:6],
                10.5,
                *SIX_ABOVE_ONE_ON_MEAN_SIX_BELOW[7:],
            ],
            "stuck at 100": [100.0] * 15,
            "last point high": [*ALTERNATING_1_3, 20],
            "last point missing": [*ALTERNATING_1_3, 20, math.nan],
            "no values": [math.nan, math.nan],
            "one value": [4.0],
            "two values": [4.0, 5.0],
            "eleven": ALTERNATING_1_3[:11],
            "twelve": ALTERNATING_1_3[:12],
        },
        target=95,
    )
    table = _table(frame).set_index("series")
    assert table.loc["on the mean", ["mean", "variation", "last_point_type"]].tolist() == [
        10,
        "common_cause",
        "common_cause",
    ]
    assert table.loc["run of seven", "last_point_type"] == "common_cause"  # the run is points 1 to 7
    stuck = table.loc["stuck at 100"]
    assert (stuck["mean"], stuck.mean_moving_range, stuck.lpl, stuck.upl) == (100, 0, 100, 100)
    assert stuck.assurance == "consistent_pass"
    for name in ("last point high", "last point missing"):
        assert table.loc[name, ["variation", "last_point_type", "assurance"]].tolist() == [
            "improvement_high",
            "special_cause_improvement",
            "consistent_fail",
        ]
    assert table.loc["no values", ["n_points", "variation", "trial_limits"]].tolist() == [
        0,
        "common_cause",
        True,
    ]
    assert table.loc["no values", "last_point_type"] is None
    assert table.loc["one value", ["n_points", "mean", "last_point_type"]].tolist() == [1, 4, "common_cause"]
    for name in ("no values", "one value"):
        assert np.isnan(table.loc[name, "lpl"]) and table.loc[name, "assurance"] is None
    assert table.loc["two values", "upl"] == pytest.approx(4.5 + 2.66)
    assert table.loc["eleven", "trial_limits"] and not table.loc["twelve", "trial_limits"]
    _assert_same(_table(frame), _one_by_one(frame))


def test_improvement_and_target_vary_by_series() -> None:
    frame = _long(
        {"up": [*ALTERNATING_1_3, 20], "down": [*ALTERNATING_1_3, 20], "neutral": [*ALTERNATING_1_3, 20]}
    )
    frame["improvement"] = frame.series.map({"up": "increase", "down": "decrease", "neutral": "neutral"})
    frame["target"] = frame.series.map({"up": -40.0, "down": -40.0, "neutral": 8.0})
    table = _table(frame).set_index("series")
    assert table.variation.tolist() == ["improvement_high", "concern_high", "neutral_high"]
    assert table.last_point_type.tolist() == [
        "special_cause_improvement",
        "special_cause_concern",
        "special_cause_neutral_high",
    ]
    assert _words(table.assurance) == ["consistent_pass", "consistent_fail", None]


def test_series_named_by_several_columns_and_no_target_column() -> None:
    frame = _long({"a": ALTERNATING_1_3, "b": [1, 2, 3, 4, 5, 6, 7], "c": [2.0]})
    frame["area"] = frame.series.map({"a": "Fenland", "b": "Fenland", "c": math.nan})
    frame["indicator"] = frame.series.map({"a": "C1", "b": "C2", "c": "C1"})
    by = ["area", "indicator"]
    table = spc_table.xmr_table(frame, by=by, order="month", value="value", improvement="improvement")
    assert list(table.columns) == [*by, *RESULTS]
    expected = _one_by_one(frame.assign(target=math.nan), by=by)
    _assert_same(table, expected)
    assert table.assurance.isna().all()


# Shapes and bad input --------------------------------------------------------------------------


def test_empty_table() -> None:
    empty = pd.DataFrame(columns=["series", "month", "value", "improvement", "target"])
    table = _table(empty)
    assert list(table.columns) == ["series", *RESULTS]
    assert table.empty


@pytest.mark.parametrize(
    ("changes", "options", "message"),
    [
        ({"improvement": "up"}, {}, "improvement"),
        ({}, {"run_length": 1}, "run_length"),
        ({}, {"trend_length": 0}, "trend_length"),
        ({"improvement": ["increase", "decrease", "increase"]}, {}, "same on every row"),
        ({"target": [1.0, 2.0, 1.0]}, {}, "same on every row"),
    ],
)
def test_bad_input_raises(changes: dict, options: dict, message: str) -> None:
    frame = _long({"a": [1.0, 2.0, 3.0]}, target=1.0).assign(**changes)
    with pytest.raises(ValueError, match=message):
        _table(frame, **options)
