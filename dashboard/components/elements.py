"""HTML components built quickly, for pages that build thousands of them (the scorecard's tables).

Building a Dash component checks each keyword as it is given (and builds an error message for it in
advance, and fresh lists of every property name), about 25 µs a component: the scorecard's 243 rows
have about 7,000 components. :func:`element` builds the same component, of the same class, with the same
properties, so the browser gets the same JSON and tests read the same tree, by setting the properties
directly, after checking their names as Dash does.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from dash.development.base_component import Component

C = TypeVar("C", bound=Component)


@functools.cache
def _blank(kind: type[Component]) -> tuple[dict[str, Any], frozenset[str], tuple[str, ...]]:
    """The attributes Dash gives every ``kind`` it builds (its property names and the like, and no
    children), the names of its properties and the prefixes of the attributes it also takes ("data-")."""
    blank = kind()
    return dict(vars(blank)), frozenset(blank._prop_names), tuple(blank._valid_wildcard_attributes)


def element(kind: type[C], children: Any = None, /, **properties: Any) -> C:
    """``kind(children, **properties)``, built without Dash's per-call checks: the same component.

    ``properties`` are given as to Dash (``className=...``, ``**extra({"aria-hidden": "true"})``); a name
    ``kind`` does not have is refused with TypeError, as Dash refuses it.
    """
    attributes, names, wildcards = _blank(kind)
    if not names.issuperset(properties):
        unknown = [name for name in properties if name not in names and not name.startswith(wildcards)]
        if unknown:
            raise TypeError(f"{kind.__name__} has no property {', '.join(unknown)}")
    component = kind.__new__(kind)
    component.__dict__.update(attributes)
    component.__dict__["children"] = children
    component.__dict__.update(properties)
    return component
