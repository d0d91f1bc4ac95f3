"""Seeding what ships: the agreements, extension options and schemes in ``catalogue/contracts.yaml``.

Agreements' descriptions follow the file, but extension options and schemes are only added where missing,
so a recorded decision or a version made in the dashboard is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
import yaml

from data.catalogue import CatalogueError, yaml_document
from data.contracts import audit
from data.contracts.records import (
    AGREED,
    CONTRACTS_FILE,
    DRAFT,
    ENTERED,
    NOT_YET_DECIDED,
    SCHEME_ENTITY,
    SEEDED_BY,
    SchemeKpi,
    StoredScheme,
    check_scheme,
    contracts_t,
    extensions_t,
    financial_year,
    scheme_key,
    schemes_t,
)
from data.contracts.schemes import check_indicators, write_version


@dataclass(frozen=True)
class _Shipped:
    """What contracts.yaml ships: agreements, extension options (undecided) and schemes (version 1)."""

    contracts: list[dict]
    extensions: list[dict]
    schemes: list[StoredScheme]


def _date(entry: dict, name: str, where: str) -> dt.date:
    """An entry's date field, or a CatalogueError naming the entry."""
    try:
        return dt.date.fromisoformat(str(entry[name]))
    except (KeyError, ValueError) as error:
        raise CatalogueError(f"{where}: {name} must be an ISO date such as 2025-04-01") from error


def _shipped_scheme(contract: dict, entry: dict, now: dt.datetime) -> StoredScheme:
    """A shipped scheme as version 1, checked as any scheme is before it is written."""
    where = f"contracts.yaml, {contract['code']} {entry.get('financial_year')}"
    try:
        financial_year(str(entry["financial_year"]))
        kpis = tuple(
            SchemeKpi(
                code=str(k["code"]),
                indicator_code=k["indicator"],
                label=k["label"],
                weight=Decimal(str(k["weight"])),
                target=k["target"],
                floor=k.get("floor"),
                polarity=k["polarity"],
                basis=k["basis"],
            )
            for k in entry["kpis"]
        )
        check_scheme(str(entry["budget"]), str(entry["share"]), kpis)
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
        document = yaml_document(path.read_text(encoding="utf-8"))
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
            check_indicators(conn, scheme.kpis)
            write_version(conn, scheme, replace_existing=False)
            key = scheme_key(scheme.contract_code, scheme.financial_year)
            audit.record(
                conn, SEEDED_BY, "created", SCHEME_ENTITY, key, None, audit.snapshot(scheme), scheme.reason
            )
            written += 1
    return written


def _has_year(conn: sa.Connection, contract: str, year: str) -> bool:
    """True when the agreement has any version of a scheme for the year."""
    return (
        conn.execute(
            sa.select(sa.func.count())
            .select_from(schemes_t)
            .where(schemes_t.c.contract_code == contract, schemes_t.c.financial_year == year)
        ).scalar_one()
        > 0
    )
