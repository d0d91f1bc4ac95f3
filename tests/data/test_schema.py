"""The store's layout version: a new store records it, an earlier store whose upgrade only adds tables is
upgraded in place with nothing lost, and a store from an unknown release is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data import schema
from tests.data.helpers import count_rows


def _as_version_1(engine: sa.Engine) -> None:
    """Make ``engine``'s store look as release 1 left it: version 1, without the tables added since."""
    with engine.begin() as conn:
        conn.execute(schema.schema_version.delete())
        conn.execute(
            schema.schema_version.insert().values(version=1, applied_at=schema.dt.datetime(2026, 1, 1))
        )
    for table in (
        schema.remedial_action_updates,
        schema.remedial_actions,
        schema.commentary,
        schema.import_files,
        schema.import_rollbacks,
        schema.agreed_periods,
        schema.users,
    ):
        table.drop(engine)


def test_a_version_1_store_gains_the_new_tables_and_keeps_its_rows(any_store):
    areas = count_rows(any_store, schema.areas)
    _as_version_1(any_store)
    assert not sa.inspect(any_store).has_table("commentary")

    schema.create_schema(any_store)

    inspector = sa.inspect(any_store)
    added = (
        "commentary",
        "remedial_actions",
        "remedial_action_updates",
        "import_files",
        "agreed_periods",
        "users",
    )
    assert all(inspector.has_table(t) for t in added)
    assert count_rows(any_store, schema.areas) == areas
    with any_store.connect() as conn:
        versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert sorted(versions) == [1, schema.SCHEMA_VERSION]
    schema.create_schema(any_store)  # safe to run again
    assert count_rows(any_store, schema.schema_version) == 2


def test_a_store_from_an_unknown_release_is_refused(store):
    with store.begin() as conn:
        conn.execute(schema.schema_version.insert().values(version=99, applied_at=schema.dt.datetime.now()))
    with pytest.raises(
        schema.SchemaVersionError,
        match=f"schema version 99; this release uses version {schema.SCHEMA_VERSION}",
    ):
        schema.create_schema(store)


def test_a_version_3_store_gains_the_page_index_on_postgresql(any_store):
    """The scorecard's read of one area uses an index on PostgreSQL; a store from release 3 gains it on
    upgrade, its rows kept. DuckDB serves that read from its column scans and gets no index."""
    on_postgres = any_store.dialect.name == "postgresql"
    with any_store.begin() as conn:
        conn.execute(schema.schema_version.delete())
        conn.execute(
            schema.schema_version.insert().values(version=3, applied_at=schema.dt.datetime(2026, 11, 1))
        )
        if on_postgres:
            conn.exec_driver_sql("DROP INDEX observations_by_area")
    areas = count_rows(any_store, schema.areas)

    schema.create_schema(any_store)

    with any_store.connect() as conn:
        versions = conn.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert sorted(versions) == [3, schema.SCHEMA_VERSION]
    assert count_rows(any_store, schema.areas) == areas
    if on_postgres:
        indexes = {index["name"]: index for index in sa.inspect(any_store).get_indexes("observations")}
        assert indexes["observations_by_area"]["column_names"] == [
            "area_code",
            "category_type",
            "indicator_code",
        ]


def test_a_version_4_store_keeps_its_catalogue_edits_and_gains_their_year_type(any_store):
    """Release 6 keeps the year type with each catalogue edit; an older store's edits are kept, their year
    type empty (the indicator's own year type stands)."""
    edits = schema.catalogue_edits
    with any_store.begin() as conn:
        conn.execute(schema.schema_version.delete())
        conn.execute(
            schema.schema_version.insert().values(version=4, applied_at=schema.dt.datetime(2026, 11, 1))
        )
        conn.exec_driver_sql("ALTER TABLE catalogue_edits DROP COLUMN year_type")
        code = conn.execute(sa.select(schema.indicators.c.code).limit(1)).scalar()
        conn.execute(
            sa.text(
                "INSERT INTO catalogue_edits (indicator_code, version, name, short_name, definition, "
                "polarity, nodes, edited_by, edited_at, reason) VALUES (:code, 1, 'n', 's', 'd', "
                "'no_judgement', '[]', 'catalogue', :at, 'r')"
            ),
            {"code": code, "at": schema.dt.datetime(2026, 11, 1, 9)},
        )

    schema.create_schema(any_store)

    with any_store.connect() as conn:
        kept = conn.execute(sa.select(edits.c.indicator_code, edits.c.year_type)).all()
    assert kept == [(code, None)]
