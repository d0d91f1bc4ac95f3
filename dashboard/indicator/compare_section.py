"""Compared with other areas: the local areas' latest figures as bars beside a map, each area's comparison
with England in words, and which areas have no figure for that period; then the same areas on a funnel plot
around England, with the areas outside its limits listed in words (or why there is no funnel plot)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from dash import html

from dashboard import data_access
from dashboard.components.attributes import extra
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.compare import compare_chart, compare_data
from dashboard.components.charts.funnel import (
    funnel_chart,
    funnel_data,
    funnel_input,
    place_lists,
    why_not,
)
from dashboard.components.charts.map import map_figure, map_summary
from dashboard.components.charts.panel import chart_block, graph_image
from dashboard.formatting import number
from dashboard.indicator.area_set_callbacks import area_set_form
from dashboard.indicator.context import Context
from dashboard.indicator.view import KEEPS_FOCUS, SET_PREFIX
from data import boundaries
from data.areas import (
    CAMBRIDGESHIRE,
    CAMBRIDGESHIRE_DISTRICTS,
    ENGLAND,
    LOCAL_AREAS,
    PETERBOROUGH,
    comparison_set,
    region_of,
    tier_of,
)
from data.areas import (
    TIER_WORDS as SET_TIER_WORDS,
)

LOWER_TIER = (*CAMBRIDGESHIRE_DISTRICTS, PETERBOROUGH)
UPPER_TIER = (CAMBRIDGESHIRE, PETERBOROUGH)
TIER_AREAS = {"lower": LOWER_TIER, "upper": UPPER_TIER}
TIER_WORDS = {
    "lower": "Cambridgeshire districts and Peterborough",
    "upper": "Cambridgeshire and Peterborough",
}


@dataclass
class Comparison:
    """The areas compared: their rows for one period, the map's tier, England's figure, who is missing."""

    rows: pd.DataFrame
    period: str
    tier: str | None
    england: float | None
    missing: list[str]
    where: str = ""
    """The compared areas in words ("counties and unitary authorities in the East of England")."""
    whole_set: bool = False
    """True for a comparison set (the area's tier in its region or England), every one of which is mapped."""

    def on_map(self) -> list[str]:
        """The compared areas that are drawn on the map (those of its tier)."""
        if self.whole_set:
            return [str(code) for code in self.rows["area_code"]]
        return [code for code in self.rows["area_code"] if code in TIER_AREAS.get(self.tier or "", ())]


def _in_period(frame: pd.DataFrame, period: pd.Series) -> pd.DataFrame:
    """The rows of ``frame`` for the same period as ``period`` (same first and last day)."""
    return frame[
        (frame["period_start"] == period["period_start"]) & (frame["period_end"] == period["period_end"])
    ]


def set_words(ctx: Context, kind: str) -> str:
    """The comparison set ``kind`` of the reader's area in words."""
    if kind.startswith(SET_PREFIX):
        return f"the areas in the set \u201c{kind.removeprefix(SET_PREFIX)}\u201d"
    tier = tier_of(ctx.area) or "upper"
    if kind == "type":
        return f"all {SET_TIER_WORDS[tier]} in England"
    region = region_of(ctx.area)
    return f"{SET_TIER_WORDS[tier]} in {ctx.names.get(region or '', 'the region')}"


def _set_comparison(ctx: Context, kind: str) -> Comparison | None:
    """The authorities of the area's tier in its region, or in England, for the latest period the area (or,
    if it has none, any of them) has a figure for."""
    if kind.startswith(SET_PREFIX):
        saved = data_access.area_sets().get(kind.removeprefix(SET_PREFIX), ())
        codes = tuple(dict.fromkeys((ctx.area, *saved)))
    else:
        codes = comparison_set(ctx.area, kind)
    if not codes:
        return None
    series = data_access.indicator_series(str(ctx.indicator["code"]), codes)
    held = series[series["value"].notna()]
    if held.empty:
        return None
    own = held[held["area_code"] == ctx.area]
    newest = (own if not own.empty else held).sort_values(["period_end", "period_start"]).iloc[-1]
    rows = _in_period(held, newest)
    england = _in_period(ctx.series[ctx.series["area_code"] == ENGLAND], newest)
    england_value = number(england["value"].iloc[0]) if len(england) else None
    if ctx.indicator["value_type"] == "count":
        england_value = None
    return Comparison(
        rows=rows,
        period=str(newest["period_label"]),
        tier=None if kind.startswith(SET_PREFIX) else tier_of(ctx.area),
        england=england_value,
        missing=[code for code in codes if code not in set(rows["area_code"])],
        where=set_words(ctx, kind),
        whole_set=True,
    )


def comparison(ctx: Context) -> Comparison | None:
    """The areas to compare, as the link chooses (``compare``): by default, for the latest period any local
    area has a figure for, the Cambridgeshire districts and Peterborough when at least two districts have
    one, else Cambridgeshire and Peterborough (the reader's own area joins them if it has a figure for that
    period); or the authorities of the area's tier in its own region, or in all England."""
    if ctx.view.compare != "local":
        return _set_comparison(ctx, ctx.view.compare)
    local = ctx.series[ctx.series["area_code"].isin(LOCAL_AREAS) & ctx.series["value"].notna()]
    if local.empty:
        return None
    newest = local.sort_values(["period_end", "period_start"]).iloc[-1]
    latest = _in_period(local, newest)
    chosen: tuple[str, ...]
    tier: str | None
    if len(latest[latest["area_code"].isin(CAMBRIDGESHIRE_DISTRICTS)]) >= 2:
        chosen, tier = LOWER_TIER, "lower"
    elif latest["area_code"].isin(UPPER_TIER).any():
        chosen, tier = UPPER_TIER, "upper"
    else:
        chosen, tier = tuple(latest["area_code"]), None
    rows = latest[latest["area_code"].isin(chosen)]
    if ctx.area not in set(rows["area_code"]) and ctx.area in set(latest["area_code"]):
        rows = pd.concat([rows, latest[latest["area_code"] == ctx.area]])
    england = _in_period(ctx.series[ctx.series["area_code"] == ENGLAND], newest)
    england_value = number(england["value"].iloc[0]) if len(england) else None
    if ctx.indicator["value_type"] == "count":
        england_value = None
    return Comparison(
        rows=rows,
        period=str(newest["period_label"]),
        tier=tier,
        england=england_value,
        missing=[code for code in chosen if code not in set(rows["area_code"])],
        where=TIER_WORDS.get(tier or "", "local areas"),
    )


def compare_figures(ctx: Context, found: Comparison | None = None) -> tuple[Chart, Comparison] | None:
    """The compare-areas chart and the comparison it draws, or None when no local area has a figure."""
    found = found or comparison(ctx)
    if found is None:
        return None
    data = compare_data(found.rows, ctx.indicator, ctx.names, england=found.england, on_map=found.on_map())
    chart = compare_chart(
        data,
        ctx.indicator,
        ctx.area,
        ctx.area_name,
        period=found.period,
        england=found.england,
        where=found.where,
    )
    return chart, found


def _england_rows(ctx: Context, found: Comparison) -> pd.DataFrame:
    """England's row for the compared period."""
    first = found.rows.iloc[0]
    return _in_period(ctx.series[ctx.series["area_code"] == ENGLAND], first)


def funnel_figures(ctx: Context, found: Comparison | None = None) -> tuple[Chart | None, str | None]:
    """The funnel plot of the compared areas around England, or None and the reason there is none."""
    found = found or comparison(ctx)
    if found is None:
        return None, None
    england = _england_rows(ctx, found)
    reason = why_not(ctx.indicator, found.rows, england)
    if reason is not None:
        return None, reason
    given = funnel_input(ctx.indicator, found.rows, england, found.period)
    frame = funnel_data(given, ctx.names)
    return funnel_chart(frame, given, ctx.indicator, ctx.area, where=found.where), None


# --- The section --------------------------------------------------------------------------------------------


def _panel(title: str, figure: html.Div) -> html.Div:
    return html.Div(
        [html.H4(title, className="app-indicator-chart__panel-title"), figure],
        className="app-indicator-chart__panel",
    )


def _map_panel(ctx: Context, found: Comparison) -> html.Div | None:
    """The map of the compared areas of one tier, or None when there is no tier or no boundary."""
    if not found.tier:
        return None
    frame = compare_data(found.rows, ctx.indicator, ctx.names, england=found.england)
    geojson = boundaries.boundaries(found.on_map(), found.tier)
    if not geojson["features"]:
        return None
    figure = map_figure(frame, geojson, ctx.indicator, ctx.area)
    return _panel("Map", graph_image("map", figure, map_summary(frame, geojson)))


def _notes(ctx: Context, found: Comparison) -> list:
    """Which compared areas have no figure for the period, and why counts are not compared."""
    notes = []
    if found.missing:
        names = [ctx.names.get(c, c) for c in found.missing]
        total = len(names) + len(found.rows)
        listed = ", ".join(names) if len(names) <= 12 else f"{len(names)} of the {total} areas"
        notes.append(
            html.P(
                f"No figure for {found.period} for {listed}.",
                className="app-secondary",
                id="compare-missing",
            )
        )
    if ctx.indicator["value_type"] == "count":
        notes.append(
            html.P(
                "These are counts, which depend on the size of each area, so they are not compared "
                "with England.",
                className="app-secondary",
            )
        )
    return notes


def _funnel_words(chart: Chart) -> html.Div:
    """The areas outside the limits, in words, under the funnel plot."""
    lists = place_lists(chart.data)
    items = []
    for key, words, id in (
        ("outside", "Outside the 99.8% limits", "funnel-outside"),
        ("between", "Between the 95% and 99.8% limits", "funnel-between"),
        ("within", "Within the 95% limits", "funnel-within"),
        ("not assessed", "Not assessed (no count or denominator)", "funnel-not-assessed"),
    ):
        if lists[key] or key in ("outside", "between"):
            listed = ", ".join(lists[key]) if lists[key] else "none"
            items.append(html.Li([html.Strong(f"{words}: "), listed], id=id))
    explainer = html.P(
        "Each point is an area, placed by its size (across) and its figure (up). The limits fan out around "
        "England because a small area's figure varies more by chance. An area outside the 99.8% limits "
        "(dotted lines) differs from England by more than chance would explain. One between the 95% "
        "(dashed) and 99.8% limits is worth watching: about 1 area in 20 lands outside the 95% limits by "
        "chance alone.",
        className="app-body",
    )
    return html.Div([explainer, html.Ul(items, className="app-list", id="funnel-outliers")])


def _funnel_block(ctx: Context, found: Comparison) -> html.Div:
    chart, reason = funnel_figures(ctx, found)
    if chart is None:
        return html.Div(
            [
                html.H3("Funnel plot", className="app-indicator-chart__headline"),
                html.P(reason, className="app-body", id="funnel-none"),
            ],
            className="app-indicator-chart app-indicator-chart--none",
            id="chart-funnel-none",
        )
    body = [graph_image(chart.key, chart.figure, chart.summary), _funnel_words(chart)]
    return chart_block(chart, ctx.indicator, body=body)


def _set_choice(ctx: Context) -> html.Nav:
    """Links to the comparison sets: the local areas, the area's tier in its region, all of its tier in
    England; the one shown is marked as current. Each is a link, so the set is in the URL."""
    kinds = [("local", "Cambridgeshire and Peterborough")]
    if tier_of(ctx.area):
        kinds += [("region", set_words(ctx, "region")), ("type", set_words(ctx, "type"))]
    kinds += [(f"{SET_PREFIX}{name}", f"saved set \u201c{name}\u201d") for name in data_access.area_sets()]
    items = []
    for kind, words in kinds:
        label = words[:1].upper() + words[1:]
        if kind == ctx.view.compare:
            items.append(html.Li(html.Strong(label), **extra({"aria-current": "true"})))
        else:
            link = ctx.view.href(compare=kind) + "#compare-areas"
            items.append(html.Li(html.A(label, href=link, id=f"compare-set-{kind}", className=KEEPS_FOCUS)))
    return html.Nav(
        [
            html.P("Compare with:", className="app-body", id="compare-set-label"),
            html.Ul(items, className="app-list"),
        ],
        id="compare-sets",
        **extra({"aria-labelledby": "compare-set-label"}),
    )


def compare_section(ctx: Context) -> html.Section:
    """ "Compared with other areas": the bar chart and map side by side in one chart panel."""
    children: list = [
        html.H2("Compared with other areas", className="app-heading-l", id="compare-heading"),
        _set_choice(ctx),
    ]
    made = compare_figures(ctx)
    if made is None:
        where = (
            "Cambridgeshire and Peterborough"
            if ctx.view.compare == "local"
            else set_words(ctx, ctx.view.compare)
        )
        children.append(
            html.P(
                f"There are no figures for any of the {where} to compare.",
                className="app-body",
                id="compare-empty",
            )
            if ctx.view.compare != "local"
            else html.P(
                "There are no figures for any area in Cambridgeshire and Peterborough to compare.",
                className="app-body",
                id="compare-empty",
            )
        )
    else:
        chart, found = made
        panels = [_panel("Bar chart", graph_image(chart.key, chart.figure, chart.summary))]
        map_panel = _map_panel(ctx, found)
        if map_panel is not None:
            panels.append(map_panel)
        body = [html.Div(panels, className="app-indicator-chart__panels"), *_notes(ctx, found)]
        children.append(chart_block(chart, ctx.indicator, body=body))
        children.append(_funnel_block(ctx, found))
    form = area_set_form(ctx.view, ctx.names)
    if form is not None:
        children.append(form)
    return html.Section(
        children,
        className="app-indicator-section",
        id="compare-areas",
        **extra({"aria-labelledby": "compare-heading"}),
    )
