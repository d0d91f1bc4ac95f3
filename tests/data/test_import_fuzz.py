"""Damaged files never break an import: every importer format, mutated, gets a clean answer.

Valid files of each format the importer reads (a provider return as CSV and as XLSX, a Fingertips export, a
tidy extract) are damaged the ways real files are: bytes flipped, cut short, delimiters, quotes and line
breaks inserted, lines dropped or repeated, saved in another encoding, cells filled with junk. Whatever
arrives, :func:`import_bytes` either returns a result that accounts for every row read or raises
:class:`FileProblem` (recorded as a failed import), never anything else; and a strict import of a file with
any rejected or flagged row writes no observation at all.

``KPI_FUZZ_EXAMPLES`` sets how many files each format gets (ten by default, well under a minute in
all; ``make fuzz`` tries thousands).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import schema
from data.db import make_engine
from data.importers.formats import FileProblem
from data.importers.pipeline import import_bytes
from data.importers.template import write_blank_template
from tests.conftest import copy_store
from tests.data.helpers import EAST_OF_ENGLAND_MH, count_rows, provider_proportion
from tests.data.upload_helpers import return_bytes

EXAMPLES = int(os.environ.get("KPI_FUZZ_EXAMPLES", "10"))
CAMBS, PBORO = "E10000003", "E06000031"
TIDY = EAST_OF_ENGLAND_MH.parents[1] / "trafford-dashboard-children" / "neets.csv"


@pytest.fixture(scope="module")
def engine(reference_store_file) -> Iterator[sa.Engine]:
    engine = make_engine("duckdb:///:memory:")
    copy_store(reference_store_file, engine)
    yield engine
    engine.dispose()


def _return_rows(code: str) -> list[list[object]]:
    return [
        [code, CAMBS, "2025/26 Q1", 1500, 1600, None, "yes", None],
        [code, PBORO, "2025/26 Q1", 900, 1000, None, "no", "a note, with a comma"],
        [code, CAMBS, "2025/26 Q2", 1450, 1580, None, "", None],
    ]


def _xlsx(rows: list[list[object]], tmp_dir) -> bytes:
    from openpyxl import load_workbook

    path = write_blank_template(tmp_dir / "return.xlsx")
    workbook = load_workbook(path)
    for row in rows:
        workbook["Return"].append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _head(path, lines: int) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:lines])


@pytest.fixture(scope="module")
def valid_files(engine, tmp_path_factory) -> dict[str, tuple[str, bytes]]:
    """One small valid file of each format, by name: (file name, bytes)."""
    rows = _return_rows(provider_proportion(engine))
    return {
        "provider CSV": ("return.csv", return_bytes(rows)),
        "provider XLSX": ("return.xlsx", _xlsx(rows, tmp_path_factory.mktemp("xlsx"))),
        "Fingertips CSV": (EAST_OF_ENGLAND_MH.name, _head(EAST_OF_ENGLAND_MH, 12)),
        "tidy extract": (TIDY.name, _head(TIDY, 12)),
    }


INSERTS = [
    b",",
    b";",
    b'"',
    b"\n",
    b"\r\n",
    b"\t",
    b"\x00",
    b'"",',
    b"\xef\xbb\xbf",
    "£é".encode(),
    b"\xff\xfe",
]
ENCODINGS = ["utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32"]


@st.composite
def _damaged(draw: st.DrawFn, content: bytes) -> bytes:
    """``content`` damaged in one to three ways."""
    for _ in range(draw(st.integers(1, 3))):
        if not content:
            break
        at = draw(st.integers(0, len(content) - 1))
        how = draw(
            st.sampled_from(["flip", "cut", "insert", "drop line", "repeat line", "encode", "junk field"])
        )
        if how == "flip":
            content = content[:at] + bytes([content[at] ^ draw(st.integers(1, 255))]) + content[at + 1 :]
        elif how == "cut":
            content = content[:at]
        elif how == "insert":
            content = content[:at] + draw(st.sampled_from(INSERTS)) + content[at:]
        elif how in ("drop line", "repeat line"):
            lines = content.splitlines(keepends=True)
            line = draw(st.integers(0, len(lines) - 1))
            lines[line : line + 1] = [] if how == "drop line" else [lines[line]] * 2
            content = b"".join(lines)
        elif how == "encode":
            text = content.decode("utf-8", errors="replace")
            content = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
        else:
            junk = draw(
                st.text(max_size=20) | st.sampled_from(["-1", "1e308", "NaN", "inf", "2025/26 Q9", "E99"])
            )
            fields = content.split(b",")
            index = draw(st.integers(0, len(fields) - 1))
            fields[index] = junk.encode("utf-8")
            content = b",".join(fields)
    return content


CELLS = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.text(st.characters(min_codepoint=32, blacklist_categories=("Cs", "Cc")), max_size=15).filter(
        lambda text: not text.startswith("=")
    ),
    st.sampled_from(["2025/26 Q1", "E10000003", "yes", "no", "", " ", "1,500", "93.75%"]),
)


def _check(engine: sa.Engine, content: bytes, file_name: str, strict: bool) -> None:
    """The import's answer is clean; a strict import with any problem row writes nothing."""
    before = count_rows(engine, schema.observations)
    try:
        result = import_bytes(engine, content, file_name, imported_by="Fuzz test", strict=strict)
    except FileProblem:  # the file could not be read: nothing written, the failure logged with its message
        assert count_rows(engine, schema.observations) == before
        return
    assert result.status in ("loaded", "rejected")
    accounted = result.rows_new + result.rows_updated + result.rows_unchanged + result.rows_rejected
    if result.status == "loaded":
        assert accounted == result.rows_read, result
    if strict and (result.rows_rejected or result.rows_flagged):
        assert result.status == "rejected" and result.rows_loaded == 0
        assert count_rows(engine, schema.observations) == before


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 200,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.mark.parametrize("kind", ["provider CSV", "provider XLSX", "Fingertips CSV", "tidy extract"])
def test_damaged_files_get_a_clean_answer(engine, valid_files, kind):
    file_name, content = valid_files[kind]

    @SETTINGS
    @given(damaged=_damaged(content), strict=st.booleans())
    def attempt(damaged: bytes, strict: bool) -> None:
        _check(engine, damaged, file_name, strict)

    attempt()


def test_returns_with_junk_cells_get_a_clean_answer(engine, tmp_path_factory):
    code = provider_proportion(engine)
    tmp_dir = tmp_path_factory.mktemp("junk")

    @SETTINGS
    @given(
        rows=st.lists(st.lists(CELLS, min_size=0, max_size=10), min_size=1, max_size=4),
        keep_code=st.booleans(),
        as_xlsx=st.booleans(),
        strict=st.booleans(),
    )
    def attempt(rows: list[list[object]], keep_code: bool, as_xlsx: bool, strict: bool) -> None:
        if keep_code:
            rows = [[code, *row[1:]] for row in rows]
        if as_xlsx:
            _check(engine, _xlsx(rows, tmp_dir), "return.xlsx", strict)
        else:
            _check(engine, return_bytes(rows), "return.csv", strict)

    attempt()


def test_a_heading_row_with_blank_headings_loads_its_rows(engine):
    # found by the fuzzing above: a field the format does not have was read from a blank heading
    code = provider_proportion(engine)
    content = (
        "indicator_code,area_code,period,numerator,denominator,value,provisional,,,\r\n"
        f"{code},{PBORO},2024/25 Q3,900,1000,,no,,,\r\n"
    ).encode()
    result = import_bytes(engine, content, "return.csv", imported_by="Fuzz test")
    assert (result.status, result.rows_read, result.rows_rejected) == ("loaded", 1, 0)
