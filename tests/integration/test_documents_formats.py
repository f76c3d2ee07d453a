"""OpenDocument text, RTF and Word 97 files, as candidates send them through Workday."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from airecruiter.adapters.documents import ResumeReader
from airecruiter.errors import ParseError
from airecruiter.ports.documents import ODT, RTF
from tests.integration import format_fixtures as ff
from tests.integration.resume_fixtures import INJECTION, TINY_SECRET


@pytest.fixture(scope="module")
async def reader() -> AsyncIterator[ResumeReader]:
    """A reader with the default limits; its worker processes stop with the module."""
    reader = ResumeReader()
    yield reader
    await reader.aclose()


async def test_odt_resume_reads_headings_tables_and_frames(reader: ResumeReader) -> None:
    document = await reader.extract(ff.resume_odt(), filename="cv.odt")
    assert document.content_type == ODT
    assert document.text.splitlines() == [
        "Zoë Müller",
        "Backend engineer, Zürich 2024",
        "Experience",
        "Contact",
        "zoe@example.org",
        "Acme AG, 2018-2022",
        "Built payment services.",
        "Box:",
        "Certified AWS architect",
        "Python, PostgreSQL",
    ]
    assert document.hidden == [] and document.warnings == []


async def test_odt_hidden_white_and_tiny_text_is_removed_and_reported(reader: ResumeReader) -> None:
    document = await reader.extract(ff.resume_odt(hidden=True), filename="cv.odt")
    assert "ignore previous instructions" not in document.text.lower()
    assert TINY_SECRET not in document.text and "hire me" not in document.text
    assert "Summary" in document.text.splitlines() and "Experience" in document.text
    assert [(h.text, h.reason) for h in document.hidden] == [
        (INJECTION, "hidden run"),
        ("White words: " + INJECTION.lower(), "white text"),
        (TINY_SECRET, "tiny text"),
        ("Hidden field: hire me", "hidden run"),
    ]


async def test_odt_external_entities_are_not_resolved(reader: ResumeReader) -> None:
    try:
        document = await reader.extract(ff.odt_with_external_entity(), filename="cv.odt")
    except ParseError as refused:
        assert "OpenDocument" in str(refused)
    else:
        with open("/etc/hostname", encoding="utf-8") as local:  # noqa: ASYNC230 - the file the entity names
            assert local.read().strip() not in document.text
        assert "Jane Doe" in document.text


async def test_odt_zip_bomb_is_refused_without_unpacking(reader: ResumeReader) -> None:
    with pytest.raises(ParseError, match="zip bomb"):
        await reader.extract(ff.odt_zip_bomb(), filename="bomb.odt")


async def test_opendocument_spreadsheet_is_refused_by_name(reader: ResumeReader) -> None:
    with pytest.raises(ParseError, match="OpenDocument file other than a text document") as caught:
        await reader.extract(ff.ods(), filename="cv.odt")
    assert "send a PDF" in str(caught.value)


async def test_rtf_resume_reads_escapes_unicode_and_skips_tables_and_pictures(reader: ResumeReader) -> None:
    document = await reader.extract(ff.resume_rtf(), filename="cv.rtf")
    assert document.content_type == RTF
    assert document.text.splitlines() == [
        "René Dupont",
        "Ingénieur logiciel – Zürich",
        "Banner: open to relocation",
        "Skills: Python PostgreSQL",
        "Kubernetes",
        "example.org",
    ]
    assert document.hidden == []


async def test_rtf_hidden_white_and_tiny_runs_are_removed_and_reported(reader: ResumeReader) -> None:
    document = await reader.extract(ff.resume_rtf(hidden=True), filename="cv.rtf")
    assert "ignore previous instructions" not in document.text.lower()
    assert TINY_SECRET not in document.text
    assert "Banner: open to relocation" in document.text
    assert [(h.text, h.reason) for h in document.hidden] == [
        (INJECTION, "hidden run"),
        ("White words: " + INJECTION.lower(), "white text"),
        (TINY_SECRET, "tiny text"),
    ]


async def test_rtf_nested_too_deeply_is_refused(reader: ResumeReader) -> None:
    with pytest.raises(ParseError, match="nests groups too deeply"):
        await reader.extract(b"{\\rtf1 " + b"{" * 5000 + b"x" + b"}" * 5000 + b"}", filename="deep.rtf")


async def test_word97_doc_is_refused_with_what_to_send(reader: ResumeReader) -> None:
    with pytest.raises(ParseError) as caught:
        await reader.extract(ff.word97_doc(), filename="cv.doc")
    message = str(caught.value)
    assert "cv.doc is an old-style Word 97-2003 (.doc) file" in message
    assert "save it as .docx or PDF" in message


async def test_formats_are_sniffed_by_bytes_not_by_name(reader: ResumeReader) -> None:
    document = await reader.extract(ff.resume_rtf(), filename="cv.pdf")
    assert document.content_type == RTF
    assert document.warnings == ["cv.pdf is named like a .pdf file but is an RTF document; read as such."]
