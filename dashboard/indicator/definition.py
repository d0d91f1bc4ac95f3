"""About this indicator: "How is this calculated?" – its definition, numerator and denominator, unit, which
way is better, how often it is published, its source, the outcomes it serves and the methods used."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html
from dash.development.base_component import Component

from dashboard import data_access, routes
from dashboard.components.attributes import extra
from dashboard.components.govuk import details, summary_list
from dashboard.formatting import number
from dashboard.indicator.context import Context

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
FINGERTIPS_SEARCH = "https://fingertips.phe.org.uk/search/{id}"
PHE_METHODS = "https://cran.r-project.org/package=PHEindicatormethods"

METHODS = (
    (
        "method-confidence-intervals",
        "Confidence intervals",
        (
            "How precise each figure is. Percentages use the Wilson score method; rates use the exact "
            "Poisson method below 10 events and Byar\u2019s method from 10, as OHID Fingertips does."
        ),
        "PHEindicatormethods (the methods OHID uses)",
        PHE_METHODS,
    ),
    (
        "method-benchmark",
        "Comparison with England",
        (
            "An area is better or worse than England only when England\u2019s figure lies outside the "
            "area\u2019s 95% confidence interval; otherwise it is similar. Where the source published its "
            "own comparison and no interval, that comparison is shown and named as published."
        ),
        "Fingertips technical guidance on comparing with a benchmark",
        "https://fingertips.phe.org.uk/",
    ),
    (
        "method-trend",
        "Recent trend",
        (
            "The Fingertips trend test on the latest five figures: a chi-squared test for trend for "
            "percentages, otherwise a weighted regression, significant at the 99.8% level and not resting on "
            "a single figure."
        ),
        "PHEindicatormethods trend markers",
        PHE_METHODS,
    ),
    (
        "method-spc",
        "Statistical process control",
        (
            "An XmR chart as NHS England\u2019s Making Data Count sets out: the mean, process limits at the "
            "mean plus or minus 2.66 times the average moving range, and the special cause rules (a point "
            "outside the limits, a run of seven on one side of the mean, a trend of seven, two of three "
            "near a limit). Fewer than 12 figures give trial limits."
        ),
        "Making Data Count (NHS England)",
        "https://www.england.nhs.uk/publication/making-data-count/",
    ),
    (
        "method-target",
        "Status against a target",
        (
            "On target when the latest figure meets the target; near target when it is short but within the "
            "agreed tolerance; off target otherwise. Indicators with no better or worse direction are not "
            "assessed."
        ),
        None,
        None,
    ),
)
"""Each method: (id, name, what it does, link text, link)."""


def format_unit(indicator: Mapping) -> str:
    """The unit in words: "Percentage (%)", "Rate per 100,000"."""
    unit = indicator["unit"]
    if unit == "%":
        return "Percentage (%)"
    if unit == "number":
        return "Number"
    if unit == "WTE":
        return "Whole-time equivalent staff (WTE)"
    return f"Rate {unit}"


def _framework_item(ctx: Context, framework: str, title: str, codes: list[str]) -> html.Li:
    """A framework, linked to its scorecard for the area, and the outcomes in it the indicator serves."""
    nodes = data_access.framework_nodes(framework).set_index("code")
    entries = []
    for node_code in codes:
        if node_code not in nodes.index:
            continue
        name = str(nodes.loc[node_code]["title"])  # titles are text, never null (data/schema.py)
        entries.append(html.Li(f"{node_code} {name}" if node_code[:1].isdigit() else name))
    return html.Li(
        [
            html.A(
                title,
                href=routes.href(routes.SCORECARD, {"area": ctx.area, "framework": framework}),
                id=f"framework-link-{framework}",
            ),
            html.Ul(entries, className="app-list"),
        ]
    )


def _framework_links(ctx: Context) -> list:
    links = data_access.indicator_links()
    mine = links[links["indicator_code"] == ctx.indicator["code"]]
    items = []
    for framework in data_access.frameworks().itertuples(index=False):
        codes = list(mine.loc[mine["framework_code"] == framework.code, "node_code"])
        if codes:
            items.append(_framework_item(ctx, str(framework.code), str(framework.title), codes))
    if not items:
        return [html.P("This indicator is not linked to a framework outcome.", className="app-body")]
    return [html.Ul(items, className="app-list app-list--plain", id="indicator-frameworks")]


def _methods() -> html.Ul:
    items = []
    for id, name, text, link_text, href in METHODS:
        body: list[str | Component] = [html.Strong(name + ": "), text]
        if href:
            body += [" ", html.A(f"Read about it: {link_text}", href=href, className="app-link")]
        items.append(html.Li(body, id=id))
    items.append(
        html.Li(
            [
                "How each status is shown in words, shapes and colours: ",
                html.A("how to read statuses", href=routes.href(routes.ABOUT, fragment="statuses")),
                ".",
            ]
        )
    )
    return html.Ul(items, className="app-list", id="indicator-methods")


def _source(ctx: Context) -> html.Span:
    """Where the figures come from, linked to Fingertips for a Fingertips indicator."""
    indicator = ctx.indicator
    source = [indicator["source"]]
    if (fingertips_id := number(indicator.get("fingertips_id"))) is not None:
        fingertips = int(fingertips_id)
        source += [
            ". ",
            html.A(
                f"Indicator {fingertips} on OHID Fingertips", href=FINGERTIPS_SEARCH.format(id=fingertips)
            ),
        ]
    if ctx.illustrative:
        source += [". ", html.Strong("The figures shown here are illustrative, not real provider data.")]
    return html.Span(source)


def definition_section(ctx: Context) -> html.Section:
    """ "About this indicator", with everything behind "How is this calculated?"."""
    indicator = ctx.indicator
    rows = [
        ("Definition", indicator["definition"]),
        ("Numerator", indicator["numerator_definition"]),
        ("Denominator", indicator["denominator_definition"]),
        ("Unit", format_unit(indicator)),
        ("Which way is better", POLARITY_WORDS.get(indicator["polarity"], "")),
        ("How often it is published", FREQUENCY_WORDS.get(indicator["frequency"], indicator["frequency"])),
        ("Source", _source(ctx)),
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
        **extra({"aria-labelledby": "definition-heading"}),
    )
