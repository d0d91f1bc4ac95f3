"""Display rounding: figures are shown rounded half-up on their decimal digits, as people and Excel round.

Python's ``round`` and ``format`` round the binary value half-to-even, so 88.25 shows as "88.2" but 88.35 as
"88.3", and a reader checking a figure by hand gets a different answer. Here the figure is taken at its
shortest decimal form (``repr``: 88.25 stays 88.25) and rounded half away from zero, so 88.25 shows as
"88.3" and 0.125 to two places as "0.13". Every figure the product shows goes through this one rule.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Context, Decimal

from metrics.money import round_half_up

QUICK_BELOW = 1e15
"""Figures smaller than this (in size), rounded to at most :data:`QUICK_PLACES` places, are rounded by
Decimal's own half-up quantize; the result never needs more than 35 digits, well inside
:data:`_CONTEXT`'s precision, so it is exact and equal to :func:`metrics.money.round_half_up`'s."""
QUICK_PLACES = 20
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)


@functools.cache
def _quantum(places: int) -> Decimal:
    """One unit in the last of ``places`` decimal places: 1 -> Decimal('0.1')."""
    return Decimal(1).scaleb(-places)


def half_up(value: float, places: int = 1) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimal places: 88.25 -> Decimal('88.3').

    The same Decimal (value, digits and exponent) as :func:`metrics.money.round_half_up` of the figure's
    shortest decimal form, which rounds everything else (huge figures, NaN and infinities, which it
    refuses); zero is returned without a sign, as there."""
    figure = float(value)
    if abs(figure) < QUICK_BELOW and 0 <= places <= QUICK_PLACES:
        rounded = Decimal(repr(figure)).quantize(_quantum(places), context=_CONTEXT)
        return rounded if rounded else rounded.copy_abs()
    return round_half_up(Decimal(repr(figure)), places)


def fixed(value: float, places: int = 1, *, thousands: bool = True) -> str:
    """``value`` written with ``places`` decimals, half-up: 10336.25 -> "10,336.3" ("10336.3" without
    ``thousands``). Negative zero is written without its sign."""
    rounded = half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{places}f}" if thousands else f"{rounded:.{places}f}"
