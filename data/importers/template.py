"""The provider quarterly return template, written blank for the provider to fill in.

The return is one row per indicator, area and quarter: ``indicator_code, area_code, period, numerator,
denominator, value, provisional, value_note``. Proportions give numerator and denominator (the store works
out the percentage and its confidence limits); counts and staffing figures give ``value`` only. The XLSX
version adds an instructions sheet, a list of the indicators and areas, and drop-down lists so codes cannot
be mistyped.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from data.areas import LOCAL_AREAS, bundled_areas
from data.catalogue import Catalogue, load_catalogue
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.readers import RETURN_SHEET

PROVIDER_SOURCE_PREFIX = "Provider"
INSTRUCTIONS = (
    "Provider quarterly return: Healthy Child Programme 0-19",
    "",
    "Fill in one row per indicator, area and quarter on the 'Return' sheet. Do not change the headings.",
    "indicator_code: a code from the 'Indicators' sheet.",
    "area_code: E10000003 for Cambridgeshire or E06000031 for Peterborough (see the 'Areas' sheet).",
    "period: the financial quarter, written like 2025/26 Q1 (April to June 2025).",
    "numerator and denominator: whole numbers, for percentage indicators. Leave value blank.",
    "value: for counts, staffing (WTE) and finance figures only. Leave numerator and denominator blank.",
    (
        "Finance line: finance-spend-to-date and finance-budget-to-date, in whole pounds from 1 April "
        "to the end of the quarter, for each area."
    ),
    "provisional: yes if the figure may still change, otherwise no.",
    "value_note: anything the commissioners should know about the figure (optional).",
    "",
    (
        "The import checks every row and lists any problem with its row number; nothing is loaded "
        "from a strict import until every row is right."
    ),
)


class ProviderIndicator(NamedTuple):
    """One line of the template's list of indicators."""

    code: str
    short_name: str
    unit: str
    fill_in: str  # what the provider fills in: 'numerator and denominator' or 'value'


def provider_indicators(catalogue: Catalogue) -> list[ProviderIndicator]:
    """The indicators a provider return reports, in catalogue order."""
    return [
        ProviderIndicator(
            code=i.code,
            short_name=i.short_name,
            unit=i.unit,
            fill_in="numerator and denominator" if i.value_type == "proportion" else "value",
        )
        for i in sorted(catalogue.indicators, key=lambda i: i.sort_order)
        if i.source.startswith(PROVIDER_SOURCE_PREFIX)
    ]


def _local_areas() -> list[tuple[str, str]]:
    areas = bundled_areas()
    names = dict(zip(areas["code"], areas["name"], strict=True))
    return [(code, names[code]) for code in LOCAL_AREAS if code in names]


def write_blank_template(path: Path, catalogue: Catalogue | None = None) -> Path:
    """Write the blank return to ``path``: XLSX when it ends in .xlsx, otherwise CSV (headings only).

    The lists come from the shipped catalogue (default :func:`load_catalogue`) and areas, which are what
    ``kpi seed`` puts in the store, so writing a template needs no database.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerow(PROVIDER_RETURN_HEADER)
        return path
    from openpyxl import Workbook  # imported only here, as openpyxl is slow to import
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    indicators = provider_indicators(catalogue or load_catalogue())
    areas = _local_areas()
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = RETURN_SHEET
    sheet.append(list(PROVIDER_RETURN_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (34, 12, 12, 12, 13, 10, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width

    listing = workbook.create_sheet("Indicators")
    listing.append(["indicator_code", "indicator", "unit", "fill in"])
    for indicator in indicators:
        listing.append([indicator.code, indicator.short_name, indicator.unit, indicator.fill_in])
    area_sheet = workbook.create_sheet("Areas")
    area_sheet.append(["area_code", "area"])
    for code, name in areas:
        area_sheet.append([code, name])
    for extra in (listing, area_sheet):
        for cell in extra[1]:
            cell.font = Font(bold=True)
        extra.column_dimensions["A"].width = 34
        extra.column_dimensions["B"].width = 48

    notes = workbook.create_sheet("Instructions", 0)
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110

    last = 5000
    if len(indicators):
        codes = DataValidation(
            type="list",
            formula1=f"=Indicators!$A$2:$A${len(indicators) + 1}",
            showErrorMessage=True,
            errorTitle="Unknown indicator",
            error="Choose an indicator code from the Indicators sheet.",
        )
        codes.add(f"A2:A{last}")
        sheet.add_data_validation(codes)
    if areas:
        area_codes = DataValidation(
            type="list",
            formula1=f"=Areas!$A$2:$A${len(areas) + 1}",
            showErrorMessage=True,
            errorTitle="Unknown area",
            error="Choose an area code from the Areas sheet.",
        )
        area_codes.add(f"B2:B{last}")
        sheet.add_data_validation(area_codes)
    flags = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    flags.add(f"G2:G{last}")
    sheet.add_data_validation(flags)
    workbook.active = workbook.sheetnames.index(RETURN_SHEET)
    workbook.save(path)
    return path
