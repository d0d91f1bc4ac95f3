"""Links around the indicator page: back to the scorecard, the choice of area, and lists of linked areas."""

from __future__ import annotations

from dash import dcc, html

from dashboard import routes
from dashboard.components.attributes import extra
from dashboard.indicator.context import Context
from dashboard.indicator.view import KEEPS_FOCUS
from data.areas import AREA_GROUPS, LOCAL_AREAS, area_type_of


def back_link(ctx: Context) -> html.A:
    """Back to the scorecard, for the same area."""
    return html.A(
        "Back to the scorecard",
        href=routes.href(routes.SCORECARD, {"area": ctx.area}),
        className="app-back-link",
        id="indicator-back-link",
    )


def joined(items: list) -> list:
    """Items with commas between them and "and" before the last: [a, ", ", b, " and ", c]."""
    out: list = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return out


def area_links(ctx: Context, codes: list[str]) -> list:
    """Links to the same view for each area in ``codes``, joined into a list."""
    return joined([dcc.Link(ctx.names.get(c, c), href=ctx.view.href(area=c)) for c in codes])


def _area_item(ctx: Context, code: str) -> html.Li:
    name = ctx.names.get(code, code)
    suffix = (
        [] if code in ctx.areas_with_data else [html.Span(" (no figures)", className="app-area-choice__none")]
    )
    item: html.Span | dcc.Link
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
    return html.Li(item, className="app-area-choice__item")


def area_choice(ctx: Context) -> html.Nav:
    """Every home area as a link to the same view for it, and the area shown when it is another one; the
    area shown marked in words."""
    codes = [*LOCAL_AREAS, *([] if ctx.area in LOCAL_AREAS else [ctx.area])]
    return html.Nav(
        [
            html.H2("Area", className="app-area-choice__title", id="area-choice-title"),
            html.Ul([_area_item(ctx, code) for code in codes], className="app-area-choice__list"),
            _other_area_form(ctx),
        ],
        className="app-area-choice",
        id="area-choice",
        **extra({"aria-labelledby": "area-choice-title"}),
    )


def _other_area_form(ctx: Context) -> html.Form:
    """Any other English area, from a native drop-down grouped by type (typing a name jumps to it): an
    ordinary GET form to the same view for the chosen area."""
    others = sorted((name, code) for code, name in ctx.names.items() if code not in LOCAL_AREAS)
    groups = []
    for label, types in AREA_GROUPS:
        options = [
            html.Option(name, value=code, selected=code == ctx.area)
            for name, code in others
            if area_type_of(code) in types
        ]
        if options:
            groups.append(html.Optgroup(options, label=label))
    kept = [
        dcc.Input(type="hidden", name=name, value=value)
        for name, value in (("view", ctx.view.view), ("ci", "on" if ctx.view.ci else "off"))
    ]
    return html.Form(
        [
            html.Label("Another area", htmlFor="indicator-other-area", className="app-label"),
            html.Select(groups, id="indicator-other-area", name="area", className="app-select"),
            *kept,
            html.Button(
                "Show this area", type="submit", className="app-button", id="indicator-other-area-show"
            ),
        ],
        method="get",
        action=routes.indicator_href(ctx.indicator["code"], {}),
        className="app-area-choice__other",
        id="indicator-other-area-form",
    )
