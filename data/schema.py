"""The indicator store's tables, declared once.

SQLAlchemy Core tables that run unchanged on DuckDB and PostgreSQL: natural keys wherever the domain has
them (indicator code, area code, the observation's indicator/area/period/breakdown), text UUIDs generated in
Python where it does not (import batches, target versions), and no database-generated sequences (DuckDB
has no SERIAL). :func:`create_schema` is the only place tables are created; ``SCHEMA_VERSION`` says which
layout a database holds so a later release can migrate it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

SCHEMA_VERSION = 7
UPGRADABLE_FROM = frozenset({1, 2, 3, 4, 5, 6})
"""Versions a store may hold that this release upgrades in place: it creates the tables added since (version 3
added process_changes, version 4 catalogue_edits and area_sets, version 5 series_summary, which it fills from
the stored figures: see :data:`FILLED_SINCE`; version 6 a catalogue edit's year type; version 7 each
summarised series' period ends), adds the columns of :data:`ADDED_COLUMNS_SINCE` (nullable, so every
existing row stays as it was) and builds the indexes of :data:`ADDED_INDEXES_SINCE`."""
ADDED_COLUMNS_SINCE: dict[int, tuple[tuple[str, str], ...]] = {
    # Version 3: each figure's quality flag and where its limits came from; an import's flagged rows and the
    # earlier import of the same file it repeats.
    3: (
        ("observations", "quality_note"),
        ("observations", "limits_source"),
        ("observation_revisions", "quality_note"),
        ("observation_revisions", "limits_source"),
        ("import_batches", "rows_flagged"),
        ("import_batches", "same_file_as"),
    ),
    # Version 4: a stored rejection may stand for many rows refused for the same reason.
    4: (
        ("rejected_rows", "row_count"),
        ("rejected_rows", "row_ranges"),
    ),
    # Version 6: a catalogue edit may change an indicator's year type (empty in versions made before).
    6: (("catalogue_edits", "year_type"),),
    # Version 7: the ends of the periods each summarised series has a figure for (filled on upgrade).
    7: (("series_summary", "period_ends"),),
}
"""The columns each version added to tables that existed before it, as (table, column)."""
ADDED_INDEXES_SINCE: dict[int, tuple[str, ...]] = {
    # Version 4: the pages' reads of one area (see PAGE_INDEXES).
    4: ("observations_by_area",),
}
"""The indexes each version added, by name (declared in :data:`PAGE_INDEXES`)."""
FILLED_SINCE = 7
"""The latest version that changed what ``series_summary`` holds (version 5 added it, version 7 its period
ends): a store upgraded from an earlier one has it filled afresh from its figures
(:func:`data.series_summary.refresh_all`) in the upgrade's transaction."""

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

frameworks = sa.Table(
    "frameworks",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("short_title", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("sort_order", sa.Integer, nullable=False),
)

framework_nodes = sa.Table(
    "framework_nodes",
    metadata,
    sa.Column("framework_code", sa.String(64), sa.ForeignKey("frameworks.code"), primary_key=True),
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("parent_code", sa.String(32)),
    sa.Column("level", sa.String(32), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("sort_order", sa.Integer, nullable=False),
)

indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("short_name", sa.Text, nullable=False),
    sa.Column("definition", sa.Text, nullable=False),
    sa.Column("numerator_definition", sa.Text, nullable=False),
    sa.Column("denominator_definition", sa.Text, nullable=False),
    sa.Column("value_type", sa.String(16), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False),
    sa.Column("multiplier", sa.Integer, nullable=False),
    sa.Column("polarity", sa.String(24), nullable=False),
    sa.Column("frequency", sa.String(16), nullable=False),
    sa.Column("year_type", sa.String(16), nullable=False),
    sa.Column("age", sa.Text, nullable=False),
    sa.Column("sex", sa.String(16), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("fingertips_id", sa.Integer, unique=True),
    sa.Column("kpi_code", sa.String(16)),
    sa.Column("illustrative", sa.Boolean, nullable=False),
    sa.Column("sort_order", sa.Integer, nullable=False),
)

indicator_nodes = sa.Table(
    "indicator_nodes",
    metadata,
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), primary_key=True),
    sa.Column("framework_code", sa.String(64), primary_key=True),
    sa.Column("node_code", sa.String(32), primary_key=True),
    sa.ForeignKeyConstraint(
        ["framework_code", "node_code"], ["framework_nodes.framework_code", "framework_nodes.code"]
    ),
)

indicator_aliases = sa.Table(
    "indicator_aliases",
    metadata,
    # How an indicator is named in tidy extracts that carry no Fingertips id; measure '' matches any.
    sa.Column("source_name", sa.Text, primary_key=True),
    sa.Column("measure", sa.Text, primary_key=True),
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), nullable=False),
)

areas = sa.Table(
    "areas",
    metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("area_type", sa.String(32), nullable=False),
    sa.Column("parent_code", sa.String(16)),
    sa.Column("is_local", sa.Boolean, nullable=False),
    sa.Column("sort_order", sa.Integer, nullable=False),
)

import_batches = sa.Table(
    "import_batches",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("source_format", sa.String(32), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_new", sa.Integer, nullable=False),
    sa.Column("rows_updated", sa.Integer, nullable=False),
    sa.Column("rows_unchanged", sa.Integer, nullable=False),
    sa.Column("rows_rejected", sa.Integer, nullable=False),
    sa.Column("imported_by", sa.Text, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime, nullable=False),
    # 'loaded' (rows written, any rejects stored), 'rejected' (strict import refused the file),
    # 'failed' (the file could not be read at all; message says why).
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    # Rows loaded with a quality flag (None for imports before version 3).
    sa.Column("rows_flagged", sa.Integer),
    # The earlier import of byte-for-byte the same file, when this one stored nothing new: its rejected rows
    # and file stand for this import's.
    sa.Column("same_file_as", sa.String(36)),
)

rejected_rows = sa.Table(
    "rejected_rows",
    metadata,
    sa.Column("batch_id", sa.String(36), sa.ForeignKey("import_batches.id"), primary_key=True),
    sa.Column("row_number", sa.Integer, primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("raw", sa.Text, nullable=False),
    # How many rows this line stands for and which, as ranges ("2-5001,7300"); row_number is the first and
    # raw is that row. One line covers every row refused for the same first reason once there are many
    # (data.importers.rejection_groups); None on lines stored before version 4 (one row each).
    sa.Column("row_count", sa.Integer),
    sa.Column("row_ranges", sa.Text),
)

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), primary_key=True),
    sa.Column("area_code", sa.String(16), sa.ForeignKey("areas.code"), primary_key=True),
    sa.Column("period_start", sa.Date, primary_key=True),
    sa.Column("period_end", sa.Date, primary_key=True),
    # Breakdown: '' means "all" for category; sex and age hold the labels the source used.
    sa.Column("sex", sa.String(16), primary_key=True),
    sa.Column("age", sa.String(64), primary_key=True),
    sa.Column("category_type", sa.String(128), primary_key=True),
    sa.Column("category", sa.String(128), primary_key=True),
    sa.Column("period_label", sa.String(64), nullable=False),
    sa.Column("granularity", sa.String(24), nullable=False),
    sa.Column("value", sa.Double),
    sa.Column("lower95", sa.Double),
    sa.Column("upper95", sa.Double),
    sa.Column("lower998", sa.Double),
    sa.Column("upper998", sa.Double),
    sa.Column("count", sa.Double),
    sa.Column("denominator", sa.Double),
    sa.Column("value_note", sa.Text, nullable=False),
    sa.Column("provisional", sa.Boolean, nullable=False),
    # The source's own comparison with England where it published one (used when no limits are given).
    sa.Column("published_comparison", sa.String(64), nullable=False),
    sa.Column("batch_id", sa.String(36), sa.ForeignKey("import_batches.id"), nullable=False),
    # What does not quite add up in a figure loaded as published, in words ("value 16.1 is outside its
    # published 95% interval 16.1028 to 16.166"); None when nothing.
    sa.Column("quality_note", sa.Text),
    # Where the 95% limits came from: 'published' by the source, 'calculated' by this dashboard from the
    # count and denominator; None when there are none (or the figure predates version 3).
    sa.Column("limits_source", sa.String(16)),
)

# The earlier state of every observation an import changed, so that nothing is lost and an import can be
# rolled back: the row as it was, the batch that had written it, and the batch that replaced it.
observation_revisions = sa.Table(
    "observation_revisions",
    metadata,
    *(c._copy() for c in observations.columns if c.name != "batch_id"),
    sa.Column("batch_id", sa.String(36), nullable=False),
    sa.Column("replaced_by_batch_id", sa.String(36), sa.ForeignKey("import_batches.id"), primary_key=True),
)

targets = sa.Table(
    "targets",
    metadata,
    # One row per version: a change adds a version, never edits one. area_code '' means every area.
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), primary_key=True),
    sa.Column("area_code", sa.String(16), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("target", sa.Double, nullable=False),
    sa.Column("amber_threshold", sa.Double),
    sa.Column("effective_from", sa.Date, nullable=False),
    sa.Column("set_by", sa.Text, nullable=False),
    sa.Column("set_at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("illustrative", sa.Boolean, nullable=False),
)

# The Section 75 agreements with the provider, one per commissioning council. Reference rows from
# data/catalogue/contracts.yaml; dates are the agreement's, not a financial year's.
contracts = sa.Table(
    "contracts",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("area_code", sa.String(16), sa.ForeignKey("areas.code"), nullable=False),
    sa.Column("commissioner", sa.Text, nullable=False),
    sa.Column("provider", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("initial_term_end", sa.Date, nullable=False),
    sa.Column("latest_end", sa.Date, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
)

# The options to extend an agreement (2 + 2 years) and what was decided; '' until a decision is recorded.
contract_extensions = sa.Table(
    "contract_extensions",
    metadata,
    sa.Column("contract_code", sa.String(64), sa.ForeignKey("contracts.code"), primary_key=True),
    sa.Column("option", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    # 'not yet decided' | 'extended' | 'not extended'
    sa.Column("decision", sa.String(24), nullable=False),
    sa.Column("decided_on", sa.Date),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

# A year's performance-linked payment scheme. One row per version: an agreed version is never edited, a
# change to it adds a draft version; only a draft is edited in place.
payment_schemes = sa.Table(
    "payment_schemes",
    metadata,
    sa.Column("contract_code", sa.String(64), sa.ForeignKey("contracts.code"), primary_key=True),
    sa.Column("financial_year", sa.String(7), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("budget", sa.Numeric(14, 2), nullable=False),
    # 'entered' | 'uplift on previous year'; uplift is the fraction applied (0.025 for 2.5%) for the latter.
    sa.Column("budget_basis", sa.String(32), nullable=False),
    sa.Column("uplift", sa.Numeric(7, 6)),
    sa.Column("share", sa.Numeric(7, 6), nullable=False, default=Decimal("0.03")),
    # 'draft' | 'agreed'
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    # True when the budget or the KPIs are not from a public source.
    sa.Column("illustrative", sa.Boolean, nullable=False),
)

scheme_kpis = sa.Table(
    "scheme_kpis",
    metadata,
    sa.Column("contract_code", sa.String(64), primary_key=True),
    sa.Column("financial_year", sa.String(7), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kpi_code", sa.String(16), primary_key=True),
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("weight", sa.Numeric(7, 6), nullable=False),
    sa.Column("target", sa.Double, nullable=False),
    sa.Column("floor", sa.Double),
    sa.Column("polarity", sa.String(24), nullable=False),
    # 'annual' | 'quarterly'
    sa.Column("basis", sa.String(16), nullable=False),
    sa.Column("sort_order", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["contract_code", "financial_year", "version"],
        ["payment_schemes.contract_code", "payment_schemes.financial_year", "payment_schemes.version"],
    ),
)

# Who changed what, when and why: one row per change to a payment scheme or an extension decision, written
# in the same transaction as the change. before and after are JSON snapshots ('' when there was no before).
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("changed_at", sa.DateTime, nullable=False),  # not "at": a keyword in DuckDB
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("entity_key", sa.Text, nullable=False),
    sa.Column("before", sa.Text, nullable=False),
    sa.Column("after", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

# --- Contract monitoring (data/monitoring.py) ------------------------------------------------------------
# Commentary on an indicator's figure for an area and period: the provider's explanation ('provider') or the
# commissioner's view ('commissioner'), as plain text. Never edited in place: a correction is a new entry.
commentary = sa.Table(
    "commentary",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), nullable=False),
    sa.Column("area_code", sa.String(16), sa.ForeignKey("areas.code"), nullable=False),
    sa.Column("period_label", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("written_at", sa.DateTime, nullable=False),
)

# Remedial actions agreed for a red or a deterioration: what, who owns it and when it is due, linked to the
# indicator, area and quarter. Its status is the latest entry in remedial_action_updates ("overdue" is worked
# out when read: open and past its due date, never stored).
remedial_actions = sa.Table(
    "remedial_actions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), nullable=False),
    sa.Column("area_code", sa.String(16), sa.ForeignKey("areas.code"), nullable=False),
    sa.Column("period_label", sa.String(64), nullable=False),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("owner", sa.Text, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# The history of each remedial action: one row per update (the first is its recording), numbered from 1.
remedial_action_updates = sa.Table(
    "remedial_action_updates",
    metadata,
    sa.Column("action_id", sa.String(36), sa.ForeignKey("remedial_actions.id"), primary_key=True),
    sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
    # 'open' | 'done'
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

# --- Loading data through the web: raw files, rollbacks, agreed periods ---

# The file each import read, byte for byte, with its SHA-256: written in the import's own transaction, so
# what was loaded can always be shown and checked again.
import_files = sa.Table(
    "import_files",
    metadata,
    sa.Column("batch_id", sa.String(36), sa.ForeignKey("import_batches.id"), primary_key=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

# Who rolled an import back, when, and what that did; the batch's status becomes 'rolled back' with it.
import_rollbacks = sa.Table(
    "import_rollbacks",
    metadata,
    sa.Column("batch_id", sa.String(36), sa.ForeignKey("import_batches.id"), primary_key=True),
    sa.Column("rolled_back_by", sa.Text, nullable=False),
    sa.Column("rolled_back_at", sa.DateTime, nullable=False),
    sa.Column("rows_removed", sa.Integer, nullable=False),
    sa.Column("rows_restored", sa.Integer, nullable=False),
)

# A contract's quarter whose figures were agreed at a monitoring meeting: by whom and when. An upload that
# changes a figure in an agreed quarter is flagged in its preview.
agreed_periods = sa.Table(
    "agreed_periods",
    metadata,
    sa.Column("contract_code", sa.String(64), sa.ForeignKey("contracts.code"), primary_key=True),
    sa.Column("period_label", sa.String(64), primary_key=True),
    sa.Column("agreed_by", sa.Text, nullable=False),
    sa.Column("agreed_at", sa.DateTime, nullable=False),
)

# --- Sign-in: the people who may sign in to the dashboard -------------------------------------------------
# One row per user, keyed by the name they sign in with (and that their changes are recorded under). Only a
# password hash is kept (werkzeug scrypt), never the password. A disabled user stays, so that the changes
# recorded under the name still say who made them, but can no longer sign in.
users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(120), primary_key=True),
    sa.Column("display_name", sa.Text),
    sa.Column("role", sa.String(16), nullable=False),  # 'viewer' | 'officer' | 'admin'
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("last_sign_in", sa.DateTime),
)

# --- Process changes for SPC (data/process_changes.py) ---------------------------------------------------
# A change to how a service works (a new pathway, a new way of counting), recorded for an indicator and an
# area (area_code NULL: every area). SPC limits are worked out afresh from the first period starting on or
# after change_date. A withdrawn change is kept, with who withdrew it and when, so the history stays whole.
process_changes = sa.Table(
    "process_changes",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), nullable=False),
    sa.Column("area_code", sa.String(16), sa.ForeignKey("areas.code")),
    sa.Column("change_date", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("withdrawn_by", sa.Text),
    sa.Column("withdrawn_at", sa.DateTime),
)

# --- Catalogue edits made in the store (data/catalogue_edits.py) -----------------------------------------
# One row per version of an indicator's editable catalogue entry: its names, definition, polarity and the
# framework nodes it serves (JSON list of "framework:node"). Never edited in place: an edit adds a version,
# and version 1 is the entry as it stood before its first edit. The latest version is laid over the shipped
# catalogue each time ``kpi seed`` refreshes it, so an edit made on screen survives a new release.
catalogue_edits = sa.Table(
    "catalogue_edits",
    metadata,
    sa.Column("indicator_code", sa.String(64), sa.ForeignKey("indicators.code"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("short_name", sa.Text, nullable=False),
    sa.Column("definition", sa.Text, nullable=False),
    sa.Column("polarity", sa.String(24), nullable=False),
    sa.Column("nodes", sa.Text, nullable=False),
    sa.Column("year_type", sa.String(16)),  # NULL in a version saved before year types could be edited
    sa.Column("edited_by", sa.Text, nullable=False),
    sa.Column("edited_at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

# Named sets of areas a signed-in user saved to compare with (statistical neighbours, say): the codes as a
# JSON list, who saved the set and when. Saving again under the same name by the same person replaces it.
area_sets = sa.Table(
    "area_sets",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("area_codes", sa.Text, nullable=False),
    sa.Column("saved_by", sa.Text, nullable=False),
    sa.Column("saved_at", sa.DateTime, nullable=False),
)

# --- Each headline series in one row (data/series_summary.py) ---------------------------------------------
# Every figure of one indicator's headline series for one area (no breakdown category; the sex and age the
# catalogue names), held together so that a page showing an area reads one row per indicator instead of
# finding its figures among millions of observations. It holds figures only, never a judgement: the targets,
# the catalogue's polarity and the process changes that the judgements depend on are read when a page is
# built, so an edit to them shows at once. Written only by data.series_summary, in the transaction of every
# change to the observations. Keyed by area first: the scorecard reads one area (with England and its
# region) for every indicator.
series_summary = sa.Table(
    "series_summary",
    metadata,
    sa.Column("area_code", sa.String(16), primary_key=True),
    sa.Column("indicator_code", sa.String(64), primary_key=True),
    sa.Column("points", sa.Integer, nullable=False),
    # The end of the latest period with a value (None when every figure is a gap).
    sa.Column("latest_period_end", sa.Date),
    # The series as JSON: {column: [one value per figure]}, oldest period first (data.series_summary).
    sa.Column("figures", sa.Text, nullable=False),
    # The ends of the periods with a value, as JSON {granularity: [ISO dates, oldest first]}: what the pages
    # offer as dates to show the figures at, read without the figures (filled by every write since version 7).
    sa.Column("period_ends", sa.Text),
)

# Indexes for the pages' queries. The primary key already serves every read of one indicator (it starts with
# indicator_code); the scorecard reads one area's headline figures for every indicator. On PostgreSQL that is
# a B-tree index. DuckDB has none here: its zone maps and column scans serve such a read, and an ART index on
# 8 million rows costs memory and import time without making it faster (measured on a national store).
PAGE_INDEXES = (
    sa.Index(
        "observations_by_area",
        observations.c.area_code,
        observations.c.category_type,
        observations.c.indicator_code,
    ).ddl_if(dialect="postgresql"),
)

OBSERVATION_KEY = (
    "indicator_code",
    "area_code",
    "period_start",
    "period_end",
    "sex",
    "age",
    "category_type",
    "category",
)
OBSERVATION_VALUES = (
    "period_label",
    "granularity",
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
    "value_note",
    "provisional",
    "published_comparison",
)


class SchemaVersionError(RuntimeError):
    """The database was made by a different release of the product."""


def create_schema(engine: sa.Engine) -> None:
    """Create every table that is missing and record the schema version; safe to run again.

    A store made by an earlier release listed in :data:`UPGRADABLE_FROM` is upgraded in place: its new
    tables are created and the columns added since its version (:data:`ADDED_COLUMNS_SINCE`) are added with
    ``ALTER TABLE ... ADD COLUMN``, every existing row kept, and a table that holds what is worked out from
    the figures is filled (:data:`FILLED_SINCE`). Raises :class:`SchemaVersionError` if the
    database holds any other version, rather than writing into a layout this release does not understand.
    """
    found = stored_version(engine)
    if found is not None and found != SCHEMA_VERSION and found not in UPGRADABLE_FROM:
        raise SchemaVersionError(
            f"The database holds schema version {found}; this release uses version {SCHEMA_VERSION}."
        )
    metadata.create_all(engine)
    with engine.begin() as conn:
        if found is not None and found < SCHEMA_VERSION:
            _add_columns(conn, found)
            _add_indexes(conn, found)
        if found is not None and found < FILLED_SINCE:
            from data import series_summary  # it reads the tables declared here

            series_summary.refresh_all(conn)
        if found != SCHEMA_VERSION:
            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied_at=dt.datetime.now()))


def _add_columns(conn: sa.Connection, found: int) -> None:
    """Add the columns of every version after ``found`` that the tables lack (portable DDL, nullable)."""
    inspector = sa.inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    for version in range(found + 1, SCHEMA_VERSION + 1):
        for table_name, column_name in ADDED_COLUMNS_SINCE.get(version, ()):
            present = {c["name"] for c in inspector.get_columns(table_name)}
            if column_name in present:
                continue
            column = metadata.tables[table_name].c[column_name]
            column_type = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(
                f"ALTER TABLE {quote(table_name)} ADD COLUMN {quote(column_name)} {column_type}"
            )


def _add_indexes(conn: sa.Connection, found: int) -> None:
    """Build the indexes of every version after ``found`` that the store lacks, where its database uses
    them (see :data:`PAGE_INDEXES`)."""
    declared = {str(index.name): index for index in PAGE_INDEXES}
    for version in range(found + 1, SCHEMA_VERSION + 1):
        for name in ADDED_INDEXES_SINCE.get(version, ()):
            index = declared[name]
            if index._ddl_if is not None and index._ddl_if.dialect not in (None, conn.dialect.name):
                continue
            index.create(conn, checkfirst=True)


def stored_version(engine: sa.Engine) -> int | None:
    """The schema version the store holds (None before it has one)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("schema_version"):
            return None
        return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()


def has_schema(engine: sa.Engine) -> bool:
    """True when the database already has the product's tables."""
    return sa.inspect(engine).has_table("schema_version")
