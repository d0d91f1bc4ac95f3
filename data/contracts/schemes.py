"""A contract's payment schemes: reading a version, and the audited changes that make new ones.

The rules the store keeps:

* A scheme has versions. An agreed version is never edited: a change to it adds a new draft version. Only
  the latest version, while it is a draft, is edited in place. :func:`agree_scheme` agrees the draft.
* A scheme is checked by building a :class:`metrics.payment.Scheme` before anything is written, so an
  invalid one (weights not totalling 100%, a floor on the wrong side of its target ...) is refused with that
  check's message.
* Every write takes the :class:`~data.access.User` making it and calls :func:`data.access.require` before
  opening its transaction; the change and its ``audit_log`` row are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import sqlalchemy as sa

from data.access import CHANGE_SCHEME, User, require
from data.contracts import audit
from data.contracts.records import (
    AGREED,
    DRAFT,
    ENTERED,
    SCHEME_ENTITY,
    UPLIFT,
    NoScheme,
    SchemeKpi,
    StoredScheme,
    check_scheme,
    contracts_t,
    exact,
    financial_year,
    ind,
    kpis_t,
    pounds,
    read_frame,
    reason_given,
    scheme_key,
    schemes_t,
)
from metrics.money import to_pennies

# --- Reading -----------------------------------------------------------------------------------------------


def list_schemes(engine: sa.Engine, contract: str) -> pd.DataFrame:
    """Every version of the agreement's schemes, by year then version, without the KPIs: financial_year,
    version, budget, budget_basis, uplift, share, status, created_by, created_at, reason, illustrative,
    latest (the version get_scheme returns by default). Empty when the agreement has no scheme."""
    query = (
        sa.select(*(c for c in schemes_t.columns if c.name != "contract_code"))
        .where(schemes_t.c.contract_code == contract)
        .order_by(schemes_t.c.financial_year, schemes_t.c.version)
    )
    frame = read_frame(engine, query)
    for column in ("share", "uplift"):
        exact_values = [None if value is None else Decimal(value).normalize() for value in frame[column]]
        # pandas-stubs' Scalar leaves out Decimal, which pandas holds in an object column as it is.
        frame[column] = exact_values  # type: ignore[assignment]
    frame["latest"] = frame["version"] == frame.groupby("financial_year")["version"].transform("max")
    return frame


def load_version(
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
        scheme = load_version(conn, contract, year, version, agreed=agreed)
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
        loaded = (load_version(conn, contract, year, version) for version in versions)
        return tuple(scheme for scheme in loaded if scheme is not None)


# --- Changing schemes --------------------------------------------------------------------------------------


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


def check_indicators(conn: sa.Connection, kpis: Sequence[SchemeKpi]) -> None:
    """Refuse a KPI whose indicator is not in the catalogue."""
    known = set(conn.execute(sa.select(ind.c.code)).scalars())
    for kpi in kpis:
        if kpi.indicator_code not in known:
            raise ValueError(f"KPI {kpi.code}: indicator {kpi.indicator_code!r} is not in the catalogue")


def write_version(conn: sa.Connection, scheme: StoredScheme, *, replace_existing: bool) -> None:
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
    first_version_only: bool = False,
) -> StoredScheme:
    """Write a draft: a first version, an edit of the latest draft, or a new version after an agreed one.
    With ``first_version_only`` a year that already has a scheme is refused (two people setting up the
    same year at once, or a form left open after someone else did)."""
    _check_year(conn, contract, year)
    check_indicators(conn, kpis)
    latest = load_version(conn, contract, year)
    if first_version_only and latest is not None:
        raise ValueError(
            f"There is already a payment scheme for {year} (version {latest.version}, {latest.status}): "
            "change it on its page rather than setting up another."
        )
    if basis == ENTERED and latest is not None and budget == latest.budget:
        basis, uplift = latest.budget_basis, latest.uplift  # the budget itself is unchanged
    draft = latest if latest is not None and latest.status == DRAFT else None
    editing = draft is not None
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
        created_by=draft.created_by if draft is not None else user.name,
        created_at=draft.created_at if draft is not None else dt.datetime.now(),
        reason=reason,
        illustrative=(latest.illustrative if latest else False) if illustrative is None else illustrative,
        kpis=kpis,
    )
    if latest is not None and _same_content(latest, new):
        raise ValueError(
            f"Nothing to save: version {latest.version} of the {year} scheme already has this budget, "
            "share and these KPIs."
        )
    write_version(conn, new, replace_existing=editing)
    action = "created" if latest is None else "edited draft" if editing else "new version"
    audit.record(
        conn,
        user.name,
        action,
        SCHEME_ENTITY,
        scheme_key(contract, year),
        None if latest is None else audit.snapshot(latest),
        audit.snapshot(new),
        reason,
    )
    saved = load_version(conn, contract, year, new.version)
    if saved is None:
        raise LookupError(f"Version {new.version} of the {year} scheme could not be read back once written.")
    return saved


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
    first_version_only: bool = False,
) -> StoredScheme:
    """Save a change to the agreement's scheme for ``year`` and return the version written.

    The latest version is edited in place while it is a draft; once agreed it is kept and a new draft
    version is added; with no version yet, version 1 is created as a draft. The budget basis becomes
    'entered' unless the budget is unchanged. ``illustrative`` None keeps the flag of the version being
    changed (False for a first version). ``first_version_only`` refuses a year that already has a scheme
    (setting up a year's first scheme). Only an administrator may do this; an invalid scheme is refused
    with the message of :class:`metrics.payment.Scheme`'s check, and nothing is written.
    """
    require(user, CHANGE_SCHEME)
    reason = reason_given(reason)
    kpis = tuple(kpis)
    check_scheme(budget, share, kpis)
    with engine.begin() as conn:
        return _save(
            conn,
            user,
            contract,
            year,
            budget=pounds(budget),
            share=exact(share, "Share at risk"),
            kpis=kpis,
            reason=reason,
            illustrative=illustrative,
            basis=ENTERED,
            uplift=None,
            first_version_only=first_version_only,
        )


def agree_scheme(engine: sa.Engine, user: User, contract: str, year: str, reason: str) -> StoredScheme:
    """Mark the latest draft of the year's scheme as agreed; from then on it is never edited."""
    require(user, CHANGE_SCHEME)
    reason = reason_given(reason)
    with engine.begin() as conn:
        latest = load_version(conn, contract, year)
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
        audit.record(
            conn,
            user.name,
            "agreed",
            SCHEME_ENTITY,
            scheme_key(contract, year),
            audit.snapshot(latest),
            audit.snapshot(agreed),
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
    *,
    first_version_only: bool = False,
) -> StoredScheme:
    """Draft ``to_year``'s scheme from ``from_year``'s agreed one: the budget uplifted by ``uplift``
    (0.025 for 2.5%) and rounded half-up to the penny, the share, KPIs and illustrative flag copied.
    ``first_version_only`` refuses a ``to_year`` that already has a scheme."""
    require(user, CHANGE_SCHEME)
    reason = reason_given(reason)
    uplift = exact(uplift, "Uplift")
    if uplift <= -1:
        raise ValueError(f"An uplift of {audit.as_percent(str(uplift))} would leave no budget")
    if financial_year(to_year).start != financial_year(from_year).end + dt.timedelta(days=1):
        raise ValueError(
            f"An uplift applies to the previous year's budget: {to_year} does not follow {from_year}."
        )
    with engine.begin() as conn:
        base = load_version(conn, contract, from_year, agreed=True)
        if base is None:
            raise _no_scheme(conn, contract, from_year, "agreed payment scheme")
        budget = to_pennies(Fraction(base.budget) * (1 + Fraction(uplift)))
        check_scheme(budget, base.share, base.kpis)
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
            first_version_only=first_version_only,
        )
