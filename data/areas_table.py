"""The areas table ("tartan rug"): every indicator of a framework for every home area, the region and
England.

One tidy row per indicator and area, from each area's scorecard records
(:func:`data.scorecard.scorecard_rows`), so each figure and its comparison with England are exactly those its
own scorecard shows. The page draws it as a grid (indicators down, areas across); the downloads write it as
it is, a tidy table, through :mod:`data.exports`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from data.scorecard_row import ScorecardRow
from data.scorecard_views import Domain

COLUMNS = (
    "domain",
    "indicator_code",
    "indicator",
    "unit",
    "area_code",
    "area",
    "period",
    "value",
    "lower95",
    "upper95",
    "comparison",
)
COMPARISON_WORDS = {
    "better": "Better than England",
    "similar": "Similar to England",
    "worse": "Worse than England",
    "higher": "Higher than England",
    "lower": "Lower than England",
    "not compared": "Not compared",
}
EXPORT_HEADINGS = {
    "domain": "Domain",
    "indicator_code": "Indicator code",
    "indicator": "Indicator",
    "unit": "Unit",
    "area_code": "Area code",
    "area": "Area",
    "period": "Period",
    "value": "Value",
    "lower95": "Lower 95% limit",
    "upper95": "Upper 95% limit",
    "comparison": "Compared with England",
}


def areas_table(
    rows_by_area: Mapping[str, Sequence[ScorecardRow]],
    areas: Sequence[tuple[str, str]],
    domains: Sequence[Domain],
    benchmark: str,
) -> pd.DataFrame:
    """One row per indicator (in domain order, each once, under the first domain that lists it) and area
    (in ``areas`` order: (code, name)), with the area's latest figure and its comparison with England
    (``comparison`` is a key of :data:`COMPARISON_WORDS`, blank for the ``benchmark`` area itself and
    where the area has no figure)."""
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    by_area = {code: {row.indicator_code: row for row in rows_by_area.get(code, ())} for code, _ in areas}
    for domain in domains:
        for code in domain.indicators:
            if code in seen:
                continue
            seen.add(code)
            for area_code, area_name in areas:
                row = by_area[area_code].get(code)
                if row is None:
                    continue
                has = row.has_data
                records.append(
                    {
                        "domain": domain.title,
                        "indicator_code": code,
                        "indicator": row.short_name,
                        "unit": row.unit,
                        "area_code": area_code,
                        "area": area_name,
                        "period": row.period_label if has else None,
                        "value": row.value if has else None,
                        "lower95": row.lower95 if has else None,
                        "upper95": row.upper95 if has else None,
                        "comparison": row.benchmark if has and area_code != benchmark else "",
                    }
                )
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


def for_export(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the downloads write it: readable headings and the comparison in words."""
    return table.assign(comparison=table["comparison"].map(lambda key: COMPARISON_WORDS.get(key, ""))).rename(
        columns=EXPORT_HEADINGS
    )
