"""The scorecard (home page) without a browser: the page is built as Dash builds it, on an in-memory store
holding the shipped catalogue and targets plus a small provider return with known answers, and the tests
read what a user would read: values, status words, the reasons given, headlines and changes."""

from __future__ import annotations

import io
import json

import dash
import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from plotly.utils import PlotlyJSONEncoder

from dashboard import colours, create_app, data_access, formatting
from dashboard.components import scorecard_filters, scorecard_table, sparkline
from dashboard.layout import navigation_entries
from data.db import make_engine
from data.exports import CSV_SKIPROWS
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.seed import seed_reference
from tests.dashboard import pages
from tests.dashboard.pages import by_id, find, props, text
from tests.dashboard.rows import scorecard_row
from tests.dashboard.signing_in import signed_in_client
from tests.data.upload_helpers import load_return

CAMBS, PBORO, FENLAND = "E10000003", "E06000031", "E07000010"
NEW_BIRTH, REVIEW_6_8, ANTENATAL, MOOD = (
    "hv-new-birth-visit-14d",
    "hv-6-8-week-review",
    "hv-antenatal-contact",
    "hv-maternal-mood",
)
QUARTERS = ("2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4", "2025/26 Q1")
HEADER = list(PROVIDER_RETURN_HEADER)
# Numerators out of 1,000 for Cambridgeshire, oldest quarter first. New birth visits drop to 88.9% in
# 2025/26 Q1, when Cambridgeshire's own target of 92% (near target from 88%) takes over from 90% (85%).
CAMBS_RETURN = {
    NEW_BIRTH: (935, 920, 940, 935, 889),
    REVIEW_6_8: (800, 805, 795, 800, 802),
    ANTENATAL: (600, 610, 590, 605, 600),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> sa.Engine:
    """The reference store (as the ``store`` fixture) plus a small provider return."""
    engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    rows = []
    for code, numerators in CAMBS_RETURN.items():
        for quarter, numerator in zip(QUARTERS, numerators, strict=True):
            rows.append(
                [code, CAMBS, quarter, numerator, 1000, "", "yes" if quarter == QUARTERS[-1] else "no", ""]
            )
    rows += [
        [MOOD, CAMBS, "2025/26 Q1", 930, 1000, "", "yes", ""],  # a first figure this quarter
        [NEW_BIRTH, PBORO, "2025/26 Q1", 900, 1000, "", "no", ""],  # exactly Peterborough's 90% target
        [ANTENATAL, FENLAND, "2025/26 Q1", 50, 100, "", "no", ""],  # Fenland has one figure only
        [NEW_BIRTH, HUNTINGDONSHIRE, "2025/26 Q1", 33, 40, "", "no", ""],  # small numbers: 7 not visited
    ]
    load_return(engine, rows)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine: sa.Engine) -> dash.Dash:
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


def render(app: dash.Dash, **query):
    """The home page as Dash builds it for a link with ``query``."""
    return pages.render(app, "/", **query)


def rows_for(node, indicator: str) -> list:
    return find(node, lambda c: type(c).__name__ == "Tr" and props(c).get("data-indicator") == indicator)


def selected(node, field_id: str) -> str:
    select = by_id(node, field_id)
    chosen = find(select, lambda c: type(c).__name__ == "Option" and getattr(c, "selected", False))
    return chosen[0].value


# --- Where the scorecard lives ---------------------------------------------------------------------------


def test_the_scorecard_is_the_home_page_and_the_overview_moved_to_about(app):
    titles = {p["path"]: p["title"] for p in dash.page_registry.values()}
    assert titles["/"] == "Scorecard – Healthy Child Programme outcomes"
    assert titles["/about"] == "About this dashboard – Healthy Child Programme outcomes"
    with app.server.test_request_context("/"):
        entries = navigation_entries()
    labels = [label for label, _ in entries]
    assert labels[0] == "Scorecard" and dict(entries)["Scorecard"] == "/"
    assert labels[-1] == "About" and "Accessibility" not in labels, "the statement is linked from the footer"


def test_the_page_is_serialisable_with_one_h1_and_unique_ids(app):
    page = render(app, since="previous-quarter")
    json.dumps(page, cls=PlotlyJSONEncoder)
    assert [text(h) for h in find(page, lambda c: type(c).__name__ == "H1")] == [
        "Scorecard for Cambridgeshire"
    ]
    ids = [c.id for c in find(page, lambda c: getattr(c, "id", None))]
    assert len(ids) == len(set(ids))


def test_the_meeting_mode_link_keeps_the_area_framework_date_and_colours(app):
    page = render(
        app, area=PBORO, framework="hcp-high-impact-areas", as_at="2025-03-31", palette="colour-blind"
    )
    link = by_id(page, "scorecard-meeting-link")
    assert text(link) == "Show Peterborough's scorecard in meeting mode"
    assert link.href == (
        "/meeting?area=E06000031&framework=hcp-high-impact-areas&palette=colour-blind&as_at=2025-03-31"
    )
    assert by_id(render(app), "scorecard-meeting-link").href == "/meeting?area=E10000003"


# --- A row a reader looks at -----------------------------------------------------------------------------


def test_a_row_shows_the_value_period_target_status_and_why(app):
    page = render(app)
    [row] = rows_for(page, NEW_BIRTH)  # under outcome 3.1 only in the outcomes framework
    words = text(row)
    assert "New birth visit within 14 days" in words
    assert "88.9% in 2025/26 Q1" in words
    assert "92% illustrative target" in words
    assert "Near target" in words
    assert "3.1 points below the 92% target (near target is 88% or more)." in words
    assert "Illustrative" in words and "Provisional" in words
    assert "Not compared" in words and "No England figure for 2025/26 Q1." in words
    [link] = find(row, lambda c: type(c).__name__ == "A")
    assert link.href == f"/indicator/{NEW_BIRTH}?area={CAMBS}"
    header = row.children[0]
    assert type(header).__name__ == "Th" and header.scope == "row"


def test_an_off_target_row_says_by_how_much_and_statuses_are_words_with_shapes(app):
    page = render(app)
    [row] = rows_for(page, REVIEW_6_8)
    words = text(row)
    assert "80.2% in 2025/26 Q1" in words
    assert "● Off target" in words
    assert "9.8 points below the 90% target (near target is 85% or more)." in words
    tags = find(row, lambda c: "status-tag" in (getattr(c, "className", "") or "").split())
    assert tags and all(
        len(tag.children) == 2 and props(tag.children[0])["aria-hidden"] == "true" for tag in tags
    )


HUNTINGDONSHIRE = "E07000011"


def test_small_numbers_are_judged_on_the_interval_and_the_row_says_so(app):
    # 33 of 40 (82.5%) is below the 85% near-target threshold, but only 7 families were not visited: the
    # 95% interval, 68.1% to 91.3%, spans the 90% target, so the status is near target, not off target.
    words = text(rows_for(render(app, area=HUNTINGDONSHIRE), NEW_BIRTH)[0])
    assert "82.5% in 2025/26 Q1" in words and "▲ Near target" in words
    assert (
        "7.5 points below the 90% target. Judged on the 95% interval (68.1 to 91.3) because the numbers "
        "are small (33 of 40): the interval spans the target, so the shortfall may be chance."
    ) in words


def test_a_row_exactly_on_target(app):
    words = text(rows_for(render(app, area=PBORO), NEW_BIRTH)[0])
    assert "90.0% in 2025/26 Q1" in words and "✓ On target" in words and "Exactly on the 90% target." in words


def test_the_sparkline_is_an_image_with_a_text_alternative(app):
    [row] = rows_for(render(app), NEW_BIRTH)
    [image] = find(row, lambda c: type(c).__name__ == "Img")
    assert image.src.startswith("data:image/svg+xml")
    assert image.alt == (
        "Line chart of 5 figures from 2024/25 Q1 (93.5%) to 2025/26 Q1 (88.9%), with the target of 92%."
    )


def test_the_illustrative_banner_shows_when_provider_kpis_are_shown(app):
    page = render(app)
    banner = by_id(page, "scorecard-illustrative-banner")
    assert "not real provider data" in text(banner)


# --- Headlines ---------------------------------------------------------------------------------------------


def test_domain_headline_counts_are_in_words(app, engine):
    page = render(app)
    headline = text(by_id(page, "scorecard-domain-3-headline"))
    # Domain 3 holds the three health visiting KPIs with figures: on target, near target and off target.
    assert headline.startswith("1 of 3 with a target is on target; none significantly worse than England;")
    with app.server.test_request_context("/"):
        nodes = data_access.framework_nodes("cyp-outcomes")
        linked = data_access.indicator_links()
    outcomes = set(nodes.loc[nodes["parent_code"] == "3", "code"])
    in_domain = linked[(linked["framework_code"] == "cyp-outcomes") & linked["node_code"].isin(outcomes)]
    missing = in_domain["indicator_code"].nunique() - 3
    assert headline.endswith(f"{missing} with no figure for Cambridgeshire.")


def test_headline_arithmetic_counts_each_indicator_once():
    improving_a = scorecard_row(
        indicator_code="a",
        value=1.0,
        target_status="green",
        benchmark="worse",
        trend="increasing and getting better",
        improving=True,
    )
    rows = [
        improving_a,
        improving_a,  # the same indicator under a second outcome
        scorecard_row(indicator_code="b", value=2.0, target_status="red", benchmark="similar"),
        scorecard_row(
            indicator_code="c",
            value=3.0,
            benchmark="worse",
            spc_variation="improvement_high",
            spc_points=12,
            spc_judged=True,
            improving=True,
        ),
        scorecard_row(indicator_code="d"),
    ]
    counts = scorecard_table.headline(rows)
    assert (counts.indicators, counts.with_data, counts.with_target, counts.on_target) == (4, 3, 2, 1)
    assert scorecard_table.headline_sentence(counts, "Fenland") == (
        "1 of 2 with a target is on target; 2 significantly worse than England; 2 improving; "
        "1 with no figure for Fenland."
    )


# --- Empty states -----------------------------------------------------------------------------------------


def test_an_indicator_with_no_data_gets_one_row_naming_the_nearest_area(app):
    page = render(app, area=FENLAND)
    assert text(by_id(page, "scorecard-heading")) == "Scorecard for Fenland"
    [row] = rows_for(page, NEW_BIRTH)
    assert text(row) == (
        "New birth visit within 14 days Illustrative "
        "No data for Fenland; nearest: Cambridgeshire (88.9% in 2025/26 Q1)."
    )
    assert len(row.children) == 2 and row.children[1].colSpan == len(scorecard_table.COLUMNS) - 1
    [link] = find(row, lambda c: type(c).__name__ == "A")
    assert link.href == f"/indicator/{NEW_BIRTH}?area={FENLAND}"


def test_an_indicator_nobody_has_figures_for_says_so(app):
    [row] = rows_for(render(app), "smoking-at-delivery")
    assert "No data for Cambridgeshire: no figures for this indicator have been loaded yet." in text(row)


def test_the_page_explains_when_the_store_cannot_be_read():
    empty = make_engine("duckdb:///:memory:")  # no tables at all
    other = create_app(empty, cache_config={"CACHE_TYPE": "NullCache"})
    page = render(other)
    assert "The figures could not be loaded" in text(by_id(page, "scorecard-data-unavailable"))


# --- Changed since -----------------------------------------------------------------------------------------


def test_changed_since_the_previous_quarter_lists_a_known_change_in_words(app):
    page = render(app, since="previous-quarter")
    panel = by_id(page, "scorecard-changes")
    assert "What has changed since 31 March 2025" in text(panel)
    assert text(by_id(page, "scorecard-changes-count")) == (
        "1 indicator changed status and 1 indicator has its first figure between the figures to "
        "31 March 2025 and the figures to 30 June 2025."
    )
    [row] = rows_for(panel, NEW_BIRTH)
    assert "Against target: moved from ✓ On target to ▲ Near target" in text(row)
    assert "Now 88.9% in 2025/26 Q1; was 93.5% in 2024/25 Q4." in text(row)
    [first] = rows_for(panel, MOOD)
    assert "First figure for Cambridgeshire: 93.0% in 2025/26 Q1." in text(first)
    assert not rows_for(panel, REVIEW_6_8) and not rows_for(panel, ANTENATAL)  # same status both times
    assert selected(page, "scorecard-since") == "previous-quarter"


def test_changed_since_a_chosen_date_and_a_date_that_is_not_earlier(app):
    page = render(app, since="2024-12-31")
    assert "What has changed since 31 December 2024" in text(by_id(page, "scorecard-changes"))
    later = render(app, as_at="2024-12-31", since="2025-06-30")
    assert "Choose a date earlier than the figures shown" in text(by_id(later, "scorecard-changes"))
    assert selected(later, "scorecard-since") == "2025-06-30"  # the form still shows what the link says


def test_the_changed_since_view_reuses_cached_scorecards(engine, monkeypatch):
    import data.scorecard

    cached = create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"})
    calls = []
    real = data.scorecard.scorecard
    monkeypatch.setattr(
        data.scorecard,
        "scorecard",
        lambda e, area, **kw: calls.append((area, kw.get("as_at"))) or real(e, area, **kw),
    )
    render(cached, since="previous-quarter")
    render(cached, since="previous-quarter")
    render(cached)
    assert sorted(calls, key=str) == sorted(
        [(CAMBS, None), (CAMBS, data.scorecard.dt.date(2025, 3, 31))], key=str
    )


# --- Filters and the link ----------------------------------------------------------------------------------


def test_the_filters_are_labelled_selects_showing_the_view_in_the_link(app):
    page = render(
        app, area=PBORO, framework="hcp-high-impact-areas", as_at="2025-03-31", palette="colour-blind"
    )
    form = by_id(page, "scorecard-filters")
    labels = {label.htmlFor: text(label) for label in find(form, lambda c: type(c).__name__ == "Label")}
    selects = {select.id: select for select in find(form, lambda c: type(c).__name__ == "Select")}
    inputs = {field.id for field in find(form, lambda c: type(c).__name__ == "Input")}
    assert inputs == {"scorecard-q"}
    assert (
        set(labels)
        == set(selects) | inputs
        == {
            "scorecard-area",
            "scorecard-framework",
            "scorecard-as-at",
            "scorecard-since",
            "scorecard-palette",
            "scorecard-show",
            "scorecard-domain",
            "scorecard-q",
            "scorecard-sort",
        }
    )
    assert labels["scorecard-area"] == "Area" and labels["scorecard-as-at"] == "Figures as at"
    assert (
        selected(page, "scorecard-area"),
        selected(page, "scorecard-framework"),
        selected(page, "scorecard-as-at"),
        selected(page, "scorecard-palette"),
    ) == (PBORO, "hcp-high-impact-areas", "2025-03-31", "colour-blind")
    assert text(by_id(page, "scorecard-heading")) == "Scorecard for Peterborough"
    options = {
        o.value: text(o) for o in find(selects["scorecard-as-at"], lambda c: type(c).__name__ == "Option")
    }
    assert options[""] == "Latest figures"
    assert options["2025-06-30"] == "30 June 2025 (end of 2025/26 Q1)"
    areas = [o.value for o in find(selects["scorecard-area"], lambda c: type(c).__name__ == "Option")]
    assert areas[:2] == [CAMBS, PBORO] and FENLAND in areas
    assert "E47000008" not in areas  # no figures for the two councils together in this store


def test_figures_as_at_an_earlier_date(app):
    [row] = rows_for(render(app, as_at="2025-03-31"), NEW_BIRTH)
    words = text(row)
    assert (
        "93.5% in 2024/25 Q4" in words
        and "✓ On target" in words
        and "3.5 points above the 90% target." in words
    )


def test_unknown_values_in_the_link_fall_back_to_the_defaults_and_are_reported(app):
    page = render(
        app, area="E99999999", framework="nope", as_at="2099-01-01", since="yesterday", palette="neon"
    )
    assert text(by_id(page, "scorecard-heading")) == "Scorecard for Cambridgeshire"
    assert selected(page, "scorecard-framework") == "cyp-outcomes"
    assert selected(page, "scorecard-as-at") == ""
    assert selected(page, "scorecard-since") == ""
    assert not find(page, lambda c: getattr(c, "id", None) == "scorecard-changes")
    note = text(by_id(page, "scorecard-ignored"))
    for part in (
        "area \u201cE99999999\u201d",
        "framework \u201cnope\u201d",
        "since \u201cyesterday\u201d",
        "palette \u201cneon\u201d",
    ):
        assert part in note


def test_high_impact_areas_list_an_indicator_under_each_area_it_serves(app):
    page = render(app, framework="hcp-high-impact-areas")
    assert text(by_id(page, "scorecard-group-EY")) == "Early years high impact areas"
    assert len(rows_for(page, NEW_BIRTH)) == 2  # EY1 and EY3
    table = by_id(page, "scorecard-group-EY-table")
    groups = [text(body.children[0]) for body in table.children[2:]]
    assert groups[0].startswith("EY1 Supporting transition to parenthood")


def test_the_colour_blind_palette_changes_target_colours_not_words(app):
    standard = json.dumps(rows_for(render(app), REVIEW_6_8)[0], cls=PlotlyJSONEncoder)
    safe_row = rows_for(render(app, palette="colour-blind"), REVIEW_6_8)[0]
    safe = json.dumps(safe_row, cls=PlotlyJSONEncoder)
    assert colours.TARGET_STANDARD["red"] in standard and colours.TARGET_COLOUR_BLIND["red"] in safe
    assert "Off target" in text(safe_row)


def test_tables_are_semantic(app):
    page = render(app)
    tables = find(page, lambda c: type(c).__name__ == "Table" and c.id.startswith("scorecard-domain-"))
    assert len(tables) == 5
    for table in tables:
        caption, head, *bodies = table.children
        assert type(caption).__name__ == "Caption" and "indicators for Cambridgeshire" in text(caption)
        headers = find(head, lambda c: type(c).__name__ == "Th")
        assert [h.scope for h in headers] == ["col"] * len(scorecard_table.COLUMNS)
        assert all(
            type(body.children[0].children).__name__ == "Th" and body.children[0].children.scope == "rowgroup"
            for body in bodies
        )


# --- Pieces ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "value_type", "expected"),
    [
        (12.9, "%", "proportion", "12.9%"),
        (662.72, "per 100,000", "rate", "662.7 per 100,000"),
        (10336.06, "number", "count", "10,336"),
        (192.2, "WTE", "count", "192.2 WTE"),
        (73, "number", "count", "73"),
    ],
)
def test_values_are_written_with_their_units(value, unit, value_type, expected):
    assert formatting.format_value(value, unit, value_type) == expected


def test_the_previous_quarter_counts_back_from_the_latest_reported_quarter():
    import datetime as dt

    quarters = {dt.date(2025, 6, 30), dt.date(2025, 9, 30)}
    # An annual figure for calendar 2025 does not hide the latest quarterly return.
    assert scorecard_filters.resolve_since("previous-quarter", dt.date(2025, 12, 31), quarters) == dt.date(
        2025, 6, 30
    )
    assert scorecard_filters.resolve_since("previous-year", dt.date(2025, 12, 31), quarters) == dt.date(
        2024, 9, 30
    )
    assert scorecard_filters.resolve_since("previous-quarter", dt.date(2018, 3, 31)) == dt.date(2017, 12, 31)
    assert scorecard_filters.resolve_since("2024-03-31", dt.date(2025, 3, 31)) == dt.date(2024, 3, 31)


def test_a_single_figure_draws_no_sparkline():
    assert sparkline.sparkline([5.0], ["2025"], formatted=["5.0%"]) is None
    svg = sparkline.svg([1.0, None, 3.0], target=2.0)
    assert svg.startswith("<svg") and "polyline" in svg and "stroke-dasharray" in svg


# --- Only what the committee asked for: filters, search and order in the link ----------------------------


def shown_codes(page) -> list[str]:
    """The indicators listed in the scorecard's tables (not the changes panel), in order, each once."""
    tables = find(
        page, lambda c: type(c).__name__ == "Table" and "app-scorecard" in (c.className or "").split()
    )
    codes = [props(r)["data-indicator"] for r in rows_in(tables)]
    return list(dict.fromkeys(codes))


def rows_in(tables) -> list:
    return find(tables, lambda c: type(c).__name__ == "Tr" and props(c).get("data-indicator"))


def test_only_off_target_lists_the_one_off_target_row_and_says_so_with_a_clear_link(app):
    page = render(app, show="off-target", palette="colour-blind")
    assert shown_codes(page) == [REVIEW_6_8]  # 80.2% against its target: the only one off target
    sentence = by_id(page, "scorecard-shown")
    assert text(sentence) == "Showing 1 of 73 indicators : only those off target. Clear filters"
    # Clearing keeps the rest of the view (the palette) and drops the filter.
    assert by_id(page, "scorecard-clear-filters").href == "/?palette=colour-blind"
    assert selected(page, "scorecard-show") == "off-target"
    assert [
        text(h) for h in find(page, lambda c: type(c).__name__ == "H2" and "domain" in getattr(c, "id", ""))
    ] == ["Domain 3: Children & Young People are safe from harm"]


def test_the_downloads_hold_the_rows_the_filters_show_under_their_description(app):
    page = render(app, domain="3", q="visit", palette="colour-blind")
    links = by_id(page, "scorecard-downloads")
    assert text(links) == (
        "Download these 2 indicators (CSV) Download these 2 indicators as a spreadsheet (XLSX)"
    )
    client = signed_in_client(app)
    response = client.get(by_id(page, "scorecard-downloads-csv").href)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="scorecard-E10000003-cyp-outcomes.csv"' in response.headers["Content-Disposition"]
    content = response.get_data(as_text=True)
    assert content.splitlines()[:2] == [
        "Title,Scorecard for Cambridgeshire: CYP Outcomes Framework (only those in Domain 3: Children & "
        "Young People are safe from harm; with \u201cvisit\u201d in the name)",
        "Area,Cambridgeshire",
    ]
    table = pd.read_csv(io.StringIO(content), skiprows=CSV_SKIPROWS)
    assert list(table["Indicator code"]) == [ANTENATAL, NEW_BIRTH]
    assert set(table["Domain"]) == {"Domain 3: Children & Young People are safe from harm"}
    assert pd.api.types.is_numeric_dtype(table["Value"])

    response = client.get(by_id(page, "scorecard-downloads-xlsx").href)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert not [
        c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"
    ]
    figures = pd.read_excel(io.BytesIO(response.get_data()), sheet_name="Figures", skiprows=8)
    assert list(figures["Indicator code"]) == [ANTENATAL, NEW_BIRTH]


def test_the_off_target_download_holds_the_one_off_target_row(app):
    client = signed_in_client(app)
    response = client.get("/download/scorecard.csv?show=off-target")
    table = pd.read_csv(io.StringIO(response.get_data(as_text=True)), skiprows=CSV_SKIPROWS)
    assert list(table["Indicator code"]) == [REVIEW_6_8]
    assert list(table["Against target"]) == ["Off target"]
    assert client.get("/download/nothing.csv").status_code == 404
    assert app.server.test_client().get("/download/scorecard.csv").status_code == 302  # sign in first


def test_a_name_search_and_a_domain_narrow_the_list(app):
    assert shown_codes(render(app, q="  NEW   birth ")) == [NEW_BIRTH]
    page = render(app, domain="3", q="visit")
    assert shown_codes(page) == [ANTENATAL, NEW_BIRTH]
    assert (
        "in Domain 3: Children & Young People are safe from harm; with \u201cvisit\u201d in the name"
        in text(by_id(page, "scorecard-shown"))
    )
    assert shown_codes(render(app, domain="1", q="visit")) == []


def test_only_those_changed_since_lists_the_changes_panels_indicators(app):
    page = render(app, show="changed", since="previous-quarter")
    changed = [props(r)["data-indicator"] for r in rows_in(by_id(page, "scorecard-changes-table"))]
    assert sorted(shown_codes(page)) == sorted(changed) == sorted([NEW_BIRTH, MOOD])
    assert "only those changed since 31 March 2025" in text(by_id(page, "scorecard-shown"))


def test_sorting_by_status_puts_the_most_serious_first_in_one_table(app):
    page = render(app, sort="status")
    codes = shown_codes(page)
    assert codes[:3] == [REVIEW_6_8, NEW_BIRTH, MOOD]  # off target, then near target, then the rest
    assert len(codes) == 73 and by_id(page, "scorecard-sorted-table")
    assert text(by_id(page, "scorecard-shown")) == "Showing all 73 indicators, by status, most serious first."
    names = shown_codes(render(app, sort="name"))
    assert len(names) == 73 and names != codes


def test_a_domain_of_the_other_framework_is_ignored_and_named(app):
    page = render(app, domain="EY", show="sideways")
    assert len(shown_codes(page)) > 60
    words = text(by_id(page, "scorecard-ignored"))
    assert "EY" in words and "sideways" in words


def test_the_lead_says_which_sources_the_figures_run_to(app):
    assert text(by_id(render(app), "scorecard-lead")) == (
        "Against target, against England and over time: CYP Outcomes Framework; provider returns to "
        "30 June 2025."
    )
    assert "figures to 31 March 2025" in text(by_id(render(app, as_at="2025-03-31"), "scorecard-lead"))


def test_the_changes_since_choices_count_back_from_the_providers_latest_quarter(app):
    # The provider's returns run to 30 June 2025 (2025/26 Q1), as the lead says.
    options = {
        o.value: text(o)
        for o in find(by_id(render(app), "scorecard-since"), lambda c: type(c).__name__ == "Option")
    }
    assert options["previous-quarter"] == "The provider's previous quarter: 31 March 2025 (end of 2024/25 Q4)"
    assert options["previous-year"] == (
        "A year before the provider's latest quarter: 30 June 2024 (end of 2024/25 Q1)"
    )


def test_sorted_by_name_a_row_with_no_data_still_names_the_nearest_area(app):
    page = render(app, area=FENLAND, sort="name")
    [row] = rows_for(page, NEW_BIRTH)
    assert "No data for Fenland; nearest: Cambridgeshire (88.9% in 2025/26 Q1)." in text(row)
    codes = shown_codes(page)
    assert codes.index(ANTENATAL) < codes.index(NEW_BIRTH)  # "Antenatal ..." before "New birth ..."
