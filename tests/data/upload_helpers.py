"""Provider returns written as bytes, and users of each role, for the upload, preview and rollback tests."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from data import access, schema
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.template import PROVIDER_SOURCE_PREFIX

CAMBS, PBORO = "E10000003", "E06000031"
RETURN_HEADER = list(PROVIDER_RETURN_HEADER)
ADMIN = access.User("Ada Admin", frozenset({"admin"}))
OFFICER = access.User("Olu Officer", frozenset({"officer"}))
VIEWER = access.User("Vic Viewer", frozenset({"viewer"}))


def return_bytes(rows: list[list[object]]) -> bytes:
    """A provider return CSV with ``rows`` under the template's headings."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RETURN_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def load_return(engine: sa.Engine, rows: list[list[object]]) -> None:
    """Load a provider return of ``rows`` into ``engine``, every row accepted."""
    from data.importers.pipeline import import_bytes

    result = import_bytes(engine, return_bytes(rows), "provider_return.csv")
    assert result.rows_rejected == 0, result.summary()


def provider_codes(engine: sa.Engine) -> list[str]:
    """Every provider-return indicator, in catalogue order."""
    ind = schema.indicators
    query = (
        sa.select(ind.c.code, ind.c.value_type)
        .where(ind.c.source.startswith(PROVIDER_SOURCE_PREFIX))
        .order_by(ind.c.sort_order)
    )
    with engine.connect() as conn:
        return [code for code, _ in conn.execute(query).tuples().all()]


def value_of(engine: sa.Engine, code: str, area: str, period: str) -> float | None:
    """The stored value of one figure, or None when the store holds no such row."""
    obs = schema.observations
    query = sa.select(obs.c.value).where(
        obs.c.indicator_code == code, obs.c.area_code == area, obs.c.period_label == period
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()
