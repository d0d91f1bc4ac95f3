"""The geography the dashboard knows: England, its regions, upper-tier and lower-tier authorities.

Built from the bundled ONS boundary names (every English authority as of 2023/24) and the FingertipsNext
area hierarchy (which authority sits inside which). Knowing every English authority means a national
Fingertips extract loads whole, and benchmarking against other areas needs no further set-up; an old or
non-English code in a file is rejected with its reason rather than guessed at.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from data.db import DATA_DIR

BUNDLED = DATA_DIR / "bundled"
HIERARCHY_FILE = BUNDLED / "fingertipsnext-areas" / "areas_hierarchy.csv"
BOUNDARY_FILES = {
    "LAD24CD": BUNDLED / "ons-boundaries" / "lad_may2024_uk_bsc.geojson",
    "CTYUA23CD": BUNDLED / "ons-boundaries" / "ctyua_dec2023_uk_bsc.geojson",
    "RGN23CD": BUNDLED / "ons-boundaries" / "rgn_dec2023_en_buc.geojson",
}
"""The ONS boundary files whose area names the dashboard uses (by the field holding the code): a later file's
name for a code replaces an earlier one's."""
AREA_NAMES_FILE = BUNDLED / "ons-boundaries" / "area_names.csv"
"""Every feature's code and name from :data:`BOUNDARY_FILES`, in their order, with the file it is from:
the names without reading 7.5 MB of boundaries, which took most of a new dashboard's first page."""

ENGLAND = "E92000001"
EAST_OF_ENGLAND = "E12000006"
CAMBRIDGESHIRE = "E10000003"
PETERBOROUGH = "E06000031"
CAMBRIDGESHIRE_AND_PETERBOROUGH = "E47000008"
CAMBRIDGESHIRE_DISTRICTS = ("E07000008", "E07000009", "E07000010", "E07000011", "E07000012")

HOME_AREAS_FILE = Path(__file__).parent / "catalogue" / "home_areas.yaml"
HOME_AREAS_VARIABLE = "KPI_HOME_AREAS_FILE"

# ONS code prefixes (the first three characters) and the kind of area they name.
AREA_TYPES = {
    "E92": "country",
    "E12": "region",
    "E47": "combined authority",
    "E10": "county",
    "E06": "unitary authority",
    "E08": "metropolitan district",
    "E09": "London borough",
    "E07": "district",
}


AREA_GROUPS = (
    ("England", ("country",)),
    ("Regions", ("region",)),
    (
        "Counties and unitary authorities",
        ("county", "unitary authority", "metropolitan district", "London borough"),
    ),
    ("Districts", ("district",)),
    ("Combined authorities", ("combined authority",)),
)
"""How areas outside the home set are grouped where a reader chooses one, in order (by the area's type)."""


def area_type_of(code: str) -> str | None:
    """The kind of area an English ONS code names, or None for a code outside England's authorities."""
    return AREA_TYPES.get(code[:3])


@dataclass(frozen=True)
class HomeAreas:
    """The council's own areas (the setting in ``home_areas.yaml``): what every page offers first."""

    areas: tuple[str, ...]
    """Every home area, in the order people expect to see them."""
    default_area: str
    """The area shown when a link names none."""
    region: str
    """The region the home areas sit in, benchmarked against with England."""
    together: str | None = None
    """The home areas reported as one (a combined authority), offered only where it has figures."""


def home_areas_file() -> Path:
    """The home-areas setting: the file ``KPI_HOME_AREAS_FILE`` names, else the shipped one."""
    return Path(os.environ.get(HOME_AREAS_VARIABLE) or HOME_AREAS_FILE)


@lru_cache(maxsize=1)
def home() -> HomeAreas:
    """The home areas, read once from :func:`home_areas_file`; a wrong or missing entry is an error naming
    the file and the entry, so the dashboard never starts for areas nobody meant."""
    path = home_areas_file()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    areas = tuple(str(code) for code in raw.get("areas") or ())
    if not areas:
        raise ValueError(f"{path}: 'areas' must list at least one area code")
    for code in areas:
        if area_type_of(code) is None:
            raise ValueError(f"{path}: '{code}' under 'areas' is not the code of an English area")
    default_area = str(raw.get("default_area") or areas[0])
    if default_area not in areas:
        raise ValueError(f"{path}: default_area '{default_area}' is not one of the listed areas")
    region = str(raw.get("region") or "")
    if area_type_of(region) != "region":
        raise ValueError(f"{path}: region '{region}' is not the code of an English region")
    together = raw.get("together")
    if together is not None and str(together) not in areas:
        raise ValueError(f"{path}: together '{together}' is not one of the listed areas")
    return HomeAreas(areas, default_area, region, None if together is None else str(together))


@lru_cache(maxsize=1)
def _parent_codes() -> dict[str, str]:
    return dict(zip(_bundled_areas()["code"], _bundled_areas()["parent_code"], strict=True))


def region_of(code: str) -> str | None:
    """The region an area lies in (a district's through its county), so that any area is compared with its
    own region rather than the home region; None for England, a region itself, or an area with no region."""
    parents = _parent_codes()
    seen = {code}
    current = parents.get(code)
    while isinstance(current, str) and current not in seen:
        if area_type_of(current) == "region":
            return current
        seen.add(current)
        current = parents.get(current)
    return None


UPPER_TIER_TYPES = ("county", "unitary authority", "metropolitan district", "London borough")
LOWER_TIER_TYPES = ("district", "unitary authority", "metropolitan district", "London borough")
TIER_WORDS = {"upper": "counties and unitary authorities", "lower": "districts and unitary authorities"}


def tier_of(code: str) -> str | None:
    """'lower' for a district, 'upper' for a county or a single-tier authority (compared, as Fingertips
    does by default, with counties and unitary authorities); None for England, a region or a combined
    authority."""
    kind = area_type_of(code)
    if kind == "district":
        return "lower"
    return "upper" if kind in UPPER_TIER_TYPES else None


def comparison_set(code: str, kind: str) -> tuple[str, ...]:
    """The areas an area is compared with: ``kind`` 'region' gives every authority of its tier in its own
    region, 'type' every authority of its tier in England; each in name order, the area among them. Empty
    for an area with no tier (England, a region)."""
    tier = tier_of(code)
    if tier is None:
        return ()
    types = UPPER_TIER_TYPES if tier == "upper" else LOWER_TIER_TYPES
    areas = _bundled_areas()
    same = areas[areas["area_type"].isin(types)].sort_values("name")
    codes = tuple(str(c) for c in same["code"])
    if kind == "type":
        return codes
    if kind == "region":
        region = region_of(code)
        return tuple(c for c in codes if region_of(c) == region)
    raise ValueError(f"kind must be 'region' or 'type', not {kind!r}")


# The areas the commissioners report on, in the order people expect to see them (read at start-up).
LOCAL_AREAS = home().areas
HOME_REGION = home().region
"""The region the home areas sit in (from the setting), benchmarked against with England."""
BENCHMARK_AREAS = (ENGLAND, HOME_REGION)


def _boundary_names() -> dict[str, str]:
    listed = pd.read_csv(AREA_NAMES_FILE, dtype=str, keep_default_na=False)
    return dict(zip(listed["code"], listed["name"], strict=True))


def _parents(hierarchy: pd.DataFrame) -> dict[str, str]:
    """Child code -> parent code from the administrative hierarchy (a district's county, a county's
    region)."""
    admin = hierarchy[hierarchy["HierarchyType"].isin(["Administrative", "Both"])]
    admin = admin[admin["AreaType"] != "Combined Authorities"]
    parents: dict[str, str] = {}
    for parent, children in zip(admin["AreaCode"], admin["Children"].fillna(""), strict=True):
        for child in filter(None, children.split("|")):
            # A unitary authority is listed under its region at two levels; keep the first (region).
            parents.setdefault(child, parent)
    return parents


def bundled_areas() -> pd.DataFrame:
    """Every English area the bundled geography names, with type, parent and display order.

    Columns: code, name, area_type, parent_code, is_local, sort_order.
    """
    return _bundled_areas().copy()


@lru_cache(maxsize=1)
def _bundled_areas() -> pd.DataFrame:
    hierarchy = pd.read_csv(HIERARCHY_FILE, encoding="utf-8-sig", dtype=str)
    names = dict(zip(hierarchy["AreaCode"], hierarchy["AreaName"], strict=True))
    names.update(_boundary_names())
    parents = _parents(hierarchy)
    rows = [
        {"code": code, "name": name, "area_type": area_type_of(code), "parent_code": parents.get(code)}
        for code, name in names.items()
        if area_type_of(code)
    ]
    frame = pd.DataFrame(rows)
    frame.loc[frame["code"] == CAMBRIDGESHIRE_AND_PETERBOROUGH, "name"] = "Cambridgeshire and Peterborough"
    settings = home()
    frame["is_local"] = frame["code"].isin(settings.areas)
    priority = {code: i for i, code in enumerate((*settings.areas, ENGLAND, settings.region))}
    frame["_rank"] = frame["code"].map(priority).fillna(len(priority))
    frame = frame.sort_values(["_rank", "name"]).drop(columns="_rank").reset_index(drop=True)
    frame["sort_order"] = range(len(frame))
    return frame
