"""The exceptions page on a small known store: which indicators are exceptions and why, the provider's note,
"No commentary recorded" / "No action recorded", forms only for officers, and what an officer saves."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from dashboard import monitoring_callbacks
from dashboard.components.monitoring import forms
from data import monitoring, schema
from data.access import User
from data.exports import CSV_SKIPROWS
from tests.dashboard.monitoring.support import ANTENATAL, ANTENATAL_NOTE, CAMBS, LATEST, NEW_BIRTH, REVIEW_6_8
from tests.dashboard.pages import by_id, find, ids, render, text, to_json
from tests.dashboard.signing_in import NAMES, signed_in_as, signed_in_client
from tests.data.helpers import count_rows


def test_the_off_target_kpi_is_an_exception_with_its_reason_and_nothing_recorded(app, officer):
    page = render(app, "/exceptions", area=CAMBS)
    to_json(page)
    assert f"exception-{NEW_BIRTH}" in ids(page)
    assert f"exception-{REVIEW_6_8}" not in ids(page)
    shown = text(by_id(page, f"exception-{NEW_BIRTH}"))
    assert "85.0% in 2025/26 Q2" in shown
    assert "● Off target" in shown
    assert "Off target: 7.0 points below the 92% target (near target is 88% or more)." in shown
    assert "No commentary recorded." in shown and "No action recorded." in shown
    assert "Exceptions for Cambridgeshire" in text(by_id(page, "exceptions-heading"))


def test_an_officer_sees_the_forms_and_a_viewer_does_not(app, monkeypatch, officer):
    officer_page = render(app, "/exceptions", area=CAMBS)
    assert find(
        officer_page,
        lambda c: getattr(c, "id", None) == forms.key(forms.COMMENT_SAVE, NEW_BIRTH, CAMBS, LATEST),
    )
    signed_in_as(monkeypatch, "Vic Viewer", "viewer")
    viewer_page = render(app, "/exceptions", area=CAMBS)
    assert not find(
        viewer_page, lambda c: isinstance(getattr(c, "id", None), dict) and "save" in c.id["type"]
    )
    assert "only an officer or an administrator can add them" in text(by_id(viewer_page, "exceptions-who"))


def test_the_provider_note_is_shown_beside_the_commentary(app, engine, officer):
    with engine.begin() as conn:  # make antenatal contacts an exception: a 70% target it misses
        conn.execute(
            schema.targets.insert().values(
                indicator_code=ANTENATAL,
                area_code=CAMBS,
                version=99,
                target=70.0,
                amber_threshold=65.0,
                effective_from=dt.date(2025, 4, 1),
                set_by="tester",
                set_at=dt.datetime(2025, 4, 1),
                reason="test",
                illustrative=True,
            )
        )
    page = render(app, "/exceptions", area=CAMBS)
    assert f"Note in the provider's return: {ANTENATAL_NOTE}" in text(by_id(page, f"exception-{ANTENATAL}"))


def test_an_officer_saves_commentary_and_an_action_and_the_page_shows_them_as_text(app, engine, officer):
    keys = forms.key(forms.COMMENT_SAVE, NEW_BIRTH, CAMBS, LATEST)
    typed = "<b>Sickness</b> in two teams"
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        message, record, cleared = monitoring_callbacks.save_commentary(keys, "provider", typed)
        action = monitoring_callbacks.save_action(
            keys, "Recruit two health visitors", "Head of service", "31/12/2025"
        )
    assert "Commentary saved for 2025/26 Q2." in text(message) and cleared == ""
    assert typed in text(record)
    assert "Action saved" in text(action[0])
    [entry] = monitoring.commentary_for(engine, CAMBS)
    assert (entry.text, entry.author, entry.kind) == (typed, "Olu Officer", "provider")
    shown = text(by_id(render(app, "/exceptions", area=CAMBS), f"exception-{NEW_BIRTH}"))
    assert typed in shown and "Recruit two health visitors" in shown and "Due 31 December 2025" in shown
    assert "No action recorded." not in shown


def test_problems_are_listed_with_links_to_their_fields_and_nothing_is_written(app, engine, officer):
    keys = forms.key(forms.ACTION_SAVE, NEW_BIRTH, CAMBS, LATEST)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        summary, *_ = monitoring_callbacks.save_action(keys, "Recruit", "Head of service", "31/02/2025")
    assert "The due date must be a real date" in text(summary)
    [link] = find(summary, lambda c: getattr(c, "href", None))
    assert link.href == f"#monitor-action-due-{NEW_BIRTH}"
    assert count_rows(engine, schema.remedial_actions) == 0


def test_a_viewer_calling_the_save_callback_is_refused_and_nothing_is_written(app, engine, viewer):
    keys = forms.key(forms.COMMENT_SAVE, NEW_BIRTH, CAMBS, LATEST)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, _, _ = monitoring_callbacks.save_commentary(keys, "provider", "Written by a viewer")
    assert "Only an administrator or an officer can write commentary" in text(shown)
    assert count_rows(engine, schema.commentary) == 0


def _forged_commentary(app) -> dict:
    """The save-commentary request as a browser would send it, built by hand: no page, no form."""
    [output] = [key for key in app.callback_map if forms.COMMENT_RESULT in key]

    def part(kind, prop, value=None):
        entry = {"id": forms.key(kind, NEW_BIRTH, CAMBS, LATEST), "property": prop}
        return entry if value is None else entry | {"value": value}

    outputs = [
        part(forms.COMMENT_RESULT, "children"),
        part(forms.RECORD, "children"),
        part(forms.COMMENT_TEXT, "value"),
    ]
    record_key = next(k for k in output.split("...") if forms.RECORD in k)
    outputs[1]["property"] = record_key.rsplit(".", 1)[1]
    return {
        "output": output,
        "outputs": outputs,
        "inputs": [
            part(forms.COMMENT_SAVE, "n_clicks", 1),
            part(forms.COMMENT_SAVE_COMMISSIONER, "n_clicks", 0),
        ],
        "state": [
            part(forms.COMMENT_SAVE, "id", forms.key(forms.COMMENT_SAVE, NEW_BIRTH, CAMBS, LATEST)),
            part(forms.COMMENT_TEXT, "value", "Forged by a viewer"),
        ],
        "changedPropIds": [
            forms.dom_id(forms.key(forms.COMMENT_SAVE, NEW_BIRTH, CAMBS, LATEST)) + ".n_clicks"
        ],
    }


def test_a_viewers_forged_request_to_the_dashboard_is_refused_by_the_server(app, engine):
    client = signed_in_client(app, "viewer")
    client.get("/exceptions")  # Dash sets up its callbacks on the first request
    response = client.post("/_dash-update-component", json=_forged_commentary(app))
    assert response.status_code == 200, response.data[:300]
    assert "Only an administrator or an officer can write commentary" in response.get_data(as_text=True)
    assert count_rows(engine, schema.commentary) == 0


def test_the_same_request_from_an_officer_is_saved(app, engine):
    client = signed_in_client(app, "officer")
    client.get("/exceptions")
    response = client.post("/_dash-update-component", json=_forged_commentary(app))
    assert "Commentary saved for 2025\\u002f26 Q2." in response.get_data(as_text=True)
    assert [c.author for c in monitoring.commentary_for(engine, CAMBS)] == [NAMES["officer"]]


def test_an_officer_marks_an_action_done_and_a_viewer_cannot(app, engine, monkeypatch, officer):
    officer_user = User("Olu Officer", frozenset({"officer"}))
    action_id = monitoring.add_action(
        engine,
        officer_user,
        indicator_code=NEW_BIRTH,
        area_code=CAMBS,
        period_label=LATEST,
        what="Recruit",
        owner="Head of service",
        due_date=dt.date(2099, 1, 1),
    )
    keys = forms.action_key(forms.UPDATE_DONE, action_id, CAMBS)
    signed_in_as(monkeypatch, "Vic Viewer", "viewer")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        refused, _ = monitoring_callbacks.update_action(keys, "done", "Posts filled")
    assert "Only an administrator or an officer can record and update remedial actions" in text(refused)
    signed_in_as(monkeypatch, "Olu Officer", "officer")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        _, block = monitoring_callbacks.update_action(keys, "done", "Posts filled")
    assert "Done Recruit" in text(block)
    assert "Action updated: done." in text(block)
    [action] = monitoring.actions_for(engine, CAMBS)
    assert [u.status for u in action.history] == ["open", "done"]


def test_the_exceptions_download_lists_each_exception_with_its_reasons(app, engine):
    page = render(app, "/exceptions", area=CAMBS)
    client = signed_in_client(app)
    response = client.get(by_id(page, "exceptions-downloads-csv").href)
    assert response.status_code == 200
    content = response.get_data(as_text=True)
    assert content.startswith('Title,"Exceptions for Cambridgeshire: indicators off target,')
    table = pd.read_csv(io.StringIO(content), skiprows=CSV_SKIPROWS)
    exceptions = [item.removeprefix("exception-") for item in ids(page) if item.startswith("exception-")]
    assert NEW_BIRTH in list(table["Indicator code"]) and REVIEW_6_8 not in list(table["Indicator code"])
    new_birth = table.set_index("Indicator code").loc[NEW_BIRTH]
    assert (new_birth["Value"], new_birth["Against target"]) == (85.0, "Off target")
    assert "Off target: 7.0 points below the 92% target" in new_birth["Why it is an exception"]
    assert len(table) == len({e for e in exceptions if e in set(table["Indicator code"])})
    workbook = client.get(by_id(page, "exceptions-downloads-xlsx").href).get_data()
    book = load_workbook(io.BytesIO(workbook))
    assert not [
        c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"
    ]
    figures = pd.read_excel(io.BytesIO(workbook), sheet_name="Figures", skiprows=8)
    assert list(figures["Indicator code"]) == list(table["Indicator code"])
