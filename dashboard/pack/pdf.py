"""The pack as a tagged A4 PDF: HTML from a Jinja template, rendered by WeasyPrint.

The PDF is PDF/UA-1 (tagged: headings, tables, lists and figures with their alt text, real text
throughout), has a contents page with page numbers, "Page n of N" on every page, bookmarks from the
headings, and landscape pages for the wide scorecard tables. Charts are SVG, drawn from the pages' Plotly
figures (:mod:`dashboard.pack.charts`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import jinja2

from dashboard import formatting
from dashboard.pack.charts import image
from dashboard.pack.content import Pack
from dashboard.routes import SERVICE_NAME

TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["ukdate"] = formatting.date
    return environment


def data_uri(svg: bytes) -> str:
    """An SVG image as a data URI for the HTML."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def html_text(pack: Pack, *, since_basis: str, progress: Callable[[str], None] = lambda _m: None) -> str:
    """The pack as HTML, with each exception's chart drawn as SVG."""
    for area in pack.areas:
        for item in area.exceptions:
            if item.chart is not None:
                progress(f"Drawing the chart for {item.row.row.short_name}")
                item.image = data_uri(image(item.chart.figure, "svg"))
            else:
                item.image = None
    made = pack.made
    return (
        _environment()
        .get_template("pack.html")
        .render(
            pack=pack,
            css=(TEMPLATES / "pack.css").read_text(encoding="utf-8"),
            service=SERVICE_NAME,
            made=f"{formatting.date(made.date())} at {formatting.time(made)}",
            since_basis=since_basis,
        )
    )


def write_pdf(
    pack: Pack, path: Path, *, since_basis: str, progress: Callable[[str], None] = lambda _m: None
) -> int:
    """Write the pack to ``path`` as a tagged PDF; return its number of pages."""
    import weasyprint

    text = html_text(pack, since_basis=since_basis, progress=progress)
    progress("Laying out the PDF pages")
    document = weasyprint.HTML(string=text, base_url=str(TEMPLATES)).render()
    progress(f"Writing the PDF ({len(document.pages)} pages)")
    document.write_pdf(
        str(path),
        pdf_variant="pdf/ua-1",
        custom_metadata=True,
    )
    return len(document.pages)
