"""The payment page without a browser, on an in-memory store with the bundled illustrative provider returns:
what a commissioner would notice in a contract monitoring meeting.

The committee's figures are on the page; the KPI table adds up; a what-if value moves the money by the amount
worked out by hand and saves nothing; the downloads carry the same pennies as the calculation; and someone who
is not an administrator cannot change the scheme, even by sending the save request themselves."""

from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import dash
import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from plotly.utils import PlotlyJSONEncoder

from dashboard import create_app, data_access, payment_callbacks
from dashboard.components.payment import assurance, forms, whatif
from dashboard.formatting import plain_number
from data import contracts, schema
from data.contracts import actuals_to_date, audit_entries, get_scheme, scheme_key
from data.db import make_engine
from data.seed import seed
from metrics.payment import calculate

RETURNS = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "bundled"
    / "illustrative"
    / "provider_quarterly_returns.csv"
)
CCC, PCC, YEAR = "ccc-hcp-s75", "pcc-hcp-s75", "2025/26"
C2_INDICATOR = "hv-new-birth-visit-14d"
CONTEXT = {"contract": CCC, "year": YEAR, "version": 1, "palette": "standard"}
WRITTEN = (schema.payment_schemes, schema.scheme_kpis, schema.audit_log)


def _store() -> sa.Engine:
    engine = make_engine("duckdb:///:memory:")
    seed(engine, files=[RETURNS])
    return engine


@pytest.fixture(scope="module")
def engine() -> sa.Engine:
    engine = _store()
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine):
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture(scope="module")
def payment(app):
    """The page's callbacks, registered with Dash as the app imports the page."""
    return payment_callbacks


@pytest.fixture
def viewer(monkeypatch):
    monkeypatch.setenv("KPI_USER", "Sam Jones")
    monkeypatch.setenv("KPI_ROLE", "viewer")


@pytest.fixture
def admin(monkeypatch):
    monkeypatch.setenv("KPI_USER", "Asha Patel")
    monkeypatch.setenv("KPI_ROLE", "admin")


def _module():
    return payment_callbacks


def _render(app, **query):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/payment")
    with app.server.test_request_context("/payment"):
        return page["layout"](**query)


def _find(component, wanted):
    """The first component whose id is ``wanted`` (depth first), or None."""
    if isinstance(component, (list, tuple)):
        return next((found for c in component if (found := _find(c, wanted)) is not None), None)
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def _text(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _json(component) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in WRITTEN}


def _defaults(engine) -> dict:
    scheme = get_scheme(engine, CCC, YEAR)
    return whatif.default_inputs(scheme, actuals_to_date(engine, scheme))


def _what_if(app, engine, change=None, weights=None):
    payment = _module()
    defaults = _defaults(engine)
    values = [list(row) for row in defaults["values"]]
    if change:
        change(values)
    with app.server.test_request_context("/payment"):
        return payment.what_if_outputs(CONTEXT, defaults, values, weights or defaults["weights"])


# -- The committee's figures ---------------------------------------------------------------------------------


def test_the_default_data_reproduce_the_committees_figures_on_the_page(app):
    page = _render(app, contract=CCC, year=YEAR)
    assert _text(_find(page, "payment-budget-sentence")) == (
        "Of Cambridgeshire’s £9,126,108 budget for 2025/26, £8,852,325 is paid regardless and £273,783 (3%) "
        "depends on the Annual Development Plan targets."
    )
    assert _text(_find(page, "payment-so-far-sentence")) == (
        "On the figures reported so far (Q1 to Q2), £100,875 has been earned and £22,327 withheld. The other "
        "£150,581 depends on figures not yet reported (Q3 and Q4, and the year's figure for ASQ3)."
    )
    chart = _json(_find(page, "chart-payment-budget"))
    assert "Paid regardless: £8,852,325" in chart and "At risk: £273,783" in chart


def test_the_page_says_exactly_what_is_real_and_what_is_illustrative(app):
    banner = _text(_find(_render(app, contract=CCC, year=YEAR), "payment-illustrative-banner"))
    assert "The budget and 3% share are real; the KPIs are not." in banner
    assert "agreed the £9,126,108 budget for 2025/26 and the 3% share on 8 October 2024" in banner


def test_the_kpi_table_totals_reconcile_to_the_money_at_risk(app, engine):
    page = _render(app, contract=CCC, year=YEAR)
    assert _text(_find(page, "payment-total-weight")) == "100%"
    assert _text(_find(page, "payment-total-at-stake")) == "£273,783"
    assert _text(_find(page, "payment-total-earned")) == "£100,875"
    assert _text(_find(page, "payment-reconciliation")) == (
        "How the money adds up:  £100,875 earned + £22,327 withheld + £150,581 not yet assessed = £273,783 "
        "at risk (to the penny: £100,875.39 + £22,327.07 + £150,580.78 = £273,783.24)."
    )
    scheme = get_scheme(engine, CCC, YEAR)
    result = calculate(scheme.to_metrics_scheme(), actuals_to_date(engine, scheme))
    assert sum(k.earned for k in result.kpis) == result.earned == Decimal("100875.39")
    assert sum(k.at_stake for k in result.kpis) == result.at_risk
    row = _text(_find(page, "payment-kpi-row-0"))
    assert "C2" in row and "88.3%" in row and "Partly met" in row and "Forecast" in row and "£23,255" in row


def test_each_quarter_says_its_status_in_words_with_a_shape(app):
    table = _find(_render(app, contract=CCC, year=YEAR), "payment-kpi-table")
    text = _text(table)
    for words, shape in (("Met", "✓"), ("Partly met", "▲"), ("Forecast", "◌")):
        assert f"{shape} {words}" in text
    assert "Judged once, on the whole year:" in text and "99.3% so far this year" in text
    assert "/indicator/hv-new-birth-visit-14d?area=E10000003" in _json(table)


def test_the_forecast_range_is_shown_in_words_and_explained(app):
    page = _render(app, contract=CCC, year=YEAR)
    assert _text(_find(page, "payment-forecast-sentence")) == (
        "By the year end, about £192,143 of the £273,783 at risk is expected to be earned: at worst "
        "£100,875, if nothing more is achieved, and at best £251,456, if every period not yet reported meets "
        "its target."
    )
    table = _text(_find(page, "payment-forecast-table"))
    assert "Consistently failing the target" in table and "Consistently passing the target" in table
    assert "Hit and miss" in table
    assert "How is this forecast made?" in _text(_find(page, "payment-how-forecast"))


def test_peterborough_has_no_scheme_and_none_is_invented(app):
    page = _render(app, contract=PCC, year=YEAR)
    text = _text(page)
    assert "Peterborough City Council's agreement (pcc-hcp-s75) has no payment scheme for 2025/26" in text
    assert "its budget is not in the public papers, so none is shipped and none is made up" in text
    assert _find(page, "payment-kpi-table") is None
    assert "£" not in text, "no amount is shown for an agreement whose budget is not known"


def test_a_link_to_an_unknown_agreement_or_year_says_it_was_ignored(app):
    text = _text(_render(app, contract="nonsense", year="1999/00"))
    assert "contract “nonsense”" in text and "year “1999/00”" in text
    assert "Of Cambridgeshire’s £9,126,108 budget" in text


# -- SPC assurance: the rules in metrics.spc --------------------------------------------------------------


def _series(app, engine) -> pd.DataFrame:
    scheme = get_scheme(engine, CCC, YEAR)
    codes = tuple(sorted({kpi.indicator_code for kpi in scheme.kpis}))
    with app.server.test_request_context("/payment"):
        return data_access.payment_series(scheme.area_code, codes, YEAR)


def _c2_quarters(series: pd.DataFrame, keep: int) -> pd.DataFrame:
    """The series with only the latest ``keep`` quarters of C2's indicator."""
    c2 = series[series["indicator_code"] == C2_INDICATOR].sort_values("period_end")
    return pd.concat([series[series["indicator_code"] != C2_INDICATOR], c2.tail(keep)])


def test_fewer_than_five_quarters_give_no_assurance_and_the_forecast_says_why(app, engine):
    scheme = get_scheme(engine, CCC, YEAR)
    series = _series(app, engine)
    assert assurance.assurance_for(scheme, _c2_quarters(series, 5))["C2"].assurance is not None
    assured = assurance.assurance_for(scheme, _c2_quarters(series, 4))
    assert (assured["C2"].assurance, assured["C2"].variation, assured["C2"].points) == (None, None, 4)
    assert assured["6-8W"].assurance is not None, "the other KPIs keep their quarters"
    so_far = actuals_to_date(engine, scheme)
    priced = whatif.price(
        whatif.apply_what_if(scheme, so_far, whatif.default_inputs(scheme, so_far)), assured
    )
    row = _text(assurance.forecast_table(priced, assured).children.children[2].children[0])
    assert "No assurance: too few figures (4 of at least 5 quarters)" in row
    assert "As so far (achieves" in row, "without assurance the expected case goes as the year has so far"


def test_a_kpi_with_no_better_direction_is_judged_neutral_not_lower_is_better(app, engine):
    scheme = get_scheme(engine, CCC, YEAR)
    quarters = [50.0, 51.0, 49.0, 50.0, 52.0, 48.0, 50.0, 51.0, 49.0, 80.0]  # the last well above the rest
    series = pd.DataFrame(
        {
            "indicator_code": C2_INDICATOR,
            "period_label": [f"Q{i}" for i in range(len(quarters))],
            "period_end": pd.date_range("2023-06-30", periods=len(quarters), freq="QE"),
            "value": quarters,
        }
    )
    c2 = replace(scheme.kpis[0], polarity="no_judgement", target=90)
    neutral = assurance.assurance_for(replace(scheme, kpis=(c2,)), series)["C2"]
    assert neutral.variation == "neutral_high", "a special cause is neither improvement nor concern"
    assert neutral.assurance is None, "a lower-is-better reading would call a 90 target a consistent pass"
    assert assurance.no_assurance_text(neutral) == "No assurance: neither higher nor lower is better"
    lower = assurance.assurance_for(replace(scheme, kpis=(replace(c2, polarity="lower_is_better"),)), series)
    assert (lower["C2"].variation, lower["C2"].assurance) == ("concern_high", "consistent_pass")


# -- What-if -------------------------------------------------------------------------------------------------


def test_a_what_if_value_changes_earned_by_the_hand_computed_amount(app, engine):
    before = _counts(engine)

    def c2_meets_q3(values):
        values[0][2] = 95  # C2, Q3: not yet reported; 95% meets the 92% target

    results, errors, notice, inline, live = _what_if(app, engine, c2_meets_q3)
    assert errors is None and inline is None
    # By hand: Q3 carries a quarter of C2's 25% weight: £273,783.24 x 25% / 4 = £17,111.4525, so earned so far
    # rises from £100,875.39 to £117,986.84 or £117,986.85 (C2's own figure is rounded to the penny once).
    assert _text(_find(results, "payment-total-earned")) == "£117,987"
    assert _text(_find(live, "payment-whatif-earned")) == "£117,987"
    assert "£17,111 more than reported" in _text(live)
    assert "C2 Q3 not yet reported → 95.0%" in _text(notice)
    assert "What-if: nothing is saved" in _text(notice)
    assert "and your what-if values" in _text(_find(results, "payment-so-far-sentence"))
    assert _counts(engine) == before, "a what-if writes nothing"


def test_a_what_if_in_pennies_matches_the_hand_calculation(engine):
    scheme = get_scheme(engine, CCC, YEAR)
    so_far = actuals_to_date(engine, scheme)
    defaults = whatif.default_inputs(scheme, so_far)
    values = [list(row) for row in defaults["values"]]
    values[0][2] = 95
    changed = whatif.apply_what_if(scheme, so_far, defaults, values)
    assert changed.so_far["C2"][:2] == so_far["C2"], "values left as shown keep the exact reported figures"
    before = calculate(scheme.to_metrics_scheme(), so_far).earned
    after = calculate(changed.scheme.to_metrics_scheme(), changed.so_far).earned
    assert after - before in (Decimal("17111.45"), Decimal("17111.46"))


def test_a_changed_weight_moves_the_money(app, engine):
    defaults = _defaults(engine)
    weights = list(defaults["weights"])
    weights[0], weights[5] = 30, 5  # C2 25% -> 30%, VAC 10% -> 5%
    results, errors, notice, _, live = _what_if(app, engine, weights=weights)
    assert errors is None
    assert "C2 weight 25% → 30%" in _text(notice) and "VAC weight 10% → 5%" in _text(notice)
    # By hand: C2 has earned 33.98% of its stake so far and VAC 50%. C2 at 30% earns £273,783.24 x 30% x
    # 33.98% = £27,905.87 (was £23,254.89 at 25%); VAC at 5% earns £273,783.24 x 5% x 50% = £6,844.58 (was
    # £13,689.16). Earned so far: £100,875.39 + £4,650.98 - £6,844.58 = £98,681.79.
    assert _text(_find(results, "payment-total-earned")) == "£98,682"
    assert "£2,194 less than reported" in _text(live)


def test_weights_that_do_not_total_100_percent_are_listed_in_an_error_summary(app, engine):
    defaults = _defaults(engine)
    weights = list(defaults["weights"])
    weights[0] = 30
    results, errors, _, inline, _ = _what_if(app, engine, weights=weights)
    assert results is dash.no_update, "the money is not recalculated from an invalid scheme"
    assert _text(_find(errors, "payment-whatif-error-summary-title")) == "There is a problem"
    link = errors.children[1].children[0].children
    assert link.children == "The weights total 105%; they must total 100%"
    assert link.href == "#payment-whatif-weight-field-0"
    assert "weights total 105%" in _text(inline)


def test_reset_puts_back_the_reported_figures(engine, payment):
    defaults = _defaults(engine)
    value_ids = [{"type": forms.WHATIF_VALUE, "kpi": 0, "period": p} for p in range(4)]
    weight_ids = [{"type": forms.WHATIF_WEIGHT, "kpi": 0}]
    values, weights = payment.reset_what_if(1, defaults, value_ids, weight_ids)
    assert values == defaults["values"][0] and weights == [25.0]


# -- Downloads -----------------------------------------------------------------------------------------------


def _download(app, engine, kind, change=None):
    payment = _module()
    defaults = _defaults(engine)
    values = [list(row) for row in defaults["values"]]
    if change:
        change(values)
    with app.server.test_request_context("/payment"):
        return payment.export_file(kind, CONTEXT, defaults, values, defaults["weights"])


def test_the_csv_download_has_the_pennies_of_the_calculation(app, engine):
    sent = _download(app, engine, "csv")
    assert sent["filename"] == "payment-ccc-hcp-s75-2025-26-v1.csv"
    rows = list(csv.DictReader(io.StringIO(sent["content"])))
    scheme = get_scheme(engine, CCC, YEAR)
    result = calculate(scheme.to_metrics_scheme(), actuals_to_date(engine, scheme))
    for row, kpi in zip(rows, result.kpis, strict=False):
        assert Decimal(row["earned"]) == kpi.earned
    assert (rows[-1]["kpi_code"], Decimal(rows[-1]["earned"])) == ("TOTAL", result.earned)
    assert rows[-1]["at_stake"] == "273783.24" and rows[0]["fixed"] == "8852324.76"


def test_the_xlsx_download_reflects_the_what_if_values_and_says_so(app, engine):
    sent = _download(app, engine, "xlsx", lambda values: values[0].__setitem__(2, 95))
    assert sent["filename"] == "payment-ccc-hcp-s75-2025-26-v1-what-if.xlsx"
    book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    sheet = book["Calculation"]
    assert sheet["A2"].value.startswith("WHAT-IF") and sheet["M13"].value == 95
    assert Decimal(str(sheet["W19"].value)) in (Decimal("117986.84"), Decimal("117986.85"))
    assert [c.value for c in book["Audit history"]["B"] if c.value == "kpi seed"]


# -- Changing the scheme: an administrator's action, checked on the server -----------------------------------


def _save_args(engine, *, target="93", floor="85", reason="Stretch target agreed at the contract meeting"):
    scheme = get_scheme(engine, CCC, YEAR)
    weights = [plain_number(k.weight * 100) for k in scheme.kpis]
    targets = [plain_number(k.target) for k in scheme.kpis]
    floors = ["" if k.floor is None else plain_number(k.floor) for k in scheme.kpis]
    targets[0], floors[0] = target, floor
    return {"contract": CCC, "year": YEAR}, "9126108.00", "3", weights, targets, floors, reason


def test_a_viewer_who_forges_the_save_request_is_refused_and_nothing_is_written(app, engine, viewer, payment):
    page = _render(app, contract=CCC, year=YEAR)
    assert _find(page, "payment-change-form") is None, "the form is not offered (a courtesy, not the check)"
    assert "You are using the dashboard as Sam Jones, a viewer." in _text(_find(page, "payment-who"))
    before = _counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown = payment.save_change(1, *_save_args(engine))
    summary = shown[0]
    assert summary.id == "payment-change-error-summary" and summary.role == "alert"
    assert (
        "Only an administrator can change a payment scheme; you are signed in as Sam Jones (viewer)."
        in _text(summary)
    )
    assert _counts(engine) == before
    assert get_scheme(engine, CCC, YEAR).version == 1


def _forged_save(engine) -> dict:
    """The save request as the browser would send it, built by hand: no page, no form, no button."""

    def form(kind):
        return {"form": "scheme", "type": f"payment-{kind}"}

    context, budget, share, weights, targets, floors, reason = _save_args(engine)

    def each(kind, values):
        return [
            {"id": {"kpi": i, "type": f"payment-change-{kind}"}, "property": "value", "value": v}
            for i, v in enumerate(values)
        ]

    return {
        "output": '{"form":["ALL"],"type":"payment-change-result"}.children',
        "outputs": [{"id": form("change-result"), "property": "children"}],
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


def test_a_forged_save_request_to_the_dashboard_is_refused_by_the_server(app, engine, viewer):
    before = _counts(engine)
    response = app.server.test_client().post("/_dash-update-component", json=_forged_save(engine))
    assert response.status_code == 200
    shown = json.dumps(response.get_json(), ensure_ascii=False)
    assert "There is a problem" in shown
    assert (
        "Only an administrator can change a payment scheme; you are signed in as Sam Jones (viewer)." in shown
    )
    assert _counts(engine) == before
    assert get_scheme(engine, CCC, YEAR).version == 1


def test_an_officer_cannot_agree_a_scheme_either(app, engine, monkeypatch, payment):
    monkeypatch.setenv("KPI_USER", "Kim Lee")
    monkeypatch.setenv("KPI_ROLE", "officer")
    before = _counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown = payment.agree_change(1, {"contract": CCC, "year": YEAR}, "Agreed at the meeting")
    assert "Only an administrator can change a payment scheme" in _text(shown)
    assert _counts(engine) == before


def test_an_administrator_saves_a_new_draft_version_with_who_when_and_why(admin, payment):
    engine = _store()
    app = create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})
    page = _render(app, contract=CCC, year=YEAR)
    assert _find(page, "payment-change-form") is not None
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown = payment.save_change(1, *_save_args(engine))
    assert "Version 2 saved as a draft." in _text(shown)
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
    shown_page = _render(app, contract=CCC, year=YEAR)
    assert "Payment scheme version 1, agreed: the scheme in force." in _text(shown_page)
    assert "Version 2 (draft) is the latest." in _text(shown_page)
    assert "Payment scheme version 2, a draft" in _text(_render(app, contract=CCC, year=YEAR, version="2"))

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        agreed = payment.agree_change(1, {"contract": CCC, "year": YEAR}, "Agreed at the contract meeting")
    assert "Version 2 is agreed and now in force." in _text(agreed)
    assert "Payment scheme version 2, agreed: the scheme in force." in _text(
        _render(app, contract=CCC, year=YEAR)
    )
    assert (
        audit_entries(engine, scheme_key(CCC, YEAR)).iloc[0]["change"] == "Version 2 (agreed): draft → agreed"
    )
    engine.dispose()


def test_a_store_that_cannot_be_written_says_so_and_nothing_changes(app, engine, admin, monkeypatch, payment):
    def read_only(*args, **kwargs):
        raise sa.exc.OperationalError("UPDATE payment_schemes", {}, Exception("read-only database"))

    monkeypatch.setattr(contracts, "save_scheme_version", read_only)
    before = _counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown = payment.save_change(1, *_save_args(engine))
    assert shown[0].id == "payment-change-error-summary"
    assert "the dashboard could not write to its data store" in _text(shown)
    assert _counts(engine) == before


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
    before = _counts(engine)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        shown = payment.save_change(1, *_save_args(engine, **args))
    link = shown[0].children[1].children[0].children
    assert (link.children, link.href) == (message, field)
    assert _counts(engine) == before
