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
    Denominator (for a standardised rate, the population its count and rate imply), the four limits at
    that denominator, and where it lies in words; ``area_code`` and ``outcome`` are kept but not shown."""
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
            "Denominator": [number(v) for v in sizes],
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
    order = {
        key: i for i, key in enumerate(("high_998", "low_998", "high_95", "low_95", "within", "not assessed"))
    }
    frame = frame.assign(_order=[order[o] for o in outcomes]).sort_values(["_order", "Area"])
    return frame.drop(columns=["_order"]).reset_index(drop=True)


# --- The figure -----------------------------------------------------------------------------------------


def _curves(given: FunnelInput, sizes: np.ndarray) -> list[go.Scatter]:
    """England's figure as a solid line, the 95% limits dashed and the 99.8% limits dotted, each labelled
    once in the legend."""
    present = sizes[~np.isnan(sizes)]
    if given.value_type == "rate":
        limits = funnel.rate_funnel(present, given.average, given.multiplier)
        xs = {
            "lower95": limits.x_lower95,
            "upper95": limits.x_upper95,
            "lower998": limits.x_lower998,
            "upper998": limits.x_upper998,
        }
    else:
        limits = funnel.proportion_funnel(present, given.average, given.multiplier)
        xs = dict.fromkeys(("lower95", "upper95", "lower998", "upper998"), limits.x)
    right = float(max(present.max() * 1.08, 1))
    traces = [
        go.Scatter(
            x=[0, right],
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


def _points(frame: pd.DataFrame, indicator: Mapping, our_area: str) -> list[go.Scatter]:
    """Each area as a point, its shape saying where it lies; the reader's area dark blue, the rest dark grey;
    every point named beside it."""
    size = "Denominator"
    placed = frame[frame["outcome"] != "not assessed"]
    traces = []
    for ours in (False, True):
        part = placed[(placed["area_code"] == our_area) == ours]
        if part.empty:
            continue
        colour = colours.OUR_AREA if ours else colours.SECONDARY_TEXT
        traces.append(
            go.Scatter(
                x=part[size].tolist(),
                y=part["Value"].tolist(),
                mode="markers+text",
                text=part["Area"].tolist(),
                textposition="middle right",
                textfont={"size": 15, "color": colours.TEXT},
                marker={
                    "symbol": [MARKERS[o][0] for o in part["outcome"]],
                    "size": [MARKERS[o][1] for o in part["outcome"]],
                    "color": colour,
                    "line": {"width": 2.5, "color": colour},
                },
                name=part["Area"].iloc[0] if ours else "Other areas",
                hovertext=[
                    f"<b>{r['Area']}</b><br>{value_text(r['Value'], indicator)} "
                    f"({count(r['Count'] or 0)} of {count(r[size] or 0)})<br>{r['Compared with England']}"
                    for r in records(part)
                ],
                hoverinfo="text",
                cliponaxis=False,
                meta="our-area" if ours else "other-areas",
            )
        )
    return traces


def funnel_figure(frame: pd.DataFrame, given: FunnelInput, indicator: Mapping, our_area: str) -> go.Figure:
    """The limits, England's line, then the areas on top."""
    sizes = frame["Denominator"].to_numpy(dtype=float, na_value=np.nan)
    figure = go.Figure([*_curves(given, sizes), *_points(frame, indicator, our_area)])
    values = [v for v in frame["Value"] if v is not None] + [given.average * given.multiplier]
    limits = [
        v
        for c in ("Lower 99.8% limit", "Upper 99.8% limit")
        for v in frame[c]
        if v is not None and not pd.isna(v)
    ]
    low, high = min(values + limits), max(values + limits)
    pad = (high - low) * 0.15 or 1
    denominator = str(indicator.get("denominator") or "Denominator")
    size_title = "Population implied by the rate" if given.standardised else denominator
    figure.update_layout(
        **base_layout(
            hovermode="closest",
            margin={"l": 16, "r": 150, "t": 72, "b": 16},
            xaxis={
                "title": {"text": size_title},
                "rangemode": "tozero",
                "range": [0, float(np.nanmax(sizes)) * 1.08],
                "fixedrange": True,
                "showgrid": True,
                "gridcolor": GRID_COLOUR,
                "separatethousands": True,
            },
            yaxis={**value_axis_of(indicator), "range": [max(0.0, low - pad), high + pad]},
        )
    )
    return figure


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
