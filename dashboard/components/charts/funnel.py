"""The funnel plot: each compared area's figure against its denominator, with 95% and 99.8% control limits
around England (:mod:`metrics.funnel`), and the areas outside the limits listed in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import colours
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import (
    GRID_COLOUR,
    LIMIT_LINE,
    REFERENCE_LINE,
    base_layout,
    records,
)
from dashboard.components.charts.figure_parts import value_axis as value_axis_of
from dashboard.components.charts.words import in_sentence, slug, source_line, subtitle, value_text
from dashboard.formatting import count, number
from metrics import funnel

FUNNEL_TYPES = ("proportion", "rate")
IMPLIED = "Population implied by the rate"
"""The column holding where a standardised rate sits across the funnel: multiplier x count / rate."""
PLACES = {
    "high_998": "Outside the 99.8% limits (above)",
    "low_998": "Outside the 99.8% limits (below)",
    "high_95": "Between the 95% and 99.8% limits (above)",
    "low_95": "Between the 95% and 99.8% limits (below)",
    "within": "Within the 95% limits",
    "not assessed": "Not assessed",
}
"""Where an area lies, as the table and the lists say it."""
MARKERS = {
    "high_998": ("triangle-up", 17),
    "low_998": ("triangle-down", 17),
    "high_95": ("triangle-up-open", 15),
    "low_95": ("triangle-down-open", 15),
    "within": ("circle", 12),
}
"""Shape says where a point lies without colour: solid triangles outside the 99.8% limits (pointing the way
it lies), open triangles between the 95% and 99.8% limits, circles within."""


@dataclass(frozen=True)
class FunnelInput:
    """What a funnel needs: the areas' rows (area_code, value, count, denominator), England's average per
    unit, the multiplier (100 for percentages), whether the rates are standardised, and the period."""

    rows: pd.DataFrame
    average: float
    multiplier: float
    value_type: str
    standardised: bool
    period: str


def why_not(indicator: Mapping, rows: pd.DataFrame, england: pd.DataFrame) -> str | None:
    """Why there is no funnel plot for these figures, in words; None when there can be one."""
    value_type = indicator.get("value_type")
    if value_type not in FUNNEL_TYPES:
        return (
            "There is no funnel plot because these figures are counts, not percentages or rates: a funnel "
            "plot compares figures that do not depend on the size of each area."
        )
    counted = rows["count"].notna() & rows["denominator"].notna() & (rows["denominator"] > 0)
    if not counted.any():
        return (
            "There is no funnel plot because the counts and denominators behind these figures are not held, "
            "and a funnel plot needs each area's size."
        )
    if england.empty or number(england["value"].iloc[0]) is None:
        return "There is no funnel plot because there is no England figure for this period to compare with."
    return None


def _is_standardised(rows: pd.DataFrame, multiplier: float) -> bool:
    """Whether rates are standardised: the published rate is not count / denominator x multiplier (allowing
    for rounding to one decimal place)."""
    counted = rows[rows["count"].notna() & rows["denominator"].notna() & (rows["count"] > 0)]
    crude = counted["count"] / counted["denominator"] * multiplier
    return bool((abs(crude - counted["value"]) > np.maximum(0.051, 0.005 * crude)).any())


def funnel_input(indicator: Mapping, rows: pd.DataFrame, england: pd.DataFrame, period: str) -> FunnelInput:
    """The funnel's figures; call only when :func:`why_not` is None. England's average is its count over its
    denominator when both are held (proportions), else its figure over the multiplier."""
    multiplier = number(indicator.get("multiplier")) or (100.0 if indicator.get("unit") == "%" else 1.0)
    value_type = str(indicator.get("value_type"))
    first = england.iloc[0]
    people, size = number(first["count"]), number(first["denominator"])
    if value_type == "proportion" and people is not None and size:
        average = people / size
    else:
        average = float(first["value"]) / multiplier
    standardised = value_type == "rate" and _is_standardised(rows, multiplier)
    return FunnelInput(rows, average, multiplier, value_type, standardised, period)


def _sizes(given: FunnelInput) -> np.ndarray:
    """Each area's size on the x axis: its denominator, or for a standardised rate the population its count
    and rate imply."""
    rows = given.rows
    if given.value_type == "rate":
        return funnel.derived_denominators(
            rows["count"],
            rows["value"],
            rows["denominator"],
            given.multiplier,
            standardised=given.standardised,
        )
    return rows["denominator"].to_numpy(dtype=float, na_value=np.nan)


def funnel_data(given: FunnelInput, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per area, by where it lies (outside the 99.8% limits first) then name: Area, Value, Count,
    Denominator, for a standardised rate the population its count and rate imply (where it is placed), the
    four limits there, and where it lies in words; ``area_code`` and ``outcome`` are kept but not shown."""
    rows = given.rows
    sizes = _sizes(given)
    if given.value_type == "rate":
        outcomes = funnel.rate_outcomes(rows["count"], sizes, given.average, standardised=given.standardised)
        limits = funnel.rate_limits_at(sizes, given.average, given.multiplier)
    else:
        outcomes = funnel.proportion_outcomes(rows["count"], sizes, given.average)
        limits = funnel.proportion_limits(sizes, given.average, given.multiplier)
    frame = pd.DataFrame(
        {
            "Area": [names.get(c, c) for c in rows["area_code"]],
            "Value": [number(v) for v in rows["value"]],
            "Count": [number(v) for v in rows["count"]],
            "Denominator": [number(v) for v in rows["denominator"]],
            IMPLIED: [number(v) for v in sizes],
            "Lower 99.8% limit": limits.lower998,
            "Lower 95% limit": limits.lower95,
            "Upper 95% limit": limits.upper95,
            "Upper 99.8% limit": limits.upper998,
            "Compared with England": [PLACES[o] for o in outcomes],
            "area_code": list(rows["area_code"]),
            "outcome": outcomes,
        }
    )
    for column in ("Lower 99.8% limit", "Lower 95% limit", "Upper 95% limit", "Upper 99.8% limit"):
        frame[column] = [
            None if o == "not assessed" else number(v) for v, o in zip(frame[column], outcomes, strict=True)
        ]
    if not given.standardised:
        frame = frame.drop(columns=[IMPLIED])
    order = {
        key: i for i, key in enumerate(("high_998", "low_998", "high_95", "low_95", "within", "not assessed"))
    }
    frame = frame.assign(_order=[order[o] for o in outcomes]).sort_values(["_order", "Area"])
    return frame.drop(columns=["_order"]).reset_index(drop=True)


# --- The figure -----------------------------------------------------------------------------------------


def size_column(frame: pd.DataFrame) -> str:
    """The column that places each area across the funnel."""
    return IMPLIED if IMPLIED in frame else "Denominator"


def _curves(given: FunnelInput, sizes: np.ndarray) -> list[go.Scatter]:
    """England's figure as a solid line, the 95% limits dashed and the 99.8% limits dotted, each labelled
    once in the legend."""
    present = sizes[~np.isnan(sizes)]
    if given.value_type == "rate":
        limits = funnel.rate_limits_at(
            funnel.grid(*funnel.axis_range(present)), given.average, given.multiplier
        )
    else:
        limits = funnel.proportion_funnel(present, given.average, given.multiplier)
    xs = dict.fromkeys(("lower95", "upper95", "lower998", "upper998"), limits.x)
    right = _x_range(sizes)[1]
    traces = [
        go.Scatter(
            x=[_x_range(sizes)[0], right],
            y=[limits.baseline, limits.baseline],
            mode="lines",
            name="England",
            line={"color": REFERENCE_LINE, "width": 3},
            hoverinfo="skip",
            meta="funnel-england",
        )
    ]
    for level, dash, width in (("95", "dash", 2.5), ("998", "dot", 3)):
        for i, side in enumerate(("lower", "upper")):
            key = f"{side}{level}"
            x = np.asarray(xs[key], dtype=float)
            y = np.asarray(getattr(limits, key), dtype=float)
            keep = (x <= right) & ~np.isnan(y) & ~np.isnan(x) & (x > 0)
            traces.append(
                go.Scatter(
                    x=x[keep].tolist(),
                    y=y[keep].tolist(),
                    mode="lines",
                    name="95% limits" if level == "95" else "99.8% limits",
                    legendgroup=level,
                    showlegend=i == 0,
                    line={"color": LIMIT_LINE, "width": width, "dash": dash},
                    hoverinfo="skip",
                    meta=f"funnel-{key}",
                )
            )
    return traces


def _hover(row: dict, indicator: Mapping) -> str:
    share = f"{count(row['Count'] or 0)} of {count(row['Denominator'] or 0)}"
    if IMPLIED in row:
        share = f"{count(row['Count'] or 0)} events, population implied {count(row[IMPLIED] or 0)}"
    figure = value_text(row["Value"], indicator)
    return f"<b>{row['Area']}</b><br>{figure} ({share})<br>{row['Compared with England']}"


def _points(frame: pd.DataFrame, indicator: Mapping, our_area: str) -> list[go.Scatter]:
    """Each area as a point, its shape saying where it lies; the reader's area dark blue, the rest dark grey.
    The points carry no legend entry of their own: :func:`_shape_key` explains the shapes."""
    placed = frame[frame["outcome"] != "not assessed"]
    traces = []
    for ours in (False, True):
        part = placed[(placed["area_code"] == our_area) == ours]
        if part.empty:
            continue
        colour = colours.OUR_AREA if ours else colours.SECONDARY_TEXT
        traces.append(
            go.Scatter(
                x=part[size_column(frame)].tolist(),
                y=part["Value"].tolist(),
                mode="markers",
                marker={
                    "symbol": [MARKERS[o][0] for o in part["outcome"]],
                    "size": [MARKERS[o][1] for o in part["outcome"]],
                    "color": colour,
                    "opacity": 1,
                    "line": {"width": 2.5, "color": colour},
                },
                name=part["Area"].iloc[0] if ours else "Other areas",
                showlegend=False,
                hovertext=[_hover(r, indicator) for r in records(part)],
                hoverinfo="text",
                cliponaxis=False,
                meta="our-area" if ours else "other-areas",
            )
        )
    return traces


def _shape_key() -> list[go.Scatter]:
    """Legend entries for the points' shapes (the words, not the colour, say where an area lies)."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": symbol, "size": 14, "color": colours.SECONDARY_TEXT, "line": {"width": 2.5}},
            name=name,
            meta=f"key-{key}",
        )
        for key, symbol, name in (
            ("outside", "triangle-up", "Outside 99.8%"),
            ("between", "triangle-up-open", "Between 95% and 99.8%"),
            ("within", "circle", "Within 95%"),
        )
    ]


def point_labels(
    points: list[tuple[float, float, str]], x_span: float, y_span: float, *, width: float = 900
) -> list[dict]:
    """A name beside each point (x, y, name): to its right, or to its left where that would cover another
    point or label, or else to its right moved down until it is clear. Labels are taken as about 8 pixels a
    character wide and 7% of the value range tall, points as 20 pixels wide, on a plot ``width`` pixels
    wide."""
    per_pixel = (x_span or 1) / width
    marker = 10 * per_pixel
    gap = 0.07 * (y_span or 1)
    taken = [(x - marker, x + marker, y) for x, y, _ in points]  # left, right and middle of what is drawn

    def clear(left: float, right: float, y: float) -> bool:
        return all(not (left < b and a < right and abs(y - c) < gap) for a, b, c in taken)

    labels = []
    for x, y, name in sorted(points, key=lambda p: -p[1]):
        extent = (len(name) * 8 + 12) * per_pixel
        side, position = "right", y
        if not clear(x + marker, x + marker + extent, y):
            if clear(x - marker - extent, x - marker, y):
                side = "left"
            else:
                while not clear(x + marker, x + marker + extent, position):
                    position -= gap / 2
        if side == "right":
            taken.append((x + marker, x + marker + extent, position))
        else:
            taken.append((x - marker - extent, x - marker, position))
        labels.append(
            {
                "x": x,
                "y": position,
                "xref": "x",
                "yref": "y",
                "text": name,
                "showarrow": False,
                "xanchor": "left" if side == "right" else "right",
                "yanchor": "middle",
                "xshift": 12 if side == "right" else -12,
                "font": {"size": 15, "color": colours.TEXT},
                "bgcolor": "rgba(255, 255, 255, 0.85)",
            }
        )
    return labels


def funnel_figure(frame: pd.DataFrame, given: FunnelInput, indicator: Mapping, our_area: str) -> go.Figure:
    """The limits, England's line, then the areas on top, each named beside it."""
    sizes = frame[size_column(frame)].to_numpy(dtype=float, na_value=np.nan)
    figure = go.Figure([*_curves(given, sizes), *_points(frame, indicator, our_area), *_shape_key()])
    values = [v for v in frame["Value"] if v is not None] + [given.average * given.multiplier]
    limits = [
        v
        for c in ("Lower 99.8% limit", "Upper 99.8% limit")
        for v in frame[c]
        if v is not None and not pd.isna(v)
    ]
    low, high = min(values + limits), max(values + limits)
    pad = (high - low) * 0.15 or 1
    left, right = _x_range(sizes)
    placed = frame[frame["outcome"] != "not assessed"]
    labels = point_labels(
        list(zip(placed[size_column(frame)], placed["Value"], placed["Area"], strict=True)),
        right - left,
        high - low,
    )
    size_title = size_axis_title(indicator, standardised=given.standardised)
    figure.update_layout(
        **base_layout(
            hovermode="closest",
            margin={"l": 16, "r": 170, "t": 72, "b": 16},
            annotations=labels,
            xaxis={
                "title": {"text": size_title},
                "range": [left, right],
                "fixedrange": True,
                "showgrid": True,
                "gridcolor": GRID_COLOUR,
                "separatethousands": True,
            },
            yaxis={**value_axis_of(indicator), "range": [max(0.0, low - pad), high + pad]},
        )
    )
    return figure


def size_axis_title(indicator: Mapping, *, standardised: bool) -> str:
    """What the x axis counts: the indicator's denominator as the catalogue defines it ("Number of infants
    due a 6 to 8 week review"), or for a standardised rate the population its count and rate imply."""
    if standardised:
        return "Population implied by the count and rate"
    definition = str(indicator.get("denominator_definition") or "").strip()
    return definition if definition and len(definition) <= 80 else "Denominator"


def _x_range(sizes: np.ndarray) -> tuple[float, float]:
    """The sizes the funnel is drawn over (:func:`metrics.funnel.axis_range`), a little wider on the right."""
    present = sizes[~np.isnan(sizes)]
    minimum, maximum = funnel.axis_range(present)
    return minimum, max(maximum, float(present.max()) * 1.05)


# --- The words ------------------------------------------------------------------------------------------


def place_lists(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The areas in each band: 'outside' (beyond the 99.8% limits), 'between' (between the 95% and 99.8%
    limits), 'within' and 'not assessed'; above or below in brackets. ``frame`` is the funnel's table (its
    "Compared with England" words say where each area lies)."""
    keys = {words: key for key, words in PLACES.items()}
    lists: dict[str, list[str]] = {"outside": [], "between": [], "within": [], "not assessed": []}
    for row in records(frame):
        outcome = keys[row["Compared with England"]]
        side = " (above)" if outcome.startswith("high") else " (below)"
        if outcome.endswith("998"):
            lists["outside"].append(row["Area"] + side)
        elif outcome.endswith("95"):
            lists["between"].append(row["Area"] + side)
        else:
            lists[outcome].append(row["Area"])
    return lists


def funnel_headline(frame: pd.DataFrame, indicator: Mapping, our_area: str, period: str) -> str:
    """Where the reader's area lies, then how many areas are outside the 99.8% limits."""
    name = in_sentence(indicator.get("short_name", ""))
    ours = frame[frame["area_code"] == our_area]
    outside = int(frame["outcome"].str.endswith("998").sum())
    places = {
        "high_998": "is above the 99.8% limits around England",
        "low_998": "is below the 99.8% limits around England",
        "high_95": "is between the 95% and 99.8% limits above England",
        "low_95": "is between the 95% and 99.8% limits below England",
        "within": "is within the 95% limits around England",
        "not assessed": "is not placed on the funnel",
    }
    total = f"{outside} of {len(frame)} areas {'is' if outside == 1 else 'are'} outside the 99.8% limits"
    if ours.empty:
        return f"For {name} in {period}, {total}"
    return f"{ours['Area'].iloc[0]} {places[ours['outcome'].iloc[0]]} for {name} in {period}; {total}"


def _summary(frame: pd.DataFrame, indicator: Mapping, given: FunnelInput) -> str:
    lists = place_lists(frame)
    england = value_text(given.average * given.multiplier, indicator)
    text = (
        f"Funnel plot of {indicator.get('short_name')} in {given.period} for {len(frame)} areas, each area's "
        f"figure against its size, with limits around England's {england}. "
    )
    for key, words in (
        ("outside", "Outside the 99.8% limits"),
        ("between", "Between the 95% and 99.8% limits"),
        ("within", "Within the 95% limits"),
        ("not assessed", "Not assessed"),
    ):
        if lists[key]:
            text += f"{words}: {', '.join(lists[key])}. "
    return text + "The figures are in the table below the chart."


def funnel_chart(
    frame: pd.DataFrame, given: FunnelInput, indicator: Mapping, our_area: str, *, where: str
) -> Chart:
    """The funnel plot and its words; ``frame`` is :func:`funnel_data`'s table."""
    public = frame.drop(columns=["area_code", "outcome"])
    numeric = tuple(c for c in public.columns if c not in ("Area", "Compared with England"))
    return Chart(
        key="funnel",
        headline=funnel_headline(frame, indicator, our_area, given.period),
        subtitle=subtitle(indicator, where, [given.period]),
        source=source_line(indicator) + " Method: Public Health England, funnel plots for small area data.",
        summary=_summary(frame, indicator, given),
        figure=funnel_figure(frame, given, indicator, our_area),
        data=public,
        caption=f"{indicator.get('short_name')} in {given.period}: each area against England's funnel",
        numeric=numeric,
        filename=f"{indicator.get('code')}-funnel-{slug(given.period)}.csv",
    )
