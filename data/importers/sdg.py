"""The UK SDG reporting platform's indicator files, read as ONS publishes them (``data/indicator_4-2-2.csv``:
``Year, Age, Region, Local authority, Unit measure, Observation status, GeoCode, Value``).

Indicator 4.2.2 is the take-up of government-funded early education: eligible 2-year-olds and all 3- and
4-year-olds, from DfE's January early years census. Each row becomes the common layout this way:

* the indicator is ``4.2.2 age <Age>`` (``4.2.2 total`` where Age is blank), matched through the
  catalogue's ``sources:`` entries for ``sdg``;
* the area: England where Region and Local authority are blank; the region's code for a region row; for an
  authority row the authority's code found from its name (:mod:`data.importers.area_names`), because on
  authority rows the file's GeoCode holds the region's code, not the authority's (a defect of the file);
* ``Year`` is the January of the count, so 2023 is the academic year 2022/23, as DfE's own tool labels it;
* ``Observation status`` other than "Normal value" (such as "Missing data") is kept as the figure's note.
"""

from __future__ import annotations

import pandas as pd

from data.areas import ENGLAND
from data.catalogue import SOURCE_LABELS
from data.importers.area_names import code_for_name
from data.importers.formats import COMMON_COLUMNS, Format, fold

NORMAL = "Normal value"


def indicator_ref(age: str) -> str:
    """The catalogue reference of a 4.2.2 row by its age group."""
    return f"4.2.2 age {age.strip()}" if age.strip() else "4.2.2 total"


def academic_year(year: str) -> str:
    """The academic year a January count falls in (``2023`` -> ``2022/23``); other text as written."""
    text = year.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return text
    return f"{int(text) - 1}/{int(text) % 100:02d}"


def _area(region: str, authority: str, geocode: str) -> str:
    if authority.strip():
        return code_for_name(authority) or authority.strip()
    if region.strip():
        return geocode.strip() or code_for_name(region) or region.strip()
    return ENGLAND


def to_common(raw: pd.DataFrame) -> pd.DataFrame:
    """SDG indicator rows in the common layout (see the module docstring)."""
    column = {fold(h): raw[h].str.strip() for h in raw.columns}
    common = pd.DataFrame({"row_number": range(2, len(raw) + 2)}, index=raw.index)
    for field in COMMON_COLUMNS:
        common[field] = ""
    common["indicator_ref"] = column["age"].map(indicator_ref)
    common["measure"] = SOURCE_LABELS["sdg"]
    common["area_code"] = [
        _area(r, a, g)
        for r, a, g in zip(column["region"], column["localauthority"], column["geocode"], strict=True)
    ]
    common["period"] = column["year"].map(academic_year)
    common["value"] = column["value"]
    status = column["observationstatus"]
    common["value_note"] = ("UK SDG platform: " + status).where(status.ne(NORMAL) & status.ne(""), "")
    return common.reset_index(drop=True)


SDG = Format(
    name="ons_sdg",
    description="UK SDG indicator file",
    indicator_ref_kind="alias",
    columns={},
    required=("year", "age", "region", "localauthority", "geocode", "value", "observationstatus"),
    display={
        "year": "Year",
        "age": "Age",
        "region": "Region",
        "localauthority": "Local authority",
        "geocode": "GeoCode",
        "value": "Value",
        "observationstatus": "Observation status",
    },
    convert=to_common,
)
