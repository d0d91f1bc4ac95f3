"""Which way a file writes its numbers, decided once per file, and the numbers rewritten in one plain way.

A file saved in the UK writes ninety-four point seven as ``94.7`` and twelve thousand as ``12,000``; one saved
in a continental locale (LibreOffice, Google Sheets or Excel set to French or German, say) writes ``94,7``
and ``12.000``. Read the wrong way, ``94,7261896202678`` becomes 947,261,896,202,678, so the convention is
settled from every number in the file's number columns together, never cell by cell:

* a cell that can only be one way (``94,7`` or ``1.234,5`` for the decimal comma; ``94.7``, ``0.123``,
  ``1,234.5`` or ``1,234,567`` for the decimal full stop) decides it;
* cells that could be either (``1,234`` and ``1.234``: a thousands separator, or three decimals) follow the
  cells that decide;
* when nothing decides it and the only such cells are counts and denominators written like ``1,587``, the
  commas are thousands separators: a count of people is whole, and ``1.587`` people is not a reading anyone
  means (this is how a UK spreadsheet writes a count);
* otherwise a file with cells of both kinds, or with only cells that could be either, is refused with an
  example, because any reading of it could be wrong.

Numbers are then rewritten with a full stop for decimals and no thousands separators (``94,7`` ->
``94.7``, ``12.000`` -> ``12000`` in a decimal-comma file; ``12,000`` -> ``12000`` in a decimal-point file).
Text that is not a number in either convention is left exactly as written, for validation to reject with its
row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.importers import cells
from data.importers.problems import FileProblem

# Kinds of number text. "either_*" cells read differently in the two conventions.
PLAIN = "plain"  # 12, -3, 1e5: the same in both
POINT = "point"  # only possible with a full stop for decimals
COMMA = "comma"  # only possible with a comma for decimals
EITHER_COMMA = "either_comma"  # 1,234: 1234 with a full stop for decimals, 1.234 with a comma
EITHER_POINT = "either_point"  # 1.234: 1.234 with a full stop for decimals, 1234 with a comma
OTHER = "other"  # not a number either way

_EXPONENT = r"(?:[eE][+-]?\d+)?"
_NUMBER = re.compile(
    rf"""[+-]?(?:
      (?P<{PLAIN}>\d+{_EXPONENT})
    | (?P<{EITHER_POINT}>[1-9]\d{{0,2}}\.\d{{3}})
    | (?P<{EITHER_COMMA}>[1-9]\d{{0,2}},\d{{3}})
    | (?P<{POINT}>\d*\.\d+{_EXPONENT} | [1-9]\d{{0,2}}(?:,\d{{3}})+\.\d+ | [1-9]\d{{0,2}}(?:,\d{{3}}){{2,}})
    | (?P<{COMMA}>\d*,\d+{_EXPONENT} | [1-9]\d{{0,2}}(?:\.\d{{3}})+,\d+ | [1-9]\d{{0,2}}(?:\.\d{{3}}){{2,}})
    )""",
    re.VERBOSE,
)
# The kinds rewritten under each convention; the others are left as they are.
_REWRITTEN = {POINT: {POINT, EITHER_POINT, EITHER_COMMA}, COMMA: {COMMA, EITHER_POINT, EITHER_COMMA}}
# Columns that hold whole numbers of people or events, where ``1,587`` can only be one thousand five hundred
# and eighty-seven.
WHOLE_COLUMNS = frozenset({"count", "denominator"})
_RESAVE = "Save it as CSV with a full stop for decimals and no thousands separators, then import it again."


def kind_of(text: str) -> str:
    """Which kind of number ``text`` is (one of the module's kind constants); surrounding spaces ignored."""
    match = _NUMBER.fullmatch(text.strip())
    return (match.lastgroup or OTHER) if match else OTHER


def plain(text: str, convention: str) -> str:
    """``text`` rewritten with a full stop for decimals and no thousands separators, read in ``convention``
    (:data:`POINT` or :data:`COMMA`); text of a kind that convention does not rewrite comes back unchanged."""
    text = text.strip()
    if kind_of(text) not in _REWRITTEN[convention]:
        return text
    if convention == POINT:
        return text.replace(",", "")
    return text.replace(".", "").replace(",", ".")


@dataclass(frozen=True)
class Example:
    """One cell of a kind: its text, spreadsheet row number and column heading, for messages."""

    text: str
    row_number: int
    heading: str

    def where(self) -> str:
        return f"'{self.text}' (row {self.row_number}, column {self.heading})"


def plain_numbers(frame: pd.DataFrame, headings: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with the number text in the columns ``headings`` names rewritten in one plain way.

    ``frame`` holds text cells and a ``row_number`` column; ``headings`` maps each number column to its
    heading in the file, for messages. Raises :class:`FileProblem` when the file mixes the two conventions
    or its numbers could be read either way.
    """
    return plain_numbers_measured(frame, headings)[0]


def plain_numbers_measured(
    frame: pd.DataFrame, headings: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, cells.Decimals]]:
    """:func:`plain_numbers`, with how each number column it left exactly as written is written
    (:func:`data.importers.cells.decimals`), so validation reads those columns without measuring them
    again."""
    kinds: dict[str, pd.Series] = {}
    simple: dict[str, pd.Series] = {}
    measured: dict[str, cells.Decimals] = {}
    for column in headings:
        measured[column] = cells.decimals(frame[column])
        kinds[column], simple[column] = _kinds_of(frame[column], measured[column])
    examples = _first_of_each_kind(frame, kinds, headings)
    convention = POINT if _only_counts_with_thousands(kinds) else _convention(examples)
    if convention is None:
        return frame, measured
    frame = frame.copy()
    for column, column_kinds in kinds.items():
        rewritten = column_kinds.isin(_REWRITTEN[convention])
        if convention == POINT:
            rewritten &= ~simple[column]  # a plain decimal with a full stop is already in its plain form
        rewrite = column_kinds[rewritten].index
        if len(rewrite):
            old = frame.loc[rewrite, column]
            frame.loc[rewrite, column] = old.map(
                {value: plain(value, convention) for value in pd.unique(old)}
            )
            del measured[column]
    return frame, measured


def _kinds(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The kind of each cell of ``column`` that holds a full stop or a comma, and which of them are simple
    decimals: an optional sign, ASCII digits, one full stop and at least one ASCII digit, nothing else.

    Simple decimals, nearly every number in a published file, are sorted by array operations on the cells'
    bytes, to the kind :func:`kind_of` gives them (``1.234`` could be either; ``0.123``, ``12.5`` and ``.5``
    only a decimal point); every other cell is read by :func:`kind_of`, once per distinct text.
    """
    return _kinds_of(column, cells.decimals(column))


def _kinds_of(column: pd.Series, written: cells.Decimals) -> tuple[pd.Series, pd.Series]:
    """:func:`_kinds`, given how the column's cells are written as decimals."""
    simple = written.written & (written.points == 1) & (written.fraction >= 1)
    either = simple & (written.fraction == 3) & (written.whole >= 1) & (written.whole <= 3)
    either &= written.first != ord("0")
    marked = written.written & (written.points == 1)
    unsorted = ~written.written
    if unsorted.any():
        marked[unsorted] = column[unsorted].str.contains(r"[.,]", regex=True).to_numpy(dtype=bool)
    kinds = np.full(int(marked.sum()), OTHER, dtype=object)
    kinds[simple[marked]] = POINT
    kinds[either[marked]] = EITHER_POINT
    simple = simple[marked]
    found = column[marked]
    rest = ~simple
    if rest.any():
        others = found[rest]
        kinds[rest] = others.map({value: kind_of(value) for value in pd.unique(others)}).to_numpy()
    return pd.Series(kinds, index=found.index), pd.Series(simple, index=found.index)


def _only_counts_with_thousands(kinds: Mapping[str, pd.Series]) -> bool:
    """True when the only cells that need a convention are counts or denominators like ``1,587``."""
    found = {(column, kind) for column, column_kinds in kinds.items() for kind in pd.unique(column_kinds)}
    needing = {(column, kind) for column, kind in found if kind not in (PLAIN, OTHER)}
    return bool(needing) and all(kind == EITHER_COMMA and column in WHOLE_COLUMNS for column, kind in needing)


def _first_of_each_kind(
    frame: pd.DataFrame, kinds: Mapping[str, pd.Series], headings: Mapping[str, str]
) -> dict[str, Example]:
    """The earliest cell of each kind, looking across all the number columns."""
    examples: dict[str, Example] = {}
    for column, column_kinds in kinds.items():
        for kind, text, row_number in _firsts(frame, column, column_kinds):
            if kind not in examples or row_number < examples[kind].row_number:
                examples[kind] = Example(text, row_number, headings[column])
    return examples


def _firsts(frame: pd.DataFrame, column: str, column_kinds: pd.Series) -> list[tuple[str, str, int]]:
    """Each kind met in one column with the text and row number of its first cell, in the order met.

    The kinds are numbered once (:func:`pandas.factorize`) and the first cell of each found from the
    numbers; a frame whose index is out of order is read the slower way, by aligning the columns.
    """
    if not (frame.index.is_unique and frame.index.is_monotonic_increasing):
        cells = pd.DataFrame({"kind": column_kinds, "text": frame[column], "row": frame["row_number"]})
        firsts = cells.dropna(subset="kind").drop_duplicates("kind")
        return [(str(k), str(t), int(r)) for k, t, r in firsts.itertuples(index=False)]
    codes, found = pd.factorize(column_kinds)
    _, first = np.unique(codes, return_index=True)
    first.sort()
    at = column_kinds.index[first]
    texts, rows = frame.loc[at, column].tolist(), frame.loc[at, "row_number"].tolist()
    return [(str(found[codes[p]]), str(t), int(r)) for p, t, r in zip(first, texts, rows, strict=True)]


def _convention(examples: Mapping[str, Example]) -> str | None:
    """:data:`POINT` or :data:`COMMA` as the cells decide, None when no cell needs rewriting."""
    point, comma = examples.get(POINT), examples.get(COMMA)
    if point and comma:
        first, second = sorted((point, comma), key=lambda e: e.row_number)
        raise FileProblem(
            f"The file writes numbers in two ways: {first.where()} {_reading(first)}, but {second.where()} "
            f"{_reading(second)}. {_RESAVE}"
        )
    if comma:
        return COMMA
    if point:
        return POINT
    either = [examples[kind] for kind in (EITHER_COMMA, EITHER_POINT) if kind in examples]
    if either:
        example = min(either, key=lambda e: e.row_number)
        as_point, as_comma = plain(example.text, POINT), plain(example.text, COMMA)
        raise FileProblem(
            f"The file's numbers could be read two ways: {example.where()} could be {as_point} or "
            f"{as_comma}, and no number in the file shows which. {_RESAVE}"
        )
    return None


def _reading(example: Example) -> str:
    """Why a cell can only be read one way, in words."""
    if kind_of(example.text) == COMMA:
        return "has a comma for decimals" if "," in example.text else "has full stops between thousands"
    return "has a full stop for decimals" if "." in example.text else "has commas between thousands"
