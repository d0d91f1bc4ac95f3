"""The compare-areas chart: each local area's latest figure as a bar with its 95% interval, the reader's
area picked out, England as a dashed line, and each area's comparison with England in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard import colours
from dashboard.components import status
from dashboard.components.charts import plain
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import GRID_COLOUR, REFERENCE_LINE, base_layout, floats, records
from dashboard.components.charts.figure_parts import value_axis as value_axis_of
from dashboard.components.charts.words import (
    display_name,
    in_sentence,
    ordinal,
    slug,
    source_line,
    subtitle,
    value_text,
)
from dashboard.formatting import number
from data.areas import ENGLAND
from metrics import compare

BASIS_WORDS = {
    "computed": "Tested: England against this area\u2019s 95% interval",
    "published": "As published by OHID",
}


# --- The table ------------------------------------------------------------------------------------------


def comparison_key(row: Mapping, england: float | None, polarity: str, value_type: str) -> tuple[str, str]:
    """How one area compares with England, and on what basis: ('worse', 'computed') from its 95% interval,
    ('better', 'published') as the source published it, or ('not compared', '')."""
    if value_type == "count" or number(row.get("value")) is None:
        return "not compared", ""
    lower, upper = number(row.get("lower95")), number(row.get("upper95"))
    if england is not None and lower is not None and upper is not None and lower <= upper:
        return compare.benchmark(lower=lower, upper=upper, benchmark=england, polarity=polarity), "computed"
    published = str(row.get("published_comparison") or "").strip().lower()
    if published in status.BENCHMARK_KEYS and published != "not compared":
        return published, "published"
    return "not compared", ""


def _england_record(england: float) -> dict:
    return {
        "area_code": ENGLAND,
        "Area": "England",
        "Value": england,
        "Lower 95% limit": None,
        "Upper 95% limit": None,
        "Compared with England": "Benchmark",
        "Basis of comparison": "",
        "On the map": "No",
        "comparison": "benchmark",
    }


def compare_data(
    rows: pd.DataFrame,
    indicator: Mapping,
    names: Mapping[str, str],
    *,
    england: float | None,
    on_map: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per area (``rows``: each area's figure for one period), highest value first, then England.

    Columns: Area, Value, the 95% limits (when any area has them), the comparison with England in words and
    its basis, whether the area is on the map, and a code column (``area_code``, not shown).
    """
    polarity, value_type = indicator.get("polarity", "no_judgement"), indicator.get("value_type", "")
    found = []
    for row in records(rows):
        key, basis = comparison_key(row, england, polarity, value_type)
        found.append(
            {
                "area_code": row["area_code"],
                "Area": names.get(row["area_code"], row["area_code"]),
                "Value": number(row["value"]),
                "Lower 95% limit": number(row.get("lower95")),
                "Upper 95% limit": number(row.get("upper95")),
                "Compared with England": status.benchmark(key).words,
                "Basis of comparison": BASIS_WORDS.get(basis, ""),
                "On the map": "Yes" if row["area_code"] in on_map else "No",
                "comparison": key,
            }
        )
    if not found:
        return pd.DataFrame.from_records(found)
    found.sort(key=lambda r: (r["Value"] is None, -(r["Value"] or 0), r["Area"]))
    if england is not None:
        found.append(_england_record(england))
    frame = pd.DataFrame.from_records(found)
    if frame[["Lower 95% limit", "Upper 95% limit"]].isna().all().all():
        frame = frame.drop(columns=["Lower 95% limit", "Upper 95% limit"])
    if not frame["Basis of comparison"].astype(bool).any():
        frame = frame.drop(columns=["Basis of comparison"])
    return frame


# --- The figure -----------------------------------------------------------------------------------------


def _whiskers(values: list, lower: list, upper: list) -> dict:
    """A bar's 95% interval as error bars either side of its value."""
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


def _bars(areas: pd.DataFrame, labels: list[str], indicator: Mapping, our_area: str, our_name: str) -> list:
    """The reader's area in dark blue and the rest in grey, as two bar series."""
    ours = (areas["area_code"] == our_area).to_list()
    traces = []
    for chosen, name, colour in (
        (ours, our_name, colours.OUR_AREA),
        ([not o for o in ours], "Other areas", colours.THE_REST),
    ):
        idx = [i for i, flag in enumerate(chosen) if flag]
        if not idx:
            continue
        part = areas.iloc[idx]
        values = floats(part["Value"])
        trace = {
            "type": "bar",
            "x": values,
            "y": [labels[i] for i in idx],
            "orientation": "h",
            "name": name,
            "marker": {"color": colour},
            "meta": "our-area" if colour == colours.OUR_AREA else "other-areas",
            "hovertext": [
                f"<b>{a}</b><br>{value_text(v, indicator)}<br>{w}"
                for a, v, w in zip(
                    part["Area"].tolist(), part["Value"], part["Compared with England"], strict=True
                )
            ],
            "hoverinfo": "text",
        }
        if "Lower 95% limit" in areas:
            trace["error_x"] = _whiskers(
                values, floats(part["Lower 95% limit"]), floats(part["Upper 95% limit"])
            )
        traces.append(trace)
    return traces


def _england_line(england: float, indicator: Mapping) -> tuple[dict, dict]:
    """England as a dashed vertical line (a shape, so it spans the whole chart) and an empty trace that
    names it in the legend."""
    line = {"color": REFERENCE_LINE, "width": 3, "dash": "dash"}
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": england, "x1": england, "y0": 0, "y1": 1}
    legend = plain.trace(
        "scatter",
        x=[None],
        y=[None],
        mode="lines",
        name=f"England {value_text(england, indicator)}",
        line=line,
        meta="england",
    )
    return {**shape, "line": line}, legend


def compare_figure(
    frame: pd.DataFrame, indicator: Mapping, our_area: str, our_name: str, england: float | None
) -> dict:
    """Horizontal bars, highest at the top, each labelled with its value and whiskered with its interval;
    England (when compared) as a dashed line."""
    areas = frame[frame["comparison"] != "benchmark"]
    labels = [
        f"{a}  {value_text(v, indicator)}"
        for a, v in zip(areas["Area"].tolist(), areas["Value"], strict=True)
    ]
    traces = _bars(areas, labels, indicator, our_area, our_name)
    uppers = floats(areas["Upper 95% limit"]) if "Lower 95% limit" in areas else []
    highest = max(
        [v for v in floats(areas["Value"]) if v is not None]
        + [england or 0]
        + [u for u in uppers if u is not None]
    )
    shapes = []
    if england is not None:
        shape, legend = _england_line(england, indicator)
        shapes.append(shape)
        traces.append(legend)
    axis = {"range": [0, highest * 1.1 if highest > 0 else 1], "showgrid": True, "gridcolor": GRID_COLOUR}
    return plain.figure(
        traces,
        base_layout(
            height=max(260, 70 + 52 * len(areas)),
            barmode="overlay",
            hovermode="closest",
            shapes=shapes,
            annotations=[],
            margin={"l": 16, "r": 24, "t": 72, "b": 16},
            xaxis={**value_axis_of(indicator), **axis},
            yaxis={
                "categoryorder": "array",
                "categoryarray": labels[::-1],
                "fixedrange": True,
                "showgrid": False,
                "title": {"text": ""},
                "ticks": "",
            },
        ),
    )


# --- The words ------------------------------------------------------------------------------------------


def _comparison_counts(frame: pd.DataFrame) -> str:
    """ "both areas are worse than England", "of 6 areas, 4 are better than England and 2 similar"."""
    areas = frame[frame["comparison"] != "benchmark"]
    counts = areas["comparison"].value_counts()
    words = {"similar": "similar to England", "not compared": "not compared with England"}
    parts = [
        (int(counts[key]), words.get(key, f"{key} than England"))
        for key in ("better", "similar", "worse", "higher", "lower", "not compared")
        if counts.get(key)
    ]
    if not parts:
        return ""
    if len(parts) == 1:
        everyone = "both areas are" if len(areas) == 2 else f"all {len(areas)} areas are"
        return f"{everyone} {parts[0][1]}"
    listed = [f"{n} {w}" for n, w in parts]
    listed[0] = f"{parts[0][0]} are {parts[0][1]}" if parts[0][0] > 1 else f"1 is {parts[0][1]}"
    return f"of {len(areas)} areas, " + ", ".join(listed[:-1]) + " and " + listed[-1]


def _ranking_headline(areas: pd.DataFrame, indicator: Mapping, our_area: str, name: str, period: str) -> str:
    """A headline when nothing could be compared with England: where the reader's area ranks."""
    ranked = areas[areas["Value"].notna()].reset_index(drop=True)
    if len(ranked) == 2:
        (a, b), (va, vb) = tuple(ranked["Area"]), tuple(ranked["Value"])
        if value_text(va, indicator) == value_text(vb, indicator):
            return f"{a} and {b} had the same figure for {name} in {period} ({value_text(va, indicator)})"
        return (
            f"{a} ({value_text(va, indicator)}) was higher than {b} ({value_text(vb, indicator)}) "
            f"for {name} in {period}"
        )
    mine = ranked.index[ranked["area_code"] == our_area]
    if len(mine) and len(ranked) > 2:
        position = int(mine[0]) + 1
        place = {1: "the highest", len(ranked): "the lowest"}.get(
            position, f"the {ordinal(position)} highest"
        )
        area = ranked.loc[mine[0], "Area"]
        return f"{area} had {place} figure of {len(ranked)} areas for {name} in {period}"
    return f"{display_name(indicator.get('short_name', ''))} in {period}, by area"


def compare_headline(
    frame: pd.DataFrame, indicator: Mapping, our_area: str, our_name: str, period: str
) -> str:
    """How the reader's area compares with England, then how all the areas do; or, when none could be
    compared, where the reader's area ranks."""
    areas = frame[frame["comparison"] != "benchmark"]
    ours = areas[areas["area_code"] == our_area]
    name = in_sentence(indicator.get("short_name", ""))
    if (areas["comparison"] == "not compared").all():
        return _ranking_headline(areas, indicator, our_area, name, period)
    if not len(ours):
        headline = f"{display_name(indicator.get('short_name', ''))} in {period}, by area"
    elif ours["comparison"].iloc[0] == "not compared":
        headline = f"{our_name} is not compared with England for {name} in {period}"
    else:
        words = ours["Compared with England"].iloc[0]
        headline = f"{our_name} is {words[0].lower()}{words[1:]} for {name} in {period}"
    counts = _comparison_counts(frame)
    if counts and len(areas) > 1:
        headline += f"; {counts}"
    return headline


def _compare_summary(frame: pd.DataFrame, indicator: Mapping, period: str, england: float | None) -> str:
    areas = frame[frame["comparison"] != "benchmark"]
    text = (
        f"Bar chart of {indicator.get('short_name')} in {period} for {len(areas)} areas, highest first: "
        + "; ".join(
            f"{a} {value_text(v, indicator)}, {w.lower()}"
            for a, v, w in zip(
                areas["Area"].tolist(), areas["Value"], areas["Compared with England"], strict=True
            )
        )
        + "."
    )
    if england is not None:
        text += f" England {value_text(england, indicator)} is shown as a dashed line."
    return text


def compare_chart(
    frame: pd.DataFrame,
    indicator: Mapping,
    our_area: str,
    our_name: str,
    *,
    period: str,
    england: float | None,
    where: str,
) -> Chart:
    """Horizontal bars, highest at the top, each with its 95% interval as whiskers; the reader's area dark
    blue and the rest grey; England as a dashed vertical line. ``frame`` is :func:`compare_data`'s table."""
    public = frame.drop(columns=["area_code", "comparison"])
    return Chart(
        key="compare",
        headline=compare_headline(frame, indicator, our_area, our_name, period),
        subtitle=subtitle(indicator, where, [period]),
        source=source_line(indicator, boundaries=True),
        summary=_compare_summary(frame, indicator, period, england),
        figure=compare_figure(frame, indicator, our_area, our_name, england),
        data=public,
        caption=f"{indicator.get('short_name')} in {period}, by area",
        numeric=tuple(c for c in ("Value", "Lower 95% limit", "Upper 95% limit") if c in public),
        filename=f"{indicator.get('code')}-compare-areas-{slug(period)}.csv",
        period=period,
    )
