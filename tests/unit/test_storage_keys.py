"""Storage keys: where artifacts land, and that no uploaded name can steer them elsewhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airecruiter.errors import ValidationError
from airecruiter.ports.storage import check_key, report_key, resume_key, sanitize_filename


def test_resume_and_report_keys_follow_the_layout() -> None:
    assert resume_key(42, "Ada Lovelace CV.pdf") == "applications/42/resume/Ada_Lovelace_CV.pdf"
    assert report_key(42, "candidate-report") == "applications/42/reports/candidate-report.pdf"


def test_a_report_name_that_already_ends_in_pdf_is_not_doubled() -> None:
    assert report_key(7, "final.PDF") == "applications/7/reports/final.pdf"


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ada\\My CV.docx", "My_CV.docx"),
        ("..", "file"),
        ("", "file"),
        (".pdf", "file.pdf"),
        ("..resume..pdf", "resume.pdf"),
        ("cv\r\nBcc: x@evil.pdf", "cvBcc_x_evil.pdf"),
        ("lebenslauf-müller.pdf", "lebenslauf-müller.pdf"),
        ("résumé (final) v2.PDF", "résumé_final_v2.PDF"),
    ],
)
def test_uploaded_filenames_become_one_safe_segment(uploaded: str, stored: str) -> None:
    assert sanitize_filename(uploaded) == stored


def test_a_very_long_filename_is_shortened_but_keeps_its_extension() -> None:
    name = sanitize_filename("x" * 500 + ".docx")
    assert name.endswith(".docx")
    assert len(name) <= 120


@given(st.text())
def test_any_filename_yields_a_key_inside_the_applications_folder(filename: str) -> None:
    key = resume_key(9, filename)
    segments = key.split("/")
    assert segments[:3] == ["applications", "9", "resume"]
    assert len(segments) == 4
    assert ".." not in key
    assert check_key(key) == key


@pytest.mark.parametrize("bad_id", [0, -1, True, "12"])
def test_application_ids_must_be_positive_integers(bad_id: object) -> None:
    with pytest.raises(ValidationError):
        resume_key(bad_id, "cv.pdf")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "key",
    ["", "/etc/passwd", "applications/../../etc", "a//b", "a/./b", "a/.hidden", "a\\b", "a/b\n", "a/\x00b", "a/"],
)
def test_keys_that_could_escape_or_confuse_are_refused(key: str) -> None:
    with pytest.raises(ValidationError):
        check_key(key)


def test_an_overlong_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="at most 1024"):
        check_key("a/" + "é" * 600)
