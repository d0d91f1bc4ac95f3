"""About this dashboard: what it covers (frameworks, indicators, areas, the latest import) and how to read
its statuses."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboard import data_access, formatting, routes, urlstate
from dashboard.components import status
from dashboard.components.govuk import details, table
from dashboard.components.notices import data_unavailable, ignored_settings, illustrative_banner
from dashboard.factory import DESCRIPTION

TITLE = routes.TITLES[routes.ABOUT]
PATH = routes.ABOUT

dash.register_page(
    __name__, path=PATH, name=TITLE, title=routes.page_title(TITLE), description=DESCRIPTION, order=2
)

ALLOWED = {"palette": status.PALETTES}
LEVEL_WORDS = {
    "domain": ("Domain", "Domains"),
    "group": ("Group", "Groups"),
    "outcome": ("Outcome", "Outcomes"),
    "high_impact_area": ("High-impact area", "High-impact areas"),
}


def _level_words(level: str | None) -> tuple[str, str]:
    if level in LEVEL_WORDS:
        return LEVEL_WORDS[level]
    words = (level or "part").replace("_", " ").capitalize()
    return words, words + "s"


AREA_TYPE_WORDS = {
    "combined authority": "combined authority",
    "county": "county council area",
    "unitary authority": "unitary authority",
    "district": "district",
    "region": "region",
    "country": "country",
}


def layout(**query) -> html.Div:
    filters = urlstate.parse(query, ALLOWED)
    palette = filters.get("palette", "standard")
    children = [
        html.H1(TITLE, className="app-heading-xl"),
        html.P(
            "Outcomes for children, young people and families in Cambridgeshire and Peterborough, for the "
            "commissioners of the 0-19 Healthy Child Programme: health visiting and school nursing.",
            className="app-body-l",
        ),
    ]
    if filters.ignored:
        children.append(ignored_settings(filters.ignored, page="dashboard"))
    try:
        children += _coverage()
    except data_access.DataUnavailable:
        children.append(data_unavailable("say what it covers"))
    children += _how_to_read_statuses(palette)
    children += _about_the_data()
    return html.Div(children, className="app-page app-page--overview")


# --- What the dashboard covers -----------------------------------------------------------------------------


def _coverage() -> list:
    frameworks = data_access.frameworks()
    catalogue = data_access.catalogue()
    links = data_access.indicator_links()
    areas = data_access.areas()
    summary = data_access.summary()
    local = areas[areas["is_local"].fillna(False).astype(bool)]
    illustrative = (
        int(catalogue["illustrative"].fillna(False).astype(bool).sum()) if "illustrative" in catalogue else 0
    )

    parts: list = []
    if illustrative:
        parts.append(
            illustrative_banner(
                f"No provider returns are published, so the figures for the {illustrative} provider key "
                "performance indicators (health visiting, school nursing and workforce) are made up to show "
                "how "
                "contract monitoring and the performance-linked payment work. They are marked "
                "\u201cillustrative\u201d wherever they appear.",
                id="overview-illustrative-banner",
            )
        )
    parts += [
        html.H2("What this dashboard covers", className="app-heading-l", id="coverage"),
        html.Ul(
            [
                _key_figure(len(catalogue), "indicator", "indicators", "key-figure-indicators"),
                _key_figure(len(frameworks), "framework", "frameworks", "key-figure-frameworks"),
                _key_figure(len(local), "local area", "local areas", "key-figure-areas"),
                _key_figure(
                    int(summary.get("observations") or 0),
                    "figure held",
                    "figures held",
                    "key-figure-observations",
                ),
            ],
            className="app-key-figures",
        ),
        html.P(_import_sentence(summary), className="app-body", id="latest-import"),
        html.P(
            f"Figures cover {formatting.plural(int(summary.get('areas') or 0), 'area')}: the local areas "
            "below, "
            "with England, the East of England and other areas for comparison.",
            className="app-body",
        ),
    ]
    parts += _frameworks_section(frameworks, links)
    parts += _areas_section(local)
    return parts


def _key_figure(number: int, singular: str, plural: str, id: str) -> html.Li:
    return html.Li(
        [
            html.Span(formatting.count(number), className="app-key-figure__number"),
            html.Span(singular if number == 1 else plural, className="app-key-figure__label"),
        ],
        className="app-key-figure",
        id=id,
    )


def _import_sentence(summary: dict) -> str:
    last = summary.get("last_import")
    if last is None or pd.isna(last):
        return "No data have been imported yet."
    return f"Latest import: {formatting.date_time(pd.Timestamp(last).to_pydatetime())}."


def _frameworks_section(frameworks: pd.DataFrame, links: pd.DataFrame) -> list:
    parts: list = [
        html.H2("Frameworks", className="app-heading-l", id="frameworks"),
        html.P(
            "Each indicator is linked to the outcomes it measures in each framework. One indicator can serve "
            "several outcomes.",
            className="app-body",
        ),
    ]
    for framework in frameworks.itertuples(index=False):
        code = str(framework.code)  # frameworks' codes and titles are text, never null (data/schema.py)
        nodes = data_access.framework_nodes(code)
        framework_links = links[links["framework_code"] == code]
        top = nodes[nodes["parent_code"].isna() | (nodes["parent_code"] == "")]
        rows = []
        outcome_lists = []
        for node in top.itertuples(index=False):
            below = nodes[nodes["parent_code"] == node.code]
            codes = {node.code, *below["code"]}
            n_indicators = framework_links.loc[
                framework_links["node_code"].isin(codes), "indicator_code"
            ].nunique()
            rows.append((_node_label(node), formatting.count(len(below)), formatting.count(n_indicators)))
            outcome_lists.append(
                html.Li(
                    [
                        _node_label(node),
                        html.Ul(
                            [html.Li(_node_label(child)) for child in below.itertuples(index=False)],
                            className="app-list",
                        ),
                    ]
                )
            )
        level = _level_words(top["level"].iloc[0] if len(top) else None)[0]
        children = nodes[~nodes["code"].isin(top["code"])]
        below_level = _level_words(children["level"].iloc[0] if len(children) else None)[1]
        total = framework_links["indicator_code"].nunique()
        heading_id = f"framework-{code}"
        parts += [
            html.H3(str(framework.title), className="app-heading-m", id=heading_id),
            html.P(
                f"{framework.short_title}: {formatting.plural(total, 'indicator')} linked. "
                f"Source: {framework.source}.",
                className="app-body",
            ),
            table(
                f"{framework.short_title}: indicators by {level.lower()}",
                (level, below_level, "Indicators"),
                rows,
                numeric=(below_level, "Indicators"),
                caption_size="s",
                id=f"table-{code}",
            ),
            details(
                f"{below_level} in each {level.lower()}: {framework.short_title}",
                html.Ul(outcome_lists, className="app-list app-list--plain"),
            ),
        ]
    return parts


def _node_label(node) -> str:
    return f"{node.code} {node.title}" if node.code[:1].isdigit() else node.title


def _areas_section(local: pd.DataFrame) -> list:
    items = []
    for area in local.itertuples(index=False):
        kind = str(area.type)  # an area's type is text, never null (data/schema.py)
        items.append(html.Li(f"{area.name} ({AREA_TYPE_WORDS.get(kind, kind)})"))
    return [
        html.H2("Areas", className="app-heading-l", id="areas"),
        html.P("The local areas the dashboard reports on:", className="app-body"),
        html.Ul(items, className="app-list", id="local-areas"),
        html.P(
            "Each is compared with England, and where figures allow with the East of England region and "
            "similar areas.",
            className="app-body",
        ),
    ]


# --- How to read statuses ----------------------------------------------------------------------------------


def _legend(caption: str, statuses: list[status.Status], id: str) -> html.Table:
    rows = [(status.status_tag(s), s.meaning) for s in statuses]
    return table(
        caption, ("Status", "What it means"), rows, caption_size="s", id=id, modifier="app-table--legend"
    )


def _how_to_read_statuses(palette: str) -> list:
    other = "colour-blind" if palette == "standard" else "standard"
    toggle_text = (
        "Show target statuses in colour-blind-safe colours (blue, orange and grey)"
        if other == "colour-blind"
        else "Show target statuses in the standard red, amber and green"
    )
    toggle_href = routes.href(PATH, {"palette": other if other != "standard" else None}, fragment="statuses")
    return [
        html.H2("How to read statuses", className="app-heading-l", id="statuses"),
        html.P(
            "Every status is written in words and has a shape as well as a colour, so it can be read in "
            "black and "
            "white, on a projector and by a screen reader. Each indicator is judged in two ways: against the "
            "target agreed with the provider, where there is one, and against England.",
            className="app-body",
        ),
        _legend(
            "Status against a target",
            [status.target(k, palette=palette) for k in status.TARGET_KEYS],
            "legend-target",
        ),
        html.P(html.A(toggle_text, href=toggle_href, id="palette-toggle"), className="app-body"),
        _legend(
            "Comparison with England",
            [status.benchmark(k) for k in status.BENCHMARK_KEYS],
            "legend-benchmark",
        ),
        html.P(
            "\u201cHigher than England\u201d and \u201cLower than England\u201d are used for indicators "
            "where a "
            "higher figure is neither better nor worse, such as the estimated number of children with a "
            "condition; they are shown in blues, never red or green.",
            className="app-body",
        ),
        details(
            "Trends: is it getting better?",
            [
                html.P(
                    "The recent trend tests the latest five figures for a significant rise or fall, as OHID "
                    "Fingertips does.",
                    className="app-body",
                ),
                _legend("Recent trend", [status.trend(k) for k in status.TREND_KEYS], "legend-trend"),
            ],
        ),
        details(
            "Charts over time: statistical process control (SPC)",
            [
                html.P(
                    "Provider indicators reported every quarter are shown on statistical process control "
                    "charts, "
                    "as NHS boards use them (NHS England \u201cMaking Data Count\u201d). The variation "
                    "status says "
                    "whether the latest figures are unusual; the assurance status says whether the target "
                    "will be "
                    "met reliably.",
                    className="app-body",
                ),
                _legend(
                    "Variation", [status.variation(k) for k in status.VARIATION_KEYS], "legend-variation"
                ),
                _legend(
                    "Assurance",
                    [status.assurance(None if k == "none" else k) for k in status.ASSURANCE_KEYS],
                    "legend-assurance",
                ),
            ],
        ),
    ]


def _about_the_data() -> list:
    return [
        html.H2("About the data", className="app-heading-l", id="about"),
        html.P(
            "Public figures come from OHID Fingertips, the Department for Education, the Department for Work "
            "and "
            "Pensions and the Youth Justice Board. Many are older than the latest published figures, and "
            "some "
            "areas have gaps.",
            className="app-body",
        ),
        html.Ul(
            [
                html.Li(
                    html.A(
                        "Data sources: what each dataset is, where it came from and its licence",
                        href=routes.href(routes.DATA_SOURCES),
                    )
                ),
                html.Li(html.A("Accessibility statement", href=routes.href(routes.ACCESSIBILITY))),
            ],
            className="app-list",
        ),
    ]
