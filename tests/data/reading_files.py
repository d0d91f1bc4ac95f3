"""Files in the shapes users and attackers send, made on the spot for the reading tests: Excel's "Unicode
text", continental CSV, and workbooks and CSVs built to exhaust a careless reader."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

from tests.data.helpers import EAST_OF_ENGLAND_MH

NUMBER_HEADINGS = (
    "Value",
    "Lower_CI_95.0_limit",
    "Upper_CI_95.0_limit",
    "Lower_CI_99.8_limit",
    "Upper_CI_99.8_limit",
    "Count",
    "Denominator",
)


def fingertips_rows() -> list[list[str]]:
    """The bundled East of England Fingertips export as rows of text, headings first."""
    with EAST_OF_ENGLAND_MH.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def continental(rows: list[list[str]]) -> list[list[str]]:
    """``rows`` as a continental locale writes them: a comma for decimals in the number columns."""
    number_columns = [i for i, heading in enumerate(rows[0]) if heading in NUMBER_HEADINGS]
    return [rows[0]] + [
        [cell.replace(".", ",") if i in number_columns else cell for i, cell in enumerate(row)]
        for row in rows[1:]
    ]


def delimited(rows: list[list[str]], delimiter: str = ",", *, quote_all: bool = False) -> str:
    """``rows`` as delimited text with CRLF line ends, as Excel and LibreOffice write them."""
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def workbook(rows: list[list[object]]) -> bytes:
    """An .xlsx workbook with ``rows`` on its first sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """``content`` (an .xlsx) with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def declares_whole_sheet(rows: list[list[object]]) -> bytes:
    """A small workbook whose sheet claims to fill every cell Excel allows (A1:XFD1048576)."""
    return rewrite_sheet(
        workbook(rows), lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
    )


def zip_bomb(unpacked_megabytes: int) -> bytes:
    """A workbook whose sheet unpacks to ``unpacked_megabytes`` of blank space: a megabyte of file per
    gigabyte unpacked."""
    chunk = b" " * (1024 * 1024)
    out = io.BytesIO(workbook([["Indicator ID", "Value"], [1, 2]]))
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
        target.open("xl/worksheets/padding.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(unpacked_megabytes):
            member.write(chunk)
    return out.getvalue()


def styled_far_right(rows: list[list[object]]) -> bytes:
    """A workbook whose heading row has an empty but formatted cell in the last column Excel allows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    sheet.cell(row=1, column=16384).font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def wide_heading_csv(columns: int = 1_000_000) -> bytes:
    """A CSV whose heading row has ``columns`` headings."""
    return (",".join(f"c{i}" for i in range(columns)) + "\r\n1,2\r\n").encode()


def wide_row_csv(fields: int = 1_000_000) -> bytes:
    """A CSV of about a megabyte: ordinary headings, then one row of ``fields`` empty cells."""
    return b"Indicator ID,Area Code,Time period,Sex,Age,Value\r\n" + b"," * (fields - 1) + b"\r\n"
