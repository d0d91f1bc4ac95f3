"""The indicator page's tests share this: a small store of known figures, and helpers that render the page,
find components in it, read their text, and press a chart's download button as the browser does."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import dash
import sqlalchemy as sa
from plotly.utils import PlotlyJSONEncoder

from data.areas import BUNDLED
from data.db import make_engine
from data.exports import csv_table_lines
from data.importers.pipeline import import_file
from data.seed import seed_reference

CAMBRIDGESHIRE, PETERBOROUGH, FENLAND, HUNTINGDONSHIRE = "E10000003", "E06000031", "E07000010", "E07000011"

# Smoking at delivery (lower is better, national target 6%): Fenland falls from 14.0% to 10.4% over five years
# against England's 8.8%; the other districts, Peterborough and the county for 2023/24 only.
SMOKING = textwrap.dedent("""\
    indicator_code,area_code,period,numerator,denominator,value,provisional,value_note
    smoking-at-delivery,E07000010,2019/20,280,2000,,no,
    smoking-at-delivery,E07000010,2020/21,262,2000,,no,
    smoking-at-delivery,E07000010,2021/22,244,2000,,no,
    smoking-at-delivery,E07000010,2022/23,226,2000,,no,
    smoking-at-delivery,E07000010,2023/24,208,2000,,no,
    smoking-at-delivery,E92000001,2019/20,62400,600000,,no,
    smoking-at-delivery,E92000001,2020/21,57600,600000,,no,
    smoking-at-delivery,E92000001,2021/22,54600,600000,,no,
    smoking-at-delivery,E92000001,2022/23,52800,600000,,no,
    smoking-at-delivery,E92000001,2023/24,52800,600000,,no,
    smoking-at-delivery,E07000008,2023/24,100,2000,,no,
    smoking-at-delivery,E07000009,2023/24,170,2000,,no,
    smoking-at-delivery,E07000011,2023/24,180,2000,,no,
    smoking-at-delivery,E07000012,2023/24,120,2000,,no,
    smoking-at-delivery,E06000031,2023/24,240,2000,,no,
    smoking-at-delivery,E10000003,2023/24,800,10000,,no,
    """)

# New birth visits in Huntingdonshire: steady around 88% with one quarter at 99%, a special cause.
SPECIAL_CAUSE_PERIOD = "2022/23 Q3"
_VISITS = (870, 890, 880, 870, 890, 880, 990, 880, 870, 890, 880, 870)
_QUARTERS = [f"{year}/{(year + 1) % 100:02d} Q{q}" for year in (2021, 2022, 2023) for q in (1, 2, 3, 4)]
VISITS = "indicator_code,area_code,period,numerator,denominator,value,provisional,value_note\n" + "".join(
    f"hv-new-birth-visit-14d,{HUNTINGDONSHIRE},{period},{n},1000,,no,\n"
    for period, n in zip(_QUARTERS, _VISITS, strict=True)
)

# Obesity in Reception as Fingertips publishes it: values and its own comparison with England, no intervals,
# and the county's figures by deprivation quintile.
_FT_HEADER = (
    "IndicatorID,AreaCode,Sex,Age,Category_Type,Category,Timeperiod,Value,Lower_CI_95.0_limit,"
    "Upper_CI_95.0_limit,Count,Denominator,Value_note,Compared_to_England_value_or_percentiles\n"
)
_OBESITY_ROWS = (
    ("E92000001", "", "", "10.5", "Not compared"),
    ("E10000003", "", "", "7.7", "Better"),
    ("E06000031", "", "", "11.3", "Similar"),
    ("E10000003", "Deprivation quintile", "Most deprived quintile", "10.2", "Similar"),
    ("E10000003", "Deprivation quintile", "Least deprived quintile", "5.8", "Better"),
    ("E10000003", "Deprivation quintile", "Average deprived quintile", "7.8", "Better"),
    ("E92000001", "Deprivation quintile", "Most deprived quintile", "12.8", "Worse"),
    ("E92000001", "Deprivation quintile", "Least deprived quintile", "6.7", "Better"),
    ("E92000001", "Deprivation quintile", "Average deprived quintile", "9.3", "Better"),
)
OBESITY = _FT_HEADER + "".join(
    f"90319,{area},Persons,4-5 yrs,{ctype},{cat},2023/24,{value},,,,,,{comparison}\n"
    for area, ctype, cat, value, comparison in _OBESITY_ROWS
)

# Children on protection plans in Cambridgeshire: three years only, too few figures for a process chart (the
# scorecard judges SPC from five), as in the bundled data.
CP_PLANS = textwrap.dedent("""\
    indicator_code,area_code,period,numerator,denominator,value,provisional,value_note
    cp-plans-rate,E10000003,2021/22,560,140000,,no,
    cp-plans-rate,E10000003,2022/23,600,140000,,no,
    cp-plans-rate,E10000003,2023/24,530,140000,,no,
    """)

# Breastfeeding at 6-8 weeks (higher is better) for Fenland, its county, the region and England over five
# years, and every district and Peterborough in 2023/24 for the funnel plot. Against England's 51.0%:
# Fenland (430 of 1,000) is below the 99.8% limits, East Cambridgeshire (600 of 1,000) and Cambridge (700 of
# 1,200) above them, Peterborough (1,080 of 2,000) between the 95% and 99.8% upper limits, and
# Huntingdonshire and South Cambridgeshire within the 95% limits.
BREASTFEEDING_YEARS = ("2019/20", "2020/21", "2021/22", "2022/23", "2023/24")
_BREASTFEEDING_SERIES = {
    FENLAND: ((380, 400, 410, 420, 430), 1000),
    CAMBRIDGESHIRE: ((3300, 3360, 3420, 3480, 3540), 6000),
    "E12000006": ((30000, 30300, 30600, 30900, 31200), 60000),
    "E92000001": ((294000, 297000, 300000, 303000, 306000), 600000),
}
_BREASTFEEDING_2023 = {
    "E07000009": (600, 1000),
    "E07000008": (700, 1200),
    HUNTINGDONSHIRE: (830, 1600),
    "E07000012": (730, 1400),
    PETERBOROUGH: (1080, 2000),
}
BREASTFEEDING = (
    "indicator_code,area_code,period,numerator,denominator,value,provisional,value_note\n"
    + "".join(
        f"breastfeeding-6-8-weeks,{area},{year},{n},{d},,no,\n"
        for area, (counts, d) in _BREASTFEEDING_SERIES.items()
        for year, n in zip(BREASTFEEDING_YEARS, counts, strict=True)
    )
    + "".join(
        f"breastfeeding-6-8-weeks,{area},2023/24,{n},{d},,no,\n"
        for area, (n, d) in _BREASTFEEDING_2023.items()
    )
)


def seeded_engine(folder: Path) -> sa.Engine:
    """An in-memory store with the shipped reference data, the bundled illustrative provider returns, one
    real Fingertips extract and the small files above (written to ``folder``)."""
    engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    files = [
        BUNDLED / "illustrative" / "provider_quarterly_returns.csv",
        BUNDLED / "fingertips-cyp-mental-health" / "indicators-CountyUA_cyp_mh_east_of_england.csv",
    ]
    for name, text in (
        ("smoking.csv", SMOKING),
        ("visits.csv", VISITS),
        ("obesity.csv", OBESITY),
        ("cp-plans.csv", CP_PLANS),
        ("breastfeeding.csv", BREASTFEEDING),
    ):
        (folder / name).write_text(text, encoding="utf-8")
        files.append(folder / name)
    for path in files:
        result = import_file(engine, path, imported_by="test")
        assert result.rows_rejected == 0, (path.name, result.message)
    return engine


def _indicator_page() -> dict:
    return next(p for p in dash.page_registry.values() if p.get("path_template") == "/indicator/<code>")


def render_page(app: dash.Dash, code: str, **query: str):
    """The indicator page's layout for ``code`` and the view in ``query``, checked to be sendable."""
    with app.server.test_request_context(f"/indicator/{code}"):
        layout = _indicator_page()["layout"](code=code, **query)
    json.dumps(layout, cls=PlotlyJSONEncoder)  # Dash must be able to send it
    return layout


def find_all(component, predicate) -> list:
    """Every component in the tree under ``component`` for which ``predicate`` is true."""
    found = []

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif hasattr(node, "to_plotly_json"):
            if predicate(node):
                found.append(node)
            walk(getattr(node, "children", None))

    walk(component)
    return found


def by_id(component, id):
    """The first component with ``id`` (a test fails if there is none)."""
    matches = find_all(component, lambda c: getattr(c, "id", None) == id)
    assert matches, f"no component with id {id!r}"
    return matches[0]


def text_of(component) -> str:
    """The text a reader sees in a component, spaces collapsed."""
    pieces: list[str] = []

    def walk(node) -> None:
        if node is None:
            return
        if isinstance(node, str | int | float):
            pieces.append(str(node))
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        else:
            walk(getattr(node, "children", None))

    walk(component)
    return " ".join(" ".join(pieces).split())


def figure_of(layout, graph_id: str) -> dict:
    """The figure of the graph with ``graph_id``, as a plain dictionary."""
    figure = by_id(layout, graph_id).figure
    return figure if isinstance(figure, dict) else figure.to_plotly_json()


def trace_of(figure: dict, meta: str) -> dict | None:
    """The trace whose ``meta`` names it, or None."""
    return next((t for t in figure["data"] if t.get("meta") == meta), None)


def table_rows(layout, table_id: str) -> list[list[str]]:
    """The text of each body row of the table with ``table_id``."""
    table = by_id(layout, table_id)
    body = next(child for child in table.children if type(child).__name__ == "Tbody")
    return [[text_of(cell) for cell in row.children] for row in body.children]


def press_download(client, key: str, view: dict) -> tuple[str, list[dict]]:
    """Press a chart's CSV button as the browser does: the filename and the rows of the CSV's table."""
    filename, text = press_download_text(client, key, view)
    return filename, list(csv.DictReader(csv_table_lines(text)))


def press_download_text(client, key: str, view: dict) -> tuple[str, str]:
    """Press a chart's CSV button as the browser does: the filename and the whole file sent back."""
    button = {"chart": key, "type": "indicator-csv"}
    target = {"chart": key, "type": "indicator-download"}
    payload = {
        "output": '{"chart":["MATCH"],"type":"indicator-download"}.data',  # the callback's wildcard form
        "outputs": {"id": target, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "state": [{"id": "indicator-view", "property": "data", "value": view}],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:500]
    sent = next(iter(response.get_json()["response"].values()))["data"]
    assert sent["type"] == "text/csv"
    return sent["filename"], sent["content"]
