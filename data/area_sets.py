"""Named sets of areas to compare with, saved by a signed-in user and offered to everyone.

A set is a name and two or more area codes (a council's statistical neighbours, say). The compare view and
funnel plot on the indicator page show a saved set when the link names it (``compare=set:<name>``). Anyone
signed in may save a set; saving again under a name one saved before replaces that set, while a name someone
else chose is refused, so no one's set changes under them.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from data import access, schema

MAX_NAME = 80
MIN_AREAS = 2
MAX_AREAS = 200
sets = schema.area_sets


class AreaSetError(ValueError):
    """A set that cannot be saved; the message says what to put right."""


def save(engine: sa.Engine, user: access.User, name: str | None, area_codes: list[str]) -> tuple[str, ...]:
    """Save ``area_codes`` (known areas, each once, in the order given) as the set ``name``; return them."""
    if not user.signed_in:
        raise AreaSetError("Sign in to save a set of areas.")
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise AreaSetError("Enter a name for the set, for example 'Statistical neighbours'.")
    if len(cleaned) > MAX_NAME:
        raise AreaSetError(f"The name must be {MAX_NAME} characters or fewer; it has {len(cleaned)}.")
    codes = tuple(dict.fromkeys(area_codes))
    with engine.begin() as conn:
        known = set(conn.execute(sa.select(schema.areas.c.code)).scalars())
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise AreaSetError(f"These are not areas the dashboard knows: {', '.join(unknown)}.")
        if not MIN_AREAS <= len(codes) <= MAX_AREAS:
            raise AreaSetError(f"A set holds {MIN_AREAS} to {MAX_AREAS} areas; this one has {len(codes)}.")
        owner = conn.execute(sa.select(sets.c.saved_by).where(sets.c.name == cleaned)).scalar()
        if owner is not None and owner != user.name:
            raise AreaSetError(f"{owner} has already saved a set named '{cleaned}'; choose another name.")
        conn.execute(sets.delete().where(sets.c.name == cleaned))
        conn.execute(
            sets.insert().values(
                name=cleaned,
                area_codes=json.dumps(list(codes)),
                saved_by=user.name,
                saved_at=dt.datetime.now(),
            )
        )
    return codes


def saved_sets(engine: sa.Engine) -> dict[str, tuple[str, ...]]:
    """Every saved set by name, in name order."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(sets.c.name, sets.c.area_codes).order_by(sets.c.name)).all()
    return {name: tuple(json.loads(codes)) for name, codes in rows}
