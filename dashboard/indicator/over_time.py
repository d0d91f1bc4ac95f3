"""Over time: the trend chart, or the statistical process control (SPC) chart, with the links that switch
between them and show or hide the confidence interval, and the choice of other areas to draw on the trend
chart (its county, the region, England, any other area with figures, or the areas of a saved set).

The SPC chart shows the scorecard's decisions (:class:`data.scorecard.ScorecardRow`): whether there are
enough figures to judge (``spc_judged``), the direction of improvement, the variation and assurance. With
too few figures it shows the points alone and says so, in the scorecard's words.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import dash
import pandas as pd
from dash import dcc, html
from dash.dependencies import Wildcard

from dashboard import data_access
from dashboard.components.attributes import extra
from dashboard.components.charts.chart import Chart
from dashboard.components.charts.panel import chart_block
from dashboard.components.charts.spc import (
    Baseline,
    PhaseBreak,
    figures_data,
    spc_chart,
    spc_data,
    too_few_chart,
)
from dashboard.components.charts.trend import trend_chart, trend_data
from dashboard.components.charts.trend_areas import MAX_AREAS, areas_trend_chart, areas_trend_data
from dashboard.components.govuk import details
from dashboard.indicator.context import Context
from dashboard.indicator.process_changes import process_changes_section
from dashboard.indicator.rare_events_section import rare_events_section
from dashboard.indicator.view import KEEPS_FOCUS, View, with_value
from data.areas import ENGLAND, LOCAL_AREAS, region_of
from metrics.spc import phase_starts, xmr_phased

VIEW_CHOICES = (("trend", "Trend over time"), ("spc", "Statistical process control (SPC)"))
BASELINE_CHOICES = (6, 12, 18, 24)
"""The baselines offered as links under the SPC chart (any from 2 works in the link), each shorter than the
longest phase."""


def _benchmarks(ctx: Context) -> list[str]:
    """England and the area's own region, except for counts (which depend on the size of the place)."""
    if ctx.indicator["value_type"] == "count":
        return []
    region = region_of(ctx.area)
    return [ENGLAND, region] if region else [ENGLAND]


def chosen_areas(ctx: Context) -> list[str] | None:
    """The other areas the reader chose for the trend chart, as many as fit (None: the default lines)."""
    if ctx.view.with_areas is None:
        return None
    return list(ctx.view.with_areas[: MAX_AREAS - 1])


def trend_figures(ctx: Context) -> Chart | None:
    """The trend chart for the view, or None when the area has no figures: the area with England and the
    region, or with the areas the reader chose."""
    if ctx.area_rows()["value"].notna().sum() == 0:
        return None
    chosen = chosen_areas(ctx)
    if chosen is not None:
        codes = [ctx.area, *chosen]
        table = areas_trend_data(
            ctx.series, ctx.indicator, codes, ctx.names, targets=ctx.targets, ci=ctx.view.ci
        )
        return areas_trend_chart(table, ctx.indicator, codes, ctx.names, ctx.row)
    data = trend_data(
        ctx.series,
        ctx.indicator,
        ctx.area,
        ctx.names,
        benchmarks=_benchmarks(ctx),
        targets=ctx.targets,
        ci=ctx.view.ci,
    )
    return trend_chart(data, ctx.indicator, ctx.area_name, ctx.row, where=ctx.area_name)


def phase_breaks(data: pd.DataFrame, changes: list[data_access.ProcessChange]) -> list[PhaseBreak]:
    """Where the recorded process changes split the chart's rows (``data``: the periods with a figure, in
    time order) into phases, each at the first period starting on or after its change date, as the
    scorecard splits them (:func:`metrics.spc.phase_starts`). Changes on one period share a break."""
    starts = list(data["period_start"])
    reasons: dict[int, list[str]] = {}
    for change in changes:
        for index in phase_starts(starts, [change.change_date]):
            reasons.setdefault(index, []).append(change.reason)
    return [
        PhaseBreak(index, str(data["Period"].iloc[index]), "; ".join(reasons[index]))
        for index in sorted(reasons)
    ]


def spc_figures(ctx: Context) -> Chart | None:
    """The SPC chart for the view: an XmR chart when the scorecard judges SPC, else the figures alone;
    None when the area has no figures. Recorded process changes split it into phases, each with its own
    limits; the judgement shown is the scorecard's, of the current phase. With a baseline in the link the
    limits of each phase are fixed on its first figures, and the judgement shown is that chart's."""
    if ctx.area_rows()["value"].notna().sum() == 0:
        return None
    data = trend_data(
        ctx.series, ctx.indicator, ctx.area, ctx.names, benchmarks=[], targets=ctx.targets, ci=False
    )
    data = data[data[ctx.area_name].notna()].reset_index(drop=True)
    breaks = phase_breaks(data, data_access.process_changes_for(ctx.view.code, ctx.area))
    row = ctx.row
    if not row.spc_judged or row.spc_variation is None:
        table = figures_data(data, ctx.area_name, breaks)
        return too_few_chart(
            table, ctx.indicator, ctx.area_name, row.spc_points, where=ctx.area_name, breaks=breaks
        )
    phases = xmr_phased(
        data[ctx.area_name].to_numpy(float),
        [b.index for b in breaks],
        improvement=row.improvement,
        target=row.target,
        baseline=ctx.view.baseline,
    )
    baseline = None
    if ctx.view.baseline is not None:
        current = phases[-1]
        row = replace(
            row,
            spc_variation=current.variation,
            spc_assurance=current.assurance,
            spc_trial_limits=current.trial_limits,
        )
        first = breaks[-1].index if breaks else 0
        used = min(ctx.view.baseline, len(data) - first)
        baseline = Baseline(
            ctx.view.baseline,
            used,
            str(data["Period"].iloc[first]),
            str(data["Period"].iloc[first + used - 1]),
            len(data) - first,
        )
    table = spc_data(data, ctx.area_name, phases, breaks)
    return spc_chart(
        table,
        ctx.indicator,
        ctx.area_name,
        phases,
        row,
        where=ctx.area_name,
        breaks=breaks,
        baseline=baseline,
    )


def _baseline_choices(ctx: Context) -> list[int]:
    """The baselines to offer: those shorter than the longest phase, and the one in the link."""
    data = ctx.area_rows()
    starts = sorted(data.loc[data["value"].notna(), "period_start"])
    changes = data_access.process_changes_for(ctx.view.code, ctx.area)
    edges = [0, *phase_starts(starts, [change.change_date for change in changes]), len(starts)]
    longest = max(end - start for start, end in itertools.pairwise(edges))
    chosen = {n for n in BASELINE_CHOICES if n < longest}
    return sorted(chosen | ({ctx.view.baseline} if ctx.view.baseline else set()))


def _baseline_item(ctx: Context, words: str, value: int | None) -> html.Li:
    """One choice of baseline: the one shown marked in words, the others links."""
    if value == ctx.view.baseline:
        return html.Li(
            html.Span(
                [words, html.Span(" (shown)", className="app-visually-hidden")],
                className="app-view-switch__current",
            ),
            className="app-view-switch__item",
        )
    key = value or "every"
    return html.Li(
        dcc.Link(
            words,
            href=ctx.view.href(baseline=str(value or "")),
            className=f"app-view-switch__link {KEEPS_FOCUS}",
            id=f"spc-baseline-{key}",
        ),
        className="app-view-switch__item",
    )


def baseline_control(ctx: Context) -> html.Div:
    """Links that fix the SPC limits on the first figures of each phase (``baseline`` in the link), the
    one shown marked in words, and a link back to limits from every figure (as the scorecard judges)."""
    items = [_baseline_item(ctx, "every figure", None)]
    items += [_baseline_item(ctx, f"the first {n} figures", n) for n in _baseline_choices(ctx)]
    return html.Div(
        [
            html.P(
                "Work out the process limits of each phase from:",
                className="app-body",
                id="spc-baseline-label",
            ),
            html.Ul(
                items, className="app-view-switch__list", **extra({"aria-labelledby": "spc-baseline-label"})
            ),
        ],
        className="app-view-switch",
        id="spc-baseline-control",
    )


# --- Controls -----------------------------------------------------------------------------------------------


def _view_switch(ctx: Context) -> html.Div:
    """Trend or SPC: the view shown marked in words, the other a link."""
    items = []
    for key, words in VIEW_CHOICES:
        item: html.Span | dcc.Link
        if key == ctx.view.view:
            item = html.Span(
                [words, html.Span(" (shown)", className="app-visually-hidden")],
                className="app-view-switch__current",
                id=f"view-{key}",
                tabIndex="-1",
            )
        else:
            item = dcc.Link(
                words,
                href=ctx.view.href(view=key),
                className=f"app-view-switch__link {KEEPS_FOCUS}",
                id=f"view-{key}",
            )
        items.append(html.Li(item, className="app-view-switch__item"))
    return html.Div(html.Ul(items, className="app-view-switch__list"), className="app-view-switch")


def _ci_toggle(ctx: Context) -> html.P:
    """A link to show or hide the 95% confidence interval, or a note that there is none."""
    rows = ctx.area_rows()
    if not (rows["lower95"].notna() & rows["upper95"].notna()).any():
        return html.P(
            "No confidence intervals are held for these figures.", className="app-secondary", id="ci-none"
        )
    words = "Hide the 95% confidence interval" if ctx.view.ci else "Show the 95% confidence interval"
    return html.P(
        dcc.Link(
            words,
            href=ctx.view.href(ci="off" if ctx.view.ci else "on"),
            id="ci-toggle",
            className=f"app-ci-toggle {KEEPS_FOCUS}",
        ),
        className="app-body",
    )


def _spc_explainer() -> html.P:
    return html.P(
        "A statistical process control chart shows whether figures vary only as much as they usually do "
        "(common cause, grey) or something has changed (special cause: blue for an improvement, orange for a "
        "concern). The dashed grey lines are the process limits, where nearly all figures fall while nothing "
        "changes.",
        className="app-body",
    )


# --- Areas on the trend chart ----------------------------------------------------------------------------


def choice_id(part: str, chart: str | Wildcard = "trend") -> dict:
    """The id of a part of the choice of areas. Pattern-matching ids, as the parts exist only on the trend
    view: the callback that reads them (on ``MATCH``) is not checked against pages without them."""
    return {"type": f"trend-{part}", "chart": chart}


def more_areas_id(group: str | Wildcard, chart: str | Wildcard = "trend") -> dict:
    """The id of one region's list under "More areas" (the callback reads them all, on ``ALL``)."""
    return {"type": "trend-more-areas", "chart": chart, "group": group}


AREAS_ID = choice_id("areas")
SETS_ID = choice_id("sets")
INTERVALS_ID = choice_id("intervals")
APPLY_ID = choice_id("apply")
LOCATION_ID = choice_id("location")


def _above(ctx: Context) -> list[str]:
    """The areas above the reader's, nearest first: its county, the region, then England."""
    found: list[str] = []
    parent = ctx.parents.get(ctx.area)
    while parent and parent not in found and parent != ctx.area:
        found.append(parent)
        parent = ctx.parents.get(parent)
    if ENGLAND not in found:
        found.append(ENGLAND)
    return found


def area_groups(ctx: Context, held: list[str]) -> tuple[list[str], list[str]]:
    """The areas a reader can add, those with figures: first the areas above theirs and the other local
    areas (shown as tick boxes), then every other area (``held`` order, behind "More areas")."""
    available = set(held) | {c for c in (ctx.view.with_areas or ()) if c in ctx.names}
    near = [c for c in [*_above(ctx), *LOCAL_AREAS] if c in available and c != ctx.area]
    near = list(dict.fromkeys(near))
    more = [c for c in held if c not in near and c != ctx.area]
    return near, more


def by_region(ctx: Context, codes: list[str]) -> list[tuple[str, str, list[str]]]:
    """``codes`` grouped by the region they lie in, regions by name, then the regions themselves and any
    other areas: (group key, heading, codes). Each list stays short (Dash draws a list of 100 or more as a
    scrolling window that hides most of it)."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        region, seen = ctx.parents.get(code), {code}
        while region and not region.startswith("E12") and region not in seen:
            seen.add(region)
            region = ctx.parents.get(region)
        if code.startswith("E12"):
            key = "regions"
        elif region and region.startswith("E12") and not code.startswith("E47"):
            key = region
        else:
            key = "other"
        groups.setdefault(key, []).append(code)
    headings = {"regions": "Regions", "other": "Other areas"}
    named = [(key, headings.get(key) or ctx.names.get(key, key), c) for key, c in groups.items()]
    return sorted(named, key=lambda group: (group[0] in headings, group[0] == "other", group[1]))


def _shown(ctx: Context) -> list[str]:
    """The areas besides the reader's on the chart now."""
    chosen = chosen_areas(ctx)
    if chosen is not None:
        return chosen
    return [c for c in _benchmarks(ctx) if (ctx.series["area_code"] == c).any()]


def _plain(checklist: dcc.Checklist) -> html.Div:
    """Dash draws a tick-box list as a list box of options, each holding a tick box (a control inside a
    control, to a screen reader); ``dashboard/assets/choices.js`` takes those roles off lists in here."""
    return html.Div(checklist, className="app-plain-checkboxes")


def _checklist(id: dict, codes: list[str], ctx: Context, shown: list[str]) -> html.Div:
    return _plain(
        dcc.Checklist(
            options=[{"label": ctx.names.get(c, c), "value": c} for c in codes],
            value=[c for c in shown if c in codes],
            id=id,
            className="app-checkboxes",
            inputClassName="app-checkboxes__input",
            labelClassName="app-checkboxes__item",
        )
    )


def area_form(ctx: Context) -> html.Div | html.Details:
    """Tick boxes for the areas to draw beside the reader's (its county, the region, England, the other
    local areas, and every other area with figures behind "More areas"), one for the 95% intervals, and a
    button that redraws the chart. The choice goes into the link (``with`` and ``ci``)."""
    held = list(data_access.indicator_areas(ctx.indicator["code"])["code"])
    near, more = area_groups(ctx, held)
    shown = _shown(ctx)
    extra_shown = [c for c in shown if c in more]
    fields: list = [
        html.Legend(
            f"Areas to show beside {ctx.area_name}", className="app-fieldset__legend", id="trend-areas-legend"
        ),
        html.P(
            f"Up to {MAX_AREAS - 1} areas. Each line has its own pattern and marker, and is named at its "
            "end.",
            className="app-hint",
            id="trend-areas-hint",
        ),
        _checklist(AREAS_ID, near, ctx, shown),
    ]
    label = f"More areas ({len(more)})" + (f", {len(extra_shown)} chosen" if extra_shown else "")
    more_list = html.Div(
        [
            html.Div(
                [
                    html.H3(region, className="app-trend-areas__region"),
                    _checklist(more_areas_id(key), codes, ctx, shown),
                ],
                className="app-trend-areas__group",
            )
            for key, region, codes in by_region(ctx, more)
        ],
        className="app-trend-areas__more",
    )
    if more:
        fields.append(details(label, more_list, id="trend-more-areas-details"))
    fields += _set_choice(data_access.area_sets())
    has_limits = bool((ctx.series["lower95"].notna() & ctx.series["upper95"].notna()).any())
    fields.append(
        _plain(
            dcc.Checklist(
                options=[{"label": "Show 95% intervals", "value": "on"}] if has_limits else [],
                value=["on"] if ctx.view.ci and has_limits else [],
                id=INTERVALS_ID,
                className="app-checkboxes app-checkboxes--single",
                inputClassName="app-checkboxes__input",
                labelClassName="app-checkboxes__item",
            )
        )
    )
    if not has_limits:
        fields.append(html.P("No confidence intervals are held for these figures.", className="app-hint"))
    form = html.Div(
        [
            html.Fieldset(
                fields, className="app-fieldset", **extra({"aria-describedby": "trend-areas-hint"})
            ),
            html.Button("Update the chart", type="button", id=APPLY_ID, className="app-button", n_clicks=0),
            dcc.Location(id=LOCATION_ID, refresh=True),
        ],
        className="app-trend-areas",
        id="trend-areas-form",
    )
    if ctx.view.with_areas is None:
        return details("Compare with other areas on this chart", form, id="trend-areas-details")
    return form


def _set_choice(saved: dict[str, tuple[str, ...]]) -> list:
    """Tick boxes for the saved sets of areas (:mod:`data.area_sets`): ticking one adds its areas to the
    chart. The list is always there, empty when no set is saved, because the button's callback reads it."""
    checklist = _plain(
        dcc.Checklist(
            options=[
                {"label": f"\u201c{name}\u201d ({len(codes)} areas)", "value": name}
                for name, codes in saved.items()
            ],
            value=[],
            id=SETS_ID,
            className="app-checkboxes",
            inputClassName="app-checkboxes__input",
            labelClassName="app-checkboxes__item",
        )
    )
    if not saved:
        return [checklist]
    heading = html.H3(
        "Add the areas of a saved set", className="app-trend-areas__region", id="trend-sets-heading"
    )
    return [heading, checklist]


def _left_out(ctx: Context) -> list:
    """Which chosen areas are not drawn: beyond the most a chart holds, or without figures."""
    notes = []
    chosen = list(ctx.view.with_areas or ())
    beyond = chosen[MAX_AREAS - 1 :]
    if beyond:
        names = ", ".join(ctx.names.get(c, c) for c in beyond)
        notes.append(
            html.P(
                f"A chart holds {MAX_AREAS} areas at most, so {names} "
                f"{'is' if len(beyond) == 1 else 'are'} not shown.",
                className="app-secondary",
                id="trend-areas-beyond",
            )
        )
    empty = [
        c
        for c in chosen[: MAX_AREAS - 1]
        if not ctx.series.loc[ctx.series["area_code"] == c, "value"].notna().any()
    ]
    if empty:
        names = ", ".join(ctx.names.get(c, c) for c in empty)
        notes.append(
            html.P(f"There are no figures for {names}.", className="app-secondary", id="trend-areas-empty")
        )
    return notes


def apply_area_choice(
    n_clicks: int | None,
    near: list | None,
    more: list | None,
    intervals: list | None,
    near_options: list | None,
    more_options: list | None,
    view: dict | None,
    sets: list | None = None,
) -> str:
    """The link for the areas and intervals ticked, the areas in the order the choice lists them, then the
    areas of each saved set ticked (``sets``, by name), each area once (the page reloads there, so the link
    reproduces the chart). ``more`` and ``more_options`` hold one list for each region under "More areas"."""
    if not n_clicks or not view:
        raise dash.exceptions.PreventUpdate
    current = View(code=view["code"], area=view["area"], view="trend", ci=view.get("ci") != "off")
    ticked = {*(near or []), *(value for values in more or [] for value in values or [])}
    listed = [
        option["value"]
        for option in [*(near_options or []), *(o for options in more_options or [] for o in options or [])]
    ]
    chosen = [code for code in dict.fromkeys(listed) if code in ticked]
    names = [name for name in sets if isinstance(name, str)] if isinstance(sets, list) else []
    if names:
        saved = data_access.area_sets()
        chosen += [code for name in names for code in saved.get(name, ()) if code != current.area]
    chosen = list(dict.fromkeys(chosen))
    ci = "on" in (intervals or [])
    return current.href(ci="on" if ci else "off", **{"with": with_value(tuple(chosen))})


# --- The section --------------------------------------------------------------------------------------------


def _no_chart(ctx: Context) -> list:
    return [
        html.P(
            f"There is no chart because there are no figures for {ctx.area_name}.",
            className="app-body",
            id="over-time-empty",
        )
    ]


def _charts(ctx: Context) -> list:
    """The chart for the view, with the controls and words that go with it (under the SPC chart, the
    process changes)."""
    if not ctx.has_data:
        return _no_chart(ctx)
    if ctx.view.view == "trend":
        trend = trend_figures(ctx)
        if trend is None:
            return _no_chart(ctx)
        if ctx.view.with_areas is None:
            return [_ci_toggle(ctx), area_form(ctx), chart_block(trend, ctx.indicator)]
        return [area_form(ctx), *_left_out(ctx), chart_block(trend, ctx.indicator)]
    spc = spc_figures(ctx)
    if spc is None:
        return _no_chart(ctx)
    rare = [section] if (section := rare_events_section(ctx)) else []
    if not ctx.row.spc_judged:
        return [chart_block(spc, ctx.indicator), *rare, process_changes_section(ctx)]
    return [
        _spc_explainer(),
        baseline_control(ctx),
        chart_block(spc, ctx.indicator),
        *rare,
        process_changes_section(ctx),
    ]


def over_time_section(ctx: Context) -> html.Section:
    """ "Over time": the view switch and the trend or SPC chart."""
    return html.Section(
        [
            html.H2("Over time", className="app-heading-l", id="over-time-heading"),
            _view_switch(ctx),
            *_charts(ctx),
        ],
        className="app-indicator-section",
        id="over-time",
        **extra({"aria-labelledby": "over-time-heading"}),
    )
