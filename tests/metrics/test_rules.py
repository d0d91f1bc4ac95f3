"""The product's judgement rules, each kept once in metrics/: SPC minimum points, polarity to improvement,
trend reasons, direction of travel and display rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from metrics import rounding, spc, travel, trend


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (88.25, 1, "88.3"),  # Python's round() gives 88.2 (the binary value is just below .25)
        (88.35, 1, "88.4"),
        (0.125, 2, "0.13"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (-0.04, 1, "0.0"),  # never "-0.0"
        (10336.25, 1, "10,336.3"),
    ],
)
def test_figures_round_half_up_on_their_decimal_digits(value, places, expected):
    assert rounding.fixed(value, places) == expected


def test_half_up_returns_an_exact_decimal():
    assert rounding.half_up(88.25, 1) == Decimal("88.3")
    assert rounding.fixed(1234.5, 1, thousands=False) == "1234.5"


def _many_figures() -> list[float]:
    """Halves at every place, negatives, zeros, tiny and huge figures, and random ones at many scales."""
    import random

    chosen = random.Random(2026)
    figures = [
        0.0,
        -0.0,
        0.05,
        -0.05,
        0.045,
        1e-20,
        -1e-20,
        1e15 + 0.5,
        1e300,
        -1e300,
        5e-324,
        1.7976931348623157e308,
    ]
    figures += [whole / 2 for whole in range(-41, 42)]
    figures += [n / 1000 + 0.0005 for n in range(-2000, 2000, 7)]
    figures += [chosen.uniform(-1, 1) * 10 ** chosen.randint(-8, 16) for _ in range(20_000)]
    figures += [round(chosen.uniform(-1000, 1000), chosen.randint(0, 4)) for _ in range(20_000)]
    return figures


def test_half_up_gives_exactly_what_the_exact_rule_gives():
    from metrics.money import round_half_up

    for figure in _many_figures():
        for places in (0, 1, 2, 3):
            exact = round_half_up(Decimal(repr(figure)), places)
            quick = rounding.half_up(figure, places)
            assert (str(quick), quick.as_tuple()) == (str(exact), exact.as_tuple()), (figure, places)


def test_half_up_refuses_what_is_not_a_figure_as_the_exact_rule_does():
    for figure in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError, match="finite"):
            rounding.half_up(figure, 1)


@pytest.mark.parametrize(
    ("polarity", "improvement"),
    [("higher_is_better", "increase"), ("lower_is_better", "decrease"), ("no_judgement", "neutral")],
)
def test_polarity_sets_the_spc_direction_of_improvement(polarity, improvement):
    assert spc.improvement_for(polarity) == improvement


def test_an_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polarity must be one of"):
        spc.improvement_for("up")


def test_spc_is_judged_from_five_figures():
    assert spc.MIN_POINTS == 5
    assert not spc.is_judged(4)
    assert spc.is_judged(5)


def test_every_trend_reason_has_a_plain_english_explanation():
    for reason in trend.TrendReason:
        assert reason.explanation.endswith(".")
        assert reason.explanation[0].isupper()
    assert trend.TrendReason("not enough data points").explanation == "It needs at least five figures."


def test_trend_reasons_come_back_as_the_enum_from_both_forms():
    one = trend.recent_trend(polarity="higher_is_better", values=[1, 2], lower95=[0, 1], upper95=[2, 3])
    assert one.reason is trend.TrendReason.NOT_ENOUGH
    import pandas as pd

    frame = pd.DataFrame(
        {
            "code": ["a", "a"],
            "period": [1, 2],
            "polarity": "higher_is_better",
            "method": "other",
            "count": None,
            "denominator": None,
            "value": [1.0, 2.0],
            "lower95": [0.0, 1.0],
            "upper95": [2.0, 3.0],
        }
    )
    table = trend.recent_trend_table(
        frame,
        by="code",
        period="period",
        polarity="polarity",
        method="method",
        numerator="count",
        denominator="denominator",
        value="value",
        lower95="lower95",
        upper95="upper95",
    )
    assert table["reason"].iloc[0] is trend.TrendReason.NOT_ENOUGH


def test_direction_of_travel_uses_spc_only_when_it_is_judged():
    assert travel.is_improving("increasing and getting better", None, 0)
    assert travel.is_improving("no significant change", "improvement_high", 5)
    assert not travel.is_improving("no significant change", "improvement_high", 4)
    assert travel.is_worsening("decreasing and getting worse", "common_cause", 9)
    assert travel.is_worsening("cannot be calculated", "concern_low", 12)
    assert not travel.is_worsening("increasing", "neutral_high", 12)
