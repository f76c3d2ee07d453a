"""PDF text extraction with PDFium: visible text in reading order (columns one after another), hidden text."""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from airecruiter.adapters.documents.hidden_text import Box, clean_text, spans
from airecruiter.adapters.documents.pdf_layout import column_gutter, is_interleaved
from airecruiter.adapters.documents.pdf_objects import PageScan, address, scan_page
from airecruiter.errors import ParseError
from airecruiter.ports.documents import PDF, ExtractedDocument, HiddenReason, HiddenText

# PDFium is not thread-safe, and extract_sync may be called from several threads of one process.
PDFIUM_LOCK = threading.Lock()


@dataclass
class _Page:
    number: int  # 1-based
    text: str
    hidden: list[HiddenText]


def read_pdf(data: bytes, *, filename: str, max_pages: int) -> ExtractedDocument:
    """The visible text of a PDF page by page, with its hidden text; ParseError when unreadable."""
    with PDFIUM_LOCK:
        pages = _read_pages(data, filename=filename, max_pages=max_pages)
    warnings: list[str] = []
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
        segments: list[Box] = [tuple(textpage.get_rect(i)) for i in range(textpage.count_rects())]
        gutter = column_gutter(segments, page.get_width())
        if gutter is not None and is_interleaved(segments, gutter):
            # The stream hops between the columns line by line: regroup its characters column by column.
            chars = _chars(textpage, scan, gutter)
        elif scan.hidden:
            chars = _chars(textpage, scan, None)
        else:
            return _Page(index + 1, clean_text(textpage.get_text_range()), [])
        visible = "".join(c.char for c in chars if c.hidden is None)
        return _Page(
            index + 1, clean_text(visible), spans([c.hidden for c in chars], [c.char for c in chars], index + 1)
        )
    finally:
        textpage.close()
        page.close()


@dataclass
class _Char:
    char: str
    hidden: HiddenReason | None
    left: bool  # in the left column (or no columns)


def _chars(textpage: Any, scan: PageScan, gutter: float | None) -> list[_Char]:
    """The page's characters with why each is hidden; with a gutter, the left column's before the right's."""
    columns: dict[bool, list[_Char]] = {True: [], False: []}
    pending: list[str] = []  # spaces and line ends PDFium generated: they have no owner (nor position)
    last: _Char | None = None
    sides: dict[int, bool | None] = {}  # text object -> its column, None when it spans the gutter
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        char = chr(code) if 0 < code < 0x110000 else ""
        owner = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        if not owner:
            pending.append(char)
            continue
        key = address(owner)
        current = _Char(char, scan.hidden.get(key), _is_left(textpage, index, owner, key, gutter, sides))
        column = columns[current.left]
        if last is not None and last.left == current.left:
            # Generated separators join the text before them, hidden or not alike.
            column.extend(_Char(c, last.hidden, last.left) for c in pending)
        elif column:
            column.append(_Char("\n", None, current.left))  # back from the other column: a new line
        pending.clear()
        column.append(current)
        last = current
    if last is not None:
        columns[last.left].extend(_Char(c, last.hidden, last.left) for c in pending)
    if not columns[False]:
        return columns[True]
    return [*columns[True], _Char("\n", None, True), *columns[False]]


def _is_left(
    textpage: Any, index: int, owner: Any, key: int, gutter: float | None, sides: dict[int, bool | None]
) -> bool:
    """Whether character `index` is left of the gutter: by its text object's bounds, or by its own box."""
    if gutter is None:
        return True
    if key not in sides:
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        if not pdfium_c.FPDFPageObj_GetBounds(owner, left, bottom, right, top):
            sides[key] = None
        else:
            sides[key] = True if right.value <= gutter else False if left.value >= gutter else None
    side = sides[key]
    if side is not None:
        return side
    # One text object across both columns: only the character's own box tells (rare, so slower).
    char_left, _bottom, char_right, _top = textpage.get_charbox(index)
    return float(char_left + char_right) / 2 < gutter
