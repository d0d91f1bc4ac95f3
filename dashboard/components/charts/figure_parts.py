"""What the charts' figures share: line colours, the layout and axes, where a period sits on the time axis,
and the parts drawn on more than one chart (the target as a step, provisional periods shaded)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from dashboard import colours
from dashboard.components.charts import plain
from dashboard.formatting import axis_title, format_value, number

CI_BAND = "rgba(18, 67, 109, 0.2)"
"""The 95% confidence band: the area's dark blue, light."""
PROVISIONAL_SHADE = "rgba(80, 90, 95, 0.14)"
ENGLAND_LINE = colours.TURQUOISE
REGION_LINE = colours.DARK_PINK
REFERENCE_LINE = colours.TEXT
LIMIT_LINE = colours.SECONDARY_TEXT
GRID_COLOUR = "#e5e6e7"
TEXT_HALO = "1px 1px 2px #ffffff, -1px -1px 2px #ffffff, 1px -1px 2px #ffffff, -1px 1px 2px #ffffff"
CHART_HEIGHT = 460

DateLike = dt.date | pd.Timestamp | str
"""A period's first or last day, as the store, a data frame or Plotly gives it."""


# --- Values and periods -------------------------------------------------------------------------------------


def floats(series: pd.Series) -> list[float | None]:
    """A column as plain floats, missing figures as None (what Plotly draws as a gap)."""
    return [number(v) for v in series]


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a small table as plain dicts (much quicker to loop over than ``iterrows``)."""
    return frame.to_dict("records")


def period_mid(start: DateLike, end: DateLike) -> pd.Timestamp:
    """The middle of a period: where its point sits on the time axis."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return start + (end - start) / 2


def iso(day: DateLike) -> str:
    """A day as Plotly's date axis takes it: "2024-03-31"."""
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    found, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            found.append((start, i - 1))
            start = None
    return found


def with_gaps(x: list[str], y: list, starts: Sequence, ends: Sequence) -> tuple[list, list]:
    """Break the line where periods are missing (more than half a period between one and the next)."""
    if len(x) < 2:
        return x, y
    out_x: list[str | None] = [x[0]]
    out_y = [y[0]]
    for i in range(1, len(x)):
        length = pd.Timestamp(ends[i]) - pd.Timestamp(starts[i])
        gap = pd.Timestamp(starts[i]) - pd.Timestamp(ends[i - 1])
        if gap > length / 2:
            out_x.append(None)
            out_y.append(None)
        out_x.append(x[i])
        out_y.append(y[i])
    return out_x, out_y


# --- Layout and axes ----------------------------------------------------------------------------------------


def base_layout(**extra) -> dict:
    """The layout every chart starts from: its height, no dragging, hover on the nearest point."""
    layout = {
        "height": CHART_HEIGHT,
        "dragmode": False,
        "hovermode": "closest",
        "margin": {"l": 16, "r": 24, "t": 56, "b": 16},
    }
    layout.update(extra)
    return layout


def value_axis(indicator: Mapping) -> dict:
    """The value axis, titled with what it measures ("Percentage", "Rate per 100,000")."""
    unit = indicator.get("unit", "")
    axis = {"title": {"text": axis_title(unit)}, "fixedrange": True}
    if unit == "%":
        axis["ticksuffix"] = "%"
    return axis


def period_axis(mids: Sequence[pd.Timestamp], labels: Iterable[str]) -> dict:
    """A date axis labelled with the periods' own names ("2023/24 Q1"), one tick at each period's middle."""
    return {
        "type": "date",
        "tickmode": "array",
        "tickvals": [iso(m) for m in mids],
        "ticktext": list(labels),
        "fixedrange": True,
        "title": {"text": ""},
    }


# --- Parts drawn on more than one chart -------------------------------------------------------------------


def target_step(frame: pd.DataFrame, indicator: Mapping) -> dict | None:
    """The target in force, as a step: flat across each period, changing where the target changed."""
    if "Target" not in frame:
        return None
    xs: list[str | None] = []
    ys: list[float | None] = []
    texts: list[str] = []
    for row in records(frame):
        target = number(row["Target"])
        if target is None:
            xs.append(None)
            ys.append(None)
            texts.append("")
            continue
        text = f"Target for {row['Period']}: {format_value(target, indicator.get('unit', ''), trim=True)}"
        end = pd.Timestamp(row["period_end"]) + pd.Timedelta(days=1)
        xs += [iso(row["period_start"]), iso(end)]
        ys += [target, target]
        texts += [text, text]
    return plain.trace(
        "scatter",
        x=xs,
        y=ys,
        mode="lines",
        name="Target",
        line={"color": colours.MDC_TARGET, "width": 3, "dash": "dash"},
        hovertext=texts,
        hoverinfo="text",
        meta="target",
    )


def provisional_shapes(frame: pd.DataFrame) -> tuple[list, list]:
    """Shading over each run of provisional periods, labelled "Provisional" (shapes, annotations)."""
    shapes, annotations = [], []
    for first, last in runs(list(frame["Provisional"] == "Yes")):
        x0 = iso(frame["period_start"].iloc[first])
        x1 = iso(pd.Timestamp(frame["period_end"].iloc[last]) + pd.Timedelta(days=1))
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": PROVISIONAL_SHADE,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": x1,
                "y": 1,
                "xanchor": "right",
                "yanchor": "top",
                "text": "Provisional",
                "showarrow": False,
                "bgcolor": "rgba(255, 255, 255, 0.85)",
                "font": {"size": 14, "color": colours.TEXT},
            }
        )
    return shapes, annotations


def time_layout(frame: pd.DataFrame, indicator: Mapping) -> dict:
    """The layout of a chart over time (trend, SPC): periods along the bottom, provisional ones shaded."""
    mids = [period_mid(s, e) for s, e in zip(frame["period_start"], frame["period_end"], strict=True)]
    shapes, annotations = provisional_shapes(frame)
    return base_layout(
        xaxis=period_axis(mids, frame["Period"]),
        yaxis=value_axis(indicator),
        shapes=shapes,
        annotations=annotations,
    )


def period_positions(frame: pd.DataFrame) -> list[str]:
    """Where each period's point sits on the time axis (its middle day)."""
    return [iso(period_mid(s, e)) for s, e in zip(frame["period_start"], frame["period_end"], strict=True)]
