"""The quarter view on a small known store: every provider KPI with its figure, target, status and SPC, the
exceptions with what was entered on the exceptions page, data quality, and the payment position."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from dashboard import create_app
from data import monitoring
from data.access import User
from data.exports import CSV_SKIPROWS
from tests.dashboard.monitoring.support import CAMBS, CCC, LATEST, NEW_BIRTH
from tests.dashboard.pages import by_id, render, text, to_json
from tests.dashboard.payment.support import payment_store
from tests.dashboard.signing_in import signed_in_client

OFFICER = User("Olu Officer", frozenset({"officer"}))


def _quarter(app, **query):
    page = render(app, "/quarter", **query)
    to_json(page)
    return page


def test_every_provider_kpi_is_listed_with_its_figure_target_and_status(app, viewer):
    page = _quarter(app, contract=CCC, quarter=LATEST)
    assert text(by_id(page, "quarter-heading")) == "Cambridgeshire: contract monitoring, 2025/26 Q2"
    table = text(by_id(page, "quarter-kpis-table"))
    assert "New birth visit within 14 days (illustrative) 85.0% 92% ● Off target 7.0 points below" in table
    assert "6-8 week review by 8 weeks (illustrative) 92.1% 90% ✓ On target" in table
    assert "Maternal mood assessed at 6-8 weeks (illustrative) No figure for 2025/26 Q2" in table


def test_an_earlier_quarter_shows_that_quarters_figures(app, viewer):
    table = text(by_id(_quarter(app, contract=CCC, quarter="2025/26 Q1"), "quarter-kpis-table"))
    assert "New birth visit within 14 days (illustrative) 93.0% 92% ✓ On target" in table


def test_the_payment_position_is_one_line_from_the_agreed_scheme(app, viewer):
    line = text(by_id(_quarter(app, contract=CCC, quarter=LATEST), "quarter-payment-line"))
    assert line.startswith("Payment 2025/26 (agreed version 1): of £273,783 at risk, ")
    assert "earned and" in line and "withheld" in line


def test_commentary_and_an_action_from_the_exceptions_page_appear_in_the_exception(app, engine, viewer):
    monitoring.add_commentary(
        engine,
        OFFICER,
        indicator_code=NEW_BIRTH,
        area_code=CAMBS,
        period_label=LATEST,
        kind="commissioner",
        text="Not acceptable two quarters running",
    )
    monitoring.add_action(
        engine,
        OFFICER,
        indicator_code=NEW_BIRTH,
        area_code=CAMBS,
        period_label=LATEST,
        what="Weekend clinics",
        owner="Service lead",
        due_date=dt.date(2099, 1, 31),
    )
    page = _quarter(app, contract=CCC, quarter=LATEST)
    exception = text(by_id(page, f"quarter-exception-{NEW_BIRTH}"))
    assert (
        "Commissioner's view — Olu Officer" in exception
        and "Not acceptable two quarters running" in exception
    )
    assert "Open Weekend clinics" in exception
    assert "Weekend clinics Service lead 31 January 2099 ○ Open" in text(by_id(page, "quarter-actions-table"))


def test_data_quality_names_the_missing_kpis_and_the_late_loads(app, viewer):
    page = _quarter(app, contract=CCC, quarter=LATEST)
    missing = text(by_id(page, "quarter-quality-missing"))
    assert "Staff in post (WTE)" in missing and "New birth visit within 14 days" not in missing
    late = text(by_id(page, "quarter-quality-late"))
    assert "New birth visit within 14 days" in late and "6-8 week review by 8 weeks" in late
    assert "after 11 November 2025" in text(by_id(page, "quarter-quality"))
    assert text(by_id(page, "quarter-finance-sentence")) == "The return has no finance line for 2025/26 Q2."


def test_an_unknown_quarter_is_reported_and_the_latest_shown(app, viewer):
    page = _quarter(app, contract=CCC, quarter="2031/32 Q9")
    assert "quarter \u201c2031/32 Q9\u201d" in text(by_id(page, "quarter-ignored"))
    assert LATEST in text(by_id(page, "quarter-heading"))


def test_workforce_and_finance_come_from_the_bundled_return(viewer):
    app = create_app(payment_store(), cache_config={"CACHE_TYPE": "NullCache"})
    page = _quarter(app, contract=CCC, quarter=LATEST)
    assert text(by_id(page, "quarter-finance-sentence")) == (
        "Spend to date £4,581,306 against a budget to date of £4,563,054: £18,252 over budget (2025/26 Q2). "
        "Illustrative figures."
    )
    assert "Staff in post (WTE)" in text(by_id(page, "quarter-workforce-list"))
    assert "Spend to date" not in text(by_id(page, "quarter-kpis-table"))


def test_the_quarter_download_is_the_kpi_table_for_that_quarter(app, viewer):
    page = _quarter(app, contract=CCC, quarter="2025/26 Q1")
    client = signed_in_client(app)
    response = client.get(by_id(page, "quarter-downloads-csv").href)
    assert response.status_code == 200
    assert 'filename="quarter-ccc-hcp-s75-2025-26-Q1.csv"' in response.headers["Content-Disposition"]
    content = response.get_data(as_text=True)
    assert content.splitlines()[2] == "Period,2025/26 Q1 (to 30 June 2025)"
    table = pd.read_csv(io.StringIO(content), skiprows=CSV_SKIPROWS).set_index("KPI")
    shown = text(by_id(page, "quarter-kpis-table"))
    assert all(name.removesuffix(" (illustrative)") in shown for name in table.index)
    new_birth = table.loc["New birth visit within 14 days"]
    assert (new_birth["Figure"], new_birth["Target"], new_birth["Against target"]) == (
        93.0,
        92.0,
        "On target",
    )
    workbook = client.get(by_id(page, "quarter-downloads-xlsx").href).get_data()
    book = load_workbook(io.BytesIO(workbook))
    assert not [
        c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"
    ]
    assert len(pd.read_excel(io.BytesIO(workbook), sheet_name="Figures", skiprows=8)) == len(table)
