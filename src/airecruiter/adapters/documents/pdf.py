"""PDF text extraction: PDFium for speed and hidden-text detection, pdfminer where columns interleave."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from airecruiter.adapters.documents.hidden_text import Box, clean_text, spans
from airecruiter.adapters.documents.pdf_layout import column_gutter, is_interleaved, layout_text
from airecruiter.adapters.documents.pdf_objects import PageScan, address, scan_page
from airecruiter.errors import ParseError
from airecruiter.ports.documents import PDF, ExtractedDocument, HiddenReason, HiddenText

# PDFium is not thread-safe and asyncio.to_thread may run two extractions at once.
PDFIUM_LOCK = threading.Lock()


@dataclass
class _Page:
    number: int  # 1-based
    text: str
    hidden: list[HiddenText]
    needs_layout: bool = False
    hidden_boxes: list[tuple[Box, HiddenReason]] = field(default_factory=list)


def read_pdf(data: bytes, *, filename: str, max_pages: int) -> ExtractedDocument:
    """The visible text of a PDF page by page, with its hidden text; ParseError when unreadable."""
    with PDFIUM_LOCK:
        pages = _read_pages(data, filename=filename, max_pages=max_pages)
    warnings: list[str] = []
    for page in pages:
        if page.needs_layout:
            page.text = _relayout(data, page, warnings)
    hidden = [item for page in pages for item in page.hidden]
    empty = [page.number for page in pages if not page.text]
    text = "\n\n".join(page.text for page in pages if page.text)
    if not text:
        if hidden:
            raise ParseError(
                f"{filename} has no visible text: all of its text is hidden (white, tiny or off-page); "
                "ask the candidate for a normal copy."
            )
        raise ParseError(
            f"{filename} has no extractable text — scanned document? "
            "Ask the candidate for a text-based PDF or a Word file."
        )
    if empty:
        listed = ", ".join(str(n) for n in empty)
        warnings.append(f"Page(s) {listed} have no extractable text (scanned images?) and were skipped.")
    return ExtractedDocument(text=text, content_type=PDF, pages=len(pages), hidden=hidden, warnings=warnings)


def _relayout(data: bytes, page: _Page, warnings: list[str]) -> str:
    try:
        return clean_text(layout_text(data, page.number - 1, page.hidden_boxes))
    except Exception:  # pdfminer raises many types on odd files; the PDFium text is still good
        warnings.append(f"Page {page.number}: the column layout could not be analysed; its lines may be interleaved.")
        return page.text


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


def _read_pages(data: bytes, *, filename: str, max_pages: int) -> list[_Page]:
    document = _open(data, filename)
    try:
        count = len(document)
        if count == 0:
            raise ParseError(f"The PDF {filename} has no pages; ask the candidate to export it again.")
        if count > max_pages:
            raise ParseError(
                f"The PDF {filename} has {count} pages; résumés over {max_pages} pages are not read. "
                "Ask the candidate for a shorter version."
            )
        return [_read_page(document, index) for index in range(count)]
    except pdfium.PdfiumError as exc:
        raise ParseError(f"The PDF {filename} is damaged and could not be read; ask for a new export.") from exc
    finally:
        document.close()


def _read_page(document: Any, index: int) -> _Page:
    page = document[index]
    textpage = page.get_textpage()
    try:
        scan = scan_page(page)
        if scan.hidden:
            raw_text, hidden = _visible_chars(textpage, scan, index + 1)
        else:
            raw_text, hidden = textpage.get_text_range(), []
        segments: list[Box] = [tuple(textpage.get_rect(i)) for i in range(textpage.count_rects())]
        gutter = column_gutter(segments, page.get_width())
        needs_layout = gutter is not None and is_interleaved(segments, gutter)
        return _Page(index + 1, clean_text(raw_text), hidden, needs_layout, scan.hidden_boxes)
    finally:
        textpage.close()
        page.close()


def _visible_chars(textpage: Any, scan: PageScan, number: int) -> tuple[str, list[HiddenText]]:
    chars: list[str] = []
    flags: list[HiddenReason | None] = []
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        owner = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        chars.append(chr(code) if 0 < code < 0x110000 else "")
        # Spaces and line ends PDFium generates have no owner: they join the text before them.
        flags.append(scan.hidden.get(address(owner)) if owner else (flags[-1] if flags else None))
    visible = "".join(c for c, flag in zip(chars, flags, strict=True) if flag is None)
    return visible, spans(flags, chars, number)
