"""Read queries for the dashboard: every function takes an engine and returns a pandas DataFrame (or a dict).

The dashboard never writes SQL; it asks here. Queries are SQLAlchemy Core so they run on DuckDB and
PostgreSQL alike. "Headline" observations are an indicator's main series: no breakdown category, and the sex
and age group the catalogue names for it (Fingertips publishes breakdowns by sex, age and deprivation
alongside the headline).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data import schema
from data.areas import ENGLAND
from data.frames import result_frame

obs, ind, areas = schema.observations, schema.indicators, schema.areas


def _frame(engine: sa.Engine, query: sa.Select, *, large: bool = False) -> pd.DataFrame:
    """The query's rows as a DataFrame, built from the fetched tuples in one step; for a ``large`` result,
    fetched column by column on DuckDB (see :mod:`data.frames`: faster for tens of thousands of rows, a
    little slower for the hundreds most pages read)."""
    with engine.connect() as conn:
        result = conn.execute(query)
        if large:
            return result_frame(result)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def list_areas(engine: sa.Engine) -> pd.DataFrame:
    """Areas in display order (local areas first, then England and the region): code, name, area_type,
    parent_code, is_local."""
    return _frame(
        engine,
        sa.select(
            areas.c.code, areas.c.name, areas.c.area_type, areas.c.parent_code, areas.c.is_local
        ).order_by(areas.c.sort_order),
    )


def list_frameworks(engine: sa.Engine) -> pd.DataFrame:
    """The frameworks: code, title (verbatim), short_title, source."""
    fw = schema.frameworks
    return _frame(
        engine, sa.select(fw.c.code, fw.c.title, fw.c.short_title, fw.c.source).order_by(fw.c.sort_order)
    )


def framework_nodes(engine: sa.Engine, framework_code: str) -> pd.DataFrame:
    """A framework's domains and outcomes (or groups and high-impact areas), in document order."""
    nodes = schema.framework_nodes
    return _frame(
        engine,
        sa.select(nodes).where(nodes.c.framework_code == framework_code).order_by(nodes.c.sort_order),
    )


def indicator_catalogue(engine: sa.Engine) -> pd.DataFrame:
    """Every indicator with its definition and how to read it, in catalogue order."""
    return _frame(engine, sa.select(ind).order_by(ind.c.sort_order))


def indicator_nodes(engine: sa.Engine) -> pd.DataFrame:
    """Which framework nodes each indicator serves: indicator_code, framework_code, node_code."""
    links = schema.indicator_nodes
    return _frame(engine, sa.select(links).order_by(links.c.framework_code, links.c.node_code))


def _headline():
    """Observations of each indicator's headline series, joined to the indicator."""
    return obs.join(
        ind,
        sa.and_(
            obs.c.indicator_code == ind.c.code,
            obs.c.sex == ind.c.sex,
            obs.c.age == ind.c.age,
            obs.c.category_type == "",
        ),
    )


HEADLINE_COLUMNS = (
    "indicator_code",
    "area_code",
    "period_label",
    "period_start",
    "period_end",
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


MANY_SERIES = 50
"""Above this many (area, indicator) series a headline read is fetched column by column (see :func:`_frame`):
one indicator across England's 169 areas, 2,704 rows, took 14 ms so against 16.5 ms as tuples."""


def headline_series(
    engine: sa.Engine, *, area_codes: list[str] | None = None, indicator_codes: list[str] | None = None
) -> pd.DataFrame:
    """Headline observations for the given areas and indicators (all when None), oldest period first, with
    each figure's quality note and where its limits came from.

    The observations are filtered by area, indicator and "no breakdown category" first and only the rows
    left are matched to their indicator's headline sex and age, so a national store's millions of
    breakdown rows are never joined.
    """
    columns = (*HEADLINE_COLUMNS, "quality_note", "limits_source")
    wanted = sa.select(*(obs.c[c] for c in columns), obs.c.sex, obs.c.age).where(obs.c.category_type == "")
    if area_codes is not None:
        wanted = wanted.where(obs.c.area_code.in_(area_codes))
    if indicator_codes is not None:
        wanted = wanted.where(obs.c.indicator_code.in_(indicator_codes))
    rows = wanted.subquery("wanted")
    query = (
        sa.select(*(rows.c[c] for c in columns))
        .select_from(
            rows.join(
                ind,
                sa.and_(
                    rows.c.indicator_code == ind.c.code, rows.c.sex == ind.c.sex, rows.c.age == ind.c.age
                ),
            )
        )
        .order_by(rows.c.indicator_code, rows.c.area_code, rows.c.period_end, rows.c.period_start)
    )
    # Thousands of rows (every indicator, or one across a hundred areas) come column by column.
    many = (
        indicator_codes is None or area_codes is None or len(area_codes) * len(indicator_codes) > MANY_SERIES
    )
    return _frame(engine, query, large=many)


def latest_values(engine: sa.Engine, area_code: str) -> pd.DataFrame:
    """Each indicator's most recent headline figure for ``area_code``, with England's for the same period.

    Columns: indicator_code, period_label, period_start, period_end, value, lower95, upper95, count,
    denominator, value_note, provisional, published_comparison, england_value.
    """
    rank = sa.func.row_number().over(
        partition_by=obs.c.indicator_code, order_by=(obs.c.period_end.desc(), obs.c.period_start.desc())
    )
    latest = (
        sa.select(*(obs.c[c] for c in HEADLINE_COLUMNS), rank.label("recency"))
        .select_from(_headline())
        .where(obs.c.area_code == area_code, obs.c.value.is_not(None))
        .subquery()
    )
    england = (
        sa.select(
            obs.c.indicator_code, obs.c.period_start, obs.c.period_end, obs.c.value.label("england_value")
        )
        .select_from(_headline())
        .where(obs.c.area_code == ENGLAND)
        .subquery()
    )
    query = (
        sa.select(*(latest.c[c] for c in HEADLINE_COLUMNS if c != "area_code"), england.c.england_value)
        .select_from(
            latest.outerjoin(
                england,
                sa.and_(
                    england.c.indicator_code == latest.c.indicator_code,
                    england.c.period_start == latest.c.period_start,
                    england.c.period_end == latest.c.period_end,
                ),
            )
        )
        .where(latest.c.recency == 1)
        .order_by(latest.c.indicator_code)
    )
    return _frame(engine, query)


def current_targets(engine: sa.Engine) -> pd.DataFrame:
    """The latest version of every target: indicator_code, area_code ('' = every area), target,
    amber_threshold, effective_from, set_by, set_at, reason, illustrative, version."""
    targets = schema.targets
    latest = (
        sa.select(
            targets.c.indicator_code, targets.c.area_code, sa.func.max(targets.c.version).label("version")
        )
        .group_by(targets.c.indicator_code, targets.c.area_code)
        .subquery()
    )
    query = sa.select(targets).join(
        latest,
        sa.and_(
            targets.c.indicator_code == latest.c.indicator_code,
            targets.c.area_code == latest.c.area_code,
            targets.c.version == latest.c.version,
        ),
    )
    return _frame(engine, query)


def import_log(engine: sa.Engine, limit: int = 50) -> pd.DataFrame:
    """The most recent imports, newest first."""
    batches = schema.import_batches
    return _frame(engine, sa.select(batches).order_by(batches.c.started_at.desc()).limit(limit))


def data_summary(engine: sa.Engine) -> dict:
    """How much the store holds: indicators, observations, areas with data, and the last import time."""
    with engine.connect() as conn:
        return {
            "indicators": conn.execute(sa.select(sa.func.count()).select_from(ind)).scalar(),
            "observations": conn.execute(sa.select(sa.func.count()).select_from(obs)).scalar(),
            "areas": conn.execute(sa.select(sa.func.count(sa.distinct(obs.c.area_code)))).scalar(),
            "last_import": conn.execute(
                sa.select(sa.func.max(schema.import_batches.c.finished_at)).where(
                    schema.import_batches.c.status == "loaded"
                )
            ).scalar(),
        }


# --- One indicator's breakdowns (the indicator page) -----------------------------------------------------

BREAKDOWN_COLUMNS = (
    "indicator_code",
    "area_code",
    "period_label",
    "period_start",
    "period_end",
    "granularity",
    "sex",
    "age",
    "category_type",
    "category",
    "value",
    "lower95",
    "upper95",
    "count",
    "denominator",
    "value_note",
    "provisional",
    "published_comparison",
)


def breakdown_series(
    engine: sa.Engine, indicator_code: str, area_codes: list[str] | None = None
) -> pd.DataFrame:
    """An indicator's observations other than its headline series, for the given areas (all when None).

    These are the inequality breakdowns Fingertips publishes beside the headline: rows with a category
    (``category_type`` such as "Deprivation quintile"), and rows for a sex or an age group other than the
    catalogue's headline one. Oldest period first, then category type and category.
    """
    not_headline = sa.or_(obs.c.category_type != "", obs.c.sex != ind.c.sex, obs.c.age != ind.c.age)
    query = (
        sa.select(*(obs.c[c] for c in BREAKDOWN_COLUMNS))
        .select_from(obs.join(ind, obs.c.indicator_code == ind.c.code))
        .where(obs.c.indicator_code == indicator_code, not_headline)
    )
    if area_codes is not None:
        query = query.where(obs.c.area_code.in_(area_codes))
    query = query.order_by(
        obs.c.area_code,
        obs.c.period_end,
        obs.c.period_start,
        obs.c.category_type,
        obs.c.category,
        obs.c.sex,
        obs.c.age,
    )
    return _frame(engine, query)


# --- Several areas on one chart (the indicator page's trend chart and funnel plot) -------------------------


def areas_with_figures(engine: sa.Engine, indicator_code: str) -> pd.DataFrame:
    """The areas with at least one headline figure for ``indicator_code``: code, name, area_type,
    parent_code and the number of figures (``figures``), by name."""
    held = (
        sa.select(obs.c.area_code, sa.func.count().label("figures"))
        .select_from(_headline())
        .where(obs.c.indicator_code == indicator_code, obs.c.value.is_not(None))
        .group_by(obs.c.area_code)
        .subquery()
    )
    query = (
        sa.select(areas.c.code, areas.c.name, areas.c.area_type, areas.c.parent_code, held.c.figures)
        .select_from(areas.join(held, held.c.area_code == areas.c.code))
        .order_by(areas.c.name, areas.c.code)
    )
    return _frame(engine, query)
