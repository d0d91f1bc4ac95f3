"""Timing the pages' server work on a store, and the references each is compared with.

* A page is measured by doing what the page router does for a link: its registered layout is called with
  the link's query values inside a request for its path, with the app's cache emptied first, so every
  repeat reads the store as a first visit does (within the request, a result read twice is read once, as
  in the product). "One indicator across all areas" is the
  :func:`dashboard.data_access.indicator_series` read the trend chart makes when areas are added to it.
* The floor is the plain SQL returning just the rows the page needs, fetched as tuples (for the scorecard,
  its series summary rows: the rows it reads since figures are summarised at import), on the store held as
  the dashboard holds it for a request: a DuckDB file stays open between requests that follow one another
  (:data:`data.db.LINGER_SECONDS`), for the pages and the floor alike.
* The naive baseline (the issue's "whole table in pandas, filtered per request", :mod:`bench.naive`) reads
  the whole observations table into pandas once (:func:`load_observations`; its load time is reported on
  its own) and then, per request, does the page's whole work, with every read of the observations answered
  by filtering that table instead of by SQL. The ten-times goal is judged against it.
* The "rows only" filter (:func:`row_filter_calls`) is the naive baseline without the page: it only filters
  the held table, per request, to the same rows as the floor. It is reported beside the others so that
  nothing is hidden: it is what filtering the held table costs on its own.

Each is timed ``repeats`` times after one warm-up call; :func:`summary` gives the median and 95th percentile.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dash
import numpy as np
import pandas as pd
import sqlalchemy as sa

from data import schema
from data.areas import ENGLAND, home
from data.db import kept_open

HEADLINE = (
    "o.indicator_code, o.area_code, o.period_label, o.period_start, o.period_end, o.granularity, o.value, "
    "o.lower95, o.upper95, o.lower998, o.upper998, o.count, o.denominator, o.value_note, o.provisional, "
    "o.published_comparison"
)
HEADLINE_FROM = (
    "FROM observations o JOIN indicators i ON o.indicator_code = i.code AND o.sex = i.sex AND o.age = i.age "
    "WHERE o.category_type = ''"
)


@dataclass(frozen=True)
class Scenario:
    """What is asked of the store: the area, the indicator, every area code, the agreement and its KPIs."""

    area: str
    indicator: str
    all_areas: tuple[str, ...]
    contract: str
    year: str
    contract_area: str
    scheme_indicators: tuple[str, ...]

    @property
    def series_areas(self) -> tuple[str, ...]:
        """The areas the indicator page reads the series of: the home areas, England and the region."""
        return (*home().areas, ENGLAND, home().region)


def choose_scenario(engine: sa.Engine) -> Scenario:
    """The default area, the first yearly indicator it has breakdowns for, and the first agreement's latest
    scheme, from what the store holds."""
    area = home().default_area
    obs, kpis = schema.observations, schema.scheme_kpis
    with engine.connect() as conn:
        indicator = conn.execute(
            sa.select(obs.c.indicator_code)
            .where(obs.c.area_code == area, obs.c.category_type != "", obs.c.granularity == "year")
            .order_by(obs.c.indicator_code)
            .limit(1)
        ).scalar_one()
        all_areas = tuple(
            conn.execute(sa.select(sa.distinct(obs.c.area_code)).order_by(obs.c.area_code)).scalars()
        )
        contract, year = conn.execute(
            sa.select(kpis.c.contract_code, kpis.c.financial_year)
            .order_by(kpis.c.contract_code, kpis.c.financial_year.desc())
            .limit(1)
        ).one()
        contract_area = conn.execute(
            sa.select(schema.contracts.c.area_code).where(schema.contracts.c.code == contract)
        ).scalar_one()
        codes = tuple(
            conn.execute(
                sa.select(sa.distinct(kpis.c.indicator_code)).where(
                    kpis.c.contract_code == contract, kpis.c.financial_year == year
                )
            ).scalars()
        )
    return Scenario(area, indicator, all_areas, contract, year, contract_area, codes)


MIN_REPEATS = 3


def timed(function: Callable[[], Any], repeats: int, budget: float | None = None) -> list[float]:
    """Milliseconds of ``repeats`` calls of ``function``, after one warm-up call; fewer (but at least
    :data:`MIN_REPEATS`) when the calls have taken ``budget`` seconds between them."""
    function()
    times: list[float] = []
    for _ in range(repeats):
        if budget is not None and len(times) >= MIN_REPEATS and sum(times) / 1000 > budget:
            break
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> dict[str, float]:
    """Median, 95th percentile (linear interpolation), fastest and slowest of the times, and how many."""
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": float(np.percentile(times, 95)),
        "min_ms": min(times),
        "max_ms": max(times),
        "repeats": len(times),
    }


# --- Pages -----------------------------------------------------------------------------------------------


def uncached_app(engine: sa.Engine) -> dash.Dash:
    """A dashboard app on ``engine`` with an in-process cache (emptied before each timed page) and its
    read-only pages public, with what it holds frozen from the garbage collector as ``app.py`` does."""
    from dashboard import create_app
    from dashboard.memory import freeze_held_objects

    app = create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"}, public=True)
    freeze_held_objects()
    return app


def _emptied(app: dash.Dash, call: Callable[[], Any]) -> Callable[[], Any]:
    """``call``, after emptying the app's cache."""
    from dashboard.cache import clear_all

    def run() -> Any:
        with app.server.app_context():
            clear_all()
        return call()

    return run


def render(app: dash.Dash, path: str, **query: str) -> Any:
    """The page at ``path`` as Dash's page router builds it for a link with ``query``."""
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if page["path"] == path:
            arguments = dict(query)
        elif template and path.startswith(template.split("<", 1)[0]):
            name = template.split("<", 1)[1].split(">", 1)[0]
            arguments = {name: path[len(template.split("<", 1)[0]) :], **query}
        else:
            continue
        with app.server.test_request_context(path):
            return page["layout"](**arguments)
    raise LookupError(f"no page is registered for {path}")


def page_calls(app: dash.Dash, scenario: Scenario) -> dict[str, Callable[[], Any]]:
    """Each page's server work for the scenario, as a call."""
    from dashboard import data_access, routes

    def across_areas() -> Any:
        with app.server.test_request_context(f"/indicator/{scenario.indicator}"):
            return data_access.indicator_series(scenario.indicator, scenario.all_areas)

    calls: dict[str, Callable[[], Any]] = {
        "scorecard": lambda: render(app, routes.SCORECARD, area=scenario.area),
        "indicator_all_areas": across_areas,
        "indicator_page": lambda: render(app, f"/indicator/{scenario.indicator}", area=scenario.area),
        "payment_page": lambda: render(app, routes.PAYMENT, contract=scenario.contract, year=scenario.year),
    }
    return {name: _emptied(app, call) for name, call in calls.items()}


# --- The floor: the plain SQL returning the rows each page needs --------------------------------------------


def floor_queries(scenario: Scenario) -> dict[str, tuple[sa.TextClause, dict]]:
    """For each page, the one SQL query returning the rows it needs, with its parameters."""
    expanding: sa.BindParameter = sa.bindparam("areas", expanding=True)
    return {
        "scorecard": (
            # The scorecard reads each headline series summarised at import (data/series_summary.py), one
            # equality per area as it does.
            sa.text(
                " UNION ALL ".join(
                    f"SELECT indicator_code, area_code, figures FROM series_summary WHERE area_code = :a{n}"
                    for n in range(3)
                )
            ),
            {"a0": scenario.area, "a1": ENGLAND, "a2": home().region},
        ),
        "indicator_all_areas": (
            sa.text(f"SELECT {HEADLINE} {HEADLINE_FROM} AND o.indicator_code = :code"),
            {"code": scenario.indicator},
        ),
        "indicator_page": (
            sa.text(
                f"SELECT {HEADLINE}, o.sex, o.age, o.category_type, o.category FROM observations o "
                "WHERE o.indicator_code = :code AND o.area_code IN :areas"
            ).bindparams(expanding),
            {"code": scenario.indicator, "areas": list(scenario.series_areas)},
        ),
        "payment_page": (
            sa.text(
                f"SELECT {HEADLINE} {HEADLINE_FROM} AND o.area_code = :area AND o.granularity = 'quarter' "
                "AND o.indicator_code IN :codes"
            ).bindparams(sa.bindparam("codes", expanding=True)),
            {"area": scenario.contract_area, "codes": list(scenario.scheme_indicators)},
        ),
    }


def floor_calls(engine: sa.Engine, scenario: Scenario) -> dict[str, Callable[[], list]]:
    """Each floor query as a call returning its rows."""

    def call(query: sa.TextClause, parameters: dict) -> Callable[[], list]:
        def run() -> list:
            # Held as the dashboard holds the store for a request (data.db), so the floor and the page
            # find a DuckDB file in the same state: kept open from the call before.
            with kept_open(engine, linger=True), engine.connect() as conn:
                return list(conn.execute(query, parameters).all())

        return run

    return {name: call(query, parameters) for name, (query, parameters) in floor_queries(scenario).items()}


# --- The whole table in pandas (the naive baseline's table) and the "rows only" filter of it --------------


def _read_part(engine: sa.Engine, low: str, high: str) -> pd.DataFrame:
    """PostgreSQL's observations of the indicators whose codes run from ``low`` to ``high``, through
    ``COPY ... TO STDOUT`` read by pandas, with the values a query returns: a missing value (written as
    ``\\N``, so that it differs from empty text) as missing, true/false as booleans, text as text and
    every number exactly as stored."""
    columns = schema.observations.columns
    text = [c.name for c in columns if isinstance(c.type, sa.String)]
    numbers = [c.name for c in columns if isinstance(c.type, sa.Double)]
    low, high = (code.replace("'", "''") for code in (low, high))
    select = f"SELECT * FROM observations WHERE indicator_code BETWEEN '{low}' AND '{high}'"
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        buffer = io.BytesIO()
        with driver.cursor().copy(f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER, NULL '\\N')") as copy:
            for block in copy:
                buffer.write(block)
    finally:
        raw.close()
    buffer.seek(0)
    return pd.read_csv(
        buffer,
        keep_default_na=False,
        na_values=[r"\N"],
        dtype={**dict.fromkeys(text, str), **dict.fromkeys(numbers, "float64")},
        true_values=["t"],
        false_values=["f"],
        float_precision="round_trip",
        parse_dates=["period_start", "period_end"],
    )


def _duckdb_parts(engine: sa.Engine) -> Iterator[pd.DataFrame]:
    """The observations table in DataFrames of about a million rows, from one scan."""
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        driver.execute("SET enable_progress_bar = false")
        driver.execute("SELECT * FROM observations")
        while not (part := driver.fetch_df_chunk(500)).empty:
            yield part
    finally:
        raw.close()


def _postgres_parts(engine: sa.Engine) -> Iterator[pd.DataFrame]:
    """The observations table in DataFrames of 16 indicators each."""
    obs = schema.observations
    with engine.connect() as conn:
        codes = list(
            conn.execute(
                sa.select(sa.distinct(obs.c.indicator_code)).order_by(obs.c.indicator_code)
            ).scalars()
        )
    for start in range(0, len(codes), 16):
        chunk = codes[start : start + 16]
        yield _read_part(engine, chunk[0], chunk[-1])


def load_observations(engine: sa.Engine) -> pd.DataFrame:
    """The whole observations table in one DataFrame (text columns as categories, to keep it in memory),
    read in parts by the driver's fastest path."""
    obs = schema.observations
    parts = []
    for part in (_duckdb_parts if engine.dialect.name == "duckdb" else _postgres_parts)(engine):
        for column in part.columns:
            if part[column].dtype == object and column not in ("period_start", "period_end"):
                part[column] = part[column].astype("category")
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[c.name for c in obs.columns])
    columns: dict[str, Any] = {}
    for column in parts[0].columns:
        pieces = [p[column] for p in parts]
        if isinstance(pieces[0].dtype, pd.CategoricalDtype):
            columns[column] = pd.api.types.union_categoricals(pieces, ignore_order=True)
        else:
            columns[column] = np.concatenate([p.to_numpy() for p in pieces])
    return pd.DataFrame(columns)


def row_filter_calls(
    frame: pd.DataFrame, catalogue: pd.DataFrame, scenario: Scenario
) -> dict[str, Callable[[], Any]]:
    """Each page's rows filtered from the whole table in pandas (the same rows as its floor), and nothing
    more: the "rows only" figure."""
    headline_keys = catalogue[["code", "sex", "age"]].rename(columns={"code": "indicator_code"})

    def headline(rows: pd.DataFrame) -> pd.DataFrame:
        rows = rows[rows["category_type"] == ""]
        keys = headline_keys.astype({"indicator_code": object, "sex": object, "age": object})
        merged = rows.astype({"indicator_code": object, "sex": object, "age": object}).merge(keys)
        return merged

    return {
        "scorecard": lambda: headline(
            frame[frame["area_code"].isin([scenario.area, ENGLAND, home().region])]
        ),
        "indicator_all_areas": lambda: headline(frame[frame["indicator_code"] == scenario.indicator]),
        "indicator_page": lambda: frame[
            (frame["indicator_code"] == scenario.indicator) & frame["area_code"].isin(scenario.series_areas)
        ],
        "payment_page": lambda: headline(
            frame[
                (frame["area_code"] == scenario.contract_area)
                & (frame["granularity"] == "quarter")
                & frame["indicator_code"].isin(scenario.scheme_indicators)
            ]
        ),
    }


def catalogue_frame(engine: sa.Engine) -> pd.DataFrame:
    """The indicators' codes and headline sex and age."""
    ind = schema.indicators
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(sa.select(ind.c.code, ind.c.sex, ind.c.age)).all(), columns=["code", "sex", "age"]
        )
