"""The statistical process control (SPC) chart: an XmR chart in the Making Data Count style, or, when the
scorecard judges there are too few figures (:data:`metrics.spc.MIN_POINTS`), the figures alone with no
limits and no judgement, saying so in the scorecard's words.

The judgements shown (variation, assurance, trial limits) are the scorecard record's
(:class:`data.scorecard.ScorecardRow`), so the chart and the scorecard always say the same thing; the
chart draws the limits and point types of :func:`metrics.spc.xmr` on the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from dash import html
from dash.development.base_component import Component

from dashboard import colours
from dashboard.components import status
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import (
    LIMIT_LINE,
    REFERENCE_LINE,
    floats,
    iso,
    period_positions,
    target_step,
    time_layout,
)
from dashboard.components.charts.words import display_name, slug, source_line, subtitle, value_text
from dashboard.formatting import format_value

if TYPE_CHECKING:
    from dashboard.data_access import ScorecardRow
    from metrics.spc import SpcResult

SPC_POINT_WORDS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause — improving",
    "special_cause_concern": "Special cause — concern",
    "special_cause_neutral_high": "Special cause — high",
    "special_cause_neutral_low": "Special cause — low",
}

_VARIATION_PHRASE = {
    "common_cause": "varies only as much as usual",
    "improvement_high": "shows special cause variation: it is improving",
    "improvement_low": "shows special cause variation: it is improving",
    "concern_high": "shows special cause variation that is a concern",
    "concern_low": "shows special cause variation that is a concern",
    "neutral_high": "is unusually high",
    "neutral_low": "is unusually low",
}
_ASSURANCE_PHRASE = {
    "consistent_pass": "will consistently meet the {t} target",
    "consistent_fail": "will not meet the {t} target without a change",
    "inconsistent": "will hit and miss the {t} target",
}


# --- The table ------------------------------------------------------------------------------------------


def spc_data(frame: pd.DataFrame, area_name: str, result: SpcResult) -> pd.DataFrame:
    """The SPC chart's table: each period's value, the mean and process limits, the target and the point's
    type in words. ``frame`` is the trend table limited to periods with a value; ``result`` is
    :func:`metrics.spc.xmr` of those values."""
    data = pd.DataFrame({"Period": frame["Period"].to_numpy(), area_name: floats(frame[area_name])})
    data["Mean"] = result.mean
    data["Lower process limit"] = result.lpl
    data["Upper process limit"] = result.upl
    if "Target" in frame:
        data["Target"] = frame["Target"].to_numpy()
    data["Point"] = [SPC_POINT_WORDS.get(t, t) for t in result.point_types]
    return _with_flags(data, frame)


def figures_data(frame: pd.DataFrame, area_name: str) -> pd.DataFrame:
    """The table when there are too few figures for a process chart: each period's value, nothing more."""
    data = pd.DataFrame({"Period": frame["Period"].to_numpy(), area_name: floats(frame[area_name])})
    return _with_flags(data, frame)


def _with_flags(data: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The provisional flag and illustrative note, and the period's days (not shown; they place points)."""
    data["Provisional"] = frame["Provisional"].to_numpy()
    if "Note" in frame:
        data["Note"] = frame["Note"].to_numpy()
    data["period_start"] = frame["period_start"].to_numpy()
    data["period_end"] = frame["period_end"].to_numpy()
    return data


# --- The figure -----------------------------------------------------------------------------------------


def _figures_trace(x: list[str], values: list, hover: list[str], name: str) -> go.Scatter:
    """The figures in Making Data Count grey, joined in time order."""
    return go.Scatter(
        x=x,
        y=values,
        mode="lines+markers",
        name=name,
        line={"color": colours.MDC_COMMON_CAUSE, "width": 3},
        marker={"size": 9, "color": colours.MDC_COMMON_CAUSE, "line": {"color": LIMIT_LINE, "width": 1}},
        hovertext=hover,
        hoverinfo="text",
        meta="figures",
    )


def _reference_traces(data: pd.DataFrame, indicator: Mapping, result: SpcResult) -> list[go.Scatter]:
    """The process limits (dashed) and the mean, across the whole chart."""
    first = iso(pd.Timestamp(data["period_start"].iloc[0]))
    last = iso(pd.Timestamp(data["period_end"].iloc[-1]) + pd.Timedelta(days=1))
    upper, lower = (f"Process limit: {value_text(v, indicator)}" for v in (result.upl, result.lpl))
    limits = go.Scatter(
        x=[first, last, None, first, last],
        y=[result.upl, result.upl, None, result.lpl, result.lpl],
        mode="lines",
        name="Process limits",
        line={"color": LIMIT_LINE, "width": 2, "dash": "dash"},
        hovertext=[upper, upper, None, lower, lower],
        hoverinfo="text",
        meta="limits",
    )
    mean = go.Scatter(
        x=[first, last],
        y=[result.mean, result.mean],
        mode="lines",
        name="Mean",
        line={"color": REFERENCE_LINE, "width": 2},
        hovertext=[f"Mean: {value_text(result.mean, indicator)}"] * 2,
        hoverinfo="text",
        meta="mean",
    )
    return [limits, mean]


def _special_cause_traces(x: list[str], values: list, hover: list[str], result: SpcResult) -> list:
    """Each kind of special-cause point as its own coloured, named series."""
    traces = []
    for point_type, words in SPC_POINT_WORDS.items():
        chosen = [i for i, t in enumerate(result.point_types) if t == point_type]
        if point_type == "common_cause" or not chosen:
            continue
        traces.append(
            go.Scatter(
                x=[x[i] for i in chosen],
                y=[values[i] for i in chosen],
                mode="markers",
                name=words,
                marker={
                    "size": 14,
                    "color": status.SPC_POINT_COLOURS[point_type],
                    "line": {"color": colours.TEXT, "width": 1},
                },
                hovertext=[hover[i] for i in chosen],
                hoverinfo="text",
                meta=point_type,
            )
        )
    return traces


def spc_figure(data: pd.DataFrame, indicator: Mapping, area_name: str, result: SpcResult) -> go.Figure:
    """Limits, mean, target, the figures in grey, and special-cause points coloured on top."""
    x = period_positions(data)
    values = floats(data[area_name])
    hover = [
        f"<b>{p}</b><br>{area_name}: {value_text(v, indicator)}<br>{w}"
        for p, v, w in zip(data["Period"].tolist(), values, data["Point"], strict=True)
    ]
    figure = go.Figure(_reference_traces(data, indicator, result))
    step = target_step(data, indicator)
    if step is not None:
        figure.add_trace(step)
    figure.add_trace(_figures_trace(x, values, hover, "Figures (common cause)"))
    figure.add_traces(_special_cause_traces(x, values, hover, result))
    figure.update_layout(**time_layout(data, indicator))
    return figure


# --- The words ------------------------------------------------------------------------------------------


def spc_headline(
    indicator: Mapping, area_name: str, variation: str, assurance: str | None, target: float | None
) -> str:
    """ "Smoking at delivery in Fenland varies only as much as usual, and will hit and miss the 6% target"."""
    name = display_name(indicator.get("short_name", ""))
    text = f"{name} in {area_name} {_VARIATION_PHRASE.get(variation, '')}"
    if assurance in _ASSURANCE_PHRASE and target is not None:
        text += ", and " + _ASSURANCE_PHRASE[assurance].format(
            t=format_value(target, indicator.get("unit", ""), trim=True)
        )
    return text


def _status_notes(row: ScorecardRow, variation: str, plotted: int) -> list:
    """The scorecard's variation and assurance as tags, and the trial-limits label when it applies."""
    notes: list[Component] = [
        html.Ul(
            [
                html.Li(
                    [
                        html.Span("Variation: ", className="app-indicator-chart__status-label"),
                        status.status_tag(status.variation(variation)),
                    ]
                ),
                html.Li(
                    [
                        html.Span("Assurance: ", className="app-indicator-chart__status-label"),
                        status.status_tag(status.assurance(row.spc_assurance)),
                    ]
                ),
            ],
            className="app-indicator-chart__statuses",
            id="spc-statuses",
        )
    ]
    if row.spc_trial_limits:
        notes.append(
            html.P(
                [
                    html.Strong(
                        "Trial limits (fewer than 12 points)", className="app-indicator-chart__trial"
                    ),
                    f" The limits are from {plotted} figures; they will settle as more are added.",
                ],
                className="app-body",
                id="spc-trial-limits",
            )
        )
    return notes


def _spc_summary(
    public: pd.DataFrame,
    indicator: Mapping,
    area_name: str,
    result: SpcResult,
    row: ScorecardRow,
    variation: str,
) -> str:
    """The chart in words for screen readers: the figures, mean and limits, special-cause points, statuses."""
    special = public[public["Point"] != "Common cause"]
    text = (
        f"Statistical process control chart of {indicator.get('short_name')} for {area_name}, "
        f"{len(public)} figures from {public['Period'].iloc[0]} to {public['Period'].iloc[-1]}. "
        f"Mean {value_text(result.mean, indicator)}, process limits {value_text(result.lpl, indicator)} to "
        f"{value_text(result.upl, indicator)}. "
    )
    if len(special):
        text += (
            "Special cause points: "
            + "; ".join(
                f"{p} ({w.lower()})" for p, w in zip(special["Period"], special["Point"], strict=True)
            )
            + ". "
        )
    else:
        text += "No special cause points. "
    return text + (
        f"Variation: {status.variation(variation).words}. "
        f"Assurance: {status.assurance(row.spc_assurance).words}."
    )


def spc_chart(
    data: pd.DataFrame,
    indicator: Mapping,
    area_name: str,
    result: SpcResult,
    row: ScorecardRow,
    *,
    where: str,
) -> Chart:
    """An XmR chart in the Making Data Count style: the figures in grey with special-cause points coloured
    (improvement blue, concern orange, neutral purple), the mean, the process limits and the target, with
    the scorecard's variation and assurance. ``data`` is :func:`spc_data`'s table; ``row`` must be judged
    (``row.spc_judged``, with its variation)."""
    variation = row.spc_variation
    if not row.spc_judged or variation is None:
        raise ValueError(f"no SPC judgement of {row.indicator_code} for {row.area_code} to chart")
    public = data.drop(columns=["period_start", "period_end"])
    return Chart(
        key="spc",
        headline=spc_headline(indicator, area_name, variation, row.spc_assurance, row.target),
        subtitle=subtitle(indicator, where, list(data["Period"])),
        source=source_line(indicator),
        summary=_spc_summary(public, indicator, area_name, result, row, variation),
        figure=spc_figure(data, indicator, area_name, result),
        data=public,
        caption=f"{indicator.get('short_name')}: {area_name}, statistical process control",
        numeric=tuple(c for c in public.columns if c not in ("Period", "Point", "Provisional", "Note")),
        notes=_status_notes(row, variation, len(public)),
        filename=f"{indicator.get('code')}-{slug(area_name)}-spc.csv",
    )


def too_few_chart(
    data: pd.DataFrame, indicator: Mapping, area_name: str, points: int, *, where: str
) -> Chart:
    """The figures alone, without a mean, limits or judgement, when there are too few for a process chart:
    ``points`` is the scorecard's count, said in the scorecard's words. ``data`` is :func:`figures_data`'s
    table."""
    values = floats(data[area_name])
    hover = [
        f"<b>{p}</b><br>{area_name}: {value_text(v, indicator)}"
        for p, v in zip(data["Period"].tolist(), values, strict=True)
    ]
    figure = go.Figure(_figures_trace(period_positions(data), values, hover, "Figures"))
    figure.update_layout(**time_layout(data, indicator))
    public = data.drop(columns=["period_start", "period_end"])
    words = status.too_few_for_spc(points)
    note = html.P(
        [
            words,
            " The figures are shown without a mean or process limits, and their variation is not judged.",
        ],
        className="app-body",
        id="spc-too-few",
    )
    return Chart(
        key="spc",
        headline=f"{display_name(indicator.get('short_name', ''))} in {area_name}: too few figures for a "
        "process chart",
        subtitle=subtitle(indicator, where, list(data["Period"])),
        source=source_line(indicator),
        summary=(
            f"Chart of {indicator.get('short_name')} for {area_name}, {len(public)} figures from "
            f"{public['Period'].iloc[0]} to {public['Period'].iloc[-1]}, without process limits. {words} "
            "The figures are in the table below the chart."
        ),
        figure=figure,
        data=public,
        caption=f"{indicator.get('short_name')}: {area_name}, figures for a process chart",
        numeric=(area_name,),
        notes=[note],
        filename=f"{indicator.get('code')}-{slug(area_name)}-spc.csv",
    )
