"""The Section 75 agreements and their options to extend: what is on record, and the decisions about them.

An agreement's current end date follows from the extension options taken so far, which are taken in order.
Recording a decision is an administrator's action (:data:`data.access.RECORD_EXTENSION`), audited like every
other change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

import pandas as pd
import sqlalchemy as sa

from data import schema
from data.access import RECORD_EXTENSION, User, require
from data.contracts import audit
from data.contracts.records import (
    DECISIONS,
    EXTENDED,
    EXTENSION_ENTITY,
    Extension,
    contracts_t,
    extension_key,
    extensions_t,
    read_frame,
    reason_given,
)


def extensions(conn: sa.Connection, contract: str | None = None) -> list[Extension]:
    """The extension options on record (of one agreement, or all), in order."""
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
    frame = read_frame(engine, query)
    with engine.connect() as conn:
        options = extensions(conn)
    frame["current_end"] = [
        _current_end(initial_end, [o for o in options if o.contract_code == code])
        for code, initial_end in zip(frame["code"], frame["initial_term_end"], strict=True)
    ]
    return frame


def list_extensions(engine: sa.Engine, contract: str | None = None) -> pd.DataFrame:
    """The extension options (of one agreement, or all): contract_code, option, period_start, period_end,
    decision, decided_on, decided_by, reason."""
    with engine.connect() as conn:
        rows = extensions(conn, contract)
    return pd.DataFrame([asdict(row) for row in rows], columns=[c.name for c in extensions_t.columns])


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
    reason = reason_given(reason)
    if decision not in DECISIONS:
        raise ValueError(f"The decision must be one of {', '.join(DECISIONS)}; got {decision!r}")
    with engine.begin() as conn:
        options = {o.option: o for o in extensions(conn, contract)}
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
        audit.record(
            conn,
            user.name,
            "decided",
            EXTENSION_ENTITY,
            extension_key(contract, option),
            audit.extension_snapshot(current),
            audit.extension_snapshot(decided),
            reason,
        )
        return decided
