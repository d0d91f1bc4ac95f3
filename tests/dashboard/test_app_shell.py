"""The dashboard shell without a browser: pages, index HTML, skip link, footer, URL filters, status tags,
chart template and cache, on an in-memory store built by the factory."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re

import dash
import pandas as pd
import plotly.io as pio
import pytest
import sqlalchemy as sa

from dashboard import cache as dashboard_cache
from dashboard import colours, create_app, data_access, theme, urlstate
from dashboard.components import status
from dashboard.routes import NAVIGATION, SERVICE_NAME
from data import queries
from data.db import make_engine
from data.seed import seed_reference
from tests.dashboard.pages import duplicate_ids, find, render, route, text, to_json
from tests.dashboard.signing_in import signed_in_client

PAGES = {
    "/": "Scorecard – Healthy Child Programme outcomes",
    "/summary": "Summary – Healthy Child Programme outcomes",
    "/areas-table": "Areas table – Healthy Child Programme outcomes",
    "/about": "About this dashboard – Healthy Child Programme outcomes",
    "/data-sources": "Data sources – Healthy Child Programme outcomes",
    "/accessibility": "Accessibility statement – Healthy Child Programme outcomes",
    "/payment": "Performance-linked payment – Healthy Child Programme outcomes",
    "/exceptions": "Exceptions – Healthy Child Programme outcomes",
    "/quarter": "Quarter view – Healthy Child Programme outcomes",
    "/meeting": "Meeting mode – Healthy Child Programme outcomes",
    "/upload": "Load data – Healthy Child Programme outcomes",
    "/imports": "Import history – Healthy Child Programme outcomes",
    "/indicators": "Indicators not in a framework – Healthy Child Programme outcomes",
}
TEMPLATED_PAGES = {"/indicator/<code>"}


@pytest.fixture(scope="module")
def engine() -> sa.Engine:
    engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine: sa.Engine) -> dash.Dash:
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture(scope="module")
def client(app: dash.Dash):
    return signed_in_client(app)


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_registered_pages_are_the_ones_that_exist(app):
    pages = [p for p in dash.page_registry.values() if p["path"] != "/404"]
    assert {p["path"]: p["title"] for p in pages if not p.get("path_template")} == PAGES
    assert {p["path_template"] for p in pages if p.get("path_template")} == TEMPLATED_PAGES


@pytest.mark.parametrize("path", [*PAGES, "/404"])
def test_every_page_renders_a_layout_with_one_h1(app, path):
    rendered = render(app, path)
    to_json(rendered)  # serialisable, as Dash must send it
    assert len(find(rendered, lambda c: type(c).__name__ == "H1")) == 1


@pytest.mark.parametrize("path", [*PAGES, "/no-such-page"])
def test_the_page_router_serves_every_page(client, path):
    response = route(client, path)
    content = json.dumps(response["_pages_content"]["children"])
    expected = PAGES.get(path, "Page not found – Healthy Child Programme outcomes")
    assert response["_pages_store"]["data"]["title"] == expected
    assert '"type": "H1"' in content


def test_the_first_request_builds_no_page_and_the_page_shell_stays_small(client):
    # Dash no longer builds every page on the first request to send the browser a copy of them all: the
    # shell holds the app's configuration only (each page comes with the router's answer).
    response = client.get("/")
    assert response.status_code == 200
    assert "validation_layout" not in response.get_data(as_text=True)
    assert len(response.data) < 50_000
    assert client.get("/_dash-dependencies").status_code == 200


PAGE_VIEWS = [
    ("/", {}),
    ("/", {"area": "E07000010", "since": "previous-year", "palette": "colour-blind"}),
    ("/about", {}),
    ("/data-sources", {}),
    ("/accessibility", {}),
    ("/payment", {}),
    ("/payment", {"contract": "pcc-hcp-s75"}),
    ("/404", {}),
    ("/indicator/hv-new-birth-visit-14d", {}),
    ("/indicator/hv-new-birth-visit-14d", {"view": "spc", "ci": "off"}),
    ("/indicator/no-such-indicator", {}),
]


@pytest.mark.parametrize(("path", "query"), PAGE_VIEWS)
def test_no_page_repeats_a_component_id_inside_the_shell(app, path, query):
    with app.server.test_request_context(path):
        shell = app.layout()
    page = render(app, path, **query)
    assert duplicate_ids([shell, page]) == []


def test_the_duplicate_id_check_finds_a_repeated_id():
    page = dash.html.Div([dash.html.P("a", id="same"), dash.html.Div(dash.html.Span("b", id="same"))])
    assert duplicate_ids(page) == ["same"]
    assert duplicate_ids(dash.html.Div([dash.html.P(id="one"), dash.html.P(id="two")])) == []


@pytest.mark.parametrize("path", PAGES)
def test_index_html_is_british_english_with_the_page_title_and_description(client, path):
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'<html lang="en-GB">', html)
    assert f"<title>{PAGES[path]}</title>" in html
    description = re.search(r'<meta name="description" content="([^"]+)"', html)
    assert description and len(description.group(1)) > 40
    assert "<noscript>" in html


def test_unknown_paths_get_the_not_found_title_and_status(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert "<title>Page not found – Healthy Child Programme outcomes</title>" in response.get_data(
        as_text=True
    )
    assert client.get("/data-sources").status_code == 200


def test_the_server_sends_basic_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


# --- The shell --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shell(client) -> dict:
    return client.get("/_dash-layout").get_json()


def _walk_json(node, found: list) -> list:
    if isinstance(node, dict):
        if "type" in node and "props" in node:
            found.append(node)
            _walk_json(node["props"].get("children"), found)
        else:
            for value in node.values():
                _walk_json(value, found)
    elif isinstance(node, list):
        for child in node:
            _walk_json(child, found)
    return found


def test_the_skip_link_comes_first_and_targets_the_main_region(shell):
    components = _walk_json(shell, [])
    focusable = [c for c in components if c["type"] in ("A", "Button", "Input", "Select", "Textarea")]
    assert focusable[0]["props"]["href"] == "#main-content"
    assert focusable[0]["props"]["children"] == "Skip to main content"
    main = [c for c in components if c["type"] == "Main"]
    assert len(main) == 1 and main[0]["props"]["id"] == "main-content"
    assert str(main[0]["props"]["tabIndex"]) == "-1"  # so following the skip link moves the focus


def _nav_links(shell_json: dict) -> list[tuple[str, str]]:
    nav = next(c for c in _walk_json(shell_json, []) if c["type"] == "Nav")
    assert nav["props"]["aria-label"] == "Menu"
    return [(c["props"]["children"], c["props"]["href"]) for c in _walk_json(nav, []) if c["type"] == "A"]


READING_PAGES = [
    ("Scorecard", "/"),
    ("Summary", "/summary"),
    ("Areas table", "/areas-table"),
    ("Payment", "/payment"),
    ("Exceptions", "/exceptions"),
    ("Quarter", "/quarter"),
    ("Meeting mode", "/meeting"),
    ("About", "/about"),
]
WITH_LOADING = [
    *READING_PAGES[:7],
    ("Load data", "/upload"),
    ("Import history", "/imports"),
    *READING_PAGES[7:],
]


def test_header_names_the_service_and_navigation_links_only_to_pages_that_exist(shell):
    components = _walk_json(shell, [])
    assert any(c["type"] == "Header" and SERVICE_NAME in json.dumps(c) for c in components)
    links = _nav_links(shell)
    registered = {p["path"] for p in dash.page_registry.values()}
    assert all(path in registered for _, path in links)
    assert {path for _, path in NAVIGATION} <= registered


def test_a_viewer_is_not_offered_loading_data_or_the_import_history(shell):
    assert _nav_links(shell) == READING_PAGES  # the module's client is a signed-in viewer


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_administrators_are_offered_loading_data_and_the_import_history(app, role):
    shell_json = signed_in_client(app, role).get("/_dash-layout").get_json()
    assert _nav_links(shell_json) == WITH_LOADING


def test_the_navigation_follows_whoever_is_signed_in_on_each_page_load(app):
    officer = signed_in_client(app, "officer")
    viewer = signed_in_client(app, "viewer")
    assert ("Load data", "/upload") in _nav_links(officer.get("/_dash-layout").get_json())
    assert ("Load data", "/upload") not in _nav_links(viewer.get("/_dash-layout").get_json())
    assert ("Load data", "/upload") in _nav_links(officer.get("/_dash-layout").get_json())
    officer.post("/sign-out", data={"csrf_token": officer.environ_base["HTTP_X_CSRFTOKEN"]})
    assert ("Load data", "/upload") not in _nav_links(officer.get("/_dash-layout").get_json()), "signed out"


def test_a_reader_of_a_public_dashboard_is_not_offered_loading_data_or_the_import_history(engine):
    public = create_app(engine, cache_config={"CACHE_TYPE": "NullCache"}, public=True)
    shell_json = public.server.test_client().get("/_dash-layout").get_json()
    assert _nav_links(shell_json) == READING_PAGES


def test_footer_names_sources_licence_and_links_to_the_accessibility_statement(shell):
    footer = next(c for c in _walk_json(shell, []) if c["type"] == "Footer")
    text = json.dumps(footer, ensure_ascii=False)
    for needed in (
        "OHID Fingertips",
        "Department for Education",
        "Department for Work and Pensions",
        "Youth Justice Board",
        "Office for National Statistics",
        "Contains public sector information licensed under the ",
        "Open Government Licence v3.0",
        "Contains OS data © Crown copyright and database right",
        "illustrative",
    ):
        assert needed in text, needed
    hrefs = {c["props"].get("href") for c in _walk_json(footer, []) if c["type"] == "A"}
    assert "/accessibility" in hrefs and "/data-sources" in hrefs


def test_the_style_sheet_sets_the_focus_ring_target_size_and_text_size():
    css = (importlib.resources.files("dashboard") / "assets" / "style.css").read_text()
    assert "#ffdd00" in css and "#0b0c0c" in css
    assert "font-size: 1.1875rem" in css  # 19px body text on larger screens, 16px minimum
    assert "min-height: 1.5rem" in css  # 24px targets
    assert "tabular-nums" in css


def test_app_module_exposes_app_and_server(monkeypatch):
    monkeypatch.setenv("KPI_DATABASE_URL", "duckdb:///:memory:")
    module = importlib.import_module("app")
    assert isinstance(module.app, dash.Dash)
    assert module.server is module.app.server
    assert "serve" in module.cli.commands


# --- Engine injection and the Overview ---------------------------------------------------------------------


def test_overview_describes_what_the_store_holds(app, engine):
    words = text(render(app, "/about"))
    catalogue = queries.indicator_catalogue(engine)
    assert f"{len(catalogue):,}" in words and "indicators" in words
    assert "Cambridgeshire and Peterborough CYP Outcomes Framework with Key Domains" in words
    assert "National High Impact Areas" in words
    for area in (
        "Cambridgeshire (county council area)",
        "Peterborough (unitary authority)",
        "Fenland (district)",
    ):
        assert area in words
    assert "No data have been imported yet." in words
    assert "These are not real provider data." in words  # the catalogue has illustrative provider KPIs


def test_overview_reads_the_engine_it_was_given(tmp_path):
    empty = make_engine("duckdb:///:memory:")  # no tables at all
    other = create_app(empty, cache_config={"CACHE_TYPE": "NullCache"})
    rendered = render(other, "/about")
    assert find(rendered, lambda c: getattr(c, "id", None) == "data-unavailable")
    assert "✓" in text(rendered)  # the status legend still shows without data


def test_overview_with_an_import_shows_its_date(app, monkeypatch):
    summary = {
        "indicators": 66,
        "observations": 28702,
        "areas": 327,
        "last_import": dt.datetime(2026, 11, 23, 12, 28),
    }
    monkeypatch.setattr(queries, "data_summary", lambda _engine: summary)
    words = text(render(app, "/about"))
    assert "Latest import: 23 November 2026 at 12:28pm." in words
    assert "28,702" in words and "327 areas" in words


def test_overview_colour_blind_palette_comes_from_the_link_and_unknown_settings_are_reported(app):
    standard = to_json(render(app, "/about"))
    colour_blind = to_json(render(app, "/about", palette="colour-blind"))
    assert (
        colours.TARGET_STANDARD["green"] in standard and colours.TARGET_COLOUR_BLIND["green"] not in standard
    )
    assert colours.TARGET_COLOUR_BLIND["green"] in colour_blind
    assert "Show target statuses in the standard red, amber and green" in colour_blind
    odd = text(render(app, "/about", palette="neon", utm_source="email"))
    assert "palette \u201cneon\u201d" in odd and "utm_source" in odd


def test_queries_are_cached_per_app(engine, monkeypatch):
    cached = create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"})
    calls = []
    real = queries.list_frameworks
    monkeypatch.setattr(queries, "list_frameworks", lambda e: calls.append(e) or real(e))
    with cached.server.test_request_context("/"):
        first = data_access.frameworks()
        second = data_access.frameworks()
    assert len(calls) == 1 and calls[0] is engine
    pd.testing.assert_frame_equal(first, second)


def test_cache_configuration_comes_from_the_environment():
    assert dashboard_cache.config_from_environment({})["CACHE_TYPE"] == "SimpleCache"
    config = dashboard_cache.config_from_environment(
        {"KPI_CACHE_TYPE": "FileSystemCache", "KPI_CACHE_DIR": "/tmp/kpi-cache", "KPI_CACHE_TIMEOUT": "60"}
    )
    assert config["CACHE_TYPE"] == "FileSystemCache" and config["CACHE_DIR"] == "/tmp/kpi-cache"
    assert config["CACHE_DEFAULT_TIMEOUT"] == 60


# --- URL filters -------------------------------------------------------------------------------------------

ALLOWED = {
    "area": {"E10000003", "E06000031"},
    "period": {"2023/24", "2020 - 22", "2023/24 Q1"},
    "framework": {"cyp-outcomes", "hcp-high-impact-areas"},
}


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"area": "E10000003"},
        {"framework": "cyp-outcomes", "period": "2020 - 22", "area": "E06000031"},
        {"period": "2023/24 Q1"},
    ],
)
def test_filters_round_trip_through_the_query_string(values):
    query = urlstate.build(values, ALLOWED)
    parsed = urlstate.parse(query, ALLOWED)
    assert parsed.values == values and parsed.ignored == ()
    assert urlstate.build(parsed, ALLOWED) == query


def test_query_strings_have_a_fixed_order_and_readable_periods():
    query = urlstate.build({"framework": "cyp-outcomes", "period": "2023/24", "area": "E10000003"})
    assert query == "?area=E10000003&period=2023/24&framework=cyp-outcomes"
    assert urlstate.href("/scorecard", {"area": None}) == "/scorecard"


def test_unknown_filters_and_values_are_ignored_and_reported():
    parsed = urlstate.parse("?area=E99999999&framework=cyp-outcomes&colour=red&period=", ALLOWED)
    assert parsed.values == {"framework": "cyp-outcomes"}
    assert parsed.ignored == (("area", "E99999999"), ("colour", "red"))
    assert (
        urlstate.build({"area": "E99999999", "framework": "cyp-outcomes"}, ALLOWED)
        == "?framework=cyp-outcomes"
    )


def test_dash_style_keyword_arguments_and_repeated_filters():
    parsed = urlstate.parse({"area": ["E99999999", "E06000031", "E10000003"], "period": "2023/24"}, ALLOWED)
    assert parsed.values == {"area": "E06000031", "period": "2023/24"}
    assert ("area", "E99999999") in parsed.ignored and ("area", "E10000003") in parsed.ignored
    assert urlstate.parse(None, ALLOWED).values == {}
    assert urlstate.parse("?area=%20E10000003%20", ALLOWED).get("area") == "E10000003"


# --- Status tags -------------------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance, written out independently of dashboard.colours."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_arithmetic_matches_known_values():
    assert _contrast("#000000", "#ffffff") == pytest.approx(21)
    assert _contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert colours.contrast_ratio("#0b0c0c", "#ffdd00") == pytest.approx(_contrast("#0b0c0c", "#ffdd00"))
    assert _contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


ALL_STATUSES = status.all_statuses()


@pytest.mark.parametrize("item", ALL_STATUSES, ids=[f"{s.kind}-{s.key}-{s.background}" for s in ALL_STATUSES])
def test_every_status_tag_has_words_an_icon_and_readable_text(item):
    tag = status.status_tag(item)
    assert type(tag).__name__ == "Strong"
    assert "status-tag" in tag.className.split()
    icon, words = tag.children
    assert icon.children.strip() and icon.to_plotly_json()["props"]["aria-hidden"] == "true"
    assert isinstance(words, str) and len(words) >= 4 and words[0].isupper()
    assert item.meaning.endswith(".")
    style = tag.style
    ratio = _contrast(style["color"], style["backgroundColor"])
    assert ratio >= 4.5, f"{words}: {style['color']} on {style['backgroundColor']} is {ratio:.2f}:1"


def test_status_words_match_the_house_style():
    assert [status.target(k).words for k in ("green", "amber", "red", "not assessed")] == [
        "On target",
        "Near target",
        "Off target",
        "Not assessed",
    ]
    assert [status.target(k).icon for k in ("green", "amber", "red", "not assessed")] == ["✓", "▲", "●", "–"]
    assert [status.benchmark(k).words for k in status.BENCHMARK_KEYS] == [
        "Better than England",
        "Similar to England",
        "Worse than England",
        "Higher than England",
        "Lower than England",
        "Not compared",
    ]
    assert status.benchmark("Better", against="East of England").words == "Better than East of England"
    assert status.assurance("inconsistent").words == "Hit and miss"
    assert status.assurance(None).key == "none"
    assert status.variation("improvement_high").words == "Special cause — improving (high)"
    assert status.trend("no significant change").words == "No significant change"


def test_status_colours_follow_fingertips_and_making_data_count():
    assert status.benchmark("better").background == "#92d050"
    assert status.benchmark("similar").background == "#ffc000"
    assert status.benchmark("worse").background == "#c00000"
    assert status.benchmark("not compared").background == "#c9c9c9"
    assert status.benchmark("lower").background == "#5555E6"
    assert status.benchmark("higher").background == "#C2CCFF"
    assert status.variation("common_cause").background == "#a6a6a6"
    assert status.variation("concern_low").background == "#e46c0a"
    assert status.variation("improvement_low").background == "#00b0f0"
    assert status.variation("neutral_high").background == "#490092"
    # no-judgement indicators are never red or green
    neutral = {status.benchmark("higher").background, status.benchmark("lower").background}
    assert not neutral & {status.benchmark("better").background, status.benchmark("worse").background}


def test_colour_blind_target_palette_keeps_the_words_and_avoids_red_and_green():
    for key in status.TARGET_KEYS:
        standard, safe = status.target(key), status.target(key, palette="colour-blind")
        assert (standard.words, standard.icon) == (safe.words, safe.icon)
    safe_colours = {status.target(k, palette="colour-blind").background for k in status.TARGET_KEYS}
    assert not safe_colours & {colours.TARGET_STANDARD["green"], colours.TARGET_STANDARD["red"]}


def test_every_status_name_metrics_returns_is_known():
    from metrics import compare, spc, trend

    for words in compare._WORDS.values():
        for word in words:
            status.benchmark(word)
    for words in trend._DIRECTION_WORDS.values():
        for word in words:
            status.trend(word)
    status.trend(trend.CANNOT)
    status.trend(trend.NO_CHANGE)
    for improvement in spc.IMPROVEMENTS:
        for direction in (-1, 0, 1):
            status.variation(spc._variation(direction, improvement))
            assert spc._point_type(direction, improvement) in status.SPC_POINT_COLOURS


@pytest.mark.parametrize(
    "call",
    [
        lambda: status.target("purple"),
        lambda: status.benchmark("best"),
        lambda: status.variation("odd"),
        lambda: status.assurance("maybe"),
        lambda: status.trend("up"),
        lambda: status.target("green", palette="x"),
    ],
)
def test_unknown_statuses_are_refused(call):
    with pytest.raises(ValueError, match=r"^unknown .*; expected one of"):
        call()


# --- Chart template -----------------------------------------------------------------------------------------


def test_one_plotly_template_is_the_default(app):
    assert pio.templates.default == theme.TEMPLATE_NAME
    layout = pio.templates[theme.TEMPLATE_NAME].layout
    assert list(layout.colorway) == ["#12436D", "#28A197", "#801650", "#F46A25"]
    assert layout.font.size >= 16
    assert layout.legend.orientation == "h" and layout.legend.y >= 1
    sizes = [
        layout.xaxis.tickfont.size,
        layout.yaxis.tickfont.size,
        layout.legend.font.size,
        layout.title.font.size,
        layout.hoverlabel.font.size,
    ]
    assert min(sizes) >= theme.MIN_FONT_SIZE
    assert not layout.xaxis.showgrid
    assert pio.templates[theme.TEMPLATE_NAME].data.scatter[0].line.width >= 3


def test_adjacent_chart_colours_contrast_at_least_three_to_one():
    pairs = list(zip(colours.CATEGORICAL, colours.CATEGORICAL[1:], strict=False))
    pairs.append((colours.OUR_AREA, colours.THE_REST))
    for a, b in pairs:
        assert _contrast(a, b) >= 3, (a, b)
    assert theme.area_colours(["A", "B"], "B") == {"A": "#BFBFBF", "B": "#12436D"}
