"""The preview of an upload, as the officer reads it before confirming: the counts in words first, then the
warnings, the rejected rows (many refused for the same reason as one line naming their rows, with the first
row's area, period and figures), the figures that change (old and new) and the new rows, each a captioned
table.
"""

from __future__ import annotations

from dash import html

from dashboard.components.govuk import table, warning_text
from dashboard.data_access import ImportPreview
from dashboard.formatting import count, one_place, plain_number

WARNING_NAMES = {
    "outside limits": "Outside its process limits",
    "denominator moved": "Denominator moved by more than 20%",
    "missing KPI": "KPI missing from the return",
    "agreed period": "Quarter already agreed",
}


def _figure(value: float | None) -> str:
    return "–" if value is None else one_place(value)


def _count(value: float | None) -> str:
    """A numerator or denominator as the file gives it: a whole number with thousands separators ("1,560",
    not "1560.0"), any other to the places the file wrote."""
    if value is None:
        return "–"
    return count(value) if float(value).is_integer() else plain_number(value)


def preview_section(preview: ImportPreview) -> html.Div:
    """The whole preview of one file; nothing in it has been written yet."""
    parts: list = [
        html.H2(f"Check {preview.file_name} before loading it", className="app-heading-m"),
        html.P(preview.summary(), className="app-body app-upload__counts", id="upload-counts"),
        html.P(
            "Nothing has been loaded yet. Check the rows below, then load the file or cancel.",
            className="app-body",
        ),
    ]
    if preview.added:
        parts.append(html.P(preview.added, className="app-body", id="upload-added"))
    if preview.earlier:
        parts.append(html.P(preview.earlier, className="app-body", id="upload-earlier"))
    if preview.causes:
        parts.append(
            html.Ul([html.Li(cause) for cause in preview.causes], className="app-list", id="upload-causes")
        )
    if preview.warnings:
        parts += [
            warning_text(
                f"{len(preview.warnings)} thing{'s' if len(preview.warnings) != 1 else ''} to check."
            ),
            table(
                "Things to check before loading",
                ["Check", "Indicator", "Area", "Period", "What we found"],
                [
                    [WARNING_NAMES.get(w.kind, w.kind), w.indicator or "All", w.area, w.period, w.message]
                    for w in preview.warnings
                ],
                id="upload-warnings",
            ),
        ]
    if preview.rejected:
        parts.append(
            table(
                "Rows that will not load",
                ["Row", "Area", "Period", "Figures", "Reason"],
                [[r.rows or r.row_number, r.area, r.period, r.figures, r.reason] for r in preview.rejected],
                numeric=["Row"],
                id="upload-rejected",
            )
        )
    if preview.flagged:
        parts.append(
            table(
                "Rows that will load as published, with a data quality flag",
                ["Row", "Area", "Period", "What does not add up"],
                [[f.row_number, f.area, f.period, f.note] for f in preview.flagged],
                numeric=["Row"],
                id="upload-flagged",
            )
        )
    if preview.changes:
        parts.append(
            table(
                "Figures that will change",
                ["Indicator", "Area", "Period", "Held now", "Will be"],
                [
                    [c.indicator, c.area, c.period, _figure(c.old_value), _figure(c.value)]
                    for c in preview.changes
                ],
                numeric=["Held now", "Will be"],
                id="upload-changes",
            )
        )
    if preview.new:
        parts.append(
            table(
                "New rows",
                ["Indicator", "Area", "Period", "Value", "Numerator", "Denominator"],
                [
                    [
                        n.indicator,
                        n.area,
                        n.period,
                        _figure(n.value),
                        _count(n.count),
                        _count(n.denominator),
                    ]
                    for n in preview.new
                ],
                numeric=["Value", "Numerator", "Denominator"],
                id="upload-new",
            )
        )
    return html.Div(parts, className="app-upload__preview")
