"""The one writer of CSV and XLSX files: text that a spreadsheet would run is written as text, numbers stay
numbers, and the files read back with pandas and openpyxl as documented."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from data.exports import (
    ABOUT_SHEET,
    CSV_HEADINGS_LINE,
    CSV_SKIPROWS,
    Formula,
    csv_table_lines,
    csv_text,
    frame_csv,
    neutralise,
    put,
    table_start,
    table_workbook,
)

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_starting_with_a_formula_character_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-12.5, -3, Decimal("-0.50"), 0, "-12.50", "+3", "1e-3", "Fenland", "", None]
)
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert neutralise(value) == value


ABOUT = {
    "Title": "=Change in visits, by area",
    "Area": "Cambridgeshire,\nPeterborough",
    "Unit": "Percentage points",
    "Source": "OHID Fingertips",
    "Licence": "Open Government Licence v3.0",
    "Date made": "30 November 2026 09:00",
}


def test_a_csv_has_its_description_first_then_a_blank_line_then_the_tidy_table():
    text = csv_text(
        ["Area", "Change", "Note"], [["Fenland", -1.5, "=1+1"], ["@Ely", Decimal("-2.25"), None]], ABOUT
    )
    assert text.splitlines() == [
        'Title,"\'=Change in visits, by area"',
        'Area,"Cambridgeshire, Peterborough"',
        "Period,Not stated",
        "Unit,Percentage points",
        "Source,OHID Fingertips",
        "Licence,Open Government Licence v3.0",
        "Date made,30 November 2026 09:00",
        "",
        "Area,Change,Note",
        "Fenland,-1.5,'=1+1",
        "'@Ely,-2.25,",
    ]
    assert text.splitlines()[CSV_HEADINGS_LINE - 1] == "Area,Change,Note"
    frame = pd.read_csv(io.StringIO(text), skiprows=CSV_SKIPROWS)
    assert list(frame["Change"]) == [-1.5, -2.25]
    assert [r["Area"] for r in csv.DictReader(csv_table_lines(text))] == ["Fenland", "'@Ely"]


def test_a_csv_description_with_a_field_it_has_no_line_for_is_refused():
    with pytest.raises(ValueError, match="no line for Notes"):
        csv_text(["Area"], [], {"Title": "x", "Notes": "y"})


def test_a_table_as_csv_is_written_as_pandas_writes_it_with_text_neutralised():
    frame = pd.DataFrame(
        {"Period": ["2023/24", "2024/25"], "Value": [-1.0, float("nan")], "Note": ["-x", ""]}
    )
    text = frame_csv(frame, ABOUT)
    assert "".join(csv_table_lines(text)) == "Period,Value,Note\n2023/24,-1.0,'-x\n2024/25,,\n"
    assert pd.read_csv(io.StringIO(text), skiprows=CSV_SKIPROWS)["Value"].iloc[0] == -1.0


def test_an_xlsx_cell_of_text_is_never_a_formula_and_a_product_formula_is():
    book = Workbook()
    sheet = book.active
    for row, value in enumerate(HOSTILE, start=1):
        put(sheet, row, 1, value)
    put(sheet, 1, 2, Formula("=1+1"))
    put(sheet, 2, 2, -5)
    put(sheet, 3, 2, dt.datetime(2026, 11, 29, 9, 30))
    buffer = io.BytesIO()
    book.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue())).active
    # exactly as typed (a reader without lxml gives a carriage return back as a line feed)
    cells = [str(read.cell(row=r, column=1).value) for r in range(1, 7)]
    assert [c.replace("\r", "\n") for c in cells] == [h.replace("\r", "\n") for h in HOSTILE]
    assert all(read.cell(row=r, column=1).data_type == "s" for r in range(1, 7))
    assert all(read.cell(row=r, column=1).quotePrefix for r in range(1, 7))
    assert read["B1"].data_type == "f" and read["B2"].value == -5 and read["B2"].data_type == "n"
    assert read["B3"].value == dt.datetime(2026, 11, 29, 9, 30)


def test_a_table_workbook_has_the_descriptive_block_above_the_table_and_on_an_about_sheet():
    frame = pd.DataFrame({"Period": ["2022/23", "2023/24"], "Fenland": [11.3, 10.4], "Note": ["@x", ""]})
    about = {
        "Title": "Smoking at time of delivery",
        "Area": "Fenland",
        "Period": "2022/23 to 2023/24",
        "Unit": "%",
        "Source": "OHID Fingertips, indicator 93085",
        "Licence": "Open Government Licence v3.0",
    }
    content = table_workbook(frame, about, sheet_title="Trend")
    block_rows = len(about) + 1  # and the date made
    read = pd.read_excel(io.BytesIO(content), sheet_name="Trend", skiprows=block_rows + 1)
    assert list(read.columns) == ["Period", "Fenland", "Note"]
    assert list(read["Fenland"]) == [11.3, 10.4] and read["Note"].iloc[0] == "@x"
    book = load_workbook(io.BytesIO(content))
    assert book["Trend"]["A1"].value == "Title: Smoking at time of delivery"
    assert table_start([("x", "y")] * block_rows) == block_rows + 2
    fields = {row[0].value: row[1].value for row in book[ABOUT_SHEET].iter_rows() if row[0].value}
    assert list(fields) == ["Title", "Area", "Period", "Unit", "Source", "Licence", "Date made"]
    assert fields["Licence"] == "Open Government Licence v3.0"
