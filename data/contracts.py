"""The Section 75 agreements and their performance-linked payment schemes: seeding, queries, audited changes.

Cambridgeshire County Council's Children and Young People Committee (8 October 2024, recommendation c and
paragraph 4.8) agreed that 3% of the 2025/26 Healthy Child Programme budget is paid to the provider only as
far as the Annual Development Plan's targets are achieved. This module stores each year's scheme (budget,
share at risk, weighted KPIs) so that :mod:`metrics.payment` can price it, and reads the provider's reported
figures for its KPIs.

The rules the store keeps:

* A scheme has versions. An agreed version is never edited: a change to it adds a new draft version. Only
  the latest version, while it is a draft, is edited in place. :func:`agree_scheme` agrees the draft.
* A scheme is checked by building a :class:`metrics.payment.Scheme` before anything is written, so an
  invalid one (weights not totalling 100%, a floor on the wrong side of its target ...) is refused with that
  check's message.
* Every write takes the :class:`~data.access.User` making it and calls :func:`data.access.require` before
  opening its transaction; the change and its ``audit_log`` row are written in one transaction.
* What ships (``catalogue/contracts.yaml``) is loaded by :func:`seed_contracts`: agreements' descriptions
  follow the file, but extension options and schemes are only added where missing, so a recorded decision
  or a version made in the dashboard is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import yaml

from data import schema
from data.access import CHANGE_SCHEME, RECORD_EXTENSION, User, require
from data.catalogue import CATALOGUE_DIR, CatalogueError
from data.periods import Period, PeriodError, parse_period
from metrics.money import format_pounds, to_pennies
from metrics.payment import Kpi, Scheme

CONTRACTS_FILE = CATALOGUE_DIR / "contracts.yaml"
SEEDED_BY = "kpi seed"

DRAFT, AGREED = "draft", "agreed"
ENTERED, UPLIFT = "entered", "uplift on previous year"
NOT_YET_DECIDED, EXTENDED, NOT_EXTENDED = "not yet decided", "extended", "not extended"
DECISIONS = (NOT_YET_DECIDED, EXTENDED, NOT_EXTENDED)
SCHEME_ENTITY, EXTENSION_ENTITY = "payment scheme", "contract extension"

# Shares, weights and uplifts are stored as Numeric(7, 6); anything finer would be silently rounded.
_STORED_STEP = Decimal("0.000001")
_KPI_CODE_LENGTH = schema.scheme_kpis.c.kpi_code.type.length
_YEAR_LABEL = re.compile(r"\d{4}/\d{2}")

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
    polarity: str = "higher_is_better"
    basis: str = "quarterly"
    unit: str = "%"

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _exact(self.weight, f"KPI {self.code}: weight"))
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


# ---------------------------------------------------------------------------------------------------------
# Keys and small checks
# ---------------------------------------------------------------------------------------------------------


def scheme_key(contract: str, year: str) -> str:
    """The audit log's key for a contract's scheme for a year, across its versions: 'ccc-hcp-s75 2025/26'."""
    return f"{contract} {year}"


def extension_key(contract: str, option: int) -> str:
    """The audit log's key for an extension option: 'ccc-hcp-s75 option 1'."""
    return f"{contract} option {option}"


def _exact(number: Decimal | float | str, what: str) -> Decimal:
    """``number`` as a Decimal (floats via their text, so 0.1 stays 0.1), at most 6 decimal places."""
    if isinstance(number, bool):
        raise TypeError(f"{what} must be a number, got {number!r}")
    value = Decimal(str(number)) if isinstance(number, float) else Decimal(number)
    if not value.is_finite() or value != value.quantize(_STORED_STEP):
        raise ValueError(f"{what} must be a number with at most 6 decimal places, got {number}")
    return value


def _reason(reason: str) -> str:
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


def _check_scheme(
    budget: Decimal | float | str, share: Decimal | float | str, kpis: Sequence[SchemeKpi]
) -> None:
    """Refuse a scheme that metrics.payment would refuse, or that the store could not hold exactly."""
    for kpi in kpis:
        if len(kpi.code) > _KPI_CODE_LENGTH:
            raise ValueError(f"KPI code {kpi.code!r} is longer than {_KPI_CODE_LENGTH} characters")
        if not kpi.label.strip():
            raise ValueError(f"KPI {kpi.code}: give a label, as it is shown on screen")
    Scheme(_pounds(budget), _exact(share, "Share at risk"), [kpi.to_metrics_kpi() for kpi in kpis])


def _pounds(amount: Decimal | float | str) -> Decimal:
    """A budget as a Decimal; metrics.payment checks that it is whole pence."""
    return Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)


# ---------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------


def _frame(engine: sa.Engine, query: sa.Select) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))


def _extensions(conn: sa.Connection, contract: str | None = None) -> list[Extension]:
    query = sa.select(extensions_t).order_by(extensions_t.c.contract_code, extensions_t.c.option)
    if contract is not None:
        query = query.where(extensions_t.c.contract_code == contract)
    return [Extension(**row) for row in conn.execute(query).mappings()]


def _current_end(initial_end: dt.date, options: list[Extension]) -> dt.date:
    """The agreement's end date after the extensions taken so far (options are taken in order)."""
    end = initial_end
    for option in options:
        if option.decision != EXTENDED:
            break
        end = option.period_end
    return end


def list_contracts(engine: sa.Engine) -> pd.DataFrame:
    """The agreements: code, area_code, area_name, commissioner, provider, title, start_date,
    initial_term_end, latest_end, current_end (after the extensions taken so far) and notes."""
    query = (
        sa.select(contracts_t, schema.areas.c.name.label("area_name"))
        .join(schema.areas, schema.areas.c.code == contracts_t.c.area_code)
        .order_by(contracts_t.c.code)
    )
    frame = _frame(engine, query)
    with engine.connect() as conn:
        options = _extensions(conn)
    frame["current_end"] = [
        _current_end(row.initial_term_end, [o for o in options if o.contract_code == row.code])
        for row in frame.itertuples()
    ]
    return frame


def list_extensions(engine: sa.Engine, contract: str | None = None) -> pd.DataFrame:
    """The extension options (of one agreement, or all): contract_code, option, period_start, period_end,
    decision, decided_on, decided_by, reason."""
    with engine.connect() as conn:
        rows = _extensions(conn, contract)
    return pd.DataFrame([asdict(row) for row in rows], columns=[c.name for c in extensions_t.columns])


def list_schemes(engine: sa.Engine, contract: str) -> pd.DataFrame:
    """Every version of the agreement's schemes, by year then version, without the KPIs: financial_year,
    version, budget, budget_basis, uplift, share, status, created_by, created_at, reason, illustrative,
    latest (the version get_scheme returns by default). Empty when the agreement has no scheme."""
    query = (
        sa.select(*(c for c in schemes_t.columns if c.name != "contract_code"))
        .where(schemes_t.c.contract_code == contract)
        .order_by(schemes_t.c.financial_year, schemes_t.c.version)
    )
    frame = _frame(engine, query)
    for column in ("share", "uplift"):
        frame[column] = [None if value is None else Decimal(value).normalize() for value in frame[column]]
    frame["latest"] = frame["version"] == frame.groupby("financial_year")["version"].transform("max")
    return frame


def _load(
    conn: sa.Connection, contract: str, year: str, version: int | None = None, *, agreed: bool = False
) -> StoredScheme | None:
    """A version of the scheme (the latest, or the latest agreed, when version is None), or None."""
    query = (
        sa.select(schemes_t, contracts_t.c.area_code)
        .join(contracts_t, contracts_t.c.code == schemes_t.c.contract_code)
        .where(schemes_t.c.contract_code == contract, schemes_t.c.financial_year == year)
        .order_by(schemes_t.c.version.desc())
        .limit(1)
    )
    if version is not None:
        query = query.where(schemes_t.c.version == version)
    if agreed:
        query = query.where(schemes_t.c.status == AGREED)
    header = conn.execute(query).mappings().first()
    if header is None:
        return None
    kpi_rows = conn.execute(
        sa.select(kpis_t, ind.c.unit)
        .join(ind, ind.c.code == kpis_t.c.indicator_code)
        .where(
            kpis_t.c.contract_code == contract,
            kpis_t.c.financial_year == year,
            kpis_t.c.version == header["version"],
        )
        .order_by(kpis_t.c.sort_order)
    ).mappings()
    kpis = tuple(
        SchemeKpi(
            code=row["kpi_code"],
            indicator_code=row["indicator_code"],
            label=row["label"],
            weight=Decimal(row["weight"]).normalize(),
            target=row["target"],
            floor=row["floor"],
            polarity=row["polarity"],
            basis=row["basis"],
            unit=row["unit"],
        )
        for row in kpi_rows
    )
    uplift = header["uplift"]
    return StoredScheme(
        contract_code=contract,
        area_code=header["area_code"],
        financial_year=year,
        version=header["version"],
        budget=Decimal(header["budget"]).quantize(Decimal("0.01")),
        budget_basis=header["budget_basis"],
        uplift=None if uplift is None else Decimal(uplift).normalize(),
        share=Decimal(header["share"]).normalize(),
        status=header["status"],
        created_by=header["created_by"],
        created_at=header["created_at"],
        reason=header["reason"],
        illustrative=bool(header["illustrative"]),
        kpis=kpis,
    )


def _no_scheme(conn: sa.Connection, contract: str, year: str, what: str = "payment scheme") -> NoScheme:
    """The plain statement that there is no scheme, saying why when the agreement has never had one."""
    row = conn.execute(sa.select(contracts_t).where(contracts_t.c.code == contract)).mappings().first()
    if row is None:
        return NoScheme(f"There is no agreement with the code {contract!r}.")
    message = f"{row['commissioner']}'s agreement ({contract}) has no {what} for {year}."
    has_any = conn.execute(
        sa.select(sa.func.count()).select_from(schemes_t).where(schemes_t.c.contract_code == contract)
    ).scalar()
    if has_any:
        return NoScheme(message)
    return NoScheme(
        f"{message} It has none for any year: its budget is not in the public papers, so none is shipped "
        "and none is made up. An administrator can enter it when it is known."
    )


def get_scheme(
    engine: sa.Engine, contract: str, year: str, version: int | None = None, *, agreed: bool = False
) -> StoredScheme:
    """A version of the agreement's scheme for ``year``: the latest by default, the latest agreed one (the
    scheme in force) with ``agreed=True``. Raises :class:`NoScheme`, saying so, when there is none."""
    with engine.connect() as conn:
        scheme = _load(conn, contract, year, version, agreed=agreed)
        if scheme is None:
            what = "agreed payment scheme" if agreed else "payment scheme"
            raise _no_scheme(conn, contract, year, what if version is None else f"{what} version {version}")
    return scheme


def scheme_history(engine: sa.Engine, contract: str, year: str) -> tuple[StoredScheme, ...]:
    """Every version of the agreement's scheme for ``year``, oldest first (empty when there is none)."""
    with engine.connect() as conn:
        versions = (
            conn.execute(
                sa.select(schemes_t.c.version)
                .where(schemes_t.c.contract_code == contract, schemes_t.c.financial_year == year)
                .order_by(schemes_t.c.version)
            )
            .scalars()
            .all()
        )
        return tuple(_load(conn, contract, year, version) for version in versions)


def audit_entries(engine: sa.Engine, entity_key: str | None = None) -> pd.DataFrame:
    """The audit log, newest first (for one key from :func:`scheme_key` or :func:`extension_key`, or all):
    id, changed_at, who, action, entity, entity_key, before, after (JSON text), reason, and change, a
    plain-English line saying what changed."""
    query = sa.select(audit_t).order_by(audit_t.c.changed_at.desc(), audit_t.c.id)
    if entity_key is not None:
        query = query.where(audit_t.c.entity_key == entity_key)
    frame = _frame(engine, query)
    frame["change"] = [describe_change(row.before, row.after) for row in frame.itertuples()]
    return frame


# ---------------------------------------------------------------------------------------------------------
# The audit log
# ---------------------------------------------------------------------------------------------------------


def _number(value: Decimal | float | None) -> str | None:
    """A number as plain text for the audit JSON, without trailing zeros: '0.25', '92', '92.5'."""
    if value is None:
        return None
    return f"{Decimal(str(value)).normalize():f}"


def _snapshot(scheme: StoredScheme) -> dict:
    """What a version says: the fields an audit entry compares."""
    return {
        "version": scheme.version,
        "status": scheme.status,
        "budget": f"{scheme.budget:.2f}",
        "budget_basis": scheme.budget_basis,
        "uplift": _number(scheme.uplift),
        "share": _number(scheme.share),
        "illustrative": scheme.illustrative,
        "kpis": [
            {
                "code": k.code,
                "indicator": k.indicator_code,
                "label": k.label,
                "weight": _number(k.weight),
                "target": _number(k.target),
                "floor": _number(k.floor),
                "polarity": k.polarity,
                "basis": k.basis,
            }
            for k in scheme.kpis
        ],
    }


def _audit(
    conn: sa.Connection,
    who: str,
    action: str,
    entity: str,
    key: str,
    before: dict | None,
    after: dict,
    reason: str,
) -> None:
    conn.execute(
        audit_t.insert().values(
            id=str(uuid.uuid4()),
            changed_at=dt.datetime.now(),
            who=who,
            action=action,
            entity=entity,
            entity_key=key,
            before="" if before is None else json.dumps(before, ensure_ascii=False),
            after=json.dumps(after, ensure_ascii=False),
            reason=reason,
        )
    )


def _percent(fraction: str) -> str:
    return f"{(Decimal(fraction) * 100).normalize():f}%"


def _kpi_changes(before: list[dict], after: list[dict]) -> list[str]:
    old = {k["code"]: k for k in before}
    new = {k["code"]: k for k in after}
    changes = [f"{code} removed" for code in old if code not in new]
    for code, kpi in new.items():
        if code not in old:
            changes.append(f"{code} added (weight {_percent(kpi['weight'])}, target {kpi['target']})")
            continue
        for field in ("indicator", "label", "weight", "target", "floor", "polarity", "basis"):
            was, now = old[code][field], kpi[field]
            if was != now:
                if field == "weight":
                    was, now = _percent(was), _percent(now)
                changes.append(f"{code} {field} {was or 'none'} → {now or 'none'}")
    return changes


def describe_change(before: str, after: str) -> str:
    """One plain-English line saying what an audit entry changed, from its before and after JSON."""
    new = json.loads(after)
    if "option" in new:
        old_decision = json.loads(before)["decision"] if before else NOT_YET_DECIDED
        return f"Option {new['option']}: {old_decision} → {new['decision']} (decided {new['decided_on']})"
    heading = f"Version {new['version']} ({new['status']})"
    if not before:
        uplift = f" ({_percent(new['uplift'])} uplift on the previous year)" if new["uplift"] else ""
        return (
            f"{heading} created: budget {format_pounds(Decimal(new['budget']), pence=True)}{uplift}, "
            f"{_percent(new['share'])} at risk, {len(new['kpis'])} KPIs"
        )
    old = json.loads(before)
    changes = [] if old["version"] == new["version"] else [f"from version {old['version']}"]
    if old["status"] != new["status"]:
        changes.append(f"{old['status']} → {new['status']}")
    if old["budget"] != new["budget"]:
        changes.append(
            f"budget {format_pounds(Decimal(old['budget']), pence=True)} → "
            f"{format_pounds(Decimal(new['budget']), pence=True)}"
            + (f" ({_percent(new['uplift'])} uplift)" if new["uplift"] else "")
        )
    if old["share"] != new["share"]:
        changes.append(f"share at risk {_percent(old['share'])} → {_percent(new['share'])}")
    if old["illustrative"] != new["illustrative"]:
        changes.append("marked illustrative" if new["illustrative"] else "marked as real figures")
    changes += _kpi_changes(old["kpis"], new["kpis"])
    return f"{heading}: {'; '.join(changes)}"


# ---------------------------------------------------------------------------------------------------------
# Changing schemes
# ---------------------------------------------------------------------------------------------------------


def _check_year(conn: sa.Connection, contract: str, year: str) -> None:
    """Refuse an unknown agreement, or a year outside its longest possible term."""
    period = financial_year(year)
    row = conn.execute(sa.select(contracts_t).where(contracts_t.c.code == contract)).mappings().first()
    if row is None:
        raise LookupError(f"There is no agreement with the code {contract!r}.")
    if period.start < row["start_date"] or period.end > row["latest_end"]:
        raise ValueError(
            f"{year} is outside the agreement {contract}, which runs from {row['start_date']:%d %B %Y} "
            f"to {row['latest_end']:%d %B %Y} at the latest."
        )


def _check_indicators(conn: sa.Connection, kpis: Sequence[SchemeKpi]) -> None:
    known = set(conn.execute(sa.select(ind.c.code)).scalars())
    for kpi in kpis:
        if kpi.indicator_code not in known:
            raise ValueError(f"KPI {kpi.code}: indicator {kpi.indicator_code!r} is not in the catalogue")


def _write_version(conn: sa.Connection, scheme: StoredScheme, *, replace_existing: bool) -> None:
    """Insert a version (or rewrite a draft) with its KPIs."""
    key = {
        "contract_code": scheme.contract_code,
        "financial_year": scheme.financial_year,
        "version": scheme.version,
    }
    header = {
        "budget": scheme.budget,
        "budget_basis": scheme.budget_basis,
        "uplift": scheme.uplift,
        "share": scheme.share,
        "status": scheme.status,
        "created_by": scheme.created_by,
        "created_at": scheme.created_at,
        "reason": scheme.reason,
        "illustrative": scheme.illustrative,
    }
    if replace_existing:
        conn.execute(kpis_t.delete().where(*(kpis_t.c[name] == value for name, value in key.items())))
        conn.execute(
            schemes_t.update()
            .where(*(schemes_t.c[name] == value for name, value in key.items()))
            .values(header)
        )
    else:
        conn.execute(schemes_t.insert().values({**key, **header}))
    if scheme.kpis:
        conn.execute(
            kpis_t.insert(),
            [
                {
                    **key,
                    "kpi_code": k.code,
                    "indicator_code": k.indicator_code,
                    "label": k.label,
                    "weight": k.weight,
                    "target": k.target,
                    "floor": k.floor,
                    "polarity": k.polarity,
                    "basis": k.basis,
                    "sort_order": order,
                }
                for order, k in enumerate(scheme.kpis)
            ],
        )


def _same_content(a: StoredScheme, b: StoredScheme) -> bool:
    """True when two versions say the same: budget and its basis, share, flag, and KPIs (units aside)."""
    fields = ("budget", "budget_basis", "uplift", "share", "illustrative")
    kpis = [[replace(k, unit="") for k in scheme.kpis] for scheme in (a, b)]
    return all(getattr(a, f) == getattr(b, f) for f in fields) and kpis[0] == kpis[1]


def _save(
    conn: sa.Connection,
    user: User,
    contract: str,
    year: str,
    *,
    budget: Decimal,
    share: Decimal,
    kpis: tuple[SchemeKpi, ...],
    reason: str,
    illustrative: bool | None,
    basis: str,
    uplift: Decimal | None,
) -> StoredScheme:
    """Write a draft: a first version, an edit of the latest draft, or a new version after an agreed one."""
    _check_year(conn, contract, year)
    _check_indicators(conn, kpis)
    latest = _load(conn, contract, year)
    if basis == ENTERED and latest is not None and budget == latest.budget:
        basis, uplift = latest.budget_basis, latest.uplift  # the budget itself is unchanged
    editing = latest is not None and latest.status == DRAFT
    new = StoredScheme(
        contract_code=contract,
        area_code="",
        financial_year=year,
        version=1 if latest is None else latest.version + (0 if editing else 1),
        budget=budget,
        budget_basis=basis,
        uplift=uplift,
        share=share,
        status=DRAFT,
        created_by=latest.created_by if editing else user.name,
        created_at=latest.created_at if editing else dt.datetime.now(),
        reason=reason,
        illustrative=(latest.illustrative if latest else False) if illustrative is None else illustrative,
        kpis=kpis,
    )
    if latest is not None and _same_content(latest, new):
        raise ValueError(
            f"Nothing to save: version {latest.version} of the {year} scheme already has this budget, "
            "share and these KPIs."
        )
    _write_version(conn, new, replace_existing=editing)
    action = "created" if latest is None else "edited draft" if editing else "new version"
    _audit(
        conn,
        user.name,
        action,
        SCHEME_ENTITY,
        scheme_key(contract, year),
        None if latest is None else _snapshot(latest),
        _snapshot(new),
        reason,
    )
    return _load(conn, contract, year, new.version)


def save_scheme_version(
    engine: sa.Engine,
    user: User,
    contract: str,
    year: str,
    *,
    budget: Decimal | str,
    share: Decimal | str,
    kpis: Sequence[SchemeKpi],
    reason: str,
    illustrative: bool | None = None,
) -> StoredScheme:
    """Save a change to the agreement's scheme for ``year`` and return the version written.

    The latest version is edited in place while it is a draft; once agreed it is kept and a new draft
    version is added; with no version yet, version 1 is created as a draft. The budget basis becomes
    'entered' unless the budget is unchanged. ``illustrative`` None keeps the flag of the version being
    changed (False for a first version). Only an administrator may do this; an invalid scheme is refused
    with the message of :class:`metrics.payment.Scheme`'s check, and nothing is written.
    """
    require(user, CHANGE_SCHEME)
    reason = _reason(reason)
    kpis = tuple(kpis)
    _check_scheme(budget, share, kpis)
    with engine.begin() as conn:
        return _save(
            conn,
            user,
            contract,
            year,
            budget=_pounds(budget),
            share=_exact(share, "Share at risk"),
            kpis=kpis,
            reason=reason,
            illustrative=illustrative,
            basis=ENTERED,
            uplift=None,
        )


def agree_scheme(engine: sa.Engine, user: User, contract: str, year: str, reason: str) -> StoredScheme:
    """Mark the latest draft of the year's scheme as agreed; from then on it is never edited."""
    require(user, CHANGE_SCHEME)
    reason = _reason(reason)
    with engine.begin() as conn:
        latest = _load(conn, contract, year)
        if latest is None:
            raise _no_scheme(conn, contract, year)
        if latest.status == AGREED:
            raise ValueError(f"Version {latest.version} of the {year} scheme is already agreed.")
        conn.execute(
            schemes_t.update()
            .where(
                schemes_t.c.contract_code == contract,
                schemes_t.c.financial_year == year,
                schemes_t.c.version == latest.version,
            )
            .values(status=AGREED)
        )
        agreed = replace(latest, status=AGREED)
        _audit(
            conn,
            user.name,
            "agreed",
            SCHEME_ENTITY,
            scheme_key(contract, year),
            _snapshot(latest),
            _snapshot(agreed),
            reason,
        )
        return agreed


def new_year_from_uplift(
    engine: sa.Engine,
    user: User,
    contract: str,
    from_year: str,
    to_year: str,
    uplift: Decimal | str,
    reason: str,
) -> StoredScheme:
    """Draft ``to_year``'s scheme from ``from_year``'s agreed one: the budget uplifted by ``uplift``
    (0.025 for 2.5%) and rounded half-up to the penny, the share, KPIs and illustrative flag copied."""
    require(user, CHANGE_SCHEME)
    reason = _reason(reason)
    uplift = _exact(uplift, "Uplift")
    if uplift <= -1:
        raise ValueError(f"An uplift of {_percent(str(uplift))} would leave no budget")
    if financial_year(to_year).start != financial_year(from_year).end + dt.timedelta(days=1):
        raise ValueError(
            f"An uplift applies to the previous year's budget: {to_year} does not follow {from_year}."
        )
    with engine.begin() as conn:
        base = _load(conn, contract, from_year, agreed=True)
        if base is None:
            raise _no_scheme(conn, contract, from_year, "agreed payment scheme")
        budget = to_pennies(Fraction(base.budget) * (1 + Fraction(uplift)))
        _check_scheme(budget, base.share, base.kpis)
        return _save(
            conn,
            user,
            contract,
            to_year,
            budget=budget,
            share=base.share,
            kpis=base.kpis,
            reason=reason,
            illustrative=base.illustrative,
            basis=UPLIFT,
            uplift=uplift,
        )


# ---------------------------------------------------------------------------------------------------------
# Extension decisions
# ---------------------------------------------------------------------------------------------------------


def _check_order(options: dict[int, Extension], option: int, decision: str) -> None:
    """Options are taken in order: option 2 only after option 1, and option 1 not undone under option 2."""
    earlier, later = options.get(option - 1), options.get(option + 1)
    if decision == EXTENDED and earlier is not None and earlier.decision != EXTENDED:
        raise ValueError(
            f"Option {option} can only be taken after option {option - 1}, which is '{earlier.decision}'."
        )
    if decision != EXTENDED and later is not None and later.decision == EXTENDED:
        raise ValueError(
            f"Option {option + 1} is recorded as extended, which needs option {option}; "
            f"change option {option + 1} first."
        )


def record_extension_decision(
    engine: sa.Engine,
    user: User,
    contract: str,
    option: int,
    decision: str,
    decided_on: dt.date,
    reason: str,
) -> Extension:
    """Record whether an option to extend the agreement was taken ('extended', 'not extended', or back to
    'not yet decided' to correct a mistake), who recorded it, when it was decided and why."""
    require(user, RECORD_EXTENSION)
    reason = _reason(reason)
    if decision not in DECISIONS:
        raise ValueError(f"The decision must be one of {', '.join(DECISIONS)}; got {decision!r}")
    with engine.begin() as conn:
        options = {o.option: o for o in _extensions(conn, contract)}
        if option not in options:
            held = ", ".join(map(str, options)) or "none"
            raise LookupError(
                f"The agreement {contract!r} has no extension option {option} (options: {held})."
            )
        current = options[option]
        if current.decision == decision:
            raise ValueError(f"Option {option} is already recorded as '{decision}'.")
        _check_order(options, option, decision)
        decided = replace(
            current, decision=decision, decided_on=decided_on, decided_by=user.name, reason=reason
        )
        conn.execute(
            extensions_t.update()
            .where(extensions_t.c.contract_code == contract, extensions_t.c.option == option)
            .values(decision=decision, decided_on=decided_on, decided_by=user.name, reason=reason)
        )
        _audit(
            conn,
            user.name,
            "decided",
            EXTENSION_ENTITY,
            extension_key(contract, option),
            _extension_snapshot(current),
            _extension_snapshot(decided),
            reason,
        )
        return decided


def _extension_snapshot(option: Extension) -> dict:
    return {
        "option": option.option,
        "decision": option.decision,
        "decided_on": None if option.decided_on is None else option.decided_on.isoformat(),
        "decided_by": option.decided_by,
    }


# ---------------------------------------------------------------------------------------------------------
# The provider's reported figures for a scheme
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reported:
    """One indicator's reported figures for the year: each quarter's row (or None) and any whole-year row."""

    quarters: tuple[dict | None, ...]
    year: dict | None
    multiplier: int


def _reported(engine: sa.Engine, scheme: StoredScheme) -> dict[str, _Reported]:
    """The headline figures for the scheme's indicators and area in its financial year, by indicator."""
    period = financial_year(scheme.financial_year)
    quarter_starts = [parse_period(f"{scheme.financial_year} Q{q}").start for q in range(1, 5)]
    codes = sorted({kpi.indicator_code for kpi in scheme.kpis})
    query = (
        sa.select(
            obs.c.indicator_code,
            obs.c.period_start,
            obs.c.granularity,
            obs.c.value,
            obs.c.count,
            obs.c.denominator,
        )
        .select_from(
            obs.join(
                ind,
                sa.and_(
                    obs.c.indicator_code == ind.c.code,
                    obs.c.sex == ind.c.sex,
                    obs.c.age == ind.c.age,
                    obs.c.category_type == "",
                ),
            )
        )
        .where(
            obs.c.area_code == scheme.area_code,
            obs.c.indicator_code.in_(codes),
            obs.c.period_start >= period.start,
            obs.c.period_end <= period.end,
            obs.c.granularity.in_(("quarter", "year")),
        )
    )
    with engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
        multipliers = dict(
            conn.execute(sa.select(ind.c.code, ind.c.multiplier).where(ind.c.code.in_(codes))).all()
        )
    reported = {}
    for code in codes:
        mine = [row for row in rows if row["indicator_code"] == code]
        by_start = {row["period_start"]: row for row in mine if row["granularity"] == "quarter"}
        whole = [row for row in mine if row["granularity"] == "year" and row["period_start"] == period.start]
        reported[code] = _Reported(
            quarters=tuple(by_start.get(start) for start in quarter_starts),
            year=whole[0] if whole else None,
            multiplier=multipliers[code],
        )
    return reported


def _value(row: dict | None) -> float | None:
    return None if row is None or row["value"] is None else float(row["value"])


def _annual_value(reported: _Reported) -> float | None:
    """The year's figure: a published whole-year figure if there is one; otherwise pooled from the reported
    quarters, sum(numerators) / sum(denominators) x multiplier when every one has both, else their mean."""
    if _value(reported.year) is not None:
        return _value(reported.year)
    quarters = [row for row in reported.quarters if _value(row) is not None]
    if not quarters:
        return None
    if all(row["count"] is not None and row["denominator"] is not None for row in quarters):
        denominator = sum(row["denominator"] for row in quarters)
        if denominator > 0:
            return sum(row["count"] for row in quarters) / denominator * reported.multiplier
    return sum(_value(row) for row in quarters) / len(quarters)


def actuals_for_scheme(engine: sa.Engine, scheme: StoredScheme) -> dict[str, list[float | None]]:
    """The provider's reported figures for each KPI, for :func:`metrics.payment.calculate`.

    Figures are the headline series of the KPI's indicator for the agreement's council area in the scheme's
    financial year. A quarterly KPI gets [Q1, Q2, Q3, Q4], None where the quarter has no value. An annual
    KPI gets [the year's figure]: a whole-year figure where one is stored, else the year pooled from the
    quarters reported so far (their numerators summed over their denominators, when every reported quarter
    has both, else the mean of their values), or [None] when nothing is reported.
    """
    return _actuals(scheme, _reported(engine, scheme))


def _actuals(scheme: StoredScheme, reported: dict[str, _Reported]) -> dict[str, list[float | None]]:
    return {
        kpi.code: (
            [_value(row) for row in reported[kpi.indicator_code].quarters]
            if kpi.basis == "quarterly"
            else [_annual_value(reported[kpi.indicator_code])]
        )
        for kpi in scheme.kpis
    }


def actuals_to_date(engine: sa.Engine, scheme: StoredScheme) -> dict[str, list[float | None]]:
    """The reported figures for :func:`metrics.payment.forecast`: periods not yet reported are left off so
    that they are forecast, not counted as missing.

    The year has been reported up to the last quarter for which the provider returned any of the scheme's
    indicators. Quarterly KPIs get their values up to that quarter (None for a gap before it); an annual
    KPI gets its figure only once its year is complete (all four quarters, or a whole-year figure).
    """
    reported = _reported(engine, scheme)
    returned = [q for r in reported.values() for q, row in enumerate(r.quarters, start=1) if row is not None]
    quarters_in = max(returned, default=0)
    full = _actuals(scheme, reported)
    result = {}
    for kpi in scheme.kpis:
        mine = reported[kpi.indicator_code]
        if kpi.basis == "quarterly":
            result[kpi.code] = full[kpi.code][:quarters_in]
        else:
            complete = mine.year is not None or all(row is not None for row in mine.quarters)
            result[kpi.code] = full[kpi.code] if complete else []
    return result


# ---------------------------------------------------------------------------------------------------------
# Seeding what ships
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shipped:
    contracts: list[dict]
    extensions: list[dict]
    schemes: list[StoredScheme]


def _date(entry: dict, name: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(entry[name]))
    except (KeyError, ValueError) as error:
        raise CatalogueError(f"{where}: {name} must be an ISO date such as 2025-04-01") from error


def _shipped_scheme(contract: dict, entry: dict, now: dt.datetime) -> StoredScheme:
    where = f"contracts.yaml, {contract['code']} {entry.get('financial_year')}"
    try:
        financial_year(str(entry["financial_year"]))
        kpis = tuple(
            SchemeKpi(
                code=str(k["code"]),
                indicator_code=k["indicator"],
                label=k["label"],
                weight=str(k["weight"]),
                target=k["target"],
                floor=k.get("floor"),
                polarity=k["polarity"],
                basis=k["basis"],
            )
            for k in entry["kpis"]
        )
        _check_scheme(str(entry["budget"]), str(entry["share"]), kpis)
    except (KeyError, TypeError, ValueError) as error:
        raise CatalogueError(f"{where}: {error}") from error
    if entry.get("status") not in (DRAFT, AGREED) or not isinstance(entry.get("illustrative"), bool):
        raise CatalogueError(f"{where}: status must be draft or agreed, and illustrative true or false")
    return StoredScheme(
        contract_code=contract["code"],
        area_code=contract["area_code"],
        financial_year=entry["financial_year"],
        version=1,
        budget=Decimal(str(entry["budget"])),
        budget_basis=ENTERED,
        uplift=None,
        share=Decimal(str(entry["share"])),
        status=entry["status"],
        created_by=SEEDED_BY,
        created_at=now,
        reason=" ".join(entry["reason"].split()),
        illustrative=entry["illustrative"],
        kpis=kpis,
    )


def load_contracts(path: Path = CONTRACTS_FILE) -> _Shipped:
    """Read and check the shipped agreements, extension options and schemes; a mistake raises
    :class:`CatalogueError` naming the entry, before anything is written."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name} is not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("contracts"), list):
        raise CatalogueError(f"{path.name} must contain a list called 'contracts'")
    now = dt.datetime.now()
    shipped = _Shipped([], [], [])
    for entry in document["contracts"]:
        where = f"{path.name}, contract {entry.get('code')}"
        text = {
            name: " ".join(str(entry[name]).split())
            for name in ("code", "area_code", "commissioner", "provider", "title", "notes")
        }
        dates = {name: _date(entry, name, where) for name in ("start_date", "initial_term_end", "latest_end")}
        shipped.contracts.append({**text, **dates})
        shipped.extensions.extend(
            [
                {
                    "contract_code": text["code"],
                    "option": int(option["option"]),
                    "period_start": _date(option, "period_start", where),
                    "period_end": _date(option, "period_end", where),
                    "decision": NOT_YET_DECIDED,
                    "decided_on": None,
                    "decided_by": "",
                    "reason": "",
                }
                for option in entry.get("extensions") or []
            ]
        )
        shipped.schemes.extend(_shipped_scheme(text, scheme, now) for scheme in entry.get("schemes") or [])
    return shipped


@contextmanager
def _transaction(bind: sa.Engine | sa.Connection) -> Iterator[sa.Connection]:
    """The caller's transaction when given a connection, else a new one."""
    if isinstance(bind, sa.Connection):
        yield bind
    else:
        with bind.begin() as conn:
            yield conn


def _sync_contracts(conn: sa.Connection, rows: list[dict]) -> int:
    """Insert missing agreements and update those whose shipped description changed (none is edited on
    screen); return how many rows were written."""
    existing = {row["code"]: dict(row) for row in conn.execute(sa.select(contracts_t)).mappings()}
    written = 0
    for row in rows:
        old = existing.get(row["code"])
        if old is None:
            conn.execute(contracts_t.insert().values(row))
        elif old != row:
            # Only what changed: DuckDB refuses to rewrite an indexed column of a row other tables reference.
            changed = {name: value for name, value in row.items() if old[name] != value}
            conn.execute(contracts_t.update().where(contracts_t.c.code == row["code"]).values(changed))
        else:
            continue
        written += 1
    return written


def seed_contracts(bind: sa.Engine | sa.Connection, path: Path = CONTRACTS_FILE) -> int:
    """Add the shipped agreements, their extension options and their schemes where missing; return how many
    rows were added or changed (0 when run again).

    Extension options are added only when missing, so a recorded decision stays; a scheme is added only when
    its agreement has no version at all for that year, so a version made in the dashboard is never
    overwritten. A shipped scheme's creation is written to the audit log as by 'kpi seed'.
    """
    shipped = load_contracts(path)
    with _transaction(bind) as conn:
        written = _sync_contracts(conn, shipped.contracts)
        have = set(conn.execute(sa.select(extensions_t.c.contract_code, extensions_t.c.option)).tuples())
        missing = [row for row in shipped.extensions if (row["contract_code"], row["option"]) not in have]
        if missing:
            conn.execute(extensions_t.insert(), missing)
        written += len(missing)
        for scheme in shipped.schemes:
            if _has_year(conn, scheme.contract_code, scheme.financial_year):
                continue
            _check_indicators(conn, scheme.kpis)
            _write_version(conn, scheme, replace_existing=False)
            key = scheme_key(scheme.contract_code, scheme.financial_year)
            _audit(conn, SEEDED_BY, "created", SCHEME_ENTITY, key, None, _snapshot(scheme), scheme.reason)
            written += 1
    return written


def _has_year(conn: sa.Connection, contract: str, year: str) -> bool:
    """True when the agreement has any version of a scheme for the year."""
    return (
        conn.execute(
            sa.select(sa.func.count())
            .select_from(schemes_t)
            .where(schemes_t.c.contract_code == contract, schemes_t.c.financial_year == year)
        ).scalar()
        > 0
    )
