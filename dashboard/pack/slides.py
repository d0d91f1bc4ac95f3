"""The pack as a slide deck (PowerPoint, python-pptx) for officers who present.

A title slide with the headline counts; for each area, one slide per domain summary (its counts by status
in words and shape, and its indicators' statuses), one per exception (the chart as an image with its
headline title and source line, the statuses and reasons, and the commentary and actions or "None
recorded"), and the payment position in one slide. Every chart image has its alt text set to the chart's
summary in words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.pack.charts import image
from dashboard.pack.content import AreaPack, ExceptionPage, Pack
from dashboard.pack.scorecard import Domain, StatusCount

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TAG_WIDTH = Inches(2.9)
DARK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
SOURCE_LINE = "Source: Healthy Child Programme outcomes dashboard"


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _text_box(slide, left, top, width, height, lines: Sequence[tuple[str, int, bool]], colour=DARK):
    """A text box with one paragraph per (text, points, bold) line."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        paragraph.space_after = Pt(4)
    return frame


def _slide(deck, title: str):
    """A slide with its title in the layout's title placeholder (so it is the slide's title for screen
    readers and the outline)."""
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    title_frame = slide.shapes.title.text_frame
    title_frame.word_wrap = True
    title_frame.vertical_anchor = MSO_ANCHOR.TOP
    for paragraph in title_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(_title_points(title))
            run.font.bold = True
            run.font.color.rgb = DARK
    slide.shapes.title.left, slide.shapes.title.top = MARGIN, Inches(0.25)
    slide.shapes.title.width, slide.shapes.title.height = WIDTH - 2 * MARGIN, Inches(1.0)
    return slide


def _title_points(title: str) -> int:
    """A title size that keeps the title to two lines across the slide."""
    return 28 if len(title) <= 60 else 24 if len(title) <= 110 else 20


def _tag(
    slide,
    left,
    top,
    count: StatusCount | None,
    words: str,
    colour: str,
    text_colour: str,
    width: int = TAG_WIDTH,
    points: int = 18,
):
    """A status tag: a coloured box holding the shape and the words (and the count)."""
    box = slide.shapes.add_shape(1, left, top, width, Inches(0.55))  # a rectangle
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(colour)
    box.line.color.rgb = DARK
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = words if count is None else f"{count.count}  {words}"
    run.font.size = Pt(points)
    run.font.bold = True
    run.font.color.rgb = _rgb(text_colour)
    return box


def _source(slide, text: str) -> None:
    _text_box(slide, MARGIN, HEIGHT - Inches(0.6), WIDTH - 2 * MARGIN, Inches(0.4), [(text, 12, False)], GREY)


def _counts_row(slide, counts: Sequence[StatusCount], top) -> None:
    for i, count in enumerate(counts):
        s = count.status
        _tag(slide, MARGIN + i * Inches(3.05), top, count, f"{s.icon} {s.words}", s.background, s.text_colour)


def _title_slide(deck, pack: Pack) -> None:
    slide = _slide(deck, f"Committee pack: {' and '.join(a.name for a in pack.areas)}")
    top: int = Inches(1.4)
    _text_box(
        slide,
        MARGIN,
        top,
        WIDTH - 2 * MARGIN,
        Inches(0.6),
        [(f"{pack.framework}, {pack.areas[0].as_at_text}", 20, False)],
    )
    top += Inches(0.8)
    for area in pack.areas[:2]:
        _text_box(
            slide,
            MARGIN,
            top,
            WIDTH - 2 * MARGIN,
            Inches(0.9),
            [(area.name, 20, True), (area.headline, 16, False)],
        )
        _counts_row(slide, area.counts, top + Inches(1.1))
        top += Inches(2.0)
    _source(slide, f"{SOURCE_LINE}, made {pack.made:%d %B %Y}.")


def _domain_slide(deck, pack: Pack, area: AreaPack, domain: Domain) -> None:
    slide = _slide(deck, f"{domain.heading} — {area.name}")
    _text_box(slide, MARGIN, Inches(1.35), WIDTH - 2 * MARGIN, Inches(0.8), [(domain.sentence, 18, False)])
    _counts_row(slide, domain.target_counts, Inches(2.3))
    rows = [r for o in domain.outcomes for r in o.rows if r.row.has_data]
    unique = list({r.row.indicator_code: r for r in rows}.values())
    lines = [
        (
            f"{r.target_status.icon} {r.row.short_name}: {r.value} {r.period} — "
            f"{r.target_status.words.lower()}, "
            f"{r.benchmark.words[:1].lower()}{r.benchmark.words[1:]}",
            14,
            False,
        )
        for r in unique[:9]
    ]
    if len(unique) > 9:
        lines.append((f"… and {len(unique) - 9} more in the PDF pack.", 14, False))
    if not unique:
        lines = [(f"No indicator in this {pack.level} has a figure for {area.name}.", 14, False)]
    _text_box(slide, MARGIN, Inches(3.1), WIDTH - 2 * MARGIN, Inches(3.7), lines)
    _source(slide, f"{SOURCE_LINE}: scorecard, {pack.framework}, {area.as_at_text}.")


def _short(text: str, limit: int = 240) -> str:
    """Text cut at a word to fit beside a chart; the PDF has it in full."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "… (in full in the PDF pack)"


def _exception_slide(deck, area: AreaPack, item: ExceptionPage) -> None:
    row = item.row
    chart = item.chart
    title = chart.headline if chart is not None else f"{row.row.short_name}: {row.value} {row.period}"
    slide = _slide(deck, title)
    left_width = Inches(7.6)
    top: int = Inches(1.4)
    if chart is not None:
        _text_box(slide, MARGIN, top, left_width, Inches(0.5), [(chart.subtitle, 13, False)], GREY)
        png = image(chart.figure, "png", height=500, scale=2)
        picture = slide.shapes.add_picture(BytesIO(png), MARGIN, top + Inches(0.55), width=left_width)
        picture._element.nvPicPr.cNvPr.set("descr", f"{chart.headline}. {chart.summary}")
        _source(slide, chart.source)
    else:
        _source(slide, SOURCE_LINE)
    right = MARGIN + left_width + Inches(0.3)
    width = WIDTH - right - MARGIN
    statuses = [row.target_status, row.benchmark, *([row.spc] if row.spc else [])]
    for i, s in enumerate(statuses):
        _tag(
            slide,
            right,
            top + i * Inches(0.65),
            None,
            f"{s.icon} {s.words}",
            s.background,
            s.text_colour,
            width=width,
            points=14,
        )
    notes_top = top + len(statuses) * Inches(0.65) + Inches(0.1)
    commentary = [(_short(f"{c.heading}: {c.text}"), 12, False) for c in item.commentary[-3:]] or [
        (f"None recorded for {row.row.period_label}.", 12, False)
    ]
    actions = [
        (_short(a.heading + (f". {a.text}" if a.text else "")), 12, False) for a in item.actions[:3]
    ] or [(f"None recorded for {row.row.period_label}.", 12, False)]
    _text_box(
        slide,
        right,
        notes_top,
        width,
        HEIGHT - notes_top - Inches(0.7),
        [(f"{row.row.short_name}, {area.name}: {row.value} {row.period}", 14, True)]
        + [(reason, 12, False) for reason in item.reasons]
        + [("Commentary", 14, True), *commentary, ("Remedial actions", 14, True), *actions],
    )


def _payment_slide(deck, area: AreaPack) -> None:
    p = area.payment
    if p is None:
        return
    slide = _slide(deck, f"Payment position — {area.name}")
    lines = [
        (p.one_line, 20, True),
        (p.title + ".", 14, False),
        *((s, 14, False) for s in p.sentences),
        (p.forecast, 14, False),
    ]
    _text_box(slide, MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, Inches(2.6), lines)
    kpi_lines = [
        (
            f"{k.code} {k.label}: {k.weight} of the money at risk, target {k.target}; "
            + ", ".join(f"{label} {s.icon} {s.words.lower()}" for label, s, _ in k.periods)
            + f"; {k.earned} earned of {k.at_stake}",
            12,
            False,
        )
        for k in p.kpis
    ]
    _text_box(slide, MARGIN, Inches(4.2), WIDTH - 2 * MARGIN, Inches(2.6), kpi_lines)
    _source(
        slide,
        f"{SOURCE_LINE}: performance-linked payment."
        + (" Illustrative KPI figures and targets." if p.illustrative else ""),
    )


def write_pptx(pack: Pack, path: Path, *, progress: Callable[[str], None] = lambda _m: None) -> list[str]:
    """Write the deck to ``path``; return its slide titles in order."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(WIDTH), Emu(HEIGHT)
    deck.core_properties.title = pack.title
    deck.core_properties.language = "en-GB"
    _title_slide(deck, pack)
    for area in pack.areas:
        for domain in area.domains:
            _domain_slide(deck, pack, area, domain)
        for item in area.exceptions:
            progress(f"Slide for {item.row.row.short_name}")
            _exception_slide(deck, area, item)
        _payment_slide(deck, area)
    deck.save(str(path))
    return [slide.shapes.title.text for slide in deck.slides]
