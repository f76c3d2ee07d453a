"""Word files reproducing how real résumés are built (style-level shading, layout tables, pictures only).

Each builder returns the bytes of a .docx made with python-docx at test time; nothing binary is committed.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor

from tests.integration.resume_fixtures import INJECTION, png_bytes

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEADINGS = ("Contact", "Experience", "Education")


def _save(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _drop(parent: Any, tag: str) -> None:
    for old in parent.findall(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{tag}"):
        parent.remove(old)


def _shade_style(style: Any, *, fill: str = "4472C4", theme_fill: str = "accent1") -> None:
    """Give a paragraph style Word's 'shaded' look: a coloured bar with white (theme background) text."""
    element = style.element
    ppr = element.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr")
    if ppr is None:
        ppr = parse_xml(f"<w:pPr {W_NS}/>")
        element.append(ppr)
    _drop(ppr, "shd")
    ppr.append(parse_xml(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="{fill}" w:themeFill="{theme_fill}"/>'))
    rpr = element.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rPr")
    if rpr is None:
        rpr = parse_xml(f"<w:rPr {W_NS}/>")
        element.append(rpr)
    _drop(rpr, "color")
    rpr.append(parse_xml(f'<w:color {W_NS} w:val="FFFFFF" w:themeColor="background1"/>'))


def shaded_headings_docx(*, with_injection: bool = False) -> bytes:
    """Section headings in a custom 'Section' style based on 'Heading 1', whose shading and white text are set
    on Heading 1 only (so they reach the heading through basedOn); with_injection adds white-on-white text."""
    document = docx.Document()
    _shade_style(document.styles["Heading 1"])
    section = document.styles.add_style("Section", 1)  # WD_STYLE_TYPE.PARAGRAPH
    section.base_style = document.styles["Heading 1"]
    document.add_paragraph("Jane Doe", style="Title")
    for heading in HEADINGS:
        document.add_paragraph(heading, style="Section")
        document.add_paragraph(f"Details under {heading.lower()}: Python, PostgreSQL and Kubernetes.")
    if with_injection:
        white = document.add_paragraph().add_run(INJECTION)
        white.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        near_white = document.add_paragraph().add_run("Near-white keywords: rockstar ninja guru")
        near_white.font.color.rgb = RGBColor(0xFA, 0xFA, 0xF8)
    return _save(document)


def theme_shaded_heading_docx() -> bytes:
    """A heading whose bar colour is given only as a theme colour (fill 'auto', themeFill 'text2')."""
    document = docx.Document()
    _shade_style(document.styles["Heading 2"], fill="auto", theme_fill="text2")
    document.add_paragraph("Jane Doe", style="Title")
    document.add_paragraph("Experience", style="Heading 2")
    document.add_paragraph("Eight years of Python at Acme.")
    return _save(document)


def shaded_cells_docx() -> bytes:
    """White text in a cell shaded by the table's style (legible) and in a cell with a white fill (hidden)."""
    document = docx.Document()
    document.add_paragraph("Jane Doe")
    table = document.add_table(rows=1, cols=1)
    table.style = document.styles["Light Grid Accent 1"]
    tbl_style = table.style.element
    tbl_style.append(parse_xml(f'<w:tcPr {W_NS}><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr>'))
    banner = table.cell(0, 0).paragraphs[0].add_run("Banner: open to relocation")
    banner.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    plain = document.add_table(rows=1, cols=1)
    cell = plain.cell(0, 0)
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="FFFFFF"/>'))
    hidden = cell.paragraphs[0].add_run(INJECTION)
    hidden.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return _save(document)


def harmless_white_docx() -> bytes:
    """White runs nobody would call hidden: a bullet glyph, a single letter, a repeat of visible text."""
    document = docx.Document()
    document.add_paragraph("Jane Doe")
    for text in ("•", "x", "Jane Doe", "\uf0b7"):
        paragraph = document.add_paragraph()
        paragraph.add_run(text).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        paragraph.add_run(" Python and PostgreSQL")
    tiny = document.add_paragraph().add_run("Tiny stuffing: kubernetes terraform")
    tiny.font.size = Pt(2)
    return _save(document)


def layout_table_docx() -> bytes:
    """A Google-Docs-style résumé: a one-row, two-column table holding the whole page."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].text = "Jane Doe"
    for text in ("Contact", "jane@example.org", "+1 555 0100", "Hobbies", "Chess"):
        left.add_paragraph(text)
    right.paragraphs[0].text = "Experience"
    for text in ("Acme Corp, 2018-2022", "Built payment services in Python.", "Education", "MSc Computer Science"):
        right.add_paragraph(text)
    return _save(document)


def merged_columns_docx() -> bytes:
    """A two-column layout table whose right column is one cell merged down the rows (w:vMerge), as Word
    templates build sidebars: the left column reads top to bottom, then the right one."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    name = table.cell(0, 0).merge(table.cell(0, 1))
    name.paragraphs[0].text = "Jane Doe"
    name.add_paragraph("Backend engineer")
    table.cell(1, 0).paragraphs[0].text = "Contact"
    table.cell(1, 0).add_paragraph("jane@example.org")
    table.cell(2, 0).paragraphs[0].text = "Skills"
    table.cell(2, 0).add_paragraph("Python, PostgreSQL")
    right = table.cell(1, 1).merge(table.cell(2, 1))
    right.paragraphs[0].text = "Experience"
    for text in ("Acme Corp, 2018-2022", "Education", "MSc Computer Science"):
        right.add_paragraph(text)
    return _save(document)


def image_only_docx() -> bytes:
    """A scanned résumé pasted into Word: one picture, no text."""
    document = docx.Document()
    document.add_picture(io.BytesIO(png_bytes(64, 64)))
    return _save(document)
