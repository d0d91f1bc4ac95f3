"""The issue's naive page: the product's own page work, fed from the whole observations table held in pandas.

Issue 13 measured ``scorecard()`` against "a naive approach (the whole table in pandas, filtered per
request)". That approach does everything the page does (the same layout functions, the same statuses,
trends, SPC and charts), except that every read of the observations table is answered by filtering a
DataFrame holding the whole table, loaded once at start-up (:func:`bench.measure.load_observations`),
instead of by SQL. :func:`answered_from` does exactly that for the benchmark run only, by putting a pandas
stand-in in place of each function through which the pages read observations:

* :func:`data.queries.headline_series` (the indicator page's series and its one scorecard row, one
  indicator across all areas, the payment page's SPC series and reported figures) and
  :func:`data.series_summary.headline_series`, the same series read from the summary computed at import
  (the scorecard's and the local series): the naive approach has no summary, so both are the held table's
  headline rows, filtered per request; and :func:`data.series_summary.period_ends` (the dates the
  scorecard's filters offer), worked out per request from the same rows;
* :func:`data.queries.breakdown_series` (the indicator page's inequality breakdowns);
* :func:`data.queries.areas_with_figures` (the areas the indicator page offers to compare).

Each stand-in returns what the function it replaces returns (the same rows, order and column types), so
the page built is the same page; the tests check that, and that no SQL reading the observations table is
sent while the naive pages are built. The small tables (the catalogue, areas, targets, agreements) are read
by the page as usual; the stand-ins themselves need each indicator's headline sex and age and the list of
areas, which are read once with the table. The product is not changed: the stand-ins are in place only
inside the ``with`` block.

A page that starts reading something else built from the observations (a summary computed at import, say)
fails the tests (see :data:`STORE_TABLES`) until a stand-in here answers that read from the held table too,
by the page's own computation from the series: the naive approach computes everything per request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

import dash
import numpy as np
import pandas as pd
import sqlalchemy as sa

from bench.measure import Scenario, page_calls
from data import queries, series_summary

STORE_TABLES = frozenset(
    {
        "agreed_periods",
        "area_sets",
        "areas",
        "audit_log",
        "catalogue_edits",
        "commentary",
        "contract_extensions",
        "contracts",
        "framework_nodes",
        "frameworks",
        "import_batches",
        "import_files",
        "import_rollbacks",
        "indicator_aliases",
        "indicator_nodes",
        "indicators",
        "payment_schemes",
        "process_changes",
        "rejected_rows",
        "remedial_action_updates",
        "remedial_actions",
        "schema_version",
        "scheme_kpis",
        "targets",
        "users",
    }
)
"""The tables a naive page may still read by SQL: the store's small tables, every one but the observations
and their revisions. Named one by one, so that a page starting to read a new table (one built from the
observations, say) fails the benchmark's tests until the naive baseline answers that read too."""


def as_read(rows: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``rows`` of the held table with ``columns``, typed as a query's result is: text as Python strings
    (None where missing), dates as ``datetime.date`` (None where missing), numbers as they are."""
    found: dict[str, Any] = {}
    for name in columns:
        column = rows[name]
        missing = column.isna().to_numpy()
        if pd.api.types.is_datetime64_any_dtype(column):
            values = np.array([None if m else d for d, m in zip(column.dt.date, missing, strict=True)])
        elif isinstance(column.dtype, pd.CategoricalDtype) or column.dtype == object:
            values = column.to_numpy(dtype=object)
            values[missing] = None
        else:
            found[name] = column.to_numpy()
            continue
        found[name] = values if not missing.all() else np.full(len(rows), None, dtype=object)
    return pd.DataFrame(found, columns=list(columns))


def _is_headline(rows: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """Which of ``rows`` are their indicator's headline series: no breakdown category, and the sex and age
    the catalogue (``keys``: code, sex, age) names for it."""
    by_code = keys.set_index("code")
    codes = rows["indicator_code"].astype(object)
    return (
        (rows["category_type"].astype(object) == "").to_numpy()
        & (rows["sex"].astype(object) == codes.map(by_code["sex"])).to_numpy()
        & (rows["age"].astype(object) == codes.map(by_code["age"])).to_numpy()
    )


def _among(column: pd.Series, wanted: Sequence[str]) -> np.ndarray:
    """Which of ``column``'s values are among ``wanted``: by the category numbers when the column holds
    categories (as the held table's text columns do), much faster than comparing the text."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        numbers = column.cat.categories.get_indexer(pd.Index(list(wanted)))
        return np.isin(column.cat.codes.to_numpy(), numbers[numbers >= 0])
    return column.isin(list(wanted)).to_numpy()


class HeldTable:
    """The whole observations table in ``frame``, and the catalogue's headline keys, answering the reads
    the pages make of the observations by filtering the frame."""

    def __init__(self, frame: pd.DataFrame, engine: sa.Engine) -> None:
        self.frame = frame
        with engine.connect() as conn:
            self.keys = pd.DataFrame(
                conn.execute(sa.text("SELECT code, sex, age, multiplier FROM indicators")).all(),
                columns=["code", "sex", "age", "multiplier"],
            )
            self.areas = queries.list_areas(engine)

    def _filtered(
        self, areas: Sequence[str] | None = None, indicators: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """The held rows of ``indicators`` in ``areas`` (all when None): the indicators first, as fewer
        rows are left after them."""
        rows = self.frame
        for column, wanted in (("indicator_code", indicators), ("area_code", areas)):
            if wanted is not None:
                rows = rows[_among(rows[column], wanted)]
        return rows

    def _headline(self, rows: pd.DataFrame) -> pd.DataFrame:
        return rows[_is_headline(rows, self.keys)]

    def headline_series(
        self, _engine: Any, *, area_codes: list[str] | None = None, indicator_codes: list[str] | None = None
    ) -> pd.DataFrame:
        """:func:`data.queries.headline_series`, from the held table."""
        rows = self._headline(self._filtered(area_codes, indicator_codes))
        columns = (*queries.HEADLINE_COLUMNS, "quality_note", "limits_source")
        read = as_read(rows, columns)
        order = ["indicator_code", "area_code", "period_end", "period_start"]
        return read.sort_values(order, kind="stable").reset_index(drop=True)

    def period_ends(self, _engine: Any, area_codes: Sequence[str]) -> list[series_summary.PeriodEnds]:
        """:func:`data.series_summary.period_ends`, from the held table's headline rows with a value (a
        series with none is left out, where the summary gives it no period ends: the same answers)."""
        rows = self._headline(self._filtered(list(area_codes), None))
        read = as_read(
            rows[rows["value"].notna()], ("area_code", "indicator_code", "period_end", "granularity")
        )
        found: dict[tuple[str, str], dict[str, set[str]]] = {}
        for area, code, end, granularity in zip(
            *(read[c] for c in ("area_code", "indicator_code", "period_end", "granularity")), strict=True
        ):
            found.setdefault((area, code), {}).setdefault(granularity, set()).add(end.isoformat())
        return [
            series_summary.PeriodEnds(area, code, {g: sorted(days) for g, days in sorted(ends.items())})
            for (area, code), ends in found.items()
        ]

    def breakdown_series(
        self, _engine: Any, indicator_code: str, area_codes: list[str] | None = None
    ) -> pd.DataFrame:
        """:func:`data.queries.breakdown_series`, from the held table."""
        rows = self._filtered(area_codes, [indicator_code])
        rows = rows[~_is_headline(rows, self.keys)]
        read = as_read(rows, queries.BREAKDOWN_COLUMNS)
        order = ["area_code", "period_end", "period_start", "category_type", "category", "sex", "age"]
        return read.sort_values(order, kind="stable").reset_index(drop=True)

    def areas_with_figures(self, _engine: Any, indicator_code: str) -> pd.DataFrame:
        """:func:`data.queries.areas_with_figures`, from the held table."""
        rows = self._headline(self._filtered(None, [indicator_code]))
        counts = rows[rows["value"].notna()].groupby("area_code", observed=True).size()
        held = pd.DataFrame({"code": counts.index.astype(object), "figures": counts.to_numpy()})
        places = self.areas[["code", "name", "area_type", "parent_code"]]
        merged = places.merge(held, on="code").sort_values(["name", "code"], kind="stable")
        return merged.reset_index(drop=True)


@contextmanager
def answered_from(held: HeldTable) -> Iterator[None]:
    """Inside the block, the pages read the observations from ``held`` instead of the store."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(queries, "headline_series", held.headline_series))
        stack.enter_context(mock.patch.object(series_summary, "headline_series", held.headline_series))
        stack.enter_context(mock.patch.object(series_summary, "period_ends", held.period_ends))
        stack.enter_context(mock.patch.object(queries, "breakdown_series", held.breakdown_series))
        stack.enter_context(mock.patch.object(queries, "areas_with_figures", held.areas_with_figures))
        yield


def naive_page_calls(app: dash.Dash, scenario: Scenario, held: HeldTable) -> dict[str, Callable[[], Any]]:
    """Each page's server work (as :func:`bench.measure.page_calls`: the app's cache emptied first), with
    the observations read from the held table."""

    def naive(call: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with answered_from(held):
                return call()

        return run

    return {name: naive(call) for name, call in page_calls(app, scenario).items()}
