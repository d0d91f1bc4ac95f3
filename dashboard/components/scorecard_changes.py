"""What has changed on the scorecard since an earlier date: "what is new since the last meeting?".

The reader chooses the previous quarter, a year earlier or any earlier date the data reach; the panel lists
each indicator whose target status, comparison with England or SPC variation moved between the two
scorecards, and each with its first figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dash import html
from dash.development.base_component import Component

from dashboard import data_access, formatting, routes
from dashboard.components import status
from dashboard.components.attributes import extra
from dashboard.components.scorecard_filters import Choices, View, resolve_since
from dashboard.components.scorecard_table import value_text
from data.scorecard import ScorecardRow


@dataclass(frozen=True)
class Change:
    """What changed for one indicator between two dates: (what, status before, status after) triples, and
    its latest figure then and now. ``new`` means it had no figure before (so nothing to compare)."""

    indicator_code: str
    short_name: str
    changes: tuple[tuple[str, status.Status, status.Status], ...]
    before: str | None
    after: str | None
    new: bool = False


def _status_changes(a: ScorecardRow, b: ScorecardRow, palette: str) -> list:
    """(what, before, after) for each judgement that differs between two records of one indicator.

    SPC variation counts as changed only when both dates have enough figures for a judgement (having enough
    for the first time is not a change of status)."""
    changes: list = []
    if a.target_status != b.target_status:
        changes.append(
            (
                "Against target",
                status.target(a.target_status, palette=palette),
                status.target(b.target_status, palette=palette),
            )
        )
    if a.benchmark != b.benchmark:
        changes.append(
            ("Compared with England", status.benchmark(a.benchmark), status.benchmark(b.benchmark))
        )
    if a.spc_variation and b.spc_variation and a.spc_variation != b.spc_variation:
        changes.append(
            ("SPC variation", status.variation(a.spc_variation), status.variation(b.spc_variation))
        )
    return changes


def find_changes(
    before: Sequence[ScorecardRow],
    after: Sequence[ScorecardRow],
    codes: Sequence[str],
    palette: str = "standard",
) -> list[Change]:
    """Indicators among ``codes`` whose target status, England comparison or SPC variation differ between
    the ``before`` and ``after`` scorecards, in ``codes`` order; and those with a first figure."""
    old = {row.indicator_code: row for row in before}
    new = {row.indicator_code: row for row in after}
    found = []
    for code in codes:
        b = new.get(code)
        if b is None or not b.has_data:
            continue
        a = old.get(code)
        if a is None or not a.has_data:
            found.append(Change(code, b.short_name, (), None, value_text(b), new=True))
            continue
        changes = _status_changes(a, b, palette)
        if changes:
            found.append(Change(code, b.short_name, tuple(changes), value_text(a), value_text(b)))
    return found


# --- The panel ---------------------------------------------------------------------------------------------


def _change_item(what: str, before: status.Status, after: status.Status) -> html.Li:
    """ "Against target: moved from ▲ Near target to ✓ On target" (icons are hidden from screen readers)."""
    return html.Li(
        [f"{what}: moved from ", status.status_tag(before), " to ", status.status_tag(after)],
        className="app-scorecard-change",
    )


def _change_row(change: Change, area: str, area_name: str) -> html.Tr:
    what: list[Component]
    if change.new:
        what = [html.P(f"First figure for {area_name}: {change.after}.", className="app-scorecard-change")]
    else:
        what = [
            html.Ul(
                [_change_item(*item) for item in change.changes],
                className="app-list app-list--plain app-scorecard-changes__list",
            )
        ]
        if change.before and change.after and change.before != change.after:
            what.append(
                html.Span(f"Now {change.after}; was {change.before}.", className="app-scorecard__why")
            )
    return html.Tr(
        [
            html.Th(
                html.A(change.short_name, href=routes.indicator_href(change.indicator_code, {"area": area})),
                scope="row",
                className="app-table__cell app-table__cell--row-header",
            ),
            html.Td(what, className="app-table__cell"),
        ],
        className="app-table__row",
        **extra({"data-indicator": change.indicator_code}),
    )


def changes_sentence(changes: list[Change], since: dt.date, as_at: dt.date) -> str:
    """ "2 indicators changed status and 1 has its first figure between the figures to … and …"."""
    moved = sum(not c.new for c in changes)
    first = sum(c.new for c in changes)
    between = f"between the figures to {formatting.date(since)} and the figures to {formatting.date(as_at)}"
    if not changes:
        return (
            f"No indicator changed its target status, comparison with England or statistical process control "
            f"{between}."
        )
    parts = []
    if moved:
        parts.append(f"{formatting.plural(moved, 'indicator')} changed status")
    if first:
        parts.append(
            f"{formatting.plural(first, 'indicator')} {'has its' if first == 1 else 'have their'} "
            "first figure"
        )
    return f"{' and '.join(parts)} {between}."


def changes_panel(
    view: View,
    options: Choices,
    rows: Sequence[ScorecardRow],
    codes: Sequence[str],
    as_at_day: dt.date | None,
    area_name: str,
) -> html.Section:
    """The "What has changed since …" section: a sentence, then a table of each indicator that moved."""
    since_day = resolve_since(view.since, as_at_day, options.quarter_ends)
    heading_id = "scorecard-changes-heading"
    if since_day is None or as_at_day is None or since_day >= as_at_day:
        parts: list = [
            html.H2("What has changed", className="app-heading-m", id=heading_id),
            html.P(
                "Choose a date earlier than the figures shown to see what has changed since then."
                if as_at_day
                else f"There are no figures for {area_name} to compare.",
                className="app-body",
                id="scorecard-changes-count",
            ),
        ]
    else:
        before = data_access.scorecard_rows(view.area, since_day.isoformat())
        changes = find_changes(before, rows, list(dict.fromkeys(codes)), view.palette)
        parts = [
            html.H2(
                f"What has changed since {formatting.date(since_day)}",
                className="app-heading-m",
                id=heading_id,
            ),
            html.P(
                changes_sentence(changes, since_day, as_at_day),
                className="app-body",
                id="scorecard-changes-count",
            ),
        ]
        if changes:
            parts.append(
                html.Table(
                    [
                        html.Caption(
                            f"Changes for {area_name} since {formatting.date(since_day)}",
                            className="app-table__caption app-scorecard__caption",
                        ),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th("Indicator", scope="col", className="app-table__header"),
                                    html.Th("What changed", scope="col", className="app-table__header"),
                                ],
                                className="app-table__row",
                            ),
                            className="app-table__head",
                        ),
                        html.Tbody(
                            [_change_row(change, view.area, area_name) for change in changes],
                            className="app-table__body",
                        ),
                    ],
                    className="app-table app-scorecard-changes__table",
                    id="scorecard-changes-table",
                )
            )
    return html.Section(
        parts,
        className="app-scorecard-changes",
        id="scorecard-changes",
        **extra({"aria-labelledby": heading_id}),
    )
