"""The "Time between events" G chart on the SPC view of an indicator flagged as rare events.

Known answer: Fenland's self-harm admissions aged 10-14 (made up here), one admission in 2004/05, 2005/06,
2007/08, 2008/09, 2010/11 and 2011/12, then none until 2021/22. The gaps (periods with no admission before
each admission after the first) are 0, 1, 0, 1, 0 and 9: mean 1.833, upper limit
1.833 + 3 x sqrt(1.833 x 2.833) = 8.67, median 0.5; the nine-year gap before 2021/22 is above the limit.
"""

from __future__ import annotations

import pytest

from dashboard import create_app
from data.importers.pipeline import import_file
from tests.dashboard.indicator.support import (
    CAMBRIDGESHIRE,
    FENLAND,
    by_id,
    find_all,
    press_download,
    render_page,
    seeded_engine,
    table_rows,
    text_of,
)
from tests.dashboard.signing_in import signed_in_client

CODE = "self-harm-admissions-10-14"
YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2004, 2022)]
COUNTS = [1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rare")
    engine = seeded_engine(folder)
    path = folder / "self-harm.csv"
    path.write_text(
        "indicator_code,area_code,period,numerator,denominator,value,provisional,value_note\n"
        + "".join(f"{CODE},{FENLAND},{y},{n},6000,,no,\n" for y, n in zip(YEARS, COUNTS, strict=True)),
        encoding="utf-8",
    )
    result = import_file(engine, path, imported_by="test")
    assert result.rows_rejected == 0, result.message
    yield create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})
    engine.dispose()


def test_a_flagged_indicator_shows_the_g_chart_with_its_limit_and_the_long_gap(app):
    page = render_page(app, CODE, area=FENLAND, view="spc")
    assert text_of(by_id(page, "chart-rare-events-headline")) == (
        "Self-harm admissions (10-14) in Fenland: the gap before the event in 2021/22 was unusually long"
    )
    rows = table_rows(page, "table-rare-events")
    assert [row[0] for row in rows] == ["2005/06", "2007/08", "2008/09", "2010/11", "2011/12", "2021/22"]
    assert [row[1] for row in rows] == ["0", "1", "0", "1", "0", "9"]
    assert {row[2] for row in rows} == {"0.5"} and {row[3] for row in rows} == {"8.7"}
    assert [row[4] for row in rows] == ["", "", "", "", "", "Yes"]


def test_the_csv_has_exactly_the_gaps_plotted(app):
    client = signed_in_client(app)
    assert client.get("/").status_code == 200
    name, sent = press_download(
        client, "rare-events", {"code": CODE, "area": FENLAND, "view": "spc", "ci": "on"}
    )
    assert name == f"{CODE}-fenland-time-between-events.csv"
    assert [row["Periods with no event before it"] for row in sent] == ["0", "1", "0", "1", "0", "9"]


def test_where_every_period_has_an_event_the_page_says_the_spc_chart_suits(app):
    page = render_page(app, CODE, area=CAMBRIDGESHIRE, view="spc")
    words = text_of(by_id(page, "rare-events-none"))
    assert words.startswith("Every period has at least one event in Cambridgeshire") or words.startswith(
        "The number of events in each period is not held for Cambridgeshire"
    )


def test_an_indicator_not_flagged_has_no_time_between_events(app):
    page = render_page(app, "smoking-at-delivery", area=FENLAND, view="spc")
    assert not find_all(page, lambda c: getattr(c, "id", None) == "rare-events")
