"""Meeting mode on the small known store: the screens in order, each with what the committee reads (counts by
status, indicators with their statuses, an exception with its chart and commentary, the payment position),
and links that name the screen so it can be shared."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import formatting
from dashboard.meeting import screens
from data import monitoring
from data.access import User
from tests.dashboard.monitoring.support import CAMBS, LATEST, NEW_BIRTH
from tests.dashboard.pages import by_id, render, text, to_json

OFFICER = User("Olu Officer", frozenset({"officer"}))
FIRST_EXCEPTION = 14
"""The title screen and 12 domain screens (domains 1 to 5 take 1, 5, 3, 2 and 1 screens of at most seven
indicators), then the one exception (new birth visits, off target at 85.0%)."""


def _screen(app, number: int | str | None = None, **query):
    if number is not None:
        query["screen"] = str(number)
    page = render(app, "/meeting", area=CAMBS, **query)
    to_json(page)
    return page


def test_the_deck_is_a_title_the_domains_each_exception_and_the_payment(app, viewer):
    page = _screen(app)
    count = int(page.to_plotly_json()["props"]["data-screens"])
    headings = [text(by_id(_screen(app, n), "meeting-heading")) for n in range(1, count + 1)]
    assert headings[0] == "Healthy Child Programme outcomes: Cambridgeshire"
    assert headings[1] == "Domain 1: Maternity"
    assert headings[2] == "Domain 2: Children & Young People lead healthy lives (part 1 of 5)"
    assert headings[FIRST_EXCEPTION - 1] == "Exception: New birth visit within 14 days"
    assert headings[-1] == "Payment position"
    assert count == FIRST_EXCEPTION + 1


def test_the_title_screen_counts_the_indicators_by_status_in_words(app, viewer):
    screen = text(by_id(_screen(app, 1), "meeting-screen"))
    assert "CYP Outcomes Framework, figures to 30 September 2025." in screen
    assert "2 ✓ On target 0 ▲ Near target 1 ● Off target 0 – Not assessed 70 No figure" in screen
    assert "1 exception and the payment position follow." in screen


def test_a_domain_screen_lists_its_indicators_with_their_statuses(app, viewer):
    screen = _screen(app, 9)
    assert text(by_id(screen, "meeting-heading")).endswith("(part 2 of 3)")
    rows = text(by_id(screen, "meeting-indicators"))
    assert "New birth visit within 14 days (illustrative) 85.0% in 2025/26 Q2 ● Off target" in rows
    assert "Antenatal contact (28+ weeks) (illustrative) 60.2% in 2025/26 Q2 ✓ On target" in rows


def test_an_exception_shows_its_chart_status_and_none_recorded(app, viewer):
    screen = _screen(app, FIRST_EXCEPTION)
    words = text(by_id(screen, "meeting-screen"))
    assert "85.0% in 2025/26 Q2 (illustrative) ● Off target" in words
    assert "Off target: 7.0 points below the 92% target" in words
    assert by_id(screen, "meeting-no-commentary") and by_id(screen, "meeting-no-actions")
    figure = by_id(screen, "meeting-graph").figure
    assert figure["layout"]["height"] == 380
    assert "has fallen significantly" in text(by_id(screen, "meeting-chart-headline"))


def test_an_exception_shows_the_latest_commentary_shortened_and_its_actions(app, engine, viewer):
    where = {"indicator_code": NEW_BIRTH, "area_code": CAMBS, "period_label": LATEST}
    monitoring.add_commentary(engine, OFFICER, kind="provider", text="An earlier note", **where)
    long = "Sickness in two teams. " + "=HYPERLINK(x) " + "word " * 80
    monitoring.add_commentary(engine, OFFICER, kind="provider", text=long, **where)
    monitoring.add_action(
        engine,
        OFFICER,
        what="Recruit two health visitors",
        owner="Head of service",
        due_date=dt.date(2099, 12, 31),
        **where,
    )
    screen = _screen(app, FIRST_EXCEPTION)
    commentary = text(by_id(screen, "meeting-commentary"))
    today = formatting.date(dt.date.today())
    assert commentary.startswith(f"Provider's explanation (Olu Officer, {today}): ")
    assert "Sickness in two teams. =HYPERLINK(x) word" in commentary and commentary.endswith("…")
    assert len(commentary) < 320
    assert "An earlier note" not in commentary
    assert text(by_id(screen, "meeting-actions")) == (
        "○ Open Recruit two health visitors (Head of service, due 31 December 2099)"
    )
    assert "The full record is on the exceptions page." in text(by_id(screen, "meeting-screen"))


def test_the_payment_screen_gives_the_position_in_words(app, viewer):
    words = text(by_id(_screen(app, FIRST_EXCEPTION + 1), "meeting-screen"))
    assert (
        "Payment 2025/26 (agreed version 1): of £273,783 at risk, £44,490 earned and £78,713 withheld"
        in words
    )


def test_the_links_name_the_area_and_screen_and_exit_returns_to_the_scorecard(app, viewer):
    page = _screen(app, 3, palette="colour-blind")
    assert by_id(page, "meeting-next").href == "/meeting?area=E10000003&palette=colour-blind&screen=4"
    assert by_id(page, "meeting-previous").href == "/meeting?area=E10000003&palette=colour-blind&screen=2"
    assert by_id(page, "meeting-exit").href == "/?area=E10000003&palette=colour-blind"
    assert text(by_id(page, "meeting-count")) == "Screen 3 of 15"


@pytest.mark.parametrize(
    ("asked", "shown", "said"),
    [
        ("0", 1, "This link asked for screen 0; screens start at 1, so it shows screen 1."),
        ("x", 1, "This link asked for screen \u201cx\u201d, which is not a number, so it shows screen 1."),
        (
            "999",
            15,
            "This link asked for screen 999, but there are only 15 screens, so it shows the last one, "
            "screen 15.",
        ),
    ],
)
def test_a_screen_number_out_of_range_or_not_a_number_is_said_in_words(app, viewer, asked, shown, said):
    page = _screen(app, asked)
    assert text(by_id(page, "meeting-count")) == f"Screen {shown} of 15"
    assert text(by_id(page, "meeting-link-note")) == said


def test_a_right_screen_number_needs_no_note(app, viewer):
    page = _screen(app, "15")
    assert text(by_id(page, "meeting-count")) == "Screen 15 of 15"
    assert "meeting-link-note" not in to_json(page)


def test_a_setting_meeting_mode_does_not_recognise_is_named(app, viewer):
    page = _screen(app, 2, palette="rainbow")
    assert "palette \u201crainbow\u201d" in text(by_id(page, "meeting-link-note"))


def test_long_domains_are_split_evenly():
    assert [len(p) for p in screens.parts(list(range(17)))] == [6, 6, 5]
    assert [len(p) for p in screens.parts(list(range(7)))] == [7]
    assert screens.parts([]) == [()]
