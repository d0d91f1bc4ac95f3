"""Funnel plot limits and outliers against PHEindicatormethods' own funnel test data, and the rules a reader
relies on: the funnel agrees with the Fingertips comparison with England."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics import funnel, stats

REFERENCE = Path(__file__).parents[1] / "reference" / "PHEindicatormethods"
PROPORTION_INPUTS = pd.read_csv(REFERENCE / "testdata_funnel_prop_inputs.csv", encoding="utf-8-sig")
PROPORTION_LIMITS = pd.read_csv(REFERENCE / "testdata_funnel_prop_outputs.csv", encoding="utf-8-sig")
PROPORTION_LIMITS_SMALL = pd.read_csv(
    REFERENCE / "testdata_funnel_prop_outputs_with_axis_variation.csv", encoding="utf-8-sig"
)
RATE_INPUTS = pd.read_csv(REFERENCE / "testdata_funnel_rate_input_funnels.csv")
RATE_LIMITS = pd.read_csv(REFERENCE / "testdata_funnel_rate_outputs.csv")
RATE_OUTLIERS = pd.read_csv(REFERENCE / "testdata_funnel_rate_dsr_inputs.csv")

PROPORTION_ABS = 1e-6
"""The workbook prints proportion limits to 6 decimal places."""
RATE_REL = 1e-4
"""The reference finds the exact Poisson limits by bisection, stopping at a step of 1e-7 on the odds scale;
at one event that leaves a relative error of up to 5e-5 in the 99.8% curve, so the exact values here are
compared at 1e-4 (every other row agrees to 1e-6)."""
WORDS = {
    "high_998": "High (0.001)",
    "high_95": "High (0.025)",
    "within": "Not significant",
    "low_95": "Low (0.025)",
    "low_998": "Low (0.001)",
    "not assessed": "Not applicable for events less than 10 for dsrs",
}
"""The reference's significance words for each outcome."""


def _assert_proportion_limits(limits: funnel.Limits, expected: pd.DataFrame) -> None:
    np.testing.assert_array_equal(limits.x, expected["Population"])
    for mine, theirs in (
        (limits.lower95, "Lower2s0025limit"),
        (limits.upper95, "Upper2s0025limit"),
        (limits.lower998, "Lower3s0001limit"),
        (limits.upper998, "Upper3s0001limit"),
    ):
        np.testing.assert_allclose(mine, expected[theirs], rtol=0, atol=PROPORTION_ABS, err_msg=theirs)
    assert limits.baseline == pytest.approx(expected["Baseline"].iloc[0], abs=PROPORTION_ABS)


def test_proportion_limits_match_the_reference_over_its_own_axis():
    inputs = PROPORTION_INPUTS
    average = funnel.pooled_average(inputs["numerator"], inputs["denominator"])
    _assert_proportion_limits(funnel.proportion_funnel(inputs["denominator"], average), PROPORTION_LIMITS)


def test_proportion_axis_starts_near_the_smallest_area_when_areas_are_of_similar_size():
    inputs = PROPORTION_INPUTS[PROPORTION_INPUTS["denominator"] < 31000]
    average = funnel.pooled_average(inputs["numerator"], inputs["denominator"])
    limits = funnel.proportion_funnel(inputs["denominator"], average)
    assert limits.x[0] == 10000  # not 0: the largest area is less than twice the smallest
    _assert_proportion_limits(limits, PROPORTION_LIMITS_SMALL)


def test_every_area_is_placed_on_the_proportion_funnel_as_the_reference_places_it():
    inputs = PROPORTION_INPUTS
    average = funnel.pooled_average(inputs["numerator"], inputs["denominator"])
    outcomes = funnel.proportion_outcomes(inputs["numerator"], inputs["denominator"], average)
    assert [WORDS[o] for o in outcomes] == list(inputs["significance"])
    assert {"high_998", "high_95", "within", "low_95", "low_998"} <= set(outcomes)


def test_rate_curves_match_the_reference_for_standardised_rates_over_three_years():
    inputs = RATE_INPUTS
    populations = funnel.derived_denominators(
        inputs["ev"], inputs["rate"], inputs["pop"], 1e5, standardised=True
    )
    average = funnel.pooled_average(inputs["ev"], populations)
    limits = funnel.rate_funnel(populations, average, 1e5, years_of_data=3)
    np.testing.assert_array_equal(limits.x, RATE_LIMITS["Events"])
    for mine, theirs in (
        (limits.lower95, "lower_2s_limit"),
        (limits.upper95, "upper_2s_limit"),
        (limits.lower998, "lower_3s_limit"),
        (limits.upper998, "upper_3s_limit"),
        (limits.x_lower95, "lower_2s_population_1_year"),
        (limits.x_upper95, "upper_2s_population_1_year"),
        (limits.x_lower998, "lower_3s_population_1_year"),
        (limits.x_upper998, "upper_3s_population_1_year"),
    ):
        np.testing.assert_allclose(mine, RATE_LIMITS[theirs], rtol=RATE_REL, err_msg=theirs)
    assert limits.baseline == pytest.approx(RATE_LIMITS["baseline"].iloc[0], rel=1e-9)


CASES = [
    (rate, multiplier, standardised, f"{column}_{zeros}", zeros == "with_0")
    for rate, multiplier, standardised, column in (
        ("rate_dsr", 1e5, True, "dsr_per_100000"),
        ("rate_dsr", 100, True, "dsr_per_100"),
        ("rate_crude_per_100000", 1e5, False, "crude_per_100000"),
        ("rate_crude_per_100", 100, False, "crude_per_100"),
    )
    for zeros in ("with_0", "without_0")
]


@pytest.mark.parametrize(("rate", "multiplier", "standardised", "expected", "with_zero"), CASES)
def test_every_area_is_placed_on_the_rate_funnel_as_the_reference_places_it(
    rate, multiplier, standardised, expected, with_zero
):
    inputs = RATE_OUTLIERS if with_zero else RATE_OUTLIERS[RATE_OUTLIERS["count"] != 0]
    populations = funnel.derived_denominators(
        inputs["count"], inputs[rate], inputs["pop"], multiplier, standardised=standardised
    )
    average = funnel.pooled_average(inputs["count"], populations)
    outcomes = funnel.rate_outcomes(inputs["count"], populations, average, standardised=standardised)
    assert [WORDS[o] for o in outcomes] == list(inputs[expected])


def test_a_standardised_rate_from_fewer_than_ten_events_is_not_assessed_but_a_crude_one_is():
    assert funnel.rate_outcomes([5], [10_000], 0.0001, standardised=True) == ["not assessed"]
    # 5 events among 10,000 against 1 in 10,000: the exact 95% interval (1.6 to 11.7 events) excludes 1.
    assert funnel.rate_outcomes([5], [10_000], 0.0001) == ["high_95"]


def test_hand_checked_proportion_limits():
    """50% benchmark, 100 people: the Wilson 95% interval of 40 of 100 is 30.9% to 49.8%, which misses 50%,
    and of 41 of 100 is 31.9% to 50.8%, which holds it; so the lower 95% limit lies between 40% and 41%: at
    40.2%, whose Wilson upper limit is 50.0%. At 99.8% (z 3.09) it is 34.5%, whose 99.8% upper limit is 50%.
    The limits are symmetric about 50%."""
    limits = funnel.proportion_limits([100], 0.5)
    assert limits.lower95[0] == pytest.approx(40.20, abs=0.005)
    assert limits.upper95[0] == pytest.approx(59.80, abs=0.005)
    assert limits.lower998[0] == pytest.approx(34.55, abs=0.005)
    assert stats.proportion_ci(limits.lower95[0], 100)[1] == pytest.approx(50)
    assert stats.proportion_ci(limits.lower998[0], 100, confidence=0.998)[1] == pytest.approx(50)
    outcomes = funnel.proportion_outcomes([40, 41, 34, 35, 66], [100] * 5, 0.5)
    assert outcomes == ["low_95", "within", "low_998", "low_95", "high_998"]


@pytest.mark.parametrize("average", [0.05, 0.3, 0.8])
def test_the_funnel_agrees_with_the_fingertips_comparison_with_the_benchmark(average):
    """An area is outside the 95% funnel exactly when the benchmark is outside the area's own Wilson 95%
    interval, so the funnel plot and "better/worse than England" never disagree."""
    rng = np.random.default_rng(7)
    n = rng.integers(20, 5000, 300)
    x = rng.binomial(n, average * rng.uniform(0.8, 1.2, 300))
    outcomes = funnel.proportion_outcomes(x, n, average)
    lower, upper = stats.proportion_ci_arrays(x, n, confidence=0.95, multiplier=1)
    outside = (average < lower) | (average > upper)
    assert [o != "within" for o in outcomes] == list(outside)


def test_missing_or_impossible_figures_are_not_assessed_rather_than_stopping_the_plot():
    assert funnel.proportion_outcomes([5, 12, None], [10, 10, 10], 0.5) == [
        "within",
        "not assessed",
        "not assessed",
    ]
    assert funnel.rate_outcomes([None, 3], [100, 0], 0.01) == ["not assessed", "not assessed"]


def test_rate_limits_at_a_population_lie_on_the_curves_the_reference_draws():
    """The table's limits at each area's population are the plotted curves read at that population."""
    curves = funnel.rate_limits(np.array([1.0, 5, 20, 100, 1000]), 0.001, 1000)
    for side in ("lower95", "upper95", "lower998", "upper998"):
        populations = getattr(curves, f"x_{side}")
        at = funnel.rate_limits_at(populations, 0.001, 1000)
        np.testing.assert_allclose(getattr(at, side), getattr(curves, side), rtol=1e-8, err_msg=side)


def test_a_small_population_has_no_lower_rate_limit():
    """100 people at 1 per 1,000 expect 0.1 events: even none is within chance, so the lower limit is 0."""
    at = funnel.rate_limits_at([100], 0.001, 1000)
    assert at.lower95[0] == 0
    assert at.upper95[0] > 10
