"""Properties that must hold for any input: limits ordered and containing the value, proportions in range."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from metrics import compare, spc, stats

CONFIDENCE = st.sampled_from([0.9, 0.95, 0.99, 0.998])
MULTIPLIER = st.sampled_from([1, 100, 1000, 100_000])


@st.composite
def numerator_and_denominator(draw: st.DrawFn) -> tuple[int, int]:
    denominator = draw(st.integers(min_value=1, max_value=10**9))
    return draw(st.integers(min_value=0, max_value=denominator)), denominator


@given(numerator_and_denominator(), CONFIDENCE, MULTIPLIER)
def test_proportion_limits_contain_value_and_stay_in_range(pair, confidence, multiplier) -> None:
    numerator, denominator = pair
    lower, upper = stats.proportion_ci(numerator, denominator, confidence=confidence, multiplier=multiplier)
    value = numerator / denominator * multiplier
    assert 0 <= lower <= value <= upper <= multiplier


@given(
    st.integers(min_value=0, max_value=10**8), st.floats(min_value=0.5, max_value=1e9), CONFIDENCE, MULTIPLIER
)
def test_rate_limits_contain_value(count, denominator, confidence, multiplier) -> None:
    lower, upper = stats.rate_ci(count, denominator, confidence=confidence, multiplier=multiplier)
    value = count / denominator * multiplier
    assert 0 <= lower <= value <= upper


@given(st.lists(numerator_and_denominator(), min_size=1, max_size=20), CONFIDENCE)
def test_array_form_equals_scalar_form(pairs, confidence) -> None:
    numerators, denominators = zip(*pairs, strict=True)
    lower, upper = stats.proportion_ci_arrays(numerators, denominators, confidence=confidence)
    expected = [stats.proportion_ci(n, d, confidence=confidence) for n, d in pairs]
    np.testing.assert_allclose(np.column_stack([lower, upper]), expected, rtol=1e-12)


@given(
    st.lists(st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6)), max_size=40),
    st.sampled_from(spc.IMPROVEMENTS),
)
def test_spc_limits_ordered_and_one_type_per_point(values, improvement) -> None:
    result = spc.xmr(values, improvement=improvement)
    assert len(result.point_types) == len(values)
    if sum(v is not None for v in values) >= 2:
        assert result.lpl <= result.mean <= result.upl
    for value, point_type in zip(values, result.point_types, strict=True):
        if value is None:
            assert point_type == "common_cause"


LIMIT = st.floats(min_value=-1e6, max_value=1e6)


@given(LIMIT, LIMIT, LIMIT, st.sampled_from(compare.POLARITIES))
def test_benchmark_inside_interval_is_similar(a, b, benchmark, polarity) -> None:
    lower, upper = min(a, b), max(a, b)
    label = compare.benchmark(lower=lower, upper=upper, benchmark=benchmark, polarity=polarity)
    assert (label == "similar") == (lower <= benchmark <= upper)
