"""Target status: green, amber, red or not assessed, by value or by confidence interval."""

from __future__ import annotations

import math

import pytest

from metrics import rag, stats


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (95, "higher_is_better", "green"),  # meeting the target exactly is green
        (97, "higher_is_better", "green"),
        (92, "higher_is_better", "amber"),
        (90, "higher_is_better", "amber"),
        (89.9, "higher_is_better", "red"),
        (5, "lower_is_better", "green"),
        (7, "lower_is_better", "amber"),
        (10, "lower_is_better", "amber"),
        (10.1, "lower_is_better", "red"),
    ],
)
def test_status_by_value(value: float, polarity: str, expected: str) -> None:
    target, amber = (95, 90) if polarity == "higher_is_better" else (5, 10)
    assert rag.target_status(value, target=target, polarity=polarity, amber_threshold=amber) == expected


def test_without_amber_threshold_short_of_target_is_red() -> None:
    assert rag.target_status(94.9, target=95, polarity="higher_is_better") == "red"


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        (95, 99, "higher_is_better", "green"),  # whole interval meets the target
        (80, 97, "higher_is_better", "amber"),  # small numbers: short, but not significantly
        (80, 94, "higher_is_better", "red"),
        (1, 5, "lower_is_better", "green"),
        (3, 9, "lower_is_better", "amber"),
        (6, 9, "lower_is_better", "red"),
    ],
)
def test_status_by_confidence_interval(lower: float, upper: float, polarity: str, expected: str) -> None:
    target = 95 if polarity == "higher_is_better" else 5
    status = rag.target_status(
        (lower + upper) / 2,
        target=target,
        polarity=polarity,
        amber_threshold=None,
        lower=lower,
        upper=upper,
        use_ci=True,
    )
    assert status == expected


def test_interval_stops_small_numbers_going_red_on_noise() -> None:
    """90% against a 95% target: 9 of 10 is amber (interval 59.6% to 98.2%), 900 of 1,000 is red."""
    for numerator, denominator, expected in ((9, 10, "amber"), (900, 1000, "red")):
        lower, upper = stats.proportion_ci(numerator, denominator)
        assert rag.target_status(90, target=95, polarity="higher_is_better") == "red"
        assert (
            rag.target_status(
                90, target=95, polarity="higher_is_better", lower=lower, upper=upper, use_ci=True
            )
            == expected
        )


@pytest.mark.parametrize(
    ("value", "target", "polarity", "kwargs"),
    [
        (90, 95, "no_judgement", {}),
        (None, 95, "higher_is_better", {}),
        (math.nan, 95, "higher_is_better", {}),
        (90, None, "higher_is_better", {}),
        (90, 95, "higher_is_better", {"use_ci": True, "lower": None, "upper": 96}),
    ],
)
def test_not_assessed(value, target, polarity: str, kwargs: dict) -> None:
    assert rag.target_status(value, target=target, polarity=polarity, **kwargs) == "not assessed"


def test_amber_threshold_on_the_better_side_raises() -> None:
    with pytest.raises(ValueError, match="amber threshold 97 is on the better side of target 95"):
        rag.target_status(90, target=95, polarity="higher_is_better", amber_threshold=97)


def test_target_status_many() -> None:
    statuses = rag.target_status_many(
        [97, 92, 80, None], target=95, polarity="higher_is_better", amber_threshold=90
    )
    assert statuses.tolist() == ["green", "amber", "red", "not assessed"]


def test_small_numbers_are_fewer_than_10_with_or_without_the_outcome():
    small = rag.small_numbers_many(
        [9, 10, 36, 1530, 5, 12, float("nan")],
        [100, 100, 40, 1700, float("nan"), float("nan"), 100],
        ["proportion", "proportion", "proportion", "proportion", "rate", "rate", "proportion"],
    )
    # 9 with the outcome; 10 and 90; 36 with but 4 without; neither small; 5 events; 12 events; no count.
    assert small.tolist() == [True, False, True, False, True, False, False]
