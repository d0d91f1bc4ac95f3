"""The finance line of the provider return: in the template's list of indicators (filled in as a value) and
in the bundled illustrative returns for every quarter and both areas."""

from __future__ import annotations

import csv

from data.catalogue import load_catalogue
from data.importers.template import INSTRUCTIONS, provider_indicators
from tests.data.helpers import BUNDLED

FINANCE = ("finance-spend-to-date", "finance-budget-to-date")


def test_the_template_asks_for_spend_and_budget_to_date_as_values():
    listed = {i.code: i for i in provider_indicators(load_catalogue())}
    assert all(listed[code].fill_in == "value" for code in FINANCE)
    assert any("finance-spend-to-date and finance-budget-to-date" in line for line in INSTRUCTIONS)


def test_the_bundled_returns_hold_the_finance_line_for_each_area_and_quarter():
    with (BUNDLED / "illustrative" / "provider_quarterly_returns.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["indicator_code"] in FINANCE]
    assert len(rows) == 2 * 2 * 18
    cambs_q2 = {
        r["indicator_code"]: r["value"]
        for r in rows
        if r["area_code"] == "E10000003" and r["period"] == "2025/26 Q2"
    }
    assert cambs_q2 == {"finance-spend-to-date": "4581306", "finance-budget-to-date": "4563054"}
