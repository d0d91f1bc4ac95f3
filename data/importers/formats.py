"""The file formats the importer reads, and how each maps onto one common row layout.

Three formats:

* ``fingertips``: the OHID Fingertips CSV download, in either header style (``Time period`` and
  ``Lower CI 95.0 limit`` from the website, ``Timeperiod`` and ``Lower_CI_95.0_limit`` from the API and
  fingertipsR). Headers are matched after folding case, spaces and punctuation, so both styles are one format.
* ``tidy``: tidy extracts with one row per area, period and indicator name (``area_code, area_name, period,
  value, indicator, measure, unit`` and optional ``significance``/``compared_to_England``/``inequality``),
  as published by Trafford Data Lab from Fingertips, DfE, DWP and YJB sources. Indicators are matched by name.
* ``provider_return``: the provider quarterly return this product defines (``kpi template`` writes it blank).

Every format becomes a DataFrame of text cells with the columns in :data:`COMMON_COLUMNS` plus
``row_number`` (the spreadsheet row, header = row 1), so validation is written once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from data.importers import cells, number_text
from data.importers.problems import FileProblem as FileProblem

COMMON_COLUMNS = (
    "indicator_ref",
    "measure",
    "area_code",
    "period",
    "sex",
    "age",
    "category_type",
    "category",
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
    "value_note",
    "provisional",
    "published_comparison",
)


def fold(header: str) -> str:
    """A header folded for matching: lower case, letters and digits only (``Lower_CI_95.0_limit`` ->
    ``lowerci950limit``, the same as ``Lower CI 95.0 limit``)."""
    return re.sub(r"[^a-z0-9]", "", str(header).lower())


@dataclass(frozen=True)
class Format:
    """One file format: its name, how indicators are referred to, and which source column fills which field.

    ``columns`` maps a common field to the folded source header; ``required`` lists the folded headers a
    file must have to be read as this format; ``display`` gives the header as a person would write it.
    """

    name: str
    description: str
    indicator_ref_kind: str  # 'fingertips_id' | 'alias' | 'code'
    columns: dict[str, str]
    required: tuple[str, ...]
    display: dict[str, str]
    # A published source's own step to the common layout, for files a column mapping cannot describe.
    convert: Callable[[pd.DataFrame], pd.DataFrame] | None = None


FINGERTIPS = Format(
    name="fingertips",
    description="OHID Fingertips data export",
    indicator_ref_kind="fingertips_id",
    columns={
        "indicator_ref": "indicatorid",
        "area_code": "areacode",
        "period": "timeperiod",
        "sex": "sex",
        "age": "age",
        "category_type": "categorytype",
        "category": "category",
        "value": "value",
        "lower95": "lowerci950limit",
        "upper95": "upperci950limit",
        "lower998": "lowerci998limit",
        "upper998": "upperci998limit",
        "count": "count",
        "denominator": "denominator",
        "value_note": "valuenote",
        "published_comparison": "comparedtoenglandvalueorpercentiles",
    },
    required=("indicatorid", "areacode", "timeperiod", "sex", "age", "value"),
    display={
        "indicatorid": "Indicator ID",
        "areacode": "Area Code",
        "timeperiod": "Time period",
        "sex": "Sex",
        "age": "Age",
        "value": "Value",
    },
)

TIDY = Format(
    name="tidy",
    description="tidy indicator extract (area_code, period, indicator, measure, value)",
    indicator_ref_kind="alias",
    columns={
        "indicator_ref": "indicator",
        "measure": "measure",
        "area_code": "areacode",
        "period": "period",
        "value": "value",
        "category": "inequality",
        "published_comparison": "significance|comparedtoengland",
    },
    required=("areacode", "period", "value", "indicator", "measure"),
    display={
        "areacode": "area_code",
        "period": "period",
        "value": "value",
        "indicator": "indicator",
        "measure": "measure",
    },
)

PROVIDER_RETURN = Format(
    name="provider_return",
    description="provider quarterly return",
    indicator_ref_kind="code",
    columns={
        "indicator_ref": "indicatorcode",
        "area_code": "areacode",
        "period": "period",
        "value": "value",
        "count": "numerator",
        "denominator": "denominator",
        "provisional": "provisional",
        "value_note": "valuenote",
    },
    required=("indicatorcode", "areacode", "period", "numerator", "denominator", "value"),
    display={
        "indicatorcode": "indicator_code",
        "areacode": "area_code",
        "period": "period",
        "numerator": "numerator",
        "denominator": "denominator",
        "value": "value",
    },
)

FORMATS = (FINGERTIPS, TIDY, PROVIDER_RETURN)
PROVIDER_RETURN_HEADER = (
    "indicator_code",
    "area_code",
    "period",
    "numerator",
    "denominator",
    "value",
    "provisional",
    "value_note",
)
# The fields that hold numbers, whose text is rewritten in one plain way before validation.
NUMBER_COLUMNS = ("value", "lower95", "upper95", "lower998", "upper998", "count", "denominator")
# What "no value" looks like in the files we read.
MISSING = {"", "na", "n/a", "nan", "null", "none", "-", ":", ".."}


def detect_format(headers: list[str], formats: tuple[Format, ...] = FORMATS) -> Format:
    """The format whose required columns the file has, or :class:`FileProblem` naming what is missing."""
    folded = {fold(h) for h in headers}
    for candidate in formats:
        if all(column in folded for column in candidate.required):
            return candidate
    best = max(formats, key=lambda f: sum(c in folded for c in f.required))
    missing = [best.display[c] for c in best.required if c not in folded]
    if not any(c in folded for c in best.required):
        raise FileProblem(
            "The file's columns do not match any format we read (a Fingertips export, a tidy indicator "
            "extract or the provider quarterly return). Its first row should be the column headings."
        )
    raise FileProblem(
        f"The file looks like a {best.description} but is missing the column"
        f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}."
    )


def to_common(raw: pd.DataFrame, file_format: Format) -> pd.DataFrame:
    """Map a file's text cells onto :data:`COMMON_COLUMNS` (absent fields become empty strings).

    Numbers are rewritten with a full stop for decimals and no thousands separators, the file's convention
    being settled from all its numbers (see :mod:`data.importers.number_text`); a file whose numbers could be
    misread raises :class:`FileProblem`.
    """
    return to_common_measured(raw, file_format)[0]


def to_common_measured(
    raw: pd.DataFrame, file_format: Format
) -> tuple[pd.DataFrame, dict[str, cells.Decimals]]:
    """:func:`to_common`, with how the number columns it kept as written are written as decimals (none for
    a format with its own conversion), for :func:`data.importers.validate.validate` to reuse."""
    if file_format.convert is not None:
        return file_format.convert(raw), {}
    by_fold = {fold(h): h for h in raw.columns}
    columns: dict[str, object] = {"row_number": range(2, len(raw) + 2)}
    number_headings: dict[str, str] = {}
    for field in COMMON_COLUMNS:
        source = next(
            (by_fold[alt] for alt in file_format.columns.get(field, "").split("|") if alt and alt in by_fold),
            None,
        )
        columns[field] = cells.stripped(raw[source]) if source is not None else ""
        if source is not None and field in NUMBER_COLUMNS:
            number_headings[field] = str(source)
    common, measured = number_text.plain_numbers_measured(
        pd.DataFrame(columns, index=raw.index), number_headings
    )
    if file_format is TIDY:
        # A tidy extract's breakdown column holds deprivation quintiles where present.
        has_category = ~cells.lower(common["category"]).isin(MISSING)
        common.loc[has_category, "category_type"] = "Deprivation quintile"
        common.loc[~has_category, "category"] = ""
    return common.reset_index(drop=True), measured
