"""HTML attributes that Dash components accept but do not declare: ``aria-*``, ``data-*`` and ``role``-like
names with hyphens, which Python keywords cannot spell.

Dash passes any ``aria-*`` or ``data-*`` keyword through to the element (its "wildcard" properties), but its
typed signatures do not list them, so ``html.Div(**{"aria-label": text})`` reads to a type checker as a
mistyped argument. :func:`extra` says what these are: attributes for the element, passed through as given.
"""

from __future__ import annotations

from typing import Any


def extra(attributes: dict[str, str | int | bool | None]) -> dict[str, Any]:
    """``attributes`` (``{"aria-label": "Filters", "data-indicator": "x"}``) to spread into a component:
    ``html.Div(children, **extra({"aria-label": "Filters"}))``. Only ``aria-*`` and ``data-*`` names."""
    wrong = [name for name in attributes if not name.startswith(("aria-", "data-"))]
    if wrong:
        raise ValueError(f"only aria-* and data-* attributes go through extra(), not {', '.join(wrong)}")
    return dict(attributes)
