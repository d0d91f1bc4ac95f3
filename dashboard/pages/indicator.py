"""One indicator for one area: the summary a councillor reads aloud, the trend or SPC chart, how the local
areas compare with England (bars and a map), inequalities, and how the indicator is calculated.

``/indicator/<code>?area=<code>&view=trend|spc&ci=on|off``: the view lives in the URL, so a link reproduces
it (:mod:`dashboard.indicator.view`). Every control is an ordinary link to another view, and Dash's page
router rebuilds the page on the server from cached query results. The CSV buttons ask one server callback
for exactly the figures a chart plots, rebuilt from the same URL state.

Nothing here computes a status of its own: the summary card and the SPC chart show the scorecard's record
for the area (:func:`dashboard.data_access.scorecard_row`), so the page and the scorecard always agree.
This module registers the page and lays it out; its sections live in :mod:`dashboard.indicator`.
"""

from __future__ import annotations

import dash
import flask
from dash import html

from dashboard import data_access, routes
from dashboard.indicator import area_set_callbacks, callbacks
from dashboard.indicator.compare_section import compare_section
from dashboard.indicator.context import build_context, indicator_record
from dashboard.indicator.definition import definition_section
from dashboard.indicator.inequalities import inequalities_section
from dashboard.indicator.navigation import area_choice, back_link
from dashboard.indicator.notices import (
    NOT_FOUND,
    PAGE_CLASS,
    data_unavailable,
    ignored_note,
    illustrative_notice,
    not_found,
    page_store,
)
from dashboard.indicator.over_time import over_time_section
from dashboard.indicator.summary_card import summary_section


def _code_from_request() -> str | None:
    """The indicator code in the address being served (for the title in the page's HTML)."""
    if not flask.has_request_context():
        return None
    path = dash.strip_relative_path(flask.request.path) or ""
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) == 2 and parts[0] == routes.indicator_path("").strip("/") else None


def title(code: str | None = None, **_ignored: str) -> str:
    """The browser title: the indicator's short name, or "Indicator not found"."""
    code = code or _code_from_request()
    try:
        indicator = indicator_record(code)
    except (data_access.DataUnavailable, RuntimeError):
        indicator = None
    return routes.page_title(indicator["short_name"] if indicator else NOT_FOUND)


dash.register_page(
    __name__,
    path_template=routes.INDICATOR_TEMPLATE,
    name="Indicator",
    title=title,
    description=(
        "One indicator for one area: latest figure, target, comparison with England, trend, statistical "
        "process control, other areas, inequalities and how it is calculated."
    ),
    order=5,
)
callbacks.register()
area_set_callbacks.register()


def layout(code: str | None = None, **query: str) -> html.Div:
    """The page for indicator ``code`` and the view in ``query`` (area, view, ci)."""
    if code is None:
        return not_found(None, page_store())
    try:
        ctx = build_context(code, query)
    except data_access.DataUnavailable:
        return data_unavailable(page_store())
    if ctx is None:
        return not_found(code, page_store())
    children = [
        back_link(ctx),
        html.Span(ctx.area_name, className="app-caption-l", id="indicator-area-caption"),
        html.H1(ctx.indicator["name"], className="app-heading-xl", id="indicator-heading"),
    ]
    if ctx.illustrative:
        children.append(illustrative_notice())
    if ctx.view.ignored:
        children.append(ignored_note(ctx.view.ignored))
    children += [
        area_choice(ctx),
        summary_section(ctx),
        over_time_section(ctx),
        compare_section(ctx),
        inequalities_section(ctx),
        definition_section(ctx),
        page_store(ctx.view.as_data()),
    ]
    return html.Div(children, className=PAGE_CLASS)
