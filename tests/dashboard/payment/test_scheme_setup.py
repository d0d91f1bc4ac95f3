"""Setting up a payment scheme on screen: Peterborough's agreement has none, so an administrator enters its
2025/26 scheme (the budget typed from the agreement, never suggested), agrees it and starts 2026/27 from it
with an uplift. Anyone else is refused by the server with nothing written; a problem with what was typed is
listed in the error summary with a link to its field; after each change the page goes to the version saved.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import dash
import flask
import pytest

from dashboard import scheme_setup_callbacks
from dashboard.components.payment import setup
from data import queries, schema
from data.contracts import audit_entries, get_scheme, list_schemes, scheme_key
from data.db import make_engine
from data.monitoring_quality import provider_indicator_codes
from data.seed import seed
from tests.dashboard.payment.support import (
    CCC,
    PCC,
    YEAR,
    find_id,
    render_payment,
    row_counts,
    text_of,
)
from tests.dashboard.signing_in import signed_in_as

NEXT = "2026/27"
KPI_COUNT = 6  # Cambridgeshire's scheme, which the form copies: C2, 6-8W, 12M, 2.5Y, ASQ3, VAC


@pytest.fixture
def store(engine, app):
    """The module's store and app, with every scheme a test sets up taken away again afterwards, so the other
    tests still find Peterborough without a scheme and Cambridgeshire without one for 2026/27."""
    yield engine, app
    written = [(PCC, YEAR), (PCC, NEXT), (CCC, NEXT)]
    # One transaction for each table: DuckDB checks a foreign key against rows deleted earlier in the same
    # transaction as if they were still there.
    for table in (schema.scheme_kpis, schema.payment_schemes):
        with engine.begin() as conn:
            for contract, year in written:
                conn.execute(
                    table.delete().where(table.c.contract_code == contract, table.c.financial_year == year)
                )
    keys = [scheme_key(contract, year) for contract, year in written]
    with engine.begin() as conn:
        conn.execute(schema.audit_log.delete().where(schema.audit_log.c.entity_key.in_(keys)))


def _form(budget="4,200,000.00", share="3", reason="Budget from the signed Section 75 agreement", **changes):
    """The set-up form as Peterborough's page fills it from Cambridgeshire's KPIs, with ``changes`` made:
    per-row lists (includes, weights, targets, floors, bases) or whether it is marked illustrative."""
    rows = [row.as_data() for row in _prefilled().rows]
    values = {
        "includes": [True] * KPI_COUNT,
        "weights": ["25", "20", "15", "20", "10", "10"],
        "targets": ["92", "90", "85", "85", "95", "10"],
        "floors": ["85", "80", "75", "75", "90", "15"],
        "bases": ["quarterly", "quarterly", "quarterly", "quarterly", "annual", "quarterly"],
        "illustrative": True,
    } | changes
    return (
        {"contract": PCC, "year": YEAR, "rows": rows},
        budget,
        share,
        values["includes"],
        values["weights"],
        values["targets"],
        values["floors"],
        values["bases"],
        values["illustrative"],
        reason,
    )


@functools.cache
def _prefilled() -> setup.Prefill:
    """The rows the form starts with on Peterborough's page: Cambridgeshire's KPIs, as shipped."""
    engine = make_engine("duckdb:///:memory:")
    try:
        seed(engine)
        kpis = get_scheme(engine, CCC, YEAR).kpis
    finally:
        engine.dispose()
    return setup.Prefill(setup.rows_from_scheme(kpis), "Cambridgeshire", True)


def _set_up(app, *form):
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        return scheme_setup_callbacks.set_up_scheme(1, *form)


def _summary_links(shown) -> list[tuple[str, str]]:
    """(message, link) for each problem in an error summary."""
    items = shown[0].children[1].children
    return [(item.children.children, item.children.href) for item in items]


# --- What each reader sees ---------------------------------------------------------------------------------


def test_an_administrator_is_offered_the_form_with_no_budget_filled_in_and_the_kpis_copied(app, admin):
    page = render_payment(app, contract=PCC, year=YEAR)
    form = find_id(page, "payment-setup-form")
    assert form is not None
    words = text_of(form)
    assert text_of(find_id(page, "payment-set-up")) == "Set up a payment scheme for 2025/26"
    assert "Enter the scheme from the agreement" in words
    assert (
        "The figure must come from the agreement itself: the dashboard never suggests or fills in a budget"
        in words
    )
    budget = find_id(page, {"type": "payment-setup-budget", "form": "scheme"})
    assert budget.value == "", "no guessed budget"
    assert find_id(page, {"type": "payment-setup-share", "form": "scheme"}).value == ""
    assert "copied from Cambridgeshire County Council's 2025/26 scheme (version 1, agreed" in words
    weights = [find_id(page, {"type": setup.SETUP_WEIGHT, "kpi": i}).value for i in range(KPI_COUNT)]
    assert weights == ["25", "20", "15", "20", "10", "10"]
    assert find_id(page, {"type": setup.SETUP_FLOOR, "kpi": 5}).value == "15"
    bases = [find_id(page, {"type": setup.SETUP_BASIS, "kpi": i}).className for i in range(KPI_COUNT)]
    assert [setup.is_on(c) for c in bases] == [True, True, True, True, False, True], "ASQ3 is annual"
    included = find_id(page, {"type": setup.SETUP_INCLUDE, "kpi": 0})
    assert setup.is_on(included.className)
    assert text_of(included) == "✓ Included : C2 New birth visit within 14 days; press to leave it out " + (
        "– Not included : C2 New birth visit within 14 days; press to include it"
    ), "both states' words are there; the style shows (so screen readers read) only the current one"
    assert setup.is_on(find_id(page, {"type": "payment-setup-illustrative", "form": "scheme"}).className)
    assert find_id(page, "payment-set-up-who") is None


def test_a_viewer_is_told_who_can_set_it_up_and_gets_no_form(app, viewer):
    page = render_payment(app, contract=PCC, year=YEAR)
    assert find_id(page, "payment-setup-form") is None
    assert text_of(find_id(page, "payment-set-up-who")) == (
        "An administrator can set up a payment scheme for 2025/26 on this page, with the budget from the "
        "agreement. You are using the dashboard as Sam Jones, a viewer, so you cannot."
    )


# --- The server's checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "role"), [("Sam Jones", "viewer"), ("Kim Lee", "officer")])
def test_a_viewer_or_officer_who_sends_the_set_up_request_is_refused_and_nothing_is_written(
    store, monkeypatch, name, role
):
    engine, app = store
    signed_in_as(monkeypatch, name, role)
    before = row_counts(engine)
    shown, go_to = _set_up(app, *_form())
    assert go_to is dash.no_update
    assert shown[0].id == "payment-setup-error-summary"
    assert (
        f"Only an administrator can change a payment scheme; you are signed in as {name} ({role})."
        in text_of(shown)
    )
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        uplift, uplift_go = scheme_setup_callbacks.start_next_year(
            1, {"contract": CCC, "from_year": YEAR, "to_year": NEXT}, "2.5", "Pay award"
        )
    assert uplift_go is dash.no_update
    assert "Only an administrator can change a payment scheme" in text_of(uplift)
    assert row_counts(engine) == before
    assert list_schemes(engine, PCC).empty


def test_an_administrator_sets_up_peterborough_2025_26_as_version_1_draft_and_the_page_goes_to_it(
    store, admin
):
    engine, app = store
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, go_to = scheme_setup_callbacks.set_up_scheme(1, *_form())
        notice = scheme_setup_callbacks.take_notice()
        assert scheme_setup_callbacks.take_notice() is None, "the notice is shown once"
    assert go_to == "/payment?contract=pcc-hcp-s75&version=1&year=2025/26"
    assert "Version 1 of the 2025/26 scheme saved as a draft." in text_of(shown)
    with app.server.test_request_context("/payment"):
        assert scheme_setup_callbacks.take_notice() is None
        assert not flask.session.modified, "a page with no notice sends no new session cookie"
    assert "a budget of £4,200,000.00 with 6 KPIs" in text_of(notice)
    scheme = get_scheme(engine, PCC, YEAR)
    assert (scheme.version, scheme.status, scheme.created_by, scheme.illustrative) == (
        1,
        "draft",
        "Asha Patel",
        True,
    )
    assert (scheme.budget, scheme.share) == (Decimal("4200000.00"), Decimal("0.03"))
    assert scheme.to_metrics_scheme().at_risk == Decimal("126000.00")
    assert [k.code for k in scheme.kpis] == ["C2", "6-8W", "12M", "2.5Y", "ASQ3", "VAC"]
    assert audit_entries(engine, scheme_key(PCC, YEAR)).iloc[0]["reason"] == (
        "Budget from the signed Section 75 agreement"
    )

    page = render_payment(app, contract=PCC, year=YEAR, version="1")
    draft = text_of(find_id(page, "payment-draft-notice"))
    assert "◇ Draft: not yet agreed" in draft
    assert "Agreeing it makes it the scheme in force for the year, and it is never edited again" in draft
    assert find_id(page, "payment-agree-form") is not None
    assert find_id(page, "payment-setup-form") is None

    again, again_go = _set_up(app, *_form(budget="5000000"))
    assert again_go is dash.no_update
    assert "There is already a payment scheme for 2025/26 (version 1, draft)" in text_of(again)
    assert get_scheme(engine, PCC, YEAR).budget == Decimal("4200000.00")


def test_only_the_kpis_included_are_saved(store, admin):
    engine, app = store
    includes = [True, True, False, False, False, False]
    shown, _ = _set_up(app, *_form(includes=includes, weights=["60", "40", "", "x", "", ""]))
    assert "saved as a draft" in text_of(shown)
    assert [(k.code, k.weight) for k in get_scheme(engine, PCC, YEAR).kpis] == [
        ("C2", Decimal("0.6")),
        ("6-8W", Decimal("0.4")),
    ]


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        (
            {"budget": "", "share": "three"},
            [
                ("Enter the budget in pounds", "#payment-setup-budget-field"),
                ("The share paid on performance must be a number", "#payment-setup-share-field"),
            ],
        ),
        (
            {"share": "150"},
            [("The share paid on performance must be between 0% and 100%", "#payment-setup-share-field")],
        ),
        (
            {"weights": ["25", "", "15", "20", "10", "10"], "reason": " "},
            [
                ("Enter a weight for 6-8W", "#payment-setup-weight-field-1"),
                ("Give a reason for the change; it is kept in the audit log.", "#payment-setup-reason-field"),
            ],
        ),
        (
            {"includes": [False] * KPI_COUNT},
            [("Include at least one KPI in the scheme", "#payment-setup-include-field-0")],
        ),
        (
            {"weights": ["30", "20", "15", "20", "10", "10"]},
            [
                (
                    "KPI weights must total exactly 100%; they total 105% (C2 30%, 6-8W 20%, 12M 15%, "
                    "2.5Y 20%, ASQ3 10%, VAC 10%)",
                    "#payment-setup-weight-field-0",
                )
            ],
        ),
        (
            {"floors": ["95", "80", "75", "75", "90", "15"]},
            [
                (
                    "KPI C2: floor 95 must be below the target 92 when higher values are better",
                    "#payment-setup-floor-field-0",
                )
            ],
        ),
        (
            {"floors": ["85", "80", "75", "75", "90", "5"]},
            [
                (
                    "KPI VAC: floor 5 must be above the target 10 when lower values are better",
                    "#payment-setup-floor-field-5",
                )
            ],
        ),
        (
            {"budget": "4200000.005"},
            [("Budget must be a whole number of pence, got 4200000.005", "#payment-setup-budget-field")],
        ),
    ],
    ids=[
        "budget-share",
        "share-range",
        "weight-reason",
        "no-kpi",
        "weights-total",
        "floor",
        "floor-lower",
        "pence",
    ],
)
def test_bad_input_is_listed_in_the_error_summary_naming_the_field_and_nothing_is_written(
    store, admin, changes, problems
):
    engine, app = store
    before = row_counts(engine)
    shown, go_to = _set_up(app, *_form(**changes))
    assert go_to is dash.no_update
    assert shown[0].id == "payment-setup-error-summary" and shown[0].role == "alert"
    assert _summary_links(shown) == problems
    assert row_counts(engine) == before
    assert list_schemes(engine, PCC).empty


# --- Agreeing, then starting the next year from an uplift ------------------------------------------------


def test_uplifting_by_2_5_percent_gives_the_budget_exact_to_the_penny_rounding_half_up(store, admin, payment):
    engine, app = store
    # £1,000,000.20 raised by 2.5% is £1,025,000.205: half a penny, which rounds up to £1,025,000.21.
    _set_up(app, *_form(budget="1,000,000.20"))
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        agreed, agreed_go = payment.agree_change(1, {"contract": PCC, "year": YEAR}, "Agreed at the board")
    assert "Version 1 is agreed and now in force." in text_of(agreed)
    assert agreed_go == "/payment?contract=pcc-hcp-s75&version=1&year=2025/26"
    page = render_payment(app, contract=PCC, year=YEAR)
    assert find_id(page, "payment-draft-notice") is None
    assert "Payment scheme version 1, agreed: the scheme in force." in text_of(page)
    offer = text_of(find_id(page, "payment-uplift-form"))
    assert "Start 2026/27 from this scheme" in offer
    assert "its budget of £1,000,000.20 raised by the uplift and rounded to the nearest penny" in offer

    context = {"contract": PCC, "from_year": YEAR, "to_year": NEXT}
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, go_to = scheme_setup_callbacks.start_next_year(1, context, "2.5", "NHS pay award 2026/27")
    assert go_to == "/payment?contract=pcc-hcp-s75&version=1&year=2026/27"
    assert "its budget raised by 2.5% is £1,025,000.21" in text_of(shown)
    drafted = get_scheme(engine, PCC, NEXT)
    assert (drafted.budget, drafted.uplift, drafted.status) == (
        Decimal("1025000.21"),
        Decimal("0.025"),
        "draft",
    )
    assert find_id(render_payment(app, contract=PCC, year=YEAR), "payment-uplift-form") is None

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        again, again_go = scheme_setup_callbacks.start_next_year(1, context, "3", "Twice")
    assert again_go is dash.no_update
    assert "There is already a payment scheme for 2026/27" in text_of(again)
    assert get_scheme(engine, PCC, NEXT).budget == Decimal("1025000.21")


def test_cambridgeshire_2026_27_uplifted_by_2_5_percent_from_its_no_scheme_page(store, admin):
    engine, app = store
    page = render_payment(app, contract=CCC, year=NEXT)
    offer = text_of(find_id(page, "payment-uplift-form"))
    assert "Start 2026/27 from the agreed 2025/26 scheme" in offer
    assert "Or enter the scheme from the agreement" in text_of(find_id(page, "payment-setup-form"))
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        _, go_to = scheme_setup_callbacks.start_next_year(
            1, {"contract": CCC, "from_year": YEAR, "to_year": NEXT}, "2.5%", "NHS pay award"
        )
    assert go_to == "/payment?contract=ccc-hcp-s75&version=1&year=2026/27"
    assert get_scheme(engine, CCC, NEXT).budget == Decimal("9354260.70")  # £9,126,108 x 1.025


@pytest.mark.parametrize(
    ("uplift", "reason", "problems"),
    [
        ("", "Pay award", [("Enter the uplift", "#payment-uplift-percent-field")]),
        ("-100", "Cut", [("An uplift of -100% would leave no budget", "#payment-uplift-percent-field")]),
        (
            "2.12345",
            "Pay award",
            [("The uplift can have at most 4 decimal places", "#payment-uplift-percent-field")],
        ),
        (
            "2.5",
            "",
            [("Give a reason for the change; it is kept in the audit log.", "#payment-uplift-reason-field")],
        ),
    ],
)
def test_a_bad_uplift_is_explained_and_nothing_is_written(store, admin, uplift, reason, problems):
    engine, app = store
    before = row_counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown, go_to = scheme_setup_callbacks.start_next_year(
            1, {"contract": CCC, "from_year": YEAR, "to_year": NEXT}, uplift, reason
        )
    assert go_to is dash.no_update
    assert _summary_links(shown) == problems
    assert row_counts(engine) == before


def test_a_reader_of_a_draft_sees_it_is_not_agreed_and_who_agrees_it(store, admin, monkeypatch):
    _, app = store
    _set_up(app, *_form())
    signed_in_as(monkeypatch, "Sam Jones", "viewer")
    page = render_payment(app, contract=PCC, year=YEAR)
    draft = text_of(find_id(page, "payment-draft-notice"))
    assert "Draft: not yet agreed" in draft
    assert "An administrator agrees it once the commissioner and the provider have." in draft
    assert find_id(page, "payment-agree-form") is None


def test_with_no_scheme_to_copy_the_form_offers_the_provider_kpis_left_out_and_blank(engine):
    rows = setup.rows_from_catalogue(queries.indicator_catalogue(engine), provider_indicator_codes(engine))
    by_indicator = {row.indicator_code: row for row in rows}
    assert [row.code for row in rows[:3]] == ["K1", "K2", "K3"]
    new_birth = by_indicator["hv-new-birth-visit-14d"]
    assert (new_birth.polarity, new_birth.unit, new_birth.included) == ("higher_is_better", "%", False)
    assert (new_birth.weight, new_birth.target, new_birth.floor) == ("", "", "")
    assert by_indicator["wf-vacancy-rate"].polarity == "lower_is_better"
    assert all(row.polarity in setup.POLARITY_WORDS for row in rows), "no KPI without a better direction"
