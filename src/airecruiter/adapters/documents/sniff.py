"""Content-type sniffing from magic bytes: PDF, Word (.docx), OpenDocument text, RTF and plain text.

Everything else is refused with a sentence naming what arrived and what to send instead.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile

from airecruiter.errors import ParseError
from airecruiter.ports.documents import DOCX, ODT, PDF, PLAIN_TEXT, RTF

SUPPORTED = "send a PDF, a Word (.docx) or a plain-text file (OpenDocument .odt and RTF are read too)"
# An OLE2 compound file is a Word 97-2003 document when its directory names a WordDocument stream.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")

_CONTROL_LIMIT = 0.01  # more than 1% control characters is binary data, not text
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Formats people send instead of a résumé, named so the message says what arrived.
_KNOWN_BINARIES = (
    (_OLE2, "an old-style Word (.doc) or other legacy Office file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_OTHER_OFFICE = (
    ("xl/workbook.xml", "an Excel spreadsheet"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
    ("content.xml", "an OpenDocument file other than a text document"),
)


def unsupported(what: str, filename: str) -> ParseError:
    """The error for a file type we do not read, naming what the file really is."""
    return ParseError(f"{filename} is {what}, which cannot be read as a résumé; {SUPPORTED}.")


def sniff(data: bytes, filename: str) -> str:
    """The content type of `data` judged from its bytes; ParseError for anything unsupported."""
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, filename)
    if data.startswith(b"{\\rtf"):
        return RTF
    if data.startswith(_OLE2) and _WORD_STREAM in data:
        raise ParseError(
            f"{filename} is an old-style Word 97-2003 (.doc) file, which is not read: no maintained reader "
            "for it is safe to run on uploads. Ask the candidate to save it as .docx or PDF (File > Save As) "
            "and send it again."
        )
    for magic, what in _KNOWN_BINARIES:
        if data.startswith(magic):
            raise unsupported(what, filename)
    if decode_text(data) is None:
        raise unsupported("not a PDF, Word or text file (unrecognised binary data)", filename)
    return PLAIN_TEXT


def _sniff_zip(data: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(256)  # never more: the member may be a bomb
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError(
            f"{filename} is a damaged Word file (not a readable zip archive); "
            "ask the candidate to save it again or send a PDF."
        ) from exc
    if "word/document.xml" in names:
        return DOCX
    if mimetype.strip() == ODT.encode() and "content.xml" in names:
        return ODT
    for marker, what in _OTHER_OFFICE:
        if marker in names:
            raise unsupported(what, filename)
    raise unsupported("a zip archive", filename)


def decode_text(data: bytes) -> str | None:
    """`data` decoded as text (BOM, then UTF-8, then Windows-1252/Latin-1); None when it is binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _plausible(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return _plausible(text)


def _plausible(text: str) -> str | None:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    if controls > _CONTROL_LIMIT * max(len(text), 1):
        return None
    return text
