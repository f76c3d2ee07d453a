"""The résumé DocumentReader: sniff the bytes, enforce limits, extract in a memory-capped worker process."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import Any

from airecruiter.adapters.documents.docx import ZipLimits, read_docx
from airecruiter.adapters.documents.hidden_text import clean_text, merge_hidden, strip_invisible_characters
from airecruiter.adapters.documents.isolation import GIGABYTE, WorkerOutOfMemory, WorkerPool, WorkerTimeout
from airecruiter.adapters.documents.odt import read_odt
from airecruiter.adapters.documents.pdf import read_pdf
from airecruiter.adapters.documents.rtf import read_rtf
from airecruiter.adapters.documents.sniff import decode_text, sniff
from airecruiter.errors import DocumentTimeoutError, ParseError
from airecruiter.ports.documents import DOCX, ODT, PDF, PLAIN_TEXT, RTF, ExtractedDocument

_EXPECTED_SUFFIXES = {
    PDF: {".pdf"},
    DOCX: {".docx"},
    ODT: {".odt"},
    RTF: {".rtf"},
    PLAIN_TEXT: {".txt", ".text", ".md", ""},
}
_KINDS = {
    PDF: "a PDF",
    DOCX: "a Word document",
    ODT: "an OpenDocument text",
    RTF: "an RTF document",
    PLAIN_TEXT: "plain text",
}
_NAME_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MEGABYTE = 1024 * 1024


def display_name(filename: str) -> str:
    """A filename safe to put into a message: no path, no control characters, at most 80 characters."""
    name = _NAME_JUNK.sub("", os.path.basename(filename.replace("\\", "/"))).strip() or "the file"
    return name if len(name) <= 80 else name[:77] + "..."


class ResumeReader:
    """Reads PDF, .docx, .odt, RTF and plain-text résumés within size, page, unpack and time limits."""

    def __init__(
        self,
        *,
        max_bytes: int = 10 * MEGABYTE,
        max_pages: int = 20,
        max_chars: int = 100_000,
        zip_limits: ZipLimits | None = None,
        timeout_seconds: float = 30.0,
        memory_limit_bytes: int = GIGABYTE,
        workers: int = 2,
        start_method: str = "forkserver",
    ) -> None:
        self.max_bytes = max_bytes
        self.max_pages = max_pages
        self.max_chars = max_chars
        self.zip_limits = zip_limits or ZipLimits()
        self.timeout_seconds = timeout_seconds
        self.memory_limit_bytes = memory_limit_bytes
        # Started on the first `extract`; `aclose` stops it. Scripts using `extract_sync` never start it.
        self._workers: WorkerPool | None = WorkerPool(
            workers=workers, memory_limit_bytes=memory_limit_bytes, start_method=start_method, preload=(__name__,)
        )

    def __getstate__(self) -> dict[str, Any]:
        # A worker receives the reader's limits, never the pool (processes and threads do not pickle).
        state = self.__dict__.copy()
        state["_workers"] = None
        return state

    async def aclose(self) -> None:
        """Stop the worker processes; a later `extract` starts new ones."""
        if self._workers is not None:
            await self._workers.aclose()

    async def extract(self, data: bytes, *, filename: str) -> ExtractedDocument:
        """The visible text of `data`, read in a worker process; ParseError with a readable reason otherwise."""
        name = display_name(filename)
        if not data or len(data) > self.max_bytes:
            return self.extract_sync(data, name)  # refused before any bytes cross to a worker
        assert self._workers is not None, "a reader copied into a worker extracts with extract_sync"
        try:
            return await self._workers.run(self.extract_sync, data, name, time_limit=self.timeout_seconds)
        except WorkerTimeout as exc:
            raise DocumentTimeoutError(
                f"Reading {name} took longer than {self.timeout_seconds:g} s and was stopped. The fault is "
                "on our side, not in the candidate's file: the job will be tried again."
            ) from exc
        except (WorkerOutOfMemory, MemoryError) as exc:
            raise ParseError(
                f"{name} is too large to read safely: reading it needs more than "
                f"{self.memory_limit_bytes / MEGABYTE:,.0f} MB of memory (it may be a decompression bomb "
                "or damaged). Ask the candidate for a new export."
            ) from exc

    def extract_sync(self, data: bytes, filename: str) -> ExtractedDocument:
        """The same as `extract` on the calling thread, without memory cap or time limit (scripts, benchmarks)."""
        if not data:
            raise ParseError(f"{filename} is empty; ask the candidate to upload the résumé again.")
        if len(data) > self.max_bytes:
            raise ParseError(
                f"{filename} is {len(data) / MEGABYTE:.1f} MB; résumés over {self.max_bytes / MEGABYTE:g} MB "
                "are not read. Ask the candidate for a smaller file (e.g. without large images)."
            )
        content_type = sniff(data, filename)
        if content_type == PDF:
            document = read_pdf(data, filename=filename, max_pages=self.max_pages)
        elif content_type == DOCX:
            document = read_docx(data, filename=filename, limits=self.zip_limits)
        elif content_type == ODT:
            document = read_odt(data, filename=filename, limits=self.zip_limits)
        elif content_type == RTF:
            document = read_rtf(data, filename=filename)
        else:
            document = self._read_text(data, filename)
        return self._finish(document, filename)

    def _read_text(self, data: bytes, filename: str) -> ExtractedDocument:
        text = clean_text(decode_text(data) or "")
        if not text:
            raise ParseError(f"{filename} contains no text; ask the candidate to upload the résumé again.")
        return ExtractedDocument(text=text, content_type=PLAIN_TEXT, pages=None)

    def _finish(self, document: ExtractedDocument, filename: str) -> ExtractedDocument:
        text, smuggled = strip_invisible_characters(document.text)
        warnings = list(document.warnings)
        suffix = os.path.splitext(filename)[1].lower()
        if suffix not in _EXPECTED_SUFFIXES[document.content_type]:
            kind = _KINDS[document.content_type]
            warnings.append(f"{filename} is named like a {suffix or 'extensionless'} file but is {kind}; read as such.")
        if len(text) > self.max_chars:
            text = text[: self.max_chars]
            warnings.append(f"The text was cut to its first {self.max_chars:,} characters.")
        hidden = merge_hidden([*document.hidden, *smuggled])
        return replace(document, text=text, hidden=hidden, warnings=warnings)
