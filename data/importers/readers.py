"""Reading an uploaded or named file into a table of text cells, with one clear message when it cannot be
read.

Cells are kept as text so validation, not the reader, decides what counts as a number, and so a rejected row
can be stored exactly as it was written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from data.importers.formats import FileProblem

MAX_FILE_BYTES = 200 * 1024 * 1024
RETURN_SHEET = "Return"


def sha256_of(content: bytes) -> str:
    """The SHA-256 of a file's bytes, recorded with every import so a re-import can be recognised."""
    return hashlib.sha256(content).hexdigest()


def read_table(content: bytes, file_name: str) -> pd.DataFrame:
    """The file's rows as text cells, the first row being the headings.

    XLSX workbooks are read from the sheet named ``Return`` if there is one, else the first sheet; anything
    else is read as CSV (UTF-8 with or without a byte-order mark, falling back to Windows-1252, which Excel
    uses when it saves "CSV" on a UK machine).
    """
    if not content.strip():
        raise FileProblem(f"{file_name} is empty.")
    if len(content) > MAX_FILE_BYTES:
        raise FileProblem(f"{file_name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content, file_name)
    return _read_csv(content, file_name)


def _read_csv(content: bytes, file_name: str) -> pd.DataFrame:
    if b"\x00" in content[:4096]:
        raise FileProblem(f"{file_name} is not a CSV file (it contains binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise FileProblem(f"{file_name} is not a text file we can read.")
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True, on_bad_lines="error"
        )
    except (pd.errors.ParserError, csv.Error) as error:
        raise FileProblem(f"{file_name} is not a well-formed CSV file: {error}.") from error
    except pd.errors.EmptyDataError as error:
        raise FileProblem(f"{file_name} has no rows.") from error
    return _tidy_headers(frame, file_name)


def _read_xlsx(content: bytes, file_name: str) -> pd.DataFrame:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileProblem(f"{file_name} is not an Excel workbook we can read.") from error
    sheet = workbook[RETURN_SHEET] if RETURN_SHEET in workbook.sheetnames else workbook.worksheets[0]
    rows = [
        ["" if cell is None else _cell_text(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    rows = [row for row in rows if any(str(c).strip() for c in row)]
    if not rows:
        raise FileProblem(f"{file_name} has no rows on the sheet '{sheet.title}'.")
    header, body = rows[0], rows[1:]
    width = max(i + 1 for i, h in enumerate(header) if str(h).strip()) if any(header) else 0
    frame = pd.DataFrame([r[:width] + [""] * (width - len(r[:width])) for r in body], columns=header[:width])
    return _tidy_headers(frame, file_name)


def _cell_text(cell: object) -> str:
    """A spreadsheet cell as text; whole numbers typed in Excel come back without a trailing '.0'."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _tidy_headers(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame.columns) < 2:
        raise FileProblem(
            f"{file_name} has only one column: it may not be a comma-separated file, "
            "or the headings are missing."
        )
    if len(frame) == 0:
        raise FileProblem(f"{file_name} has headings but no rows of data.")
    return frame


def read_path(path: Path) -> bytes:
    """The bytes of ``path``, with a plain message when it does not exist or is a folder."""
    if not path.exists():
        raise FileProblem(f"There is no file called {path}.")
    if path.is_dir():
        raise FileProblem(f"{path} is a folder, not a file.")
    return path.read_bytes()
