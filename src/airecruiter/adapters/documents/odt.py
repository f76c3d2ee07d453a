"""OpenDocument text (.odt, LibreOffice's own format) extraction, with hidden text reported.

An .odt is a zip of XML: the text is in content.xml, named styles in styles.xml. Both are parsed
with a hardened lxml parser (no entities, no network, no huge trees) after the same zip-bomb
checks as Word files. Text styled invisible (display none, white on a light backdrop, tiny) and
hidden text fields are removed and reported, as for Word.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from airecruiter.adapters.documents.docx import ZipLimits, check_zip, forgive_glyphs
from airecruiter.adapters.documents.docx_tables import Cell, is_layout, layout_lines, row_lines
from airecruiter.adapters.documents.hidden_text import TINY_POINTS, clean_text, hex_color, is_dark, is_near_white, spans
from airecruiter.domain.text_hygiene import clean_characters
from airecruiter.errors import ParseError
from airecruiter.ports.documents import ODT, ExtractedDocument, HiddenReason, HiddenText

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_SKIP = {
    f"{OFFICE}annotation",
    f"{TEXT}tracked-changes",
    f"{TEXT}note-citation",
    f"{TEXT}sequence-decls",
    f"{TEXT}bookmark-ref",
    f"{OFFICE}forms",
}
_MAX_STYLE_DEPTH = 20


@dataclass(frozen=True)
class Look:
    """The text properties that decide whether text is visible."""

    display_none: bool = False
    color: str | None = None
    points: float | None = None
    dark_backdrop: bool = False


def read_odt(data: bytes, *, filename: str, limits: ZipLimits) -> ExtractedDocument:
    """The visible text of an OpenDocument text file and its hidden parts."""
    check_zip(data, filename, limits, kind="OpenDocument")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = etree.fromstring(archive.read("content.xml"), parser=_PARSER)
            names = set(archive.namelist())
            styles_part = (
                etree.fromstring(archive.read("styles.xml"), parser=_PARSER) if "styles.xml" in names else None
            )
        collector = _Collector(_Styles([part for part in (styles_part, content) if part is not None]))
        body = content.find(f"{OFFICE}body/{OFFICE}text")
        if body is not None:
            collector.walk(body, Look())
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, etree.XMLSyntaxError) as exc:
        raise ParseError(
            f"{filename} is a damaged OpenDocument file; ask the candidate to save it again or send a PDF."
        ) from exc
    text = clean_text(clean_characters("\n".join(collector.lines)))
    if not text:
        if collector.hidden:
            raise ParseError(f"{filename} has no readable text (all of it is hidden); ask for another copy.")
        raise ParseError(f"{filename} contains no text; ask the candidate to upload the résumé again.")
    flat = " ".join(text.casefold().split())
    hidden = [item for item in collector.hidden if " ".join(item.text.casefold().split()) not in flat]
    return ExtractedDocument(text=text, content_type=ODT, pages=None, hidden=hidden)


class _Styles:
    """Named and automatic styles, resolved through style:parent-style-name."""

    def __init__(self, parts: list[Any]) -> None:
        self._styles: dict[str, Any] = {}
        for part in parts:
            for style in part.iter(f"{STYLE}style"):
                name = style.get(f"{STYLE}name")
                if name:
                    self._styles[name] = style

    def apply(self, look: Look, name: str | None) -> Look:
        chain: list[Any] = []
        while name and name in self._styles and len(chain) < _MAX_STYLE_DEPTH:
            chain.append(self._styles[name])
            name = self._styles[name].get(f"{STYLE}parent-style-name")
        for style in reversed(chain):
            look = _properties(look, style)
        return look


def _properties(look: Look, style: Any) -> Look:
    text = style.find(f"{STYLE}text-properties")
    paragraph = style.find(f"{STYLE}paragraph-properties")
    cell = style.find(f"{STYLE}table-cell-properties")
    for props in (paragraph, cell, text):
        background = hex_color((props.get(f"{FO}background-color") or "").lstrip("#")) if props is not None else None
        if background is not None:
            look = Look(look.display_none, look.color, look.points, is_dark(*background))
    if text is None:
        return look
    display = text.get(f"{TEXT}display")
    color = text.get(f"{FO}color")
    size = text.get(f"{FO}font-size") or ""
    return Look(
        display_none=look.display_none if display is None else display == "none",
        color=color.lstrip("#") if color else look.color,
        points=float(size[:-2]) if size.endswith("pt") and _is_number(size[:-2]) else look.points,
        dark_backdrop=look.dark_backdrop,
    )


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _reason(look: Look) -> HiddenReason | None:
    if look.display_none:
        return "hidden run"
    rgb = hex_color(look.color)
    if rgb is not None and is_near_white(*rgb) and not look.dark_backdrop:
        return "white text"
    if look.points is not None and look.points < TINY_POINTS:
        return "tiny text"
    return None


@dataclass
class _Collector:
    styles: _Styles
    lines: list[str] = field(default_factory=list)
    hidden: list[HiddenText] = field(default_factory=list)

    def walk(self, element: Any, look: Look) -> None:
        for child in element:
            if child.tag in _SKIP:
                continue
            if child.tag in (f"{TEXT}p", f"{TEXT}h"):
                self._paragraph(child, look)
            elif child.tag == f"{TABLE}table":
                self._table(child, look)
            elif child.tag == f"{TEXT}hidden-paragraph" or child.get(f"{TEXT}is-hidden") == "true":
                self._paragraph(child, Look(display_none=True))
            else:
                self.walk(child, look)

    def _paragraph(self, paragraph: Any, look: Look) -> None:
        look = self.styles.apply(look, paragraph.get(f"{TEXT}style-name"))
        chars: list[str] = []
        flags: list[HiddenReason | None] = []
        boxes: list[Any] = []
        for piece, piece_look in _inline(paragraph, look, self.styles, boxes):
            chars.extend(piece)
            flags.extend([_reason(piece_look)] * len(piece))
        flags = forgive_glyphs(chars, flags)
        self.lines.append("".join(c for c, flag in zip(chars, flags, strict=True) if flag is None))
        self.hidden.extend(spans(flags, chars, None))
        for box in boxes:
            self.walk(box, look)

    def _table(self, table: Any, look: Look) -> None:
        cells: list[Cell] = []
        for row_index, row in enumerate(table.iter(f"{TABLE}table-row")):
            if row.getparent() is not table and row.getparent().getparent() is not table:
                continue  # rows of nested tables are read inside their cell
            column = 0
            for cell in row:
                if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                    continue
                span = int(cell.get(f"{TABLE}number-columns-spanned", "1") or 1)
                inner = _Collector(self.styles)
                inner.walk(cell, self.styles.apply(look, cell.get(f"{TABLE}style-name")))
                self.hidden.extend(inner.hidden)
                lines = tuple(line.strip() for line in inner.lines if line.strip())
                cells.append(Cell(row_index, column, column + span, lines))
                column += span
        self.lines.extend(layout_lines(cells) if is_layout(cells) else row_lines(cells))


def _inline(element: Any, look: Look, styles: _Styles, boxes: list[Any]) -> Iterator[tuple[str, Look]]:
    """The text of a paragraph's inline content with the look of each piece; frames go to `boxes`."""
    if element.text:
        yield element.text, look
    for child in element:
        if child.tag in _SKIP:
            pass
        elif child.tag == f"{TEXT}s":
            count = child.get(f"{TEXT}c", "1")
            yield " " * min(int(count) if count.isdigit() else 1, 100), look
        elif child.tag == f"{TEXT}tab":
            yield "\t", look
        elif child.tag == f"{TEXT}line-break":
            yield "\n", look
        elif child.tag == f"{TEXT}hidden-text":
            yield child.get(f"{TEXT}string-value") or "", Look(display_none=True)
        elif child.tag == f"{DRAW}frame":
            boxes.extend(child.iter(f"{DRAW}text-box"))
        else:
            yield from _inline(child, styles.apply(look, child.get(f"{TEXT}style-name")), styles, boxes)
        if child.tail:
            yield child.tail, look
