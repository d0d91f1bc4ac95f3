"""Every file the dashboard offers for download, made from a store holding hostile text, opens in a
spreadsheet without running anything: text typed or imported as ``=HYPERLINK(...)``, ``+cmd|...``,
``@SUM(1)`` and the like is written as text (a CSV cell gets a leading quote; an XLSX cell is text, never a
formula), while the figures stay numbers.

The downloads (:data:`DOWNLOADS` lists them, and a test checks the app offers no other):

* the indicator page's chart CSVs and spreadsheets: trend, SPC, comparison of areas, inequalities (the
  ``indicator-download`` and ``indicator-xlsx-download`` callbacks);
* the payment page's calculation as CSV and as XLSX with its audit history (the ``payment-download``
  callback);
* the payment page's chart CSVs (budget split and forecast), carried in their links, and spreadsheets, written
  by the download route when their links are followed.

The blank provider return (``kpi template``) is left out: it holds only the product's own headings.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from dashboard import create_app, payment_callbacks
from dashboard.table_downloads import XLSX_TYPE
from data.access import User
from data.contracts import get_scheme, save_scheme_version
from data.exports import ABOUT_FIELDS, CSV_SKIPROWS, PLAIN_NUMBER, csv_table_lines
from data.importers.pipeline import import_file
from tests.dashboard.indicator.support import OBESITY, press_download, press_download_text
from tests.dashboard.pages import find, render
from tests.dashboard.payment.support import CCC, CONTEXT, YEAR, payment_store, reported_inputs
from tests.dashboard.signing_in import signed_in_client

HYPERLINK = '=HYPERLINK("http://evil.example","Click for your figures")'
COMMAND = "+cmd|' /C calc'!A0"
SUM = "@SUM(1)"
MINUS = "-2+3"
HOSTILE = (HYPERLINK, COMMAND, SUM, MINUS)
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
FENLAND, ENGLAND, CAMBRIDGESHIRE = "E07000010", "E92000001", "E10000003"
YEARS = ("2019/20", "2020/21", "2021/22", "2022/23", "2023/24")

CHARTS = ("trend", "spc", "compare", "inequalities")
DOWNLOADS = {
    '{"chart":["MATCH"],"type":"indicator-download"}.data': CHARTS,
    '{"chart":["MATCH"],"type":"indicator-xlsx-download"}.data': CHARTS,
    "payment-download.data": ("payment CSV", "payment XLSX"),
    "areas-table-csv-download.data": ("areas table CSV",),
    "areas-table-xlsx-download.data": ("areas table XLSX",),
}
"""Each download callback the app registers, and the files it sends (all checked below)."""


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _smoking(folder) -> str:
    """Smoking at delivery for Fenland and England, each year's figure with a hostile value note."""
    header = "indicator_code,area_code,period,numerator,denominator,value,provisional,value_note\n"
    notes = (*HOSTILE, "\t=1+1")
    rows = "".join(
        f"smoking-at-delivery,{area},{year},{count},2000,,no,{_quoted(note)}\n"
        for area in (FENLAND, ENGLAND)
        for year, count, note in zip(YEARS, (280, 262, 244, 226, 208), notes, strict=True)
    )
    path = folder / "smoking.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def _obesity(folder):
    """Obesity in Reception by deprivation, as Fingertips publishes it, each figure with a hostile note."""
    lines = OBESITY.splitlines()
    body = [re.sub(r",,(\w[\w ]*)$", rf",{_quoted(HYPERLINK)},\1", line) for line in lines[1:]]
    path = folder / "obesity.csv"
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Iterator[sa.Engine]:
    """The payment store, with the hostile figures above and a scheme change whose KPI label and reason are
    formulas."""
    folder = tmp_path_factory.mktemp("hostile")
    engine = payment_store()
    for path in (_smoking(folder), _obesity(folder)):
        assert import_file(engine, path, imported_by="test").rows_rejected == 0
    scheme = get_scheme(engine, CCC, YEAR)
    kpis = (scheme.kpis[0].__class__(**{**scheme.kpis[0].__dict__, "label": SUM}), *scheme.kpis[1:])
    save_scheme_version(
        engine,
        User("Asha Patel", frozenset({"admin"})),
        CCC,
        YEAR,
        budget=scheme.budget,
        share=scheme.share,
        kpis=kpis,
        reason=HYPERLINK,
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(engine):
    return create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})


@pytest.fixture(scope="module")
def client(app):
    client = signed_in_client(app)
    assert client.get("/").status_code == 200  # builds the page router and the callbacks
    return client


def _assert_safe_csv(text: str, *, expect: tuple[str, ...] = ()) -> list[list[str]]:
    """Every cell of the CSV is safe (no text starting with a formula character unless it is just a
    number), and each of ``expect`` is there, quoted; the file starts with its description (one line per
    field, a blank line). Returns the table's rows, headings first."""
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    unsafe = [cell for cell in cells if FORMULA_START.match(cell) and not PLAIN_NUMBER.fullmatch(cell)]
    assert not unsafe
    for hostile in expect:
        assert "'" + hostile in cells, hostile
    block = rows[: CSV_SKIPROWS - 1]
    assert [row[0] for row in block] == list(ABOUT_FIELDS) and all(len(row) == 2 and row[1] for row in block)
    assert rows[CSV_SKIPROWS - 1] == []
    return rows[CSV_SKIPROWS:]


def _assert_safe_workbook(content: bytes, *, expect: tuple[str, ...]) -> None:
    """No cell holding text a user typed is a formula: every hostile text is there, as text, and every
    formula is one the workbook built from cell references."""
    book = load_workbook(io.BytesIO(content))
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not any(h[1:] in str(cell.value) for h in HOSTILE), (sheet.title, cell.coordinate)
                elif isinstance(cell.value, str) and cell.value in HOSTILE:
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                    found.add(cell.value)
    assert found >= set(expect)


def test_the_app_offers_no_download_this_file_does_not_check(client, app):
    offered = {output for output in app.callback_map if "download" in output.lower()}
    assert offered == set(DOWNLOADS)


CHART_VIEWS = [
    ("trend", "smoking-at-delivery", FENLAND, HOSTILE),
    ("spc", "smoking-at-delivery", FENLAND, ()),
    ("compare", "smoking-at-delivery", FENLAND, ()),
    ("inequalities-deprivation-quintile", "obesity-reception", CAMBRIDGESHIRE, ()),
]


@pytest.mark.parametrize(("key", "code", "area", "expect"), CHART_VIEWS)
def test_every_indicator_chart_csv_writes_imported_notes_as_text(client, key, code, area, expect):
    view = {"code": code, "area": area, "view": "trend", "ci": "on"}
    filename, text = press_download_text(client, key, view)
    assert filename.endswith(".csv")
    rows = _assert_safe_csv(text, expect=expect)
    frame = pd.read_csv(io.StringIO(text), skiprows=CSV_SKIPROWS)  # the table under its description
    assert len(frame) == len(rows) - 1 > 0
    assert pd.api.types.is_numeric_dtype(frame.iloc[:, 1])


def test_the_trend_csv_keeps_the_figures_as_numbers_and_the_notes_as_quoted_text(client):
    view = {"code": "smoking-at-delivery", "area": FENLAND, "view": "trend", "ci": "on"}
    _, records = press_download(client, "trend", view)
    assert [float(r["Fenland"]) for r in records] == pytest.approx([14.0, 13.1, 12.2, 11.3, 10.4])
    # the import trims the tab off the last note, leaving a formula all the same
    assert [r["Value note"] for r in records] == ["'" + h for h in HOSTILE] + ["'=1+1"]


def _press_xlsx(client, key: str, view: dict) -> tuple[str, bytes]:
    """Press a chart's spreadsheet button as the browser does: the filename and the file sent back."""
    button, target = (
        {"chart": key, "type": "indicator-xlsx"},
        {"chart": key, "type": "indicator-xlsx-download"},
    )
    payload = {
        "output": '{"chart":["MATCH"],"type":"indicator-xlsx-download"}.data',
        "outputs": {"id": target, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "state": [{"id": "indicator-view", "property": "data", "value": view}],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:500]
    sent = next(iter(response.get_json()["response"].values()))["data"]
    return sent["filename"], base64.b64decode(sent["content"])


@pytest.mark.parametrize(("key", "code", "area", "expect"), CHART_VIEWS)
def test_every_indicator_chart_spreadsheet_writes_notes_as_text_under_its_description(
    client, key, code, area, expect
):
    view = {"code": code, "area": area, "view": "trend", "ci": "on"}
    filename, content = _press_xlsx(client, key, view)
    assert filename.endswith(".xlsx")
    _assert_safe_workbook(content, expect=expect)
    book = load_workbook(io.BytesIO(content))
    assert not [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert list(about) == ["Title", "Area", "Period", "Unit", "Source", "Licence", "Date made"]
    assert about["Licence"] == "Open Government Licence v3.0" and about["Period"]
    # the table sits under the description and a blank row; its figures read back as numbers
    figures = pd.read_excel(io.BytesIO(content), sheet_name="Figures", skiprows=len(about) + 1)
    _, records = press_download(client, key, view)
    assert list(figures.columns) == list(records[0]) and len(figures) == len(records)
    assert pd.api.types.is_numeric_dtype(figures.iloc[:, 1])


def test_the_trend_spreadsheet_says_what_where_and_when(client):
    view = {"code": "smoking-at-delivery", "area": FENLAND, "view": "trend", "ci": "on"}
    _, content = _press_xlsx(client, "trend", view)
    about = {row[0].value: row[1].value for row in load_workbook(io.BytesIO(content))["About"].iter_rows()}
    assert about["Area"] == "Fenland" and about["Period"] == "2019/20 to 2023/24" and about["Unit"] == "%"
    assert about["Title"].endswith("Fenland, by period")


def _payment_file(app, engine, kind: str) -> dict:
    defaults = reported_inputs(engine)
    context = {**CONTEXT, "version": get_scheme(engine, CCC, YEAR).version}
    with app.server.test_request_context("/payment"):
        return payment_callbacks.export_file(kind, context, defaults, defaults["values"], defaults["weights"])


def test_the_payment_csv_writes_a_kpi_label_typed_as_a_formula_as_text(app, engine, client):
    sent = _payment_file(app, engine, "csv")
    rows = _assert_safe_csv(sent["content"], expect=(SUM,))
    records = list(csv.DictReader(csv_table_lines(sent["content"])))
    assert records[0]["kpi"] == "'" + SUM
    assert Decimal(records[-1]["earned"]) > 0 and rows[0][0] == "contract"


def test_the_payment_workbook_writes_typed_text_as_text_and_keeps_its_own_formulas(app, engine, client):
    sent = _payment_file(app, engine, "xlsx")
    content = base64.b64decode(sent["content"])
    _assert_safe_workbook(content, expect=(SUM, HYPERLINK))
    book = load_workbook(io.BytesIO(content))
    audit = book["Audit history"]
    reasons = [row[9].value for row in audit.iter_rows(min_row=6, max_row=7)]
    assert HYPERLINK in reasons  # the typed reason, as text
    assert book["Calculation"]["C9"].data_type == "f"  # at risk: the workbook's own formula
    assert book["Calculation"]["B13"].value == SUM and book["Calculation"]["B13"].data_type == "s"
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=3) if row[0].value}
    assert set(about) >= {"Title", "Area", "Period", "Unit", "Source", "Licence", "Date made"}
    assert about["Period"] == "Financial year 2025/26"


def test_the_payment_chart_csvs_are_written_by_the_same_writer(app, engine, client):
    layout = render(app, "/payment", contract=CCC, year=YEAR)
    links = find(layout, lambda c: str(getattr(c, "id", "")).endswith("-csv") and hasattr(c, "href"))
    assert {link.id for link in links} == {"chart-payment-budget-csv", "chart-payment-forecast-csv"}
    for link in links:
        text = urllib.parse.unquote(link.href.split(",", 1)[1])
        rows = _assert_safe_csv(text)
        assert len(rows) > 2 and all(Decimal(row[1]) >= 0 for row in rows[1:])  # pounds, as numbers


def _press_areas_table(client, kind: str) -> dict:
    """Press the areas table's CSV or XLSX button as the browser does: what the server sends back."""
    payload = {
        "output": f"areas-table-{kind}-download.data",
        "outputs": {"id": f"areas-table-{kind}-download", "property": "data"},
        "inputs": [{"id": f"areas-table-{kind}", "property": "n_clicks", "value": 1}],
        "state": [{"id": "areas-table-context", "property": "data", "value": {"framework": "cyp-outcomes"}}],
        "changedPropIds": [f"areas-table-{kind}.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:500]
    return next(iter(response.get_json()["response"].values()))["data"]


def test_the_areas_table_downloads_are_tidy_safe_and_agree(client):
    sent = _press_areas_table(client, "csv")
    assert sent["filename"] == "areas-table-cyp-outcomes.csv"
    _assert_safe_csv(sent["content"])
    table = pd.read_csv(io.StringIO(sent["content"]), skiprows=CSV_SKIPROWS)
    assert list(table.columns) == [
        "Domain",
        "Indicator code",
        "Indicator",
        "Unit",
        "Area code",
        "Area",
        "Period",
        "Value",
        "Lower 95% limit",
        "Upper 95% limit",
        "Compared with England",
    ]
    # One row per indicator of the framework and column of the table (the home areas, region, England).
    assert table.groupby("Indicator code").size().nunique() == 1
    fenland = table[(table["Indicator code"] == "smoking-at-delivery") & (table["Area code"] == FENLAND)]
    assert list(fenland["Value"]) == [pytest.approx(10.4)] and list(fenland["Period"]) == [YEARS[-1]]
    england = table[(table["Indicator code"] == "smoking-at-delivery") & (table["Area code"] == ENGLAND)]
    assert england["Compared with England"].isna().all()  # England is the benchmark

    workbook = _press_areas_table(client, "xlsx")
    content = base64.b64decode(workbook["content"])
    _assert_safe_workbook(content, expect=())
    book = load_workbook(io.BytesIO(content))
    assert not [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Title"].startswith("Areas table: CYP Outcomes Framework")
    figures = pd.read_excel(io.BytesIO(content), sheet_name="Figures", skiprows=len(about) + 1)
    assert list(figures.columns) == list(table.columns) and len(figures) == len(table)


def test_the_payment_chart_spreadsheets_carry_their_description_and_the_figures_as_numbers(
    app, engine, client
):
    layout = render(app, "/payment", contract=CCC, year=YEAR)
    links = find(layout, lambda c: str(getattr(c, "id", "")).endswith("-xlsx") and hasattr(c, "href"))
    assert {link.id: link.download for link in links} == {
        "chart-payment-budget-xlsx": f"budget-split-{CCC}-{YEAR.replace('/', '-')}-v1.xlsx",
        "chart-payment-forecast-xlsx": f"payment-forecast-{CCC}-{YEAR.replace('/', '-')}-v1.xlsx",
    }
    sent = client.get(next(link for link in links if "budget" in link.id).href)
    assert sent.status_code == 200 and sent.mimetype == XLSX_TYPE
    assert sent.headers["Content-Disposition"] == (
        f'attachment; filename="budget-split-{CCC}-{YEAR.replace("/", "-")}-v1.xlsx"'
    )
    budget = sent.data
    _assert_safe_workbook(budget, expect=())
    book = load_workbook(io.BytesIO(budget))
    assert not [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert list(about) == ["Title", "Area", "Period", "Unit", "Source", "Licence", "Date made"]
    assert (about["Title"], about["Area"], about["Period"], about["Unit"]) == (
        f"The budget split: Cambridgeshire, {YEAR}",
        "Cambridgeshire",
        YEAR,
        "Pounds (£)",
    )
    assert about["Source"].startswith("Cambridgeshire County Council, Children and Young People Committee")
    figures = pd.read_excel(io.BytesIO(budget), sheet_name="Figures", skiprows=len(about) + 1)
    assert list(figures.columns) == ["Part of the budget", "Amount"]
    amounts = dict(zip(figures["Part of the budget"], figures["Amount"], strict=True))
    assert amounts["Whole budget"] == pytest.approx(9_126_108)
    assert amounts["At risk"] == pytest.approx(273_783.24)
    assert amounts["Paid regardless"] + amounts["At risk"] == pytest.approx(amounts["Whole budget"])


def test_a_payment_chart_spreadsheet_link_whose_figures_were_not_signed_here_is_not_found(app, client):
    layout = render(app, "/payment", contract=CCC, year=YEAR)
    [link] = find(layout, lambda c: getattr(c, "id", "") == "chart-payment-budget-xlsx")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.href).query)
    figures = query["figures"][0]
    tampered = figures[:-3] + ("AAA" if not figures.endswith("AAA") else "BBB")
    assert client.get(link.href).status_code == 200
    assert client.get(f"/download/payment-chart.xlsx?figures={tampered}").status_code == 404
    assert client.get("/download/payment-chart.xlsx").status_code == 404
