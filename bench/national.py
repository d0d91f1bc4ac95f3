"""A national store for the benchmark, generated straight into the product's schema, the same every run.

:func:`build_store` creates the schema and loads the shipped reference data (every English area with its real
ONS code, the catalogue, the targets and the Section 75 agreements with their payment scheme) through
:func:`data.seed.seed_reference`, adds generated indicators until the catalogue holds :data:`INDICATORS`,
gives them targets and framework links, then writes the observations: for every indicator, every area in
:func:`store_areas` (the home areas, England, the regions and every upper-tier authority), every period
from 2010 to 2025 (quarters or years, as the indicator is published) and every breakdown in
:func:`breakdowns` (the headline series, by sex, and by deprivation quintile for annual figures). Each row
has a count, a denominator, the value worked out from them and its 95% and 99.8% limits.

The figures come from a NumPy generator seeded with ``seed`` and the indicator's position, so a store is
the same whatever the scale or the database. Rows are written by the database's bulk paths: DuckDB inserts
from a registered frame with ``INSERT ... SELECT``; PostgreSQL takes a CSV through ``COPY``, written by an
in-memory DuckDB from the same frame; then each headline series is summarised in one row, as an import
does (:mod:`data.series_summary`). At scale 1 the store holds over 8 million observations; ``scale``
shrinks the number of indicators and of authorities in step (rows grow with its square).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import sqlalchemy as sa

from data import schema, series_summary
from data.areas import ENGLAND, home
from data.periods import financial_quarter_label
from data.seed import seed_reference

INDICATORS = 336
"""Indicators in the catalogue at scale 1 (the shipped ones and generated ones)."""
OTHER_AUTHORITIES = 151
"""Upper-tier authorities outside the home areas at scale 1 (every one England has)."""
FIRST_YEAR, LAST_YEAR = 2010, 2025
QUARTERLY_SHARE = 4
"""One generated indicator in this many is published quarterly; the rest yearly."""
UPPER_TIER = ("county", "unitary authority", "metropolitan district", "London borough")
GENERATOR = "benchmark generator"
BATCH_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "hcp-dashboard/bench/national-store"))
GENERATED_PREFIX = "nat-"
DEPRIVATION = "Deprivation quintile (IMD2019)"
QUINTILES = (
    "Most deprived 20%",
    "Second most deprived 20%",
    "Middle 20%",
    "Second least deprived 20%",
    "Least deprived 20%",
)
TOPICS = (
    "Children achieving a good level of development",
    "Infants breastfed at 6 to 8 weeks",
    "Children with tooth decay at age 5",
    "Reception children of a healthy weight",
    "Year 6 children of a healthy weight",
    "Children immunised by age 2",
    "Hospital admissions for injuries in children",
    "Young people not in education, employment or training",
    "Children with a completed 2 to 2½ year review",
    "Mothers smoking at the time of delivery",
    "Under-18 conceptions",
    "Hospital admissions for self-harm aged 10 to 24",
)
Z95, Z998 = 1.959964, 3.090232
POPULATION = {"country": 650_000.0, "region": 72_000.0}
"""Typical people in an indicator's denominator each year, by area type (an authority: 2,000 to 25,000)."""


@dataclass(frozen=True)
class Indicator:
    """What the generator needs to know of one catalogue indicator."""

    code: str
    position: int
    frequency: str
    year_type: str
    value_type: str
    multiplier: int
    sex: str
    age: str


# --- Reference rows: generated indicators, their links and targets -------------------------------------


def _generated_indicator(number: int) -> dict:
    """The catalogue row of generated indicator ``number`` (counting from 1)."""
    topic = TOPICS[number % len(TOPICS)]
    rate = number % 3 == 2
    return {
        "code": f"{GENERATED_PREFIX}{number:03d}",
        "name": f"{topic} (national benchmark series {number})",
        "short_name": f"{topic[:40]} ({number})",
        "definition": f"Generated for the national benchmark: {topic.lower()}. Not a real statistic.",
        "numerator_definition": "Generated count",
        "denominator_definition": "Generated population",
        "value_type": "rate" if rate else "proportion",
        "unit": "per 10,000" if rate else "%",
        "multiplier": 10_000 if rate else 100,
        "polarity": ("higher_is_better", "lower_is_better", "no_judgement")[number % 3],
        "frequency": "quarterly" if number % QUARTERLY_SHARE == 0 else "annual",
        "year_type": ("financial", "academic", "calendar")[number % 3]
        if number % QUARTERLY_SHARE
        else "financial",
        "age": "0-19 yrs",
        "sex": "Persons",
        "source": "Generated for the benchmark (not real data)",
        "fingertips_id": 990_000 + number,
        "kpi_code": None,
        "illustrative": True,
        "sort_order": 10_000 + number,
    }


def _add_generated_indicators(conn: sa.Connection, wanted: int) -> None:
    """Add generated indicators until the catalogue holds ``wanted``, each linked to a framework outcome and
    every third given a target for every area."""
    shipped = conn.execute(sa.select(sa.func.count()).select_from(schema.indicators)).scalar_one()
    rows = [_generated_indicator(n) for n in range(1, max(0, wanted - shipped) + 1)]
    if not rows:
        return
    conn.execute(schema.indicators.insert(), rows)
    nodes = schema.framework_nodes
    parents = sa.select(nodes.c.parent_code).where(nodes.c.parent_code.is_not(None))
    leaves = conn.execute(
        sa.select(nodes.c.framework_code, nodes.c.code)
        .where(nodes.c.code.not_in(parents))
        .order_by(nodes.c.framework_code, nodes.c.sort_order)
    ).all()
    conn.execute(
        schema.indicator_nodes.insert(),
        [
            {"indicator_code": row["code"], "framework_code": leaf[0], "node_code": leaf[1]}
            for i, row in enumerate(rows)
            for leaf in (leaves[i % len(leaves)],)
        ],
    )
    set_at = dt.datetime(2025, 4, 1, 9, 0)
    conn.execute(
        schema.targets.insert(),
        [
            {
                "indicator_code": row["code"],
                "area_code": "",
                "version": 1,
                "target": 60.0 if row["value_type"] == "proportion" else 150.0,
                "amber_threshold": 55.0 if row["value_type"] == "proportion" else 180.0,
                "effective_from": dt.date(2010, 1, 1),
                "set_by": GENERATOR,
                "set_at": set_at,
                "reason": "Generated for the benchmark.",
                "illustrative": True,
            }
            for n, row in enumerate(rows, start=1)
            if n % 3 == 0 and row["polarity"] != "no_judgement"
        ],
    )


def _add_batch(conn: sa.Connection, rows: int) -> None:
    """The import batch every generated observation belongs to (observations must name one)."""
    when = dt.datetime(2026, 1, 1, 0, 0)
    conn.execute(
        schema.import_batches.insert().values(
            id=BATCH_ID,
            source_format="generated",
            file_name="national benchmark store",
            sha256="0" * 64,
            rows_read=rows,
            rows_new=rows,
            rows_updated=0,
            rows_unchanged=0,
            rows_rejected=0,
            imported_by=GENERATOR,
            started_at=when,
            finished_at=when,
            status="loaded",
            message="Generated for the benchmark; not real data.",
            rows_flagged=0,
        )
    )


# --- Dimensions: areas, indicators, periods, breakdowns ---------------------------------------------------


def store_areas(conn: sa.Connection, scale: float) -> pd.DataFrame:
    """The areas given figures: the home areas, England, the regions, then upper-tier authorities in code
    order (all 151 others at scale 1). Columns: code, area_type, population."""
    areas = pd.DataFrame(
        conn.execute(
            sa.select(schema.areas.c.code, schema.areas.c.area_type).order_by(schema.areas.c.code)
        ).all(),
        columns=["code", "area_type"],
    )
    home_codes = list(home().areas)
    fixed = [*home_codes, ENGLAND, *areas.loc[areas["area_type"] == "region", "code"]]
    others = areas[areas["area_type"].isin(UPPER_TIER) & ~areas["code"].isin(fixed)]["code"]
    chosen = [*fixed, *others.head(max(1, round(OTHER_AUTHORITIES * scale)))]
    picked = areas.set_index("code").loc[chosen].reset_index()
    rng = np.random.default_rng(7)
    authority = rng.uniform(2_000, 25_000, len(picked))
    picked["population"] = [
        POPULATION.get(kind, size) for kind, size in zip(picked["area_type"], authority, strict=True)
    ]
    return picked


def store_indicators(conn: sa.Connection, scale: float) -> list[Indicator]:
    """The indicators given figures: those of the payment schemes first, then the catalogue in order, as
    many as ``scale`` asks for (at least 4)."""
    ind = schema.indicators
    scheme = {r[0] for r in conn.execute(sa.select(schema.scheme_kpis.c.indicator_code))}
    rows = conn.execute(
        sa.select(
            ind.c.code,
            ind.c.frequency,
            ind.c.year_type,
            ind.c.value_type,
            ind.c.multiplier,
            ind.c.sex,
            ind.c.age,
        ).order_by(ind.c.sort_order, ind.c.code)
    ).all()
    rows = sorted(rows, key=lambda r: r[0] not in scheme)
    wanted = max(4, round(INDICATORS * scale))
    return [
        Indicator(r[0], i, r[1], r[2], r[3], int(r[4] or 100), r[5], r[6])
        for i, r in enumerate(rows[:wanted])
    ]


def periods(indicator: Indicator) -> pd.DataFrame:
    """The indicator's periods from 2010 to 2025, oldest first: label, start, end, granularity, years (the
    period's midpoint in years from 2010, for the trend)."""
    rows = []
    if indicator.frequency == "quarterly":
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for month in (1, 4, 7, 10):
                start = dt.date(year, month, 1)
                end = dt.date(year + (month == 10), (month + 3) % 12 or 12, 1) - dt.timedelta(days=1)
                rows.append((financial_quarter_label(start), start, end, "quarter"))
    else:
        month = {"financial": 4, "academic": 9}.get(indicator.year_type, 1)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            start = dt.date(year, month, 1)
            end = dt.date(year + (month > 1), month, 1) - dt.timedelta(days=1)
            label = f"{year}/{(year + 1) % 100:02d}" if month > 1 else str(year)
            rows.append((label, start, end, "year"))
    frame = pd.DataFrame(rows, columns=["label", "start", "end", "granularity"])
    frame["years"] = [
        (s.toordinal() - dt.date(FIRST_YEAR, 1, 1).toordinal()) / 365.25 for s in frame["start"]
    ]
    return frame


def breakdowns(indicator: Indicator) -> pd.DataFrame:
    """The headline series first, then two by sex (or by age band when the headline is one sex), then, for
    yearly figures, five by deprivation quintile. Columns: sex, age, category_type, category, share (of the
    headline denominator), offset (added to the headline rate)."""
    rows = [(indicator.sex, indicator.age, "", "", 1.0, 0.0)]
    if indicator.sex == "Persons":
        rows += [("Male", indicator.age, "", "", 0.51, 0.02), ("Female", indicator.age, "", "", 0.49, -0.02)]
    else:
        rows += [
            (indicator.sex, "Under 20 yrs", "", "", 0.2, 0.04),
            (indicator.sex, "20+ yrs", "", "", 0.8, -0.01),
        ]
    if indicator.frequency != "quarterly":
        rows += [
            (indicator.sex, indicator.age, DEPRIVATION, name, 0.2, offset)
            for name, offset in zip(QUINTILES, (0.08, 0.04, 0.0, -0.03, -0.06), strict=True)
        ]
    return pd.DataFrame(rows, columns=["sex", "age", "category_type", "category", "share", "offset"])


# --- The figures ------------------------------------------------------------------------------------------


def _wilson(count: np.ndarray, denominator: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of a proportion, as fractions (the lower one at least 0: rounding can take it just
    below for a count of 0)."""
    p = count / denominator
    centre = (p + z * z / (2 * denominator)) / (1 + z * z / denominator)
    half = z * np.sqrt(p * (1 - p) / denominator + z * z / (4 * denominator**2)) / (1 + z * z / denominator)
    return np.maximum(centre - half, 0.0), centre + half


def _poisson(count: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximate limits of a count (the lower one at least 0: the approximation goes below it for a
    count of 1 at 99.8%, which the importer rightly refuses)."""
    lower = count * (1 - 1 / (9 * np.maximum(count, 1)) - z / (3 * np.sqrt(np.maximum(count, 1)))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * np.sqrt(count + 1))) ** 3
    return np.where(count > 0, np.maximum(lower, 0.0), 0.0), upper


def figures(indicator: Indicator, areas: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Every observation of ``indicator``: one row per area, period and breakdown, as positions into
    ``areas``, :func:`periods` and :func:`breakdowns` (area, period, breakdown) with count, denominator,
    value and limits. Seeded by ``seed`` and the indicator's position, so independent of the other
    indicators and of how many areas the scale gives (an area's figures depend on its position only)."""
    spans, groups = periods(indicator), breakdowns(indicator)
    n_areas, n_periods, n_groups = len(areas), len(spans), len(groups)
    rng = np.random.default_rng([seed, indicator.position])
    per_area = np.random.default_rng([seed, indicator.position, 1])
    level = per_area.uniform(0.15, 0.85, 4096)[:n_areas]
    slope = per_area.normal(0.0, 0.006, 4096)[:n_areas]
    area, period, group = (
        g.ravel()
        for g in np.meshgrid(np.arange(n_areas), np.arange(n_periods), np.arange(n_groups), indexing="ij")
    )
    years = spans["years"].to_numpy()[period]
    per_year = 4.0 if indicator.frequency == "quarterly" else 1.0
    noise = rng.normal(0.0, 0.02, area.size)
    share = groups["share"].to_numpy()[group]
    population = areas["population"].to_numpy()[area]
    denominator = np.maximum(np.rint(population * share / per_year * (1 + 0.1 * rng.random(area.size))), 20.0)
    if indicator.value_type == "proportion":
        rate = np.clip(
            level[area] + slope[area] * years + groups["offset"].to_numpy()[group] + noise, 0.01, 0.99
        )
    else:
        rate = np.clip((level[area] + slope[area] * years) * 0.02 + noise * 0.002, 0.0005, 0.2)
    count = np.rint(rate * denominator)
    frame = pd.DataFrame({"area": area, "period": period, "breakdown": group, "count": count})
    frame["denominator"] = denominator
    if indicator.value_type == "proportion":
        scale = float(indicator.multiplier)
        frame["value"] = count / denominator * scale
        for z, low, high in ((Z95, "lower95", "upper95"), (Z998, "lower998", "upper998")):
            lower, upper = _wilson(count, denominator, z)
            frame[low], frame[high] = lower * scale, upper * scale
    else:
        scale = float(indicator.multiplier) if indicator.value_type == "rate" else 1.0
        per = denominator if indicator.value_type == "rate" else 1.0
        frame["value"] = count / per * scale
        for z, low, high in ((Z95, "lower95", "upper95"), (Z998, "lower998", "upper998")):
            lower, upper = _poisson(count, z)
            frame[low], frame[high] = lower / per * scale, upper / per * scale
    return frame


def _dimension_frames(indicator: Indicator, areas: pd.DataFrame) -> dict[str, pd.DataFrame]:
    spans = periods(indicator).assign(position=lambda f: range(len(f)))
    groups = breakdowns(indicator).assign(position=lambda f: range(len(f)))
    return {
        "bench_areas": areas[["code"]].assign(position=range(len(areas))),
        "bench_periods": spans[["position", "label", "start", "end", "granularity"]],
        "bench_groups": groups[["position", "sex", "age", "category_type", "category"]],
    }


OBSERVATION_SELECT = f"""
SELECT '{{code}}' AS indicator_code, a.code AS area_code, p.start AS period_start, p."end" AS period_end,
       g.sex, g.age, g.category_type, g.category, p.label AS period_label, p.granularity,
       f.value, f.lower95, f.upper95, f.lower998, f.upper998, f.count, f.denominator,
       '' AS value_note, false AS provisional, '' AS published_comparison, '{BATCH_ID}' AS batch_id,
       NULL AS quality_note, 'published' AS limits_source
FROM bench_figures f
JOIN bench_areas a ON a.position = f.area
JOIN bench_periods p ON p.position = f.period
JOIN bench_groups g ON g.position = f.breakdown
"""
"""One indicator's observation rows, from its figures and dimension frames (registered by those names)."""


def _register(connection, indicator: Indicator, areas: pd.DataFrame, seed: int) -> int:
    frames = {"bench_figures": figures(indicator, areas, seed), **_dimension_frames(indicator, areas)}
    for name, frame in frames.items():
        connection.register(name, frame)
    return len(frames["bench_figures"])


def _columns() -> str:
    return ", ".join(f'"{c.name}"' for c in schema.observations.columns)


def _write_duckdb(engine: sa.Engine, indicators: list[Indicator], areas: pd.DataFrame, seed: int) -> int:
    """Insert every indicator's rows with ``INSERT ... SELECT`` from registered frames, in one transaction."""
    raw = engine.raw_connection()
    written = 0
    try:
        connection: Any = raw.driver_connection
        connection.execute("BEGIN TRANSACTION")
        for indicator in indicators:
            written += _register(connection, indicator, areas, seed)
            select = OBSERVATION_SELECT.replace("{code}", indicator.code)
            connection.execute(f"INSERT INTO observations ({_columns()}) {select}")
        connection.execute("COMMIT")
    finally:
        raw.close()
    return written


def _write_postgres(engine: sa.Engine, indicators: list[Indicator], areas: pd.DataFrame, seed: int) -> int:
    """Send every indicator's rows to ``COPY observations FROM STDIN`` as CSV made by an in-memory DuckDB."""
    maker = duckdb.connect()
    raw = engine.raw_connection()
    written = 0
    with tempfile.TemporaryDirectory() as folder:
        chunk = Path(folder) / "chunk.csv"
        try:
            driver: Any = raw.driver_connection
            cursor = driver.cursor()
            for indicator in indicators:
                written += _register(maker, indicator, areas, seed)
                select = OBSERVATION_SELECT.replace("{code}", indicator.code)
                maker.execute(f"COPY ({select}) TO '{chunk}' (FORMAT csv, HEADER false)")
                with (
                    cursor.copy(f"COPY observations ({_columns()}) FROM STDIN (FORMAT csv)") as copy,
                    chunk.open("rb") as source,
                ):
                    while block := source.read(1 << 20):
                        copy.write(block)
            raw.commit()
        finally:
            raw.close()
            maker.close()
    return written


def build_store(engine: sa.Engine, *, scale: float = 1.0, seed: int = 2026) -> dict:
    """Build the national store in ``engine``'s empty database (its tables are dropped first, so a second
    build gives the same store). Returns what was written and how long each step took, in seconds."""
    schema.metadata.drop_all(engine)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    seed_reference(engine)
    with engine.begin() as conn:
        _add_generated_indicators(conn, INDICATORS)
        areas = store_areas(conn, scale)
        chosen = store_indicators(conn, scale)
        rows = sum(len(periods(i)) * len(breakdowns(i)) for i in chosen) * len(areas)
        _add_batch(conn, rows)
    timings["reference_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    write = _write_duckdb if engine.dialect.name == "duckdb" else _write_postgres
    written = write(engine, chosen, areas, seed)
    timings["observations_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    with engine.begin() as conn:
        series_summary.refresh_all(conn)
    timings["summary_seconds"] = time.perf_counter() - start
    with engine.begin() as conn:
        catalogue = conn.execute(sa.select(sa.func.count()).select_from(schema.indicators)).scalar_one()
    return {
        "scale": scale,
        "seed": seed,
        "indicators": catalogue,
        "indicators_with_data": len(chosen),
        "areas": len(areas),
        "observations": written,
        "observations_per_second": written / max(timings["observations_seconds"], 1e-9),
        **timings,
        "area_codes": list(areas["code"]),
    }
