"""Editing the indicator catalogue in the store: mapping an indicator into a framework, its polarity, year
type, names, definition and target, versioned like targets.

An indicator added from an export (:mod:`data.importers.new_indicators`) serves no framework outcome and has
no judged direction. An administrator maps it here, without editing the shipped YAML: each edit adds a
version to ``catalogue_edits`` (who, when, why, and the whole editable entry as it then stood), the first edit
of an indicator also keeping, as version 1, the entry as it was before; nothing is edited in place. The edit
and its ``audit_log`` entry are one transaction, and a target given with it becomes a new version in
``targets``. Changing the year type (financial, academic or calendar years) moves the indicator's stored
figures to the dates their period labels then mean, in the same transaction (:mod:`data.redating`), and the
audit entry says how many moved. ``kpi seed`` refreshes the shipped catalogue and then lays each
indicator's latest edit over it (:func:`reapply`), so an edit survives a new release.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import uuid
from dataclasses import asdict, dataclass

import pandas as pd
import sqlalchemy as sa

from data import access, schema
from data.catalogue import POLARITIES
from data.periods import YEAR_TYPES
from data.redating import redate_observations

MAX_REASON = 500
MAX_NAME = 300
MAX_SHORT_NAME = 40
MAX_DEFINITION = 2000
FIRST_VERSION_REASON = "The entry as it was before its first edit."
POLARITY_WORDS = {
    "higher_is_better": "Higher is better",
    "lower_is_better": "Lower is better",
    "no_judgement": "No judgement (neither direction is better)",
}
YEAR_TYPE_WORDS = {
    "financial": "Financial years (April to March)",
    "academic": "Academic years (September to August)",
    "calendar": "Calendar years (January to December)",
}

ind, links, edits = schema.indicators, schema.indicator_nodes, schema.catalogue_edits


class CatalogueEditError(ValueError):
    """An edit that cannot be made; the message says what to put right, in words for the form."""


@dataclass(frozen=True)
class Entry:
    """The editable part of an indicator's catalogue entry."""

    name: str
    short_name: str
    definition: str
    polarity: str
    nodes: tuple[str, ...]  # "framework:node", sorted
    year_type: str = ""  # 'financial' | 'academic' | 'calendar'; "" in a version saved before it was kept


@dataclass(frozen=True)
class Version:
    """One version of an indicator's entry, with who made it, when and why (and, as :func:`edit` returns it,
    how many stored figures its change of year type moved to new dates)."""

    version: int
    entry: Entry
    edited_by: str
    edited_at: dt.datetime
    reason: str
    figures_redated: int = 0


def _text(value: str | None, label: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise CatalogueEditError(f"Enter the {label}.")
    if len(text) > limit:
        raise CatalogueEditError(f"The {label} must be {limit:,} characters or fewer; it has {len(text):,}.")
    return text


def current_entry(conn: sa.Connection, indicator_code: str) -> Entry:
    """The indicator's entry as the store holds it now; LookupError naming the code when there is none."""
    row = conn.execute(
        sa.select(ind.c.name, ind.c.short_name, ind.c.definition, ind.c.polarity, ind.c.year_type).where(
            ind.c.code == indicator_code
        )
    ).first()
    if row is None:
        raise LookupError(f"There is no indicator '{indicator_code}' in the catalogue.")
    nodes = conn.execute(
        sa.select(links.c.framework_code, links.c.node_code).where(links.c.indicator_code == indicator_code)
    ).all()
    name, short_name, definition, polarity, year_type = row
    where = tuple(sorted(f"{fw}:{node}" for fw, node in nodes))
    return Entry(name, short_name, definition, polarity, where, year_type)


def entry_of(engine: sa.Engine, indicator_code: str) -> Entry:
    """:func:`current_entry` on a connection of its own."""
    with engine.connect() as conn:
        return current_entry(conn, indicator_code)


def _check_nodes(conn: sa.Connection, nodes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    known = {
        f"{fw}:{code}"
        for fw, code in conn.execute(
            sa.select(schema.framework_nodes.c.framework_code, schema.framework_nodes.c.code)
        ).all()
    }
    unknown = sorted(set(nodes) - known)
    if unknown:
        raise CatalogueEditError(f"There is no framework outcome or area {', '.join(unknown)}.")
    return tuple(sorted(set(nodes)))


def _check_target(target: float | None) -> float | None:
    if target is None:
        return None
    if not math.isfinite(target) or target < 0:
        raise CatalogueEditError("The target must be a number of zero or more.")
    return float(target)


def _write_entry(conn: sa.Connection, code: str, entry: Entry) -> None:
    """Make the store's indicator row and framework links say what ``entry`` says (its year type too, when
    the entry records one)."""
    values = {
        "name": entry.name,
        "short_name": entry.short_name,
        "definition": entry.definition,
        "polarity": entry.polarity,
    }
    if entry.year_type:
        values["year_type"] = entry.year_type
    conn.execute(ind.update().where(ind.c.code == code).values(values))
    conn.execute(links.delete().where(links.c.indicator_code == code))
    if entry.nodes:
        conn.execute(
            links.insert(),
            [
                {
                    "indicator_code": code,
                    "framework_code": n.split(":", 1)[0],
                    "node_code": n.split(":", 1)[1],
                }
                for n in entry.nodes
            ],
        )


def _add_version(conn: sa.Connection, code: str, version: int, entry: Entry, who: str, reason: str) -> None:
    row = asdict(entry) | {"nodes": json.dumps(list(entry.nodes))}
    conn.execute(
        edits.insert().values(
            indicator_code=code,
            version=version,
            edited_by=who,
            edited_at=dt.datetime.now(),
            reason=reason,
            **row,
        )
    )


def _add_target(conn: sa.Connection, code: str, target: float, who: str, reason: str) -> None:
    targets = schema.targets
    latest = conn.execute(
        sa.select(sa.func.max(targets.c.version)).where(
            targets.c.indicator_code == code, targets.c.area_code == ""
        )
    ).scalar()
    conn.execute(
        targets.insert().values(
            indicator_code=code,
            area_code="",
            version=(latest or 0) + 1,
            target=target,
            amber_threshold=None,
            effective_from=dt.date(1900, 1, 1),
            set_by=who,
            set_at=dt.datetime.now(),
            reason=reason,
            illustrative=False,
        )
    )


def edit(
    engine: sa.Engine,
    user: access.User,
    indicator_code: str,
    *,
    nodes: list[str] | tuple[str, ...],
    polarity: str,
    reason: str,
    name: str | None = None,
    short_name: str | None = None,
    definition: str | None = None,
    target: float | None = None,
    year_type: str | None = None,
) -> Version:
    """Record a new version of an indicator's entry and make the store say it; return the version.

    ``nodes`` are "framework:node" codes ("cyp-outcomes:2.1"); an empty list takes the indicator out of every
    framework. Names, definition and year type left as None stay as they are. A ``target`` applies to every
    area from the earliest period. A new ``year_type`` moves the indicator's stored figures to the dates it
    gives their periods. Refused, with nothing written, unless the user may manage the catalogue.
    """
    access.require(user, access.MANAGE_CATALOGUE)
    why = _text(reason, "reason for the change", MAX_REASON)
    if polarity not in POLARITIES:
        raise CatalogueEditError("Choose whether higher or lower is better, or neither.")
    if year_type is not None and year_type not in YEAR_TYPES:
        raise CatalogueEditError("Choose whether its years are financial, academic or calendar years.")
    checked_target = _check_target(target)
    with engine.begin() as conn:
        before = current_entry(conn, indicator_code)
        after = Entry(
            name=_text(before.name if name is None else name, "name", MAX_NAME),
            short_name=_text(
                before.short_name if short_name is None else short_name, "short name", MAX_SHORT_NAME
            ),
            definition=_text(
                before.definition if definition is None else definition, "definition", MAX_DEFINITION
            ),
            polarity=polarity,
            nodes=_check_nodes(conn, nodes),
            year_type=before.year_type if year_type is None else year_type,
        )
        latest = conn.execute(
            sa.select(sa.func.max(edits.c.version)).where(edits.c.indicator_code == indicator_code)
        ).scalar()
        if latest is None:
            _add_version(conn, indicator_code, 1, before, "catalogue", FIRST_VERSION_REASON)
            latest = 1
        _add_version(conn, indicator_code, latest + 1, after, user.name, why)
        _write_entry(conn, indicator_code, after)
        moved = redate_observations(conn, [indicator_code]) if after.year_type != before.year_type else 0
        if checked_target is not None:
            _add_target(conn, indicator_code, checked_target, user.name, why)
        conn.execute(
            schema.audit_log.insert().values(
                id=str(uuid.uuid4()),
                changed_at=dt.datetime.now(),
                who=user.name,
                action="edit indicator",
                entity="indicator",
                entity_key=indicator_code,
                before=json.dumps(asdict(before)),
                after=json.dumps(asdict(after) | {"target": checked_target, "figures_redated": moved}),
                reason=why,
            )
        )
    return dataclasses.replace(history(engine, indicator_code)[-1], figures_redated=moved)


def history(engine: sa.Engine, indicator_code: str) -> list[Version]:
    """Every version of the indicator's entry, oldest first (empty when it was never edited)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(edits).where(edits.c.indicator_code == indicator_code).order_by(edits.c.version)
        ).mappings()
        return [_version(row) for row in rows]


def _version(row) -> Version:
    entry = Entry(
        row["name"],
        row["short_name"],
        row["definition"],
        row["polarity"],
        tuple(json.loads(row["nodes"])),
        row["year_type"] or "",
    )
    return Version(row["version"], entry, row["edited_by"], row["edited_at"], row["reason"])


def reapply(conn: sa.Connection) -> int:
    """Lay each indicator's latest edit over the catalogue just refreshed from the shipped files; return how
    many indicators it changed back. Nodes a new release no longer has are left out."""
    latest = (
        sa.select(edits.c.indicator_code, sa.func.max(edits.c.version).label("version"))
        .group_by(edits.c.indicator_code)
        .subquery()
    )
    rows = (
        conn.execute(
            sa.select(edits).join(
                latest,
                sa.and_(
                    edits.c.indicator_code == latest.c.indicator_code, edits.c.version == latest.c.version
                ),
            )
        )
        .mappings()
        .all()
    )
    known = {
        f"{fw}:{code}"
        for fw, code in conn.execute(
            sa.select(schema.framework_nodes.c.framework_code, schema.framework_nodes.c.code)
        ).all()
    }
    changed = 0
    for row in rows:
        code, entry = row["indicator_code"], _version(row).entry
        now = current_entry(conn, code)
        kept = {
            "nodes": tuple(n for n in entry.nodes if n in known),
            "year_type": entry.year_type or now.year_type,
        }
        entry = Entry(**(asdict(entry) | kept))
        if now != entry:
            _write_entry(conn, code, entry)
            changed += 1
    return changed


def not_in_a_framework(engine: sa.Engine) -> pd.DataFrame:
    """Indicators that serve no framework node, in catalogue order: code, name, short_name, unit, polarity,
    year_type, fingertips_id, source."""
    query = (
        sa.select(
            ind.c.code,
            ind.c.name,
            ind.c.short_name,
            ind.c.unit,
            ind.c.polarity,
            ind.c.year_type,
            ind.c.fingertips_id,
            ind.c.source,
        )
        .where(~sa.exists().where(links.c.indicator_code == ind.c.code))
        .order_by(ind.c.sort_order)
    )
    with engine.connect() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))
