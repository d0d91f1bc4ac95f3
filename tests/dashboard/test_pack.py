"""The committee pack: ``kpi report`` writes a PDF and a slide deck that say what the scorecard says.

One pack is built for the module (drawing its charts starts Chromium, so it takes some seconds), on a store
holding the reference data, the illustrative provider returns and the East of England mental-health extract
(which gives Cambridgeshire exceptions: self-harm admissions significantly worse than England). The PDF's
text is read back with pypdf and compared with the scorecard page as the dashboard renders it for the same
area and date; the deck is read back with python-pptx.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

from dashboard import create_app, data_access, formatting
from dashboard.components.scorecard_filters import framework_groups
from dashboard.pack import build
from dashboard.pack.content import default_since
from data import monitoring
from data.access import User
from data.areas import BUNDLED, CAMBRIDGESHIRE
from data.db import make_engine
from data.importers.pipeline import import_file
from data.seed import seed_reference
from kpi import cli
from tests.dashboard import pages

FILES = (
    BUNDLED / "illustrative" / "provider_quarterly_returns.csv",
    BUNDLED / "fingertips-cyp-mental-health" / "indicators-CountyUA_cyp_mh_east_of_england.csv",
)
AS_OF = "2025-09-30"
SELF_HARM = "self-harm-admissions-10-24"
OFFICER = User("Olu Officer", frozenset({"officer"}))
COMMENTARY = "<b>Two new</b> school nurses started in March"
ACTION = "Review self-harm pathways with CAMHS"
DUE = dt.date(2099, 3, 31)


def _build(folder: Path) -> dict:
    """A seeded store, and the pack ``kpi report`` wrote from it: its PDF, its deck and what it printed."""
    url = f"duckdb:///{folder / 'store.duckdb'}"
    engine = make_engine(url)
    seed_reference(engine)
    for path in FILES:
        assert import_file(engine, path, imported_by="test").rows_rejected == 0
    subject = {"indicator_code": SELF_HARM, "area_code": CAMBRIDGESHIRE, "period_label": "2017/18"}
    monitoring.add_commentary(engine, OFFICER, **subject, kind="provider", text=COMMENTARY)
    monitoring.add_action(engine, OFFICER, **subject, what=ACTION, owner="Head of service", due_date=DUE)
    engine.dispose()
    pdf, deck = folder / "pack.pdf", folder / "pack.pptx"
    result = CliRunner().invoke(
        cli,
        ["report", "--area", CAMBRIDGESHIRE, "--as-of", AS_OF, "--output", str(pdf), "--pptx", str(deck)],
        env={"KPI_DATABASE_URL": url, "KPI_PACK_LOG": str(folder / "packs.json")},
    )
    assert result.exit_code == 0, result.output
    return {"url": url, "pdf": pdf, "pptx": deck, "output": result.output, "log": folder / "packs.json"}


def _words(text: str) -> str:
    return " ".join(text.split())


def _tags(node) -> list[tuple[str, object]]:
    """Every tag in a PDF structure tree, as (type, alt text)."""
    found = []
    node = node.get_object()
    if "/S" in node:
        found.append((str(node["/S"]), node.get("/Alt")))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
            found += _tags(kid)
    return found


def _screen(url: str) -> tuple[list, set[str], str]:
    """The scorecard records of the pack's framework, the figures the scorecard page shows for them (as the
    page formats them), and the page's text, for Cambridgeshire as at the pack's date."""
    engine = make_engine(url, read_only=True)
    app = create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})
    with app.server.app_context():
        codes = {
            c for _, outcomes in framework_groups("cyp-outcomes") for _, inner in outcomes for c in inner
        }
        rows = [r for r in data_access.scorecard_rows(CAMBRIDGESHIRE, AS_OF) if r.indicator_code in codes]
    page = pages.render(app, "/", area=CAMBRIDGESHIRE, as_at=AS_OF)
    shown = {
        pages.text(node)
        for node in pages.find(page, lambda n: "app-scorecard__value" in (getattr(n, "className", "") or ""))
    }
    engine.dispose()
    return rows, shown, _words(pages.text(page))


def test_kpi_report_writes_a_pdf_and_slides_that_say_what_the_scorecard_says(tmp_path: Path) -> None:
    # One test, so the pack (which starts Chromium for its charts) is built once, whichever worker runs it.
    built = _build(tmp_path)
    _check_pdf(built)
    _check_slides(built)


def _check_pdf(built: dict) -> None:
    """The PDF holds the scorecard shown on screen, page numbers, a contents page, the exceptions with their
    commentary and actions, the payment, and the tags a screen reader needs."""
    reader = PdfReader(built["pdf"])
    texts = [_words(page.extract_text()) for page in reader.pages]
    total = len(texts)
    assert f"Wrote {built['pdf']} ({total} pages" in built["output"]
    assert all(f"Page {n} of {total}" in text for n, text in enumerate(texts, start=1))

    # The contents page lists each section with the page it starts on, and it does start there.
    contents = texts[1]
    assert contents.startswith("Contents")
    for heading in ("Summary: Cambridgeshire", "Payment position: Cambridgeshire", "Definitions and methods"):
        found = re.search(re.escape(heading) + r"[ .]*(\d+)", contents)
        assert found, heading
        page = int(found.group(1))
        before = texts[page - 2] if page - 2 != 1 else ""  # the page before, unless it is the contents
        assert heading in texts[page - 1] and heading not in before, (heading, page)

    rows, shown, screen = _screen(built["url"])
    with_data = [r for r in rows if r.has_data]
    assert len(with_data) >= 10
    scorecard_pages = [
        text
        for page, text in zip(reader.pages, texts, strict=True)
        if page.mediabox.width > page.mediabox.height
    ]
    assert scorecard_pages, "the scorecard is on landscape pages"
    scorecard = " ".join(scorecard_pages)
    for row in with_data:
        value = formatting.format_value(row.value, row.unit, row.value_type)
        assert value in shown, (row.indicator_code, value)  # what the scorecard page shows
        assert f"{value} in {row.period_label}" in scorecard, (row.indicator_code, value)
    # The headline sentence reads the same as on the scorecard page.
    headline = re.search(r"\d+ indicators for Cambridgeshire: (.*?\.)", screen)
    assert headline and headline.group(1) in " ".join(texts[:3])

    # Each exception has its own page, with its chart's headline, and says when nothing is recorded.
    exception_pages = [t for t in texts if "Why it is an exception" in t]
    assert exception_pages
    assert any("Self-harm admissions (10-24)" in t for t in exception_pages)
    assert all("Commentary" in t and "Remedial actions" in t for t in exception_pages)
    assert any("None recorded for" in t for t in exception_pages)
    [self_harm] = [t for t in exception_pages if "(10-24) 662.7" in t.split("Why it is")[0]]
    assert "Provider's explanation, Olu Officer" in self_harm
    assert COMMENTARY in self_harm  # as typed, markup and all, never run as markup
    assert f"{ACTION} (owner Head of service; due 31 March 2099; open)" in self_harm
    # Tagged for screen readers: the language, headings, tables, and each chart with its alt text.
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and root["/MarkInfo"]["/Marked"]
    tags = _tags(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/Caption", "/L"} <= {kind for kind, _ in tags}
    alts = [str(alt) for kind, alt in tags if kind == "/Figure"]
    assert len(alts) == len(exception_pages) and all(alts), alts
    assert any(a.startswith("Self-harm admissions (10-24) in Cambridgeshire") for a in alts)
    payment = next(t for t in texts if t.startswith("Payment position: Cambridgeshire"))
    assert "at risk earned so far" in payment and "£273,783" in payment


def _check_slides(built: dict) -> None:
    """The deck has the domain and exception titles, charts with alt text and source lines; and the next pack
    will count what changed from this one's date."""
    deck = Presentation(str(built["pptx"]))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == "Committee pack: Cambridgeshire"
    assert "Domain 1: Maternity — Cambridgeshire" in titles
    assert any(t.startswith("Domain 5: Children and Young People engage actively") for t in titles)
    assert titles[-1] == "Payment position — Cambridgeshire"
    exception_slides = [s for s in deck.slides if any(sh.shape_type == 13 for sh in s.shapes)]  # pictures
    assert exception_slides
    for slide in exception_slides:
        picture = next(sh for sh in slide.shapes if sh.shape_type == 13)
        alt = picture._element.nvPicPr.cNvPr.get("descr")
        assert alt and slide.shapes.title.text in alt  # alt text: the chart's headline and its summary
        assert any("Source:" in sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    words = " ".join(sh.text_frame.text for slide in deck.slides for sh in slide.shapes if sh.has_text_frame)
    assert COMMENTARY in words and ACTION in words
    assert f"Wrote {built['pptx']} ({len(titles)} slides)" in built["output"]
    assert AS_OF in built["log"].read_text(encoding="utf-8")


def test_what_changed_counts_from_the_previous_pack_if_one_is_stored_else_the_previous_quarter(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(build.PACK_LOG_VARIABLE, str(tmp_path / "packs.json"))
    quarter_ends = frozenset({dt.date(2025, 6, 30), dt.date(2025, 9, 30)})
    as_at = dt.date(2025, 9, 30)
    assert build.previous_pack_date([CAMBRIDGESHIRE], "cyp-outcomes") is None
    assert default_since(as_at, quarter_ends, None) == dt.date(2025, 6, 30)  # the previous quarter's end
    build._remember([CAMBRIDGESHIRE], "cyp-outcomes", dt.date(2025, 3, 31))
    build._remember([CAMBRIDGESHIRE], "cyp-outcomes", dt.date(2024, 12, 31))  # an older pack: kept as it was
    stored = build.previous_pack_date([CAMBRIDGESHIRE], "cyp-outcomes")
    assert stored == dt.date(2025, 3, 31)
    assert build.previous_pack_date([CAMBRIDGESHIRE], "hcp-high-impact-areas") is None
    assert default_since(as_at, quarter_ends, stored) == dt.date(2025, 3, 31)
    assert default_since(dt.date(2025, 3, 31), quarter_ends, stored) == dt.date(2024, 12, 31)  # not itself


def test_a_date_the_data_do_not_reach_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    seed_reference(engine)
    engine.dispose()
    result = CliRunner().invoke(
        cli,
        ["report", "--as-of", "2031-03-31", "--output", str(tmp_path / "pack.txt")],
        env={"KPI_DATABASE_URL": f"duckdb:///{path}"},
    )
    assert result.exit_code == 2 and "must end in .pdf or .pptx" in result.output
    result = CliRunner().invoke(
        cli,
        ["report", "--as-of", "2031-03-31", "--output", str(tmp_path / "pack.pdf")],
        env={"KPI_DATABASE_URL": f"duckdb:///{path}"},
    )
    assert result.exit_code == 1
    assert "There are no figures ending on 2031-03-31" in result.output
    assert not (tmp_path / "pack.pdf").exists()
