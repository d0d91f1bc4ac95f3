"""The trend chart: an area's figures over time with their 95% interval, England and the region, the target
in force, and the provisional periods shaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from dashboard import colours
from dashboard.components.charts import plain
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.figure_parts import (
    CI_BAND,
    ENGLAND_LINE,
    REGION_LINE,
    floats,
    period_positions,
    records,
    runs,
    target_step,
    time_layout,
    with_gaps,
)
from dashboard.components.charts.words import display_name, slug, source_line, subtitle, value_text
from dashboard.formatting import count, format_interval, is_true, number, period_noun

if TYPE_CHECKING:
    from dashboard.data_access import ScorecardRow

BENCHMARK_COLUMNS = ("England", "East of England")
TEXT_COLUMNS = ("Period", "Provisional", "Value note", "Data quality", "95% limits", "Note")
LIMITS_SOURCE = {"published": "Published", "calculated": "Calculated by this dashboard"}


# --- The table ------------------------------------------------------------------------------------------


def target_per_period(
    periods: pd.DataFrame, targets: pd.DataFrame | None, indicator_code: str, area_code: str
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


def _whole_or_float(series: pd.Series) -> pd.Series:
    """Counts as whole numbers ("1485", not "1485.0") when they are whole, which they nearly always are."""
    values = pd.to_numeric(series, errors="coerce").reset_index(drop=True)
    present = values.dropna()
    if (present == present.round()).all():
        return values.round().astype("Int64")
    return values


def _yes_no(value: object) -> str:
    return "Yes" if is_true(value) else "No"


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
    frame = pd.DataFrame(
        {"Period": area["period_label"].to_numpy(), names.get(area_code, area_code): floats(area["value"])}
    )
    has_limits = area["lower95"].notna() & area["upper95"].notna()
    if ci and has_limits.any():
        frame["Lower 95% limit"] = floats(area["lower95"].where(has_limits))
        frame["Upper 95% limit"] = floats(area["upper95"].where(has_limits))
    for column, name in (("count", "Count"), ("denominator", "Denominator")):
        if area[column].notna().any():
            frame[name] = _whole_or_float(area[column])
    frame["Provisional"] = [_yes_no(v) for v in area["provisional"]]
    frame["Value note"] = area["value_note"].fillna("").to_numpy()
    if "quality_note" in area and area["quality_note"].notna().any():
        frame["Data quality"] = area["quality_note"].fillna("").to_numpy()
    if (
        "Lower 95% limit" in frame
        and "limits_source" in area
        and area["limits_source"].eq("calculated").any()
    ):
        frame["95% limits"] = [LIMITS_SOURCE.get(s, "") for s in area["limits_source"].where(has_limits)]
    keys = area[["period_start", "period_end"]].reset_index(drop=True)
    for code in benchmarks:
        other = series[series["area_code"] == code][["period_start", "period_end", "value"]]
        values = keys.merge(other, on=["period_start", "period_end"], how="left")["value"]
        if values.notna().any():
            frame[names.get(code, code)] = floats(values)
    target_values = target_per_period(keys, targets, indicator.get("code", ""), area_code)
    if any(t is not None for t in target_values) and indicator.get("polarity") != "no_judgement":
        frame["Target"] = target_values
    if is_true(indicator.get("illustrative")):
        frame["Note"] = "Illustrative figures, not real provider data"
    frame["period_start"] = keys["period_start"].to_numpy()
    frame["period_end"] = keys["period_end"].to_numpy()
    return frame


# --- The figure -----------------------------------------------------------------------------------------


def point_details(row: Mapping, indicator: Mapping) -> list[str]:
    """What a point's hover says after its value, on every trend chart: the 95% interval, the count out of
    the denominator, whether it is provisional, its note and any data quality flag."""
    parts = []
    if "Lower 95% limit" in row:
        interval = format_interval(
            row["Lower 95% limit"],
            row["Upper 95% limit"],
            indicator.get("unit", ""),
            indicator.get("value_type", ""),
        )
        if interval:
            parts.append(f"95% confidence interval: {interval}")
    people, denominator = number(row.get("Count")), number(row.get("Denominator"))
    if people is not None and denominator is not None:
        parts.append(f"{count(people)} out of {count(denominator)}")
    elif people is not None:
        parts.append(f"Count: {count(people)}")
    if row["Provisional"] == "Yes":
        parts.append("Provisional")
    if row.get("Value note"):
        parts.append(str(row["Value note"]))
    if row.get("Data quality"):
        parts.append(f"Data quality: {row['Data quality']}")
    return parts


def _hover_lines(frame: pd.DataFrame, column: str, indicator: Mapping) -> list[str]:
    """Hover text for each point: value, 95% limits, count and denominator, note."""
    return [
        "<br>".join(
            [
                f"<b>{row['Period']}</b>",
                f"{column}: {value_text(row[column], indicator)}",
                *point_details(row, indicator),
            ]
        )
        for row in records(frame)
    ]


def _band_trace(x: list[str], lower: list, upper: list) -> tuple[dict | None, dict | None]:
    """The 95% confidence interval: a light band over runs of two or more points, whiskers on points that
    stand alone. Only the first of the two carries the legend entry, so it is labelled once."""
    present = [lo is not None and up is not None for lo, up in zip(lower, upper, strict=True)]
    band_x, band_y, lone = [], [], []
    for first, last in runs(present):
        if first == last:
            lone.append(first)
            continue
        xs = x[first : last + 1]
        band_x += xs + xs[::-1] + [None]
        band_y += upper[first : last + 1] + lower[first : last + 1][::-1] + [None]
    band = None
    if band_x:
        band = plain.trace(
            "scatter",
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
        whiskers = plain.trace(
            "scatter",
            x=[x[i] for i in lone],
            y=values,
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 16, "color": colours.DARK_BLUE, "line": {"width": 2.5}},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [upper[i] - v for i, v in zip(lone, values, strict=True)],
                "arrayminus": [v - lower[i] for i, v in zip(lone, values, strict=True)],
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


def _benchmark_trace(frame: pd.DataFrame, column: str, colour: str, indicator: Mapping) -> dict:
    """England's or the region's figures as a line, broken where a period is missing."""
    x = period_positions(frame)
    starts, ends = list(frame["period_start"]), list(frame["period_end"])
    gx, gy = with_gaps(x, floats(frame[column]), starts, ends)
    texts = [
        f"<b>{p}</b><br>{column}: {value_text(v, indicator)}"
        for p, v in zip(frame["Period"], frame[column], strict=True)
    ]
    return plain.trace(
        "scatter",
        x=gx,
        y=gy,
        mode="lines+markers",
        name=column,
        line={"color": colour, "width": 3},
        marker={"size": 9, "color": colour},
        hovertext=with_gaps(x, texts, starts, ends)[1],
        hoverinfo="text",
        meta=f"benchmark-{slug(column)}",
    )


def _area_trace(frame: pd.DataFrame, area_name: str, indicator: Mapping) -> dict:
    """The area's own figures: the dark blue line, broken where a period is missing."""
    x = period_positions(frame)
    starts, ends = list(frame["period_start"]), list(frame["period_end"])
    gx, gy = with_gaps(x, floats(frame[area_name]), starts, ends)
    return plain.trace(
        "scatter",
        x=gx,
        y=gy,
        mode="lines+markers",
        name=area_name,
        line={"color": colours.DARK_BLUE, "width": 4},
        marker={"size": 9, "color": colours.DARK_BLUE},
        hovertext=with_gaps(x, _hover_lines(frame, area_name, indicator), starts, ends)[1],
        hoverinfo="text",
        meta="area",
    )


def trend_figure(frame: pd.DataFrame, indicator: Mapping, area_name: str) -> dict:
    """The band, the benchmark lines, the target step and the area's line, in that order (last on top)."""
    traces: list[dict | None] = []
    if "Lower 95% limit" in frame:
        traces += _band_trace(
            period_positions(frame), floats(frame["Lower 95% limit"]), floats(frame["Upper 95% limit"])
        )
    present = [c for c in frame.columns if c in BENCHMARK_COLUMNS]
    for column, colour in zip(present, (ENGLAND_LINE, REGION_LINE), strict=False):
        traces.append(_benchmark_trace(frame, column, colour, indicator))
    traces += [
        target_step(frame, indicator),
        _area_trace(frame, area_name, indicator),
        _flagged_trace(frame, area_name),
    ]
    return plain.figure([t for t in traces if t is not None], time_layout(frame, indicator))


def _flagged_trace(frame: pd.DataFrame, area_name: str) -> dict | None:
    """A ring round each figure loaded with a data quality flag (its words are in the hover and the table)."""
    if "Data quality" not in frame:
        return None
    flagged = [i for i, note in enumerate(frame["Data quality"]) if note]
    x, values = period_positions(frame), floats(frame[area_name])
    return plain.trace(
        "scatter",
        x=[x[i] for i in flagged],
        y=[values[i] for i in flagged],
        mode="markers",
        marker={"symbol": "circle-open", "size": 20, "color": colours.DARK_BLUE, "line": {"width": 2}},
        name="Figure with a data quality flag",
        hoverinfo="skip",
        meta="quality-flag",
    )


# --- The words ------------------------------------------------------------------------------------------


def _figures(frame: pd.DataFrame, area_name: str) -> list[tuple[str, float]]:
    """(period, value) of each period with a figure."""
    return [
        (p, v)
        for p, v in zip(frame["Period"].tolist(), frame[area_name].tolist(), strict=True)
        if number(v) is not None
    ]


def _change_words(name: str, values: list[tuple[str, float]], indicator: Mapping) -> str:
    """Without a trend marker: the one figure, or the change from the first figure to the latest."""
    if len(values) == 1:
        return f"{name} was {value_text(values[0][1], indicator)} in {values[0][0]}"
    (p0, v0), (p1, v1) = values[0], values[-1]
    first, last = value_text(v0, indicator), value_text(v1, indicator)
    if first == last:
        return f"{name} was {last} in {p1}, the same as in {p0}"
    return f"{name} {'rose' if v1 > v0 else 'fell'} from {first} in {p0} to {last} in {p1}"


def _england_words(frame: pd.DataFrame, area_name: str, values: list, noun: str) -> str:
    """ ", higher than England in every year" when the area was on one side of England throughout."""
    if "England" not in frame or len(values) < 2:
        return ""
    maybe_pairs = [
        (number(a), number(e))
        for a, e in zip(frame[area_name].tolist(), frame["England"].tolist(), strict=True)
    ]
    pairs = [(a, e) for a, e in maybe_pairs if a is not None and e is not None]
    if len(pairs) != len(values):
        return ""
    single = noun.removesuffix("s")
    if all(a > e for a, e in pairs):
        return f", higher than England in every {single}"
    if all(a < e for a, e in pairs):
        return f", lower than England in every {single}"
    return ""


def trend_headline(frame: pd.DataFrame, indicator: Mapping, area_name: str, row: ScorecardRow) -> str:
    """The message of the trend chart, from the figures: a significant trend if there is one, else the
    change from the first figure to the latest; then whether the area was above or below England
    throughout."""
    name = f"{display_name(indicator.get('short_name', ''))} in {area_name}"
    values = _figures(frame, area_name)
    if not values:
        return f"There are no figures for {area_name}"
    noun = period_noun(row.granularity)
    trend = str(row.trend or "")
    latest = f"{value_text(values[-1][1], indicator)} in {values[-1][0]}"
    if trend.startswith(("increasing", "decreasing")):
        moved = "risen" if trend.startswith("increasing") else "fallen"
        text = f"{name} has {moved} significantly over the latest five {noun}"
        if trend.endswith("better"):
            text += ", an improvement"
        elif trend.endswith("worse"):
            text += ", a worsening"
        text += f": {latest}"
    elif trend == "no significant change":
        text = f"{name} has not changed significantly over the latest five {noun}: {latest}"
    else:
        text = _change_words(name, values, indicator)
    return text + _england_words(frame, area_name, values, noun)


def _trend_summary(frame: pd.DataFrame, indicator: Mapping, area_name: str) -> str:
    values = _figures(frame, area_name)
    if not values:
        return f"Line chart with no figures for {area_name}."
    text = (
        f"Line chart of {indicator.get('short_name')} for {area_name} from {values[0][0]} to "
        f"{values[-1][0]}, {len(values)} figures. First {value_text(values[0][1], indicator)}, "
        f"latest {value_text(values[-1][1], indicator)}."
    )
    others = [c for c in BENCHMARK_COLUMNS if c in frame]
    if others:
        text += f" Also shown: {' and '.join(others)}."
    if "Target" in frame:
        text += " A dashed line marks the target."
    if "Lower 95% limit" in frame:
        text += " A shaded band shows the 95% confidence interval."
    if (frame["Provisional"] == "Yes").any():
        text += " Provisional periods are shaded."
    if "Data quality" in frame:
        text += " A ring marks each figure with a data quality flag."
    return text + " The figures are in the table below the chart."


def trend_chart(
    frame: pd.DataFrame, indicator: Mapping, area_name: str, row: ScorecardRow, *, where: str
) -> Chart:
    """The area's figures over time with the 95% interval, England and the region, the target, and the
    provisional periods shaded; ``frame`` is :func:`trend_data`'s table."""
    public = frame.drop(columns=["period_start", "period_end"])
    return Chart(
        key="trend",
        headline=trend_headline(frame, indicator, area_name, row),
        subtitle=subtitle(indicator, where, list(frame["Period"])),
        source=source_line(indicator),
        summary=_trend_summary(frame, indicator, area_name),
        figure=trend_figure(frame, indicator, area_name),
        data=public,
        caption=f"{indicator.get('short_name')}: {area_name}, by period",
        numeric=tuple(c for c in public.columns if c not in TEXT_COLUMNS),
        filename=f"{indicator.get('code')}-{slug(area_name)}-trend.csv",
    )
