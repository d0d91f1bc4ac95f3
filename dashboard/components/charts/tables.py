"""A chart's figures as the rows of its table view: each cell written as the page writes the figure."""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import records
from dashboard.formatting import count, format_value, number

WHOLE_NUMBER_COLUMNS = ("Count", "Denominator", "Population implied by the rate")
SAME_ON_EVERY_ROW = ("Note",)
"""Columns left out of the table view (they are in the download): the illustrative note is on every row."""


def cell(value: object, column: str, indicator: Mapping) -> str:
    """One cell: counts as whole numbers ("1,485"), figures with their unit ("12.9%"), words as they are."""
    if column in WHOLE_NUMBER_COLUMNS:
        figure = number(value)
        return "" if figure is None else count(figure)
    if isinstance(value, str):
        return value
    figure = number(value)
    if figure is None:
        return ""
    return format_value(figure, indicator.get("unit", ""), indicator.get("value_type", ""))


def table_rows(chart: Chart, indicator: Mapping) -> tuple[tuple[str, ...], list[list[str]]]:
    """The header and rows of the chart's table view: exactly the plotted figures, written out."""
    columns = tuple(c for c in chart.data.columns if c not in SAME_ON_EVERY_ROW)
    return columns, [[cell(row[c], c, indicator) for c in columns] for row in records(chart.data)]
