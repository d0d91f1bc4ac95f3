"""Changing the payment scheme from the page: only an administrator may, the server refuses anyone else even
when they send the save request themselves, and every change is recorded with who, when and why."""

from __future__ import annotations

import json

import dash
import pytest
import sqlalchemy as sa

from dashboard import create_app
from dashboard.formatting import plain_number
from data import contracts
from data.contracts import audit_entries, get_scheme, scheme_key
from tests.dashboard.payment.support import (
    CCC,
    YEAR,
    find_id,
    payment_store,
    render_payment,
    row_counts,
    text_of,
)
from tests.dashboard.signing_in import signed_in_as, signed_in_client


def _save_args(engine, *, target="93", floor="85", reason="Stretch target agreed at the contract meeting"):
    scheme = get_scheme(engine, CCC, YEAR)
    weights = [plain_number(k.weight * 100) for k in scheme.kpis]
    targets = [plain_number(k.target) for k in scheme.kpis]
    floors = ["" if k.floor is None else plain_number(k.floor) for k in scheme.kpis]
    targets[0], floors[0] = target, floor
    return {"contract": CCC, "year": YEAR}, "9126108.00", "3", weights, targets, floors, reason


def test_a_viewer_who_forges_the_save_request_is_refused_and_nothing_is_written(app, engine, viewer, payment):
    page = render_payment(app, contract=CCC, year=YEAR)
    assert find_id(page, "payment-change-form") is None, "the form is not offered (a courtesy, not the check)"
    assert "You are using the dashboard as Sam Jones, a viewer." in text_of(find_id(page, "payment-who"))
    before = row_counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, go_to = payment.save_change(1, *_save_args(engine))
    summary = shown[0]
    assert go_to is dash.no_update, "the page stays where it is"
    assert summary.id == "payment-change-error-summary" and summary.role == "alert"
    assert (
        "Only an administrator can change a payment scheme; you are signed in as Sam Jones (viewer)."
        in text_of(summary)
    )
    assert row_counts(engine) == before
    assert get_scheme(engine, CCC, YEAR).version == 1


def _forged_save(app, engine) -> dict:
    """The save request as the browser would send it, built by hand: no page, no form, no button."""
    output = next(key for key in app.callback_map if '"type":"payment-change-result"' in key)
    go = output.rsplit("...", 1)[1].removesuffix("..")

    def form(kind):
        return {"form": "scheme", "type": f"payment-{kind}"}

    context, budget, share, weights, targets, floors, reason = _save_args(engine)

    def each(kind, values):
        return [
            {"id": {"kpi": i, "type": f"payment-change-{kind}"}, "property": "value", "value": v}
            for i, v in enumerate(values)
        ]

    return {
        "output": output,
        "outputs": [
            [{"id": form("change-result"), "property": "children"}],
            {"id": "payment-go", "property": go.removeprefix("payment-go.")},
        ],
        "inputs": [[{"id": form("change-save"), "property": "n_clicks", "value": 1}]],
        "state": [
            [{"id": form("change-context"), "property": "data", "value": context}],
            [{"id": form("change-budget"), "property": "value", "value": budget}],
            [{"id": form("change-share"), "property": "value", "value": share}],
            each("weight", weights),
            each("target", targets),
            each("floor", floors),
            [{"id": form("change-reason"), "property": "value", "value": reason}],
        ],
        "changedPropIds": ['{"form":"scheme","type":"payment-change-save"}.n_clicks'],
    }


def test_a_forged_save_request_to_the_dashboard_is_refused_by_the_server(app, engine):
    before = row_counts(engine)
    client = signed_in_client(app, "viewer")
    response = client.post("/_dash-update-component", json=_forged_save(app, engine))
    assert response.status_code == 200
    shown = json.dumps(response.get_json(), ensure_ascii=False)
    assert "There is a problem" in shown
    assert (
        "Only an administrator can change a payment scheme; you are signed in as Sam Jones (viewer)." in shown
    )
    assert row_counts(engine) == before
    assert get_scheme(engine, CCC, YEAR).version == 1


def test_an_officer_cannot_agree_a_scheme_either(app, engine, monkeypatch, payment):
    signed_in_as(monkeypatch, "Kim Lee", "officer")
    before = row_counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, go_to = payment.agree_change(1, {"contract": CCC, "year": YEAR}, "Agreed at the meeting")
    assert go_to is dash.no_update
    assert "Only an administrator can change a payment scheme" in text_of(shown)
    assert row_counts(engine) == before


def test_an_administrator_saves_a_new_draft_version_with_who_when_and_why(admin, payment):
    engine = payment_store()
    app = create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})
    page = render_payment(app, contract=CCC, year=YEAR)
    assert find_id(page, "payment-change-form") is not None
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, go_to = payment.save_change(1, *_save_args(engine))
    assert "Version 2 saved as a draft." in text_of(shown)
    assert go_to == "/payment?contract=ccc-hcp-s75&version=2&year=2025/26", "the page goes to version 2"
    latest = get_scheme(engine, CCC, YEAR)
    assert (latest.version, latest.status, latest.created_by, latest.kpis[0].target) == (
        2,
        "draft",
        "Asha Patel",
        93,
    )
    entry = audit_entries(engine, scheme_key(CCC, YEAR)).iloc[0]
    assert (entry["who"], entry["reason"]) == ("Asha Patel", "Stretch target agreed at the contract meeting")
    assert entry["change"] == "Version 2 (draft): from version 1; agreed → draft; C2 target 92 → 93"
    shown_page = render_payment(app, contract=CCC, year=YEAR)
    assert "Payment scheme version 1, agreed: the scheme in force." in text_of(shown_page)
    assert "Version 2 (draft) is the latest." in text_of(shown_page)
    assert "Payment scheme version 2, a draft" in text_of(
        render_payment(app, contract=CCC, year=YEAR, version="2")
    )

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        agreed, go_to = payment.agree_change(
            1, {"contract": CCC, "year": YEAR}, "Agreed at the contract meeting"
        )
    assert "Version 2 is agreed and now in force." in text_of(agreed)
    assert go_to == "/payment?contract=ccc-hcp-s75&version=2&year=2025/26"
    assert "Payment scheme version 2, agreed: the scheme in force." in text_of(
        render_payment(app, contract=CCC, year=YEAR)
    )
    assert (
        audit_entries(engine, scheme_key(CCC, YEAR)).iloc[0]["change"] == "Version 2 (agreed): draft → agreed"
    )
    engine.dispose()


def test_a_store_that_cannot_be_written_says_so_and_nothing_changes(app, engine, admin, monkeypatch, payment):
    def read_only(*args, **kwargs):
        raise sa.exc.OperationalError("UPDATE payment_schemes", {}, Exception("read-only database"))

    monkeypatch.setattr(contracts, "save_scheme_version", read_only)
    before = row_counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, _ = payment.save_change(1, *_save_args(engine))
    assert shown[0].id == "payment-change-error-summary"
    assert "the dashboard could not write to its data store" in text_of(shown)
    assert row_counts(engine) == before


@pytest.mark.parametrize(
    ("args", "message", "field"),
    [
        (
            {"floor": "95"},
            "KPI C2: floor 95 must be below the target 93 when higher values are better",
            "#payment-change-floor-field-0",
        ),
        (
            {"reason": "  "},
            "Give a reason for the change; it is kept in the audit log.",
            "#payment-change-reason-field",
        ),
        ({"target": "ninety"}, "A target for C2 must be a number", "#payment-change-target-field-0"),
    ],
)
def test_an_invalid_change_is_explained_with_a_link_to_the_field_and_nothing_is_written(
    app, engine, admin, args, message, field, payment
):
    before = row_counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, _ = payment.save_change(1, *_save_args(engine, **args))
    link = shown[0].children[1].children[0].children
    assert (link.children, link.href) == (message, field)
    assert row_counts(engine) == before
