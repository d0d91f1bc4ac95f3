"""Benchmark comparison: the benchmark must lie strictly outside the area's confidence interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from metrics import compare


@pytest.mark.parametrize(
    ("benchmark", "polarity", "expected"),
    [
        (5, "higher_is_better", "better"),  # area (10 to 20) is above the benchmark
        (25, "higher_is_better", "worse"),
        (15, "higher_is_better", "similar"),
        (5, "lower_is_better", "worse"),
        (25, "lower_is_better", "better"),
        (15, "lower_is_better", "similar"),
        (5, "no_judgement", "higher"),
        (25, "no_judgement", "lower"),
        (15, "no_judgement", "similar"),
        (10, "higher_is_better", "similar"),  # equal to a limit is not outside the interval
        (20, "lower_is_better", "similar"),
    ],
)
def test_benchmark(benchmark: float, polarity: str, expected: str) -> None:
    assert compare.benchmark(lower=10, upper=20, benchmark=benchmark, polarity=polarity) == expected


@pytest.mark.parametrize(
    ("lower", "upper", "benchmark"), [(None, 20, 5), (10, math.nan, 5), (10, 20, None), (10, 20, pd.NA)]
)
def test_missing_input_is_not_compared(lower, upper, benchmark) -> None:
    assert (
        compare.benchmark(lower=lower, upper=upper, benchmark=benchmark, polarity="higher_is_better")
        == "not compared"
    )


def test_bad_polarity_or_reversed_limits_raise() -> None:
    with pytest.raises(ValueError, match="polarity must be one of"):
        compare.benchmark(lower=10, upper=20, benchmark=5, polarity="up")
    with pytest.raises(ValueError, match="lower limit 20 is above upper limit 10"):
        compare.benchmark(lower=20, upper=10, benchmark=5, polarity="no_judgement")


def test_benchmark_many_keeps_the_index_and_accepts_a_polarity_per_row() -> None:
    lower = pd.Series([10, 10, np.nan, 10, 20], index=list("abcde"))
    labels = compare.benchmark_many(
        lower,
        [20, 20, 20, 20, 10],
        [5, 25, 5, 15, 15],
        ["higher_is_better", "lower_is_better", "no_judgement", "no_judgement", "no_judgement"],
    )
    assert labels.to_dict() == {
        "a": "better",
        "b": "better",
        "c": "not compared",
        "d": "similar",
        "e": "not compared",
    }


def test_benchmark_many_with_one_polarity_returns_an_array() -> None:
    labels = compare.benchmark_many([1, 1], [2, 2], [0, 3], "higher_is_better")
    assert isinstance(labels, np.ndarray)
    assert labels.tolist() == ["better", "worse"]
