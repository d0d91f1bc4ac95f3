"""Performance-related payment for any scheme: money always reconciles to the budget and forecasts are
ordered, over random valid schemes and part-year figures (hypothesis)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.payment import Kpi, Result, Scheme, Value, calculate, forecast


def reconciles(result: Result) -> bool:
    return result.fixed + result.earned + result.withheld == result.scheme.budget


@st.composite
def schemes_with_actuals(draw: st.DrawFn) -> tuple[Scheme, dict[str, list[Value]]]:
    """Random valid schemes (budgets to the penny, shares and weights to 0.01%) and part-year data."""
    budget = Decimal(draw(st.integers(0, 10**11))).scaleb(-2)
    share = Decimal(draw(st.integers(0, 10_000))).scaleb(-4)
    count = draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=count - 1, max_size=count - 1)))
    basis_points = [high - low for low, high in zip([0, *cuts], [*cuts, 10_000], strict=True)]
    kpis, actuals = [], {}
    for index, points in enumerate(basis_points):
        polarity = draw(st.sampled_from(["higher_is_better", "lower_is_better"]))
        target = Decimal(draw(st.integers(0, 1000))).scaleb(-1)
        gap = draw(st.none() | st.integers(1, 500))
        floor = (
            None
            if gap is None
            else target + (-1 if polarity == "higher_is_better" else 1) * Decimal(gap).scaleb(-1)
        )
        kpi = Kpi(
            f"K{index}",
            Decimal(points).scaleb(-4),
            target,
            floor,
            polarity,
            draw(st.sampled_from(["annual", "quarterly"])),
        )
        kpis.append(kpi)
        value = st.none() | st.floats(-100, 200, allow_nan=False) | st.decimals(-100, 200, places=3)
        actuals[kpi.code] = draw(st.lists(value, max_size=len(kpi.period_labels)))
    return Scheme(budget, share, kpis), actuals


@settings(deadline=None)
@given(schemes_with_actuals())
def test_fixed_earned_and_withheld_always_reconcile_to_the_budget(
    case: tuple[Scheme, dict[str, list[Value]]],
) -> None:
    scheme, actuals = case
    result = calculate(scheme, actuals)

    assert result.fixed + result.earned + result.withheld == scheme.budget
    assert Decimal(0) <= result.earned <= result.at_risk
    assert result.earned == sum(k.earned for k in result.kpis)
    for money in (result.at_risk, result.fixed, result.earned, result.withheld):
        assert money.as_tuple().exponent == -2
    for kpi in result.kpis:
        assert 0 <= kpi.achievement <= 1
        assert 0 <= kpi.earned <= kpi.at_stake
        assert kpi.withheld == kpi.at_stake - kpi.earned
        assert sum(p.earned for p in kpi.periods) == kpi.earned
        assert all(p.earned >= 0 for p in kpi.periods)
    assert abs(sum(k.at_stake for k in result.kpis) - result.at_risk) <= Decimal("0.005") * len(result.kpis)


@settings(deadline=None)
@given(schemes_with_actuals(), st.data())
def test_forecast_scenarios_are_ordered_and_reconcile(
    case: tuple[Scheme, dict[str, list[Value]]], data: st.DataObject
) -> None:
    scheme, actuals = case
    assurance = st.sampled_from(["consistent_pass", "consistent_fail", "inconsistent", None])
    assumptions = {kpi.code: data.draw(assurance) for kpi in scheme.kpis}

    result = forecast(scheme, actuals, assumptions)

    assert result.worst.earned <= result.expected.earned <= result.best.earned
    assert result.worst.earned == calculate(scheme, actuals).earned
    for scenario in (result.worst, result.expected, result.best):
        assert reconciles(scenario)
