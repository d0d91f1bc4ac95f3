"""Reading an Excel workbook (.xlsx) into text cells, within the reading limits.

A workbook is a zip file, so its size on disc says little about its contents: the unpacked size of every
part is added up from the zip's directory and checked before anything is parsed. Rows are then read as they
come, one at a time, without trusting the size the sheet declares (a sheet can claim A1:XFD1048576 and
hold three cells), and reading stops at the first row past a limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pandas as pd

from data.column_letters import column_letter
from data.importers.problems import FileProblem
from data.importers.reading_limits import Deadline, ReadingLimits

RETURN_SHEET = "Return"
ROWS_BETWEEN_CLOCK_CHECKS = 1000
EMPTY = (None, "")


def read_workbook(content: bytes, file_name: str, limits: ReadingLimits, deadline: Deadline) -> pd.DataFrame:
    """The rows of the sheet named ``Return`` if there is one, else the first sheet, as text cells headed by
    the first row that holds anything. Empty rows are left out; raises :class:`FileProblem` when the file is
    not a workbook we can read, or passes a reading limit."""
    from openpyxl import load_workbook  # imported only here, as openpyxl is slow to import

    _check_unpacked_size(content, file_name, limits)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl reports a damaged workbook in many ways; all mean the same here
        raise FileProblem(f"{file_name} is not an Excel workbook we can read.") from error
    try:
        sheet = workbook[RETURN_SHEET] if RETURN_SHEET in workbook.sheetnames else workbook.worksheets[0]
        title = sheet.title
        rows = list(_rows(sheet, file_name, limits, deadline))
    except FileProblem:
        raise
    except Exception as error:  # a damaged sheet part: openpyxl and the XML parser raise many kinds
        raise FileProblem(f"{file_name} is not an Excel workbook we can read.") from error
    finally:
        workbook.close()
    if not rows:
        raise FileProblem(f"{file_name} has no rows on the sheet '{title}'.")
    (_, headings), body = rows[0], rows[1:]
    width = len(headings)
    for number, row in body:
        if len(row) > width:
            raise FileProblem(
                f"Row {number} of {file_name} has a value in column {column_letter(len(row))}, which has "
                "no heading."
            )
    return pd.DataFrame([row + [""] * (width - len(row)) for _, row in body], columns=headings)


def _check_unpacked_size(content: bytes, file_name: str, limits: ReadingLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileProblem(f"{file_name} is not an Excel workbook we can read.") from error
    if unpacked > limits.max_bytes:
        raise FileProblem(
            f"{file_name} unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the "
            f"{limits.max_megabytes:,} MB one import reads."
        )


def _rows(
    sheet, file_name: str, limits: ReadingLimits, deadline: Deadline
) -> Iterator[tuple[int, list[str]]]:
    """Each row that holds anything, as (spreadsheet row number, text cells up to its last filled cell).

    Each row is read only as far as the first column past the column limit: a value there refuses the file,
    and anything further right is not looked at (a row padded out to column XFD would otherwise cost
    16,384 cells, and no file we read has a column that far out).
    """
    sheet.reset_dimensions()  # read what is there, not what the sheet says is there
    kept = 0
    rows = sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number % ROWS_BETWEEN_CLOCK_CHECKS == 0:
            deadline.check()
        if values.count(None) == len(values):  # most often a gap between rows, quickest passed over
            continue
        cells = _filled(values, number, file_name, limits)
        if not cells:
            continue
        kept += 1
        if kept > limits.max_rows + 1:
            raise FileProblem(
                f"{file_name} has more than {limits.max_rows:,} rows of data, the most one import reads; "
                "split it into smaller files."
            )
        yield number, cells


def _filled(values: tuple, number: int, file_name: str, limits: ReadingLimits) -> list[str]:
    """A row's cells as text up to its last filled one (empty when nothing is filled), within the limits."""
    if len(values) > limits.max_columns and values[limits.max_columns] not in EMPTY:
        last = column_letter(limits.max_columns)
        raise FileProblem(
            f"Row {number} of {file_name} has values beyond column {last}: "
            f"one import reads at most {limits.max_columns:,} columns."
        )
    values = values[: limits.max_columns]
    end = len(values)
    while end and values[end - 1] in EMPTY:
        end -= 1
    cells = [_cell_text(value) for value in values[:end]]
    for column, text in enumerate(cells, start=1):
        if len(text) > limits.max_cell_chars:
            raise FileProblem(
                f"Cell {column_letter(column)}{number} of {file_name} holds more than "
                f"{limits.max_cell_chars:,} characters, the most one cell may hold."
            )
    return cells


def _cell_text(cell: object) -> str:
    """A spreadsheet cell as text; whole numbers typed in Excel come back without a trailing '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
