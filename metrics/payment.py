"""Performance-related payment for the Healthy Child Programme.

Cambridgeshire County Council's Children and Young People Committee (8 October 2024,
recommendation c and paragraph 4.8) agreed that 3% of the 2025/26 Healthy Child Programme budget
is paid to the provider only as far as the performance targets in the Section 75 agreement's
Annual Development Plan are achieved; the rest is paid regardless. This module turns a scheme
(budget, share at risk, weighted KPIs) and the reported KPI values into money earned and withheld.

The rules:

* at_risk = budget x share, to the penny; fixed = budget - at_risk.
* A KPI is assessed over its periods: one for an annual KPI, four for a quarterly KPI, each
  quarter carrying a quarter of the KPI's weight.
* A period whose value meets the target (>= when higher is better, <= when lower is better)
  achieves 1. Without a floor, a missed target achieves 0. With a floor, achievement falls
  linearly from 1 at the target to 0 at the floor, and is 0 at or beyond the floor.
  A missing value (None or NaN) achieves 0 and is flagged "no data".
* Fewer values than periods: the periods not supplied are "no data", so a part-year calculation
  shows what would be paid if nothing more were reported (use `forecast` for scenarios).
  More values than periods is a ValueError: the data cannot belong to a KPI on that basis.
* A KPI's achievement is the mean over its periods, and it earns at_risk x weight x achievement.
  earned is the sum over KPIs and withheld = at_risk - earned, so
  fixed + earned + withheld == budget exactly, to the penny.

All money is rounded half-up to the penny. The arithmetic is exact: numbers are converted to
Decimal (floats via their shortest text form, so 90.1 means 90.1, not 90.09999...), and
achievements are kept as exact fractions until the money is rounded, so a result never depends
on binary floating point and the same inputs always give the same pennies.

A scheme or data that breaks these rules raises ValueError naming the KPI; a value of the wrong
kind altogether (text where a number belongs) raises TypeError.
"""

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from typing import Literal, NamedTuple, cast, get_args

from metrics.money import round_half_up, to_pennies

Polarity = Literal["higher_is_better", "lower_is_better"]
Basis = Literal["annual", "quarterly"]
Status = Literal["met", "partly met", "not met", "no data", "forecast"]
Assurance = Literal["consistent_pass", "consistent_fail", "inconsistent"]
Value = Decimal | float | None

_PERIOD_LABELS: dict[str, tuple[str, ...]] = {"annual": ("Year",), "quarterly": ("Q1", "Q2", "Q3", "Q4")}
_POLARITIES = ("higher_is_better", "lower_is_better")
_ASSURED_ACHIEVEMENT = {"consistent_pass": Fraction(1), "consistent_fail": Fraction(0)}
_DECIMAL_CONTEXT = Context(prec=28)


@dataclass(frozen=True)
class Kpi:
    """One weighted KPI of a payment scheme.

    code is unique within the scheme (e.g. "C2"). weight is the KPI's share of the money at risk
    as a fraction (0.25 for 25%). target is the value that earns the full share; the optional
    floor is the value at or beyond which nothing is earned, with linear partial payment in
    between. polarity says whether higher or lower values are better; basis whether the KPI is
    assessed once for the year or each quarter. label, indicator (the catalogue code of the
    underlying indicator) and unit ("%" unless given) are descriptive only.

    Numbers may be given as int, float or Decimal; they are stored as Decimal.
    """

    code: str
    weight: Decimal | float
    target: Decimal | float
    floor: Decimal | float | None = None
    polarity: Polarity = "higher_is_better"
    basis: Basis = "annual"
    label: str = ""
    indicator: str | None = None
    unit: str = "%"

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code.strip():
            raise ValueError(f"Every KPI needs a code, got {self.code!r}")
        name = f"KPI {self.code}"
        weight = _decimal(self.weight, f"{name}: weight")
        object.__setattr__(self, "weight", weight)
        target = _decimal(self.target, f"{name}: target")
        object.__setattr__(self, "target", target)
        floor = None if self.floor is None else _decimal(self.floor, f"{name}: floor")
        object.__setattr__(self, "floor", floor)
        if self.polarity not in _POLARITIES:
            raise ValueError(f"{name}: polarity must be one of {_POLARITIES}, got {self.polarity!r}")
        if self.basis not in _PERIOD_LABELS:
            raise ValueError(f"{name}: basis must be one of {tuple(_PERIOD_LABELS)}, got {self.basis!r}")
        if weight < 0:
            raise ValueError(f"{name}: weight must not be negative, got {weight}")
        if floor is not None and self._direction * (target - floor) <= 0:
            side, better = ("below", "higher") if self._direction > 0 else ("above", "lower")
            raise ValueError(
                f"{name}: floor {floor} must be {side} the target {target} when {better} values are better"
            )

    @property
    def period_labels(self) -> tuple[str, ...]:
        """The assessment periods: ("Year",) for an annual KPI, ("Q1", "Q2", "Q3", "Q4") for quarterly."""
        return _PERIOD_LABELS[self.basis]

    @property
    def _direction(self) -> int:
        """+1 when higher values are better, -1 when lower values are better."""
        return 1 if self.polarity == "higher_is_better" else -1


@dataclass(frozen=True)
class Scheme:
    """A budget, the share of it paid only on performance, and the KPIs that share is split across.

    Weights must total exactly 100%, the share must lie in [0, 1] and the budget must be a
    non-negative whole number of pence.
    """

    budget: Decimal | float
    share: Decimal | float
    kpis: Sequence[Kpi]

    def __post_init__(self) -> None:
        budget = _decimal(self.budget, "Budget")
        share = _decimal(self.share, "Share at risk")
        kpis = tuple(self.kpis)
        if budget < 0:
            raise ValueError(f"Budget must not be negative, got {budget}")
        if budget != to_pennies(budget):
            raise ValueError(f"Budget must be a whole number of pence, got {budget}")
        if not 0 <= share <= 1:
            raise ValueError(f"Share at risk must be between 0 and 1 (0.03 for 3%), got {share}")
        codes = [kpi.code for kpi in kpis]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"KPI codes must be unique; repeated: {', '.join(repeated)}")
        if sum((Fraction(kpi.weight) for kpi in kpis), Fraction(0)) != 1:
            weights = ", ".join(f"{kpi.code} {_percent_exact(_stored(kpi.weight))}" for kpi in kpis)
            total = _percent_exact(sum((_stored(kpi.weight) for kpi in kpis), Decimal(0)))
            raise ValueError(
                f"KPI weights must total exactly 100%; they total {total} ({weights or 'no KPIs'})"
            )
        object.__setattr__(self, "budget", budget)
        object.__setattr__(self, "share", share)
        object.__setattr__(self, "kpis", kpis)

    @property
    def at_risk(self) -> Decimal:
        """The money paid only as far as the KPIs are achieved: budget x share, to the penny."""
        return to_pennies(Fraction(self.budget) * Fraction(self.share))

    @property
    def fixed(self) -> Decimal:
        """The money paid regardless of performance: budget - at_risk."""
        return _stored(self.budget) - self.at_risk


@dataclass(frozen=True)
class PeriodResult:
    """One assessment period of a KPI ("Q1".."Q4" or "Year").

    value is None when nothing was reported or the period is forecast. earned is the period's
    part of the KPI's money: periods are rounded on a running total, so they add up exactly to
    the KPI's earned figure (an individual quarter may differ by a penny from a quarter worked out
    alone).
    """

    label: str
    value: Decimal | None
    status: Status
    achievement: Decimal
    earned: Decimal


@dataclass(frozen=True)
class KpiResult:
    """A KPI's outcome: mean achievement (0 to 1), the money at stake on it, earned and withheld.

    at_stake is at_risk x weight to the penny; with weights that do not split the pot into whole
    pennies, the KPIs' at_stake figures may sum to a penny or two more or less than at_risk. The
    scheme-level earned and withheld are authoritative and always reconcile exactly.
    """

    kpi: Kpi
    periods: tuple[PeriodResult, ...]
    achievement: Decimal
    at_stake: Decimal
    earned: Decimal
    withheld: Decimal
    explanation: str


@dataclass(frozen=True)
class Result:
    """The payment for a scheme: fixed + earned + withheld == budget, exactly."""

    scheme: Scheme
    at_risk: Decimal
    fixed: Decimal
    earned: Decimal
    withheld: Decimal
    kpis: tuple[KpiResult, ...]


@dataclass(frozen=True)
class Forecast:
    """A part-year payment under three assumptions about the periods not yet reported."""

    worst: Result
    expected: Result
    best: Result


class _Outcome(NamedTuple):
    value: Decimal | None
    status: Status
    achievement: Fraction


_NO_DATA = _Outcome(None, "no data", Fraction(0))


def calculate(scheme: Scheme, actuals: Mapping[str, Sequence[Value]]) -> Result:
    """Work out the money earned and withheld from each KPI's reported values.

    actuals maps a KPI code to its values in period order: [value] for an annual KPI and up to
    [Q1, Q2, Q3, Q4] for a quarterly one; None marks a period with no data. A KPI missing from
    actuals, and any periods beyond the values supplied, count as "no data". A code not in the
    scheme, or more values than periods, raises ValueError.
    """
    _check_codes(scheme, actuals, "Actuals")
    outcomes = []
    for kpi in scheme.kpis:
        reported = _reported(kpi, actuals.get(kpi.code, ()))
        outcomes.append(reported + [_NO_DATA] * (len(kpi.period_labels) - len(reported)))
    return _result(scheme, outcomes)


def forecast(
    scheme: Scheme,
    actuals_so_far: Mapping[str, Sequence[Value]],
    assumptions: Mapping[str, Assurance | None],
) -> Forecast:
    """Project a part-year to year end under worst, expected and best cases.

    Periods with reported values (including None, a reported gap) are assessed as in `calculate`.
    The periods after the last supplied value are filled with an assumed achievement:
    worst 0, best 1, and expected per KPI from `assumptions`, typically its SPC assurance:
    "consistent_pass" -> 1 (met), "consistent_fail" -> 0 (not met), and "inconsistent", None or no
    entry -> the KPI's mean achievement so far. A KPI with nothing reported and no assurance is
    expected to earn nothing, as there is no evidence yet that it will.
    """
    _check_codes(scheme, actuals_so_far, "Actuals")
    _check_codes(scheme, assumptions, "Assumptions")
    reported = [_reported(kpi, actuals_so_far.get(kpi.code, ())) for kpi in scheme.kpis]

    def scenario(assume: Callable[[Kpi, list[_Outcome]], Fraction]) -> Result:
        outcomes = []
        for kpi, so_far in zip(scheme.kpis, reported, strict=True):
            remaining = len(kpi.period_labels) - len(so_far)
            outcomes.append(so_far + [_Outcome(None, "forecast", assume(kpi, so_far))] * remaining)
        return _result(scheme, outcomes)

    return Forecast(
        worst=scenario(lambda _kpi, _so_far: Fraction(0)),
        expected=scenario(lambda kpi, so_far: _expected(kpi, assumptions.get(kpi.code), so_far)),
        best=scenario(lambda _kpi, _so_far: Fraction(1)),
    )


def _expected(kpi: Kpi, assurance: Assurance | None, so_far: list[_Outcome]) -> Fraction:
    """The achievement assumed for a KPI's unreported periods in the expected case."""
    if assurance in _ASSURED_ACHIEVEMENT:
        return _ASSURED_ACHIEVEMENT[assurance]
    if assurance not in (None, "inconsistent"):
        raise ValueError(
            f"KPI {kpi.code}: assumption must be 'consistent_pass', 'consistent_fail', "
            f"'inconsistent' or None, got {assurance!r}"
        )
    return _mean([outcome.achievement for outcome in so_far]) if so_far else Fraction(0)


def _check_codes(scheme: Scheme, given: Mapping[str, object], what: str) -> None:
    """Refuse codes the scheme does not have, which are almost always typing mistakes."""
    unknown = sorted(set(given) - {kpi.code for kpi in scheme.kpis})
    if unknown:
        raise ValueError(f"{what} given for KPIs not in the scheme: {', '.join(map(str, unknown))}")


def _reported(kpi: Kpi, values: Iterable[Value]) -> list[_Outcome]:
    """Assess the values supplied for a KPI, refusing more values than it has periods."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"KPI {kpi.code}: give a list of values, one per period (e.g. [96.2] for an annual KPI), "
            f"got {values!r}"
        )
    values = list(values)
    periods = len(kpi.period_labels)
    if len(values) > periods:
        raise ValueError(
            f"KPI {kpi.code}: {len(values)} values given but {kpi.basis} KPIs have {periods} "
            f"period{'s' if periods > 1 else ''}"
        )
    return [_assess(kpi, value) for value in values]


def _assess(kpi: Kpi, value: Value) -> _Outcome:
    """Score one period's value against the KPI's target and floor."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _NO_DATA
    if isinstance(value, Decimal) and value.is_nan():
        return _NO_DATA
    number = _decimal(value, f"KPI {kpi.code}: value")
    direction = kpi._direction
    if direction * (number - _stored(kpi.target)) >= 0:
        return _Outcome(number, "met", Fraction(1))
    if kpi.floor is None or direction * (number - _stored(kpi.floor)) <= 0:
        return _Outcome(number, "not met", Fraction(0))
    achievement = (Fraction(number) - Fraction(kpi.floor)) / (Fraction(kpi.target) - Fraction(kpi.floor))
    return _Outcome(number, "partly met", achievement)


def _result(scheme: Scheme, outcomes: list[list[_Outcome]]) -> Result:
    """Price every KPI's outcomes and total them so the figures reconcile to the budget."""
    at_risk = scheme.at_risk
    kpis = tuple(
        _kpi_result(kpi, at_risk, kpi_outcomes)
        for kpi, kpi_outcomes in zip(scheme.kpis, outcomes, strict=True)
    )
    earned = sum((kpi.earned for kpi in kpis), Decimal("0.00"))
    return Result(scheme, at_risk, scheme.fixed, earned, at_risk - earned, kpis)


def _kpi_result(kpi: Kpi, at_risk: Decimal, outcomes: list[_Outcome]) -> KpiResult:
    """Price one KPI: it earns at_risk x weight x mean achievement, to the penny."""
    stake = Fraction(at_risk) * Fraction(kpi.weight)
    achievement = _mean([outcome.achievement for outcome in outcomes])
    at_stake = to_pennies(stake)
    earned = to_pennies(stake * achievement)
    periods = tuple(_periods(kpi, stake / len(outcomes), outcomes))
    return KpiResult(
        kpi=kpi,
        periods=periods,
        achievement=_as_decimal(achievement),
        at_stake=at_stake,
        earned=earned,
        withheld=at_stake - earned,
        explanation=_explain(kpi, periods, achievement),
    )


def _periods(kpi: Kpi, stake_per_period: Fraction, outcomes: list[_Outcome]) -> Iterator[PeriodResult]:
    """Each period's detail, its money rounded on a running total so the periods sum to the KPI's."""
    earned_exactly = Fraction(0)
    paid = Decimal("0.00")
    for label, outcome in zip(kpi.period_labels, outcomes, strict=True):
        earned_exactly += stake_per_period * outcome.achievement
        paid_to_date = to_pennies(earned_exactly)
        yield PeriodResult(
            label, outcome.value, outcome.status, _as_decimal(outcome.achievement), paid_to_date - paid
        )
        paid = paid_to_date


def _explain(kpi: Kpi, periods: tuple[PeriodResult, ...], achievement: Fraction) -> str:
    """One plain-English line saying how the KPI's achievement came about."""
    target = f"the {_quantity(_stored(kpi.target), kpi.unit)} target"
    if len(periods) == 1:
        return _explain_year(kpi, periods[0], target)
    labels = {status: [p.label for p in periods if p.status == status] for status in get_args(Status)}
    forecast_labels = labels["forecast"]
    reported = len(periods) - len(forecast_labels)
    if reported:
        suffix = " reported" if forecast_labels else ""
        clauses = [
            f"Met {target} in {len(labels['met'])} of {reported} quarter{'s' * (reported > 1)}{suffix}"
        ]
    else:
        clauses = [f"Nothing reported yet against {target}"]
    for status, wording in (
        ("partly met", "partly met in"),
        ("not met", "missed in"),
        ("no data", "no data for"),
    ):
        if labels[status]:
            clauses.append(f"{wording} {', '.join(labels[status])}")
    if forecast_labels:
        assumed = next(p.achievement for p in periods if p.status == "forecast")
        clauses.append(f"{', '.join(forecast_labels)} forecast at {_percent(assumed)}")
    return f"{'; '.join(clauses)}. Achievement {_percent(achievement)}."


def _explain_year(kpi: Kpi, period: PeriodResult, target: str) -> str:
    """The explanation for an annual KPI's single period."""
    value = _quantity(period.value, kpi.unit) if period.value is not None else ""
    if period.status == "met":
        return f"Met {target} for the year ({value})."
    if period.status == "partly met":
        floor = _quantity(_stored(kpi.floor), kpi.unit)
        return (
            f"Partly met {target} for the year ({value}; floor {floor}). "
            f"Achievement {_percent(period.achievement)}."
        )
    if period.status == "not met":
        return f"Missed {target} for the year ({value})."
    if period.status == "no data":
        return f"No data for the year against {target}; counts as not met."
    return f"Not yet reported against {target}; forecast at {_percent(period.achievement)}."


def _mean(achievements: list[Fraction]) -> Fraction:
    return sum(achievements, Fraction(0)) / len(achievements)


def _decimal(number: Decimal | float, what: str) -> Decimal:
    """`number` as a finite Decimal; floats go via their text form so 90.1 stays 90.1."""
    if isinstance(number, bool) or not isinstance(number, (Decimal, int, float)):
        raise TypeError(f"{what} must be a number, got {number!r}")
    result = Decimal(str(number)) if isinstance(number, float) else Decimal(number)
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, got {number!r}")
    return result


def _stored(number: Decimal | float | None) -> Decimal:
    """A number of a :class:`Kpi` or :class:`Scheme`, which ``__post_init__`` has made a Decimal.

    The field's type says what the constructor takes (int, float or Decimal); this says what it holds.
    """
    return cast(Decimal, number)


def _as_decimal(fraction: Fraction) -> Decimal:
    """An achievement as a Decimal: exact when it terminates (0.65), else to 28 significant figures."""
    return _DECIMAL_CONTEXT.divide(Decimal(fraction.numerator), Decimal(fraction.denominator))


def _quantity(number: Decimal, unit: str) -> str:
    """A target or value with its unit: "95%", "14 days", "3.5"."""
    separator = "" if unit in ("", "%") else " "
    return f"{number.normalize():f}{separator}{unit}"


def _percent(achievement: Decimal | Fraction) -> str:
    """An achievement (0 to 1) as a percentage to one decimal place: "62.5%", "100%"."""
    return f"{round_half_up(Fraction(achievement) * 100, 1).normalize():f}%"


def _percent_exact(weight: Decimal) -> str:
    """A weight as an unrounded percentage: "25%", "33.33%"."""
    return f"{(weight * 100).normalize():f}%"
