"""Storing an import's rejected rows compactly: one stored line for many rows refused for the same reason.

A whole-file export of measures the catalogue lacks (DfE LAIT holds hundreds) is refused row by row with the
same words on every row of a measure: "unknown indicator 'X'". Storing each such row separately made a full
LAIT import keep over 600,000 copies of a few hundred sentences. Rows whose first reason is word for word the
same are therefore kept as one stored rejection once there are at least :data:`GROUP_FROM` of them, naming
every row they cover as ranges and any further reason with its own rows: "Rows 2-5,001, 7,300-9,000 (6,701
rows): unknown indicator 'X'; the first is row 2 (England, 2016, value 5.1). Also: unknown area code 'Y'
(rows 12, 1,712)". Fewer rows than that keep a line each, saying which area, period and
figures the row held. Nothing is lost: the ranges name every row, and the whole file is kept with the import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from data.importers.validate import Rejection

GROUP_FROM = 10
"""How many rows must share one reason before they are stored as one line."""


@dataclass(frozen=True)
class StoredRejection:
    """One stored line: the first row it covers, how many rows, those rows as ranges ("2-5001,7300") and
    the line a user reads."""

    row_number: int
    row_count: int
    row_ranges: str
    described: str


def as_ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as runs of consecutive numbers: [2, 3, 4, 9] -> [(2, 4), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def ranges_text(runs: list[tuple[int, int]], *, thousands: bool = False) -> str:
    """Runs written as ranges: "2-5001,7300" for storing, "2-5,001, 7,300" (``thousands``) for reading."""
    form = "{:,}" if thousands else "{}"
    parts = [form.format(a) if a == b else f"{form.format(a)}-{form.format(b)}" for a, b in runs]
    return (", " if thousands else ",").join(parts)


def groups(rejections: list[Rejection]) -> list[list[Rejection]]:
    """``rejections`` gathered by first reason when at least :data:`GROUP_FROM` rows share it, each other row
    alone; in the order of their first rows."""
    by_reason: dict[str, list[Rejection]] = defaultdict(list)
    for rejection in rejections:
        by_reason[rejection.reasons[0] if rejection.reasons else ""].append(rejection)
    gathered: list[list[Rejection]] = []
    for rows in by_reason.values():
        gathered += [rows] if len(rows) >= GROUP_FROM else [[row] for row in rows]
    return sorted(gathered, key=lambda rows: min(r.row_number for r in rows))


def rows_label(rows: list[Rejection], note: str = "") -> str:
    """The rows of a group for reading: "2-26, 29-33 (30 rows)", with ``note`` inside the brackets."""
    return (
        f"{ranges_text(as_ranges([r.row_number for r in rows]), thousands=True)} ({len(rows):,} rows{note})"
    )


def grouped(rejections: list[Rejection]) -> list[StoredRejection]:
    """The lines to store for ``rejections``, in the order of their first rows: one per first reason shared
    by at least :data:`GROUP_FROM` rows, one per row otherwise. A grouped line also names, with their rows,
    any further reasons some of its rows had (an old authority's rows of an unknown measure, say)."""
    lines: list[StoredRejection] = []
    for rows in groups(rejections):
        first = min(rows, key=lambda r: r.row_number)
        if len(rows) == 1:
            lines.append(StoredRejection(first.row_number, 1, str(first.row_number), first.described))
            continue
        example = f"; the first is row {first.row_number:,} ({first.where})" if first.where else ""
        lines.append(
            StoredRejection(
                first.row_number,
                len(rows),
                ranges_text(as_ranges([r.row_number for r in rows])),
                f"Rows {rows_label(rows)}: {first.reasons[0]}{example}{further(rows)}",
            )
        )
    return lines


def further(rows: list[Rejection]) -> str:
    """The reasons after the first that some of ``rows`` had, each with the rows that had it: ". Also:
    unknown area code 'X' (rows 12, 1,712)"."""
    extra: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        for reason in row.reasons[1:]:
            extra[reason].append(row.row_number)
    parts = []
    for reason, numbers in extra.items():
        runs = as_ranges(numbers)
        label = "row" if len(numbers) == 1 else "rows"
        parts.append(f"{reason} ({label} {ranges_text(runs, thousands=True)})")
    return f". Also: {'; '.join(parts)}" if parts else ""
