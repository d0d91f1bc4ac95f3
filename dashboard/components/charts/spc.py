"""The statistical process control (SPC) chart: an XmR chart in the Making Data Count style, or, when the
scorecard judges there are too few figures (:data:`metrics.spc.MIN_POINTS`), the figures alone with no
limits and no judgement, saying so in the scorecard's words.

The judgements shown (variation, assurance, trial limits) are the scorecard record's
(:class:`data.scorecard.ScorecardRow`), so the chart and the scorecard always say the same thing; the
chart draws the limits and point types of :func:`metrics.spc.xmr_phased` on the same figures. Where an
officer has recorded a process change, the limits are worked out afresh from the first period on or after
it: the chart draws a line at the break labelled with the reason, says "Limits recalculated from 2024/25 Q1:
<reason>" in its words and table, and its judgement (like the scorecard's) is the current phase's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from dash import html
from dash.development.base_component import Component

from dashboard import colours
from dashboard.components import status
from dashboard.components.charts import plain
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

LABEL_LENGTH = 60
"""Longest reason drawn on the chart beside a break; the full reason is in the chart's words and table."""


@dataclass(frozen=True)
class PhaseBreak:
    """Where a recorded process change starts a new phase: the first row of the phase in the chart's table,
    that row's period, and the reason (several changes on one period are joined)."""

    index: int
    period: str
    reason: str

    @property
    def words(self) -> str:
        """ "Limits recalculated from 2024/25 Q1: New 6-8 week review pathway"."""
        return f"Limits recalculated from {self.period}: {self.reason}"


@dataclass(frozen=True)
class Baseline:
    """Limits fixed on the first figures of each phase: the number the link asks for, the number the current
    phase used (fewer when it is shorter), the periods they span, and how many figures the phase has."""

    asked: int
    used: int
    first: str
    last: str
    phase_figures: int

    @property
    def words(self) -> str:
        """What the limits of the current phase were worked out from, and how that differs from the
        scorecard."""
        if self.used >= self.phase_figures:
            return (
                f"The limits are to be fixed on the first {self.asked} figures, but there are only "
                f"{self.phase_figures} since {self.first}, so every one is used, as the scorecard does."
            )
        return (
            f"Limits fixed on the first {self.used} figures ({self.first} to {self.last}) and extended to "
            f"the later figures, which are judged against them. The scorecard works the limits out from all "
            f"{self.phase_figures} figures."
        )

    @property
    def short(self) -> str:
        """For the subtitle: "limits fixed on the first 6 figures"."""
        return f"limits fixed on the first {self.used} figures"


def spc_data(
    frame: pd.DataFrame, area_name: str, phases: Sequence[SpcResult], breaks: Sequence[PhaseBreak] = ()
) -> pd.DataFrame:
    """The SPC chart's table: each period's value, the mean and process limits of its phase, the target, the
    point's type in words and, when the series is in phases, where the limits were recalculated and why.
    ``frame`` is the trend table limited to periods with a value; ``phases`` is
    :func:`metrics.spc.xmr_phased` of those values at ``breaks``."""
    starts = [0, *(b.index for b in breaks)]
    ends = [*starts[1:], len(frame)]
    lengths = [end - start for start, end in zip(starts, ends, strict=True)]
    data = pd.DataFrame({"Period": frame["Period"].to_numpy(), area_name: floats(frame[area_name])})
    data["Mean"] = [p.mean for p, n in zip(phases, lengths, strict=True) for _ in range(n)]
    data["Lower process limit"] = [p.lpl for p, n in zip(phases, lengths, strict=True) for _ in range(n)]
    data["Upper process limit"] = [p.upl for p, n in zip(phases, lengths, strict=True) for _ in range(n)]
    if "Target" in frame:
        data["Target"] = frame["Target"].to_numpy()
    data["Point"] = [SPC_POINT_WORDS.get(t, t) for p in phases for t in p.point_types]
    if breaks:
        changes = {b.index: b.words for b in breaks}
        data["Process change"] = [changes.get(i, "") for i in range(len(frame))]
    return _with_flags(data, frame)


def figures_data(frame: pd.DataFrame, area_name: str, breaks: Sequence[PhaseBreak] = ()) -> pd.DataFrame:
    """The table when there are too few figures for a process chart: each period's value, and where a
    process change starts a new phase."""
    data = pd.DataFrame({"Period": frame["Period"].to_numpy(), area_name: floats(frame[area_name])})
    if breaks:
        changes = {b.index: b.words for b in breaks}
        data["Process change"] = [changes.get(i, "") for i in range(len(frame))]
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


def _figures_trace(x: list[str], values: list, hover: list[str], name: str) -> dict:
    """The figures in Making Data Count grey, joined in time order."""
    return plain.trace(
        "scatter",
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


def _phase_rows(data: pd.DataFrame) -> list[tuple[int, int]]:
    """(first, last) row of each phase: a new phase starts at each row with a process change."""
    changes = data["Process change"].tolist() if "Process change" in data else []
    starts = [0, *(i for i, words in enumerate(changes) if i and words)]
    return [(start, end - 1) for start, end in zip(starts, [*starts[1:], len(data)], strict=True)]


def _reference_traces(data: pd.DataFrame, indicator: Mapping) -> list[dict]:
    """The process limits (dashed) and the mean, across each phase."""
    xs: list[str | None] = []
    uppers: list[float | None] = []
    lowers: list[float | None] = []
    means: list[float | None] = []
    upper_text: list[str | None] = []
    lower_text: list[str | None] = []
    mean_text: list[str | None] = []
    for first, last in _phase_rows(data):
        row = data.iloc[first]
        start = iso(pd.Timestamp(data["period_start"].iloc[first]))
        end = iso(pd.Timestamp(data["period_end"].iloc[last]) + pd.Timedelta(days=1))
        if xs:
            for column in (xs, uppers, lowers, means, upper_text, lower_text, mean_text):
                column.append(None)
        xs += [start, end]
        uppers += [row["Upper process limit"]] * 2
        lowers += [row["Lower process limit"]] * 2
        means += [row["Mean"]] * 2
        upper_text += [f"Process limit: {value_text(row['Upper process limit'], indicator)}"] * 2
        lower_text += [f"Process limit: {value_text(row['Lower process limit'], indicator)}"] * 2
        mean_text += [f"Mean: {value_text(row['Mean'], indicator)}"] * 2
    limits = plain.trace(
        "scatter",
        x=[*xs, None, *xs],
        y=[*uppers, None, *lowers],
        mode="lines",
        name="Process limits",
        line={"color": LIMIT_LINE, "width": 2, "dash": "dash"},
        hovertext=[*upper_text, None, *lower_text],
        hoverinfo="text",
        meta="limits",
    )
    mean = plain.trace(
        "scatter",
        x=xs,
        y=means,
        mode="lines",
        name="Mean",
        line={"color": REFERENCE_LINE, "width": 2},
        hovertext=mean_text,
        hoverinfo="text",
        meta="mean",
    )
    return [limits, mean]


def _short(reason: str) -> str:
    return reason if len(reason) <= LABEL_LENGTH else reason[: LABEL_LENGTH - 1].rstrip() + "…"


def _label_at_top(values: list, index: int) -> bool:
    """Whether a break's label goes at the top of the chart: unless the figures after the break sit higher
    than those before, where the top right would be crowded and the bottom right is clear."""
    before = [v for v in values[:index] if v is not None]
    after = [v for v in values[index:] if v is not None]
    if not before or not after:
        return True
    return sum(after) / len(after) <= sum(before) / len(before)


def break_marks(
    data: pd.DataFrame, breaks: Sequence[PhaseBreak], area_name: str
) -> tuple[list[dict], list[dict]]:
    """A solid vertical line at the start of each new phase, labelled with its period and reason (shapes,
    annotations), named "process-change" so that they can be told from the provisional shading. The label
    sits at the top, or at the bottom where the figures have moved up."""
    shapes, annotations = [], []
    values = floats(data[area_name])
    for number, change in enumerate(breaks):
        x = iso(pd.Timestamp(data["period_start"].iloc[change.index]))
        top = _label_at_top(values, change.index)
        shapes.append(
            {
                "type": "line",
                "name": "process-change",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"color": colours.TEXT, "width": 2},
            }
        )
        step = 0.1 * (number % 3)
        annotations.append(
            {
                "name": "process-change",
                "xref": "x",
                "yref": "paper",
                "x": x,
                "y": 1 - step if top else step,
                "xanchor": "left",
                "yanchor": "top" if top else "bottom",
                "align": "left",
                "text": f"<b>From {change.period}</b><br>{_short(change.reason)}",
                "hovertext": change.words,
                "showarrow": False,
                "bgcolor": "rgba(255, 255, 255, 0.9)",
                "font": {"size": 13, "color": colours.TEXT},
            }
        )
    return shapes, annotations


def _with_breaks(layout: dict, data: pd.DataFrame, breaks: Sequence[PhaseBreak], area_name: str) -> dict:
    shapes, annotations = break_marks(data, breaks, area_name)
    return {
        **layout,
        "shapes": [*layout.get("shapes", []), *shapes],
        "annotations": [*layout.get("annotations", []), *annotations],
    }


def _special_cause_traces(x: list[str], values: list, hover: list[str], point_types: Sequence[str]) -> list:
    """Each kind of special-cause point as its own coloured, named series."""
    traces = []
    for point_type, words in SPC_POINT_WORDS.items():
        chosen = [i for i, t in enumerate(point_types) if t == point_type]
        if point_type == "common_cause" or not chosen:
            continue
        traces.append(
            plain.trace(
                "scatter",
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


def spc_figure(
    data: pd.DataFrame,
    indicator: Mapping,
    area_name: str,
    phases: Sequence[SpcResult],
    breaks: Sequence[PhaseBreak] = (),
) -> dict:
    """Limits and mean for each phase, target, the figures in grey, special-cause points coloured on top,
    and a labelled line where each new phase starts."""
    x = period_positions(data)
    values = floats(data[area_name])
    hover = [
        f"<b>{p}</b><br>{area_name}: {value_text(v, indicator)}<br>{w}"
        for p, v, w in zip(data["Period"].tolist(), values, data["Point"], strict=True)
    ]
    traces = _reference_traces(data, indicator)
    step = target_step(data, indicator)
    if step is not None:
        traces.append(step)
    traces.append(_figures_trace(x, values, hover, "Figures (common cause)"))
    point_types = [t for phase in phases for t in phase.point_types]
    traces += _special_cause_traces(x, values, hover, point_types)
    return plain.figure(traces, _with_breaks(time_layout(data, indicator), data, breaks, area_name))


# --- The words ------------------------------------------------------------------------------------------


def spc_headline(
    indicator: Mapping,
    area_name: str,
    variation: str,
    assurance: str | None,
    target: float | None,
    since: str | None = None,
) -> str:
    """ "Smoking at delivery in Fenland varies only as much as usual, and will hit and miss the 6% target";
    "... since 2024/25 Q1, ..." when the judgement is of the phase that started then."""
    name = display_name(indicator.get("short_name", ""))
    text = f"{name} in {area_name} {_VARIATION_PHRASE.get(variation, '')}"
    if since:
        text += f" since {since}"
    if assurance in _ASSURANCE_PHRASE and target is not None:
        text += ", and " + _ASSURANCE_PHRASE[assurance].format(
            t=format_value(target, indicator.get("unit", ""), trim=True)
        )
    return text


def phase_notes(breaks: Sequence[PhaseBreak]) -> list[Component]:
    """Where the limits were recalculated and why, one line per break (nothing when there is none)."""
    if not breaks:
        return []
    return [
        html.Ul(
            [html.Li(f"{change.words}.", className="app-indicator-chart__phase") for change in breaks],
            className="app-body app-indicator-chart__phases",
            id="spc-phases",
        )
    ]


def _status_notes(
    row: ScorecardRow,
    variation: str,
    current: int,
    breaks: Sequence[PhaseBreak],
    baseline: Baseline | None = None,
) -> list:
    """The scorecard's variation and assurance as tags, where the limits were recalculated, what a fixed
    baseline does, and the trial-limits label when it applies (``current`` figures the limits come from)."""
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
        ),
        *phase_notes(breaks),
    ]
    if baseline is not None:
        notes.append(html.P(baseline.words, className="app-body", id="spc-baseline"))
    if row.spc_trial_limits:
        since = f" since {breaks[-1].period}" if breaks else ""
        notes.append(
            html.P(
                [
                    html.Strong(
                        "Trial limits (fewer than 12 points)", className="app-indicator-chart__trial"
                    ),
                    f" The limits{since} are from {current} figures; they will settle as more are added.",
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
    current: SpcResult,
    row: ScorecardRow,
    variation: str,
    breaks: Sequence[PhaseBreak],
    baseline: Baseline | None = None,
) -> str:
    """The chart in words for screen readers: the figures, where the limits were recalculated, a fixed
    baseline, the current phase's mean and limits, special-cause points, statuses."""
    special = public[public["Point"] != "Common cause"]
    text = (
        f"Statistical process control chart of {indicator.get('short_name')} for {area_name}, "
        f"{len(public)} figures from {public['Period'].iloc[0]} to {public['Period'].iloc[-1]}. "
    )
    if breaks:
        text += " ".join(f"{change.words}." for change in breaks) + " "
    if baseline is not None:
        text += f"{baseline.words} "
    text += f"Since {breaks[-1].period}: mean " if breaks else "Mean "
    text += (
        f"{value_text(current.mean, indicator)}, process limits {value_text(current.lpl, indicator)} to "
        f"{value_text(current.upl, indicator)}. "
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
    phases: Sequence[SpcResult],
    row: ScorecardRow,
    *,
    where: str,
    breaks: Sequence[PhaseBreak] = (),
    baseline: Baseline | None = None,
) -> Chart:
    """An XmR chart in the Making Data Count style: the figures in grey with special-cause points coloured
    (improvement blue, concern orange, neutral purple), the mean, the process limits and the target, with
    the scorecard's variation and assurance. ``data`` is :func:`spc_data`'s table for ``phases`` (one
    :class:`SpcResult` per phase, split at ``breaks``); ``row`` must be judged (``row.spc_judged``, with its
    variation), and is the judgement of the current phase. With a ``baseline`` the limits were fixed on the
    first figures of each phase, and the chart says so in its subtitle and notes."""
    variation = row.spc_variation
    if not row.spc_judged or variation is None:
        raise ValueError(f"no SPC judgement of {row.indicator_code} for {row.area_code} to chart")
    public = data.drop(columns=["period_start", "period_end"])
    current = len(public) - (breaks[-1].index if breaks else 0) if baseline is None else baseline.used
    since = breaks[-1].period if breaks else None
    words = subtitle(indicator, where, list(data["Period"]))
    return Chart(
        key="spc",
        headline=spc_headline(indicator, area_name, variation, row.spc_assurance, row.target, since),
        subtitle=f"{words.removesuffix('.')}; {baseline.short}." if baseline else words,
        source=source_line(indicator),
        summary=_spc_summary(public, indicator, area_name, phases[-1], row, variation, breaks, baseline),
        figure=spc_figure(data, indicator, area_name, phases, breaks),
        data=public,
        caption=f"{indicator.get('short_name')}: {area_name}, statistical process control",
        numeric=tuple(
            c for c in public.columns if c not in ("Period", "Point", "Provisional", "Note", "Process change")
        ),
        notes=_status_notes(row, variation, current, breaks, baseline),
        filename=f"{indicator.get('code')}-{slug(area_name)}-spc.csv",
    )


def too_few_chart(
    data: pd.DataFrame,
    indicator: Mapping,
    area_name: str,
    points: int,
    *,
    where: str,
    breaks: Sequence[PhaseBreak] = (),
) -> Chart:
    """The figures alone, without a mean, limits or judgement, when there are too few for a process chart:
    ``points`` is the scorecard's count (of the current phase, when a process change started one), said in
    the scorecard's words. ``data`` is :func:`figures_data`'s table."""
    values = floats(data[area_name])
    hover = [
        f"<b>{p}</b><br>{area_name}: {value_text(v, indicator)}"
        for p, v in zip(data["Period"].tolist(), values, strict=True)
    ]
    figure = plain.figure(
        [_figures_trace(period_positions(data), values, hover, "Figures")],
        _with_breaks(time_layout(data, indicator), data, breaks, area_name),
    )
    public = data.drop(columns=["period_start", "period_end"])
    words = status.too_few_for_spc(points)
    since = f" since the process change in {breaks[-1].period}" if breaks else ""
    note = html.P(
        [
            words,
            f" The figures are shown without a mean or process limits, and their variation{since} is not "
            "judged.",
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
            + " ".join(f"{change.words}." for change in breaks)
            + (" " if breaks else "")
            + "The figures are in the table below the chart."
        ),
        figure=figure,
        data=public,
        caption=f"{indicator.get('short_name')}: {area_name}, figures for a process chart",
        numeric=(area_name,),
        notes=[*phase_notes(breaks), note],
        filename=f"{indicator.get('code')}-{slug(area_name)}-spc.csv",
    )
