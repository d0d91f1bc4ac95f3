"""Reading an uploaded or named file into a table of text cells, with one clear message when it cannot be
read.

Cells are kept as text so validation, not the reader, decides what counts as a number, and so a rejected row
can be stored exactly as it was written. Every file is read within :class:`ReadingLimits` (rows, columns,
characters in a cell, megabytes and seconds), so a damaged or hostile file is refused in a sentence rather
than exhausting the memory or the clock.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pandas as pd

from data.column_letters import column_letter
from data.importers.csv_reader import read_delimited
from data.importers.formats import fold
from data.importers.problems import FileProblem
from data.importers.reading_limits import Deadline, ReadingLimits
from data.importers.xlsx_reader import RETURN_SHEET as RETURN_SHEET  # the sheet a provider return is on
from data.importers.xlsx_reader import read_workbook

ZIP_SIGNATURE = b"PK\x03\x04"


def sha256_of(content: bytes) -> str:
    """The SHA-256 of a file's bytes, recorded with every import so a re-import can be recognised."""
    return hashlib.sha256(content).hexdigest()


def read_table(content: bytes, file_name: str, limits: ReadingLimits | None = None) -> pd.DataFrame:
    """The file's rows as text cells, the first row being the headings.

    XLSX workbooks are read from the sheet named ``Return`` if there is one, else the first sheet; anything
    else is read as delimited text (see :mod:`data.importers.csv_reader` for encodings and delimiters).
    ``limits`` defaults to the settings in the environment. Raises :class:`FileProblem` when the file cannot
    be read, passes a limit, or repeats a heading.
    """
    limits = limits or ReadingLimits.from_environment()
    _check_size(len(content), file_name, limits)
    if not content or content.isspace():
        raise FileProblem(f"{file_name} is empty.")
    deadline = Deadline(limits, file_name)
    if content.startswith(ZIP_SIGNATURE):
        frame = read_workbook(content, file_name, limits, deadline)
    else:
        frame = read_delimited(content, file_name, limits, deadline)
    return _tidy_headers(frame, file_name)


def _tidy_headers(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    frame.columns = pd.Index([str(c).strip() for c in frame.columns])
    if len(frame.columns) < 2:
        raise FileProblem(
            f"{file_name} has only one column: it may not be a comma-separated file, "
            "or the headings are missing."
        )
    check_headings(list(frame.columns), file_name)
    if len(frame) == 0:
        raise FileProblem(f"{file_name} has headings but no rows of data.")
    return frame


def check_headings(headings: list[str], file_name: str) -> None:
    """Refuse a heading written twice: which column is meant cannot be known, so neither may be read.

    Headings are compared as formats match them (``Value`` and ``value`` are the same heading); blank
    headings are not compared.
    """
    columns: dict[str, list[int]] = defaultdict(list)
    for number, heading in enumerate(headings, start=1):
        if heading:
            columns[fold(heading) or heading].append(number)
    for numbers in columns.values():
        if len(numbers) < 2:
            continue
        letters = [column_letter(n) for n in numbers]
        listed = f"{', '.join(letters[:-1])} and {letters[-1]}"
        written = {headings[n - 1] for n in numbers}
        if len(written) == 1:
            times = "twice" if len(numbers) == 2 else f"{len(numbers)} times"
            raise FileProblem(
                f"The heading '{headings[numbers[0] - 1]}' appears {times} (columns {listed}) "
                f"in {file_name}: rename or delete all but one."
            )
        both = " and ".join(f"'{headings[n - 1]}' (column {column_letter(n)})" for n in numbers)
        raise FileProblem(
            f"The headings {both} in {file_name} are the same heading written more than once: "
            "rename or delete all but one."
        )


def read_path(path: Path) -> bytes:
    """The bytes of ``path``, with a plain message when it does not exist, is a folder, or is larger than
    one import reads (checked before reading it)."""
    if not path.exists():
        raise FileProblem(f"There is no file called {path}.")
    if path.is_dir():
        raise FileProblem(f"{path} is a folder, not a file.")
    _check_size(path.stat().st_size, path.name, ReadingLimits.from_environment())
    return path.read_bytes()


def _check_size(size: int, file_name: str, limits: ReadingLimits) -> None:
    if size > limits.max_bytes:
        raise FileProblem(
            f"{file_name} is larger than {limits.max_megabytes:,} MB, the most one import reads; "
            "split it into smaller files."
        )
