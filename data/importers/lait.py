"""The DfE Local Authority Interactive Tool (LAIT) dataset, read as DfE publishes it.

The tool's data file (``bds_long_0.parquet``, or the same columns saved as CSV) holds one row per measure,
area and year: ``Short Desc`` (the measure's id, such as ``Low_Birth_Weight_Babies``), ``Data item``
(filled only on the first row of each measure), ``Years``, ``LA and Regions`` (the area's name),
``Values`` (text; ``-`` where the figure is suppressed or not published) and ``LA Number`` (DfE's number
for the authority, 970 for England, 980-990 for regions).

How it becomes the common layout:

* the measure id is looked up among the catalogue's ``sources:`` entries for ``lait`` (a measure that
  feeds no indicator is rejected as an unknown indicator, naming the measure);
* the area's ONS code is found from its name (:mod:`data.importers.area_names`): DfE numbers are not ONS
  codes, and the file carries no code, only the name beside the number;
* ``Years`` is the calendar year a period ends. LAIT's data dictionary gives each measure's year type: for
  calendar-year measures ``2016`` is 2016; for financial, academic and other split years ``2024`` is
  ``2023/24``. ``2024-25`` and pooled ``2013/14-15/16`` are read as written; ``(prov)`` marks a
  provisional figure;
* figures DfE publishes wrongly are loaded as published with a note saying so (:data:`KNOWN_DEFECTS`).
"""

from __future__ import annotations

import csv
import re
import tempfile
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd

from data.areas import BUNDLED
from data.catalogue import SOURCE_LABELS
from data.importers.area_names import code_for_name
from data.importers.formats import COMMON_COLUMNS, FileProblem, Format, fold

PARQUET_MAGIC = b"PAR1"
MEASURES_FILE = BUNDLED / "dfe-lait" / "reference" / "lait_measures.csv"
SUPPRESSED_NOTE = "No figure in DfE LAIT ('-': suppressed or not published)"
ENGLAND_NUMBER = "970"

# Figures DfE LAIT publishes wrongly (checked against the publications): (measure, LA number, Years) -> the
# note shown with the figure, which is loaded as published. None for Years means every year.
KNOWN_DEFECTS: dict[tuple[str, str, str | None], str] = {
    ("FirstYJS", ENGLAND_NUMBER, None): (
        "Source defect: DfE LAIT's England figure is about ten times the published rate "
        "(3,071 in 2016 against the East of England's 298); do not compare with it"
    ),
    ("6wksBreast", ENGLAND_NUMBER, "2022"): (
        "Source defect: DfE LAIT gives England 49.2 for both 2021/22 and 2022/23; one is likely a copy of "
        "the other: check against OHID Fingertips"
    ),
    ("6wksBreast", ENGLAND_NUMBER, "2023"): (
        "Source defect: DfE LAIT gives England 49.2 for both 2021/22 and 2022/23; one is likely a copy of "
        "the other: check against OHID Fingertips"
    ),
}
TAKE_UP_MEASURES = frozenset({"%_2yr_olds", "%_3&4yr_olds"})
"""Funded early-education take-up, which DfE LAIT publishes above 100% for some authorities and years."""
TAKE_UP_ABOVE_100 = (
    "Source defect: DfE LAIT gives a take-up above 100% (children taking up funded places in the authority, "
    "some of whom live elsewhere, against an estimate of the children living there); loaded as published"
)


def is_parquet(content: bytes) -> bool:
    """Whether ``content`` is a Parquet file (the form DfE publishes LAIT's data in)."""
    return content[:4] == PARQUET_MAGIC


def read_parquet(content: bytes, file_name: str) -> pd.DataFrame:
    """A Parquet file's rows as text cells in file order (missing cells empty, whole numbers without
    '.0'), like a CSV read by :func:`data.importers.readers.read_table`."""
    with tempfile.NamedTemporaryFile(suffix=".parquet") as handle:
        handle.write(content)
        handle.flush()
        try:
            frame = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [handle.name]).df()
        except duckdb.Error as error:
            raise FileProblem(f"{file_name} is not a Parquet file we can read.") from error
    if frame.empty:
        raise FileProblem(f"{file_name} has no rows.")
    return pd.DataFrame({str(c): frame[c].map(_cell_text) for c in frame.columns})


def _cell_text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


@lru_cache(maxsize=1)
def split_year_measures() -> frozenset[str]:
    """The LAIT measures whose years are split years (financial, academic or other non-calendar years),
    from the data dictionary DfE publishes with the tool."""
    with MEASURES_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return frozenset(r["Measure_short"] for r in rows if r["Year_Type"] != "Calendar Year")


_SINGLE = re.compile(r"^(\d{4})(?:\s*\((\w+)\))?$")
_SPLIT = re.compile(r"^(\d{4})\s*-\s*(\d{2})(?:\s*\((\w+)\))?$")
_POOLED = re.compile(r"^(\d{4})/(\d{2})\s*-\s*(\d{2})/(\d{2})$")


def period_label(years: str, split_year: bool) -> tuple[str, str]:
    """LAIT's ``Years`` as a period label, and its marker (``prov``, ``Rev``…) if it has one.

    ``2024`` is ``2023/24`` for a split-year measure and ``2024`` for a calendar-year one; ``2024-25`` is
    ``2024/25`` but ``2014-16`` is the pooled calendar years ``2014 - 16``; ``2013/14-15/16`` is
    ``2013/14 - 15/16``. Anything else is returned as written, for the
    validator to reject with its reason.
    """
    text = years.strip()
    if match := _SINGLE.match(text):
        year = int(match.group(1))
        return (f"{year - 1}/{year % 100:02d}" if split_year else str(year)), match.group(2) or ""
    if match := _SPLIT.match(text):
        first, last = match.group(1), match.group(2)
        consecutive = (int(first) + 1) % 100 == int(last)
        return (f"{first}/{last}" if consecutive else f"{first} - {last}"), match.group(3) or ""
    if match := _POOLED.match(text):
        return f"{match.group(1)}/{match.group(2)} - {match.group(3)}/{match.group(4)}", ""
    return text, ""


def _value(text: str) -> str:
    """A figure as plain decimal text (LAIT writes 67.6 as 67.599999999999994 and 0.07 as 7.0E-2)."""
    try:
        return np.format_float_positional(float(text), trim="-")
    except ValueError:
        return text


def _note(measure: str, number: str, years: str, value: str, marker: str) -> str:
    notes = [
        KNOWN_DEFECTS.get((measure, number, years)) or KNOWN_DEFECTS.get((measure, number, None)) or "",
        TAKE_UP_ABOVE_100 if measure in TAKE_UP_MEASURES and _above_100(value) else "",
        SUPPRESSED_NOTE if value == "-" else "",
        f"DfE LAIT marks this period '{marker}'" if marker and marker.lower() != "prov" else "",
    ]
    return "; ".join(n for n in notes if n)


def _above_100(value: str) -> bool:
    try:
        return float(value) > 100
    except ValueError:
        return False


def to_common(raw: pd.DataFrame) -> pd.DataFrame:
    """LAIT rows in the common import layout (see the module docstring)."""
    by_fold = {fold(h): h for h in raw.columns}
    measure = raw[by_fold["shortdesc"]].str.strip()
    number = raw[by_fold["lanumber"]].str.strip().str.removesuffix(".0")
    names = raw[by_fold["laandregions"]].str.strip()
    years = raw[by_fold["years"]].str.strip()
    values = raw[by_fold["values"]].str.strip()
    split = split_year_measures()
    periods = [period_label(y, m in split) for y, m in zip(years, measure, strict=True)]
    codes = {name: code_for_name(name) for name in names.unique()}
    common = pd.DataFrame({"row_number": range(2, len(raw) + 2)}, index=raw.index)
    for field in COMMON_COLUMNS:
        common[field] = ""
    common["indicator_ref"] = measure
    common["measure"] = SOURCE_LABELS["lait"]
    common["area_code"] = [
        codes[name] or f"DfE LA {num} {name}" for name, num in zip(names, number, strict=True)
    ]
    common["period"] = [label for label, _ in periods]
    common["provisional"] = ["yes" if marker.lower() == "prov" else "" for _, marker in periods]
    common["value"] = [_value(v) for v in values]
    common["value_note"] = [
        _note(m, n, y, v, marker)
        for m, n, y, v, (_, marker) in zip(measure, number, years, values, periods, strict=True)
    ]
    return common.reset_index(drop=True)


LAIT = Format(
    name="dfe_lait",
    description="DfE Local Authority Interactive Tool dataset",
    indicator_ref_kind="alias",
    columns={},
    required=("shortdesc", "years", "laandregions", "values", "lanumber"),
    display={
        "shortdesc": "Short Desc",
        "years": "Years",
        "laandregions": "LA and Regions",
        "values": "Values",
        "lanumber": "LA Number",
    },
    convert=to_common,
)
