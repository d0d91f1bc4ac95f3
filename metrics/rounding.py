"""Display rounding: figures are shown rounded half-up on their decimal digits, as people and Excel round.

Python's ``round`` and ``format`` round the binary value half-to-even, so 88.25 shows as "88.2" but 88.35 as
"88.3", and a reader checking a figure by hand gets a different answer. Here the figure is taken at its
shortest decimal form (``repr``: 88.25 stays 88.25) and rounded half away from zero, so 88.25 shows as
"88.3" and 0.125 to two places as "0.13". Every figure the product shows goes through this one rule.
"""

from __future__ import annotations

from decimal import Decimal

from metrics.money import round_half_up


def half_up(value: float, places: int = 1) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimal places: 88.25 -> Decimal('88.3')."""
    return round_half_up(Decimal(repr(float(value))), places)


def fixed(value: float, places: int = 1, *, thousands: bool = True) -> str:
    """``value`` written with ``places`` decimals, half-up: 10336.25 -> "10,336.3" ("10336.3" without
    ``thousands``). Negative zero is written without its sign."""
    rounded = half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{places}f}" if thousands else f"{rounded:.{places}f}"
