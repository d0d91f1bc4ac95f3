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

import pandas as pd
import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from data import schema
from data.areas import LOCAL_AREAS
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
    "value: for counts and staffing (WTE) figures only. Leave numerator and denominator blank.",
    "provisional: yes if the figure may still change, otherwise no.",
    "value_note: anything the commissioners should know about the figure (optional).",
    "",
    (
        "The import checks every row and lists any problem with its row number; nothing is loaded "
        "from a strict import until every row is right."
    ),
)


def provider_indicators(engine: sa.Engine) -> pd.DataFrame:
    """The indicators a provider return reports: code, short name, unit and what to fill in."""
    ind = schema.indicators
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(ind.c.code, ind.c.short_name, ind.c.unit, ind.c.value_type)
                .where(ind.c.source.startswith(PROVIDER_SOURCE_PREFIX))
                .order_by(ind.c.sort_order)
            )
            .mappings()
            .all()
        )
    frame = pd.DataFrame(rows, columns=["code", "short_name", "unit", "value_type"])
    frame["fill_in"] = frame["value_type"].map(
        lambda t: "numerator and denominator" if t == "proportion" else "value"
    )
    return frame


def _local_areas(engine: sa.Engine) -> list[tuple[str, str]]:
    areas = schema.areas
    with engine.connect() as conn:
        names = dict(
            conn.execute(sa.select(areas.c.code, areas.c.name).where(areas.c.code.in_(LOCAL_AREAS))).all()
        )
    return [(code, names[code]) for code in LOCAL_AREAS if code in names]


def write_blank_template(engine: sa.Engine, path: Path) -> Path:
    """Write the blank return to ``path``: XLSX when it ends in .xlsx, otherwise CSV (headings only)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerow(PROVIDER_RETURN_HEADER)
        return path
    indicators = provider_indicators(engine)
    areas = _local_areas(engine)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = RETURN_SHEET
    sheet.append(list(PROVIDER_RETURN_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (34, 12, 12, 12, 13, 10, 12, 40)):
        sheet.column_dimensions[column].width = width

    listing = workbook.create_sheet("Indicators")
    listing.append(["indicator_code", "indicator", "unit", "fill in"])
    for row in indicators.itertuples():
        listing.append([row.code, row.short_name, row.unit, row.fill_in])
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
