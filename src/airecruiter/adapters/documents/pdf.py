"""PDF text extraction with PDFium: visible text in reading order (columns one after another), hidden text."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from airecruiter.adapters.documents.hidden_text import clean_text, reportable, spans
from airecruiter.adapters.documents.pdf_layout import Glyph, pieces, reading_order
from airecruiter.adapters.documents.pdf_objects import PageScan, address, scan_page
from airecruiter.domain.text_hygiene import clean_line
from airecruiter.errors import ParseError
from airecruiter.ports.documents import PDF, ExtractedDocument, HiddenReason, HiddenText

# PDFium is not thread-safe, and extract_sync may be called from several threads of one process.
PDFIUM_LOCK = threading.Lock()
GARBLED_SHARE = 0.1  # more characters than this without a usable Unicode mapping: the text is garbled
_MIN_GARBLED = 20  # ... and at least this many (a few broken icon glyphs are normal)


@dataclass
class _Page:
    number: int  # 1-based
    text: str
    hidden: list[HiddenText] = field(default_factory=list)
    chars: int = 0
    unmapped: int = 0  # characters whose font has no usable Unicode mapping
    images: int = 0


def read_pdf(data: bytes, *, filename: str, max_pages: int) -> ExtractedDocument:
    """The visible text of a PDF page by page, with its hidden text; ParseError when unreadable."""
    with PDFIUM_LOCK:
        pages, count = _read_pages(data, filename=filename, max_pages=max_pages)
    hidden = [item for page in pages for item in page.hidden]
    text = "\n\n".join(page.text for page in pages if page.text)
    if not text:
        raise ParseError(_no_text_message(filename, pages, hidden))
    return ExtractedDocument(
        text=text, content_type=PDF, pages=count, hidden=hidden, warnings=_warnings(pages, count, max_pages)
    )


def _no_text_message(filename: str, pages: list[_Page], hidden: list[HiddenText]) -> str:
    if hidden:
        return (
            f"{filename} has no visible text: all of its text is hidden (white, tiny, covered or off-page); "
            "ask the candidate for a normal copy."
        )
    kind = "image-only (a scan or a picture of the résumé)" if any(p.images for p in pages) else "empty"
    return (
        f"{filename} is {kind}: it has no extractable text — scanned document? "
        "Ask the candidate for a text-based PDF or a Word file."
    )


def _warnings(pages: list[_Page], count: int, max_pages: int) -> list[str]:
    warnings: list[str] = []
    if count > max_pages:
        warnings.append(
            f"The PDF has {count} pages; only the first {max_pages} were read (the page limit). "
            "Open the original for the rest."
        )
    empty = [page.number for page in pages if not page.text]
    if empty:
        listed = ", ".join(str(n) for n in empty)
        warnings.append(f"Page(s) {listed} are image-only (no extractable text, scanned?) and were skipped.")
    chars = sum(page.chars for page in pages)
    unmapped = sum(page.unmapped for page in pages)
    if unmapped >= _MIN_GARBLED and unmapped > GARBLED_SHARE * chars:
        warnings.append(
            f"Part of the text looks garbled ({unmapped} of {chars} characters have no usable character "
            "mapping in their font); open the original PDF to read those parts."
        )
    return warnings


def _open(data: bytes, filename: str) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            message = "is password-protected; ask the candidate for an unprotected copy."
        elif exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            message = "uses an unsupported encryption; ask the candidate for an unprotected copy."
        else:
            message = "is damaged or not a valid PDF; ask the candidate to export it again."
        raise ParseError(f"The PDF {filename} {message}") from exc


def _read_pages(data: bytes, *, filename: str, max_pages: int) -> tuple[list[_Page], int]:
    document = _open(data, filename)
    try:
        count = len(document)
        if count == 0:
            raise ParseError(f"The PDF {filename} has no pages; ask the candidate to export it again.")
        return [_read_page(document, index) for index in range(min(count, max_pages))], count
    except pdfium.PdfiumError as exc:
        raise ParseError(f"The PDF {filename} is damaged and could not be read; ask for a new export.") from exc
    finally:
        document.close()


def _read_page(document: Any, index: int) -> _Page:
    page = document[index]
    textpage = page.get_textpage()
    try:
        scan = scan_page(page)
        glyphs, reasons, unmapped = _glyphs(textpage, scan)
        visible = [g for g, reason in zip(glyphs, reasons, strict=True) if reason is None]
        text = clean_text(reading_order(pieces(visible), page.get_width()))
        found = spans(reasons, [g.char for g in glyphs], index + 1)
        hidden = [replace(item, text=clean_line(item.text)) for item in found if reportable(item.text, text)]
        return _Page(index + 1, text, hidden, chars=len(glyphs), unmapped=unmapped, images=scan.images)
    finally:
        textpage.close()
        page.close()


def _glyphs(textpage: Any, scan: PageScan) -> tuple[list[Glyph], list[HiddenReason | None], int]:
    """The page's characters in stream order with their loose boxes, why each is hidden, unmapped count."""
    glyphs: list[Glyph] = []
    reasons: list[HiddenReason | None] = []
    reason: HiddenReason | None = None
    unmapped = 0
    rect = pdfium_c.FS_RECTF()
    raw = textpage.raw
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        char = chr(code) if 0 < code < 0x110000 else ""
        owner = pdfium_c.FPDFText_GetTextObject(raw, index)
        if not owner or not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
            # A space or line end PDFium generated: it belongs with the text before it, hidden or not.
            glyphs.append(Glyph(char, None, 0))
            reasons.append(reason)
            continue
        key = address(owner)
        reason = scan.hidden.get(key)
        unmapped += pdfium_c.FPDFText_HasUnicodeMapError(raw, index) == 1
        glyphs.append(Glyph(char, (rect.left, rect.bottom, rect.right, rect.top), key))
        reasons.append(reason)
    return glyphs, reasons, unmapped
