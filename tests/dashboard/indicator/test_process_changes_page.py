"""Process changes on the indicator page's SPC view: an officer records one and the chart splits into phases
with a labelled break, the variation and assurance (on the chart, the summary card and the scorecard) are
the current phase's; a viewer sees the list only and is refused by the server; a change can be withdrawn.

Huntingdonshire's new birth visits (see :mod:`.support`): twelve quarters around 88% with 99% in 2022/23 Q3,
a special cause. A change from 1 January 2023 starts a new phase at 2022/23 Q4, whose five quarters (88%, 87%,
89%, 88%, 87%) vary only as much as usual, on trial limits (the whole series had full limits).
"""

from __future__ import annotations

import datetime as dt

import dash
import pytest

from dashboard import create_app, data_access
from dashboard.indicator import process_change_callbacks as callbacks
from dashboard.indicator import process_changes as section
from data import process_changes, schema
from metrics import spc
from tests.dashboard.indicator.support import (
    HUNTINGDONSHIRE,
    SPECIAL_CAUSE_PERIOD,
    by_id,
    figure_of,
    find_all,
    press_download,
    render_page,
    seeded_engine,
    table_rows,
    text_of,
)
from tests.dashboard.signing_in import NAMES, signed_in_as, signed_in_client
from tests.data.helpers import count_rows

CODE = "hv-new-birth-visit-14d"
VIEW = {"code": CODE, "area": HUNTINGDONSHIRE, "ci": "on"}
REASON = "New 6-8 week review pathway"
LIMITS_WORDS = f"Limits recalculated from 2022/23 Q4: {REASON}"


@pytest.fixture
def engine(tmp_path):
    engine = seeded_engine(tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def app(engine):
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def _record(app, date_text="1/1/2023", reason=REASON, every_area=False) -> tuple:
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        return callbacks.record_change(VIEW, every_area, date_text, reason)


def _spc_page(app):
    return render_page(app, CODE, area=HUNTINGDONSHIRE, view="spc")


def _break_marks(figure: dict) -> tuple[list, list]:
    layout = figure["layout"]
    shapes = [s for s in layout.get("shapes", []) if s.get("name") == "process-change"]
    notes = [a for a in layout.get("annotations", []) if a.get("name") == "process-change"]
    return shapes, notes


def _parts(page, kind: str) -> list:
    """The form's parts of ``kind`` (a pattern-matching id's type) on the page."""
    return find_all(page, lambda c: isinstance(getattr(c, "id", None), dict) and c.id["type"] == kind)


def _result_id() -> dict:
    return section.part_id(section.RESULT, VIEW)


def change_id(engine) -> str:
    [change] = process_changes.changes_for(engine, CODE, HUNTINGDONSHIRE)
    return change.id


def test_an_officer_records_a_change_and_the_chart_is_drawn_in_phases(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Olu Officer", "officer")
    before = _spc_page(app)
    assert not find_all(before, lambda c: getattr(c, "id", None) == "spc-trial-limits")  # twelve figures
    assert _break_marks(figure_of(before, "graph-spc")) == ([], [])

    page, problem = _record(app)
    assert problem is None
    # The page is built again from the store: the message, and the new phase's limits and judgement.
    assert text_of(by_id(page, _result_id())) == "Process change from 1 January 2023 recorded for this area."
    assert "Common cause" in text_of(by_id(page, "summary-spc"))
    assert text_of(by_id(page, "spc-phases")) == text_of(by_id(_spc_page(app), "spc-phases"))

    shapes, notes = _break_marks(figure_of(page, "graph-spc"))
    assert [s["x0"] for s in shapes] == ["2023-01-01"]
    assert [n["text"] for n in notes] == [f"<b>From 2022/23 Q4</b><br>{REASON}"]
    assert text_of(by_id(page, "spc-phases")) == f"{LIMITS_WORDS}."
    assert text_of(by_id(page, "chart-spc-headline")) == (
        "New birth visit within 14 days in Huntingdonshire varies only as much as usual since 2022/23 Q4, "
        "and will hit and miss the 90% target"
    )
    assert "The limits since 2022/23 Q4 are from 5 figures" in text_of(by_id(page, "spc-trial-limits"))

    rows = {row[0]: row for row in table_rows(page, "table-spc")}
    assert LIMITS_WORDS in rows["2022/23 Q4"]
    assert sum(LIMITS_WORDS in row for row in rows.values()) == 1
    assert "Special cause — improving" in rows[SPECIAL_CAUSE_PERIOD]  # still unusual within its own phase
    values = [87.0, 89.0, 88.0, 87.0, 89.0, 88.0, 99.0, 88.0, 87.0, 89.0, 88.0, 87.0]
    first, current = spc.xmr_phased(values, [7], improvement="increase", target=90.0)
    assert first.point_types[6] == "special_cause_improvement"
    limits = figure_of(page, "graph-spc")["data"][0]
    assert limits["meta"] == "limits"
    assert [y for y in limits["y"] if y is not None] == pytest.approx(
        [first.upl, first.upl, current.upl, current.upl, first.lpl, first.lpl, current.lpl, current.lpl]
    )

    # The scorecard says what the page says.
    with app.server.test_request_context("/"):
        row = data_access.scorecard_row(HUNTINGDONSHIRE, CODE)
    assert row is not None
    assert (row.spc_variation, row.spc_points, row.spc_trial_limits) == ("common_cause", 5, True)
    assert row.spc_variation == current.variation and row.spc_assurance == current.assurance

    [change] = process_changes.changes_for(engine, CODE, HUNTINGDONSHIRE)
    assert (change.change_date, change.recorded_by, change.area_code) == (
        dt.date(2023, 1, 1),
        "Olu Officer",
        HUNTINGDONSHIRE,
    )


def test_the_csv_download_says_where_the_limits_were_recalculated(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Olu Officer", "officer")
    _record(app)
    client = signed_in_client(app, "viewer")
    client.get("/")
    _, rows = press_download(client, "spc", VIEW | {"view": "spc"})
    assert [r["Process change"] for r in rows if r["Process change"]] == [LIMITS_WORDS]
    assert len({r["Mean"] for r in rows}) == 2


def test_a_viewer_sees_the_list_but_no_form_and_is_refused(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Olu Officer", "officer")
    _record(app)
    officer_page = _spc_page(app)
    assert len(_parts(officer_page, section.SAVE)) == 2
    assert [b.id["change"] for b in _parts(officer_page, section.WITHDRAW)] == [change_id(engine)]
    signed_in_as(monkeypatch, "Vic Viewer", "viewer")
    page = _spc_page(app)
    assert REASON in text_of(by_id(page, section.LIST))
    assert not _parts(page, section.SAVE) and not _parts(page, section.DATE)
    assert not _parts(page, section.WITHDRAW)

    content, problem = _record(app, date_text="1/4/2023", reason="Forged by a viewer")
    assert "Only an administrator or an officer can record or withdraw a process change" in text_of(problem)
    assert content is dash.no_update
    [change] = process_changes.changes_for(engine, CODE, HUNTINGDONSHIRE)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        _, problem = callbacks.withdraw_change(VIEW, change.id)
    assert "Only an administrator or an officer" in text_of(problem)
    assert count_rows(engine, schema.process_changes) == 1
    assert process_changes.changes_for(engine, CODE, HUNTINGDONSHIRE) == [change]


def _forged_record(app) -> dict:
    """The record-a-change request as a browser would send it, built by hand: no page, no form."""
    [output] = [key for key in app.callback_map if section.RESULT in key]
    save = section.part_id(section.SAVE, VIEW, scope=section.AREA)
    return {
        "output": output,
        "outputs": [
            {"id": "_pages_content", "property": output.split("...")[0].lstrip(".").split(".", 1)[1]},
            [{"id": _result_id(), "property": "children"}],
        ],
        "inputs": [
            [{"id": save, "property": "n_clicks", "value": 1}],
            [],
        ],
        "state": [
            [{"id": section.part_id(section.DATE, VIEW), "property": "value", "value": "1/1/2023"}],
            [{"id": section.part_id(section.REASON, VIEW), "property": "value", "value": "Forged"}],
        ],
        "changedPropIds": [section.dom_id(save) + ".n_clicks"],
    }


def test_a_viewers_forged_request_is_refused_by_the_server_and_an_officers_is_saved(app, engine):
    viewer = signed_in_client(app, "viewer")
    viewer.get("/")
    response = viewer.post("/_dash-update-component", json=_forged_record(app))
    assert response.status_code == 200, response.data[:300]
    assert "Only an administrator or an officer can record or withdraw" in response.get_data(as_text=True)
    assert count_rows(engine, schema.process_changes) == 0

    officer = signed_in_client(app, "officer")
    officer.get("/")
    response = officer.post("/_dash-update-component", json=_forged_record(app))
    assert response.status_code == 200, response.data[:300]
    assert [c.recorded_by for c in process_changes.changes_for(engine, CODE, HUNTINGDONSHIRE)] == [
        NAMES["officer"]
    ]


@pytest.mark.parametrize(
    ("date_text", "reason", "message", "anchor"),
    [
        ("1/1/2023", "  ", "Enter the reason for the change", "process-change-reason-group"),
        ("", REASON, "Enter the date the change took effect", "process-change-date-group"),
        ("31/2/2023", REASON, "must be a real date, for example 1/4/2024", "process-change-date-group"),
        (
            "1/1/2030",
            REASON,
            "The change date, 1 January 2030, must fall within",
            "process-change-date-group",
        ),
    ],
)
def test_a_change_that_cannot_be_recorded_says_why_beside_the_field(
    app, engine, monkeypatch, date_text, reason, message, anchor
):
    signed_in_as(monkeypatch, "Olu Officer", "officer")
    content, problem = _record(app, date_text=date_text, reason=reason)
    assert message in text_of(problem)
    assert find_all(problem, lambda c: getattr(c, "href", None) == f"#{anchor}")
    page = _spc_page(app)
    assert find_all(page, lambda c: getattr(c, "id", None) == anchor)  # the link's target is on the page
    assert content is dash.no_update
    assert count_rows(engine, schema.process_changes) == 0


def test_a_withdrawn_change_no_longer_splits_the_chart(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Ada Admin", "admin")
    _record(app, every_area=True)
    [change] = process_changes.changes_for(engine, CODE, HUNTINGDONSHIRE)
    assert change.area_code is None
    assert "every area" in text_of(by_id(_spc_page(app), section.LIST))
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        page, _ = callbacks.withdraw_change(VIEW, change.id)
    assert text_of(by_id(page, _result_id())) == "Process change from 1 January 2023 withdrawn."
    assert "Trial limits" not in text_of(by_id(page, "over-time"))
    assert _break_marks(figure_of(page, "graph-spc")) == ([], [])
    assert "No process change has been recorded" in text_of(by_id(page, section.LIST))
    [kept] = process_changes.changes_for(engine, CODE, HUNTINGDONSHIRE, include_withdrawn=True)
    assert kept.withdrawn_by == "Ada Admin"


def test_too_few_figures_since_a_change_are_not_judged_on_either_page(app, engine, monkeypatch):
    signed_in_as(monkeypatch, "Olu Officer", "officer")
    _record(app, date_text="2023-04-01")  # four quarters since: 2023/24 Q1 to Q4
    page = _spc_page(app)
    words = "Too few figures for a process chart (4 of at least 5)."
    assert text_of(by_id(page, "summary-spc")) == words
    assert text_of(by_id(page, "spc-too-few")) == (
        f"{words} The figures are shown without a mean or process limits, and their variation since the "
        "process change in 2023/24 Q1 is not judged."
    )
    assert text_of(by_id(page, "spc-phases")) == f"Limits recalculated from 2023/24 Q1: {REASON}."
    shapes, _ = _break_marks(figure_of(page, "graph-spc"))
    assert [s["x0"] for s in shapes] == ["2023-04-01"]
    with app.server.test_request_context("/"):
        row = data_access.scorecard_row(HUNTINGDONSHIRE, CODE)
    assert row is not None and (row.spc_judged, row.spc_points, row.spc_variation) == (False, 4, None)
