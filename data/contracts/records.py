"""What the agreements' store holds: the records, the words for their states, and the checks every write
makes before it opens a transaction.

A :class:`StoredScheme` is one version of a contract's payment scheme for a financial year, with its
:class:`SchemeKpi` rows; an :class:`Extension` is an option to extend an agreement. Shares, weights and
uplifts are exact decimals with at most six places, as the store holds them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

from data import schema
from data.catalogue import CATALOGUE_DIR
from data.periods import Period, PeriodError, parse_period
from metrics.payment import Basis, Kpi, Polarity, Scheme

CONTRACTS_FILE = CATALOGUE_DIR / "contracts.yaml"
SEEDED_BY = "kpi seed"

DRAFT, AGREED = "draft", "agreed"
ENTERED, UPLIFT = "entered", "uplift on previous year"
NOT_YET_DECIDED, EXTENDED, NOT_EXTENDED = "not yet decided", "extended", "not extended"
DECISIONS = (NOT_YET_DECIDED, EXTENDED, NOT_EXTENDED)
SCHEME_ENTITY, EXTENSION_ENTITY = "payment scheme", "contract extension"
_YEAR_LABEL = re.compile(r"\d{4}/\d{2}")

# Shares, weights and uplifts are stored as Numeric(7, 6); anything finer would be silently rounded.
_STORED_STEP = Decimal("0.000001")


def _most_characters(column: sa.Column[str]) -> int:
    """How many characters a string column holds."""
    if not isinstance(column.type, sa.String) or column.type.length is None:
        raise TypeError(f"{column.name} is not a string column of fixed length")
    return column.type.length


_KPI_CODE_LENGTH = _most_characters(schema.scheme_kpis.c.kpi_code)

contracts_t, extensions_t = schema.contracts, schema.contract_extensions
schemes_t, kpis_t, audit_t = schema.payment_schemes, schema.scheme_kpis, schema.audit_log
obs, ind = schema.observations, schema.indicators


class NoScheme(LookupError):
    """The contract has no payment scheme for the year asked about; the message says so plainly."""


@dataclass(frozen=True)
class SchemeKpi:
    """One KPI of a stored scheme, as entered: weight is a fraction of the money at risk (0.25 for 25%).

    unit is the indicator's unit, filled in when a scheme is read; it is not stored with the KPI.
    """

    code: str
    indicator_code: str
    label: str
    weight: Decimal
    target: float
    floor: float | None = None
    polarity: Polarity = "higher_is_better"
    basis: Basis = "quarterly"
    unit: str = "%"

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", exact(self.weight, f"KPI {self.code}: weight"))
        object.__setattr__(self, "target", float(self.target))
        if self.floor is not None:
            object.__setattr__(self, "floor", float(self.floor))

    def to_metrics_kpi(self) -> Kpi:
        """The KPI as :mod:`metrics.payment` prices it (which also checks it)."""
        return Kpi(
            code=self.code,
            weight=self.weight,
            target=_plain(self.target),
            floor=None if self.floor is None else _plain(self.floor),
            polarity=self.polarity,
            basis=self.basis,
            label=self.label,
            indicator=self.indicator_code,
            unit=self.unit,
        )


def _plain(number: float) -> int | float:
    """A whole number as an int, so that messages and explanations say '92%', not '92.0%'."""
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class StoredScheme:
    """One version of a contract's payment scheme for a financial year, with its KPIs in display order."""

    contract_code: str
    area_code: str
    financial_year: str
    version: int
    budget: Decimal
    budget_basis: str
    uplift: Decimal | None
    share: Decimal
    status: str
    created_by: str
    created_at: dt.datetime
    reason: str
    illustrative: bool
    kpis: tuple[SchemeKpi, ...]

    def to_metrics_scheme(self) -> Scheme:
        """The scheme as :func:`metrics.payment.calculate` and ``forecast`` take it."""
        return Scheme(self.budget, self.share, [kpi.to_metrics_kpi() for kpi in self.kpis])


@dataclass(frozen=True)
class Extension:
    """An option to extend an agreement and what has been decided about it."""

    contract_code: str
    option: int
    period_start: dt.date
    period_end: dt.date
    decision: str
    decided_on: dt.date | None
    decided_by: str
    reason: str


# --- Keys and small checks ---------------------------------------------------------------------------------


def scheme_key(contract: str, year: str) -> str:
    """The audit log's key for a contract's scheme for a year, across its versions: 'ccc-hcp-s75 2025/26'."""
    return f"{contract} {year}"


def extension_key(contract: str, option: int) -> str:
    """The audit log's key for an extension option: 'ccc-hcp-s75 option 1'."""
    return f"{contract} option {option}"


def exact(number: Decimal | float | str, what: str) -> Decimal:
    """``number`` as a Decimal (floats via their text, so 0.1 stays 0.1), at most 6 decimal places."""
    if isinstance(number, bool):
        raise TypeError(f"{what} must be a number, got {number!r}")
    value = Decimal(str(number)) if isinstance(number, float) else Decimal(number)
    if not value.is_finite() or value != value.quantize(_STORED_STEP):
        raise ValueError(f"{what} must be a number with at most 6 decimal places, got {number}")
    return value


def reason_given(reason: str) -> str:
    """The reason for a change, required so that the audit log says why."""
    if not reason or not reason.strip():
        raise ValueError("Give a reason for the change; it is kept in the audit log.")
    return " ".join(reason.split())


def financial_year(label: str) -> Period:
    """The financial year written like '2025/26' (1 April 2025 to 31 March 2026)."""
    try:
        period = parse_period(label, "financial")
    except PeriodError as error:
        raise ValueError(f"Financial years are written like 2025/26: {error}") from error
    if period.granularity != "year" or not _YEAR_LABEL.fullmatch(label):
        raise ValueError(f"Financial years are written like 2025/26, got {label!r}")
    return period


def check_scheme(
    budget: Decimal | float | str, share: Decimal | float | str, kpis: Sequence[SchemeKpi]
) -> None:
    """Refuse a scheme that metrics.payment would refuse, or that the store could not hold exactly."""
    for kpi in kpis:
        if len(kpi.code) > _KPI_CODE_LENGTH:
            raise ValueError(f"KPI code {kpi.code!r} is longer than {_KPI_CODE_LENGTH} characters")
        if not kpi.label.strip():
            raise ValueError(f"KPI {kpi.code}: give a label, as it is shown on screen")
    Scheme(pounds(budget), exact(share, "Share at risk"), [kpi.to_metrics_kpi() for kpi in kpis])


def pounds(amount: Decimal | float | str) -> Decimal:
    """A budget as a Decimal; metrics.payment checks that it is whole pence."""
    return Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)


def read_frame(engine: sa.Engine, query: sa.Select) -> pd.DataFrame:
    """The rows of ``query`` as a data frame, with its columns even when there are no rows."""
    with engine.connect() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))
