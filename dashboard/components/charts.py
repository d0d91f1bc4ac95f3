"""The indicator page's charts: trend, statistical process control (SPC), compare areas, map, inequalities.

Each chart is built in two steps. A ``*_data`` function makes the table of exactly what will be plotted
(one row per point or bar, with reader-facing column names); a ``*_chart`` function draws the figure from
that table alone and returns a :class:`Chart`, which carries the table too. So the table view and the CSV
download are the plotted figures, not a separate query. :func:`chart_block` lays a chart out as the UK
Analysis Function guidance asks: a headline that states the message, a subtitle saying what is measured and
where, the figure (with a text summary for screen readers), the source, a table view and a CSV download.

Styling comes from the one Plotly template (:mod:`dashboard.theme`); the charts set only what is theirs:
series colours, the Making Data Count colours for SPC and the Fingertips benchmark colours for the map.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import colours
from dashboard.components import status
from dashboard.components.govuk import details, table
from dashboard.formatting import (
    axis_title,
    format_interval,
    format_value,
    is_true,
    number,
    period_noun,
)

CI_BAND = "rgba(18, 67, 109, 0.2)"
"""The 95% confidence band: the area's dark blue, light."""
PROVISIONAL_SHADE = "rgba(80, 90, 95, 0.14)"
ENGLAND_LINE = colours.TURQUOISE
REGION_LINE = colours.DARK_PINK
REFERENCE_LINE = colours.TEXT
LIMIT_LINE = colours.SECONDARY_TEXT
TEXT_HALO = "1px 1px 2px #ffffff, -1px -1px 2px #ffffff, 1px -1px 2px #ffffff, -1px 1px 2px #ffffff"
CHART_HEIGHT = 460
MIN_SPC_POINTS = 2

GRAPH_CONFIG = {"displayModeBar": False, "scrollZoom": False, "responsive": True, "doubleClick": False}
"""No toolbar (nothing to focus inside the chart), no zooming by accident on a projector."""

SPC_POINT_WORDS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause — improving",
    "special_cause_concern": "Special cause — concern",
    "special_cause_neutral_high": "Special cause — high",
    "special_cause_neutral_low": "Special cause — low",
}
SPC_IMPROVEMENT = {"higher_is_better": "increase", "lower_is_better": "decrease", "no_judgement": "neutral"}

DEPRIVATION_ORDER = (
    "most deprived quintile",
    "second most deprived quintile",
    "average deprived quintile",
    "second least deprived quintile",
    "least deprived quintile",
)


@dataclass
class Chart:
    """A chart and everything shown around it."""

    key: str
    """Unique on the page; names the download ("trend", "spc", "compare", "inequalities-sex")."""
    headline: str
    subtitle: str
    source: str
    summary: str
    """What the chart shows, in words, for screen readers."""
    figure: go.Figure
    data: pd.DataFrame
    """Exactly what is plotted, one row per point or bar: the table view and the CSV download."""
    caption: str
    numeric: tuple[str, ...] = ()
    notes: list = field(default_factory=list)
    """Components shown between the subtitle and the figure (status tags, a trial-limits label)."""
    filename: str = "figures.csv"

    def csv(self) -> str:
        return self.data.to_csv(index=False)


# --- Words shared by the charts -------------------------------------------------------------------------


def display_name(short_name: str) -> str:
    """A short name that can sit inside a sentence: "Obesity: Reception" -> "Obesity (Reception)"."""
    if ": " in short_name:
        first, rest = short_name.split(": ", 1)
        return f"{first} ({rest})"
    return short_name


def in_sentence(short_name: str) -> str:
    """A short name to use mid-sentence: "Self-harm admissions (10-24)" -> "self-harm admissions (10-24)".

    The first letter is lowered only for an ordinary word: not for an abbreviation ("MMR", "A&E") or a
    name whose other words are capitalised too ("Getting Ready for Change completed")."""
    name = display_name(short_name)
    first, _, rest = name.partition(" ")
    outside_brackets = re.sub(r"\([^)]*\)", "", rest)
    if (
        len(first) > 1
        and first[0].isupper()
        and first[1:].replace("-", "").isalpha()
        and first[1:].islower()
        and not any(word[:1].isupper() for word in outside_brackets.split())
    ):
        return first[0].lower() + name[1:]
    return name


def source_line(indicator: Mapping, *, boundaries: bool = False) -> str:
    """ "Source: OHID Fingertips, indicator 90813", or the provider return for illustrative figures."""
    if is_true(indicator.get("illustrative")):
        text = "Source: provider quarterly return (illustrative figures)"
    elif number(indicator.get("fingertips_id")) is not None:
        text = f"Source: OHID Fingertips, indicator {int(number(indicator['fingertips_id']))}"
    else:
        text = f"Source: {indicator.get('source')}"
    if boundaries:
        text += ". Boundaries: Office for National Statistics, Open Government Licence v3.0"
    return text + "."


def subtitle(indicator: Mapping, where: str, periods: Sequence[str] = ()) -> str:
    """What is measured and where: "Hospital admissions as a result of self-harm (10-24 years), per
    100,000: Cambridgeshire, 2011/12 to 2017/18"."""
    unit = indicator.get("unit") or ""
    measure = indicator.get("name") or indicator.get("short_name") or ""
    if unit and unit != "number":
        measure += f" ({unit})"
    text = f"{measure}: {where}"
    labels = [p for p in periods if p]
    if len(labels) == 1:
        text += f", {labels[0]}"
    elif labels:
        text += f", {labels[0]} to {labels[-1]}"
    if is_true(indicator.get("illustrative")):
        text = "Illustrative figures, not real provider data. " + text
    return text + "."


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "figures"


def _value(value, indicator: Mapping) -> str:
    return format_value(value, indicator.get("unit", ""), indicator.get("value_type", ""))


def _period_mid(start, end) -> pd.Timestamp:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return start + (end - start) / 2


def _iso(day: pd.Timestamp) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def _floats(series: pd.Series) -> list[float | None]:
    return [number(v) for v in series]


def _whole_or_float(series: pd.Series) -> pd.Series:
    """Counts as whole numbers ("1485", not "1485.0") when they are whole, which they nearly always are."""
    values = pd.to_numeric(series, errors="coerce").reset_index(drop=True)
    present = values.dropna()
    if (present == present.round()).all():
        return values.round().astype("Int64")
    return values


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a small table as plain dicts (much quicker to loop over than ``iterrows``)."""
    return frame.to_dict("records")


def _yes_no(value) -> str:
    return "Yes" if is_true(value) else "No"


def _value_axis(indicator: Mapping) -> dict:
    unit = indicator.get("unit", "")
    axis = {"title": {"text": axis_title(unit)}, "fixedrange": True}
    if unit == "%":
        axis["ticksuffix"] = "%"
    return axis


def _period_axis(mids: Sequence[pd.Timestamp], labels: Sequence[str]) -> dict:
    return {
        "type": "date",
        "tickmode": "array",
        "tickvals": [_iso(m) for m in mids],
        "ticktext": list(labels),
        "fixedrange": True,
        "title": {"text": ""},
    }


def _with_gaps(x: list[str], y: list, starts: Sequence, ends: Sequence) -> tuple[list, list]:
    """Break the line where periods are missing (more than half a period between one and the next)."""
    if len(x) < 2:
        return x, y
    out_x, out_y = [x[0]], [y[0]]
    for i in range(1, len(x)):
        length = pd.Timestamp(ends[i]) - pd.Timestamp(starts[i])
        gap = pd.Timestamp(starts[i]) - pd.Timestamp(ends[i - 1])
        if gap > length / 2:
            out_x.append(None)
            out_y.append(None)
        out_x.append(x[i])
        out_y.append(y[i])
    return out_x, out_y


def _base_layout(**extra) -> dict:
    layout = {
        "height": CHART_HEIGHT,
        "dragmode": False,
        "hovermode": "closest",
        "margin": {"l": 16, "r": 24, "t": 56, "b": 16},
    }
    layout.update(extra)
    return layout


# --- Trend over time ------------------------------------------------------------------------------------


def target_per_period(
    periods: pd.DataFrame, targets: pd.DataFrame, indicator_code: str, area_code: str
) -> list:
    """The target in force for each period (``period_start`` column), or None.

    The scorecard's rule (:func:`data.scorecard.applicable_targets`), period by period: the latest target
    whose ``effective_from`` is on or before the period's start, an area's own target taking precedence over
    one set for every area. A target that changed over time shows as a step.
    """
    if targets is None or targets.empty:
        return [None] * len(periods)
    mine = targets[(targets["indicator_code"] == indicator_code) & targets["area_code"].isin(["", area_code])]
    if mine.empty:
        return [None] * len(periods)
    mine = mine.assign(own=mine["area_code"] == area_code, effective=pd.to_datetime(mine["effective_from"]))
    mine = mine.sort_values(["own", "effective", "version"])
    result = []
    for start in pd.to_datetime(periods["period_start"]):
        in_force = mine[mine["effective"] <= start]
        result.append(number(in_force["target"].iloc[-1]) if len(in_force) else None)
    return result


def trend_data(
    series: pd.DataFrame,
    indicator: Mapping,
    area_code: str,
    names: Mapping[str, str],
    *,
    benchmarks: Sequence[str],
    targets: pd.DataFrame | None,
    ci: bool,
) -> pd.DataFrame:
    """One row per period of the area's series: its value (with 95% limits when ``ci``), count and
    denominator, provisional flag and note, each benchmark area's value and the target in force.

    Columns without a single figure are left out, so the table holds only what the chart shows. The
    period's first and last day are kept in ``period_start`` and ``period_end`` (not shown; they place the
    points on the time axis).
    """
    area = series[series["area_code"] == area_code].sort_values(["period_end", "period_start"])
    area = area.drop_duplicates(["period_start", "period_end"], keep="last")
    name = names.get(area_code, area_code)
    frame = pd.DataFrame(
        {
            "Period": area["period_label"].to_numpy(),
            name: _floats(area["value"]),
        }
    )
    has_limits = area["lower95"].notna() & area["upper95"].notna()
    if ci and has_limits.any():
        frame["Lower 95% limit"] = _floats(area["lower95"].where(has_limits))
        frame["Upper 95% limit"] = _floats(area["upper95"].where(has_limits))
    for column, name in (("count", "Count"), ("denominator", "Denominator")):
        if area[column].notna().any():
            frame[name] = _whole_or_float(area[column])
    frame["Provisional"] = [_yes_no(v) for v in area["provisional"]]
    frame["Value note"] = area["value_note"].fillna("").to_numpy()
    keys = area[["period_start", "period_end"]].reset_index(drop=True)
    for code in benchmarks:
        other = series[series["area_code"] == code][["period_start", "period_end", "value"]]
        values = keys.merge(other, on=["period_start", "period_end"], how="left")["value"]
        if values.notna().any():
            frame[names.get(code, code)] = _floats(values)
    target_values = target_per_period(keys, targets, indicator.get("code", ""), area_code)
    if any(t is not None for t in target_values) and indicator.get("polarity") != "no_judgement":
        frame["Target"] = target_values
    if is_true(indicator.get("illustrative")):
        frame["Note"] = "Illustrative figures, not real provider data"
    frame["period_start"] = keys["period_start"].to_numpy()
    frame["period_end"] = keys["period_end"].to_numpy()
    return frame


def _hover_lines(frame: pd.DataFrame, column: str, indicator: Mapping) -> list[str]:
    """Hover text for each point: value, 95% limits, count and denominator, note."""
    lines = []
    for row in _records(frame):
        parts = [f"<b>{row['Period']}</b>", f"{column}: {_value(row[column], indicator)}"]
        if "Lower 95% limit" in row:
            interval = format_interval(
                row["Lower 95% limit"],
                row["Upper 95% limit"],
                indicator.get("unit", ""),
                indicator.get("value_type", ""),
            )
            if interval:
                parts.append(f"95% confidence interval: {interval}")
        count, denominator = number(row.get("Count")), number(row.get("Denominator"))
        if count is not None and denominator is not None:
            parts.append(f"{count:,.0f} out of {denominator:,.0f}")
        elif count is not None:
            parts.append(f"Count: {count:,.0f}")
        if row["Provisional"] == "Yes":
            parts.append("Provisional")
        if row.get("Value note"):
            parts.append(str(row["Value note"]))
        lines.append("<br>".join(parts))
    return lines


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    runs, start = [], None
    for i, flag in enumerate(list(flags) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def _band_trace(x: list[str], lower: list, upper: list) -> tuple[go.Scatter | None, go.Scatter | None]:
    """The 95% confidence interval: a light band over runs of two or more points, whiskers on points that
    stand alone. Only the first of the two carries the legend entry, so it is labelled once."""
    present = [lo is not None and up is not None for lo, up in zip(lower, upper)]
    band_x, band_y, lone = [], [], []
    for first, last in _runs(present):
        if first == last:
            lone.append(first)
            continue
        xs = x[first : last + 1]
        band_x += xs + xs[::-1] + [None]
        band_y += upper[first : last + 1] + lower[first : last + 1][::-1] + [None]
    band = None
    if band_x:
        band = go.Scatter(
            x=band_x,
            y=band_y,
            fill="toself",
            fillcolor=CI_BAND,
            line={"width": 0},
            mode="lines",
            name="95% confidence interval",
            legendgroup="ci",
            hoverinfo="skip",
            meta="ci-band",
        )
    whiskers = None
    if lone:
        values = [(lower[i] + upper[i]) / 2 for i in lone]
        whiskers = go.Scatter(
            x=[x[i] for i in lone],
            y=values,
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 16, "color": colours.DARK_BLUE, "line": {"width": 2.5}},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [upper[i] - v for i, v in zip(lone, values)],
                "arrayminus": [v - lower[i] for i, v in zip(lone, values)],
                "color": colours.DARK_BLUE,
                "thickness": 2.5,
                "width": 10,
            },
            name="95% confidence interval",
            legendgroup="ci",
            showlegend=band is None,
            hoverinfo="skip",
            meta="ci-whiskers",
        )
    return band, whiskers


def _target_step(frame: pd.DataFrame, indicator: Mapping) -> go.Scatter | None:
    """The target in force, as a step: flat across each period, changing where the target changed."""
    if "Target" not in frame:
        return None
    xs, ys, texts = [], [], []
    for row in _records(frame):
        target = number(row["Target"])
        if target is None:
            xs.append(None)
            ys.append(None)
            texts.append("")
            continue
        text = f"Target for {row['Period']}: {format_value(target, indicator.get('unit', ''), trim=True)}"
        end = pd.Timestamp(row["period_end"]) + pd.Timedelta(days=1)
        xs += [_iso(row["period_start"]), _iso(end)]
        ys += [target, target]
        texts += [text, text]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name="Target",
        line={"color": colours.MDC_TARGET, "width": 3, "dash": "dash"},
        hovertext=texts,
        hoverinfo="text",
        meta="target",
    )


def _provisional_shapes(frame: pd.DataFrame) -> tuple[list, list]:
    shapes, annotations = [], []
    for first, last in _runs(list(frame["Provisional"] == "Yes")):
        x0 = _iso(frame["period_start"].iloc[first])
        x1 = _iso(pd.Timestamp(frame["period_end"].iloc[last]) + pd.Timedelta(days=1))
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


def trend_headline(frame: pd.DataFrame, indicator: Mapping, area_name: str, row: Mapping) -> str:
    """The message of the trend chart, from the figures: a significant trend if there is one, else the
    change from the first figure to the latest; then whether the area was above or below England
    throughout."""
    name = f"{display_name(indicator.get('short_name', ''))} in {area_name}"
    values = [
        (p, v) for p, v in zip(frame["Period"].tolist(), frame[area_name].tolist()) if number(v) is not None
    ]
    if not values:
        return f"There are no figures for {area_name}"
    noun = period_noun(row.get("granularity"))
    trend = str(row.get("trend") or "")
    if trend.startswith(("increasing", "decreasing")):
        moved = "risen" if trend.startswith("increasing") else "fallen"
        text = f"{name} has {moved} significantly over the latest five {noun}"
        if trend.endswith("better"):
            text += ", an improvement"
        elif trend.endswith("worse"):
            text += ", a worsening"
        text += f": {_value(values[-1][1], indicator)} in {values[-1][0]}"
    elif trend == "no significant change":
        text = (
            f"{name} has not changed significantly over the latest five {noun}: "
            f"{_value(values[-1][1], indicator)} in {values[-1][0]}"
        )
    elif len(values) == 1:
        text = f"{name} was {_value(values[0][1], indicator)} in {values[0][0]}"
    else:
        (p0, v0), (p1, v1) = values[0], values[-1]
        first, last = _value(v0, indicator), _value(v1, indicator)
        if first == last:
            text = f"{name} was {last} in {p1}, the same as in {p0}"
        else:
            text = f"{name} {'rose' if v1 > v0 else 'fell'} from {first} in {p0} to {last} in {p1}"
    if "England" in frame and len(values) >= 2:
        pairs = [(number(a), number(e)) for a, e in zip(frame[area_name].tolist(), frame["England"].tolist())]
        pairs = [(a, e) for a, e in pairs if a is not None and e is not None]
        if len(pairs) == len(values):
            single = noun.removesuffix("s")
            if all(a > e for a, e in pairs):
                text += f", higher than England in every {single}"
            elif all(a < e for a, e in pairs):
                text += f", lower than England in every {single}"
    return text


def trend_chart(
    frame: pd.DataFrame, indicator: Mapping, area_name: str, row: Mapping, *, where: str
) -> Chart:
    """The area's figures over time with the 95% interval, England and the region, the target, and the
    provisional periods shaded."""
    mids = [_period_mid(s, e) for s, e in zip(frame["period_start"].tolist(), frame["period_end"])]
    x = [_iso(m) for m in mids]
    starts, ends = list(frame["period_start"]), list(frame["period_end"])
    figure = go.Figure()
    if "Lower 95% limit" in frame:
        band, whiskers = _band_trace(x, _floats(frame["Lower 95% limit"]), _floats(frame["Upper 95% limit"]))
        for trace in (band, whiskers):
            if trace is not None:
                figure.add_trace(trace)
    benchmark_columns = [c for c in frame.columns if c in ("England", "East of England")]
    for column, colour in zip(benchmark_columns, (ENGLAND_LINE, REGION_LINE)):
        gx, gy = _with_gaps(x, _floats(frame[column]), starts, ends)
        texts = _with_gaps(
            x,
            [
                f"<b>{p}</b><br>{column}: {_value(v, indicator)}"
                for p, v in zip(frame["Period"].tolist(), frame[column].tolist())
            ],
            starts,
            ends,
        )[1]
        figure.add_trace(
            go.Scatter(
                x=gx,
                y=gy,
                mode="lines+markers",
                name=column,
                line={"color": colour, "width": 3},
                marker={"size": 9, "color": colour},
                hovertext=texts,
                hoverinfo="text",
                meta=f"benchmark-{slug(column)}",
            )
        )
    step = _target_step(frame, indicator)
    if step is not None:
        figure.add_trace(step)
    gx, gy = _with_gaps(x, _floats(frame[area_name]), starts, ends)
    hover = _hover_lines(frame, area_name, indicator)
    hover_gapped = _with_gaps(x, hover, starts, ends)[1]
    figure.add_trace(
        go.Scatter(
            x=gx,
            y=gy,
            mode="lines+markers",
            name=area_name,
            line={"color": colours.DARK_BLUE, "width": 4},
            marker={"size": 9, "color": colours.DARK_BLUE},
            hovertext=hover_gapped,
            hoverinfo="text",
            meta="area",
        )
    )
    shapes, annotations = _provisional_shapes(frame)
    figure.update_layout(
        **_base_layout(
            xaxis=_period_axis(mids, frame["Period"]),
            yaxis=_value_axis(indicator),
            shapes=shapes,
            annotations=annotations,
        )
    )
    public = frame.drop(columns=["period_start", "period_end"])
    return Chart(
        key="trend",
        headline=trend_headline(frame, indicator, area_name, row),
        subtitle=subtitle(indicator, where, list(frame["Period"])),
        source=source_line(indicator),
        summary=_trend_summary(frame, indicator, area_name),
        figure=figure,
        data=public,
        caption=f"{indicator.get('short_name')}: {area_name}, by period",
        numeric=tuple(c for c in public.columns if c not in ("Period", "Provisional", "Value note", "Note")),
        filename=f"{indicator.get('code')}-{slug(area_name)}-trend.csv",
    )


def _trend_summary(frame: pd.DataFrame, indicator: Mapping, area_name: str) -> str:
    values = [
        (p, v) for p, v in zip(frame["Period"].tolist(), frame[area_name].tolist()) if number(v) is not None
    ]
    if not values:
        return f"Line chart with no figures for {area_name}."
    text = (
        f"Line chart of {indicator.get('short_name')} for {area_name} from {values[0][0]} to {values[-1][0]}, "
        f"{len(values)} figures. First {_value(values[0][1], indicator)}, latest {_value(values[-1][1], indicator)}."
    )
    others = [c for c in ("England", "East of England") if c in frame]
    if others:
        text += f" Also shown: {' and '.join(others)}."
    if "Target" in frame:
        text += " A dashed line marks the target."
    if "Lower 95% limit" in frame:
        text += " A shaded band shows the 95% confidence interval."
    if (frame["Provisional"] == "Yes").any():
        text += " Provisional periods are shaded."
    return text + " The figures are in the table below the chart."


# --- Statistical process control ------------------------------------------------------------------------


def spc_data(frame: pd.DataFrame, area_name: str, result) -> pd.DataFrame:
    """The SPC chart's table: each period's value, the mean and process limits, the target and the point's
    type in words. ``frame`` is :func:`trend_data`'s table limited to periods with a value; ``result`` is
    :func:`metrics.spc.xmr` of those values."""
    data = pd.DataFrame({"Period": frame["Period"].to_numpy(), area_name: _floats(frame[area_name])})
    data["Mean"] = result.mean
    data["Lower process limit"] = result.lpl
    data["Upper process limit"] = result.upl
    if "Target" in frame:
        data["Target"] = frame["Target"].to_numpy()
    data["Point"] = [SPC_POINT_WORDS.get(t, t) for t in result.point_types]
    data["Provisional"] = frame["Provisional"].to_numpy()
    if "Note" in frame:
        data["Note"] = frame["Note"].to_numpy()
    data["period_start"] = frame["period_start"].to_numpy()
    data["period_end"] = frame["period_end"].to_numpy()
    return data


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


def spc_headline(
    indicator: Mapping, area_name: str, variation: str, assurance: str | None, target: float | None
) -> str:
    text = f"{display_name(indicator.get('short_name', ''))} in {area_name} {_VARIATION_PHRASE.get(variation, '')}"
    if assurance in _ASSURANCE_PHRASE and target is not None:
        text += ", and " + _ASSURANCE_PHRASE[assurance].format(
            t=format_value(target, indicator.get("unit", ""), trim=True)
        )
    return text


def spc_chart(
    data: pd.DataFrame, indicator: Mapping, area_name: str, result, *, where: str, target: float | None
) -> Chart:
    """An XmR chart in the Making Data Count style: the figures in grey with special-cause points coloured
    (improvement blue, concern orange, neutral purple), the mean, the process limits and the target."""
    mids = [_period_mid(s, e) for s, e in zip(data["period_start"].tolist(), data["period_end"])]
    x = [_iso(m) for m in mids]
    values = _floats(data[area_name])
    figure = go.Figure()
    first, last = (
        _iso(pd.Timestamp(data["period_start"].iloc[0])),
        _iso(pd.Timestamp(data["period_end"].iloc[-1]) + pd.Timedelta(days=1)),
    )
    figure.add_trace(
        go.Scatter(
            x=[first, last, None, first, last],
            y=[result.upl, result.upl, None, result.lpl, result.lpl],
            mode="lines",
            name="Process limits",
            line={"color": LIMIT_LINE, "width": 2, "dash": "dash"},
            hovertemplate="Process limit: %{y:,.1f}<extra></extra>",
            meta="limits",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[first, last],
            y=[result.mean, result.mean],
            mode="lines",
            name="Mean",
            line={"color": REFERENCE_LINE, "width": 2},
            hovertemplate="Mean: %{y:,.1f}<extra></extra>",
            meta="mean",
        )
    )
    step = _target_step(data, indicator)
    if step is not None:
        figure.add_trace(step)
    hover = [
        f"<b>{p}</b><br>{area_name}: {_value(v, indicator)}<br>{w}"
        for p, v, w in zip(data["Period"].tolist(), values, data["Point"])
    ]
    figure.add_trace(
        go.Scatter(
            x=x,
            y=values,
            mode="lines+markers",
            name="Figures (common cause)",
            line={"color": colours.MDC_COMMON_CAUSE, "width": 3},
            marker={"size": 9, "color": colours.MDC_COMMON_CAUSE, "line": {"color": LIMIT_LINE, "width": 1}},
            hovertext=hover,
            hoverinfo="text",
            meta="figures",
        )
    )
    for point_type, words in SPC_POINT_WORDS.items():
        if point_type == "common_cause":
            continue
        chosen = [i for i, t in enumerate(result.point_types) if t == point_type]
        if not chosen:
            continue
        figure.add_trace(
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
    shapes, annotations = _provisional_shapes(data)
    figure.update_layout(
        **_base_layout(
            xaxis=_period_axis(mids, data["Period"]),
            yaxis=_value_axis(indicator),
            shapes=shapes,
            annotations=annotations,
        )
    )
    variation, assurance = result.variation, result.assurance
    notes = [
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
                        status.status_tag(status.assurance(assurance)),
                    ]
                ),
            ],
            className="app-indicator-chart__statuses",
            id="spc-statuses",
        )
    ]
    if result.trial_limits:
        notes.append(
            html.P(
                [
                    html.Strong(
                        "Trial limits (fewer than 12 points)", className="app-indicator-chart__trial"
                    ),
                    f" The limits are from {len(values)} figures; they will settle as more are added.",
                ],
                className="app-body",
                id="spc-trial-limits",
            )
        )
    public = data.drop(columns=["period_start", "period_end"])
    special = public[public["Point"] != "Common cause"]
    summary = (
        f"Statistical process control chart of {indicator.get('short_name')} for {area_name}, "
        f"{len(values)} figures from {data['Period'].iloc[0]} to {data['Period'].iloc[-1]}. "
        f"Mean {_value(result.mean, indicator)}, process limits {_value(result.lpl, indicator)} to "
        f"{_value(result.upl, indicator)}. "
    )
    if len(special):
        summary += (
            "Special cause points: "
            + "; ".join(f"{p} ({w.lower()})" for p, w in zip(special["Period"], special["Point"]))
            + ". "
        )
    else:
        summary += "No special cause points. "
    summary += (
        f"Variation: {status.variation(variation).words}. Assurance: {status.assurance(assurance).words}."
    )
    return Chart(
        key="spc",
        headline=spc_headline(indicator, area_name, variation, assurance, target),
        subtitle=subtitle(indicator, where, list(data["Period"])),
        source=source_line(indicator),
        summary=summary,
        figure=figure,
        data=public,
        caption=f"{indicator.get('short_name')}: {area_name}, statistical process control",
        numeric=tuple(c for c in public.columns if c not in ("Period", "Point", "Provisional", "Note")),
        notes=notes,
        filename=f"{indicator.get('code')}-{slug(area_name)}-spc.csv",
    )


# --- Compare areas and the map --------------------------------------------------------------------------


def comparison_key(row: Mapping, england: float | None, polarity: str, value_type: str) -> tuple[str, str]:
    """How one area compares with England, and on what basis: ('worse', 'computed') from its 95% interval,
    ('better', 'published') as the source published it, or ('not compared', '')."""
    from metrics import compare

    if value_type == "count" or number(row.get("value")) is None:
        return "not compared", ""
    lower, upper = number(row.get("lower95")), number(row.get("upper95"))
    if england is not None and lower is not None and upper is not None and lower <= upper:
        return compare.benchmark(lower=lower, upper=upper, benchmark=england, polarity=polarity), "computed"
    published = str(row.get("published_comparison") or "").strip().lower()
    if published in status.BENCHMARK_KEYS and published != "not compared":
        return published, "published"
    return "not compared", ""


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
    records = []
    for row in _records(rows):
        key, basis = comparison_key(row, england, polarity, value_type)
        records.append(
            {
                "area_code": row["area_code"],
                "Area": names.get(row["area_code"], row["area_code"]),
                "Value": number(row["value"]),
                "Lower 95% limit": number(row.get("lower95")),
                "Upper 95% limit": number(row.get("upper95")),
                "Compared with England": status.benchmark(key).words,
                "Basis of comparison": {
                    "computed": "Tested: England against this area\u2019s 95% interval",
                    "published": "As published by OHID",
                }.get(basis, ""),
                "On the map": "Yes" if row["area_code"] in on_map else "No",
                "comparison": key,
            }
        )
    if not records:
        return pd.DataFrame.from_records(records)
    records.sort(key=lambda r: (r["Value"] is None, -(r["Value"] or 0), r["Area"]))
    if england is not None:
        records.append(
            {
                "area_code": "E92000001",
                "Area": "England",
                "Value": england,
                "Lower 95% limit": None,
                "Upper 95% limit": None,
                "Compared with England": "Benchmark",
                "Basis of comparison": "",
                "On the map": "No",
                "comparison": "benchmark",
            }
        )
    frame = pd.DataFrame.from_records(records)
    if frame[["Lower 95% limit", "Upper 95% limit"]].isna().all().all():
        frame = frame.drop(columns=["Lower 95% limit", "Upper 95% limit"])
    if not frame["Basis of comparison"].astype(bool).any():
        frame = frame.drop(columns=["Basis of comparison"])
    return frame


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
        if _value(va, indicator) == _value(vb, indicator):
            return f"{a} and {b} had the same figure for {name} in {period} ({_value(va, indicator)})"
        return f"{a} ({_value(va, indicator)}) was higher than {b} ({_value(vb, indicator)}) for {name} in {period}"
    mine = ranked.index[ranked["area_code"] == our_area]
    if len(mine) and len(ranked) > 2:
        position = int(mine[0]) + 1
        place = {1: "the highest", len(ranked): "the lowest"}.get(
            position, f"the {_ordinal(position)} highest"
        )
        area = ranked.loc[mine[0], "Area"]
        return f"{area} had {place} figure of {len(ranked)} areas for {name} in {period}"
    return f"{display_name(indicator.get('short_name', ''))} in {period}, by area"


def _ordinal(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}.get(n, f"{n}th")


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
    blue and the rest grey; England as a dashed vertical line."""
    areas = frame[frame["comparison"] != "benchmark"]
    labels = [f"{a}  {_value(v, indicator)}" for a, v in zip(areas["Area"].tolist(), areas["Value"])]
    ours = (areas["area_code"] == our_area).to_list()
    has_ci = "Lower 95% limit" in areas
    figure = go.Figure()
    for chosen, name, colour in (
        (ours, our_name, colours.OUR_AREA),
        ([not o for o in ours], "Other areas", colours.THE_REST),
    ):
        idx = [i for i, flag in enumerate(chosen) if flag]
        if not idx:
            continue
        part = areas.iloc[idx]
        values = _floats(part["Value"])
        trace = {
            "x": values,
            "y": [labels[i] for i in idx],
            "orientation": "h",
            "name": name,
            "marker": {"color": colour},
            "meta": "our-area" if colour == colours.OUR_AREA else "other-areas",
            "hovertext": [
                f"<b>{a}</b><br>{_value(v, indicator)}<br>{w}"
                for a, v, w in zip(part["Area"].tolist(), part["Value"], part["Compared with England"])
            ],
            "hoverinfo": "text",
        }
        if has_ci:
            lower, upper = _floats(part["Lower 95% limit"]), _floats(part["Upper 95% limit"])
            trace["error_x"] = {
                "type": "data",
                "symmetric": False,
                "color": colours.TEXT,
                "thickness": 2,
                "width": 8,
                "array": [None if u is None or v is None else u - v for u, v in zip(upper, values)],
                "arrayminus": [None if lo is None or v is None else v - lo for lo, v in zip(lower, values)],
            }
        figure.add_trace(go.Bar(**trace))
    highest = max(
        [v for v in _floats(areas["Value"]) if v is not None]
        + [england or 0]
        + ([u for u in _floats(areas["Upper 95% limit"]) if u is not None] if has_ci else [])
    )
    shapes, annotations = [], []
    if england is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": england,
                "x1": england,
                "y0": 0,
                "y1": 1,
                "line": {"color": REFERENCE_LINE, "width": 3, "dash": "dash"},
            }
        )
        # The line is a shape, so that it spans the whole chart; this empty trace names it in the legend.
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=f"England {_value(england, indicator)}",
                line={"color": REFERENCE_LINE, "width": 3, "dash": "dash"},
                meta="england",
            )
        )
    height = max(260, 70 + 52 * len(areas))
    figure.update_layout(
        **_base_layout(
            height=height,
            barmode="overlay",
            hovermode="closest",
            shapes=shapes,
            annotations=annotations,
            margin={"l": 16, "r": 24, "t": 72, "b": 16},
            xaxis={
                **_value_axis(indicator),
                "range": [0, highest * 1.1 if highest > 0 else 1],
                "showgrid": True,
                "gridcolor": "#e5e6e7",
            },
            yaxis={
                "categoryorder": "array",
                "categoryarray": labels[::-1],
                "fixedrange": True,
                "showgrid": False,
                "title": {"text": ""},
                "ticks": "",
            },
        )
    )
    ours_row = areas[areas["area_code"] == our_area]
    name = in_sentence(indicator.get("short_name", ""))
    nothing_compared = bool((areas["comparison"] == "not compared").all())
    if nothing_compared:
        headline = _ranking_headline(areas, indicator, our_area, name, period)
    elif len(ours_row):
        words = ours_row["Compared with England"].iloc[0]
        if ours_row["comparison"].iloc[0] == "not compared":
            headline = f"{our_name} is not compared with England for {name} in {period}"
        else:
            headline = f"{our_name} is {words[0].lower()}{words[1:]} for {name} in {period}"
    else:
        headline = f"{display_name(indicator.get('short_name', ''))} in {period}, by area"
    counts = _comparison_counts(frame)
    if counts and len(areas) > 1 and not nothing_compared:
        headline += f"; {counts}"
    public = frame.drop(columns=["area_code", "comparison"])
    summary = (
        f"Bar chart of {indicator.get('short_name')} in {period} for {len(areas)} areas, highest first: "
        + "; ".join(
            f"{a} {_value(v, indicator)}, {w.lower()}"
            for a, v, w in zip(areas["Area"].tolist(), areas["Value"], areas["Compared with England"])
        )
        + "."
    )
    if england is not None:
        summary += f" England {_value(england, indicator)} is shown as a dashed line."
    return Chart(
        key="compare",
        headline=headline,
        subtitle=subtitle(indicator, where, [period]),
        source=source_line(indicator, boundaries=True),
        summary=summary,
        figure=figure,
        data=public,
        caption=f"{indicator.get('short_name')} in {period}, by area",
        numeric=tuple(c for c in ("Value", "Lower 95% limit", "Upper 95% limit") if c in public),
        filename=f"{indicator.get('code')}-compare-areas-{slug(period)}.csv",
    )


def map_figure(frame: pd.DataFrame, geojson: dict, indicator: Mapping, our_area: str) -> dict:
    """A choropleth of the areas in ``geojson`` coloured by their comparison with England (Fingertips
    colours), each comparison named in the legend and the hover, and the reader's area outlined.

    A plain geo layout with no base map and no tiles: nothing is fetched from the internet. The labels trace
    comes first on purpose: plotly.js fetches its world outline (from cdn.plot.ly) when the first trace on a
    map names a location mode, as a choropleth does, and not when it is a trace placed by longitude and
    latitude.

    Returned as a plain figure dictionary with the boundaries added after Plotly has checked the rest, so
    that the GeoJSON is neither copied nor validated on every request (it is most of the figure's size).
    """
    features = {f["id"]: f for f in geojson["features"]}
    shown = frame[frame["area_code"].isin(features)].reset_index(drop=True)
    codes, areas, values = shown["area_code"].tolist(), shown["Area"].tolist(), shown["Value"].tolist()
    words = shown["Compared with England"].tolist()
    present = [key for key in status.BENCHMARK_KEYS if key in set(shown["comparison"])]
    colourscale = []
    for i, key in enumerate(present):  # one flat band of colour per comparison: z = i + 0.5
        colour = status.benchmark(key).background
        colourscale += [[i / len(present), colour], [(i + 1) / len(present), colour]]
    figure = go.Figure()
    figure.add_trace(
        go.Scattergeo(
            lon=[features[c]["properties"]["label_lon"] for c in codes],
            lat=[features[c]["properties"]["label_lat"] for c in codes],
            text=[f"{a}<br>{_value(v, indicator)}" for a, v in zip(areas, values)],
            mode="text",
            textfont={"size": 15, "color": colours.TEXT, "shadow": TEXT_HALO},
            hoverinfo="skip",
            showlegend=False,
            meta="labels",
        )
    )
    figure.add_trace(
        go.Choropleth(
            locations=codes,
            z=[present.index(k) + 0.5 for k in shown["comparison"]],
            zmin=0,
            zmax=len(present),
            colorscale=colourscale,
            showscale=False,
            showlegend=False,
            marker={"line": {"color": colours.WHITE, "width": 1.5}},
            hovertext=[
                f"<b>{a}</b><br>{_value(v, indicator)}<br>{w}" for a, v, w in zip(areas, values, words)
            ],
            hoverinfo="text",
            meta="map-areas",
        )
    )
    if our_area in features and our_area in codes:
        lon, lat = _outline(features[our_area]["geometry"])
        figure.add_trace(
            go.Scattergeo(
                lon=lon,
                lat=lat,
                mode="lines",
                line={"color": colours.TEXT, "width": 4},
                hoverinfo="skip",
                name=f"{areas[codes.index(our_area)]} (outlined)",
                meta="map-our-area",
                showlegend=False,
            )
        )
    # The legend: each comparison in words beside its colour, and the reader's area as an outlined square.
    for key in present:
        figure.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="markers",
                name=status.benchmark(key).words,
                hoverinfo="skip",
                marker={
                    "symbol": "square",
                    "size": 16,
                    "color": status.benchmark(key).background,
                    "line": {"color": colours.TEXT, "width": 1},
                },
                meta=f"map-key-{slug(key)}",
            )
        )
    if our_area in codes:
        figure.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="markers",
                name=f"{areas[codes.index(our_area)]} (outlined)",
                marker={"symbol": "square-open", "size": 16, "color": colours.TEXT, "line": {"width": 3}},
                hoverinfo="skip",
                meta="map-key-our-area",
            )
        )
    figure.update_geos(
        fitbounds="locations",
        visible=False,
        showframe=False,
        showland=False,
        showcoastlines=False,
        showcountries=False,
        showlakes=False,
        showocean=False,
        showrivers=False,
        showsubunits=False,
        projection={"type": "mercator"},
    )
    figure.update_layout(
        height=520,
        dragmode=False,
        margin={"l": 0, "r": 0, "t": 56, "b": 0},
        legend={"itemclick": False, "itemdoubleclick": False},
    )
    result = figure.to_plotly_json()
    result["data"][1]["geojson"] = {"type": "FeatureCollection", "features": [features[c] for c in codes]}
    return result


def _outline(geometry: dict) -> tuple[list, list]:
    """The rings of a Polygon or MultiPolygon as one line, rings separated by gaps."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lon, lat = [], []
    for polygon in polygons:
        for ring in polygon:
            lon += [point[0] for point in ring] + [None]
            lat += [point[1] for point in ring] + [None]
    return lon, lat


# --- Inequalities ---------------------------------------------------------------------------------------


def _category_order(categories: Sequence[str]) -> list[str]:
    def rank(category: str) -> tuple[int, str]:
        folded = category.strip().lower()
        return (
            (DEPRIVATION_ORDER.index(folded), "")
            if folded in DEPRIVATION_ORDER
            else (len(DEPRIVATION_ORDER), folded)
        )

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
    groups: pd.DataFrame, indicator: Mapping, area_code: str, names: Mapping[str, str], kind: str
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
    area_name = names.get(area_code, area_code)
    mine = period_rows[period_rows["area_code"] == area_code].set_index("group")
    england = period_rows[period_rows["area_code"] == "E92000001"].set_index("group")
    frame = pd.DataFrame({"Group": order, area_name: [number(mine.loc[g, "value"]) for g in order]})
    limits = mine[["lower95", "upper95"]].notna().all(axis=1)
    if limits.any():
        frame["Lower 95% limit"] = [number(mine.loc[g, "lower95"]) for g in order]
        frame["Upper 95% limit"] = [number(mine.loc[g, "upper95"]) for g in order]
    if len(england):
        frame["England"] = [number(england.loc[g, "value"]) if g in england.index else None for g in order]
    return frame, str(latest["period_label"])


def inequality_chart(
    frame: pd.DataFrame, indicator: Mapping, area_name: str, kind: str, period: str, *, where: str
) -> Chart:
    """Horizontal grouped bars: the area (dark blue) and England (grey) for each group."""
    figure = go.Figure()
    groups = list(frame["Group"])
    series = [(area_name, colours.OUR_AREA)] + ([("England", colours.THE_REST)] if "England" in frame else [])
    for column, colour in series:
        trace = {
            "x": _floats(frame[column]),
            "y": groups,
            "orientation": "h",
            "name": column,
            "marker": {"color": colour},
            "meta": slug(column),
            "hovertext": [
                f"<b>{g}</b><br>{column}: {_value(v, indicator)}" for g, v in zip(groups, frame[column])
            ],
            "hoverinfo": "text",
        }
        if column == area_name and "Lower 95% limit" in frame:
            values = _floats(frame[column])
            trace["error_x"] = {
                "type": "data",
                "symmetric": False,
                "color": colours.TEXT,
                "thickness": 2,
                "width": 8,
                "array": [
                    None if u is None or v is None else u - v
                    for u, v in zip(_floats(frame["Upper 95% limit"]), values)
                ],
                "arrayminus": [
                    None if lo is None or v is None else v - lo
                    for lo, v in zip(_floats(frame["Lower 95% limit"]), values)
                ],
            }
        figure.add_trace(go.Bar(**trace))
    figure.update_layout(
        **_base_layout(
            height=max(280, 90 + 60 * len(groups)),
            barmode="group",
            bargap=0.25,
            bargroupgap=0.05,
            xaxis={**_value_axis(indicator), "rangemode": "tozero", "showgrid": True, "gridcolor": "#e5e6e7"},
            yaxis={
                "categoryorder": "array",
                "categoryarray": groups[::-1],
                "fixedrange": True,
                "showgrid": False,
                "title": {"text": ""},
                "ticks": "",
            },
        )
    )
    values = [(g, v) for g, v in zip(groups, _floats(frame[area_name])) if v is not None]
    high = max(values, key=lambda item: item[1])
    low = min(values, key=lambda item: item[1])
    name = in_sentence(indicator.get("short_name", ""))
    if high[1] == low[1]:
        headline = f"In {area_name}, {name} was the same in every group in {period}"
    else:
        headline = (
            f"In {area_name}, {name} was highest in the {_group_words(high[0])} "
            f"({_value(high[1], indicator)}) and lowest in the {_group_words(low[0])} "
            f"({_value(low[1], indicator)}) in {period}"
        )
    summary = (
        f"Bar chart of {indicator.get('short_name')} by {kind.lower()} in {period}: "
        + "; ".join(f"{g} {_value(v, indicator)}" for g, v in values)
        + "."
    )
    if "England" in frame:
        summary += " England\u2019s figure for each group is shown beside it."
    return Chart(
        key=f"inequalities-{slug(kind)}",
        headline=headline,
        subtitle=subtitle(indicator, f"{where}, by {kind.lower()}", [period]),
        source=source_line(indicator),
        summary=summary,
        figure=figure,
        data=frame,
        caption=f"{indicator.get('short_name')} by {kind.lower()}, {area_name}, {period}",
        numeric=tuple(c for c in frame.columns if c != "Group"),
        filename=f"{indicator.get('code')}-{slug(area_name)}-{slug(kind)}.csv",
    )


def _group_words(group: str) -> str:
    return group[0].lower() + group[1:] if group[:1].isupper() and group[1:2].islower() else group


# --- Laying a chart out ----------------------------------------------------------------------------------


def _cell(value, column: str, indicator: Mapping) -> str:
    if column in ("Count", "Denominator"):
        v = number(value)
        return "" if v is None else f"{v:,.0f}"
    if isinstance(value, str):
        return value
    v = number(value)
    if v is None:
        return ""
    return format_value(v, indicator.get("unit", ""), indicator.get("value_type", ""))


def table_view(chart: Chart, indicator: Mapping) -> html.Div:
    """The chart's figures as a semantic table: caption, column headers, numbers right-aligned."""
    columns = tuple(c for c in chart.data.columns if c != "Note")  # the note is the same on every row
    rows = [[_cell(row[c], c, indicator) for c in columns] for row in _records(chart.data)]
    return html.Div(
        table(chart.caption, columns, rows, numeric=chart.numeric, caption_size="s", id=f"table-{chart.key}"),
        className="app-indicator-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": f"Table: {chart.caption} (scrolls sideways on a narrow screen)"},
    )


def chart_block(
    chart: Chart, indicator: Mapping, *, figure: go.Figure | None = None, extra: Sequence = ()
) -> html.Div:
    """A chart as the guidance lays it out: headline, subtitle, notes, the figure (an image to screen
    readers, named by its text summary), source line, table view and CSV download. ``figure`` replaces the
    chart's own (the map shares the bar chart's table)."""
    key = chart.key
    return html.Div(
        [
            html.H3(chart.headline, className="app-indicator-chart__headline", id=f"chart-{key}-headline"),
            html.P(chart.subtitle, className="app-indicator-chart__subtitle", id=f"chart-{key}-subtitle"),
            *chart.notes,
            html.Div(
                dcc.Graph(
                    figure=figure or chart.figure,
                    config=GRAPH_CONFIG,
                    className="app-indicator-chart__graph",
                    id=f"graph-{key}",
                ),
                role="img",
                className="app-indicator-chart__figure",
                id=f"chart-{key}-figure",
                **{"aria-label": chart.summary},
            ),
            *extra,
            html.P(chart.source, className="app-indicator-chart__source", id=f"chart-{key}-source"),
            details(
                f"Show the figures as a table: {chart.caption}",
                table_view(chart, indicator),
                id=f"chart-{key}-table",
            ),
            html.Div(
                [
                    html.Button(
                        f"Download the figures (CSV, {len(chart.data)} rows)",
                        type="button",
                        id={"type": "indicator-csv", "chart": key},
                        className="app-indicator-chart__download",
                        n_clicks=0,
                    ),
                    dcc.Download(id={"type": "indicator-download", "chart": key}),
                ],
                className="app-indicator-chart__actions",
            ),
        ],
        className="app-indicator-chart",
        id=f"chart-{key}",
    )


def csv_download(chart: Chart) -> dict:
    """What the download button sends: exactly the chart's table, as CSV."""
    return dcc.send_string(chart.csv(), chart.filename, type="text/csv")
