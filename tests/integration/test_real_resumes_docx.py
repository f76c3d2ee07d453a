"""Real Word résumés published by their owners, read from the shared reference folder (never copied).

The folder `../shared/reference/resumes` sits beside the repository checkout; where it is absent the
tests skip and say so.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from airecruiter.adapters.documents import ResumeReader
from airecruiter.domain.text_hygiene import clean_characters
from airecruiter.ports.documents import DOCX, ExtractedDocument

RESUMES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "resumes"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MIN_RECALL = 0.98
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKENS = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")

pytestmark = pytest.mark.skipif(not RESUMES.is_dir(), reason=f"reference résumés not found at {RESUMES}")


def _manifest() -> dict[str, Any]:
    if not RESUMES.is_dir():
        return {}
    entries: dict[str, Any] = json.loads((RESUMES / "manifest.json").read_text(encoding="utf-8"))
    return {name: entry for name, entry in entries.items() if name.endswith(".docx")}


MANIFEST = _manifest()
NAMES = sorted(MANIFEST) or ["(none)"]


def tokens(text: str) -> Counter[str]:
    """Words (and single CJK characters), normalised alike on both sides: NFKC, hygiene, no private use."""
    text = _PRIVATE_USE.sub(" ", clean_characters(unicodedata.normalize("NFKC", text)))
    return Counter(token.casefold() for token in _TOKENS.findall(text))


def raw_text(path: Path) -> str:
    """The <w:t> text of the body (tabs and breaks as spaces), a paragraph a line, without the duplicate
    VML copies of text boxes."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    pieces = (f"{W}t", f"{W}tab", f"{W}br")
    fallback = {id(t) for box in root.iter(MC_FALLBACK) for t in box.iter(*pieces)}
    lines = []
    for paragraph in root.iter(f"{W}p"):
        own = [t for t in paragraph.iter(*pieces) if id(t) not in fallback and _paragraph_of(t) is paragraph]
        lines.append("".join(t.text or "" if t.tag == f"{W}t" else " " for t in own))
    return "\n".join(lines)


def _paragraph_of(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != f"{W}p":
        parent = parent.getparent()
    return parent


@pytest.fixture(scope="module")
def reader() -> ResumeReader:
    """Read in the calling process: these files are trusted test data."""
    return ResumeReader()


@pytest.fixture(scope="module")
def extracted(reader: ResumeReader) -> dict[str, ExtractedDocument]:
    return {name: reader.extract_sync((RESUMES / name).read_bytes(), name) for name in MANIFEST}


@pytest.mark.parametrize("name", NAMES)
def test_real_word_resume_reads_without_hidden_text_and_with_the_name(
    name: str, extracted: dict[str, ExtractedDocument]
) -> None:
    document = extracted[name]
    assert document.content_type == DOCX
    assert document.hidden == [], f"{name}: honest résumé reported as hiding text"
    assert MANIFEST[name]["name"] in document.text


@pytest.mark.parametrize("name", NAMES)
def test_real_word_resume_recalls_the_words_of_its_xml(name: str, extracted: dict[str, ExtractedDocument]) -> None:
    expected = tokens(raw_text(RESUMES / name))
    got = tokens(extracted[name].text)
    recall = sum((expected & got).values()) / max(sum(expected.values()), 1)
    missing = sorted((expected - got).elements())[:20]
    assert recall >= MIN_RECALL, f"{name}: recall {recall:.3f}, missing e.g. {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_real_word_resume_has_its_headings_in_order(name: str, extracted: dict[str, ExtractedDocument]) -> None:
    lines = [line.strip().casefold() for line in extracted[name].text.splitlines()]
    position = -1
    for heading in MANIFEST[name]["headings"]:
        found = [i for i, line in enumerate(lines) if i > position and line.startswith(heading.casefold())]
        assert found, f"{name}: heading {heading!r} missing or out of order"
        position = found[0]


def test_google_docs_layout_table_is_not_collapsed(extracted: dict[str, ExtractedDocument]) -> None:
    lines = [line for line in extracted["aakarsh.docx"].text.splitlines() if line.strip()]
    assert len(lines) >= 20
    assert "Profile" in lines and "EDUCATION" in lines


def test_shaded_heading_style_is_kept_as_text(extracted: dict[str, ExtractedDocument]) -> None:
    lines = [line.strip() for line in extracted["fr_alecsis.docx"].text.splitlines()]
    for heading in MANIFEST["fr_alecsis.docx"]["headings"]:
        assert heading in lines
