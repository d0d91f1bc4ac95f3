"""Each headline series held in one row, so a page reads one row per indicator instead of every figure.

A scorecard shows, for one area, every indicator's latest figure judged against its target, England, its
region and its own past (the recent trend and SPC need the earlier figures, and the sparklines draw them).
On a national store those figures are a few thousand among millions of observations, and finding them took
most of the page's time. ``series_summary`` holds each (area, indicator) headline series whole, as JSON, in
one row keyed by area first, so the page reads its area, England and the region with one indexed query.

Only figures are kept here, never a judgement: the methods in :mod:`metrics` take a few milliseconds on the
rows read (measured), while the targets, the catalogue's polarity and the process changes they depend on
are edited by users, so :mod:`data.scorecard` judges the figures when a page asks and an edit shows at once.

The rows are refreshed, in the same transaction, by everything that writes observations: an import
(:func:`refresh_series` for the series it touched), a rollback, redating, seeding, restoring a backup and
the benchmark's generator (:func:`refresh_all`). :func:`headline_series` returns exactly the frame
:func:`data.queries.headline_series` builds from the observations.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data import schema
from data.importers import bulk
from data.queries import HEADLINE_COLUMNS

summary, obs, ind = schema.series_summary, schema.observations, schema.indicators

KEY = ("indicator_code", "area_code")
FIGURE_COLUMNS = tuple(c for c in (*HEADLINE_COLUMNS, "quality_note", "limits_source") if c not in KEY)
"""What each figure of a series keeps: every column :func:`data.queries.headline_series` returns."""
DATES = ("period_start", "period_end")
FLOATS = ("value", "lower95", "upper95", "lower998", "upper998", "count", "denominator")
ORDER = ("area_code", "indicator_code", "period_end", "period_start")
"""The order summary rows are written in: an area's series together, so that DuckDB, reading one area's rows,
skips the stored figures of every other area's (measured on the national store: 11 ms to read the scorecard's
three areas from a freshly opened file, against 53 ms with each indicator's areas together)."""


def _headline_rows(conn: sa.Connection, keys: sa.Table | None) -> pd.DataFrame:
    """The headline figures of every series (``keys`` None) or of the (indicator, area) pairs in ``keys``,
    in :data:`ORDER`, oldest period first."""
    query = (
        sa.select(*(obs.c[c] for c in (*KEY, *FIGURE_COLUMNS)))
        .select_from(
            obs.join(
                ind,
                sa.and_(obs.c.indicator_code == ind.c.code, obs.c.sex == ind.c.sex, obs.c.age == ind.c.age),
            )
        )
        .where(obs.c.category_type == "")
    )
    if keys is not None:
        query = query.join(
            keys, sa.and_(keys.c.indicator_code == obs.c.indicator_code, keys.c.area_code == obs.c.area_code)
        )
    return bulk.read_frame(conn, query.order_by(*(obs.c[c] for c in ORDER)))


EPOCH = np.datetime64("1970-01-01", "D")
NUMBERS = (*DATES, *FLOATS)
"""The columns held as numbers, together, in this order (dates as whole days since 1970)."""
TEXTS = tuple(c for c in FIGURE_COLUMNS if c not in NUMBERS)


def _days(column: pd.Series) -> np.ndarray:
    """Dates (``datetime.date`` or timestamps) as whole days since 1970."""
    return (pd.to_datetime(column).to_numpy().astype("datetime64[D]") - EPOCH).astype("<f8")


def _text(values: list[Any]) -> Any:
    """A text (or true/false) column of one series: the one value when every figure has it, else the list."""
    first = values[0]
    return {"all": first} if all(v == first for v in values) else values


def _encoded(numbers: np.ndarray, texts: dict[str, list[Any]], start: int, end: int) -> str:
    """One series' figures (rows ``start`` to ``end``) as JSON: the number columns as the base64 of one
    block of little-endian doubles, a column of figures after another (decoded in one step), and each text
    column as a list or its one value."""
    held: dict[str, Any] = {"n": end - start}
    held["numbers"] = base64.b64encode(np.ascontiguousarray(numbers[:, start:end]).tobytes()).decode("ascii")
    for name in TEXTS:
        held[name] = _text(texts[name][start:end])
    return json.dumps(held, separators=(",", ":"), ensure_ascii=False)


def _rows(figures: pd.DataFrame) -> pd.DataFrame:
    """One summary row per series in ``figures`` (each series' figures together, oldest period first)."""
    if figures.empty:
        return pd.DataFrame(columns=[c.name for c in summary.columns])
    numbers = np.vstack(
        [
            _days(figures[name]) if name in DATES else figures[name].to_numpy(dtype="<f8", na_value=np.nan)
            for name in NUMBERS
        ]
    ).astype("<f8")
    texts = {name: [None if pd.isna(v) else v for v in figures[name].tolist()] for name in TEXTS}
    codes = figures["indicator_code"].to_numpy(object)
    areas = figures["area_code"].to_numpy(object)
    change = np.flatnonzero((codes[1:] != codes[:-1]) | (areas[1:] != areas[:-1])) + 1
    starts = np.concatenate([[0], change]).tolist()
    ends = np.concatenate([change, [len(figures)]]).tolist()
    has_value = figures["value"].notna().to_numpy()
    period_end = numbers[NUMBERS.index("period_end")]
    granularity = texts["granularity"]
    rows = []
    for start, end in zip(starts, ends, strict=True):
        with_value = start + np.flatnonzero(has_value[start:end])
        latest = EPOCH + int(period_end[with_value.max()]) if len(with_value) else None
        rows.append(
            (
                areas[start],
                codes[start],
                end - start,
                None if latest is None else latest.astype(dt.date),
                _encoded(numbers, texts, start, end),
                _period_ends(period_end[with_value], [granularity[i] for i in with_value]),
            )
        )
    return pd.DataFrame(
        rows, columns=["area_code", "indicator_code", "points", "latest_period_end", "figures", "period_ends"]
    )


def _period_ends(days: np.ndarray, granularities: list[str]) -> str:
    """The distinct ends of a series' periods with a value (``days`` since 1970, with each figure's
    granularity) as JSON {granularity: [ISO dates, oldest first]}."""
    by_granularity: dict[str, set[int]] = {}
    for day, granularity in zip(days.astype(int).tolist(), granularities, strict=True):
        by_granularity.setdefault(granularity, set()).add(day)
    held = {
        granularity: [(EPOCH + day).astype(dt.date).isoformat() for day in sorted(found)]
        for granularity, found in sorted(by_granularity.items())
    }
    return json.dumps(held, separators=(",", ":"))


def refresh_series(conn: sa.Connection, series: pd.DataFrame) -> int:
    """Rewrite the summary rows of the (indicator_code, area_code) pairs in ``series`` (repeats allowed)
    from the observations as they now stand, on ``conn`` inside its transaction; a pair with no headline
    figure left loses its row. Returns how many series now have a row."""
    pairs = series[list(KEY)].drop_duplicates()
    if pairs.empty:
        return 0
    keys = bulk.stage(conn, pairs, summary)
    try:
        conn.execute(
            summary.delete().where(
                sa.exists().where(
                    keys.c.indicator_code == summary.c.indicator_code, keys.c.area_code == summary.c.area_code
                )
            )
        )
        rows = _rows(_headline_rows(conn, keys))
    finally:
        bulk.drop(conn, keys)
    bulk.insert_frame(conn, summary, rows)
    return len(rows)


def refresh_indicators(conn: sa.Connection, indicator_codes: Iterable[str]) -> int:
    """Rewrite the summary rows of every series of ``indicator_codes`` (after a change that can move any of
    their figures, such as redating); returns how many series now have a row."""
    codes = sorted(set(indicator_codes))
    if not codes:
        return 0
    held = conn.execute(
        sa.select(obs.c.indicator_code, obs.c.area_code).distinct().where(obs.c.indicator_code.in_(codes))
    ).all()
    stale = pd.DataFrame(
        conn.execute(
            sa.select(summary.c.indicator_code, summary.c.area_code).where(
                summary.c.indicator_code.in_(codes)
            )
        ).all(),
        columns=list(KEY),
    )
    return refresh_series(conn, pd.concat([pd.DataFrame(held, columns=list(KEY)), stale]))


def refresh_all(conn: sa.Connection) -> int:
    """Rebuild the whole summary from the observations (after a restore, an upgrade or the benchmark's
    generator); returns how many series it holds."""
    conn.execute(summary.delete())
    rows = _rows(_headline_rows(conn, None))
    bulk.insert_frame(conn, summary, rows)
    return len(rows)


# --- Reading ------------------------------------------------------------------------------------------------


def _dates(days: np.ndarray) -> np.ndarray:
    """Whole days since 1970 as ``datetime.date`` objects (each distinct date made once)."""
    distinct, where = np.unique(days, return_inverse=True)
    made = np.empty(len(distinct), dtype=object)
    made[:] = [(EPOCH + int(day)).astype(dt.date) for day in distinct]
    return made[where]


def headline_series(
    engine: sa.Engine, *, area_codes: list[str] | None = None, indicator_codes: list[str] | None = None
) -> pd.DataFrame:
    """Headline observations for the given areas and indicators (all when None), oldest period first: the
    same frame as :func:`data.queries.headline_series`, read from the summary (one row per series)."""
    every = sa.select(summary.c.indicator_code, summary.c.area_code, summary.c.figures)
    if indicator_codes is not None:
        every = every.where(summary.c.indicator_code.in_(indicator_codes))
    wanted: sa.Select | sa.CompoundSelect = every
    if area_codes is not None and not area_codes:
        return series_frame([])
    if area_codes is not None:
        # One equality per area: DuckDB then reads the figures of that area's rows alone, where with a list
        # of areas it reads every row's figures before keeping those it wants (measured: a sixth the time).
        wanted = sa.union_all(
            *(every.where(summary.c.area_code == code) for code in dict.fromkeys(area_codes))
        )
    rows = wanted.subquery("wanted")
    query = sa.select(rows.c.indicator_code, rows.c.area_code, rows.c.figures).order_by(
        rows.c.indicator_code, rows.c.area_code
    )
    with engine.connect() as conn:
        held = conn.execute(query).tuples().all()
    return series_frame(held)


class PeriodEnds(NamedTuple):
    """The ends of the periods one series has a value for, by granularity, as ISO dates (which sort as the
    dates do), oldest first."""

    area_code: str
    indicator_code: str
    ends: dict[str, list[str]]


def period_ends(engine: sa.Engine, area_codes: Iterable[str]) -> list[PeriodEnds]:
    """The period ends of every headline series of the areas (a series with no value has none), read
    without the figures: what the pages offer as dates to show the figures at."""
    codes = list(dict.fromkeys(area_codes))
    if not codes:
        return []
    every = sa.select(summary.c.area_code, summary.c.indicator_code, summary.c.period_ends)
    # One equality per area, as in headline_series.
    query = sa.union_all(*(every.where(summary.c.area_code == code) for code in codes))
    with engine.connect() as conn:
        held = conn.execute(query).tuples().all()
    # One JSON text for every row: parsed in one call rather than one per row (a third of the time).
    parsed = json.loads("[" + ",".join(ends for _, _, ends in held) + "]")
    return [PeriodEnds(area, code, ends) for (area, code, _), ends in zip(held, parsed, strict=True)]


class HeldPeriods(NamedTuple):
    """What the headline series of some areas hold, by the ends of their periods with a value (ISO dates,
    which sort as the dates do): every such end, the ends of quarterly figures, the areas with any figure,
    and each indicator's earliest end. A few hundred values where :func:`period_ends` gives thousands of
    series (a page caches this: the series' ends took 10 ms to store in the cache and as long to read)."""

    ends: frozenset[str]
    quarter_ends: frozenset[str]
    areas: frozenset[str]
    first_ends: dict[str, str]

    def merged(self, other: HeldPeriods) -> HeldPeriods:
        """What these areas and ``other``'s hold together."""
        first = dict(self.first_ends)
        for code, end in other.first_ends.items():
            first[code] = min(end, first.get(code, end))
        return HeldPeriods(
            self.ends | other.ends, self.quarter_ends | other.quarter_ends, self.areas | other.areas, first
        )


def held_periods(engine: sa.Engine, area_codes: Iterable[str]) -> HeldPeriods:
    """:class:`HeldPeriods` of the areas' headline series, from :func:`period_ends`."""
    ends: set[str] = set()
    quarter_ends: set[str] = set()
    areas: set[str] = set()
    first: dict[str, str] = {}
    for series in period_ends(engine, area_codes):
        for granularity, days in series.ends.items():
            if not days:
                continue
            ends.update(days)
            if granularity == "quarter":
                quarter_ends.update(days)
            areas.add(series.area_code)
            code = series.indicator_code
            first[code] = min(days[0], first.get(code, days[0]))
    return HeldPeriods(frozenset(ends), frozenset(quarter_ends), frozenset(areas), first)


def series_frame(held: Iterable[tuple[str, str, str]]) -> pd.DataFrame:
    """The figures of summary rows given as (indicator_code, area_code, figures), in that order, as the
    frame :func:`data.queries.headline_series` returns (missing numbers NaN, or None in a column with no
    number at all, as a frame built from the rows holds them). Every row's JSON is parsed in one call and
    each column is made whole, rather than row by row."""
    ordered = [*HEADLINE_COLUMNS, "quality_note", "limits_source"]
    rows = list(held)
    if not rows:
        return pd.DataFrame([], columns=ordered)
    parsed = json.loads("[" + ",".join(text for _, _, text in rows) + "]")
    points = np.array([figures["n"] for figures in parsed], dtype=np.int64)
    numbers = np.concatenate(
        [
            np.frombuffer(binascii.a2b_base64(figures["numbers"]), dtype="<f8").reshape(-1, figures["n"])
            for figures in parsed
        ],
        axis=1,
    )
    columns: dict[str, Any] = {
        "indicator_code": np.repeat(_objects([code for code, _, _ in rows]), points),
        "area_code": np.repeat(_objects([area for _, area, _ in rows]), points),
    }
    for name in TEXTS:
        columns[name] = _text_column([figures[name] for figures in parsed], points)
    columns["provisional"] = columns["provisional"].astype(bool)
    for name, row in zip(NUMBERS, numbers, strict=True):
        if name in DATES:
            columns[name] = _dates(row.astype("<i4"))
        elif np.isnan(row).all():
            columns[name] = np.full(len(row), None, dtype=object)
        else:
            columns[name] = row
    # The arrays are made here for the frame alone: it holds them as they are rather than copying them.
    return pd.DataFrame(columns, columns=ordered, copy=False)


def _text_column(held: list[Any], points: np.ndarray) -> np.ndarray:
    """One text column of every series (each its one value, as ``{"all": value}``, or its list; see
    :func:`_text`) as one object array of ``points`` values per series."""
    if all(isinstance(value, dict) for value in held):
        return np.repeat(_objects([value["all"] for value in held]), points)
    return _objects(
        list(
            chain.from_iterable(
                [value["all"]] * count if isinstance(value, dict) else value
                for value, count in zip(held, points.tolist(), strict=True)
            )
        )
    )


def _objects(values: list[Any]) -> np.ndarray:
    """``values`` as a one-dimensional object array (text and true/false stay Python values)."""
    made = np.empty(len(values), dtype=object)
    made[:] = values
    return made
