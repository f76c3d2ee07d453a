"""Word (.docx) text extraction: body, tables, text boxes, headers and footers; hidden runs reported."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from airecruiter.adapters.documents.docx_styles import StyleSheet, Theme, W, hidden_reason
from airecruiter.adapters.documents.docx_tables import Cell, is_layout, layout_lines, row_lines
from airecruiter.adapters.documents.hidden_text import clean_text, hex_color, is_dark, spans
from airecruiter.domain.text_hygiene import clean_characters
from airecruiter.errors import ParseError
from airecruiter.ports.documents import DOCX, ExtractedDocument, HiddenReason, HiddenText

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Content that is not part of what a reader sees: deleted revisions, field codes, the duplicate
# VML copy of every text box (mc:Fallback), and the paragraph/section property blocks.
_SKIP = {MC_FALLBACK, f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}pPr", f"{W}rPr", f"{W}sectPr"}
_PICTURES = (
    "{http://schemas.openxmlformats.org/drawingml/2006/main}blip",
    "{urn:schemas-microsoft-com:vml}imagedata",
)
_HARDENED = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_RUN_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


@dataclass(frozen=True)
class ZipLimits:
    """What a .docx may unpack to before it is treated as a zip bomb."""

    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_entries: int = 1000
    max_ratio: float = 100.0  # uncompressed/compressed, checked on entries above 1 MB


def check_zip(data: bytes, filename: str, limits: ZipLimits, kind: str = "Word") -> None:
    """Refuse a .docx (or another zipped office file of `kind`) whose declared contents are too many,
    too large or too compressed to unpack safely."""
    bomb = ParseError(
        f"{filename} unpacks to far more data than a résumé holds (a zip bomb or a damaged file); "
        "ask the candidate for a PDF."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(f"{filename} is a damaged {kind} file; ask the candidate to save it again.") from exc
    if len(entries) > limits.max_entries:
        raise bomb
    if sum(entry.file_size for entry in entries) > limits.max_unpacked_bytes:
        raise bomb
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise bomb


def read_docx(data: bytes, *, filename: str, limits: ZipLimits) -> ExtractedDocument:
    """The visible text of a .docx (headers, body with tables and text boxes, footers) and its hidden runs."""
    check_zip(data, filename, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        headers, footers = _header_footer_parts(document)
        styles = StyleSheet(_styles_element(document), Theme(_theme_element(document)))
        collector = _Collector(styles)
        body = document.element.body
        dark_page = _page_is_dark(document.element, styles)
        for part in [*headers, body, *footers]:
            collector.walk(part, dark_page)
        pictures = any(True for _ in body.iter(*_PICTURES))
    except ParseError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types for malformed packages
        raise ParseError(
            f"{filename} is a damaged Word file; ask the candidate to save it again or send a PDF."
        ) from exc
    text = clean_text(clean_characters("\n".join(collector.lines)))
    if not text:
        raise ParseError(_no_text(filename, hidden=bool(collector.hidden), pictures=pictures))
    hidden = [item for item in collector.hidden if not _also_visible(item.text, text)]
    return ExtractedDocument(text=text, content_type=DOCX, pages=None, hidden=hidden)


def _no_text(filename: str, *, hidden: bool, pictures: bool) -> str:
    if hidden:
        return f"{filename} has no readable text (all of its text is hidden); ask the candidate for another copy."
    if pictures:
        return (
            f"{filename} is image-only: the résumé is a picture inside a Word file, with no text to read. "
            "Ask the candidate for a version with selectable text (the original document, or a PDF exported from it)."
        )
    return f"{filename} contains no text; ask the candidate to upload the résumé again."


def _also_visible(hidden: str, visible: str) -> bool:
    """True when hidden text is repeated in the visible text (a duplicate, not a secret)."""
    return " ".join(hidden.casefold().split()) in " ".join(visible.casefold().split())


def _page_is_dark(document: Any, styles: StyleSheet) -> bool:
    background = document.find(f"{W}background")
    if background is None:
        return False
    rgb = hex_color(styles.theme.resolve(background, "color", "themeColor"))
    return rgb is not None and is_dark(*rgb)


def _theme_element(document: Any) -> Any:
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype == RT.THEME:
            return etree.fromstring(rel.target_part.blob, parser=_HARDENED)
    return None


def _styles_element(document: Any) -> Any:
    try:
        return document.part.styles.element
    except (KeyError, AttributeError):
        return None


def _header_footer_parts(document: Any) -> tuple[list[Any], list[Any]]:
    headers: list[Any] = []
    footers: list[Any] = []
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        if rel.reltype == RT.HEADER:
            headers.append(rel.target_part.element)
        elif rel.reltype == RT.FOOTER:
            footers.append(rel.target_part.element)
    return headers, footers


@dataclass
class _Collector:
    styles: StyleSheet
    lines: list[str] = field(default_factory=list)
    hidden: list[HiddenText] = field(default_factory=list)

    def walk(self, element: Any, dark: bool = False) -> None:
        """Collect paragraphs and tables below `element` in document order."""
        for child in element:
            if child.tag in _SKIP:
                continue
            if child.tag == f"{W}p":
                self._paragraph(child, dark)
            elif child.tag == f"{W}tbl":
                self._table(child, dark)
            else:
                self.walk(child, dark)

    def _table(self, table: Any, dark: bool) -> None:
        table_dark = self.styles.table_dark(table)
        widths = [_int(col.get(f"{W}w"), 1) or 1 for col in table.findall(f"{W}tblGrid/{W}gridCol")]
        cells: list[Cell] = []
        for row_index, row in enumerate(table.findall(f"{W}tr")):
            column = _int(_val(row.find(f"{W}trPr/{W}gridBefore")), 0)
            for cell in row.findall(f"{W}tc"):
                span = max(_int(_val(cell.find(f"{W}tcPr/{W}gridSpan")), 1), 1)
                inner = _Collector(self.styles)
                inner.walk(cell, dark or self.styles.cell_dark(cell, table_dark))
                self.hidden.extend(inner.hidden)
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                left, right = _grid_x(widths, column), _grid_x(widths, column + span)
                lines = tuple(line.strip() for line in inner.lines if line.strip())
                cells.append(Cell(row_index, left, right, lines, merge is not None and _val(merge) == "restart"))
                column += span
        self.lines.extend(layout_lines(cells) if is_layout(cells) else row_lines(cells))

    def _paragraph(self, paragraph: Any, dark: bool) -> None:
        dark = dark or self.styles.paragraph_dark(paragraph)
        chars: list[str] = []
        flags: list[HiddenReason | None] = []
        boxes: list[Any] = []
        for run in _runs(paragraph):
            reason = hidden_reason(self.styles.look(run, paragraph), dark_backdrop=dark)
            for child in run:
                if child.tag in _RUN_TEXT:
                    piece = _RUN_TEXT[child.tag] or (child.text or "")
                    chars.extend(piece)
                    flags.extend([reason] * len(piece))
                else:
                    boxes.extend(_text_boxes(child))
        flags = forgive_glyphs(chars, flags)
        self.lines.append("".join(c for c, flag in zip(chars, flags, strict=True) if flag is None))
        self.hidden.extend(spans(flags, chars, None))
        for box in boxes:
            self.walk(box, dark)


def forgive_glyphs(chars: list[str], flags: list[HiddenReason | None]) -> list[HiddenReason | None]:
    """Flags with hidden spans that cannot carry a message (a white bullet, one letter, only symbols) cleared.

    Templates colour bullets and icon-font glyphs white on purpose; such spans hide nothing.
    """
    result = list(flags)
    start = 0
    while start < len(flags):
        end = start
        while end < len(flags) and flags[end] == flags[start]:
            end += 1
        if flags[start] is not None:
            meaningful = [c for c in clean_characters("".join(chars[start:end])) if c.isalnum()]
            if len(meaningful) <= 1:
                result[start:end] = [None] * (end - start)
        start = end
    return result


def _val(element: Any) -> str | None:
    return element.get(f"{W}val", "continue") if element is not None else None


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def _grid_x(widths: list[int], column: int) -> float:
    """The left edge of grid column `column`, in the grid's own units (twips when it gives widths)."""
    return float(sum(widths[:column]) + max(column - len(widths), 0))


def _runs(element: Any) -> Iterator[Any]:
    """The w:r runs of a paragraph in order, through hyperlinks, insertions and content controls."""
    for child in element:
        if child.tag == f"{W}r":
            yield child
        elif child.tag not in _SKIP and child.tag != f"{W}p":
            yield from _runs(child)


def _text_boxes(element: Any) -> Iterator[Any]:
    """The w:txbxContent elements inside a run's drawing, skipping the duplicate VML fallback."""
    if element.tag == f"{W}txbxContent":
        yield element
        return
    for child in element:
        if child.tag != MC_FALLBACK:
            yield from _text_boxes(child)
