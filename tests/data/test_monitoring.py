"""Commentary and remedial actions in the store, on DuckDB and PostgreSQL: who may write, what is kept,
that text stays exactly as typed, and how an action's status (including "overdue") is worked out."""

from __future__ import annotations

import datetime as dt

import pytest

from data import monitoring, schema
from data.access import PermissionDenied, User
from tests.data.helpers import count_rows

CAMBS = "E10000003"
KPI = "hv-new-birth-visit-14d"
OFFICER = User("Olu Officer", frozenset({"officer"}))
VIEWER = User("Vic Viewer", frozenset({"viewer"}))


def _comment(engine, user=OFFICER, **changes):
    values = dict(
        indicator_code=KPI,
        area_code=CAMBS,
        period_label="2025/26 Q2",
        kind="provider",
        text="Staff sickness.",
    )
    return monitoring.add_commentary(engine, user, **{**values, **changes})


def _action(engine, user=OFFICER, **changes):
    values = dict(
        indicator_code=KPI,
        area_code=CAMBS,
        period_label="2025/26 Q2",
        what="Recruit two health visitors",
        owner="Head of service",
        due_date=dt.date(2025, 12, 31),
    )
    return monitoring.add_action(engine, user, **{**values, **changes})


def test_commentary_is_kept_as_typed_with_its_author(any_store):
    typed = "<b>Not bold</b> & **not Markdown**\n<script>alert(1)</script>"
    _comment(any_store, text=typed, kind="commissioner")
    [entry] = monitoring.commentary_for(any_store, CAMBS, ["2025/26 Q2"])
    assert (entry.text, entry.kind, entry.author) == (typed, "commissioner", "Olu Officer")
    assert monitoring.commentary_for(any_store, CAMBS, ["2025/26 Q1"]) == []


def test_a_correction_is_a_new_entry(any_store):
    _comment(any_store, text="First")
    _comment(any_store, text="Corrected")
    assert [c.text for c in monitoring.commentary_for(any_store, CAMBS)] == ["First", "Corrected"]


def test_a_viewer_cannot_write_commentary_or_actions_and_nothing_is_written(any_store):
    with pytest.raises(PermissionDenied, match="Only an administrator or an officer can write commentary"):
        _comment(any_store, user=VIEWER)
    with pytest.raises(PermissionDenied):
        _action(any_store, user=VIEWER)
    action = _action(any_store)
    with pytest.raises(PermissionDenied):
        monitoring.update_action(any_store, VIEWER, action, "done", "Finished")
    assert count_rows(any_store, schema.commentary) == 0
    assert count_rows(any_store, schema.remedial_action_updates) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Enter the commentary."), ("x" * 5001, "5,000 characters or fewer; it has 5,001")],
)
def test_blank_or_overlong_commentary_is_refused_in_words(any_store, text, message):
    with pytest.raises(monitoring.MonitoringError, match=message):
        _comment(any_store, text=text)
    assert count_rows(any_store, schema.commentary) == 0


def test_unknown_indicator_is_refused_in_words(any_store):
    with pytest.raises(monitoring.MonitoringError, match="no indicator with the code 'nope'"):
        _comment(any_store, indicator_code="nope")


def test_an_action_is_open_then_overdue_then_done_with_its_history(any_store):
    action_id = _action(any_store)
    [open_action] = monitoring.actions_for(any_store, CAMBS, today=dt.date(2025, 12, 31))
    assert (open_action.status, open_action.owner, open_action.created_by) == (
        "open",
        "Head of service",
        "Olu Officer",
    )
    [late] = monitoring.actions_for(any_store, CAMBS, today=dt.date(2026, 1, 1))
    assert late.status == "overdue"
    monitoring.update_action(any_store, OFFICER, action_id, "done", "Both posts filled")
    [done] = monitoring.actions_for(any_store, CAMBS, ["2025/26 Q2"], today=dt.date(2026, 1, 1))
    assert done.status == "done"
    assert [(u.sequence, u.status, u.note) for u in done.history] == [
        (1, "open", "Action recorded"),
        (2, "done", "Both posts filled"),
    ]


def test_an_action_needs_what_owner_and_due_date(any_store):
    with pytest.raises(monitoring.MonitoringError, match="Enter the date the action is due"):
        _action(any_store, due_date=None)
    with pytest.raises(monitoring.MonitoringError, match="Enter who owns the action"):
        _action(any_store, owner=" ")
    assert count_rows(any_store, schema.remedial_actions) == 0


def test_updating_an_unknown_action_or_to_an_unknown_status_is_refused(any_store):
    with pytest.raises(monitoring.MonitoringError, match="not in the store"):
        monitoring.update_action(any_store, OFFICER, "no-such-id", "done", "x")
    with pytest.raises(monitoring.MonitoringError, match="open or done"):
        monitoring.update_action(any_store, OFFICER, _action(any_store), "overdue", "x")
