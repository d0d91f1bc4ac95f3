"""The agreements and their payment schemes: what ships, who may change it, versions, the audit log, and the
provider's figures a scheme is priced on. Write paths run on DuckDB and, where available, PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from data import contracts, queries, schema
from data.access import PermissionDenied, User
from data.contracts import (
    NoScheme,
    SchemeKpi,
    actuals_for_scheme,
    actuals_to_date,
    agree_scheme,
    audit_entries,
    get_scheme,
    list_contracts,
    list_schemes,
    new_year_from_uplift,
    record_extension_decision,
    save_scheme_version,
    scheme_actuals,
    scheme_history,
    scheme_key,
    seed_contracts,
)
from data.contracts import actuals as actuals_module
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.pipeline import import_file
from metrics.payment import calculate
from tests.data.helpers import count_rows, write_csv

CCC, PCC = "ccc-hcp-s75", "pcc-hcp-s75"
CAMBS, PBORO = "E10000003", "E06000031"
YEAR = "2025/26"
ADMIN = User("Asha Patel", frozenset({"admin"}))
RETURN_HEADER = list(PROVIDER_RETURN_HEADER)
WRITTEN_TABLES = (schema.payment_schemes, schema.scheme_kpis, schema.audit_log, schema.contract_extensions)


def _counts(engine) -> dict[str, int]:
    return {table.name: count_rows(engine, table) for table in WRITTEN_TABLES}


def _with_target(scheme, code: str, target: float) -> tuple[SchemeKpi, ...]:
    return tuple(replace(k, target=target) if k.code == code else k for k in scheme.kpis)


def _save(engine, scheme, kpis, reason="Targets agreed at the quarterly contract meeting"):
    return save_scheme_version(
        engine, ADMIN, CCC, YEAR, budget=scheme.budget, share=scheme.share, kpis=kpis, reason=reason
    )


# -- What ships ------------------------------------------------------------------------------------------


def test_the_seeded_cambridgeshire_scheme_pays_three_percent_on_performance(store):
    scheme = get_scheme(store, CCC, YEAR)
    money = scheme.to_metrics_scheme()
    assert money.budget == Decimal("9126108.00")
    assert money.at_risk == Decimal("273783.24")
    assert money.fixed == Decimal("8852324.76")
    assert (scheme.version, scheme.status, scheme.budget_basis) == (1, "agreed", "entered")
    assert scheme.illustrative and "8 October 2024" in scheme.reason and "ILLUSTRATIVE" in scheme.reason


def test_the_illustrative_plan_uses_provider_kpis_and_the_shipped_targets(store):
    scheme = get_scheme(store, CCC, YEAR)
    assert sum(k.weight for k in scheme.kpis) == 1
    shipped = queries.current_targets(store)
    catalogue = queries.indicator_catalogue(store).set_index("code")
    for kpi in scheme.kpis:
        assert catalogue.loc[kpi.indicator_code, "illustrative"]
        targets = shipped[shipped["indicator_code"] == kpi.indicator_code].set_index("area_code")["target"]
        assert kpi.target == targets.get(CAMBS, targets.get(""))
    assert {k.basis for k in scheme.kpis} == {"quarterly", "annual"}


def test_peterborough_has_its_agreement_but_no_invented_scheme(store):
    assert list_contracts(store).set_index("code").loc[PCC, "area_code"] == PBORO
    assert list_schemes(store, PCC).empty
    with pytest.raises(NoScheme, match=r"pcc-hcp-s75\) has no payment scheme for 2025/26.*not in the public"):
        get_scheme(store, PCC, YEAR)


def test_agreements_run_two_years_with_two_two_year_options(store):
    ccc = list_contracts(store).set_index("code").loc[CCC]
    assert (str(ccc["start_date"]), str(ccc["initial_term_end"]), str(ccc["latest_end"])) == (
        "2025-04-01",
        "2027-03-31",
        "2031-03-31",
    )
    options = contracts.list_extensions(store, CCC)
    assert options["decision"].tolist() == ["not yet decided"] * 2
    assert [str(d) for d in options["period_end"]] == ["2029-03-31", "2031-03-31"]


def test_seeding_again_changes_nothing_and_keeps_later_versions(any_store):
    scheme = get_scheme(any_store, CCC, YEAR)
    _save(any_store, scheme, _with_target(scheme, "C2", 93))
    before = _counts(any_store)
    assert seed_contracts(any_store) == 0
    assert _counts(any_store) == before
    assert get_scheme(any_store, CCC, YEAR).version == 2


# -- Who may change a scheme -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_only_an_administrator_can_change_a_scheme_and_a_refusal_writes_nothing(any_store, role):
    scheme = get_scheme(any_store, CCC, YEAR)
    before = _counts(any_store)
    someone = User("Sam Jones", frozenset({role}))
    with pytest.raises(PermissionDenied, match=rf"Only an administrator .* Sam Jones \({role}\)"):
        save_scheme_version(
            any_store,
            someone,
            CCC,
            YEAR,
            budget=scheme.budget,
            share=scheme.share,
            kpis=_with_target(scheme, "C2", 93),
            reason="Raise C2",
        )
    with pytest.raises(PermissionDenied):
        new_year_from_uplift(any_store, someone, CCC, YEAR, "2026/27", Decimal("0.025"), "Pay award")
    with pytest.raises(PermissionDenied):
        record_extension_decision(any_store, someone, CCC, 1, "extended", dt.date(2026, 10, 1), "Going well")
    assert _counts(any_store) == before


# -- Versions and the audit log --------------------------------------------------------------------------


def test_changing_an_agreed_scheme_adds_a_draft_version_and_an_audit_row(any_store):
    agreed = get_scheme(any_store, CCC, YEAR)
    new = _save(any_store, agreed, _with_target(agreed, "C2", 93), reason="Provider agreed a stretch target")
    assert (new.version, new.status, new.created_by) == (2, "draft", "Asha Patel")
    assert get_scheme(any_store, CCC, YEAR, version=1) == agreed
    assert get_scheme(any_store, CCC, YEAR, agreed=True) == agreed
    assert [s.version for s in scheme_history(any_store, CCC, YEAR)] == [1, 2]
    entry = audit_entries(any_store, scheme_key(CCC, YEAR)).iloc[0]
    assert (entry["who"], entry["action"], entry["entity"]) == ("Asha Patel", "new version", "payment scheme")
    assert entry["reason"] == "Provider agreed a stretch target"
    assert abs(entry["changed_at"] - dt.datetime.now()) < dt.timedelta(minutes=1)
    before, after = json.loads(entry["before"]), json.loads(entry["after"])
    assert (before["version"], before["kpis"][0]["target"]) == (1, "92")
    assert (after["version"], after["kpis"][0]["target"]) == (2, "93")
    assert entry["change"] == "Version 2 (draft): from version 1; agreed → draft; C2 target 92 → 93"


def test_a_draft_is_edited_in_place_then_agreed(any_store):
    agreed = get_scheme(any_store, CCC, YEAR)
    draft = _save(any_store, agreed, _with_target(agreed, "C2", 93))
    edited = _save(any_store, draft, _with_target(draft, "VAC", 9), reason="Vacancy target tightened")
    assert edited.version == 2
    assert [k.target for k in edited.kpis if k.code in ("C2", "VAC")] == [93, 9]
    assert count_rows(any_store, schema.payment_schemes) == 2
    log = audit_entries(any_store, scheme_key(CCC, YEAR))
    assert log.iloc[0]["action"] == "edited draft"
    assert log.iloc[0]["change"] == "Version 2 (draft): VAC target 10 → 9"
    now_agreed = agree_scheme(any_store, ADMIN, CCC, YEAR, "Signed off at the contract meeting")
    assert get_scheme(any_store, CCC, YEAR, agreed=True) == now_agreed
    assert now_agreed.version == 2 and now_agreed.status == "agreed"
    latest_entry = audit_entries(any_store, scheme_key(CCC, YEAR)).iloc[0]
    assert latest_entry["change"] == "Version 2 (agreed): draft → agreed"
    with pytest.raises(ValueError, match="already agreed"):
        agree_scheme(any_store, ADMIN, CCC, YEAR, "Again")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda kpis: (replace(kpis[0], weight=Decimal("0.24")), *kpis[1:]),
            "KPI weights must total exactly 100%; they total 99%",
        ),
        (
            lambda kpis: (replace(kpis[0], floor=95), *kpis[1:]),
            "KPI C2: floor 95 must be below the target 92",
        ),
        (
            lambda kpis: (replace(kpis[0], indicator_code="no-such-indicator"), *kpis[1:]),
            "KPI C2: indicator 'no-such-indicator' is not in the catalogue",
        ),
    ],
)
def test_an_invalid_scheme_is_refused_with_the_reason_and_nothing_is_written(any_store, change, message):
    scheme = get_scheme(any_store, CCC, YEAR)
    before = _counts(any_store)
    with pytest.raises(ValueError, match=message):
        _save(any_store, scheme, change(scheme.kpis))
    assert _counts(any_store) == before


def test_a_save_that_changes_nothing_or_gives_no_reason_is_refused(store):
    scheme = get_scheme(store, CCC, YEAR)
    with pytest.raises(ValueError, match="Nothing to save"):
        _save(store, scheme, scheme.kpis)
    with pytest.raises(ValueError, match="Give a reason"):
        _save(store, scheme, _with_target(scheme, "C2", 93), reason="  ")
    with pytest.raises(ValueError, match="outside the agreement"):
        save_scheme_version(
            store,
            ADMIN,
            CCC,
            "2031/32",
            budget=scheme.budget,
            share=scheme.share,
            kpis=scheme.kpis,
            reason="Too late",
        )


def test_a_first_scheme_for_peterborough_can_be_entered_as_a_draft(store):
    kpis = (SchemeKpi("C2", "hv-new-birth-visit-14d", "New birth visit within 14 days", Decimal(1), 90),)
    scheme = save_scheme_version(
        store,
        ADMIN,
        PCC,
        YEAR,
        budget=Decimal(5000000),
        share=Decimal("0.03"),
        kpis=kpis,
        reason="Budget from the agreement",
        illustrative=True,
    )
    assert (scheme.version, scheme.status, scheme.area_code, scheme.illustrative) == (1, "draft", PBORO, True)
    assert scheme.to_metrics_scheme().at_risk == Decimal("150000.00")


def test_next_year_is_drafted_from_an_uplift_rounded_to_the_penny(any_store):
    next_year = new_year_from_uplift(any_store, ADMIN, CCC, YEAR, "2026/27", Decimal("0.025"), "Pay award")
    assert next_year.budget == Decimal("9354260.70")
    assert (next_year.version, next_year.status) == (1, "draft")
    assert (next_year.budget_basis, next_year.uplift) == ("uplift on previous year", Decimal("0.025"))
    assert next_year.kpis == get_scheme(any_store, CCC, YEAR).kpis
    assert next_year.illustrative
    entry = audit_entries(any_store, scheme_key(CCC, "2026/27")).iloc[0]
    assert entry["change"] == (
        "Version 1 (draft) created: budget £9,354,260.70 (2.5% uplift on the previous year), "
        "3% at risk, 6 KPIs"
    )
    with pytest.raises(ValueError, match="does not follow"):
        new_year_from_uplift(any_store, ADMIN, CCC, YEAR, "2027/28", Decimal("0.025"), "Skipping a year")


def test_setting_up_or_uplifting_into_a_year_that_has_a_scheme_is_refused_and_nothing_is_written(any_store):
    kpis = (SchemeKpi("C2", "hv-new-birth-visit-14d", "New birth visit within 14 days", Decimal(1), 90),)
    first = save_scheme_version(
        any_store,
        ADMIN,
        PCC,
        YEAR,
        budget=Decimal("4200000.00"),
        share=Decimal("0.03"),
        kpis=kpis,
        reason="Budget from the agreement",
        first_version_only=True,
    )
    assert (first.version, first.status) == (1, "draft")
    before = _counts(any_store)
    with pytest.raises(
        ValueError, match=r"There is already a payment scheme for 2025/26 \(version 1, draft\)"
    ):
        save_scheme_version(
            any_store,
            ADMIN,
            PCC,
            YEAR,
            budget=Decimal("5000000.00"),
            share=Decimal("0.03"),
            kpis=kpis,
            reason="Set up twice",
            first_version_only=True,
        )
    assert _counts(any_store) == before
    new_year_from_uplift(any_store, ADMIN, CCC, YEAR, "2026/27", Decimal("0.025"), "Pay award")
    before = _counts(any_store)
    with pytest.raises(ValueError, match="There is already a payment scheme for 2026/27"):
        new_year_from_uplift(
            any_store, ADMIN, CCC, YEAR, "2026/27", Decimal("0.03"), "Again", first_version_only=True
        )
    assert _counts(any_store) == before
    assert get_scheme(any_store, PCC, YEAR).budget == Decimal("4200000.00")
    assert get_scheme(any_store, CCC, "2026/27").budget == Decimal("9354260.70")


def test_entering_a_different_budget_on_an_uplifted_draft_makes_it_entered(store):
    draft = new_year_from_uplift(store, ADMIN, CCC, YEAR, "2026/27", Decimal("0.025"), "Pay award")
    entered = save_scheme_version(
        store,
        ADMIN,
        CCC,
        "2026/27",
        budget=Decimal("9400000.00"),
        share=draft.share,
        kpis=draft.kpis,
        reason="Budget confirmed by finance",
    )
    assert (entered.version, entered.budget_basis, entered.uplift) == (1, "entered", None)
    assert audit_entries(store, scheme_key(CCC, "2026/27")).iloc[0]["change"] == (
        "Version 1 (draft): budget £9,354,260.70 → £9,400,000.00"
    )


# -- Extension decisions ---------------------------------------------------------------------------------


def test_an_extension_decision_is_recorded_audited_and_moves_the_end_date(any_store):
    decided = record_extension_decision(
        any_store, ADMIN, CCC, 1, "extended", dt.date(2026, 9, 30), "Performance and value for money reviewed"
    )
    assert (decided.decision, decided.decided_by, decided.decided_on) == (
        "extended",
        "Asha Patel",
        dt.date(2026, 9, 30),
    )
    row = contracts.list_extensions(any_store, CCC).set_index("option").loc[1]
    assert (row["decision"], row["reason"]) == ("extended", "Performance and value for money reviewed")
    assert str(list_contracts(any_store).set_index("code").loc[CCC, "current_end"]) == "2029-03-31"
    entry = audit_entries(any_store, "ccc-hcp-s75 option 1").iloc[0]
    assert (entry["who"], entry["entity"]) == ("Asha Patel", "contract extension")
    assert entry["change"] == "Option 1: not yet decided → extended (decided 2026-09-30)"


def test_the_second_option_needs_the_first(store):
    with pytest.raises(ValueError, match="Option 2 can only be taken after option 1"):
        record_extension_decision(store, ADMIN, PCC, 2, "extended", dt.date(2028, 9, 30), "Early")
    with pytest.raises(ValueError, match="must be one of"):
        record_extension_decision(store, ADMIN, PCC, 1, "maybe", dt.date(2026, 9, 30), "Unsure")
    assert count_rows(store, schema.audit_log) == 1  # only the shipped scheme's creation


# -- The provider's figures for a scheme -----------------------------------------------------------------


def _import_return(engine, tmp_path, rows) -> None:
    result = import_file(engine, write_csv(tmp_path / "return.csv", RETURN_HEADER, rows))
    assert result.rows_rejected == 0


YEAR_RETURN = [
    ["hv-new-birth-visit-14d", CAMBS, "2025/26 Q1", 1365, 1545, "", "no", ""],
    ["hv-new-birth-visit-14d", CAMBS, "2025/26 Q2", 1465, 1607, "", "yes", ""],
    ["hv-new-birth-visit-14d", CAMBS, "2025/26 Q4", 1500, 1600, "", "yes", ""],
    ["hv-new-birth-visit-14d", CAMBS, "2024/25 Q4", 10, 100, "", "no", ""],  # another year
    ["hv-new-birth-visit-14d", PBORO, "2025/26 Q3", 10, 100, "", "no", ""],  # another council
    ["hv-2-year-review-asq3", CAMBS, "2025/26 Q1", 1402, 1408, "", "no", ""],
    ["hv-2-year-review-asq3", CAMBS, "2025/26 Q2", 1429, 1443, "", "no", ""],
    ["wf-vacancy-rate", CAMBS, "2025/26 Q1", "", "", 6.4, "no", ""],
]
"""A return for the scheme's year: three of C2's quarters, two of ASQ-3's and one vacancy rate, beside a
figure of the year before and one of another council."""


def test_actuals_are_the_quarters_of_the_year_for_the_council_area(store, tmp_path):
    _import_return(store, tmp_path, YEAR_RETURN)
    scheme = get_scheme(store, CCC, YEAR)
    actuals = actuals_for_scheme(store, scheme)
    assert actuals["C2"] == pytest.approx([100 * 1365 / 1545, 100 * 1465 / 1607, None, 93.75])
    assert actuals["ASQ3"] == pytest.approx([100 * (1402 + 1429) / (1408 + 1443)])  # pooled, not averaged
    assert actuals["VAC"] == pytest.approx([6.4, None, None, None])
    assert actuals["6-8W"] == [None] * 4
    result = calculate(scheme.to_metrics_scheme(), actuals)
    assert result.fixed + result.earned + result.withheld == scheme.budget
    assert [p.status for p in result.kpis[0].periods] == ["partly met", "partly met", "no data", "met"]


FIRST_QUARTERS_2025 = [
    ["hv-new-birth-visit-14d", CAMBS, "2025/26 Q1", 1365, 1545, "", "no", ""],
    ["hv-2-year-review-asq3", CAMBS, "2025/26 Q1", 1402, 1408, "", "no", ""],
    ["wf-vacancy-rate", CAMBS, "2025/26 Q2", "", "", 6.4, "no", ""],
]
"""A return: two KPIs in Q1 (one of them the annual ASQ-3 KPI) and the vacancy rate in Q2."""


def test_actuals_to_date_leave_unreported_quarters_to_the_forecast(store, tmp_path):
    _import_return(store, tmp_path, FIRST_QUARTERS_2025)
    so_far = actuals_to_date(store, get_scheme(store, CCC, YEAR))
    assert so_far["C2"] == pytest.approx([100 * 1365 / 1545, None])  # Q2 is in for others, so C2's is a gap
    assert so_far["VAC"] == pytest.approx([None, 6.4])
    assert so_far["ASQ3"] == []  # an annual KPI waits for its whole year


def test_the_payment_page_gets_both_kinds_of_actuals_from_one_read(store, tmp_path, monkeypatch):
    _import_return(store, tmp_path, FIRST_QUARTERS_2025)
    scheme = get_scheme(store, CCC, YEAR)
    expected = actuals_to_date(store, scheme), actuals_for_scheme(store, scheme)
    reads = []
    read = actuals_module._reported
    monkeypatch.setattr(actuals_module, "_reported", lambda *given: reads.append(given) or read(*given))
    assert scheme_actuals(store, scheme) == expected
    assert expected[0]["ASQ3"] == [] and expected[1]["ASQ3"] == pytest.approx([100 * 1402 / 1408])
    assert len(reads) == 1


@pytest.mark.parametrize("annual", [False, True])
def test_the_actuals_from_the_series_already_read_are_those_read_for_the_scheme(store, tmp_path, annual):
    """The payment page takes the reported figures from the headline series it reads for the assurance:
    the same figures, gaps, pooled years and whole-year figures as the scheme's own read."""
    from data.contracts import scheme_actuals_in
    from data.queries import headline_series, indicator_catalogue

    _import_return(
        store,
        tmp_path,
        [
            *YEAR_RETURN,
            ["hv-new-birth-visit-14d", CAMBS, "2026/27 Q1", 20, 100, "", "no", ""],  # the year after
            ["hv-2-year-review-asq3", CAMBS, "2025/26", 2800, 2900, "", "no", ""],  # a whole-year figure
            ["wf-vacancy-rate", CAMBS, "2025/26 Q3", "", "", 5.9, "no", ""],
        ],
    )
    scheme = get_scheme(store, CCC, YEAR)
    if annual:
        scheme = replace(scheme, kpis=tuple(replace(k, basis="annual") for k in scheme.kpis))
    codes = sorted({kpi.indicator_code for kpi in scheme.kpis})
    series = headline_series(store, area_codes=[scheme.area_code], indicator_codes=codes)
    catalogue = indicator_catalogue(store)
    multipliers = dict(zip(catalogue["code"], catalogue["multiplier"], strict=True))
    read = scheme_actuals(store, scheme)
    assert any(figure is not None for figures in read[1].values() for figure in figures)
    assert scheme_actuals_in(scheme, series, multipliers) == read
    as_timestamps = series.assign(
        period_start=pd.to_datetime(series["period_start"]), period_end=pd.to_datetime(series["period_end"])
    )
    assert scheme_actuals_in(scheme, as_timestamps, multipliers) == read


def test_annual_figure_is_the_mean_of_values_when_quarters_have_no_counts(store, tmp_path):
    scheme = get_scheme(store, CCC, YEAR)
    annual_vacancies = replace(scheme, kpis=tuple(replace(k, basis="annual") for k in scheme.kpis))
    _import_return(
        store,
        tmp_path,
        [
            ["wf-vacancy-rate", CAMBS, "2025/26 Q1", "", "", 6.4, "no", ""],
            ["wf-vacancy-rate", CAMBS, "2025/26 Q2", "", "", 5.8, "no", ""],
        ],
    )
    assert actuals_for_scheme(store, annual_vacancies)["VAC"] == pytest.approx([6.1])


def test_the_audit_log_is_written_in_the_same_transaction_as_the_change(any_store, monkeypatch):
    scheme = get_scheme(any_store, CCC, YEAR)
    before = _counts(any_store)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(contracts.audit, "record", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _save(any_store, scheme, _with_target(scheme, "C2", 93))
    assert _counts(any_store) == before
    with any_store.connect() as conn:
        assert conn.execute(sa.select(sa.func.max(schema.payment_schemes.c.version))).scalar() == 1


def test_a_corrected_description_in_the_shipped_file_is_applied_on_the_next_seed(any_store, tmp_path):
    shipped = contracts.CONTRACTS_FILE.read_text(encoding="utf-8")
    corrected = tmp_path / "contracts.yaml"
    corrected.write_text(shipped.replace("Peterborough's own agreement", "Peterborough's own Section 75"))
    assert seed_contracts(any_store, corrected) == 1
    notes = list_contracts(any_store).set_index("code").loc[PCC, "notes"]
    assert notes.startswith("Peterborough's own Section 75")
