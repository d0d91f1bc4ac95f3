"""The import history: one table of every import (who, what, when, the counts, the status), then each
import's rejected rows, and, for an administrator, a "Roll back this import" button for each import that
loaded and has not been rolled back; and the confirmation that button asks for before anything changes."""

from __future__ import annotations

from dash import html

from dashboard import data_access
from dashboard.components.attributes import extra
from dashboard.components.govuk import details, table, warning_text
from dashboard.data_access import ImportBatch, RollbackPlan
from dashboard.formatting import date_time, plural
from data.access import ROLL_BACK_IMPORT, User, can

ROLL_BACK = "imports-roll-back"
CONFIRM = "imports-confirm-roll-back"
CANCEL = "imports-cancel-roll-back"

STATUS_WORDS = {
    "loaded": "✓ Loaded",
    "rejected": "● Not loaded: rows rejected",
    "failed": "● Not loaded: file unreadable",
    "rolled back": "↶ Rolled back",
}


def roll_back_id(batch_id: str, kind: str = ROLL_BACK) -> dict:
    """The pattern-matching id of a batch's roll-back button (or, with ``kind``, its confirm or cancel
    button)."""
    return {"type": kind, "batch": batch_id}


def _status(batch: ImportBatch) -> str:
    words = STATUS_WORDS.get(batch.status, batch.status)
    if batch.rolled_back_at is not None:
        words += f" by {batch.rolled_back_by}, {date_time(batch.rolled_back_at)}"
    return words


def history_table(batches: list[ImportBatch], *, can_roll_back: bool) -> html.Div:
    """Every import, most recent first, with a roll-back button where allowed."""
    if not batches:
        return html.Div(html.P("No data has been imported yet.", className="app-body"))
    columns = ["File", "Loaded", "By", "Read", "New", "Updated", "Unchanged", "Rejected", "Status"]
    rows = []
    for b in batches:
        row: list = [
            b.file_name,
            date_time(b.started_at),
            b.imported_by,
            f"{b.rows_read:,}",
            f"{b.rows_new:,}",
            f"{b.rows_updated:,}",
            f"{b.rows_unchanged:,}",
            f"{b.rows_rejected:,}",
            _status(b),
        ]
        if can_roll_back:
            row.append(
                html.Button(
                    [
                        "Roll back this import",
                        html.Span(f" ({b.file_name})", className="app-visually-hidden"),
                    ],
                    id=roll_back_id(b.batch_id),
                    n_clicks=0,
                    className="app-button app-button--secondary",
                    type="button",
                )
                if b.status == "loaded"
                else ""
            )
        rows.append(row)
    return html.Div(
        table(
            "Imports, most recent first",
            [*columns, *(["Action"] if can_roll_back else [])],
            rows,
            numeric=["Read", "New", "Updated", "Unchanged", "Rejected"],
            id="imports-table",
        ),
        className="app-table-container",
    )


def rejected_section(batch: ImportBatch, rejected: list[tuple[int, str]]) -> html.Details:
    """A batch's rejected rows, folded away: row number and every reason (one line for many rows refused for
    the same reason, naming them all)."""
    count = batch.rows_rejected
    return details(
        f"{count:,} rejected row{'s' if count != 1 else ''} in {batch.file_name} "
        f"({date_time(batch.started_at)})",
        table(
            f"Rejected rows in {batch.file_name}",
            ["Row", "Reason"],
            [[number, reason] for number, reason in rejected],
            numeric=["Row"],
            caption_size="s",
        ),
        id=f"imports-rejected-{batch.batch_id}",
    )


def history_section(user: User) -> list:
    """The history as the page shows it to ``user``: the table, then each import's rejected rows."""
    batches = data_access.import_history()
    sections: list = [history_table(batches, can_roll_back=can(user, ROLL_BACK_IMPORT))]
    with_rejects = [b for b in batches if b.rows_rejected]
    if with_rejects:
        sections.append(html.H2("Rejected rows", className="app-heading-m"))
        sections += [rejected_section(b, data_access.import_rejections(b.batch_id)) for b in with_rejects]
    return sections


def confirm_panel(plan: RollbackPlan) -> html.Div:
    """The question an administrator answers before an import is rolled back: which import, what the
    rollback will do to the figures (from the store), then "Roll back" or "Cancel"."""
    restored = plural(plan.figures_restored, "figure")
    removed = plural(plan.figures_removed, "new figure")
    return html.Div(
        [
            html.H2(
                f"Roll back the import of {plan.file_name}?",
                className="app-heading-l",
                id="imports-confirm-heading",
            ),
            html.P(
                f"Loaded by {plan.imported_by} on {date_time(plan.started_at)}.",
                className="app-body",
            ),
            html.P(
                f"This will restore the previous values of {restored} and remove {removed}.",
                className="app-body-l",
                id="imports-confirm-counts",
            ),
            warning_text(
                "Every page will show the figures as they were before this import. To load its figures "
                "again, upload the file again."
            ),
            html.Div(
                [
                    html.Button(
                        "Roll back",
                        id=roll_back_id(plan.batch_id, CONFIRM),
                        n_clicks=0,
                        className="app-button app-button--warning",
                        type="button",
                    ),
                    html.Button(
                        "Cancel",
                        id=roll_back_id(plan.batch_id, CANCEL),
                        n_clicks=0,
                        className="app-button app-button--secondary",
                        type="button",
                        autoFocus=True,
                    ),
                ],
                className="app-button-group",
            ),
        ],
        id="imports-confirm",
        role="region",
        className="app-imports__confirm",
        **extra({"aria-labelledby": "imports-confirm-heading"}),
    )
