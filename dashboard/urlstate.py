"""The filters that define a view (area, period, framework, ...) live in the URL, so a link reproduces it.

:func:`parse` reads a query string (or the keyword arguments Dash passes a page's ``layout``) and keeps
only the filters a page knows with values from its allowed lists; everything else is set aside in
``ignored`` so the page can say what it could not use. :func:`build` writes filters back in a fixed order,
so the same view always has the same link; :func:`href` adds a path.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import overload
from urllib.parse import parse_qsl, urlencode

ORDER = ("area", "period", "framework", "indicator", "palette")
"""Filters in the order they appear in a link; any other allowed filter follows, alphabetically."""

Query = str | Mapping[str, str | Iterable[str] | None] | None


@dataclass(frozen=True)
class Filters:
    """Filters read from a link: ``values`` were allowed; ``ignored`` lists (name, value) pairs that were
    not (an unknown filter, or a value not in the allowed list), in the order they appeared."""

    values: dict[str, str] = field(default_factory=dict)
    ignored: tuple[tuple[str, str], ...] = ()

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    @overload
    def get(self, name: str, default: str | None) -> str | None: ...

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.values.get(name, default)


def _pairs(query: Query) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, str):
        return parse_qsl(query.removeprefix("?"), keep_blank_values=True)
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if value is None:
            continue
        values = [value] if isinstance(value, str) else list(value)
        pairs.extend((str(name), str(v)) for v in values)
    return pairs


def parse(query: Query, allowed: Mapping[str, Collection[str]]) -> Filters:
    """Filters from ``query`` (``"?area=E10000003&period=2023/24"`` or a mapping), keeping a filter only if
    ``allowed`` names it and its value is in ``allowed[name]``. A repeated filter keeps its first allowed
    value and ignores the others. Blank values are dropped silently (an empty form field means "no
    choice")."""
    values: dict[str, str] = {}
    ignored: list[tuple[str, str]] = []
    for name, raw in _pairs(query):
        value = raw.strip()
        if not value:
            continue
        if name in allowed and value in allowed[name] and name not in values:
            values[name] = value
        elif values.get(name) != value:
            ignored.append((name, value))
    return Filters(values=values, ignored=tuple(ignored))


def _ordered(names: Iterable[str]) -> list[str]:
    names = list(names)
    return [n for n in ORDER if n in names] + sorted(n for n in names if n not in ORDER)


def build(
    filters: Mapping[str, str | None] | Filters, allowed: Mapping[str, Collection[str]] | None = None
) -> str:
    """A query string (``"?area=E10000003&framework=cyp-outcomes"``, or ``""`` for no filters) in a fixed
    order. With ``allowed``, filters it does not allow are left out, as :func:`parse` would ignore them."""
    values = filters.values if isinstance(filters, Filters) else filters
    kept = {
        name: value
        for name, value in values.items()
        if value not in (None, "") and (allowed is None or (name in allowed and value in allowed[name]))
    }
    if not kept:
        return ""
    return "?" + urlencode([(name, kept[name]) for name in _ordered(kept)], safe="/,")


def href(
    path: str,
    filters: Mapping[str, str | None] | Filters,
    allowed: Mapping[str, Collection[str]] | None = None,
) -> str:
    """``path`` with the filters' query string."""
    return path + build(filters, allowed)
