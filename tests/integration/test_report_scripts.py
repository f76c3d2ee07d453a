"""Candidate reports typeset names and words in every script with a real glyph, not an empty box.

Text extraction alone would pass a missing glyph (the PDF's ToUnicode map still names the character),
so the PDF itself is read: no text may be drawn with glyph 0 (.notdef, the empty box a font shows
for a character it lacks), and every character must be mapped from a real glyph of an embedded font
(a combining mark may share its base letter's glyph cluster, as Devanagari vowel signs do).
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections.abc import AsyncIterator

import pikepdf
import pytest

from airecruiter.adapters.documents.report import TypstReportRenderer
from airecruiter.adapters.documents.report_fonts import discover_font_dirs
from airecruiter.ports.reports import TranscriptMessage
from tests.integration.report_fixtures import report
from tests.integration.test_report_render import read_pages

SCRIPTS = {
    "latin": ("Zoë Łukasiewicz-Muñoz", "Ingénieure à Zürich, façade, Øresund"),
    "greek": ("Αλέξανδρος Παπαδόπουλος", "Μηχανικός λογισμικού στην Αθήνα"),
    "cyrillic": ("Юлия Пономарёва", "Инженер-программист, Москва"),
    "arabic": ("محمد عبد الرحمن", "مهندس برمجيات في القاهرة"),
    "hebrew": ("נועה כהן", "מהנדסת תוכנה בתל אביב"),
    "devanagari": ("प्रिया शर्मा", "सॉफ्टवेयर इंजीनियर, मुंबई"),
    "chinese": ("王小明", "软件工程师，北京"),
    "japanese": ("山田 さくら", "ソフトウェアエンジニア、東京"),
    "korean": ("김민준", "소프트웨어 엔지니어, 서울"),
}
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
FONTS_MISSING = not discover_font_dirs() and "make fonts"


def _utf16(hex_bytes: bytes) -> str:
    return bytes.fromhex(hex_bytes.decode()).decode("utf-16-be", errors="replace")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's glyph-to-text map (bfchar and bfrange entries)."""
    mapped: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for line in block.strip().splitlines():
            values = _HEX.findall(line)
            if len(values) == 2:
                mapped[int(values[0], 16)] = _utf16(values[1])
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            values = _HEX.findall(line)
            if len(values) == 3:
                low, high, first = int(values[0], 16), int(values[1], 16), _utf16(values[2])
                for offset in range(high - low + 1):
                    mapped[low + offset] = first[:-1] + chr(ord(first[-1]) + offset)
    return mapped


def covered_characters(pdf: bytes) -> set[str]:
    """Every character some embedded font maps from a real glyph (not .notdef) in this PDF."""
    covered: set[str] = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or "/ToUnicode" not in obj:
                continue
            for glyph, text in _to_unicode(obj.ToUnicode.read_bytes()).items():
                if glyph != 0:
                    covered.update(text)
    return covered


def notdef_drawn(pdf: bytes) -> int:
    """How many times a page shows glyph 0 (.notdef) of a two-byte (Type0, Identity) font."""
    count = 0
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            fonts = page.Resources.get("/Font", {})
            wide = {str(name) for name, font in fonts.items() if font.get("/Subtype") == "/Type0"}
            current = ""
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    current = str(operands[0])
                elif str(operator) in ("Tj", "TJ", "'", '"') and current in wide:
                    count += _notdefs(operands)
    return count


def _notdefs(operands: list[object]) -> int:
    strings: list[bytes] = []
    for operand in operands:
        items = list(operand) if isinstance(operand, pikepdf.Array) else [operand]
        strings += [bytes(item) for item in items if isinstance(item, pikepdf.String)]
    return sum(1 for data in strings for i in range(0, len(data) - 1, 2) if data[i : i + 2] == b"\x00\x00")


def _script_report(name: str, words: str) -> object:
    return report(
        candidate_name=name,
        transcript=(
            TranscriptMessage(role="interviewer", content="Tell us about yourself."),
            TranscriptMessage(role="candidate", content=f"{name}: {words}"),
        ),
    )


@pytest.fixture(scope="module")
async def renderer() -> AsyncIterator[TypstReportRenderer]:
    """One renderer per module: its worker builds the compiler (discovers fonts) once."""
    renderer = TypstReportRenderer()
    yield renderer
    await renderer.aclose()


@pytest.mark.skipif(bool(FONTS_MISSING), reason="Noto fonts are not installed: run make fonts")
@pytest.mark.parametrize("script", sorted(SCRIPTS))
async def test_names_and_words_in_every_script_are_drawn_with_real_glyphs(
    renderer: TypstReportRenderer, script: str
) -> None:
    name, words = SCRIPTS[script]
    pdf = await renderer.render(_script_report(name, words))  # type: ignore[arg-type]
    assert notdef_drawn(pdf) == 0, f"{script}: some characters were drawn as empty boxes"
    covered = covered_characters(pdf)
    letters = {c for c in name + words if not c.isspace() and not unicodedata.category(c).startswith("M")}
    assert sorted(letters - covered) == [], f"{script}: no glyph for {sorted(letters - covered)}"
    if script not in ("arabic", "devanagari"):  # shaped scripts come back from pdfium in presentation forms
        assert name in read_pages(pdf)[0]


async def test_the_check_notices_a_report_typeset_without_the_script_fonts() -> None:
    bare = TypstReportRenderer(include_system_fonts=False)
    name, words = SCRIPTS["korean"]
    try:
        pdf = await bare.render(_script_report(name, words))  # type: ignore[arg-type]
    finally:
        await bare.aclose()
    assert notdef_drawn(pdf) > 0
    assert set(name.replace(" ", "")) - covered_characters(pdf)


def test_noto_fonts_are_found_in_the_standard_font_directories() -> None:
    if FONTS_MISSING:
        pytest.skip("Noto fonts are not installed: run make fonts")
    directories = discover_font_dirs()
    assert any(path.name == "noto" for path in directories)
    assert shutil.which("fc-list") is None or directories
