"""The one-screen summary without a browser, on the scorecard tests' store (the shipped catalogue and targets
plus a small provider return with known answers): counts by domain and status, the links into the scorecard,
the payment position and the sources' dates."""

from __future__ import annotations

import dash
import pytest

from dashboard import create_app
from dashboard.layout import navigation_entries
from tests.dashboard import pages
from tests.dashboard.pages import by_id, duplicate_ids, find, props, text, to_json
from tests.dashboard.test_scorecard_page import engine  # noqa: F401  (the store, as a fixture)


@pytest.fixture(scope="module")
def app(engine) -> dash.Dash:  # noqa: F811
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def rows_by_domain(page) -> dict[str, list[str]]:
    """Each row's cells' text, keyed by its domain code ("all" for the total)."""
    rows = find(page, lambda c: type(c).__name__ == "Tr" and props(c).get("data-domain"))
    return {props(r)["data-domain"]: [text(cell) for cell in r.children] for r in rows}


def test_the_summary_is_in_the_navigation_after_the_scorecard(app):
    with app.server.test_request_context("/"):
        labels = [label for label, _ in navigation_entries()]
    assert labels[:3] == ["Scorecard", "Summary", "Areas table"]


def test_counts_by_domain_and_status_with_known_answers(app):
    page = pages.render(app, "/summary")
    to_json(page)
    assert not duplicate_ids(page)
    headings = [text(th) for th in find(by_id(page, "summary-table"), lambda c: type(c).__name__ == "Th")][:8]
    assert headings == [
        "Domain",
        "Indicators",
        "✓ On target",
        "▲ Near target",
        "● Off target",
        "– Not assessed",
        "✗ Worse than England",
        "↕ Special-cause concern",
    ]
    rows = rows_by_domain(page)
    # The return has figures for four provider KPIs: 6-8 week reviews off target, new birth visits near
    # target (88.9% against 92%), antenatal contacts and maternal mood on target.
    assert rows["3"][1:] == ["19", "1", "1", "1", "none", "none", "none"]
    assert rows["2"][1:] == ["32", "1", "none", "none", "none", "none", "none"]
    assert rows["all"] == ["All indicators", "73", "2", "1", "1", "none", "none", "none"]
    assert "69 of the 73 indicators have no figure for Cambridgeshire" in text(by_id(page, "summary-hint"))


def test_each_count_links_to_the_scorecard_showing_those_indicators(app):
    page = pages.render(app, "/summary", palette="colour-blind")
    [domain_three] = find(page, lambda c: type(c).__name__ == "Tr" and props(c).get("data-domain") == "3")
    links = [a.href for a in find(domain_three, lambda c: type(c).__name__ == "A")]
    assert links == [
        "/?palette=colour-blind&domain=3",
        "/?palette=colour-blind&domain=3&show=on-target",
        "/?palette=colour-blind&domain=3&show=near-target",
        "/?palette=colour-blind&domain=3&show=off-target",
    ]
    off = find(domain_three, lambda c: type(c).__name__ == "A" and "off-target" in c.href)[0]
    assert props(off)["aria-label"] == "1 off target: show them on the scorecard"


def test_the_payment_position_and_the_sources_dates_in_one_line_each(app):
    page = pages.render(app, "/summary")
    assert text(by_id(page, "summary-lead")) == "CYP Outcomes Framework; provider returns to 30 June 2025."
    payment = text(by_id(page, "summary-payment"))
    assert payment.startswith("Payment 2025/26: £9,807 earned and £51,794 withheld of £273,783 at risk")
    assert "(agreed version 1; Q1 reported)" in payment
    peterborough = text(by_id(pages.render(app, "/summary", area="E06000031"), "summary-payment"))
    assert "no payment scheme" in peterborough
