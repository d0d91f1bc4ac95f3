"""Display rounding's quick path (Decimal's half-up quantize) gives exactly what the exact rule gives: the
figure's shortest decimal form rounded half away from zero by :func:`metrics.money.round_half_up`, the same
Decimal digit for digit, and so the same text on every page."""

from __future__ import annotations

import itertools
import math
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics import rounding
from metrics.money import round_half_up

PLACES = (0, 1, 2, 3)


def exact(value: float, places: int) -> Decimal:
    """The rule as written: the shortest decimal form, rounded half-up exactly with fractions."""
    return round_half_up(Decimal(repr(float(value))), places)


def assert_same(value: float, places: int) -> None:
    quick, reference = rounding.half_up(value, places), exact(value, places)
    assert quick.as_tuple() == reference.as_tuple(), (value, places, quick, reference)
    assert rounding.fixed(value, places) == _fixed_exactly(value, places), (value, places)


def _fixed_exactly(value: float, places: int) -> str:
    rounded = exact(value, places)
    return f"{abs(rounded) if rounded == 0 else rounded:,.{places}f}"


def _halves() -> list[float]:
    """Figures written with a trailing 5 (the halves of every rounding), either side of zero."""
    values = [2.675, 0.125, 88.25, 88.35, 1.005, 0.5, 1.5, 2.5, 0.045, 10336.25, 999.95, 9999.5, 99999.95]
    values += [int(k) / 1000 + 0.0005 for k in range(0, 3000, 7)]
    values += [k / 10 + 0.05 for k in range(0, 2000, 3)]
    values += [k + 0.5 for k in range(0, 500)]
    values += [float(f"{k}.{d}5") for k in (0, 1, 12, 123, 1234, 12345, 123456789) for d in range(0, 100)]
    return values + [-v for v in values]


def _magnitudes() -> list[float]:
    """Big, tiny and ordinary figures, and the edges of the quick path."""
    values = [0.0, -0.0, 1e-300, 5e-324, 1e-7, -1e-7, 0.04, -0.04, 0.05, -0.05, 0.95, -0.95, 1e14, 1e15, 1e16]
    values += [10.0**e for e in range(-20, 25)] + [1.23456789 * 10.0**e for e in range(-12, 22)]
    values += [rounding.QUICK_BELOW * f for f in (0.999999, 1.0, 1.000001)]
    values += [123456789012345.6, 999999999999999.9, 1e300, 1.7976931348623157e308]
    return values + [-v for v in values]


@pytest.mark.parametrize("places", PLACES)
def test_halves_round_exactly_as_the_exact_rule(places: int) -> None:
    for value in _halves():
        assert_same(value, places)


@pytest.mark.parametrize("places", PLACES)
def test_big_tiny_and_edge_figures_round_exactly_as_the_exact_rule(places: int) -> None:
    for value in _magnitudes():
        assert_same(value, places)


def test_random_figures_round_exactly_as_the_exact_rule() -> None:
    generator = random.Random(20261130)
    for places, _ in itertools.product(PLACES, range(5000)):
        value = generator.uniform(-1, 1) * 10 ** generator.uniform(-6, 17)
        assert_same(value, places)
        assert_same(round(value, generator.randint(0, 4)), places)


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=0, max_value=6))
def test_any_finite_figure_rounds_exactly_as_the_exact_rule(value: float, places: int) -> None:
    assert_same(value, places)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_figures_that_are_not_finite_are_refused_as_before(value: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        rounding.half_up(value, 1)
    with pytest.raises(ValueError, match="finite"):
        exact(value, 1)


def test_zero_has_no_sign() -> None:
    assert str(rounding.half_up(-0.04, 1)) == "0.0" and str(rounding.half_up(-0.0, 0)) == "0"
    assert str(rounding.half_up(-0.05, 1)) == "-0.1"


def test_figures_given_as_decimals_or_integers_round_as_floats() -> None:
    assert rounding.half_up(Decimal("2.675"), 2) == Decimal("2.68")
    assert rounding.half_up(7, 1).as_tuple() == Decimal("7.0").as_tuple()
