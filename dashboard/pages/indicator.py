"""One indicator for one area: the summary a councillor reads aloud, the trend or SPC chart, how the local
areas compare with England (bars and a map), inequalities, and how the indicator is calculated.

``/indicator/<code>?area=<code>&view=trend|spc&ci=on|off``: the view lives in the URL, so a link reproduces
it. Every control is an ordinary link to another view, and Dash's page router rebuilds the page on the
server from cached query results. The CSV buttons ask one server callback for exactly the figures a chart
plots, rebuilt from the same URL state.

Nothing here computes a status of its own: the summary card reads the scorecard's record for the area
(:func:`data.scorecard.scorecard`), and the SPC chart draws :func:`metrics.spc.xmr` with the scorecard's
target, so the page and the scorecard always agree.
"""

from dataclasses import dataclass

import dash
import flask
import pandas as pd
from dash import MATCH, Input, Output, State, dcc, html

from dashboard import data_access, urlstate
from dashboard.components import charts, status
from dashboard.components.govuk import details, inset_text, summary_list
from dashboard.components.notices import illustrative_banner
from dashboard.components.summary import benchmark_reason, summary_sentence, target_reason
from dashboard.formatting import format_value, is_true, number, quoted
from dashboard.routes import page_title
from data import boundaries
from data.areas import (
    BENCHMARK_AREAS,
    CAMBRIDGESHIRE,
    CAMBRIDGESHIRE_DISTRICTS,
    EAST_OF_ENGLAND,
    ENGLAND,
    LOCAL_AREAS,
    PETERBOROUGH,
)
from metrics import spc

PATH_TEMPLATE = "/indicator/<code>"
NOT_FOUND = "Indicator not found"
VIEWS = ("trend", "spc")
CI_CHOICES = ("on", "off")
SERIES_AREAS = (*LOCAL_AREAS, *BENCHMARK_AREAS)
DEFAULT_AREA = CAMBRIDGESHIRE
LOWER_TIER = (*CAMBRIDGESHIRE_DISTRICTS, PETERBOROUGH)
UPPER_TIER = (CAMBRIDGESHIRE, PETERBOROUGH)
SCORECARD_PATH = "/scorecard"
KEEPS_FOCUS = "app-keeps-focus"
"""Links that change the view in place: after the page is rebuilt, the focus returns to the control with the
same id, where the reader was, rather than to the top of the page."""

POLARITY_WORDS = {
    "higher_is_better": "A higher figure is better.",
    "lower_is_better": "A lower figure is better.",
    "no_judgement": (
        "A higher figure is neither better nor worse, so it is compared as higher or lower than England and "
        "never shown as good or bad."
    ),
}
FREQUENCY_WORDS = {
    "annual": "Once a year",
    "quarterly": "Every quarter",
    "monthly": "Every month",
    "one-off": "Once (a one-off estimate)",
}
LEVEL_WORDS = {
    "domain": "Domain",
    "outcome": "Outcome",
    "group": "Group",
    "high_impact_area": "High-impact area",
}


def _code_from_request() -> str | None:
    """The indicator code in the address being served (for the title in the page's HTML)."""
    if not flask.has_request_context():
        return None
    path = dash.strip_relative_path(flask.request.path) or ""
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) == 2 and parts[0] == "indicator" else None


def _indicator(code: str | None) -> dict | None:
    if not code:
        return None
    catalogue = data_access.catalogue()
    match = catalogue[catalogue["code"] == code]
    return None if match.empty else match.iloc[0].to_dict()


def title(code: str | None = None, **_ignored) -> str:
    """The browser title: the indicator's short name, or "Indicator not found"."""
    code = code or _code_from_request()
    try:
        indicator = _indicator(code)
    except (data_access.DataUnavailable, RuntimeError):
        indicator = None
    return page_title(indicator["short_name"] if indicator else NOT_FOUND)


dash.register_page(
    __name__,
    path_template=PATH_TEMPLATE,
    name="Indicator",
    title=title,
    description=(
        "One indicator for one area: latest figure, target, comparison with England, trend, statistical process "
        "control, other areas, inequalities and how it is calculated."
    ),
    order=5,
)


# --- The view a link asks for -------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    code: str
    area: str
    view: str
    ci: bool
    ignored: tuple[tuple[str, str], ...] = ()

    def href(self, **changes) -> str:
        """The link to this view with ``changes`` (area, view, ci) applied."""
        values = {"area": self.area, "view": self.view, "ci": "on" if self.ci else "off"} | changes
        filters = {
            "area": values["area"],
            "view": None if values["view"] == "trend" else values["view"],
            "ci": None if values["ci"] == "on" else values["ci"],
        }
        return dash.get_relative_path(f"/indicator/{self.code}") + urlstate.build(filters)

    def as_data(self) -> dict:
        return {"code": self.code, "area": self.area, "view": self.view, "ci": "on" if self.ci else "off"}


def read_view(code: str, query: dict, areas_with_data: list[str]) -> View:
    """The view from the query string: an unknown area, view or CI setting falls back to the default (and is
    listed in ``ignored``). The default area is Cambridgeshire, or the first local area with figures."""
    allowed = {"area": set(LOCAL_AREAS), "view": set(VIEWS), "ci": set(CI_CHOICES)}
    filters = urlstate.parse(query, allowed)
    default = DEFAULT_AREA if DEFAULT_AREA in areas_with_data or not areas_with_data else areas_with_data[0]
    return View(
        code=code,
        area=filters.get("area", default),
        view=filters.get("view", "trend"),
        ci=filters.get("ci", "on") == "on",
        ignored=filters.ignored,
    )


# --- Everything the page needs, read once -------------------------------------------------------------------


@dataclass
class Context:
    indicator: dict
    view: View
    names: dict[str, str]
    parents: dict[str, str]
    series: pd.DataFrame
    """The indicator's headline series for the local areas, England and the region."""
    row: dict
    """The scorecard's record of this indicator for the area."""
    targets: pd.DataFrame
    areas_with_data: list[str]

    @property
    def area(self) -> str:
        return self.view.area

    @property
    def area_name(self) -> str:
        return self.names.get(self.area, self.area)

    @property
    def has_data(self) -> bool:
        return self.area in self.areas_with_data

    @property
    def illustrative(self) -> bool:
        return is_true(self.indicator.get("illustrative"))

    def area_rows(self) -> pd.DataFrame:
        return self.series[self.series["area_code"] == self.area]


def _names_and_parents() -> tuple[dict[str, str], dict[str, str]]:
    areas = data_access.areas()
    names = dict(zip(areas["code"], areas["name"], strict=False))
    parents = {
        c: p for c, p in zip(areas["code"], areas["parent_code"], strict=False) if isinstance(p, str) and p
    }
    return names, parents


def _areas_with_data(series: pd.DataFrame) -> list[str]:
    held = set(series.loc[series["value"].notna(), "area_code"])
    return [code for code in LOCAL_AREAS if code in held]


def build_context(code: str, query: dict) -> Context | None:
    """Read what the page needs for indicator ``code`` and the view in ``query``; None for an unknown code."""
    indicator = _indicator(code)
    if indicator is None:
        return None
    names, parents = _names_and_parents()
    series = data_access.indicator_series(code, SERIES_AREAS)
    with_data = _areas_with_data(series)
    view = read_view(code, query, with_data)
    row = data_access.scorecard_row(view.area, code)
    return Context(
        indicator=indicator,
        view=view,
        names=names,
        parents=parents,
        series=series,
        row=row,
        targets=data_access.current_targets(),
        areas_with_data=with_data,
    )


def nearest_area(ctx: Context) -> str | None:
    """The nearest area above the reader's with a figure (its county, the region, then England), as the
    scorecard names it."""
    held = set(ctx.series.loc[ctx.series["value"].notna(), "area_code"])
    seen, parent = {ctx.area}, ctx.parents.get(ctx.area)
    while parent and parent not in seen:
        if parent in held:
            return parent
        seen.add(parent)
        parent = ctx.parents.get(parent)
    return None


# --- The page -----------------------------------------------------------------------------------------------


def layout(code: str | None = None, **query) -> html.Div:
    store = html.Div([dcc.Store(id="indicator-view", data=None), dcc.Store(id="indicator-focus")])
    if code is None:
        return _not_found(None, store)
    try:
        ctx = build_context(code, query)
    except data_access.DataUnavailable:
        return html.Div(
            [html.H1("Indicator", className="app-heading-xl"), _data_unavailable(), store],
            className="app-page app-page--indicator",
        )
    if ctx is None:
        return _not_found(code, store)
    store.children[0].data = ctx.view.as_data()
    children = [
        _back_link(ctx),
        html.Span(ctx.area_name, className="app-caption-l", id="indicator-area-caption"),
        html.H1(ctx.indicator["name"], className="app-heading-xl", id="indicator-heading"),
    ]
    if ctx.illustrative:
        children.append(
            illustrative_banner(
                "No provider returns are published, so these figures are made up to show how contract monitoring "
                "works. Do not use them to judge the service.",
                id="indicator-illustrative-banner",
            )
        )
    if ctx.view.ignored:
        children.append(_ignored_note(ctx.view.ignored))
    children += [
        _area_choice(ctx),
        _summary_section(ctx),
        _over_time_section(ctx),
        _compare_section(ctx),
        _inequalities_section(ctx),
        _definition_section(ctx),
        store,
    ]
    return html.Div(children, className="app-page app-page--indicator")


def _not_found(code: str | None, store: dcc.Store) -> html.Div:
    what = f"There is no indicator with the code \u201c{code}\u201d." if code else "No indicator was chosen."
    return html.Div(
        [
            html.H1(NOT_FOUND, className="app-heading-xl"),
            html.P(what, className="app-body", id="indicator-not-found"),
            html.P(
                "If you typed the web address, check it is correct. Indicator codes are lower case, such as "
                "\u201cobesity-reception\u201d.",
                className="app-body",
            ),
            html.P(
                [
                    "Find the indicator on the ",
                    html.A("scorecard", href=dash.get_relative_path(_scorecard_path())),
                    ".",
                ],
                className="app-body",
            ),
            store,
        ],
        className="app-page app-page--indicator",
    )


def _scorecard_path() -> str:
    registered = {page["path"] for page in dash.page_registry.values()}
    return SCORECARD_PATH if SCORECARD_PATH in registered else "/"


def _scorecard_href(**filters) -> str:
    return dash.get_relative_path(_scorecard_path()) + urlstate.build(filters)


def _back_link(ctx: Context) -> html.A:
    return html.A(
        "Back to the scorecard",
        href=_scorecard_href(area=ctx.area),
        className="app-back-link",
        id="indicator-back-link",
    )


def _ignored_note(ignored: tuple[tuple[str, str], ...]) -> html.Div:
    described = "; ".join(f"{name} \u201c{value}\u201d" for name, value in ignored)
    return inset_text(
        html.P(
            f"This link included settings the page does not recognise ({described}), so they "
            "have been ignored.",
            className="app-body",
            id="indicator-ignored",
        )
    )


def _data_unavailable() -> html.Div:
    return html.Div(
        [
            html.H2("The figures could not be loaded", className="app-heading-m"),
            html.P(
                "The dashboard could not read its data store. Try again in a few minutes; if this keeps happening, "
                "tell the person who looks after the dashboard.",
                className="app-body",
            ),
        ],
        className="app-error-summary",
        role="alert",
        id="data-unavailable",
    )


# --- Choosing an area ---------------------------------------------------------------------------------------


def _area_choice(ctx: Context) -> html.Nav:
    items = []
    for code in LOCAL_AREAS:
        name = ctx.names.get(code, code)
        suffix = (
            []
            if code in ctx.areas_with_data
            else [html.Span(" (no figures)", className="app-area-choice__none")]
        )
        if code == ctx.area:
            item = html.Span(
                [name, *suffix, html.Span(" (shown)", className="app-visually-hidden")],
                className="app-area-choice__current",
                id=f"area-{code}",
                tabIndex="-1",
            )
        else:
            item = dcc.Link(
                [name, *suffix],
                href=ctx.view.href(area=code),
                className=f"app-area-choice__link {KEEPS_FOCUS}",
                id=f"area-{code}",
            )
        items.append(html.Li(item, className="app-area-choice__item"))
    return html.Nav(
        [
            html.H2("Area", className="app-area-choice__title", id="area-choice-title"),
            html.Ul(items, className="app-area-choice__list"),
        ],
        className="app-area-choice",
        id="area-choice",
        **{"aria-labelledby": "area-choice-title"},
    )


# --- Summary card -------------------------------------------------------------------------------------------


def _summary_section(ctx: Context) -> html.Section:
    heading = html.H2(f"Latest figure for {ctx.area_name}", className="app-heading-l", id="summary-heading")
    if not ctx.has_data:
        body = [_empty_state(ctx)]
    else:
        body = _summary_card(ctx)
    return html.Section(
        [heading, *body],
        className="app-indicator-summary",
        id="indicator-summary",
        **{"aria-labelledby": "summary-heading"},
    )


def _empty_state(ctx: Context) -> html.Div:
    """No figure for the area: say so, name the nearest area with one, and link to its view."""
    nearest = nearest_area(ctx)
    name = quoted(ctx.indicator["short_name"])
    if not ctx.areas_with_data and (nearest is None or nearest not in LOCAL_AREAS):
        text = (
            f"No data for {ctx.area_name} for this indicator. There are no figures for {name} for any "
            "area in Cambridgeshire and Peterborough in the data held."
        )
        return html.Div(html.P(text, className="app-body", id="indicator-empty"), className="app-empty-state")
    parts: list = []
    if nearest is not None:
        nearest_name = ctx.names.get(nearest, nearest)
        parts.append(
            html.P(
                f"No data for {ctx.area_name} for this indicator; nearest is {nearest_name}.",
                className="app-body-l",
                id="indicator-empty",
            )
        )
        if nearest in LOCAL_AREAS:
            parts.append(
                html.P(
                    dcc.Link(
                        f"Show {name} for {nearest_name}",
                        href=ctx.view.href(area=nearest),
                        id="indicator-nearest-link",
                    ),
                    className="app-body",
                )
            )
    else:
        parts.append(
            html.P(
                f"No data for {ctx.area_name} for this indicator.",
                className="app-body-l",
                id="indicator-empty",
            )
        )
    others = [code for code in ctx.areas_with_data if code != nearest]
    if others:
        parts.append(
            html.P(
                [
                    "Figures are held for: ",
                    *_joined([dcc.Link(ctx.names.get(c, c), href=ctx.view.href(area=c)) for c in others]),
                    ".",
                ],
                className="app-body",
                id="indicator-other-areas",
            )
        )
    return html.Div(parts, className="app-empty-state")


def _joined(items: list) -> list:
    out: list = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return out


def _tag_row(label: str, tag, reason: str | None, id: str) -> tuple:
    value = [html.P(tag)]
    if reason:
        value.append(html.P(reason, className="app-secondary"))
    return label, html.Div(value, id=id)


def _summary_card(ctx: Context) -> list:
    row = ctx.row
    unit, value_type = ctx.indicator["unit"], ctx.indicator["value_type"]
    figure = [
        html.Span(
            format_value(row.get("value"), unit, value_type),
            className="app-indicator-summary__value",
            id="indicator-latest-value",
        ),
        html.Span(f" in {row.get('period_label')}", className="app-indicator-summary__period"),
    ]
    if is_true(row.get("provisional")):
        figure.append(html.Strong("Provisional", className="app-indicator-summary__flag"))
    if ctx.illustrative:
        figure.append(html.Strong("Illustrative", className="app-indicator-summary__flag"))
    rows = []
    target = number(row.get("target"))
    target_words = status.target(row.get("target_status") or "not assessed")
    target_text = target_reason(row)
    if target is not None and row.get("target_reason"):
        target_text += f" Why this target: {row['target_reason']}"
        if is_true(row.get("target_illustrative")):
            target_text += " (illustrative target)"
    rows.append(_tag_row("Target", status.status_tag(target_words), target_text, "summary-target"))
    rows.append(
        _tag_row(
            "Compared with England",
            status.status_tag(status.benchmark(row.get("benchmark") or "not compared")),
            benchmark_reason(row),
            "summary-england",
        )
    )
    if number(row.get("region_value")) is not None:
        region = status.benchmark(row.get("region_benchmark") or "not compared", against="East of England")
        rows.append(
            _tag_row(
                "Compared with East of England",
                status.status_tag(region),
                benchmark_reason(
                    row,
                    value_column="region_value",
                    comparison_column="region_benchmark",
                    name="East of England",
                ),
                "summary-region",
            )
        )
    trend = status.trend(row.get("trend") or "cannot be calculated")
    rows.append(_tag_row("Recent trend", status.status_tag(trend), _trend_reason(row), "summary-trend"))
    rows.append(_spc_row(row))
    more_recent = _more_recent_note(ctx)
    return [
        html.P(
            summary_sentence(row, ctx.area_name),
            className="app-indicator-summary__sentence",
            id="indicator-summary-sentence",
        ),
        html.P(figure, className="app-indicator-summary__figure"),
        *([more_recent] if more_recent else []),
        summary_list(rows, id="indicator-statuses"),
    ]


TREND_REASONS = {
    "not enough data points": "It needs at least five figures.",
    "missing at least one confidence interval value": "It needs confidence intervals for the latest five figures.",
    "missing values": "Some of the latest five figures are missing.",
    "duplicate periods": "Two figures share a period.",
}


def _trend_reason(row: dict) -> str:
    if row.get("trend") == "cannot be calculated":
        return TREND_REASONS.get(
            str(row.get("trend_reason") or ""), "There are not enough figures to test for a trend."
        )
    return status.trend(row["trend"]).meaning


def _spc_row(row: dict) -> tuple:
    points = int(number(row.get("spc_points")) or 0)
    if points < charts.MIN_SPC_POINTS or not isinstance(row.get("spc_variation"), str):
        return "Statistical process control", html.Div(
            html.P("Not enough figures for a process chart.", className="app-secondary"), id="summary-spc"
        )
    tags = [
        html.P(status.status_tag(status.variation(row["spc_variation"]))),
        html.P(
            status.status_tag(
                status.assurance(
                    row.get("spc_assurance") if isinstance(row.get("spc_assurance"), str) else None
                )
            )
        ),
    ]
    if is_true(row.get("spc_trial_limits")):
        tags.append(
            html.P(f"Trial limits (fewer than 12 points): {points} figures.", className="app-secondary")
        )
    return "Statistical process control", html.Div(tags, id="summary-spc")


def _more_recent_note(ctx: Context) -> html.Div | None:
    """When another local area has a more recent figure than the reader's area, say so."""
    held = ctx.series[ctx.series["value"].notna() & ctx.series["area_code"].isin(LOCAL_AREAS)]
    mine = held[held["area_code"] == ctx.area]
    if mine.empty:
        return None
    newest = held.sort_values("period_end").iloc[-1]
    if pd.Timestamp(newest["period_end"]) <= pd.Timestamp(mine["period_end"].max()):
        return None
    name = ctx.names.get(newest["area_code"], newest["area_code"])
    return inset_text(
        html.P(
            [
                (
                    f"{ctx.area_name}\u2019s latest figure is for {mine.sort_values('period_end')['period_label'].iloc[-1]}. "
                    f"{name} has figures up to {newest['period_label']}: "
                ),
                dcc.Link(f"show {name}", href=ctx.view.href(area=newest["area_code"])),
                ".",
            ],
            className="app-body",
            id="indicator-more-recent",
        )
    )


# --- Over time: trend and SPC -------------------------------------------------------------------------------


def _benchmarks(ctx: Context) -> list[str]:
    if ctx.indicator["value_type"] == "count":
        return []
    return [ENGLAND, EAST_OF_ENGLAND]


def trend_chart(ctx: Context) -> charts.Chart | None:
    rows = ctx.area_rows()
    if rows["value"].notna().sum() == 0:
        return None
    data = charts.trend_data(
        ctx.series,
        {**ctx.indicator},
        ctx.area,
        ctx.names,
        benchmarks=_benchmarks(ctx),
        targets=ctx.targets,
        ci=ctx.view.ci,
    )
    return charts.trend_chart(data, ctx.indicator, ctx.area_name, ctx.row, where=ctx.area_name)


def spc_chart(ctx: Context) -> charts.Chart | None:
    rows = ctx.area_rows()
    if rows["value"].notna().sum() < charts.MIN_SPC_POINTS:
        return None
    data = charts.trend_data(
        ctx.series, ctx.indicator, ctx.area, ctx.names, benchmarks=[], targets=ctx.targets, ci=False
    )
    data = data[data[ctx.area_name].notna()].reset_index(drop=True)
    target = number(ctx.row.get("target"))
    result = spc.xmr(
        data[ctx.area_name].to_numpy(float),
        improvement=charts.SPC_IMPROVEMENT[ctx.indicator["polarity"]],
        target=target,
    )
    table = charts.spc_data(data, ctx.area_name, result)
    return charts.spc_chart(table, ctx.indicator, ctx.area_name, result, where=ctx.area_name, target=target)


def _view_switch(ctx: Context) -> html.Div:
    choices = [("trend", "Trend over time"), ("spc", "Statistical process control (SPC)")]
    items = []
    for key, words in choices:
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


def _ci_toggle(ctx: Context) -> html.P | None:
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


def _over_time_section(ctx: Context) -> html.Section:
    children: list = [
        html.H2("Over time", className="app-heading-l", id="over-time-heading"),
        _view_switch(ctx),
    ]
    if not ctx.has_data:
        children.append(
            html.P(
                f"There is no chart because there are no figures for {ctx.area_name}.",
                className="app-body",
                id="over-time-empty",
            )
        )
    elif ctx.view.view == "trend":
        chart = trend_chart(ctx)
        children.append(_ci_toggle(ctx))
        children.append(charts.chart_block(chart, ctx.indicator))
    else:
        chart = spc_chart(ctx)
        if chart is None:
            children.append(
                html.P(
                    f"A process chart needs at least {charts.MIN_SPC_POINTS} figures; {ctx.area_name} has one.",
                    className="app-body",
                    id="over-time-empty",
                )
            )
        else:
            children.append(_spc_explainer())
            children.append(charts.chart_block(chart, ctx.indicator))
    return html.Section(
        children,
        className="app-indicator-section",
        id="over-time",
        **{"aria-labelledby": "over-time-heading"},
    )


def _spc_explainer() -> html.P:
    return html.P(
        "A statistical process control chart shows whether figures vary only as much as they usually do (common "
        "cause, grey) or something has changed (special cause: blue for an improvement, orange for a concern). "
        "The dashed grey lines are the process limits, where nearly all figures fall while nothing changes.",
        className="app-body",
    )


# --- Compare areas and the map ------------------------------------------------------------------------------


@dataclass
class Comparison:
    rows: pd.DataFrame
    period: str
    tier: str | None
    england: float | None
    missing: list[str]


def comparison(ctx: Context) -> Comparison | None:
    """The areas to compare, for the latest period any local area has a figure for: the Cambridgeshire
    districts and Peterborough when at least two districts have one, else Cambridgeshire and Peterborough.
    The reader's own area joins them if it has a figure for that period."""
    local = ctx.series[ctx.series["area_code"].isin(LOCAL_AREAS) & ctx.series["value"].notna()]
    if local.empty:
        return None
    newest = local.sort_values(["period_end", "period_start"]).iloc[-1]
    latest = local[
        (local["period_start"] == newest["period_start"]) & (local["period_end"] == newest["period_end"])
    ]
    districts = latest[latest["area_code"].isin(CAMBRIDGESHIRE_DISTRICTS)]
    if len(districts) >= 2:
        chosen, tier = LOWER_TIER, "lower"
    elif latest["area_code"].isin(UPPER_TIER).any():
        chosen, tier = UPPER_TIER, "upper"
    else:
        chosen, tier = tuple(latest["area_code"]), None
    rows = latest[latest["area_code"].isin(chosen)]
    if ctx.area not in set(rows["area_code"]) and ctx.area in set(latest["area_code"]):
        rows = pd.concat([rows, latest[latest["area_code"] == ctx.area]])
    england = ctx.series[
        (ctx.series["area_code"] == ENGLAND)
        & (ctx.series["period_start"] == newest["period_start"])
        & (ctx.series["period_end"] == newest["period_end"])
    ]
    england_value = number(england["value"].iloc[0]) if len(england) else None
    if ctx.indicator["value_type"] == "count":
        england_value = None
    missing = [code for code in chosen if code not in set(rows["area_code"])]
    return Comparison(
        rows=rows, period=str(newest["period_label"]), tier=tier, england=england_value, missing=missing
    )


def _tier_areas(tier: str | None) -> tuple[str, ...]:
    return {"lower": LOWER_TIER, "upper": UPPER_TIER}.get(tier or "", ())


def compare_chart(ctx: Context, found: Comparison | None = None) -> tuple[charts.Chart, Comparison] | None:
    found = found or comparison(ctx)
    if found is None:
        return None
    on_map = [code for code in found.rows["area_code"] if code in _tier_areas(found.tier)]
    data = charts.compare_data(found.rows, ctx.indicator, ctx.names, england=found.england, on_map=on_map)
    where = (
        "Cambridgeshire districts and Peterborough"
        if found.tier == "lower"
        else ("Cambridgeshire and Peterborough" if found.tier == "upper" else "local areas")
    )
    chart = charts.compare_chart(
        data, ctx.indicator, ctx.area, ctx.area_name, period=found.period, england=found.england, where=where
    )
    return chart, found


def _compare_section(ctx: Context) -> html.Section:
    children: list = [html.H2("Compared with other areas", className="app-heading-l", id="compare-heading")]
    made = compare_chart(ctx)
    if made is None:
        children.append(
            html.P(
                "There are no figures for any area in Cambridgeshire and Peterborough to compare.",
                className="app-body",
                id="compare-empty",
            )
        )
    else:
        chart, found = made
        panels = [_bar_panel(chart)]
        map_panel = _map_panel(ctx, chart, found)
        if map_panel is not None:
            panels.append(map_panel)
        notes = []
        if found.missing:
            names = [ctx.names.get(c, c) for c in found.missing]
            notes.append(
                html.P(
                    f"No figure for {found.period} for {', '.join(names)}.",
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
        children.append(_compare_block(chart, ctx, panels, notes))
    return html.Section(
        children,
        className="app-indicator-section",
        id="compare-areas",
        **{"aria-labelledby": "compare-heading"},
    )


def _bar_panel(chart: charts.Chart) -> html.Div:
    return html.Div(
        [
            html.H4("Bar chart", className="app-indicator-chart__panel-title"),
            html.Div(
                dcc.Graph(figure=chart.figure, config=charts.GRAPH_CONFIG, id="graph-compare"),
                role="img",
                className="app-indicator-chart__figure",
                id="chart-compare-figure",
                **{"aria-label": chart.summary},
            ),
        ],
        className="app-indicator-chart__panel",
    )


def _map_panel(ctx: Context, chart: charts.Chart, found: Comparison) -> html.Div | None:
    if not found.tier:
        return None
    frame = charts.compare_data(found.rows, ctx.indicator, ctx.names, england=found.england)
    on_map = [code for code in found.rows["area_code"] if code in _tier_areas(found.tier)]
    geojson = boundaries.boundaries(on_map, found.tier)
    if not geojson["features"]:
        return None
    figure = charts.map_figure(frame, geojson, ctx.indicator, ctx.area)
    shown = frame[frame["area_code"].isin([f["id"] for f in geojson["features"]])]
    summary = (
        "Map of "
        + ", ".join(shown["Area"])
        + ", each coloured by its comparison with England: "
        + "; ".join(f"{a} {w.lower()}" for a, w in zip(shown["Area"], shown["Compared with England"]))
        + "."
    )
    return html.Div(
        [
            html.H4("Map", className="app-indicator-chart__panel-title"),
            html.Div(
                dcc.Graph(figure=figure, config=charts.GRAPH_CONFIG, id="graph-map"),
                role="img",
                className="app-indicator-chart__figure",
                id="chart-map-figure",
                **{"aria-label": summary},
            ),
        ],
        className="app-indicator-chart__panel",
    )


def _compare_block(chart: charts.Chart, ctx: Context, panels: list, notes: list) -> html.Div:
    block = charts.chart_block(chart, ctx.indicator)
    # Replace the single figure with the bar chart and map side by side, keeping everything else.
    children = list(block.children)
    index = next(
        i for i, child in enumerate(children) if getattr(child, "id", None) == "chart-compare-figure"
    )
    children[index : index + 1] = [html.Div(panels, className="app-indicator-chart__panels"), *notes]
    block.children = children
    return block


# --- Inequalities -------------------------------------------------------------------------------------------


def inequality_charts(ctx: Context) -> list[charts.Chart]:
    breakdowns = data_access.indicator_breakdowns(ctx.indicator["code"], (ctx.area, ENGLAND))
    groups = charts.breakdown_groups(breakdowns, ctx.indicator)
    mine = groups[(groups["area_code"] == ctx.area) & groups["value"].notna()]
    result = []
    for kind in dict.fromkeys(mine["kind"]):
        frame, period = charts.inequality_data(groups, ctx.indicator, ctx.area, ctx.names, kind)
        result.append(
            charts.inequality_chart(frame, ctx.indicator, ctx.area_name, kind, period, where=ctx.area_name)
        )
    return result


def _inequalities_section(ctx: Context) -> html.Section:
    children: list = [html.H2("Inequalities", className="app-heading-l", id="inequalities-heading")]
    made = inequality_charts(ctx)
    if made:
        children += [charts.chart_block(chart, ctx.indicator) for chart in made]
    else:
        others = data_access.indicator_breakdowns(ctx.indicator["code"], tuple(LOCAL_AREAS))
        held = [code for code in LOCAL_AREAS if code in set(others.loc[others["value"].notna(), "area_code"])]
        text = (
            f"There are no figures by deprivation, sex or age for {quoted(ctx.indicator['short_name'])} in "
            f"{ctx.area_name} in the data held."
        )
        children.append(html.P(text, className="app-body", id="inequalities-none"))
        if held:
            children.append(
                html.P(
                    [
                        "Breakdowns are held for ",
                        *_joined([dcc.Link(ctx.names.get(c, c), href=ctx.view.href(area=c)) for c in held]),
                        ".",
                    ],
                    className="app-body",
                )
            )
    return html.Section(
        children,
        className="app-indicator-section",
        id="inequalities",
        **{"aria-labelledby": "inequalities-heading"},
    )


# --- How is this calculated? --------------------------------------------------------------------------------

METHODS = (
    (
        "method-confidence-intervals",
        "Confidence intervals",
        (
            "How precise each figure is. Percentages use the Wilson score method; rates use the exact Poisson "
            "method below 10 events and Byar\u2019s method from 10, as OHID Fingertips does."
        ),
        "PHEindicatormethods (the methods OHID uses)",
        "https://cran.r-project.org/package=PHEindicatormethods",
    ),
    (
        "method-benchmark",
        "Comparison with England",
        (
            "An area is better or worse than England only when England\u2019s figure lies outside the area\u2019s "
            "95% confidence interval; otherwise it is similar. Where the source published its own comparison and no "
            "interval, that comparison is shown and named as published."
        ),
        "Fingertips technical guidance on comparing with a benchmark",
        "https://fingertips.phe.org.uk/",
    ),
    (
        "method-trend",
        "Recent trend",
        (
            "The Fingertips trend test on the latest five figures: a chi-squared test for trend for percentages, "
            "otherwise a weighted regression, significant at the 99.8% level and not resting on a single figure."
        ),
        "PHEindicatormethods trend markers",
        "https://cran.r-project.org/package=PHEindicatormethods",
    ),
    (
        "method-spc",
        "Statistical process control",
        (
            "An XmR chart as NHS England\u2019s Making Data Count sets out: the mean, process limits at the mean "
            "plus or minus 2.66 times the average moving range, and the special cause rules (a point outside the "
            "limits, a run of seven on one side of the mean, a trend of seven, two of three near a limit). Fewer "
            "than 12 figures give trial limits."
        ),
        "Making Data Count (NHS England)",
        "https://www.england.nhs.uk/publication/making-data-count/",
    ),
    (
        "method-target",
        "Status against a target",
        (
            "On target when the latest figure meets the target; near target when it is short but within the agreed "
            "tolerance; off target otherwise. Indicators with no better or worse direction are not assessed."
        ),
        None,
        None,
    ),
)


def _framework_links(ctx: Context) -> list:
    links = data_access.indicator_links()
    mine = links[links["indicator_code"] == ctx.indicator["code"]]
    frameworks = data_access.frameworks()
    items = []
    for framework in frameworks.itertuples(index=False):
        codes = list(mine.loc[mine["framework_code"] == framework.code, "node_code"])
        if not codes:
            continue
        nodes = data_access.framework_nodes(framework.code).set_index("code")
        entries = []
        for node_code in codes:
            if node_code not in nodes.index:
                continue
            node = nodes.loc[node_code]
            label = f"{node_code} {node['title']}" if node_code[:1].isdigit() else node["title"]
            entries.append(html.Li(label))
        items.append(
            html.Li(
                [
                    html.A(
                        framework.title,
                        href=_scorecard_href(area=ctx.area, framework=framework.code),
                        id=f"framework-link-{framework.code}",
                    ),
                    html.Ul(entries, className="app-list"),
                ]
            )
        )
    if not items:
        return [html.P("This indicator is not linked to a framework outcome.", className="app-body")]
    return [html.Ul(items, className="app-list app-list--plain", id="indicator-frameworks")]


def _methods() -> html.Ul:
    items = []
    for id, name, text, link_text, href in METHODS:
        body = [html.Strong(name + ": "), text]
        if href:
            body += [" ", html.A(f"Read about it: {link_text}", href=href, className="app-link")]
        items.append(html.Li(body, id=id))
    items.append(
        html.Li(
            [
                "How each status is shown in words, shapes and colours: ",
                html.A("how to read statuses", href=dash.get_relative_path("/") + "#statuses"),
                ".",
            ]
        )
    )
    return html.Ul(items, className="app-list", id="indicator-methods")


def _definition_section(ctx: Context) -> html.Section:
    indicator = ctx.indicator
    source = [indicator["source"]]
    if number(indicator.get("fingertips_id")) is not None:
        fingertips = int(number(indicator["fingertips_id"]))
        source += [
            ". ",
            html.A(
                f"Indicator {fingertips} on OHID Fingertips",
                href=f"https://fingertips.phe.org.uk/search/{fingertips}",
            ),
        ]
    if ctx.illustrative:
        source += [". ", html.Strong("The figures shown here are illustrative, not real provider data.")]
    rows = [
        ("Definition", indicator["definition"]),
        ("Numerator", indicator["numerator_definition"]),
        ("Denominator", indicator["denominator_definition"]),
        ("Unit", format_unit(indicator)),
        ("Which way is better", POLARITY_WORDS.get(indicator["polarity"], "")),
        ("How often it is published", FREQUENCY_WORDS.get(indicator["frequency"], indicator["frequency"])),
        ("Source", html.Span(source)),
        ("Outcomes and high-impact areas it serves", html.Div(_framework_links(ctx))),
        ("Methods used", _methods()),
    ]
    return html.Section(
        [
            html.H2("About this indicator", className="app-heading-l", id="definition-heading"),
            details(
                "How is this calculated?",
                summary_list(rows, id="indicator-definition"),
                id="indicator-details",
            ),
        ],
        className="app-indicator-section",
        id="definition",
        **{"aria-labelledby": "definition-heading"},
    )


def format_unit(indicator: dict) -> str:
    unit = indicator["unit"]
    if unit == "%":
        return "Percentage (%)"
    if unit == "number":
        return "Number"
    if unit == "WTE":
        return "Whole-time equivalent staff (WTE)"
    return f"Rate {unit}"


# --- Keeping the reader's place -----------------------------------------------------------------------------

dash.clientside_callback(
    """
    function (view) {
        const key = "hcp-indicator-focus";
        if (!window.hcpIndicatorFocus) {
            window.hcpIndicatorFocus = true;
            document.addEventListener("click", function (event) {
                const link = event.target.closest && event.target.closest(".__KEEPS_FOCUS__");
                if (link && link.id) { window.sessionStorage.setItem(key, link.id); }
            }, true);
        }
        const id = window.sessionStorage.getItem(key);
        if (id) {
            window.sessionStorage.removeItem(key);
            window.requestAnimationFrame(function () {
                const element = document.getElementById(id);
                if (element) {
                    element.focus({preventScroll: true});
                    element.scrollIntoView({block: "center"});
                }
            });
        }
        return window.dash_clientside.no_update;
    }
    """.replace("__KEEPS_FOCUS__", KEEPS_FOCUS),
    Output("indicator-focus", "data"),
    Input("indicator-view", "data"),
)


# --- CSV downloads ------------------------------------------------------------------------------------------


def chart_for(ctx: Context, key: str) -> charts.Chart | None:
    """The chart with ``key`` on the page for this view (what its download button sends)."""
    if key == "trend":
        return trend_chart(ctx)
    if key == "spc":
        return spc_chart(ctx)
    if key == "compare":
        made = compare_chart(ctx)
        return made[0] if made else None
    if key.startswith("inequalities-"):
        return next((chart for chart in inequality_charts(ctx) if chart.key == key), None)
    return None


@dash.callback(
    Output({"type": "indicator-download", "chart": MATCH}, "data"),
    Input({"type": "indicator-csv", "chart": MATCH}, "n_clicks"),
    State("indicator-view", "data"),
    prevent_initial_call=True,
)
def download_csv(n_clicks, view):
    """Send exactly the figures the chart plots, as CSV."""
    if not n_clicks or not view:
        raise dash.exceptions.PreventUpdate
    key = dash.ctx.triggered_id["chart"]
    query = {"area": view.get("area"), "view": view.get("view"), "ci": view.get("ci")}
    ctx = build_context(view["code"], query)
    chart = chart_for(ctx, key) if ctx else None
    if chart is None:
        raise dash.exceptions.PreventUpdate
    return charts.csv_download(chart)
