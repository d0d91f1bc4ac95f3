"""The trend chart for several areas: the reader's area and the areas they added (its county, the region,
England, any other), one line each, told apart without colour by the line's dash, its marker's shape and a
label at its end; each with its 95% interval on demand; the table and the CSV one row per area and period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from dashboard import colours
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import (
    floats,
    iso,
    period_mid,
    records,
    runs,
    target_step,
    time_layout,
    with_gaps,
)
from dashboard.components.charts.trend import point_details, target_per_period, trend_headline
from dashboard.components.charts.words import slug, source_line, subtitle, value_text
from dashboard.formatting import is_true, number
from data.areas import ENGLAND, HOME_REGION

if TYPE_CHECKING:
    from dashboard.data_access import ScorecardRow

MAX_AREAS = 6
"""Lines on one chart at most: the reader's area and five more (six dash patterns are easy to tell apart)."""


@dataclass(frozen=True)
class LineStyle:
    """How one line looks, and the words that describe it to someone who cannot see the colour."""

    colour: str
    dash: str
    marker: str
    words: str


AREA_STYLE = LineStyle(colours.DARK_BLUE, "solid", "circle", "solid line, circles")
ENGLAND_STYLE = LineStyle(colours.TURQUOISE, "dot", "square", "dotted line, squares")
REGION_STYLE = LineStyle(colours.DARK_PINK, "dashdot", "diamond", "dash-dot line, diamonds")
OTHER_STYLES = (
    LineStyle(colours.ORANGE, "longdash", "triangle-up", "long-dashed line, triangles"),
    LineStyle(colours.SECONDARY_TEXT, "longdashdot", "x", "long dash-dot line, crosses"),
    LineStyle(colours.TEXT, "6px,3px,2px,3px,2px,3px", "star", "dash-dot-dot line, stars"),
    LineStyle(colours.MDC_NEUTRAL, "2px,6px", "hexagon", "sparse dotted line, hexagons"),
)
"""The target is drawn dashed (as on every chart), so no area's line is plain dashed."""


def line_styles(codes: Sequence[str]) -> dict[str, LineStyle]:
    """A style for each area: the reader's area (first) always solid dark blue, England and the region as on
    the single-area chart, the others in turn (taking England's and the region's when they are not shown)."""
    fixed = {ENGLAND: ENGLAND_STYLE, HOME_REGION: REGION_STYLE}
    taken = {fixed[c] for c in codes[1:] if c in fixed}
    others = iter([*OTHER_STYLES, *(s for s in fixed.values() if s not in taken)])
    styles: dict[str, LineStyle] = {}
    for i, code in enumerate(codes):
        if i == 0:
            styles[code] = AREA_STYLE
        elif code in fixed:
            styles[code] = fixed[code]
        else:
            styles[code] = next(others)
    return styles


# --- The table ------------------------------------------------------------------------------------------


def _whole(value: object) -> float | int | None:
    figure = number(value)
    if figure is None:
        return None
    return int(figure) if figure.is_integer() else figure


def areas_trend_data(
    series: pd.DataFrame,
    indicator: Mapping,
    codes: Sequence[str],
    names: Mapping[str, str],
    *,
    targets: pd.DataFrame | None,
    ci: bool,
) -> pd.DataFrame:
    """One row per area and period, areas in the order of ``codes`` (the reader's area first), oldest
    period first: Area, Period, Value, the 95% limits (when ``ci`` and any area has them), count and
    denominator (when any area has them), provisional, value note, and the target in force on the reader's
    area's rows. ``area_code``, ``period_start`` and ``period_end`` are kept but not shown."""
    rows = []
    for code in codes:
        area = series[series["area_code"] == code].sort_values(["period_end", "period_start"])
        area = area.drop_duplicates(["period_start", "period_end"], keep="last")
        targets_in_force = (
            target_per_period(area, targets, indicator.get("code", ""), code) if code == codes[0] else []
        )
        for i, row in enumerate(records(area)):
            rows.append(
                {
                    "Area": names.get(code, code),
                    "Period": row["period_label"],
                    "Value": number(row["value"]),
                    "Lower 95% limit": number(row["lower95"]),
                    "Upper 95% limit": number(row["upper95"]),
                    "Count": _whole(row["count"]),
                    "Denominator": _whole(row["denominator"]),
                    "Provisional": "Yes" if is_true(row["provisional"]) else "No",
                    "Value note": row["value_note"] or "",
                    "Target": targets_in_force[i] if targets_in_force else None,
                    "area_code": code,
                    "period_start": row["period_start"],
                    "period_end": row["period_end"],
                }
            )
    frame = pd.DataFrame.from_records(rows)
    if frame.empty:
        return frame
    has_limits = frame["Lower 95% limit"].notna() & frame["Upper 95% limit"].notna()
    if not ci or not has_limits.any():
        frame = frame.drop(columns=["Lower 95% limit", "Upper 95% limit"])
    for column in ("Count", "Denominator"):
        if frame[column].isna().all():
            frame = frame.drop(columns=[column])
    if frame["Target"].isna().all() or indicator.get("polarity") == "no_judgement":
        frame = frame.drop(columns=["Target"])
    if is_true(indicator.get("illustrative")):
        frame["Note"] = "Illustrative figures, not real provider data"
    return frame


def _axis_frame(frame: pd.DataFrame, our_area: str) -> pd.DataFrame:
    """Every period on the chart once (the time axis), provisional where the reader's area's figure is."""
    periods = frame.sort_values(["period_end", "period_start"]).drop_duplicates(
        ["period_start", "period_end"]
    )
    ours = frame[frame["area_code"] == our_area]
    provisional = {(r["period_start"], r["period_end"]) for r in records(ours) if r["Provisional"] == "Yes"}
    axis = periods[["Period", "period_start", "period_end"]].reset_index(drop=True)
    axis["Provisional"] = [
        "Yes" if (s, e) in provisional else "No"
        for s, e in zip(axis["period_start"], axis["period_end"], strict=True)
    ]
    if "Target" in frame:
        targets = {(r["period_start"], r["period_end"]): r["Target"] for r in records(ours)}
        axis["Target"] = [
            targets.get((s, e)) for s, e in zip(axis["period_start"], axis["period_end"], strict=True)
        ]
    return axis


# --- The figure -----------------------------------------------------------------------------------------


def _positions(rows: pd.DataFrame) -> list[str]:
    return [iso(period_mid(s, e)) for s, e in zip(rows["period_start"], rows["period_end"], strict=True)]


def _hover(row: dict, indicator: Mapping) -> str:
    head = [f"<b>{row['Area']}, {row['Period']}</b>", value_text(row["Value"], indicator)]
    return "<br>".join([*head, *point_details(row, indicator)])


def _line(rows: pd.DataFrame, name: str, style: LineStyle, indicator: Mapping, *, ours: bool) -> go.Scatter:
    x = _positions(rows)
    starts, ends = list(rows["period_start"]), list(rows["period_end"])
    gx, gy = with_gaps(x, floats(rows["Value"]), starts, ends)
    hover = with_gaps(x, [_hover(r, indicator) for r in records(rows)], starts, ends)[1]
    return go.Scatter(
        x=gx,
        y=gy,
        mode="lines+markers",
        name=name,
        line={"color": style.colour, "width": 4 if ours else 3, "dash": style.dash},
        marker={"size": 11 if ours else 13, "color": style.colour, "symbol": style.marker},
        hovertext=hover,
        hoverinfo="text",
        meta=f"line-{rows['area_code'].iloc[0]}",
    )


def _band(rows: pd.DataFrame, style: LineStyle) -> list[go.Scatter]:
    """An area's 95% interval: a light band of its colour over runs of points, whiskers on lone points."""
    x = _positions(rows)
    lower, upper = floats(rows["Lower 95% limit"]), floats(rows["Upper 95% limit"])
    present = [lo is not None and up is not None for lo, up in zip(lower, upper, strict=True)]
    red, green, blue = (int(style.colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    code = rows["area_code"].iloc[0]
    traces = []
    band_x: list = []
    band_y: list = []
    lone = []
    for first, last in runs(present):
        if first == last:
            lone.append(first)
            continue
        xs = x[first : last + 1]
        band_x += xs + xs[::-1] + [None]
        band_y += upper[first : last + 1] + lower[first : last + 1][::-1] + [None]
    if band_x:
        traces.append(
            go.Scatter(
                x=band_x,
                y=band_y,
                fill="toself",
                fillcolor=f"rgba({red}, {green}, {blue}, 0.15)",
                line={"width": 0},
                mode="lines",
                showlegend=False,
                hoverinfo="skip",
                meta=f"band-{code}",
            )
        )
    if lone:
        mids = [(lower[i] + upper[i]) / 2 for i in lone]  # type: ignore[operator]
        traces.append(
            go.Scatter(
                x=[x[i] for i in lone],
                y=mids,
                mode="markers",
                marker={"size": 1, "color": style.colour},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [upper[i] - m for i, m in zip(lone, mids, strict=True)],  # type: ignore[operator]
                    "arrayminus": [m - lower[i] for i, m in zip(lone, mids, strict=True)],  # type: ignore[operator]
                    "color": style.colour,
                    "thickness": 2,
                    "width": 8,
                },
                showlegend=False,
                hoverinfo="skip",
                meta=f"whiskers-{code}",
            )
        )
    return traces


def _interval_key() -> go.Scatter:
    """One legend entry for every area's band: the intervals are labelled once."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="lines",
        fill="toself",
        fillcolor="rgba(80, 90, 95, 0.2)",
        line={"width": 10, "color": "rgba(80, 90, 95, 0.2)"},
        name="Shaded: 95% confidence interval",
        meta="ci-key",
    )


def end_labels(ends: list[tuple[str, str, float]], low: float, high: float, gap: float = 0.07) -> list[dict]:
    """A label beside the last point of each line (x, text, y), nudged apart so that no two overlap: at
    least ``gap`` of the value range between neighbours."""
    span = (high - low) or 1.0
    placed: list[float] = []
    labels = []
    for x, text, y in sorted(ends, key=lambda end: end[2]):
        position = y if not placed else max(y, placed[-1] + gap * span)
        placed.append(position)
        labels.append(
            {
                "x": x,
                "y": position,
                "xref": "x",
                "yref": "y",
                "text": text,
                "showarrow": False,
                "xanchor": "left",
                "xshift": 10,
                "font": {"size": 15, "color": colours.TEXT},
                "bgcolor": "rgba(255, 255, 255, 0.85)",
            }
        )
    return labels


def areas_trend_figure(frame: pd.DataFrame, indicator: Mapping, codes: Sequence[str]) -> go.Figure:
    """Bands first, then the target step, then one line per area (the reader's area last, on top), each
    labelled at its end; the legend repeats the names with each line's dash and marker."""
    styles = line_styles(codes)
    present = [c for c in codes if (frame["area_code"] == c).any()]
    figure = go.Figure()
    if "Lower 95% limit" in frame:
        for code in present:
            for trace in _band(frame[frame["area_code"] == code], styles[code]):
                figure.add_trace(trace)
        figure.add_trace(_interval_key())
    axis = _axis_frame(frame, codes[0])
    step = target_step(axis, indicator)
    if step is not None:
        figure.add_trace(step)
    ends = []
    for code in reversed(present):
        rows = frame[(frame["area_code"] == code) & frame["Value"].notna()]
        if rows.empty:
            continue
        name = rows["Area"].iloc[0]
        figure.add_trace(
            _line(frame[frame["area_code"] == code], name, styles[code], indicator, ours=code == codes[0])
        )
        ends.append((_positions(rows.tail(1))[0], name, float(rows["Value"].iloc[-1])))
    layout = time_layout(axis, indicator)
    values = [v for v in floats(frame["Value"]) if v is not None]
    layout["annotations"] = [*layout["annotations"], *end_labels(ends, min(values), max(values))]
    longest = max((len(name) for _, name, _ in ends), default=10)
    layout["margin"] = {**layout["margin"], "r": min(300, 30 + 9 * longest)}
    layout["legend"] = {"traceorder": "reversed"}
    figure.update_layout(**layout)
    return figure


# --- The words ------------------------------------------------------------------------------------------


def _latest_words(frame: pd.DataFrame, indicator: Mapping, codes: Sequence[str]) -> str:
    """ ", against Cambridgeshire 52.1%, the East of England 50.3% and England 49.2%": the other areas'
    figures for the reader's area's latest period (the period the headline ends with)."""
    ours = frame[(frame["area_code"] == codes[0]) & frame["Value"].notna()]
    if ours.empty:
        return ""
    latest = ours.iloc[-1]
    same = frame[
        (frame["period_start"] == latest["period_start"])
        & (frame["period_end"] == latest["period_end"])
        & frame["Value"].notna()
    ]
    parts = []
    for code in codes[1:]:
        row = same[same["area_code"] == code]
        if len(row):
            name = row["Area"].iloc[0]
            name = f"the {name}" if name.startswith("East of") else name
            parts.append(f"{name} {value_text(row['Value'].iloc[0], indicator)}")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f", against {listed}"


def areas_trend_headline(
    frame: pd.DataFrame, indicator: Mapping, codes: Sequence[str], row: ScorecardRow
) -> str:
    """The reader's area's message (its significant trend, or its change), then the other areas' figures
    for the same latest period."""
    ours = frame[frame["area_code"] == codes[0]]
    name = ours["Area"].iloc[0] if len(ours) else codes[0]
    wide = pd.DataFrame({"Period": ours["Period"].to_numpy(), name: ours["Value"].to_numpy()})
    return trend_headline(wide, indicator, name, row) + _latest_words(frame, indicator, codes)


def _summary(frame: pd.DataFrame, indicator: Mapping, codes: Sequence[str], names: Mapping[str, str]) -> str:
    styles = line_styles(codes)
    parts = []
    for code in codes:
        rows = frame[(frame["area_code"] == code) & frame["Value"].notna()]
        name = names.get(code, code)
        if rows.empty:
            parts.append(f"{name}: no figures")
            continue
        last = rows.iloc[-1]
        parts.append(
            f"{name} ({styles[code].words}), {len(rows)} figures, latest "
            f"{value_text(last['Value'], indicator)} in {last['Period']}"
        )
    periods = list(_axis_frame(frame, codes[0])["Period"])
    text = (
        f"Line chart of {indicator.get('short_name')} from {periods[0]} to {periods[-1]} for "
        f"{len(codes)} areas, each line labelled at its end: " + "; ".join(parts) + "."
    )
    if "Target" in frame:
        text += " A dashed red line marks the target."
    if "Lower 95% limit" in frame:
        text += " A light band of each line's colour shows its 95% confidence interval."
    return text + " The figures are in the table below the chart."


def areas_trend_chart(
    frame: pd.DataFrame,
    indicator: Mapping,
    codes: Sequence[str],
    names: Mapping[str, str],
    row: ScorecardRow,
) -> Chart:
    """The several-areas trend chart and its words; ``frame`` is :func:`areas_trend_data`'s table and
    ``codes`` the areas in it, the reader's area first."""
    public = frame.drop(columns=["area_code", "period_start", "period_end"])
    where = ", ".join(names.get(c, c) for c in codes[:-1]) + f" and {names.get(codes[-1], codes[-1])}"
    periods = list(_axis_frame(frame, codes[0])["Period"])
    return Chart(
        key="trend",
        headline=areas_trend_headline(frame, indicator, codes, row),
        subtitle=subtitle(indicator, where, periods),
        source=source_line(indicator),
        summary=_summary(frame, indicator, codes, names),
        figure=areas_trend_figure(frame, indicator, codes),
        data=public,
        caption=f"{indicator.get('short_name')}: {where}, by area and period",
        numeric=tuple(
            c for c in public.columns if c not in ("Area", "Period", "Provisional", "Value note", "Note")
        ),
        filename=f"{indicator.get('code')}-{slug(names.get(codes[0], codes[0]))}-and-{len(codes) - 1}-"
        f"more-areas-trend.csv",
    )
