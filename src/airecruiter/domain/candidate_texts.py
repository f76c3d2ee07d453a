"""The texts candidates read about the AI: the notice, the invitation's AI-use paragraph, the welcome page.

Versioned and edited in the console like prompts. A text is plain text with a small, fixed set of
placeholders; every surface escapes the rendered text, so an editor cannot inject markup.
Paragraphs are separated by a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails
from airecruiter.errors import ValidationError

TEXT_KINDS = ("notice", "invitation_ai_use", "welcome")
KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "notice": "Advance notice email",
        "invitation_ai_use": "Invitation: how the AI is used",
        "welcome": "Interview welcome page",
    }
)
PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        "role": "the job title",
        "company": "the company name",
        "contact": "the recruiting contact's email address",
        "retention_days": "how many days the data is kept",
    }
)
MAX_TEXT = 8000
DEFAULT_RETENTION_DAYS = 730  # RETENTION_DAYS's default; callers pass the configured value

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

DEFAULT_TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "notice": (
            "Before anything else happens with your application for {role} at {company}, we want you to "
            "know how we use an automated tool (AI) in our hiring process.\n\n"
            "What the AI assesses: how your experience, skills and qualifications match the requirements "
            "of the job description, and later, if you take the online interview, your answers to its "
            "questions. It gives our recruiters a summary and a recommendation; a person makes every "
            "decision.\n\n"
            "What data it uses: your résumé and, if you take the interview, your written answers. Your "
            "name, contact details, photo and the names of schools are removed before the AI reads "
            "anything. It never uses age, gender, ethnicity or other protected characteristics.\n\n"
            "How long we keep it: up to {retention_days} days after your last contact with us, unless the "
            "law asks us to keep it longer; you may ask us for a copy or to delete it at any time.\n\n"
            "Your choice: you can ask to be assessed by a person instead of the AI, or ask for an "
            "accommodation, using the link below or by writing to {contact}. Nothing automated happens "
            "with your application until the notice period has passed."
        ),
        "invitation_ai_use": (
            "Please note: this interview is conducted by an AI interviewer, not by a person. Your answers "
            "are reviewed by our recruiting team, and a person makes every decision. If you would prefer "
            "to be assessed by a person, or need an accommodation, reply to this email "
            "or write to {contact} and we will arrange a human alternative."
        ),
        "welcome": (
            "This interview for {role} at {company} is conducted by an AI interviewer. It asks you a few "
            "questions about your experience. Our recruiting team reads your answers, and a person makes "
            "every decision about your application. Your answers are kept for up to {retention_days} days "
            "after your last "
            "contact with us. If you would rather be assessed by a person, or need an accommodation, "
            "write to {contact}."
        ),
    }
)


def check_kind(kind: str) -> str:
    """`kind` when it is one of the candidate texts."""
    if kind not in TEXT_KINDS:
        raise ValidationError(f"There is no candidate text of kind {kind!r}.")
    return kind


def check_content(content: str) -> str:
    """The text, stripped, when it is not empty, not too long and uses only the known placeholders."""
    text = content.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError("The text must not be empty.")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"The text is longer than {MAX_TEXT} characters.")
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise ValidationError(f"Unknown placeholder {{{unknown[0]}}}: the text may use {known}.")
    return text


def render(content: str, values: Mapping[str, object]) -> str:
    """The text with each known placeholder filled in; any other brace stays as written."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name]) if name in PLACEHOLDERS and name in values else match.group(0)

    return _PLACEHOLDER.sub(fill, content)


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (separated by blank lines), each on one line."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


@dataclass(frozen=True, slots=True)
class CandidateTextVersionCreated(ActivityDetails):
    ACTION: ClassVar[str] = "candidate_text_version_created"
    kind: str
    version: int


@dataclass(frozen=True, slots=True)
class CandidateTextActivated(ActivityDetails):
    ACTION: ClassVar[str] = "candidate_text_activated"
    kind: str
    version: int
