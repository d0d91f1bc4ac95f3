"""ONS Explore Local Statistics (ELS) files, read as ONS publishes them. Two layouts:

* the app's combined data (``indicator, id, areacd, period, academic_year_start, value, lci, uci``), here
  the National Child Measurement Programme's overweight (including obesity) prevalence for every district,
  authority, region and England. ``period`` is the academic year as published (``2021/22``); a blank value
  is a year ONS publishes no figure for (no authority figures for 2020/21, when only a national sample was
  measured);
* the data repository's topic files (``areacd, areanm, geography, indicator, period, observation, …,
  lci_95, uci_95, status, notes``), here the early years foundation stage profile. ``period`` is an ISO
  interval (``2024-09-01/P1Y`` is 2024/25); ``notes`` (ONS's own caveats, such as figures it aggregated
  itself) are kept with the figure.

Indicators are matched through the catalogue's ``sources:`` entries for ``els`` (the ``indicator`` name).
"""

from __future__ import annotations

import re

import pandas as pd

from data.catalogue import SOURCE_LABELS
from data.importers.formats import COMMON_COLUMNS, Format, fold

NOT_PUBLISHED_2020_21 = "Not published for 2020/21: that year the programme measured only a national sample"
_ISO_YEAR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P1Y$")


def academic_year(period: str) -> str:
    """An ISO year interval as an academic-year label (``2024-09-01/P1Y`` -> ``2024/25``); anything else is
    returned as written, for the validator to reject with its reason."""
    match = _ISO_YEAR.match(period.strip())
    if not match:
        return period
    year = int(match.group(1))
    return f"{year}/{(year + 1) % 100:02d}"


def _common(raw: pd.DataFrame, fields: dict[str, pd.Series]) -> pd.DataFrame:
    common = pd.DataFrame({"row_number": range(2, len(raw) + 2)}, index=raw.index)
    for field in COMMON_COLUMNS:
        common[field] = fields[field].str.strip() if field in fields else ""
    common["measure"] = SOURCE_LABELS["els"]
    return common.reset_index(drop=True)


def combined_to_common(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows of the app's combined data in the common layout."""
    column = {fold(h): raw[h] for h in raw.columns}
    common = _common(
        raw,
        {
            "indicator_ref": column["indicator"],
            "area_code": column["areacd"],
            "period": column["period"],
            "value": column["value"],
            "lower95": column["lci"],
            "upper95": column["uci"],
        },
    )
    gap = common["value"].eq("") & common["period"].eq("2020/21")
    common.loc[gap, "value_note"] = NOT_PUBLISHED_2020_21
    return common


def topic_to_common(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows of a topic file in the common layout."""
    column = {fold(h): raw[h] for h in raw.columns}
    notes = [
        "; ".join(n for n in (status.strip(), note.strip()) if n)
        for status, note in zip(column["status"], column["notes"], strict=True)
    ]
    return _common(
        raw,
        {
            "indicator_ref": column["indicator"],
            "area_code": column["areacd"],
            "period": column["period"].map(academic_year),
            "value": column["observation"],
            "lower95": column["lci95"],
            "upper95": column["uci95"],
            "value_note": pd.Series(notes, index=raw.index, dtype=str),
        },
    )


ELS_COMBINED = Format(
    name="ons_els",
    description="ONS Explore Local Statistics data file",
    indicator_ref_kind="alias",
    columns={},
    required=("indicator", "id", "areacd", "period", "academicyearstart", "value"),
    display={
        "indicator": "indicator",
        "id": "id",
        "areacd": "areacd",
        "period": "period",
        "academicyearstart": "academic_year_start",
        "value": "value",
    },
    convert=combined_to_common,
)

ELS_TOPIC = Format(
    name="ons_els",
    description="ONS Explore Local Statistics topic file",
    indicator_ref_kind="alias",
    columns={},
    required=("areacd", "areanm", "indicator", "period", "observation", "status", "notes"),
    display={
        "areacd": "areacd",
        "areanm": "areanm",
        "indicator": "indicator",
        "period": "period",
        "observation": "observation",
        "status": "status",
        "notes": "notes",
    },
    convert=topic_to_common,
)
