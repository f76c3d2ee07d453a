"""Word résumés as candidates really build them: styled shaded headings, layout tables, pictures only."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from airecruiter.adapters.documents import ResumeReader
from airecruiter.errors import ParseError
from tests.integration import docx_fixtures as dx
from tests.integration.resume_fixtures import INJECTION


@pytest.fixture(scope="module")
async def reader() -> AsyncIterator[ResumeReader]:
    """A reader with the default limits; its worker processes stop with the module."""
    reader = ResumeReader()
    yield reader
    await reader.aclose()


async def test_headings_shaded_by_their_style_chain_are_kept_and_not_flagged(reader: ResumeReader) -> None:
    document = await reader.extract(dx.shaded_headings_docx(), filename="cv.docx")
    assert document.hidden == []
    lines = document.text.splitlines()
    assert [line for line in lines if line in dx.HEADINGS] == list(dx.HEADINGS)


async def test_white_and_near_white_text_is_still_caught_beside_shaded_headings(reader: ResumeReader) -> None:
    document = await reader.extract(dx.shaded_headings_docx(with_injection=True), filename="cv.docx")
    assert INJECTION not in document.text
    assert "rockstar" not in document.text
    assert [(h.text, h.reason) for h in document.hidden] == [
        (INJECTION, "white text"),
        ("Near-white keywords: rockstar ninja guru", "white text"),
    ]
    assert "Experience" in document.text.splitlines()


async def test_heading_bar_given_as_a_theme_colour_counts_as_dark(reader: ResumeReader) -> None:
    document = await reader.extract(dx.theme_shaded_heading_docx(), filename="cv.docx")
    assert document.hidden == []
    assert "Experience" in document.text.splitlines()


async def test_table_style_shading_makes_white_text_legible_but_white_cells_do_not(reader: ResumeReader) -> None:
    document = await reader.extract(dx.shaded_cells_docx(), filename="cv.docx")
    assert "Banner: open to relocation" in document.text
    assert INJECTION not in document.text
    assert [(h.text, h.reason) for h in document.hidden] == [(INJECTION, "white text")]


async def test_glyphs_single_characters_and_repeats_of_visible_text_are_not_flagged(reader: ResumeReader) -> None:
    document = await reader.extract(dx.harmless_white_docx(), filename="cv.docx")
    assert [(h.text, h.reason) for h in document.hidden] == [("Tiny stuffing: kubernetes terraform", "tiny text")]
    assert document.text.count("Python and PostgreSQL") == 4


async def test_layout_table_cells_keep_their_lines(reader: ResumeReader) -> None:
    document = await reader.extract(dx.layout_table_docx(), filename="cv.docx")
    assert document.text.splitlines() == [
        "Jane Doe",
        "Contact",
        "jane@example.org",
        "+1 555 0100",
        "Hobbies",
        "Chess",
        "Experience",
        "Acme Corp, 2018-2022",
        "Built payment services in Python.",
        "Education",
        "MSc Computer Science",
    ]


async def test_column_merged_down_the_rows_is_read_after_the_other_column(reader: ResumeReader) -> None:
    document = await reader.extract(dx.merged_columns_docx(), filename="cv.docx")
    assert document.text.splitlines() == [
        "Jane Doe",
        "Backend engineer",
        "Contact",
        "jane@example.org",
        "Skills",
        "Python, PostgreSQL",
        "Experience",
        "Acme Corp, 2018-2022",
        "Education",
        "MSc Computer Science",
    ]


async def test_picture_only_word_file_is_refused_as_image_only(reader: ResumeReader) -> None:
    with pytest.raises(ParseError) as caught:
        await reader.extract(dx.image_only_docx(), filename="scan.docx")
    message = str(caught.value)
    assert "image-only" in message and "damaged" not in message
    assert "scan.docx" in message and "text" in message
