"""The payment page without a browser, on an in-memory store with the bundled illustrative provider returns:
what a commissioner would notice in a contract monitoring meeting.

The committee's figures are on the page; the KPI table adds up; a what-if value moves the money by the amount
worked out by hand and saves nothing; the downloads carry the same pennies as the calculation; and someone who
is not an administrator cannot change the scheme, even by sending the save request themselves."""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import replace
from decimal import Decimal

import dash
import pandas as pd
from openpyxl import load_workbook

from dashboard import data_access
from dashboard.components.payment import assurance, forms, whatif
from data.contracts import actuals_to_date, get_scheme
from data.exports import csv_table_lines
from metrics.payment import calculate
from tests.dashboard.payment.support import (
    C2_INDICATOR,
    CCC,
    CONTEXT,
    PCC,
    YEAR,
    as_json,
    callbacks,
    find_id,
    render_payment,
    reported_inputs,
    row_counts,
    text_of,
    what_if,
)

# -- The committee's figures ---------------------------------------------------------------------------------


def test_the_default_data_reproduce_the_committees_figures_on_the_page(app):
    page = render_payment(app, contract=CCC, year=YEAR)
    assert text_of(find_id(page, "payment-budget-sentence")) == (
        "Of Cambridgeshire’s £9,126,108 budget for 2025/26, £8,852,325 is paid regardless and £273,783 (3%) "
        "depends on the Annual Development Plan targets."
    )
    assert text_of(find_id(page, "payment-so-far-sentence")) == (
        "On the figures reported so far (Q1 to Q2), £100,875 has been earned and £22,327 withheld. The other "
        "£150,581 depends on figures not yet reported (Q3 and Q4, and the year's figure for ASQ3)."
    )
    chart = as_json(find_id(page, "chart-payment-budget"))
    assert "Paid regardless: £8,852,325" in chart and "At risk: £273,783" in chart


def test_the_page_says_exactly_what_is_real_and_what_is_illustrative(app):
    banner = text_of(find_id(render_payment(app, contract=CCC, year=YEAR), "payment-illustrative-banner"))
    assert "The budget and 3% share are real; the KPIs are not." in banner
    assert "agreed the £9,126,108 budget for 2025/26 and the 3% share on 8 October 2024" in banner


def test_the_kpi_table_totals_reconcile_to_the_money_at_risk(app, engine):
    page = render_payment(app, contract=CCC, year=YEAR)
    assert text_of(find_id(page, "payment-total-weight")) == "100%"
    assert text_of(find_id(page, "payment-total-at-stake")) == "£273,783"
    assert text_of(find_id(page, "payment-total-earned")) == "£100,875"
    assert text_of(find_id(page, "payment-reconciliation")) == (
        "How the money adds up:  £100,875 earned + £22,327 withheld + £150,581 not yet assessed = £273,783 "
        "at risk (to the penny: £100,875.39 + £22,327.07 + £150,580.78 = £273,783.24)."
    )
    scheme = get_scheme(engine, CCC, YEAR)
    result = calculate(scheme.to_metrics_scheme(), actuals_to_date(engine, scheme))
    assert sum(k.earned for k in result.kpis) == result.earned == Decimal("100875.39")
    assert sum(k.at_stake for k in result.kpis) == result.at_risk
    row = text_of(find_id(page, "payment-kpi-row-0"))
    assert "C2" in row and "88.3%" in row and "Partly met" in row and "Forecast" in row and "£23,255" in row


def test_each_quarter_says_its_status_in_words_with_a_shape(app):
    table = find_id(render_payment(app, contract=CCC, year=YEAR), "payment-kpi-table")
    text = text_of(table)
    for words, shape in (("Met", "✓"), ("Partly met", "▲"), ("Forecast", "◌")):
        assert f"{shape} {words}" in text
    assert "Judged once, on the whole year:" in text and "99.3% so far this year" in text
    assert "/indicator/hv-new-birth-visit-14d?area=E10000003" in as_json(table)


def test_the_forecast_range_is_shown_in_words_and_explained(app):
    page = render_payment(app, contract=CCC, year=YEAR)
    assert text_of(find_id(page, "payment-forecast-sentence")) == (
        "By the year end, about £192,143 of the £273,783 at risk is expected to be earned: at worst "
        "£100,875, if nothing more is achieved, and at best £251,456, if every period not yet reported meets "
        "its target."
    )
    table = text_of(find_id(page, "payment-forecast-table"))
    assert "Consistently failing the target" in table and "Consistently passing the target" in table
    assert "Hit and miss" in table
    assert "How is this forecast made?" in text_of(find_id(page, "payment-how-forecast"))


def test_peterborough_has_no_scheme_and_none_is_invented(app):
    page = render_payment(app, contract=PCC, year=YEAR)
    text = text_of(page)
    assert "Peterborough City Council's agreement (pcc-hcp-s75) has no payment scheme for 2025/26" in text
    assert "its budget is not in the public papers, so none is shipped and none is made up" in text
    assert find_id(page, "payment-kpi-table") is None
    assert "£" not in text, "no amount is shown for an agreement whose budget is not known"


def test_a_link_to_an_unknown_agreement_or_year_says_it_was_ignored(app):
    text = text_of(render_payment(app, contract="nonsense", year="1999/00"))
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
    inputs = whatif.default_inputs(scheme, so_far)
    priced = whatif.price(whatif.apply_what_if(scheme, so_far, inputs), assured)
    row = text_of(assurance.forecast_table(priced, assured).children.children[2].children[0])
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


def test_after_a_process_change_assurance_is_judged_on_the_current_phase(app, engine):
    scheme = get_scheme(engine, CCC, YEAR)
    quarters = [50.0, 51.0, 49.0, 50.0, 51.0, 49.0, 50.0, 51.0, 95.0, 96.0, 94.0, 95.0, 96.0, 94.0]
    starts = pd.date_range("2022-04-01", periods=len(quarters), freq="QS-APR")
    series = pd.DataFrame(
        {
            "indicator_code": C2_INDICATOR,
            "period_label": [f"Q{i}" for i in range(len(quarters))],
            "period_start": starts.date,
            "period_end": (starts + pd.offsets.QuarterEnd()).date,
            "value": quarters,
        }
    )
    c2 = replace(scheme.kpis[0], polarity="higher_is_better", target=90)
    one_kpi = replace(scheme, kpis=(c2,))
    whole = assurance.assurance_for(one_kpi, series)["C2"]
    # Judged over both processes, the mean (about 69) sits far below the target: a consistent fail.
    assert (whole.assurance, whole.points, whole.phase_from) == ("consistent_fail", 14, None)
    change = pd.DataFrame({"indicator_code": [C2_INDICATOR], "change_date": [starts[8].date()]})
    phased = assurance.assurance_for(one_kpi, series, change)["C2"]
    # The six quarters since the change (94 to 96) have limits of about 92 to 98: all above the 90 target.
    assert (phased.assurance, phased.points, phased.phase_from) == ("consistent_pass", 6, "Q8")
    shorter = assurance.assurance_for(one_kpi, series.head(12), change)["C2"]
    assert assurance.no_assurance_text(shorter) == (
        "No assurance: too few figures (4 of at least 5 quarters since the process change from Q8)"
    )


# -- What-if -------------------------------------------------------------------------------------------------


def test_a_what_if_value_changes_earned_by_the_hand_computed_amount(app, engine):
    before = row_counts(engine)

    def c2_meets_q3(values):
        values[0][2] = 95  # C2, Q3: not yet reported; 95% meets the 92% target

    results, errors, notice, inline, live = what_if(app, engine, c2_meets_q3)
    assert errors is None and inline is None
    # By hand: Q3 carries a quarter of C2's 25% weight: £273,783.24 x 25% / 4 = £17,111.4525, so earned so far
    # rises from £100,875.39 to £117,986.84 or £117,986.85 (C2's own figure is rounded to the penny once).
    assert text_of(find_id(results, "payment-total-earned")) == "£117,987"
    assert text_of(find_id(live, "payment-whatif-earned")) == "£117,987"
    assert "£17,111 more than reported" in text_of(live)
    assert "C2 Q3 not yet reported → 95.0%" in text_of(notice)
    assert "What-if: nothing is saved" in text_of(notice)
    assert "and your what-if values" in text_of(find_id(results, "payment-so-far-sentence"))
    assert row_counts(engine) == before, "a what-if writes nothing"


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
    defaults = reported_inputs(engine)
    weights = list(defaults["weights"])
    weights[0], weights[5] = 30, 5  # C2 25% -> 30%, VAC 10% -> 5%
    results, errors, notice, _, live = what_if(app, engine, weights=weights)
    assert errors is None
    assert "C2 weight 25% → 30%" in text_of(notice) and "VAC weight 10% → 5%" in text_of(notice)
    # By hand: C2 has earned 33.98% of its stake so far and VAC 50%. C2 at 30% earns £273,783.24 x 30% x
    # 33.98% = £27,905.87 (was £23,254.89 at 25%); VAC at 5% earns £273,783.24 x 5% x 50% = £6,844.58 (was
    # £13,689.16). Earned so far: £100,875.39 + £4,650.98 - £6,844.58 = £98,681.79.
    assert text_of(find_id(results, "payment-total-earned")) == "£98,682"
    assert "£2,194 less than reported" in text_of(live)


def test_weights_that_do_not_total_100_percent_are_listed_in_an_error_summary(app, engine):
    defaults = reported_inputs(engine)
    weights = list(defaults["weights"])
    weights[0] = 30
    results, errors, _, inline, _ = what_if(app, engine, weights=weights)
    assert results is dash.no_update, "the money is not recalculated from an invalid scheme"
    assert text_of(find_id(errors, "payment-whatif-error-summary-title")) == "There is a problem"
    link = errors.children[1].children[0].children
    assert link.children == "The weights total 105%; they must total 100%"
    assert link.href == "#payment-whatif-weight-field-0"
    assert "weights total 105%" in text_of(inline)


def test_reset_puts_back_the_reported_figures(engine, payment):
    defaults = reported_inputs(engine)
    value_ids = [{"type": forms.WHATIF_VALUE, "kpi": 0, "period": p} for p in range(4)]
    weight_ids = [{"type": forms.WHATIF_WEIGHT, "kpi": 0}]
    values, weights = payment.reset_what_if(1, defaults, value_ids, weight_ids)
    assert values == defaults["values"][0] and weights == [25.0]


# -- Downloads -----------------------------------------------------------------------------------------------


def _download(app, engine, kind, change=None):
    payment = callbacks()
    defaults = reported_inputs(engine)
    values = [list(row) for row in defaults["values"]]
    if change:
        change(values)
    with app.server.test_request_context("/payment"):
        return payment.export_file(kind, CONTEXT, defaults, values, defaults["weights"])


def test_the_csv_download_has_the_pennies_of_the_calculation(app, engine):
    sent = _download(app, engine, "csv")
    assert sent["filename"] == "payment-ccc-hcp-s75-2025-26-v1.csv"
    rows = list(csv.DictReader(csv_table_lines(sent["content"])))
    assert sent["content"].startswith("Title,Performance-linked payment, agreement".replace(",", ',"', 1))
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
