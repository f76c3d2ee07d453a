"""Candidate texts: the placeholders filled in, unknown ones refused, paragraphs, the seeded copy."""

from __future__ import annotations

import importlib

import pytest

from airecruiter.domain.candidate_texts import DEFAULT_TEXTS, check_content, paragraphs, render
from airecruiter.errors import ValidationError


def test_known_placeholders_are_filled_and_other_braces_stay() -> None:
    filled = render(
        "{role} at {company}: {contact}, {retention_days} days, {other} {}",
        {
            "role": "Data Analyst",
            "company": "Acme",
            "contact": "jobs@acme.example",
            "retention_days": 730,
        },
    )
    assert filled == "Data Analyst at Acme: jobs@acme.example, 730 days, {other} {}"


@pytest.mark.parametrize(
    ("content", "sentence"),
    [("Hi {name}", "Unknown placeholder {name}"), (" \n ", "must not be empty"), ("x" * 8001, "longer than 8000")],
)
def test_a_text_an_editor_cannot_save(content: str, sentence: str) -> None:
    with pytest.raises(ValidationError, match=sentence):
        check_content(content)


def test_paragraphs_are_separated_by_blank_lines_and_joined_within() -> None:
    assert paragraphs("One\nline.\n\n\n  Two.  \n") == ["One line.", "Two."]


def test_the_migration_seeds_the_defaults_as_they_were_written() -> None:
    migration = importlib.import_module("airecruiter.migrations.versions.0020_notice_and_candidate_texts")
    seeded = {"notice": migration._NOTICE, "invitation_ai_use": migration._INVITATION, "welcome": migration._WELCOME}
    assert seeded == dict(DEFAULT_TEXTS)
    for content in seeded.values():
        assert check_content(content) == content
