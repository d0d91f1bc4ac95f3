"""Money arithmetic and display.

Amounts are Decimal pounds. Rounding is half-up: halves go away from zero, as Excel's ROUND does
and as finance colleagues expect, never Python's default round-half-to-even ("banker's rounding"),
which would turn £0.125 into £0.12. Screens show whole pounds; exports show pence.
"""

from decimal import Decimal
from fractions import Fraction

_MINUS_SIGN = "\u2212"


def round_half_up(amount: Decimal | Fraction, places: int) -> Decimal:
    """Round `amount` to `places` decimal places, halves away from zero, exactly.

    A Fraction is accepted so that an exact intermediate result (a third of a KPI's money, say)
    is rounded once, at the end, instead of first being cut to Decimal's working precision.
    """
    exact = _exact(amount) * Fraction(10) ** places
    whole, remainder = divmod(abs(exact.numerator), exact.denominator)
    if 2 * remainder >= exact.denominator:
        whole += 1
    sign = "-" if exact < 0 and whole else ""
    return Decimal(f"{sign}{whole}E{-places}")


def to_pennies(amount: Decimal | Fraction) -> Decimal:
    """Round `amount` to the penny, half-up: 0.125 -> 0.13."""
    return round_half_up(amount, 2)


def to_pounds(amount: Decimal | Fraction) -> Decimal:
    """Round `amount` to the whole pound, half-up: 273783.50 -> 273784."""
    return round_half_up(amount, 0)


def format_pounds(amount: Decimal, *, pence: bool = False) -> str:
    """Show `amount` as sterling: "£273,783" (whole pounds, half-up) or "£273,783.24" with pence.

    Negative amounts use a true minus sign, "−£1,234", which screen readers announce as minus.
    An amount that rounds to zero is shown without a sign.
    """
    rounded = to_pennies(amount) if pence else to_pounds(amount)
    text = f"£{rounded.copy_abs():,.{2 if pence else 0}f}"
    return _MINUS_SIGN + text if rounded < 0 else text


def _exact(amount: Decimal | Fraction) -> Fraction:
    """`amount` as an exact fraction, refusing floats and non-finite values, which cannot be money."""
    if isinstance(amount, (float, bool)):
        raise TypeError(
            f"Money must be a Decimal, not {type(amount).__name__}: floats cannot hold pence exactly"
        )
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValueError(f"Money must be a finite amount, got {amount}")
    return Fraction(amount)
