"""How much of a file one import will read, and for how long, so a damaged or hostile file is refused in a
few seconds instead of filling the memory or the clock.

The defaults leave room for a national Fingertips export (one row per indicator, area, period and breakdown,
in 26 columns). Each limit is a setting, read from the environment in one place:

=============================  ===========  ==================================================================
variable                       default      what it limits
=============================  ===========  ==================================================================
``KPI_IMPORT_MAX_ROWS``        2000000      rows of data (the headings row not counted)
``KPI_IMPORT_MAX_COLUMNS``     200          columns, counted to the last cell that holds something
``KPI_IMPORT_MAX_CELL_CHARS``  100000       characters in one cell
``KPI_IMPORT_MAX_MEGABYTES``   500          megabytes of the file; for a workbook, of its unpacked contents
``KPI_IMPORT_MAX_SECONDS``     120          seconds spent reading the file (before its rows are checked)
=============================  ===========  ==================================================================

The clock is looked at every thousand rows of a workbook and every hundred thousand rows of a text file, so a
file that reads too slowly is stopped part-way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields

from data.importers.problems import FileProblem

ENVIRONMENT = {
    "max_rows": "KPI_IMPORT_MAX_ROWS",
    "max_columns": "KPI_IMPORT_MAX_COLUMNS",
    "max_cell_chars": "KPI_IMPORT_MAX_CELL_CHARS",
    "max_megabytes": "KPI_IMPORT_MAX_MEGABYTES",
    "max_seconds": "KPI_IMPORT_MAX_SECONDS",
}


@dataclass(frozen=True)
class ReadingLimits:
    """The most one import reads; see the module docstring for the settings that change each."""

    max_rows: int = 2_000_000
    max_columns: int = 200
    max_cell_chars: int = 100_000
    max_megabytes: int = 500
    max_seconds: int = 120

    @property
    def max_bytes(self) -> int:
        """``max_megabytes`` in bytes (a megabyte being 1024 x 1024 bytes)."""
        return self.max_megabytes * 1024 * 1024

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ReadingLimits:
        """The limits set in ``environ`` (default: this process's environment), the defaults elsewhere.

        A setting that is not a whole number above zero stops with a message naming it, rather than quietly
        reading without that limit.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for setting in fields(cls):
            text = environ.get(ENVIRONMENT[setting.name], "").strip()
            if not text:
                continue
            if not text.isascii() or not text.isdigit() or int(text) < 1:
                raise ValueError(
                    f"The setting {ENVIRONMENT[setting.name]} should be a whole number above 0, not '{text}'."
                )
            values[setting.name] = int(text)
        return cls(**values)


class Deadline:
    """The moment reading a file must be finished by; :meth:`check` refuses the file once it has passed."""

    def __init__(self, limits: ReadingLimits, file_name: str) -> None:
        self.seconds = limits.max_seconds
        self.file_name = file_name
        self.ends = time.monotonic() + limits.max_seconds

    def check(self) -> None:
        """Raise :class:`FileProblem` if the time allowed for reading the file has run out."""
        if time.monotonic() > self.ends:
            raise FileProblem(
                f"{self.file_name} took more than {self.seconds:,} seconds to read, "
                "so reading it was stopped; split it into smaller files."
            )
