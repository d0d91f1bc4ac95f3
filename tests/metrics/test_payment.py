"""Performance-related payment: known answers worked by hand, plus reconciliation for any scheme.

Unless a test says otherwise the scheme is Cambridgeshire's 2025/26 Healthy Child Programme:
a £9,126,108 budget with 3% (£273,783.24) paid only on performance.
"""

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest

from metrics.money import format_pounds
from metrics.payment import Kpi, Result, Scheme, Value, calculate, forecast

CCC_BUDGET_2025_26 = Decimal(9126108)
CCC_SHARE = Decimal("0.03")


def ccc(*kpis: Kpi) -> Scheme:
    return Scheme(budget=CCC_BUDGET_2025_26, share=CCC_SHARE, kpis=kpis)


def only_kpi(result: Result, code: str = "C2"):
    (kpi,) = [k for k in result.kpis if k.kpi.code == code]
    return kpi


def reconciles(result: Result) -> bool:
    return result.fixed + result.earned + result.withheld == result.scheme.budget


# --- The CCC split --------------------------------------------------------------------------


def test_ccc_2025_26_split_matches_the_committee_paper() -> None:
    scheme = ccc(Kpi("C2", Decimal(1), 95))

    assert scheme.at_risk == Decimal("273783.24")
    assert scheme.fixed == Decimal("8852324.76")
    assert format_pounds(scheme.at_risk) == "£273,783"
    assert format_pounds(scheme.fixed) == "£8,852,325"
    assert scheme.at_risk + scheme.fixed == CCC_BUDGET_2025_26


def test_every_target_met_earns_the_whole_amount_at_risk() -> None:
    result = calculate(ccc(Kpi("C2", Decimal(1), 95)), {"C2": [96.0]})

    assert result.earned == Decimal("273783.24")
    assert result.withheld == Decimal("0.00")
    assert result.fixed == Decimal("8852324.76")


# --- Achievement of one period ----------------------------------------------------------------


def test_without_a_floor_a_kpi_is_all_or_nothing() -> None:
    scheme = ccc(Kpi("C2", Decimal(1), 95))

    missed = only_kpi(calculate(scheme, {"C2": [94.9]}))
    exactly = only_kpi(calculate(scheme, {"C2": [95]}))

    assert (missed.periods[0].status, missed.achievement, missed.earned) == ("not met", 0, 0)
    assert (exactly.periods[0].status, exactly.achievement, exactly.earned) == (
        "met",
        1,
        Decimal("273783.24"),
    )


@pytest.mark.parametrize(
    ("value", "status", "achievement"),
    [
        (100, "met", Decimal(1)),
        (95, "met", Decimal(1)),
        (92.5, "partly met", Decimal("0.75")),
        (90, "partly met", Decimal("0.5")),
        (87.5, "partly met", Decimal("0.25")),
        (85, "not met", Decimal(0)),
        (60, "not met", Decimal(0)),
    ],
)
def test_between_floor_and_target_achievement_is_linear(
    value: float, status: str, achievement: Decimal
) -> None:
    kpi = only_kpi(calculate(ccc(Kpi("C2", Decimal(1), target=95, floor=85)), {"C2": [value]}))

    assert kpi.periods[0].status == status
    assert kpi.achievement == achievement


def test_float_values_are_read_as_written() -> None:
    kpi = only_kpi(calculate(ccc(Kpi("C2", Decimal(1), target=95, floor=85)), {"C2": [90.1]}))

    # (90.1 - 85) / 10, with no binary floating-point residue such as 0.5099999999999998.
    assert kpi.achievement == Decimal("0.51")
    assert kpi.periods[0].value == Decimal("90.1")


@pytest.mark.parametrize(
    ("value", "status", "achievement"),
    [
        (8, "met", Decimal(1)),
        (10, "met", Decimal(1)),
        (15, "partly met", Decimal("0.5")),
        (20, "not met", Decimal(0)),
        (25, "not met", Decimal(0)),
    ],
)
def test_lower_is_better_is_met_at_or_below_target_with_the_floor_above(
    value: float, status: str, achievement: Decimal
) -> None:
    scheme = ccc(Kpi("W1", Decimal(1), target=10, floor=20, polarity="lower_is_better", unit="days"))
    kpi = only_kpi(calculate(scheme, {"W1": [value]}), "W1")

    assert kpi.periods[0].status == status
    assert kpi.achievement == achievement


def test_lower_is_better_without_a_floor_is_all_or_nothing() -> None:
    scheme = ccc(Kpi("W1", Decimal(1), target=10, polarity="lower_is_better"))

    assert only_kpi(calculate(scheme, {"W1": [10.1]}), "W1").earned == 0
    assert only_kpi(calculate(scheme, {"W1": [10]}), "W1").earned == Decimal("273783.24")


# --- Weights, quarters and money ------------------------------------------------------------


def test_half_achievement_of_a_quarter_weighted_kpi_rounds_half_up() -> None:
    scheme = ccc(
        Kpi("C2", Decimal("0.25"), target=95, floor=85),
        Kpi("C3", Decimal("0.75"), target=95),
    )
    kpi = only_kpi(calculate(scheme, {"C2": [90], "C3": [80]}))

    # £273,783.24 x 25% x 0.5 = £34,222.905 exactly: half-up gives .91, half-to-even would give .90.
    assert kpi.at_stake == Decimal("68445.81")
    assert kpi.earned == Decimal("34222.91")
    assert kpi.withheld == Decimal("34222.90")


def test_an_amount_at_risk_ending_in_half_a_penny_rounds_up() -> None:
    scheme = Scheme(budget=Decimal("1.50"), share=Decimal("0.03"), kpis=[Kpi("C2", Decimal(1), 95)])

    assert scheme.at_risk == Decimal("0.05")  # 0.045 exactly; half-to-even would give 0.04
    assert scheme.fixed == Decimal("1.45")


def test_each_quarter_carries_a_quarter_of_the_weight() -> None:
    scheme = ccc(Kpi("C2", Decimal(1), 95, basis="quarterly"))

    for met_quarter in range(4):
        values: list[Value] = [80.0] * 4
        values[met_quarter] = 96.0
        result = calculate(scheme, {"C2": values})
        assert result.earned == Decimal("68445.81")  # £273,783.24 / 4
        assert only_kpi(result).achievement == Decimal("0.25")


def test_quarterly_kpi_worked_example() -> None:
    scheme = ccc(
        Kpi("C2", Decimal("0.25"), target=95, floor=85, basis="quarterly"),
        Kpi("C3", Decimal("0.75"), target=95),
    )
    kpi = only_kpi(calculate(scheme, {"C2": [91.0, 96.2, None, 97.0], "C3": [96]}))

    # Quarters achieve 0.6, 1, 0 (no data), 1: mean 0.65; £68,445.81 x 0.65 = £44,489.7765.
    assert [p.status for p in kpi.periods] == ["partly met", "met", "no data", "met"]
    assert [p.achievement for p in kpi.periods] == [Decimal("0.6"), 1, 0, 1]
    assert kpi.achievement == Decimal("0.65")
    assert kpi.earned == Decimal("44489.78")
    assert kpi.withheld == Decimal("23956.03")
    assert kpi.explanation == (
        "Met the 95% target in 2 of 4 quarters; partly met in Q1; no data for Q3. Achievement 65%."
    )


def test_quarterly_money_adds_up_exactly_to_the_kpi_total() -> None:
    scheme = ccc(
        Kpi("C2", Decimal("0.25"), target=95, floor=85, basis="quarterly"), Kpi("C3", Decimal("0.75"), 95)
    )
    kpi = only_kpi(calculate(scheme, {"C2": [91.0, 96.2, None, 97.0]}))

    # Running totals £10,266.8715, £27,378.324, £27,378.324, £44,489.7765, each rounded to the penny.
    assert [p.earned for p in kpi.periods] == [
        Decimal("10266.87"),
        Decimal("17111.45"),
        Decimal("0.00"),
        Decimal("17111.46"),
    ]
    assert sum(p.earned for p in kpi.periods) == kpi.earned


def test_a_kpi_with_no_weight_is_reported_but_earns_nothing() -> None:
    scheme = ccc(Kpi("C2", Decimal(1), 95), Kpi("M1", Decimal(0), 95, label="Monitoring only"))
    kpi = only_kpi(calculate(scheme, {"C2": [96], "M1": [99]}), "M1")

    assert (kpi.achievement, kpi.at_stake, kpi.earned) == (1, 0, 0)


@pytest.mark.parametrize(
    ("share", "at_risk"), [(Decimal(0), Decimal("0.00")), (Decimal(1), CCC_BUDGET_2025_26)]
)
def test_share_may_be_nothing_or_everything(share: Decimal, at_risk: Decimal) -> None:
    scheme = Scheme(budget=CCC_BUDGET_2025_26, share=share, kpis=[Kpi("C2", Decimal(1), 95)])
    result = calculate(scheme, {"C2": [90]})

    assert result.at_risk == at_risk
    assert result.fixed == CCC_BUDGET_2025_26 - at_risk
    assert result.withheld == at_risk
    assert reconciles(result)


# --- Missing data -------------------------------------------------------------------------------


def test_a_kpi_with_no_data_earns_nothing_and_says_so() -> None:
    scheme = ccc(Kpi("C2", Decimal("0.5"), 95), Kpi("C3", Decimal("0.5"), 95))
    result = calculate(scheme, {"C2": [96]})
    kpi = only_kpi(result, "C3")

    assert kpi.periods[0].status == "no data"
    assert kpi.periods[0].value is None
    assert kpi.earned == 0
    assert kpi.explanation == "No data for the year against the 95% target; counts as not met."
    assert result.earned == Decimal("136891.62")


@pytest.mark.parametrize("gap", [None, float("nan"), Decimal("NaN")])
def test_none_and_nan_are_no_data(gap: Value) -> None:
    kpi = only_kpi(calculate(ccc(Kpi("C2", Decimal(1), 95, basis="quarterly")), {"C2": [96, gap, 96, 96]}))

    assert kpi.periods[1].status == "no data"
    assert kpi.achievement == Decimal("0.75")


def test_quarters_not_yet_supplied_are_no_data() -> None:
    kpi = only_kpi(calculate(ccc(Kpi("C2", Decimal(1), 95, basis="quarterly")), {"C2": [96, 97]}))

    assert [p.status for p in kpi.periods] == ["met", "met", "no data", "no data"]
    assert kpi.earned == Decimal("136891.62")
    assert kpi.explanation == "Met the 95% target in 2 of 4 quarters; no data for Q3, Q4. Achievement 50%."


# --- Explanations -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "explanation"),
    [
        (96.2, "Met the 95% target for the year (96.2%)."),
        (90, "Partly met the 95% target for the year (90%; floor 85%). Achievement 50%."),
        (80, "Missed the 95% target for the year (80%)."),
    ],
)
def test_annual_explanations(value: float, explanation: str) -> None:
    kpi = only_kpi(calculate(ccc(Kpi("C2", Decimal(1), target=95, floor=85)), {"C2": [value]}))

    assert kpi.explanation == explanation


def test_explanations_use_the_kpi_unit() -> None:
    scheme = ccc(Kpi("W1", Decimal(1), target=10, floor=20, polarity="lower_is_better", unit="days"))

    assert only_kpi(calculate(scheme, {"W1": [12.5]}), "W1").explanation == (
        "Partly met the 10 days target for the year (12.5 days; floor 20 days). Achievement 75%."
    )


# --- Results ----------------------------------------------------------------------------------------


def test_results_are_frozen_and_reproducible() -> None:
    scheme = ccc(Kpi("C2", Decimal(1), 95, 85, basis="quarterly"))
    actuals: dict[str, Sequence[Value]] = {"C2": [91.0, 96.2, None, 97.0]}
    result = calculate(scheme, actuals)

    assert calculate(scheme, actuals) == result
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.earned = Decimal(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.kpis[0].periods[0].earned = Decimal(0)  # type: ignore[misc]


def test_kpis_are_reported_in_scheme_order() -> None:
    scheme = ccc(Kpi("Z", Decimal("0.5"), 95), Kpi("A", Decimal("0.5"), 95))

    assert [k.kpi.code for k in calculate(scheme, {}).kpis] == ["Z", "A"]


# --- Forecast -----------------------------------------------------------------------------------------


def test_forecast_after_two_quarters() -> None:
    # Four quarterly KPIs, 25% each, all met in Q1 and missed in Q2 (0.5 so far).
    scheme = ccc(*(Kpi(code, Decimal("0.25"), 95, basis="quarterly") for code in "ABCD"))
    so_far: dict[str, Sequence[Value]] = {code: [96, 94] for code in "ABCD"}
    assumptions = {"A": "consistent_pass", "B": "consistent_fail", "C": "inconsistent"}  # D: none given

    result = forecast(scheme, so_far, assumptions)

    # Each KPI has £68,445.81 at stake; worst 0.25 achievement each, best 0.75 each.
    assert result.worst.earned == 4 * Decimal("17111.45")
    assert result.best.earned == 4 * Decimal("51334.36")
    # Expected: A 0.75, B 0.25, C and D stay at 0.5 (their achievement so far).
    assert [k.achievement for k in result.expected.kpis] == [Decimal("0.75"), Decimal("0.25"), 0.5, 0.5]
    assert [k.earned for k in result.expected.kpis] == [
        Decimal("51334.36"),
        Decimal("17111.45"),
        Decimal("34222.91"),
        Decimal("34222.91"),
    ]
    assert result.expected.earned == Decimal("136891.63")
    assert result.expected.withheld == Decimal("136891.61")
    assert [p.status for p in result.expected.kpis[0].periods] == ["met", "not met", "forecast", "forecast"]
    assert result.expected.kpis[2].explanation == (
        "Met the 95% target in 1 of 2 quarters reported; missed in Q2; Q3, Q4 forecast at 50%. "
        "Achievement 50%."
    )


def test_forecast_with_nothing_reported_expects_nothing_without_assurance() -> None:
    scheme = ccc(Kpi("C2", Decimal("0.5"), 95, basis="quarterly"), Kpi("C3", Decimal("0.5"), 95))

    result = forecast(scheme, {}, {"C3": "consistent_pass"})

    assert result.expected.earned == Decimal("136891.62")  # C3 only
    assert result.worst.earned == 0
    assert result.best.earned == Decimal("273783.24")
    assert only_kpi(result.expected).explanation == (
        "Nothing reported yet against the 95% target; Q1, Q2, Q3, Q4 forecast at 0%. Achievement 0%."
    )
    assert only_kpi(result.best, "C3").explanation == (
        "Not yet reported against the 95% target; forecast at 100%."
    )


def test_forecast_of_a_complete_year_is_the_actual_result() -> None:
    scheme = ccc(Kpi("C2", Decimal(1), 95, 85, basis="quarterly"))
    actuals: dict[str, Sequence[Value]] = {"C2": [91.0, 96.2, None, 97.0]}

    result = forecast(scheme, actuals, {"C2": "consistent_pass"})

    assert result.worst == result.expected == result.best == calculate(scheme, actuals)


# --- Invalid schemes and data --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: ccc(Kpi("C2", Decimal("0.25"), 95), Kpi("C3", Decimal("0.70"), 95)),
            r"total 95% \(C2 25%, C3 70%\)",
        ),
        (lambda: ccc(Kpi("C2", Decimal("0.5000001"), 95), Kpi("C3", Decimal("0.5"), 95)), "exactly 100%"),
        (lambda: ccc(), r"total 0% \(no KPIs\)"),
        (lambda: Kpi("C2", Decimal(1), target=95, floor=95), "C2: floor 95 must be below the target 95"),
        (lambda: Kpi("C2", Decimal(1), target=95, floor=97), "C2: floor 97 must be below"),
        (
            lambda: Kpi("W1", Decimal(1), target=10, floor=5, polarity="lower_is_better"),
            "W1: floor 5 must be above the target 10 when lower values are better",
        ),
        (lambda: Kpi("C2", Decimal(1), 95, polarity="higher"), "C2: polarity must be one of"),  # type: ignore[arg-type]
        (lambda: Kpi("C2", Decimal(1), 95, basis="monthly"), "C2: basis must be one of"),  # type: ignore[arg-type]
        (lambda: Kpi("C2", Decimal("-0.1"), 95), "C2: weight must not be negative"),
        (lambda: Kpi(" ", Decimal(1), 95), "needs a code"),
        (lambda: Kpi("C2", Decimal(1), float("inf")), "C2: target must be a finite number"),
        (
            lambda: Scheme(Decimal(9126108), Decimal(3), [Kpi("C2", 1, 95)]),
            r"between 0 and 1 \(0.03 for 3%\)",
        ),
        (lambda: Scheme(Decimal(9126108), Decimal("-0.03"), [Kpi("C2", 1, 95)]), "between 0 and 1"),
        (lambda: Scheme(Decimal(-1), Decimal("0.03"), [Kpi("C2", 1, 95)]), "Budget must not be negative"),
        (lambda: Scheme(Decimal("100.005"), Decimal("0.03"), [Kpi("C2", 1, 95)]), "whole number of pence"),
        (lambda: ccc(Kpi("C2", Decimal("0.5"), 95), Kpi("C2", Decimal("0.5"), 90)), "unique; repeated: C2"),
    ],
)
def test_invalid_schemes_are_refused_with_a_clear_message(make, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


ANNUAL = ccc(Kpi("C2", Decimal("0.5"), 95), Kpi("C3", Decimal("0.5"), 95, basis="quarterly"))


@pytest.mark.parametrize(
    ("actuals", "message"),
    [
        ({"C9": [96]}, "Actuals given for KPIs not in the scheme: C9"),
        ({"C2": [96, 97]}, "C2: 2 values given but annual KPIs have 1 period$"),
        ({"C3": [96, 97, 98, 99, 100]}, "C3: 5 values given but quarterly KPIs have 4 periods"),
        ({"C2": [float("inf")]}, "C2: value must be a finite number"),
    ],
)
def test_invalid_actuals_are_refused_with_a_clear_message(actuals: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        calculate(ANNUAL, actuals)


@pytest.mark.parametrize(
    ("actuals", "message"),
    [({"C2": 96.0}, "C2: give a list of values"), ({"C2": ["high"]}, "C2: value must be a number")],
)
def test_values_of_the_wrong_kind_are_refused(actuals: dict, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        calculate(ANNUAL, actuals)


@pytest.mark.parametrize(
    ("assumptions", "message"),
    [
        ({"C9": "consistent_pass"}, "Assumptions given for KPIs not in the scheme: C9"),
        ({"C3": "likely"}, "C3: assumption must be"),
    ],
)
def test_invalid_forecast_assumptions_are_refused(assumptions: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        forecast(ANNUAL, {"C3": [96]}, assumptions)


def test_exact_fractions_keep_thirds_exact() -> None:
    # A floor 3 below the target gives thirds: 93.5 is a third of the way from 92 to 96.5.
    kpi = only_kpi(calculate(ccc(Kpi("C2", Decimal(1), target=Decimal("96.5"), floor=92)), {"C2": [93.5]}))

    assert Fraction(kpi.achievement).limit_denominator(1000) == Fraction(1, 3)
    assert kpi.earned == Decimal("91261.08")  # £273,783.24 / 3
