"""Numbers written with a decimal comma or a decimal full stop, settled per file from all its numbers, and
refused with an example when they could be read two ways."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.importers import cells, number_text
from data.importers.formats import FINGERTIPS, PROVIDER_RETURN, FileProblem, to_common, to_common_measured
from data.importers.number_text import COMMA, POINT, kind_of, plain


@pytest.mark.parametrize(
    ("text", "kind", "as_point", "as_comma"),
    [
        ("12", "plain", "12", "12"),
        ("1e5", "plain", "1e5", "1e5"),
        ("94.7261896202678", "point", "94.7261896202678", "94.7261896202678"),
        ("94,7261896202678", "comma", "94,7261896202678", "94.7261896202678"),
        ("0.123", "point", "0.123", "0.123"),
        ("0,123", "comma", "0,123", "0.123"),
        ("1234,567", "comma", "1234,567", "1234.567"),
        ("1,234.5", "point", "1234.5", "1,234.5"),
        ("1.234,5", "comma", "1.234,5", "1234.5"),
        ("1,234,567", "point", "1234567", "1,234,567"),
        ("1.234.567", "comma", "1.234.567", "1234567"),
        ("1,234", "either_comma", "1234", "1.234"),
        ("1.234", "either_point", "1.234", "1234"),
        ("-3,5", "comma", "-3,5", "-3.5"),
        ("12%", "other", "12%", "12%"),
        ("1,23,456", "other", "1,23,456", "1,23,456"),
        ("..", "other", "..", ".."),
    ],
)
def test_each_kind_of_number_text_and_its_plain_form(text, kind, as_point, as_comma):
    assert kind_of(text) == kind
    assert (plain(text, POINT), plain(text, COMMA)) == (as_point, as_comma)


def provider_return(rows: list[list[str]]) -> pd.DataFrame:
    header = ["indicator_code", "area_code", "period", "numerator", "denominator", "value"]
    return pd.DataFrame(rows, columns=header)


def test_a_decimal_comma_file_reads_its_thousands_with_full_stops():
    raw = provider_return(
        [["a", "E1", "2024/25 Q1", "1.234", "2.000", "61,7"], ["a", "E2", "2024/25 Q1", "5", "10", "50"]]
    )
    common = to_common(raw, PROVIDER_RETURN)
    assert common[["count", "denominator", "value"]].values.tolist() == [
        ["1234", "2000", "61.7"],
        ["5", "10", "50"],
    ]


def test_a_decimal_point_file_drops_its_thousands_commas():
    raw = provider_return([["a", "E1", "2024/25 Q1", "1,234", "2,000", "61.7"]])
    common = to_common(raw, PROVIDER_RETURN)
    assert common[["count", "denominator", "value"]].values.tolist() == [["1234", "2000", "61.7"]]


def test_text_that_is_not_a_number_is_left_for_validation():
    raw = provider_return([["a", "E1", "2024/25 Q1", "12%", "n/a", "61,7"]])
    common = to_common(raw, PROVIDER_RETURN)
    assert common[["count", "denominator", "value"]].values.tolist() == [["12%", "n/a", "61.7"]]


def test_counts_written_with_thousands_commas_read_as_whole_numbers():
    raw = provider_return(
        [["a", "E1", "2024/25 Q1", "52", "100", "52"], ["a", "E2", "2024/25 Q1", "1,587", "1,702", "93"]]
    )
    common = to_common(raw, PROVIDER_RETURN)
    assert common[["count", "denominator"]].values.tolist() == [["52", "100"], ["1587", "1702"]]


def test_numbers_that_could_be_read_two_ways_refuse_the_file_with_an_example():
    raw = provider_return(
        [["a", "E1", "2024/25 Q1", "52", "100", "52"], ["a", "E2", "2024/25 Q1", "1,234", "2,345", "1,234"]]
    )
    with pytest.raises(FileProblem) as refused:
        to_common(raw, PROVIDER_RETURN)
    assert str(refused.value) == (
        "The file's numbers could be read two ways: '1,234' (row 3, column value) could be 1234 or "
        "1.234, and no number in the file shows which. Save it as CSV with a full stop for decimals and no "
        "thousands separators, then import it again."
    )


def test_a_file_mixing_both_conventions_is_refused_naming_a_cell_of_each():
    raw = pd.DataFrame(
        {
            "Indicator ID": ["1", "1", "1"],
            "Area Code": ["E1", "E2", "E3"],
            "Time period": ["2024", "2024", "2024"],
            "Sex": ["Persons"] * 3,
            "Age": ["All"] * 3,
            "Value": ["12", "94.7", "3"],
            "Count": ["5", "6", "7,5"],
        }
    )
    with pytest.raises(FileProblem) as refused:
        to_common(raw, FINGERTIPS)
    assert str(refused.value) == (
        "The file writes numbers in two ways: '94.7' (row 3, column Value) has a full stop for decimals, but "
        "'7,5' (row 4, column Count) has a comma for decimals. Save it as CSV with a full stop for decimals "
        "and no thousands separators, then import it again."
    )


def test_a_file_with_no_separators_is_returned_as_it_is():
    frame = pd.DataFrame({"row_number": [2, 3], "value": ["1", ""]})
    assert number_text.plain_numbers(frame, {"value": "Value"}) is frame


PLAIN_DECIMALS = [
    "12.5",
    "+12.5",
    "-0.5",
    ".5",
    "-.5",
    "0.123",
    "1.234",
    "-1.234",
    "999.999",
    "0999.999",
    "1000.000",
    "12.3456",
]
"""Cells the array screen finds plain decimals: they need no careful reading."""
SORTED_BY_ARRAYS = [
    *PLAIN_DECIMALS,
    "5.",
    "+.",
    ".",
    "+-1.5",
    "--1.5",
    " 1.5",
    "1.5 ",
    "1.5\x00",
    "1.2.3",
    "1,234.5",
    "1.5e3",
    "١.٥",
    "1.٥",
    "½.5",
    "1.²",
    "12.5%",
    "1,234",
    "94,7",
    "1.234,5",
]


def test_every_number_is_sorted_into_the_kind_it_has_when_read_on_its_own():
    cells = pd.Series(["12", "", "1e5", *SORTED_BY_ARRAYS], index=range(7, 10 + len(SORTED_BY_ARRAYS)))
    marked = cells[3:]
    kinds, _ = number_text._kinds(cells)
    assert kinds.to_dict() == {i: kind_of(text) for i, text in marked.items()}
    ascii_only = cells[cells.map(lambda text: text.isascii() and "\x00" not in text)]
    kinds, simple = number_text._kinds(ascii_only)
    assert kinds.to_dict() == {i: kind_of(text) for i, text in ascii_only[3:].items()}
    assert simple[simple].index.map(ascii_only.get).tolist() == PLAIN_DECIMALS
    # A NUL character, which NumPy's byte strings drop, sends its cell the careful way.
    assert number_text._kinds(pd.Series(["1.5", "1.5\x00", "0.5"]))[1].tolist() == [True, False, True]


def _decimals_equal(found: cells.Decimals, expected: cells.Decimals) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(found, expected, strict=True))


@pytest.mark.parametrize(
    ("rows", "kept"),
    [
        # nothing to rewrite: every number column is kept as written
        ([["a", "E1", "2024/25 Q1", "12", "200", "6.17"], ["a", "E2", "2024/25 Q1", "5", "10", "50.5"]], 3),
        # a decimal comma file: the value and the thousands are rewritten, the plain counts are kept
        ([["a", "E1", "2024/25 Q1", "1.234", "2.000", "61,7"], ["a", "E2", "2024/25 Q1", "5", "10", "5"]], 0),
        ([["a", "E1", "2024/25 Q1", "12", "20", "61,7"], ["a", "E2", "2024/25 Q1", "5", "10", "5"]], 2),
    ],
)
def test_the_number_columns_measured_once_are_those_validation_would_measure(rows, kept):
    """What ``to_common_measured`` hands on to validation is exactly what measuring the common columns
    again gives, and only for columns whose text was not rewritten."""
    common, measured = to_common_measured(provider_return(rows), PROVIDER_RETURN)
    assert common.equals(to_common(provider_return(rows), PROVIDER_RETURN))
    assert len(measured) == kept
    for column, found in measured.items():
        assert _decimals_equal(found, cells.decimals(common[column]))


def _first_by_alignment(frame: pd.DataFrame, kinds: dict, headings: dict) -> dict:
    """The earliest cell of each kind found by aligning each column's kinds with the frame, cell by cell."""
    examples: dict = {}
    for column, column_kinds in kinds.items():
        found = pd.DataFrame({"kind": column_kinds, "text": frame[column], "row": frame["row_number"]})
        firsts = found.dropna(subset="kind").drop_duplicates("kind")
        for kind, text, row_number in firsts.itertuples(index=False):
            if kind not in examples or row_number < examples[kind].row_number:
                examples[kind] = number_text.Example(str(text), int(row_number), headings[column])
    return examples


@pytest.mark.parametrize("shuffled", [False, True])
def test_the_first_cell_of_each_kind_is_the_one_aligning_the_columns_finds(shuffled):
    texts = [*SORTED_BY_ARRAYS, "12", "", "1e5", "7,5", "1.234", "1,234", "94.7"]
    generator = np.random.default_rng(5)
    columns = {name: generator.choice(texts, size=400).tolist() for name in ("value", "count", "denominator")}
    frame = pd.DataFrame({"row_number": range(2, 402), **columns})
    if shuffled:
        frame.index = generator.permutation(len(frame))
    headings = {"value": "Value", "count": "Count", "denominator": "Denominator"}
    kinds = {column: number_text._kinds(frame[column])[0] for column in headings}
    found = number_text._first_of_each_kind(frame, kinds, headings)
    assert found == _first_by_alignment(frame, kinds, headings)
    assert len(found) >= 5
