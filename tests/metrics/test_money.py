"""Sterling rounding and display, as finance colleagues and the committee papers show it."""

from decimal import Decimal
from fractions import Fraction

import pytest

from metrics.money import format_pounds, round_half_up, to_pennies, to_pounds


def test_ccc_2025_26_split_shows_as_the_committee_paper_figures() -> None:
    assert format_pounds(Decimal("273783.24")) == "£273,783"
    assert format_pounds(Decimal("8852324.76")) == "£8,852,325"


def test_exports_show_pence() -> None:
    assert format_pounds(Decimal("273783.24"), pence=True) == "£273,783.24"
    assert format_pounds(Decimal("8852324.76"), pence=True) == "£8,852,324.76"
    assert format_pounds(Decimal(9126108), pence=True) == "£9,126,108.00"


def test_halves_round_up_not_to_even() -> None:
    # Python's round() and Decimal's default would give £273,782 and £0.12 (round half to even).
    assert round(Decimal("273782.5")) == 273782
    assert format_pounds(Decimal("273782.50")) == "£273,783"
    assert to_pennies(Decimal("0.125")) == Decimal("0.13")
    assert format_pounds(Decimal("0.125"), pence=True) == "£0.13"


def test_just_below_a_half_rounds_down() -> None:
    assert format_pounds(Decimal("273782.4999")) == "£273,782"
    assert to_pennies(Decimal("0.1249999")) == Decimal("0.12")


def test_negative_amounts_use_a_minus_sign_and_round_away_from_zero() -> None:
    assert format_pounds(Decimal("-1234.4")) == "\u2212£1,234"
    assert format_pounds(Decimal("-1234.5")) == "\u2212£1,235"
    assert format_pounds(Decimal("-1234.5"), pence=True) == "\u2212£1,234.50"


def test_an_amount_that_rounds_to_zero_has_no_sign() -> None:
    assert format_pounds(Decimal("-0.4")) == "£0"
    assert format_pounds(Decimal("-0.004"), pence=True) == "£0.00"
    assert format_pounds(Decimal(0)) == "£0"


def test_rounding_helpers_return_pennies_and_pounds() -> None:
    assert str(to_pennies(Decimal(5))) == "5.00"
    assert str(to_pounds(Decimal("8852324.76"))) == "8852325"
    assert round_half_up(Decimal("0.65"), 1) == Decimal("0.7")


def test_exact_fractions_are_rounded_once() -> None:
    assert to_pennies(Fraction(1, 3)) == Decimal("0.33")
    assert to_pennies(Fraction(1, 200)) == Decimal("0.01")
    assert to_pennies(Fraction(-1, 200)) == Decimal("-0.01")


def test_floats_are_refused_because_they_cannot_hold_pence_exactly() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        format_pounds(0.1 + 0.2)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_amounts_are_refused(amount: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        to_pennies(Decimal(amount))
