"""Redaction over real résumés: what the name makes (handles, domains, initials) goes, the rest stays.

The files are real people's published résumés, read from `../shared/reference/resumes/` beside the
repository checkout and never copied into the repository; where that directory is absent these
tests skip.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from airecruiter.adapters.documents.reader import ResumeReader
from airecruiter.domain.redaction import redact

RESUMES = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "resumes"
MANIFEST: dict[str, dict[str, Any]] = (
    json.loads((RESUMES / "manifest.json").read_text(encoding="utf-8")) if (RESUMES / "manifest.json").is_file() else {}
)
pytestmark = pytest.mark.skipif(
    not MANIFEST, reason=f"the shared reference résumés are not beside this checkout ({RESUMES.resolve()})"
)
# What each résumé derives from its author's name (handles, domains, e-mail local parts, initials).
DERIVED = {
    "deedy_openfont.pdf": ("deedydas", "debarghyadas", "debarghya", "DeedyDash007", "D. Das", "fb.co/dd", "dd367"),
    "jakegut_resume.pdf": ("afantino951", "andrew-fantino", "Andrew.Fantino", "Fantino"),
}
# English résumés the reader reads quickly, for the recall of everything that is not personal.
RECALL_SET = ("deedy_openfont.pdf", "jakegut_resume.pdf", "sb2nov_resume.pdf", "genovese.docx", "adosh.docx")
MIN_RECALL = 0.95


@cache
def _text(name: str) -> str:
    return ResumeReader(max_pages=10).extract_sync((RESUMES / name).read_bytes(), name).text


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_handles_domains_and_initials_made_from_the_name_are_gone(name: str) -> None:
    text = _text(name)
    assert all(value in text for value in DERIVED[name])  # the résumé still says what this test expects

    redacted = redact(text, candidate_name=MANIFEST[name]["name"]).text

    assert [value for value in DERIVED[name] if value.lower() in redacted.lower()] == []


@pytest.mark.parametrize("name", RECALL_SET)
def test_the_words_that_are_not_personal_survive(name: str) -> None:
    text = _text(name)
    redacted = redact(text, candidate_name=MANIFEST[name]["name"], blind_education=False).text
    # Lower-case words: skills, verbs, subjects; names, handles and places are written otherwise.
    words = [w for w in re.findall(r"(?<![\w@./-])[a-z]{4,}(?![\w@.-])", text)]
    kept = set(re.findall(r"[a-z]+", redacted))

    recall = sum(w in kept for w in words) / len(words)

    assert recall >= MIN_RECALL, sorted({w for w in words if w not in kept})
