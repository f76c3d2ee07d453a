"""PDF résumés made by Typst and pikepdf, read by the real ResumeReader (PDFium in worker processes)."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import AsyncIterator

import pytest

from airecruiter.adapters.documents import ResumeReader
from airecruiter.adapters.documents.pdf import PDFIUM_LOCK
from airecruiter.errors import DocumentTimeoutError, ParseError, policy_for
from airecruiter.ports.documents import PDF, ExtractedDocument
from tests.integration import resume_fixtures as fx


@pytest.fixture(scope="module")
async def reader() -> AsyncIterator[ResumeReader]:
    """A reader with the default limits; its worker processes stop with the module."""
    reader = ResumeReader()
    yield reader
    await reader.aclose()


class HangingReader(ResumeReader):
    """Hangs on "hang.pdf" while holding the PDFium lock, as a parser stuck in C code would."""

    def extract_sync(self, data: bytes, filename: str) -> ExtractedDocument:
        """Hang for `hang.pdf`, read anything else normally."""
        if filename == "hang.pdf":
            with PDFIUM_LOCK:
                time.sleep(3600)
        return super().extract_sync(data, filename)


async def test_one_column_resume_reads_in_order_with_page_count(reader: ResumeReader) -> None:
    document = await reader.extract(fx.one_column_pdf(), filename="jane.pdf")
    assert document.content_type == PDF
    assert document.pages == 2
    assert document.text.startswith("Jane Doe\nSenior Engineer — jane@example.com")
    assert document.text.index("Page 1 role 13") < document.text.index("Experience, part 2")
    assert document.hidden == [] and document.warnings == []


@pytest.mark.parametrize("build", [fx.two_column_pdf, fx.interleaved_two_column_pdf])
async def test_left_column_comes_before_the_right_one(reader: ResumeReader, build: object) -> None:
    assert callable(build)
    document = await reader.extract(build(), filename="columns.pdf")
    text = document.text
    last_left = max(text.rfind("Left column entry"), text.rfind("Left column line"))
    first_right = min(i for i in (text.find("Right column entry"), text.find("Right column line")) if i >= 0)
    assert 0 < last_left < first_right, text
    assert "Left column line 3 about Python work\nLeft column line 4" in text or "entry" in text


async def test_interleaved_columns_read_line_by_line_without_their_hidden_text(reader: ResumeReader) -> None:
    document = await reader.extract(fx.interleaved_two_column_pdf(injection=True), filename="columns.pdf")
    left = "\n".join(f"Left column line {i} about Python work" for i in range(14))
    right = "\n".join(f"Right column line {i} about Rust skills" for i in range(14))
    assert document.text == f"Jane Doe\n{left}\n{right}"
    assert [(h.text, h.reason, h.page) for h in document.hidden] == [(fx.INJECTION, "white text", 1)]


async def test_white_prompt_injection_is_removed_and_reported(reader: ResumeReader) -> None:
    document = await reader.extract(fx.white_text_pdf(), filename="jane.pdf")
    assert "Ignore previous instructions" not in document.text
    assert [(h.text, h.reason, h.page) for h in document.hidden] == [(fx.INJECTION, "white text", 1)]
    # White text on a dark banner is what the reader sees, so it stays.
    assert "Banner: Open to relocation" in document.text
    assert "References on request." in document.text


async def test_tiny_text_is_removed_and_reported(reader: ResumeReader) -> None:
    document = await reader.extract(fx.tiny_text_pdf(), filename="jane.pdf")
    assert fx.TINY_SECRET not in document.text
    assert [(h.text, h.reason) for h in document.hidden] == [(fx.TINY_SECRET, "tiny text")]
    assert "Five years at Acme." in document.text


async def test_clipped_and_off_page_text_is_removed_and_reported(reader: ResumeReader) -> None:
    document = await reader.extract(fx.clipped_text_pdf(), filename="jane.pdf")
    assert fx.CLIPPED_SECRET not in document.text and fx.OFF_PAGE_SECRET not in document.text
    assert {(h.text, h.reason) for h in document.hidden} == {
        (fx.CLIPPED_SECRET, "clipped/off-page"),
        (fx.OFF_PAGE_SECRET, "clipped/off-page"),
    }
    assert "Six years at Initech." in document.text


async def test_image_only_pdf_is_refused_as_a_scan(reader: ResumeReader) -> None:
    with pytest.raises(ParseError, match=r"is image-only .*: it has no extractable text — scanned document\?"):
        await reader.extract(fx.image_only_pdf(), filename="scan.pdf")


async def test_encrypted_pdf_asks_for_an_unprotected_copy(reader: ResumeReader) -> None:
    with pytest.raises(ParseError, match="password-protected; ask the candidate for an unprotected copy"):
        await reader.extract(fx.encrypted_pdf(), filename="locked.pdf")


async def test_truncated_pdf_is_reported_as_damaged(reader: ResumeReader) -> None:
    with pytest.raises(ParseError, match="damaged or not a valid PDF"):
        await reader.extract(fx.truncated_pdf(), filename="cut.pdf")


async def test_a_long_cv_is_read_up_to_the_page_limit_with_a_warning() -> None:
    small = ResumeReader(max_pages=3, workers=1)
    try:
        document = await small.extract(fx.one_column_pdf(pages=4), filename="long.pdf")
    finally:
        await small.aclose()
    assert document.pages == 4
    assert "Experience, part 3" in document.text and "Experience, part 4" not in document.text
    assert document.warnings == [
        "The PDF has 4 pages; only the first 3 were read (the page limit). Open the original for the rest."
    ]


async def test_oversized_file_is_refused_with_its_size(reader: ResumeReader) -> None:
    with pytest.raises(ParseError, match=r"big.pdf is 11.0 MB; résumés over 10 MB are not read"):
        await reader.extract(fx.oversized_pdf(), filename="big.pdf")


async def test_pdf_named_docx_is_read_as_pdf_with_a_warning(reader: ResumeReader) -> None:
    document = await reader.extract(fx.tiny_text_pdf(), filename="cv.docx")
    assert document.content_type == PDF
    assert document.warnings == ["cv.docx is named like a .docx file but is a PDF; read as such."]


async def test_concurrent_extractions_give_the_same_text(reader: ResumeReader) -> None:
    data = fx.white_text_pdf()
    results = await asyncio.gather(*(reader.extract(data, filename=f"{i}.pdf") for i in range(6)))
    assert len({r.text for r in results}) == 1
    assert all(len(r.hidden) == 1 for r in results)


async def test_a_hung_extraction_is_stopped_and_the_next_one_still_reads() -> None:
    hanging = HangingReader(timeout_seconds=1, workers=1)
    try:
        with pytest.raises(
            DocumentTimeoutError, match=r"Reading hang\.pdf took longer than 1 s and was stopped"
        ) as info:
            await hanging.extract(fx.one_column_pdf(), filename="hang.pdf")
        # Our failure, not the candidate's: the sentence says so and the queue retries the job.
        assert "not in the candidate's file" in info.value.message
        assert policy_for(info.value).retries
        # The hung worker was killed with the PDFium lock it held; its replacement reads normally.
        document = await hanging.extract(fx.one_column_pdf(), filename="jane.pdf")
        assert document.text.startswith("Jane Doe")
    finally:
        await hanging.aclose()


async def test_pdf_decompression_bomb_is_refused_and_the_service_keeps_working(reader: ResumeReader) -> None:
    bomb = fx.pdf_decompression_bomb(gigabytes=3)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert len(bomb) < reader.max_bytes  # small on disk, 3 GB once its content stream is inflated
    message = r"bomb\.pdf is too large to read safely: reading it needs more than 1,024 MB"
    with pytest.raises(ParseError, match=message):
        await reader.extract(bomb, filename="bomb.pdf")
    # The worker died, not this process: its peak memory stayed far below the bomb's size.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before < 256 * 1024**2
    results = await asyncio.gather(*(reader.extract(fx.tiny_text_pdf(), filename=f"{i}.pdf") for i in range(3)))
    assert all("Five years at Acme." in r.text for r in results)


async def test_bombs_and_normal_files_read_side_by_side(reader: ResumeReader) -> None:
    bomb, normal = fx.pdf_decompression_bomb(gigabytes=2), fx.white_text_pdf()
    outcomes = await asyncio.gather(
        reader.extract(bomb, filename="bomb.pdf"),
        *(reader.extract(normal, filename=f"{i}.pdf") for i in range(4)),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], ParseError) and "too large to read safely" in str(outcomes[0])
    assert all(isinstance(o, ExtractedDocument) and "References on request." in o.text for o in outcomes[1:])
