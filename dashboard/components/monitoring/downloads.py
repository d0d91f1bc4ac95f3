"""The monitoring pages' tables as tidy frames for download (:mod:`dashboard.table_downloads`): the quarter
view's provider KPIs and the exceptions list, figures as numbers and every judgement in the pages' words."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import data_access
from dashboard.components import status
from dashboard.components.monitoring.flagged import Flagged
from dashboard.components.monitoring.quarter import NOT_MONEY_OR_STAFF
from dashboard.pack.scorecard import pack_row
from data.scorecard_row import ScorecardRow

SOURCE = (
    "The provider's quarterly returns as loaded into the dashboard; OHID Fingertips for England's figures"
)
LICENCE = (
    f"{data_access.OPEN_GOVERNMENT_LICENCE} for published figures; the provider's figures are illustrative, "
    "made up"
)
KPI_COLUMNS = (
    "KPI code",
    "KPI",
    "Period",
    "Figure",
    "Unit",
    "Provisional",
    "Target",
    "Against target",
    "Process (SPC)",
    "Illustrative",
)
EXCEPTION_COLUMNS = (
    "Indicator code",
    "Indicator",
    "Period",
    "Value",
    "Unit",
    "Target",
    "Against target",
    "Compared with England",
    "Process (SPC)",
    "Why it is an exception",
    "Provider's note",
    "Illustrative",
)


def _spc_words(row: ScorecardRow) -> str:
    written = pack_row(row)
    return written.spc.words if written.spc else written.spc_why


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def kpi_frame(rows: Sequence[ScorecardRow], quarter: str) -> pd.DataFrame:
    """The quarter view's provider KPI table: one row per KPI (not workforce or finance); a KPI with no
    figure for ``quarter`` has a blank figure and "Not assessed", as on the page."""
    records = []
    for row in rows:
        if row.indicator_code.startswith(NOT_MONEY_OR_STAFF):
            continue
        this_quarter = row.period_label == quarter and row.value is not None
        records.append(
            (
                row.kpi_code or row.indicator_code,
                row.short_name,
                quarter,
                row.value if this_quarter else None,
                row.unit,
                _yes(row.provisional) if this_quarter else "",
                row.target,
                pack_row(row).target_status.words if this_quarter else status.target("not assessed").words,
                _spc_words(row),
                _yes(row.illustrative),
            )
        )
    return pd.DataFrame.from_records(records, columns=list(KPI_COLUMNS))


def exceptions_frame(found: Sequence[Flagged]) -> pd.DataFrame:
    """The exceptions list: one row per exception, with its reasons in words."""
    records = []
    for item in found:
        row, written = item.row, pack_row(item.row)
        records.append(
            (
                row.indicator_code,
                row.name,
                row.period_label or "",
                row.value,
                row.unit,
                row.target,
                written.target_status.words,
                written.benchmark.words,
                _spc_words(row),
                " ".join(words for _, words in item.reasons),
                row.value_note or "",
                _yes(row.illustrative),
            )
        )
    return pd.DataFrame.from_records(records, columns=list(EXCEPTION_COLUMNS))
