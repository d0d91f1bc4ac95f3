"""Reading real files safely: the encodings and delimiters Excel and LibreOffice write, duplicated headings,
and hostile files refused in a sentence, quickly, within the reading limits."""

from __future__ import annotations

import io
import resource
import time

import pandas as pd
import pytest

from data.importers import reading_limits
from data.importers.formats import FileProblem
from data.importers.readers import read_table
from data.importers.reading_limits import ReadingLimits
from tests.data.helpers import EAST_OF_ENGLAND_MH
from tests.data.reading_files import (
    declares_whole_sheet,
    delimited,
    fingertips_rows,
    rewrite_sheet,
    styled_far_right,
    wide_heading_csv,
    wide_row_csv,
    workbook,
    zip_bomb,
)

HEADINGS = ["Indicator ID", "Area Code", "Time period", "Sex", "Age", "Value"]
ROW = ["90813", "E10000003", "2017/18", "Persons", "10-24 yrs", "662.7"]


def test_a_bundled_fingertips_export_reads_exactly_as_pandas_reads_it():
    expected = pd.read_csv(EAST_OF_ENGLAND_MH, dtype=str, keep_default_na=False, skipinitialspace=True)
    table = read_table(EAST_OF_ENGLAND_MH.read_bytes(), EAST_OF_ENGLAND_MH.name)
    pd.testing.assert_frame_equal(table, expected)
    assert table.loc[0, "Value"] == "9.23290978024279" and table.shape == (130, 26)


def test_excel_unicode_text_utf16_tab_separated_is_read():
    rows = fingertips_rows()
    content = delimited(rows, "\t").encode("utf-16")  # Python writes the byte-order mark, as Excel does
    assert content[:2] == b"\xff\xfe"
    table = read_table(content, "unicode text.txt")
    assert table.equals(read_table(EAST_OF_ENGLAND_MH.read_bytes(), "export.csv"))


def test_windows_1252_csv_is_read():
    content = delimited([[*HEADINGS[:2], "AreaName"], ["1", "E10000003", "Cambridgeshire – “county”"]])
    table = read_table(content.encode("cp1252"), "excel.csv")
    assert table.loc[0, "AreaName"] == "Cambridgeshire – “county”"


def test_semicolon_separated_file_with_decimal_commas_is_read_with_its_cells_intact():
    content = delimited([HEADINGS, [*ROW[:5], "662,7"], [*ROW[:5], "1,5"]], ";").encode()
    table = read_table(content, "continental.csv")
    assert list(table.columns) == HEADINGS
    assert table["Value"].tolist() == ["662,7", "1,5"]  # the number text is made plain later, per file


def test_tab_separated_file_is_read():
    table = read_table(delimited([HEADINGS, ROW], "\t").encode(), "tabs.tsv")
    assert table.iloc[0].tolist() == ROW


def test_a_row_longer_than_the_headings_is_refused_not_used_as_an_index():
    # pandas on its own reads "a,b / 1,2,3" by taking 1 as the row label and 2, 3 as a and b.
    with pytest.raises(FileProblem, match=r"Row 2 of short.csv has 7 cells but the headings row has 6"):
        read_table(delimited([HEADINGS, [*ROW, "extra"]]).encode(), "short.csv")


def test_delimiters_ending_every_row_are_not_extra_columns():
    for content in (b"Indicator ID,Value\r\n1,2,\r\n3,4,\r\n", b"Indicator ID,Value\r\n1,2,,\r\n3,4,\r\n"):
        assert read_table(content, "trailing.csv").values.tolist() == [["1", "2"], ["3", "4"]]
    later = b"Indicator ID,Value\r\n" + b"1,2,\r\n" * 60 + b"3,4,x\r\n"
    with pytest.raises(
        FileProblem, match=r"Row 62 of late\.csv has a value in column C, which has no heading"
    ):
        read_table(later, "late.csv")


def test_unquoted_decimal_commas_in_a_comma_separated_file_are_refused_in_words():
    rows = [HEADINGS] + [ROW] * 27 + [[*ROW[:5], "662,7"]]
    content = "\r\n".join(",".join(row) for row in rows).encode()  # as a careless export writes it
    with pytest.raises(FileProblem) as refused:
        read_table(content, "mixed.csv")
    assert str(refused.value) == (
        "Row 29 of mixed.csv has 7 cells but the headings row has 6 (a number with a decimal comma, such as "
        "94,7, must be in quotes in a comma-separated file)."
    )


def test_a_long_row_beyond_the_first_rows_is_refused_with_its_line():
    rows = [HEADINGS] + [ROW] * 60 + [[*ROW, "x", "y"]]
    with pytest.raises(
        FileProblem, match=r"not a well-formed CSV file: line 62 has 8 cells but the headings"
    ):
        read_table(delimited(rows).encode(), "late.csv")


def test_an_old_excel_workbook_is_named_as_such():
    with pytest.raises(FileProblem, match=r"Excel 97-2003 workbook \(.xls\).*save it as"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: delimited(
                [["Indicator ID", "Value", "Area Code", "Value"], ["1", "2", "E1", "3"]]
            ).encode(),
            "The heading 'Value' appears twice (columns B and D) in dup: rename or delete all but one.",
        ),
        (
            lambda: workbook(
                [
                    ["Indicator ID", "Area Code", "Sex", "Value", "Age", "Period", "Note", "Value"],
                    [1, "E1", "Persons", 2, "All", "2024", "", 3],
                ]
            ),
            "The heading 'Value' appears twice (columns D and H) in dup: rename or delete all but one.",
        ),
        (
            lambda: delimited([["Value", "Area Code", "VALUE", "Value"], ["1", "E1", "2", "3"]]).encode(),
            "The headings 'Value' (column A) and 'VALUE' (column C) and 'Value' (column D) in dup are the "
            "same heading written more than once: rename or delete all but one.",
        ),
    ],
)
def test_a_heading_written_twice_is_refused_naming_the_columns(make, message):
    with pytest.raises(FileProblem) as refused:
        read_table(make(), "dup")
    assert str(refused.value) == message


def test_a_workbook_value_beyond_the_last_heading_is_refused_not_dropped():
    content = workbook([HEADINGS, [*ROW, "stray"]])
    with pytest.raises(FileProblem, match=r"Row 2 of r\.xlsx has a value in column G, which has no heading"):
        read_table(content, "r.xlsx")


def test_trailing_empty_formatted_cells_do_not_count_as_columns():
    table = read_table(styled_far_right([HEADINGS, ROW]), "styled.xlsx")
    assert list(table.columns) == HEADINGS and table.iloc[0].tolist() == ROW


class Measured:
    """Time and growth of peak memory (resident set) while reading one file."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.extra_megabytes = 0.0

    def __enter__(self) -> Measured:
        self._peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self._start = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self._start
        self.extra_megabytes = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - self._peak) / 1024


def refusal(content: bytes, name: str, limits: ReadingLimits | None = None) -> tuple[str, Measured]:
    with Measured() as measured, pytest.raises(FileProblem) as refused:
        read_table(content, name, limits)
    return str(refused.value), measured


def test_a_tiny_workbook_declaring_every_cell_is_read_as_the_cells_it_holds():
    content = declares_whole_sheet([HEADINGS, ROW])
    assert len(content) < 8000
    with Measured() as measured:
        table = read_table(content, "whole.xlsx")
    assert table.iloc[0].tolist() == ROW and table.shape == (1, 6)
    assert measured.seconds < 2 and measured.extra_megabytes < 50


def test_a_zip_bomb_workbook_is_refused_by_its_unpacked_size_before_parsing():
    content = zip_bomb(unpacked_megabytes=30)
    assert len(content) < 100_000
    message, measured = refusal(content, "bomb.xlsx", ReadingLimits(max_megabytes=20))
    assert message == "bomb.xlsx unpacks to 30 MB, more than the 20 MB one import reads."
    assert measured.seconds < 1 and measured.extra_megabytes < 20


def test_a_csv_with_a_million_headings_is_refused_at_once():
    message, measured = refusal(wide_heading_csv(), "wide.csv")
    assert message == "wide.csv has more than 200 columns, the most one import reads."
    assert measured.seconds < 3 and measured.extra_megabytes < 300


def test_a_csv_with_a_million_cells_in_a_row_is_refused_at_once():
    content = wide_row_csv()
    assert len(content) < 1_100_000
    message, measured = refusal(content, "row.csv")
    assert message == "Row 2 of row.csv has 1,000,000 cells, more than the 200 columns one import reads."
    assert measured.seconds < 3 and measured.extra_megabytes < 300


def test_a_file_over_the_size_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setenv("KPI_IMPORT_MAX_MEGABYTES", "1")
    content = delimited([HEADINGS] + [ROW] * 30_000).encode()
    assert len(content) > 1024 * 1024
    message, measured = refusal(content, "big.csv")
    assert message == "big.csv is larger than 1 MB, the most one import reads; split it into smaller files."
    assert measured.seconds < 0.5


@pytest.mark.parametrize("as_workbook", [False, True])
def test_more_rows_than_the_limit_are_refused(monkeypatch, as_workbook):
    monkeypatch.setenv("KPI_IMPORT_MAX_ROWS", "100")
    rows = [HEADINGS] + [ROW] * 101
    content = workbook(rows) if as_workbook else delimited(rows).encode()
    message, _ = refusal(content, "many")
    assert (
        message
        == "many has more than 100 rows of data, the most one import reads; split it into smaller files."
    )
    assert (
        read_table(workbook(rows[:101]) if as_workbook else delimited(rows[:101]).encode(), "ok").shape[0]
        == 100
    )


def test_a_workbook_wider_than_the_column_limit_is_refused():
    content = workbook([HEADINGS, ROW, [*([""] * 200), "far"]])
    message, _ = refusal(content, "far.xlsx")
    assert message == "Row 3 of far.xlsx has values beyond column GR: one import reads at most 200 columns."


def test_a_csv_cell_longer_than_the_limit_is_refused():
    message, _ = refusal(delimited([HEADINGS, [*ROW[:5], "9" * 100_001]]).encode(), "long.csv")
    assert (
        message == "Row 2 of long.csv has a cell of more than 100,000 characters, the most one cell may hold."
    )


def test_a_workbook_cell_longer_than_the_limit_is_refused():
    # Excel holds at most 32,767 characters in a cell, below the default limit, so the limit is lowered here.
    content = workbook([HEADINGS, [*ROW[:5], "9" * 30_000]])
    message, _ = refusal(content, "long.xlsx", ReadingLimits(max_cell_chars=20_000))
    assert message == "Cell F2 of long.xlsx holds more than 20,000 characters, the most one cell may hold."


def test_a_cell_past_the_first_rows_longer_than_the_limit_is_refused():
    rows = [HEADINGS] + [ROW] * 3000 + [[*ROW[:5], "9" * 100_001]]
    message, _ = refusal(delimited(rows).encode(), "late.csv")
    assert message.startswith("Row 3002 of late.csv has a cell of more than 100,000 characters")


def test_reading_that_runs_out_of_time_is_stopped(monkeypatch):
    clock = iter(range(0, 10_000, 5))  # each look at the clock is five seconds later
    monkeypatch.setattr(reading_limits.time, "monotonic", lambda: next(clock))
    content = workbook([HEADINGS] + [ROW] * 2500)
    message, _ = refusal(content, "slow.xlsx", ReadingLimits(max_seconds=7))
    assert message == (
        "slow.xlsx took more than 7 seconds to read, so reading it was stopped; split it into smaller files."
    )


def test_a_text_file_that_parses_too_slowly_is_stopped_part_way(monkeypatch):
    """The clock is looked at while a CSV is parsed, every 100,000 rows, not only once it has all been read:
    with each look five seconds later and twelve seconds allowed, a 250,000-row file is stopped at its second
    part (a file of one part would pass)."""
    clock = iter(range(0, 10_000, 5))
    monkeypatch.setattr(reading_limits.time, "monotonic", lambda: next(clock))
    content = delimited([HEADINGS] + [ROW] * 250_000).encode()
    message, _ = refusal(content, "slow.csv", ReadingLimits(max_seconds=12))
    assert message == (
        "slow.csv took more than 12 seconds to read, so reading it was stopped; split it into smaller files."
    )


def test_limits_come_from_the_environment_with_defaults_for_a_national_export():
    assert ReadingLimits.from_environment({}) == ReadingLimits(2_000_000, 200, 100_000, 500, 120)
    assert ReadingLimits.from_environment({"KPI_IMPORT_MAX_ROWS": "10", "KPI_IMPORT_MAX_SECONDS": " 5 "}) == (
        ReadingLimits(max_rows=10, max_seconds=5)
    )
    with pytest.raises(
        ValueError, match="KPI_IMPORT_MAX_COLUMNS should be a whole number above 0, not 'lots'"
    ):
        ReadingLimits.from_environment({"KPI_IMPORT_MAX_COLUMNS": "lots"})


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "not an Excel workbook we can read"),
        (io.BytesIO(workbook([HEADINGS, ROW])).getvalue()[:-200], "not an Excel workbook we can read"),
        (b"\xff\xfe" + "a\tb\n".encode("utf-16-le") + b"\x00", "says it is UTF-16 text but is not"),
        (b'Indicator ID,Value\n1,"2\n', "a quotation mark opened in row 2 is never closed"),
    ],
)
def test_damaged_files_get_one_sentence(content, words):
    with pytest.raises(FileProblem, match=words):
        read_table(content, "damaged")


def test_a_workbook_with_a_row_at_the_bottom_of_the_sheet_reads_its_rows_quickly():
    content = workbook([HEADINGS, ROW])
    last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>note</t></is></c></row></sheetData>'
    with Measured() as measured:
        table = read_table(rewrite_sheet(content, lambda xml: xml.replace(b"</sheetData>", last)), "far.xlsx")
    assert table.shape == (2, 6) and table.iloc[1, 0] == "note"
    assert measured.seconds < 5


def test_a_workbook_with_a_damaged_sheet_gets_one_sentence():
    content = rewrite_sheet(workbook([HEADINGS, ROW]), lambda xml: xml.replace(b"</sheetData>", b"<row"))
    with pytest.raises(FileProblem, match=r"^damaged\.xlsx is not an Excel workbook we can read\.$"):
        read_table(content, "damaged.xlsx")


def test_a_cell_too_long_for_the_first_look_is_refused_at_once():
    content = b"Indicator ID,Value\r\n1," + b"9" * (2 * 1024 * 1024) + b"\r\n"
    message, measured = refusal(content, "huge.csv")
    assert message == (
        "huge.csv has a cell of more than 100,000 characters in its first rows, the most one cell may hold."
    )
    assert measured.seconds < 2
