"""Finding an area's ONS code from its name, for published files that name areas instead of coding them.

DfE's Local Authority Interactive Tool numbers authorities its own way (873 is Cambridgeshire) and names
them; the SDG platform's authority rows carry their region's code, not their own. Both name authorities as
ONS does, give or take case, punctuation and a few DfE spellings listed in :data:`DFE_NAMES`. A name that
matches no current English area gives no code, so its rows are rejected with the name in the reason
(authorities abolished before 2023, such as Northamptonshire, and groupings such as Inner London).
"""

from __future__ import annotations

import re
from functools import lru_cache

from data.areas import bundled_areas

# DfE spellings that differ from the ONS name by more than case or punctuation.
DFE_NAMES = {
    "durham": "county durham",
    "bedford borough": "bedford",
    "herefordshire": "herefordshire county of",
}
# Area types a published authority or benchmark name may refer to (not districts or combined authorities,
# whose names can repeat an authority's).
_NAMED_TYPES = ("country", "region", "county", "unitary authority", "metropolitan district", "London borough")


def fold_name(name: str) -> str:
    """A name folded for matching: lower case, '&' as 'and', letters, digits and single spaces only."""
    text = str(name).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    areas = bundled_areas()
    areas = areas[areas["area_type"].isin(_NAMED_TYPES)]
    return {fold_name(name): code for name, code in zip(areas["name"], areas["code"], strict=True)}


def code_for_name(name: str) -> str | None:
    """The ONS code of the England, region or upper-tier authority called ``name``, or None."""
    folded = fold_name(name)
    return _codes_by_name().get(DFE_NAMES.get(folded, folded))
