"""Small page components in the GOV.UK Design System patterns: summary list, table, details, warning text.

Class names start ``app-`` so a council can restyle them in ``dashboard/assets/style.css`` without
touching the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from dash import html

from dashboard.components.attributes import extra


class OptionalId(TypedDict, total=False):
    """The ``id`` keyword for a component, present only when there is one: Dash refuses ``id=None``."""

    id: str


def optional_id(id: str | None) -> OptionalId:
    """``{"id": id}`` if ``id`` is given, else ``{}``: spread into a component with ``**optional_id(id)``."""
    return {"id": id} if id else {}


def visually_hidden(text: str) -> html.Span:
    """Text for screen readers only."""
    return html.Span(text, className="app-visually-hidden")


def select(
    field_id: str, name: str, label: str, options: Sequence[tuple[str, str]], selected: str
) -> html.Div:
    """A labelled drop-down in a form group: ``options`` are (value, text) pairs, ``selected`` is chosen."""
    return html.Div(
        [
            html.Label(label, htmlFor=field_id, className="app-label"),
            html.Select(
                [html.Option(text, value=value, selected=value == selected) for value, text in options],
                id=field_id,
                name=name,
                className="app-select",
            ),
        ],
        className="app-form-group",
    )


def summary_list(rows: Sequence[tuple], id: str | None = None) -> html.Dl:
    """A summary list: ``(key, value)`` pairs as a description list."""
    items = [
        html.Div(
            [
                html.Dt(key, className="app-summary-list__key"),
                html.Dd(value, className="app-summary-list__value"),
            ],
            className="app-summary-list__row",
        )
        for key, value in rows
    ]
    return html.Dl(items, className="app-summary-list", **optional_id(id))


def table(
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    numeric: Sequence[str] = (),
    row_headers: bool = True,
    caption_size: str = "m",
    id: str | None = None,
    modifier: str | None = None,
) -> html.Table:
    """A semantic table: a caption, column headers with ``scope="col"``, the first cell of each row as a
    row header with ``scope="row"`` (unless ``row_headers`` is False), and the ``numeric`` columns
    right-aligned in tabular figures. ``modifier`` is a class added to the table's ("app-table--legend")."""
    numeric_index = {i for i, name in enumerate(columns) if name in numeric}

    def cell_class(i: int, header: bool) -> str:
        base = "app-table__header" if header else "app-table__cell"
        return f"{base} {base}--numeric" if i in numeric_index else base

    head = html.Thead(
        html.Tr(
            [html.Th(name, scope="col", className=cell_class(i, True)) for i, name in enumerate(columns)],
            className="app-table__row",
        ),
        className="app-table__head",
    )
    body_rows = []
    for row in rows:
        cells: list[html.Th | html.Td] = []
        for i, value in enumerate(row):
            if i == 0 and row_headers:
                cells.append(
                    html.Th(
                        value, scope="row", className=cell_class(i, False) + " app-table__cell--row-header"
                    )
                )
            else:
                cells.append(html.Td(value, className=cell_class(i, False)))
        body_rows.append(html.Tr(cells, className="app-table__row"))
    return html.Table(
        [
            html.Caption(caption, className=f"app-table__caption app-table__caption--{caption_size}"),
            head,
            html.Tbody(body_rows, className="app-table__body"),
        ],
        className=f"app-table {modifier}" if modifier else "app-table",
        **optional_id(id),
    )


def details(summary: str, children, id: str | None = None) -> html.Details:
    """A disclosure ("How is this calculated?")."""
    return html.Details(
        [
            html.Summary(
                html.Span(summary, className="app-details__summary-text"), className="app-details__summary"
            ),
            html.Div(children, className="app-details__text"),
        ],
        className="app-details",
        **optional_id(id),
    )


def warning_text(text) -> html.Div:
    """Warning text: a bold statement with a "!" icon and "Warning" for screen readers."""
    return html.Div(
        [
            html.Span("!", className="app-warning-text__icon", **extra({"aria-hidden": "true"})),
            html.Strong([visually_hidden("Warning: "), text], className="app-warning-text__text"),
        ],
        className="app-warning-text",
    )


def inset_text(children) -> html.Div:
    return html.Div(children, className="app-inset-text")
