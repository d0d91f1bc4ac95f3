"""Display rounding: figures are shown rounded half-up on their decimal digits, as people and Excel round.

Python's ``round`` and ``format`` round the binary value half-to-even, so 88.25 shows as "88.2" but 88.35 as
"88.3", and a reader checking a figure by hand gets a different answer. Here the figure is taken at its
shortest decimal form (``repr``: 88.25 stays 88.25) and rounded half away from zero, so 88.25 shows as
"88.3" and 0.125 to two places as "0.13". Every figure the product shows goes through this one rule.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from metrics.money import round_half_up

_EXACT = Context(prec=40, rounding=ROUND_HALF_UP, traps=[InvalidOperation])
"""Room for any float's shortest form at display places; anything else is left to the exact rule."""


def half_up(value: float, places: int = 1) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimal places: 88.25 -> Decimal('88.3').

    Decimal's own half-up rounding of the shortest form gives the figure directly (a zero without its sign,
    as :func:`metrics.money.round_half_up` writes it); a figure it cannot hold (too many digits, not finite)
    is left to :func:`~metrics.money.round_half_up`, which rounds it exactly or refuses it."""
    shortest = Decimal(repr(float(value)))
    if shortest.is_finite():
        try:
            rounded = shortest.quantize(Decimal(1).scaleb(-places), context=_EXACT)
        except InvalidOperation:
            return round_half_up(shortest, places)
        return rounded.copy_abs() if rounded.is_zero() else rounded
    return round_half_up(shortest, places)


def fixed(value: float, places: int = 1, *, thousands: bool = True) -> str:
    """``value`` written with ``places`` decimals, half-up: 10336.25 -> "10,336.3" ("10336.3" without
    ``thousands``). Negative zero is written without its sign."""
    rounded = half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{places}f}" if thousands else f"{rounded:.{places}f}"
