"""Spreadsheet column letters (1 is A, 27 is AA), as Excel names its columns.

Here rather than openpyxl's ``get_column_letter`` so that the import error messages and the workbook layouts
that name columns do not import openpyxl, which is slow to import: it is imported only to read or write a
workbook.
"""

from __future__ import annotations

LAST_COLUMN = 18_278
"""The last column openpyxl names, ZZZ (Excel's own last is XFD, column 16,384)."""


def column_letter(number: int) -> str:
    """The letters of column ``number``, counting from 1 (1 -> "A", 26 -> "Z", 27 -> "AA", 18278 -> "ZZZ")."""
    if not 1 <= number <= LAST_COLUMN:
        raise ValueError(f"A spreadsheet column is numbered 1 to {LAST_COLUMN:,}, not {number}")
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
