"""Figures as plain data: the JSON a Plotly graph-object figure turns into, built without the graph objects.

Building a figure from graph objects checks every property as it is set, which took most of the time the
indicator page spent on its charts; the browser is sent the same JSON either way. A plain figure carries
Plotly's default template (the product's, :mod:`dashboard.theme`) itself, as a graph-object figure does,
and a trace leaves out the properties given as None, as a graph object does.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.io as pio


def template() -> dict | None:
    """Plotly's default template (the product's, :mod:`dashboard.theme`, once the app has registered it) as
    plain data, as a graph-object figure takes it; None when there is no default."""
    name = pio.templates.default
    return _template(name) if name else None


@functools.cache
def _template(name: str) -> dict:
    """The template ``name`` as plain data (one copy, shared by every figure: never changed)."""
    return pio.templates[name].to_plotly_json()


def trace(kind: str, **properties: Any) -> dict:
    """A trace of type ``kind`` ("scatter", "bar", "choropleth", "scattergeo") with the properties given,
    leaving out any given as None."""
    return {"type": kind, **{name: value for name, value in properties.items() if value is not None}}


def figure(data: Sequence[dict], layout: Mapping[str, Any]) -> dict:
    """A figure of the traces ``data`` with ``layout``, carrying the product's template. An empty list of
    shapes or annotations is left out, as a graph-object figure leaves it out."""
    kept = {key: value for key, value in layout.items() if not (isinstance(value, list) and not value)}
    styled = template()
    return {"data": list(data), "layout": kept if styled is None else {"template": styled, **kept}}


def updated(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict:
    """``base`` with ``changes`` merged in as Plotly's ``update_layout`` merges them (a dict into a dict, key
    by key; anything else replaces), as a new dict: ``base`` and the template it holds are left as they
    were."""
    merged = dict(base)
    for key, value in changes.items():
        current = merged.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[key] = updated(current, value)
        else:
            merged[key] = value
    return merged


def with_layout(plain: Mapping[str, Any], **changes: Any) -> dict:
    """The figure ``plain`` with ``changes`` merged into its layout (see :func:`updated`)."""
    return {**plain, "layout": updated(plain["layout"], changes)}
