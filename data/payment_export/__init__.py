"""The performance-linked payment as a workbook a finance officer can audit, and as CSV.

:func:`workbook_bytes` (:mod:`~data.payment_export.xlsx`) writes an XLSX file with the calculation and the
forecast as live Excel formulas and the scheme's audit history; :func:`csv_text`
(:mod:`~data.payment_export.csv`) writes the same KPI rows with the money in pounds and pence, a totals row
last. Both take a :class:`Payment` (:mod:`~data.payment_export.priced`), the one pricing the page shows too.

Money follows :mod:`metrics.payment` exactly (half-up to the penny, as Excel's ROUND does). When the figures
include what-if changes made on screen, the file says so in its name (:func:`file_name`) and on every sheet.
"""

from data.payment_export.csv import CSV_COLUMNS, csv_text
from data.payment_export.priced import NOT_YET_REPORTED, WHAT_IF_LABEL, Payment, file_name
from data.payment_export.xlsx import (
    ASSURANCE_WORDS,
    AT_RISK_ROW,
    AUDIT,
    BUDGET_ROW,
    CALCULATION,
    CALCULATION_COLUMNS,
    COLUMN,
    FCOLUMN,
    FIRST_KPI_ROW,
    FIXED_ROW,
    FORECAST,
    FORECAST_COLUMNS,
    FORECAST_HEADER_ROW,
    HEADER_ROW,
    SHARE_ROW,
    workbook_bytes,
)

__all__ = [
    "ASSURANCE_WORDS",
    "AT_RISK_ROW",
    "AUDIT",
    "BUDGET_ROW",
    "CALCULATION",
    "CALCULATION_COLUMNS",
    "COLUMN",
    "CSV_COLUMNS",
    "FCOLUMN",
    "FIRST_KPI_ROW",
    "FIXED_ROW",
    "FORECAST",
    "FORECAST_COLUMNS",
    "FORECAST_HEADER_ROW",
    "HEADER_ROW",
    "NOT_YET_REPORTED",
    "SHARE_ROW",
    "WHAT_IF_LABEL",
    "Payment",
    "csv_text",
    "file_name",
    "workbook_bytes",
]
