"""Everything the indicator page needs, read once per request through :mod:`dashboard.data_access`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import data_access
from dashboard.formatting import is_true
from dashboard.indicator.view import View, read_view
from data.areas import LOCAL_AREAS, region_of

SERIES_AREAS = data_access.INDICATOR_SERIES_AREAS


@dataclass
class Context:
    """One indicator, the view asked for, and the figures and scorecard record for it."""

    indicator: dict
    view: View
    names: dict[str, str]
    parents: dict[str, str]
    series: pd.DataFrame
    """The indicator's headline series for the local areas, England, the region and any areas the reader
    added to the trend chart."""
    row: data_access.ScorecardRow
    """The scorecard's record of this indicator for the area: every judgement the page shows."""
    targets: pd.DataFrame
    areas_with_data: list[str]

    @property
    def area(self) -> str:
        return self.view.area

    @property
    def area_name(self) -> str:
        return self.names.get(self.area, self.area)

    @property
    def has_data(self) -> bool:
        return self.area in self.areas_with_data

    @property
    def illustrative(self) -> bool:
        return is_true(self.indicator.get("illustrative"))

    def area_rows(self) -> pd.DataFrame:
        """The series rows of the area shown."""
        return self.series[self.series["area_code"] == self.area]


def indicator_record(code: str | None) -> dict | None:
    """The catalogue entry for ``code`` (None for no code or an unknown one)."""
    if not code:
        return None
    catalogue = data_access.catalogue()
    match = catalogue[catalogue["code"] == code]
    return None if match.empty else match.iloc[0].to_dict()


def _names_and_parents() -> tuple[dict[str, str], dict[str, str]]:
    areas = data_access.areas()
    names = dict(zip(areas["code"], areas["name"], strict=True))
    parents = {
        c: p for c, p in zip(areas["code"], areas["parent_code"], strict=True) if isinstance(p, str) and p
    }
    return names, parents


def _areas_with_data(series: pd.DataFrame) -> list[str]:
    held = set(series.loc[series["value"].notna(), "area_code"])
    return [code for code in LOCAL_AREAS if code in held]


def build_context(code: str, query: dict) -> Context | None:
    """Read what the page needs for indicator ``code`` and the view in ``query``; None for an unknown code
    (one the catalogue, or the scorecard built from it, does not hold)."""
    indicator = indicator_record(code)
    if indicator is None:
        return None
    names, parents = _names_and_parents()
    series = data_access.indicator_series(code, SERIES_AREAS)
    with_data = _areas_with_data(series)
    view = read_view(code, query, with_data, names, data_access.area_sets())
    # An area outside the home set, its own region, and the areas the reader added to the trend chart.
    wanted = (view.area, region_of(view.area), *(view.with_areas or ()))
    chosen = tuple(dict.fromkeys(c for c in wanted if c and c not in SERIES_AREAS))
    if chosen:
        series = pd.concat([series, data_access.indicator_series(code, chosen)], ignore_index=True)
        if view.area in chosen and view.area in set(series.loc[series["value"].notna(), "area_code"]):
            with_data.append(view.area)
    row = data_access.scorecard_row(view.area, code)
    if row is None:
        return None
    return Context(
        indicator=indicator,
        view=view,
        names=names,
        parents=parents,
        series=series,
        row=row,
        targets=data_access.current_targets(),
        areas_with_data=with_data,
    )


def nearest_area(ctx: Context) -> str | None:
    """The nearest area above the reader's with a figure (its county, the region, then England), as the
    scorecard names it."""
    held = set(ctx.series.loc[ctx.series["value"].notna(), "area_code"])
    seen, parent = {ctx.area}, ctx.parents.get(ctx.area)
    while parent and parent not in seen:
        if parent in held:
            return parent
        seen.add(parent)
        parent = ctx.parents.get(parent)
    return None
