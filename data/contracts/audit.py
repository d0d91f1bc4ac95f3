"""The audit log of the agreements' store: every change, who made it, when and why, and a plain-English line
saying what changed.

A write records its change with :func:`record` in the same transaction as the change itself, so a change is
never stored without its entry. Entries keep what a version or option said before and after, as JSON
(:func:`snapshot`), and :func:`describe_change` reads the two back as one line for the screen.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

from data.contracts.records import NOT_YET_DECIDED, Extension, StoredScheme, audit_t, read_frame
from metrics.money import format_pounds


def audit_entries(engine: sa.Engine, entity_key: str | None = None) -> pd.DataFrame:
    """The audit log, newest first (for one key from :func:`scheme_key` or :func:`extension_key`, or all):
    id, changed_at, who, action, entity, entity_key, before, after (JSON text), reason, and change, a
    plain-English line saying what changed."""
    query = sa.select(audit_t).order_by(audit_t.c.changed_at.desc(), audit_t.c.id)
    if entity_key is not None:
        query = query.where(audit_t.c.entity_key == entity_key)
    frame = read_frame(engine, query)
    frame["change"] = [
        describe_change(before, after) for before, after in zip(frame["before"], frame["after"], strict=True)
    ]
    return frame


def _number(value: Decimal | float | None) -> str | None:
    """A number as plain text for the audit JSON, without trailing zeros: '0.25', '92', '92.5'."""
    if value is None:
        return None
    return f"{Decimal(str(value)).normalize():f}"


def snapshot(scheme: StoredScheme) -> dict:
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


def extension_snapshot(option: Extension) -> dict:
    """What an extension option says: the fields an audit entry compares."""
    return {
        "option": option.option,
        "decision": option.decision,
        "decided_on": None if option.decided_on is None else option.decided_on.isoformat(),
        "decided_by": option.decided_by,
    }


def record(
    conn: sa.Connection,
    who: str,
    action: str,
    entity: str,
    key: str,
    before: dict | None,
    after: dict,
    reason: str,
) -> None:
    """Write one audit entry on ``conn``, inside the transaction that makes the change."""
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


def as_percent(fraction: str) -> str:
    """A stored fraction as a percentage without trailing zeros: '0.25' -> '25%'."""
    return f"{(Decimal(fraction) * 100).normalize():f}%"


def _kpi_changes(before: list[dict], after: list[dict]) -> list[str]:
    """What changed in the KPIs between two snapshots, one phrase for each change."""
    old = {k["code"]: k for k in before}
    new = {k["code"]: k for k in after}
    changes = [f"{code} removed" for code in old if code not in new]
    for code, kpi in new.items():
        if code not in old:
            changes.append(f"{code} added (weight {as_percent(kpi['weight'])}, target {kpi['target']})")
            continue
        for field in ("indicator", "label", "weight", "target", "floor", "polarity", "basis"):
            was, now = old[code][field], kpi[field]
            if was != now:
                if field == "weight":
                    was, now = as_percent(was), as_percent(now)
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
        uplift = f" ({as_percent(new['uplift'])} uplift on the previous year)" if new["uplift"] else ""
        return (
            f"{heading} created: budget {format_pounds(Decimal(new['budget']), pence=True)}{uplift}, "
            f"{as_percent(new['share'])} at risk, {len(new['kpis'])} KPIs"
        )
    old = json.loads(before)
    changes = [] if old["version"] == new["version"] else [f"from version {old['version']}"]
    if old["status"] != new["status"]:
        changes.append(f"{old['status']} → {new['status']}")
    if old["budget"] != new["budget"]:
        changes.append(
            f"budget {format_pounds(Decimal(old['budget']), pence=True)} → "
            f"{format_pounds(Decimal(new['budget']), pence=True)}"
            + (f" ({as_percent(new['uplift'])} uplift)" if new["uplift"] else "")
        )
    if old["share"] != new["share"]:
        changes.append(f"share at risk {as_percent(old['share'])} → {as_percent(new['share'])}")
    if old["illustrative"] != new["illustrative"]:
        changes.append("marked illustrative" if new["illustrative"] else "marked as real figures")
    changes += _kpi_changes(old["kpis"], new["kpis"])
    return f"{heading}: {'; '.join(changes)}"
