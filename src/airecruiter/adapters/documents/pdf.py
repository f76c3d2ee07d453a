"""PDF text extraction with PDFium: visible text in reading order (columns one after another), hidden text."""

from __future__ import annotations

import ctypes
import re
import threading
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import ne, not_
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from airecruiter.adapters.documents.hidden_text import Box, clean_text, reportable, spans
from airecruiter.adapters.documents.pdf_layout import SEPARATORS, Glyph, pieces, reading_order
from airecruiter.adapters.documents.pdf_objects import PageScan, scan_page
from airecruiter.domain.text_hygiene import clean_characters, clean_line
from airecruiter.errors import ParseError
from airecruiter.ports.documents import PDF, ExtractedDocument, HiddenReason, HiddenText

# PDFium is not thread-safe, and extract_sync may be called from several threads of one process.
PDFIUM_LOCK = threading.Lock()
GARBLED_SHARE = 0.1  # more characters than this without a usable Unicode mapping: the text is garbled
_MIN_GARBLED = 5  # ... and at least this many of the sampled ones (a few broken icon glyphs are normal)


@dataclass
class _Page:
    number: int  # 1-based
    text: str
    hidden: list[HiddenText] = field(default_factory=list)
    sampled: int = 0  # characters checked for a usable Unicode mapping
    unmapped: int = 0  # of those, how many have none (a broken font encoding)
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
    sampled = sum(page.sampled for page in pages)
    unmapped = sum(page.unmapped for page in pages)
    if unmapped >= _MIN_GARBLED and unmapped > GARBLED_SHARE * sampled:
        warnings.append(
            f"Part of the text looks garbled (about {round(100 * unmapped / sampled)} % of its characters "
            "have no usable character mapping in their font); open the original PDF to read those parts."
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
        glyphs, reasons, sampled, unmapped = _glyphs(textpage, scan)
        visible = [g for g, reason in zip(glyphs, reasons, strict=True) if reason is None]
        text = clean_text(reading_order(pieces(visible), page.get_width()))
        found = spans(reasons, [g.char for g in glyphs], index + 1) if any(reasons) else []
        hidden = [replace(item, text=clean_line(item.text)) for item in found if reportable(item.text, text)]
        return _Page(index + 1, text, hidden, sampled=sampled, unmapped=unmapped, images=scan.images)
    finally:
        textpage.close()
        page.close()


# FPDFText_GetTextObject with a plain integer result: a wrapper object per character costs more than the call.
_TEXT_OBJECT_OF = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value or 0
)
_BLANKS = "".join(SEPARATORS)  # strip() of these leaves only inked characters
_BEYOND_ONE_UNIT = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")  # surrogates, or characters made of two
_MAPPING_SAMPLE = 4  # every fourth character is checked for a broken Unicode mapping


def _glyphs(textpage: Any, scan: PageScan) -> tuple[list[Glyph], list[HiddenReason | None], int, int]:
    """The page's text in stream order as runs of one text object's characters, with their loose box
    and why each is hidden, and how many characters sampled for it have no usable Unicode mapping."""
    glyphs: list[Glyph] = []
    reasons: list[HiddenReason | None] = []
    reason: HiddenReason | None = None
    raw = textpage.raw
    count = textpage.count_chars()
    chars = _characters(raw, count)
    handle = ctypes.cast(raw, ctypes.c_void_p)
    owners = [_TEXT_OBJECT_OF(handle, index) or 0 for index in range(count)]
    # A run starts where the owner changes, and at each character PDFium generated (owner 0): the
    # boundaries are found in C (compress, map), not by a Python loop over every character.
    starts = sorted(
        {0, *compress(range(1, count), map(ne, owners[1:], owners)), *compress(range(count), map(not_, owners))}
    )
    icons, lines, hidden = scan.icons, scan.lines, scan.hidden
    for start, end in zip(starts, [*starts[1:], count], strict=True):
        if start >= count:
            break
        owner = owners[start]
        text = "".join(chars[start:end])
        if owner in icons and _is_icon(text):
            glyphs.append(Glyph(" ", None, 0))  # an icon separates the words beside it
            reasons.append(None)
            continue
        # Inked: a character other than a separator (the empty string of an unmapped unit joins to nothing).
        box = (lines.get(owner) or _run_box(raw, chars, start, end)) if owner and text.strip(_BLANKS) else None
        if box is not None:
            reason = hidden.get(owner)
        # Spaces and line ends PDFium generated belong with the text before them, hidden or not.
        glyphs.append(Glyph(text, box, owner if box is not None else 0))
        reasons.append(reason)
    sampled = list(range(0, count, _MAPPING_SAMPLE))
    unmapped = sum(1 for index in sampled if owners[index] and pdfium_c.FPDFText_HasUnicodeMapError(raw, index) == 1)
    return glyphs, reasons, len(sampled), unmapped


def _is_icon(text: str) -> bool:
    """Text of an icon font that is one picture: a single glyph, but for an ASCII letter or digit (a
    rating's number, a label the template set in that font)."""
    glyph = "".join(clean_characters(text).split())
    return len(glyph) <= 1 and not (glyph.isascii() and glyph.isalnum())


def _run_box(raw: Any, chars: list[str], start: int, end: int) -> Box | None:
    """The loose box from the run's first to its last visible character; None for blanks only."""
    inked = [index for index in (start, end - 1) if chars[index] not in SEPARATORS]
    if not inked:
        inked = [index for index in range(start, end) if chars[index] not in SEPARATORS][:1]
    boxes = []
    rect = pdfium_c.FS_RECTF()
    for index in inked:
        if pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
            boxes.append((rect.left, rect.bottom, rect.right, rect.top))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _characters(raw: Any, count: int) -> list[str]:
    """Each character index's text: one call for the page, or one per character where surrogates
    (characters beyond the Basic Multilingual Plane) break the one-unit-per-index alignment."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer) if count else 0
    # Decoded in C: without surrogates (lone ones pass through as such), each unit is one character.
    text = ctypes.string_at(buffer, 2 * max(written - 1, 0)).decode("utf-16-le", "surrogatepass")
    if len(text) == count and not _BEYOND_ONE_UNIT.search(text):
        return [char if char != "\0" else "" for char in text] if "\0" in text else list(text)
    codes = (pdfium_c.FPDFText_GetUnicode(raw, index) for index in range(count))
    return [chr(code) if 0 < code < 0x110000 else "" for code in codes]
