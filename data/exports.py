"""The one writer of every CSV and XLSX file the product offers, safe to open in a spreadsheet.

Text a user typed (a commentary note, an imported value note, a reason for a change, a KPI's label) can start
with a character a spreadsheet reads as the start of a formula: ``=HYPERLINK(...)``, ``+cmd|...``,
``@SUM(1)``. Opened in Excel or LibreOffice such a cell runs (CSV injection). So every file goes through
here, and:

* a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote in
  front (:func:`neutralise`, as OWASP's CSV-injection guidance advises), so it shows as the text it is;
* numbers stay numbers: a number (int, float, Decimal) is never touched, nor is text that is exactly a plain
  number ("-12.50", written by the payment CSV), which every spreadsheet reads as that number;
* in XLSX every text cell is written as text (openpyxl data type ``'s'``), exactly as typed, and one that
  begins with a formula character also carries Excel's quote-prefix mark (the XLSX form of the leading
  quote, so it stays text even when edited); only a :class:`Formula` the product built itself becomes a
  formula.

Every file describes itself, as the Government Analysis Function's guidance on releasing statistics asks: a
descriptive block (title, area, period, unit, source, licence, date made) comes first, then the tidy table.

* A CSV starts with the block, always the same seven lines (``Title,<text>``, ``Area,<text>`` ... in
  :data:`ABOUT_FIELDS` order, "Not stated" where the product has nothing to say), then one blank line, then
  the column headings and one row per record. So the table always starts on line :data:`CSV_HEADINGS_LINE`
  and ``pandas.read_csv(path, skiprows=CSV_SKIPROWS)`` reads it (:func:`csv_table_lines` does the same for
  the :mod:`csv` module).
* An XLSX file has the block in the first rows of its table sheet and on an "About" sheet
  (:func:`table_workbook`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from data.column_letters import column_letter

if TYPE_CHECKING:  # openpyxl is slow to import: it is imported only when a workbook is written
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula when it begins a cell."""
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
ABOUT_SHEET = "About"
OPEN_GOVERNMENT_LICENCE = "Open Government Licence v3.0"
ABOUT_FIELDS = ("Title", "Area", "Period", "Unit", "Source", "Licence", "Date made")
"""The descriptive block, in the order it is written (in an XLSX file a field with no value is left out)."""
NOT_STATED = "Not stated"
CSV_SKIPROWS = len(ABOUT_FIELDS) + 1
"""Lines above a CSV's column headings: the descriptive block and one blank line (``read_csv(skiprows=)``)."""
CSV_HEADINGS_LINE = CSV_SKIPROWS + 1
"""The line (counting from 1) of a CSV's column headings."""


class Formula(str):
    """A formula the product wrote itself (the payment workbook's workings): the only text written as one."""


def neutralise(value: object) -> object:
    """``value`` safe for a spreadsheet cell: text beginning with a formula character gets a leading single
    quote; numbers, and text that is exactly a plain number, are returned unchanged."""
    if isinstance(value, Formula) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _csv_value(value: object) -> object:
    if _blank(value):
        return ""
    if isinstance(value, Formula):  # a CSV has no formulas: the text, made safe like any other
        return neutralise(str(value))
    return neutralise(value)


def csv_block(about: Mapping[str, object], made: dt.datetime | None = None) -> list[tuple[str, str]]:
    """A CSV's descriptive block: exactly the :data:`ABOUT_FIELDS`, one (field, value) pair each, on one line
    each (a line break in a value becomes a space), "Not stated" for a field with no value. A field the block
    has no line for is a mistake in the caller, not something to drop silently."""
    unknown = sorted(set(about) - set(ABOUT_FIELDS))
    if unknown:
        raise ValueError(f"A CSV's description has no line for {', '.join(unknown)}")
    given = dict(about_rows(about, made))
    return [(field, " ".join(given.get(field, NOT_STATED).split())) for field in ABOUT_FIELDS]


def csv_table_lines(text: str) -> list[str]:
    """The table part of a CSV this module wrote (headings first), for :class:`csv.DictReader`."""
    return text.splitlines(keepends=True)[CSV_SKIPROWS:]


def _write_block(writer: Any, about: Mapping[str, object]) -> None:
    for field, value in csv_block(about):
        writer.writerow([field, _csv_value(value)])
    writer.writerow([])


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], about: Mapping[str, object]) -> str:
    """A CSV file: the descriptive block of ``about`` and a blank line, then ``header`` and ``rows``, every
    text cell neutralised, blanks empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    _write_block(writer, about)
    writer.writerow([_csv_value(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def records_csv(
    columns: Sequence[str], records: Iterable[Mapping[str, object]], about: Mapping[str, object]
) -> str:
    """A CSV file of ``records`` (dicts) under the block of ``about``, one column per name in ``columns`` (a
    missing key is blank)."""
    return csv_text(columns, ([record.get(c) for c in columns] for record in records), about)


def frame_csv(frame: pd.DataFrame, about: Mapping[str, object]) -> str:
    """A table as CSV under the block of ``about``, the table written as pandas writes it (numbers
    unchanged), every text cell neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [str(neutralise(str(c))) for c in safe.columns]
    buffer = io.StringIO()
    _write_block(csv.writer(buffer, lineterminator="\n"), about)
    return buffer.getvalue() + safe.to_csv(index=False, lineterminator="\n")


def put(sheet: Worksheet, row: int, column: int, value: object) -> Any:
    """Write one cell: a :class:`Formula` as a formula, other text as text (never a formula, see the module's
    notes), numbers and dates as they are. Returns the cell, for styling."""
    if _blank(value):
        value = None
    elif isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    elif hasattr(value, "item") and not isinstance(value, str):  # a numpy number
        value = value.item()
    cell: Any = sheet.cell(row=row, column=column)
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if neutralise(value) != value:
            cell.quotePrefix = True  # Excel's own mark for "text, not a formula", kept if the cell is edited
    else:
        cell.value = value
    return cell


def about_rows(about: Mapping[str, object], made: dt.datetime | None = None) -> list[tuple[str, str]]:
    """The descriptive block as (field, value) pairs in :data:`ABOUT_FIELDS` order, then any other fields;
    "Date made" defaults to now."""
    facts = {k: v for k, v in about.items() if v not in (None, "")}
    facts.setdefault("Date made", f"{made or dt.datetime.now():%d %B %Y %H:%M}")
    order = [f for f in ABOUT_FIELDS if f in facts] + [f for f in facts if f not in ABOUT_FIELDS]
    return [(field, str(facts[field])) for field in order]


def write_about_sheet(sheet: Worksheet, about: Sequence[tuple[str, str]], heading: str = "") -> None:
    """The "About" sheet: an optional heading, then one field and its value per row."""
    from openpyxl.styles import Font

    row = 1
    if heading:
        put(sheet, 1, 1, heading).font = Font(bold=True, size=14)
        row = 3
    for field, value in about:
        put(sheet, row, 1, field).font = Font(bold=True)
        put(sheet, row, 2, value)
        row += 1
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 100


def write_table(sheet: Worksheet, frame: pd.DataFrame, first_row: int = 1) -> None:
    """A table from ``first_row``: its headings in bold, then one row per record."""
    from openpyxl.styles import Font

    for i, column in enumerate(frame.columns, start=1):
        put(sheet, first_row, i, str(column)).font = Font(bold=True)
        sheet.column_dimensions[column_letter(i)].width = max(12, min(40, len(str(column)) + 2))
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=first_row + 1):
        for i, value in enumerate(values, start=1):
            put(sheet, r, i, value)


def table_workbook(frame: pd.DataFrame, about: Mapping[str, object], sheet_title: str = "Figures") -> bytes:
    """An XLSX file of one table: the descriptive block in the first rows of its sheet, a blank row, the
    headings and the rows; and the block again on an "About" sheet. Read it back with
    ``pandas.read_excel(path, sheet_name=sheet_title, skiprows=len(about) + 1)``; see :func:`table_start`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    block = about_rows(about)
    book = Workbook()
    sheet = book.active if isinstance(book.active, Worksheet) else book.create_sheet(index=0)
    sheet.title = sheet_title
    for r, (field, value) in enumerate(block, start=1):
        put(sheet, r, 1, f"{field}: {value}").font = Font(bold=(r == 1))
    write_table(sheet, frame, first_row=table_start(block))
    sheet.freeze_panes = sheet.cell(row=table_start(block) + 1, column=1).coordinate
    write_about_sheet(book.create_sheet(ABOUT_SHEET), block)
    book.properties.title = str(dict(block).get("Title", ""))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_start(block: Sequence[tuple[str, str]]) -> int:
    """The row (1-based) of a table sheet's headings: under the descriptive block and one blank row."""
    return len(block) + 2
