"""Word (.docx) text extraction: body, tables, text boxes, headers and footers; hidden runs reported."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from airecruiter.adapters.documents.docx_styles import StyleSheet, W, hidden_reason, shading_is_dark
from airecruiter.adapters.documents.hidden_text import clean_text, spans
from airecruiter.errors import ParseError
from airecruiter.ports.documents import DOCX, ExtractedDocument, HiddenReason, HiddenText

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Content that is not part of what a reader sees: deleted revisions, field codes, the duplicate
# VML copy of every text box (mc:Fallback), and the paragraph/section property blocks.
_SKIP = {MC_FALLBACK, f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}pPr", f"{W}rPr", f"{W}sectPr"}
_RUN_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


@dataclass(frozen=True)
class ZipLimits:
    """What a .docx may unpack to before it is treated as a zip bomb."""

    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_entries: int = 1000
    max_ratio: float = 100.0  # uncompressed/compressed, checked on entries above 1 MB


def check_zip(data: bytes, filename: str, limits: ZipLimits) -> None:
    """Refuse a .docx whose declared contents are too many, too large or too compressed to unpack safely."""
    bomb = ParseError(
        f"{filename} unpacks to far more data than a résumé holds (a zip bomb or a damaged file); "
        "ask the candidate for a PDF."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(f"{filename} is a damaged Word file; ask the candidate to save it again.") from exc
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
        styles = StyleSheet(_styles_element(document))
        collector = _Collector(styles)
        for part in headers:
            collector.walk(part)
        collector.walk(document.element.body)
        for part in footers:
            collector.walk(part)
    except ParseError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types for malformed packages
        raise ParseError(
            f"{filename} is a damaged Word file; ask the candidate to save it again or send a PDF."
        ) from exc
    text = clean_text("\n".join(collector.lines))
    if not text:
        reason = "all of its text is hidden" if collector.hidden else "it contains no text"
        raise ParseError(f"{filename} has no readable text ({reason}); ask the candidate for another copy.")
    return ExtractedDocument(text=text, content_type=DOCX, pages=None, hidden=collector.hidden)


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
        for row in table.iter(f"{W}tr"):
            if row.getparent() is not table:
                continue  # nested tables are read as part of their cell
            cells: list[str] = []
            for cell in row.findall(f"{W}tc"):
                shading = cell.find(f"{W}tcPr/{W}shd")
                inner = _Collector(self.styles)
                inner.walk(cell, dark or (shading is not None and shading_is_dark(shading)))
                self.hidden.extend(inner.hidden)
                cells.append(" ".join(line.strip() for line in inner.lines if line.strip()))
            self.lines.append(" | ".join(c for c in cells if c))

    def _paragraph(self, paragraph: Any, dark: bool) -> None:
        shading = paragraph.find(f"{W}pPr/{W}shd")
        dark = dark or (shading is not None and shading_is_dark(shading))
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
        self.lines.append("".join(c for c, flag in zip(chars, flags, strict=True) if flag is None))
        self.hidden.extend(spans(flags, chars, None))
        for box in boxes:
            self.walk(box, dark)


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
