"""The inequalities charts: an area's latest figures by deprivation quintile, sex or age, beside England's,
each group's bar with its 95% interval."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dashboard import colours
from dashboard.components.charts import plain
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import GRID_COLOUR, base_layout, floats, value_axis
from dashboard.components.charts.words import (
    in_sentence,
    lower_first,
    slug,
    source_line,
    subtitle,
    value_text,
)
from dashboard.formatting import number
from data.areas import ENGLAND

_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8}
_MIDDLE = ("average", "middle", "median")


def deprivation_key(label: str) -> tuple[int, int] | None:
    """Where a deprivation group sorts, most deprived first: (side, step). Fingertips names the groups
    "Most deprived decile (IMD2019)", "Second most deprived …", "Third more deprived …", "Fifth less deprived
    …", "Second least deprived …", "Least deprived …", and quintiles likewise ("Average deprived quintile" in
    the middle). None for a label that names no deprivation group."""
    text = re.sub(r"\(.*?\)", "", str(label)).strip().lower()
    if "deprived" not in text:
        return None
    words = text.split()
    step = _ORDINALS.get(words[0], 1)
    if words[0] in _MIDDLE:
        return 1, 0
    if "most" in words or "more" in words:
        return 0, step
    if "least" in words or "less" in words:
        return 2, -step
    return None


# --- The table ------------------------------------------------------------------------------------------


def _category_order(categories: Sequence[str]) -> list[str]:
    """Deprivation groups (quintiles or deciles) from most to least deprived, then any other groups
    alphabetically."""

    def rank(category: str) -> tuple[int, tuple[int, int], str]:
        key = deprivation_key(category)
        if key is not None:
            return 0, key, ""
        return 1, (0, 0), category.strip().lower()

    return sorted(dict.fromkeys(categories), key=rank)


def breakdown_groups(breakdowns: pd.DataFrame, indicator: Mapping) -> pd.DataFrame:
    """Breakdown rows with a ``kind`` (what the rows divide people by: "Deprivation quintile", "Sex" or
    "Age") and a ``group`` (the category, sex or age group)."""
    if breakdowns.empty:
        return breakdowns.assign(kind=pd.Series(dtype=object), group=pd.Series(dtype=object))
    by_category = breakdowns["category_type"].fillna("") != ""
    by_sex = ~by_category & (breakdowns["sex"] != indicator.get("sex"))
    kind = np.where(by_category, breakdowns["category_type"], np.where(by_sex, "Sex", "Age"))
    group = np.where(
        by_category, breakdowns["category"], np.where(by_sex, breakdowns["sex"], breakdowns["age"])
    )
    return breakdowns.assign(kind=kind, group=group)


def inequality_data(
    groups: pd.DataFrame, area_code: str, names: Mapping[str, str], kind: str
) -> tuple[pd.DataFrame, str]:
    """The latest period's figures for each group of ``kind``: the area's value (with 95% limits when there
    are any) and England's, groups in their natural order (most deprived first). Returns the table and the
    period."""
    part = groups[(groups["kind"] == kind) & groups["value"].notna()]
    area_rows = part[part["area_code"] == area_code]
    latest = area_rows.sort_values("period_end").iloc[-1]
    period_rows = part[
        (part["period_start"] == latest["period_start"]) & (part["period_end"] == latest["period_end"])
    ]
    order = _category_order(list(period_rows.loc[period_rows["area_code"] == area_code, "group"]))
    mine = period_rows[period_rows["area_code"] == area_code].set_index("group")
    england = period_rows[period_rows["area_code"] == ENGLAND].set_index("group")
    frame = pd.DataFrame(
        {"Group": order, names.get(area_code, area_code): [number(mine.loc[g, "value"]) for g in order]}
    )
    if mine[["lower95", "upper95"]].notna().all(axis=1).any():
        frame["Lower 95% limit"] = [number(mine.loc[g, "lower95"]) for g in order]
        frame["Upper 95% limit"] = [number(mine.loc[g, "upper95"]) for g in order]
    if len(england):
        frame["England"] = [number(england.loc[g, "value"]) if g in england.index else None for g in order]
    return frame, str(latest["period_label"])


# --- The figure -----------------------------------------------------------------------------------------


def _interval(frame: pd.DataFrame, values: list) -> dict:
    """The area's 95% intervals as error bars either side of each bar."""
    upper, lower = floats(frame["Upper 95% limit"]), floats(frame["Lower 95% limit"])
    return {
        "type": "data",
        "symmetric": False,
        "color": colours.TEXT,
        "thickness": 2,
        "width": 8,
        "array": [None if u is None or v is None else u - v for u, v in zip(upper, values, strict=True)],
        "arrayminus": [
            None if lo is None or v is None else v - lo for lo, v in zip(lower, values, strict=True)
        ],
    }


def inequality_figure(frame: pd.DataFrame, indicator: Mapping, area_name: str) -> dict:
    """Horizontal grouped bars: the area (dark blue) and England (grey) for each group, first group on top."""
    traces = []
    groups = list(frame["Group"])
    series = [(area_name, colours.OUR_AREA)] + ([("England", colours.THE_REST)] if "England" in frame else [])
    for column, colour in series:
        trace = {
            "type": "bar",
            "x": floats(frame[column]),
            "y": groups,
            "orientation": "h",
            "name": column,
            "marker": {"color": colour},
            "meta": slug(column),
            "hovertext": [
                f"<b>{g}</b><br>{column}: {value_text(v, indicator)}"
                for g, v in zip(groups, frame[column], strict=True)
            ],
            "hoverinfo": "text",
        }
        if column == area_name and "Lower 95% limit" in frame:
            trace["error_x"] = _interval(frame, floats(frame[column]))
        traces.append(trace)
    return plain.figure(
        traces,
        base_layout(
            height=max(280, 90 + 60 * len(groups)),
            barmode="group",
            bargap=0.25,
            bargroupgap=0.05,
            xaxis={
                **value_axis(indicator),
                "rangemode": "tozero",
                "showgrid": True,
                "gridcolor": GRID_COLOUR,
            },
            yaxis={
                "categoryorder": "array",
                "categoryarray": groups[::-1],
                "fixedrange": True,
                "showgrid": False,
                "title": {"text": ""},
                "ticks": "",
            },
        ),
    )


# --- The words ------------------------------------------------------------------------------------------


def _headline(values: list[tuple[str, float]], indicator: Mapping, area_name: str, period: str) -> str:
    """Where the figure was highest and lowest, or that it was the same in every group."""
    high = max(values, key=lambda item: item[1])
    low = min(values, key=lambda item: item[1])
    name = in_sentence(indicator.get("short_name", ""))
    if high[1] == low[1]:
        return f"In {area_name}, {name} was the same in every group in {period}"
    return (
        f"In {area_name}, {name} was highest in the {lower_first(high[0])} "
        f"({value_text(high[1], indicator)}) and lowest in the {lower_first(low[0])} "
        f"({value_text(low[1], indicator)}) in {period}"
    )


def inequality_chart(
    frame: pd.DataFrame, indicator: Mapping, area_name: str, kind: str, period: str, *, where: str
) -> Chart:
    """The area's figures by ``kind`` for ``period`` beside England's; ``frame`` is
    :func:`inequality_data`'s table."""
    values = [(g, v) for g, v in zip(frame["Group"], floats(frame[area_name]), strict=True) if v is not None]
    summary = (
        f"Bar chart of {indicator.get('short_name')} by {kind.lower()} in {period}: "
        + "; ".join(f"{g} {value_text(v, indicator)}" for g, v in values)
        + "."
    )
    if "England" in frame:
        summary += " England\u2019s figure for each group is shown beside it."
    return Chart(
        key=f"inequalities-{slug(kind)}",
        headline=_headline(values, indicator, area_name, period),
        subtitle=subtitle(indicator, f"{where}, by {kind.lower()}", [period]),
        source=source_line(indicator),
        summary=summary,
        figure=inequality_figure(frame, indicator, area_name),
        data=frame,
        caption=f"{indicator.get('short_name')} by {kind.lower()}, {area_name}, {period}",
        numeric=tuple(c for c in frame.columns if c != "Group"),
        filename=f"{indicator.get('code')}-{slug(area_name)}-{slug(kind)}.csv",
        period=period,
    )
