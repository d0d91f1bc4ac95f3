"""Area boundaries for maps: the bundled ONS GeoJSON, for a chosen set of areas.

Two tiers of authority, as ONS publishes them:

* ``lower``: local authority districts (May 2024), which hold the Cambridgeshire districts (E07) and the
  unitary authorities such as Peterborough (E06);
* ``upper``: counties and unitary authorities (December 2023), which hold Cambridgeshire (E10) and
  Peterborough again.

Peterborough is in both files, so a map must say which tier it draws; :func:`tier_for` chooses one for a
set of codes. The small Cambridgeshire and Peterborough extracts are read first and the UK-wide files only
when a code is not in them. Coordinates are WGS84 longitude and latitude (EPSG:4326), as published.

Every feature returned carries ``id`` (the area code) and the properties ``code``, ``name``, ``label_lon``
and ``label_lat`` (ONS's own label point for the area), whatever the source file called them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from data.areas import BUNDLED

FOLDER = BUNDLED / "ons-boundaries"

# tier -> ((file, code field, name field), ...), smallest file first.
SOURCES = {
    "lower": (
        (FOLDER / "cambs_peterborough_lad_may2024_bsc.geojson", "LAD24CD", "LAD24NM"),
        (FOLDER / "lad_may2024_uk_bsc.geojson", "LAD24CD", "LAD24NM"),
    ),
    "upper": (
        (FOLDER / "cambs_peterborough_ctyua_dec2023_bsc.geojson", "CTYUA23CD", "CTYUA23NM"),
        (FOLDER / "ctyua_dec2023_uk_bsc.geojson", "CTYUA23CD", "CTYUA23NM"),
    ),
}
TIERS = tuple(SOURCES)

# ONS code prefixes of the areas each tier's file holds.
_LOWER_ONLY = ("E07", "E08", "E09")
_UPPER_ONLY = ("E10",)
_BOTH = ("E06",)

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2024."
)


def tier_for(area_codes: Iterable[str]) -> str | None:
    """The tier whose boundaries hold every one of ``area_codes``, or None if no single tier does.

    Districts (E07, E08, E09) need ``lower``; counties (E10) need ``upper``; unitary authorities (E06) are
    in both, and a set of unitary authorities alone is drawn as ``upper``.
    """
    prefixes = {code[:3] for code in area_codes}
    if not prefixes:
        return None
    known = set(_LOWER_ONLY) | set(_UPPER_ONLY) | set(_BOTH)
    if not prefixes <= known:
        return None
    has_lower, has_upper = bool(prefixes & set(_LOWER_ONLY)), bool(prefixes & set(_UPPER_ONLY))
    if has_lower and has_upper:
        return None
    return "lower" if has_lower else "upper"


@lru_cache(maxsize=len(SOURCES) * 2)
def _features(path: Path, code_field: str, name_field: str) -> dict[str, dict]:
    """Every feature of one file, by area code, in the common shape."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    features = {}
    for feature in collection["features"]:
        props = feature["properties"]
        code = props[code_field]
        features[code] = {
            "type": "Feature",
            "id": code,
            "properties": {
                "code": code,
                "name": props[name_field],
                "label_lon": props.get("LONG"),
                "label_lat": props.get("LAT"),
            },
            "geometry": feature["geometry"],
        }
    return features


def boundaries(area_codes: Iterable[str], tier: str) -> dict:
    """A GeoJSON FeatureCollection of the ``tier`` boundaries of ``area_codes``, in the order given.

    Codes with no boundary in that tier (England, a region, a combined authority, a county asked for in
    the lower tier, an unknown code) are left out; :func:`missing` says which.
    """
    if tier not in SOURCES:
        raise ValueError(f"tier must be one of {TIERS}, got {tier!r}")
    wanted = list(dict.fromkeys(area_codes))
    found: dict[str, dict] = {}
    for path, code_field, name_field in SOURCES[tier]:
        remaining = [code for code in wanted if code not in found]
        if not remaining:
            break
        features = _features(path, code_field, name_field)
        found.update({code: features[code] for code in remaining if code in features})
    return {"type": "FeatureCollection", "features": [found[code] for code in wanted if code in found]}


def missing(area_codes: Iterable[str], tier: str) -> list[str]:
    """The codes among ``area_codes`` that have no boundary in ``tier``."""
    present = {feature["id"] for feature in boundaries(area_codes, tier)["features"]}
    return [code for code in dict.fromkeys(area_codes) if code not in present]
