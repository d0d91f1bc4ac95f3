"""Reading a delimited text file (CSV, or Excel's "Unicode text") into text cells, within the reading limits.

The encoding is found from the byte-order mark (UTF-8, or UTF-16 as Excel writes "Unicode text"), else
UTF-8, else Windows-1252 (Excel's "CSV" on a UK machine). The delimiter (comma, semicolon or tab) is the one
that splits the first rows into the same number of cells, as a continental "CSV" uses semicolons so that
decimal commas need no quotes. The first rows are checked by hand before the fast parser sees the file, so
a heading row a million columns wide, or a row longer than its headings, is refused at once.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import warnings

import pandas as pd

from data.column_letters import column_letter
from data.importers import cells
from data.importers.problems import FileProblem
from data.importers.reading_limits import Deadline, ReadingLimits

SAMPLE_BYTES = 1024 * 1024
SAMPLE_ROWS = 50
DELIMITERS = (",", ";", "\t")
CHUNK_ROWS = 100_000
"""Rows parsed at a time: the clock is looked at after each such part of a file."""
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_delimited(content: bytes, file_name: str, limits: ReadingLimits, deadline: Deadline) -> pd.DataFrame:
    """The file's rows as text cells, headed by its first row (duplicate headings are checked by the caller).

    Raises :class:`FileProblem` when the file is not text, its rows do not line up with its headings, or it
    passes a reading limit.
    """
    encoding = text_encoding(content, file_name)
    deadline.check()
    # The csv module's cap on a cell's size is process-wide; it is only ever raised, to this file's limit.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_cell_chars + 1))
    sample = _decode(content[:SAMPLE_BYTES], encoding)
    whole = len(content) <= SAMPLE_BYTES
    delimiter = _delimiter(sample, whole)
    rows = _sample_rows(sample, delimiter, whole, file_name, limits)
    headings = rows[0]
    widths = (len(headings), max(map(len, rows)))
    frame = _parse(content, encoding, delimiter, widths, file_name, limits, deadline)
    frame = _without_empty_unheaded_cells(frame, len(headings), file_name)
    frame.columns = pd.Index(headings)
    deadline.check()
    return frame


def text_encoding(content: bytes, file_name: str) -> str:
    """The encoding the whole file decodes in, or :class:`FileProblem` when it is not text."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if content.startswith(mark):
            if _decodes(content, encoding):
                return encoding
            raise FileProblem(
                f"{file_name} says it is {encoding.upper()} text but is not: save it again as CSV."
            )
    if content.startswith(_OLD_EXCEL):
        raise FileProblem(
            f"{file_name} is an Excel 97-2003 workbook (.xls) or a protected workbook: save it as an Excel "
            "Workbook (.xlsx) or as CSV, then import that."
        )
    if b"\x00" in content[:4096]:
        raise FileProblem(f"{file_name} is not a CSV file (it contains binary data).")
    for encoding in ("utf-8", "cp1252"):
        if _decodes(content, encoding):
            return encoding
    raise FileProblem(f"{file_name} is not a text file we can read: save it as CSV UTF-8, then import that.")


def _decodes(content: bytes, encoding: str) -> bool:
    """Whether all of ``content`` decodes in ``encoding``, checked a megabyte at a time to save memory."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(content), SAMPLE_BYTES):
            decoder.decode(view[start : start + SAMPLE_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode(start: bytes, encoding: str) -> str:
    """The text of the file's first bytes (a character cut short at the end is left off)."""
    return codecs.getincrementaldecoder(encoding)().decode(start, final=False)


def _rows(sample: str, delimiter: str, whole: bool) -> tuple[list[list[str]], list[str] | None]:
    """The sample's first complete rows, blank lines left out, and the row the sample cuts short (if any)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    rows = [row for row in itertools.islice(reader, SAMPLE_ROWS + 1) if row]
    if whole or len(rows) > SAMPLE_ROWS:
        return rows[:SAMPLE_ROWS], None
    return rows[:-1], rows[-1] if rows else None


def _delimiter(sample: str, whole: bool) -> str:
    """The delimiter that splits the first rows into the same number of cells as the headings, the widest
    such split winning; comma when none splits the headings at all."""
    best, best_score = ",", (False, 1)
    for delimiter in DELIMITERS:
        try:
            rows, cut = _rows(sample, delimiter, whole)
        except csv.Error:
            continue
        heading = rows[0] if rows else cut
        if not heading or len(heading) < 2:
            continue
        lined_up = all(len(row) == len(heading) or not _filled_beyond(row, len(heading)) for row in rows[1:])
        score = (lined_up, len(heading))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(
    sample: str, delimiter: str, whole: bool, file_name: str, limits: ReadingLimits
) -> list[list[str]]:
    """The first rows, checked against the limits and the headings' width before the whole file is parsed."""
    try:
        rows, cut = _rows(sample, delimiter, whole)
    except csv.Error as error:
        if "field limit" in str(error):
            raise FileProblem(
                f"{file_name} has a cell of more than {limits.max_cell_chars:,} characters in its first "
                "rows, the most one cell may hold."
            ) from None
        raise FileProblem(f"{file_name} is not a well-formed CSV file: {error}.") from None
    heading = rows[0] if rows else cut
    if not heading:
        raise FileProblem(f"{file_name} has no rows.")
    if len(heading) > limits.max_columns:
        raise FileProblem(
            f"{file_name} has more than {limits.max_columns:,} columns, the most one import reads."
        )
    if not rows:
        raise FileProblem(
            f"The first row of {file_name} is longer than {SAMPLE_BYTES // 1024:,} kilobytes: "
            "it should be the column headings."
        )
    for number, row in enumerate([*rows, *([cut] if cut else [])], start=1):
        longest = max(row, key=len)
        if len(longest) > limits.max_cell_chars:
            raise FileProblem(
                f"Row {number} of {file_name} has a cell of more than {limits.max_cell_chars:,} characters, "
                "the most one cell may hold."
            )
        many = f"{len(row):,}" if row is not cut else f"at least {len(row):,}"
        if len(row) > limits.max_columns:
            raise FileProblem(
                f"Row {number} of {file_name} has {many} cells, more than the {limits.max_columns:,} columns "
                "one import reads."
            )
        if _filled_beyond(row, len(heading)):
            raise FileProblem(
                f"Row {number} of {file_name} has {many} cells but the headings row has {len(heading):,}"
                f"{_comma_hint(delimiter)}."
            )
    return rows


def _filled_beyond(row: list[str], width: int) -> bool:
    """Whether ``row`` has anything past its first ``width`` cells (some programs end rows with a
    delimiter)."""
    return any(cell.strip() for cell in row[width:])


def _without_empty_unheaded_cells(frame: pd.DataFrame, width: int, file_name: str) -> pd.DataFrame:
    """``frame`` cut to the headings' ``width``, once the cells past it are known to be empty."""
    for column in frame.columns[width:]:
        filled = frame[column].str.strip().ne("")
        if filled.any():
            raise FileProblem(
                f"Row {int(filled.to_numpy().argmax()) + 2} of {file_name} has a value in column "
                f"{column_letter(int(column) + 1)}, which has no heading."
            )
    return frame.iloc[:, :width]


def _comma_hint(delimiter: str) -> str:
    if delimiter != ",":
        return ""
    return " (a number with a decimal comma, such as 94,7, must be in quotes in a comma-separated file)"


def _parse(
    content: bytes,
    encoding: str,
    delimiter: str,
    widths: tuple[int, int],
    file_name: str,
    limits: ReadingLimits,
    deadline: Deadline,
) -> pd.DataFrame:
    """Every row after the headings, as text cells, by pandas' fast parser; a row with more cells than the
    widest of the first rows is refused, never cut short or used as an index.

    ``widths`` are the headings' and the widest first row's (wider when rows end with delimiters). The file
    is parsed :data:`CHUNK_ROWS` rows at a time, with the clock and the row limit looked at after each, so a
    file that reads too slowly is stopped part-way rather than after it has all been read.
    """
    headings, width = widths
    chunks: list[pd.DataFrame] = []
    read = 0
    try:
        with warnings.catch_warnings():
            # pandas only warns when the first row is longer than the headings, and drops the rest.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                io.BytesIO(content),
                encoding=encoding,
                sep=delimiter,
                header=0,
                names=range(width),
                index_col=False,
                dtype=str,
                keep_default_na=False,
                skipinitialspace=True,
                on_bad_lines="error",
                nrows=limits.max_rows + 1,
                engine="c",
                chunksize=CHUNK_ROWS,
            )
            with reader:
                for chunk in reader:
                    chunks.append(chunk)
                    read += len(chunk)
                    deadline.check()
    except FileProblem:
        raise  # the time allowed ran out part-way
    except pd.errors.ParserWarning:
        raise FileProblem(f"Row 2 of {file_name} has more cells than the headings row.") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as error:
        raise FileProblem(
            f"{file_name} is not a well-formed CSV file: {_parser_words(str(error), headings)}."
        ) from None
    if not chunks:
        frame = pd.DataFrame(columns=range(width), dtype=str)
    else:
        frame = pd.concat(chunks) if len(chunks) > 1 else chunks[0]
    if read > limits.max_rows:
        raise FileProblem(
            f"{file_name} has more than {limits.max_rows:,} rows of data, the most one import reads; "
            "split it into smaller files."
        )
    for column in frame.columns:
        lengths = cells.lengths(frame[column])
        if len(lengths) and lengths.max() > limits.max_cell_chars:
            raise FileProblem(
                f"Row {int(frame.index[int(lengths.argmax())]) + 2} of {file_name} has a cell of more than "
                f"{limits.max_cell_chars:,} characters, the most one cell may hold."
            )
    return frame


def _parser_words(message: str, headings: int) -> str:
    """pandas' parser error in plain words (``headings`` being the number of headings)."""
    too_many = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if too_many:
        expected, line, saw = (int(n) for n in too_many.groups())
        above = "the headings row has" if expected == headings else "the rows above it have"
        return f"line {line:,} has {saw:,} cells but {above} {expected:,}"
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        return f"a quotation mark opened in row {int(unclosed.group(1)) + 1:,} is never closed"
    return "its rows could not be split into cells"
