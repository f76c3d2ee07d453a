"""The interview's turn rules: answer limits, thin answers, progress, the rate limit and when it ends.

The interviewer (the LLM) asks the questions and decides when it has heard enough; these rules
are what holds whatever the model does: an answer is a bounded piece of text, a candidate cannot
flood the interviewer, and every interview ends after a bounded number of answers.

Thin answers: an answer is *thin* when it is too short (fewer than `THIN_MIN_WORDS` words), evasive
(a non-answer such as "I don't know" or "no comment" in under `EVASIVE_MAX_WORDS` words), or general
(fewer than `SPECIFIC_MIN_WORDS` words with no specific in it: no number, no example phrase such as
"for example" / "when I" / "at my last job", and no first-person action verb such as "I led").
The interviewer follows up once on a thin answer; the progress count uses the same rule to tell a
follow-up from the next question.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

Role = Literal["interviewer", "candidate"]

MAX_ANSWER_CHARS = 4000
MIN_EXPECTED_QUESTIONS = 4
MAX_EXPECTED_QUESTIONS = 8
# Each question may take one follow-up; two more answers of slack (a candidate's own question, a
# "sorry, I meant...") before the interview is closed regardless of what the interviewer says.
FOLLOW_UPS_PER_QUESTION = 1
SLACK_ANSWERS = 2

THIN_MIN_WORDS = 12
EVASIVE_MAX_WORDS = 25
SPECIFIC_MIN_WORDS = 40

CLOSING_MESSAGE = (
    "Thank you, that brings us to the end of the interview. Your answers have been saved, and the hiring "
    "team will review them and be in touch about the next steps."
)

_EVASIVE = re.compile(
    r"\b(?:i\s+(?:really\s+)?(?:don'?t|do\s+not)\s+know|no\s+idea|not\s+sure|(?:can'?t|cannot|don'?t)\s+"
    r"(?:remember|recall|say)|no\s+comment|nothing\s+to\s+(?:say|add)|prefer\s+not\s+to\s+(?:say|answer)|"
    r"pass|skip|n/?a|whatever|it\s+depends)\b",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(
    r"\b(?:for\s+(?:example|instance)|such\s+as|when\s+I|when\s+we|one\s+time|once|last\s+(?:year|month|week)|"
    r"at\s+my\s+(?:last|previous|current)|in\s+my\s+(?:last|previous|current)|we\s+had|my\s+team)\b",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"\bI\s+(?:led|built|wrote|designed|fixed|migrated|reduced|improved|organi[sz]ed|managed|handled|trained|"
    r"created|launched|delivered|shipped|automated|negotiated|resolved|analy[sz]ed|implemented|set\s+up|ran|"
    r"planned|owned|introduced|mentored|coached|rolled\s+back)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
# C0 controls other than tab, line feed and carriage return: PostgreSQL text cannot hold NUL, and
# none of the others is something a person types.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ThinReason(StrEnum):
    """Why an answer counts as thin."""

    TOO_SHORT = "too_short"
    EVASIVE = "evasive"
    NO_SPECIFICS = "no_specifics"


def word_count(text: str) -> int:
    """Whitespace-separated words in `text`."""
    return len(text.split())


def thin_reason(answer: str) -> ThinReason | None:
    """Why the answer is thin (see the module docstring), or None when it is substantial enough."""
    words = word_count(answer)
    if words < THIN_MIN_WORDS:
        return ThinReason.TOO_SHORT
    if words < EVASIVE_MAX_WORDS and _EVASIVE.search(answer):
        return ThinReason.EVASIVE
    if words < SPECIFIC_MIN_WORDS and not (_DIGIT.search(answer) or _EXAMPLE.search(answer) or _ACTION.search(answer)):
        return ThinReason.NO_SPECIFICS
    return None


def is_thin(answer: str) -> bool:
    """Whether the answer is thin enough to deserve one follow-up."""
    return thin_reason(answer) is not None


def clean_answer(text: str) -> str:
    """The answer as stored: control characters other than tab and line breaks removed, ends trimmed."""
    return _CONTROL.sub("", text).strip()


def answer_problem(text: str, *, max_chars: int = MAX_ANSWER_CHARS) -> str | None:
    """A sentence telling the candidate what is wrong with a (cleaned) answer, or None when it is fine."""
    if not text:
        return "Your answer is empty. Write your answer in the box, then send it."
    if len(text) > max_chars:
        return (
            f"Your answer is {len(text):,} characters long; the limit is {max_chars:,}. "
            "Shorten it, or split it over two messages, then send it again."
        )
    return None


def expected_questions(suggested_questions: Sequence[str]) -> int:
    """About how many questions the interview has: the analysis's distinct questions, bounded to 4–8."""
    distinct = {" ".join(q.split()).casefold() for q in suggested_questions if q.strip()}
    return max(MIN_EXPECTED_QUESTIONS, min(MAX_EXPECTED_QUESTIONS, len(distinct)))


def answer_cap(expected: int) -> int:
    """The most answers an interview takes before it is closed whatever the interviewer says."""
    return expected * (1 + FOLLOW_UPS_PER_QUESTION) + SLACK_ANSWERS


@dataclass(frozen=True)
class Progress:
    """Where the candidate is: question `question` of about `of_about` (0 before the first question)."""

    question: int
    of_about: int


def progress(transcript: Sequence[tuple[Role, str]], expected: int, *, complete: bool = False) -> Progress:
    """Which question the candidate is on, counting an interviewer message after a thin answer as its follow-up.

    At most one follow-up per question is assumed, as the interviewer is told. The closing message
    of a complete interview is not a question.
    """
    messages = list(transcript)
    if complete and messages and messages[-1][0] == "interviewer":
        messages = messages[:-1]
    question, last_thin, followed_up = 0, False, False
    for role, content in messages:
        if role == "candidate":
            last_thin = is_thin(content)
            continue
        if question and last_thin and not followed_up:
            followed_up = True
        else:
            question += 1
            followed_up = False
        last_thin = False
    return Progress(question=question, of_about=max(expected, question))


@dataclass(frozen=True)
class RateLimit:
    """At most `answers` answers per token in any `window_seconds`."""

    answers: int = 10
    window_seconds: float = 60.0


def rate_limit_wait(previous: Sequence[datetime], now: datetime, rule: RateLimit) -> int:
    """Whole seconds the candidate must wait before the next answer is accepted; 0 when it is accepted now.

    `previous` are the times of earlier answers (any order; those outside the window are ignored).
    """
    recent = sorted(t for t in previous if (now - t).total_seconds() < rule.window_seconds)
    if len(recent) < rule.answers:
        return 0
    # The answer that must leave the window before one more fits in it.
    blocking = recent[len(recent) - rule.answers]
    remaining = rule.window_seconds - (now - blocking).total_seconds()
    return max(1, math.ceil(remaining))


class CompletionReason(StrEnum):
    """Why an interview ended."""

    INTERVIEWER = "interviewer"  # the interviewer said it is complete
    ANSWER_LIMIT = "answer_limit"  # the hard cap of answers was reached


def completion_reason(*, interviewer_complete: bool, answers: int, cap: int) -> CompletionReason | None:
    """Whether the interview ends now, and why: the interviewer's word counts once the candidate has answered."""
    if answers >= cap:
        return CompletionReason.ANSWER_LIMIT
    if interviewer_complete and answers > 0:
        return CompletionReason.INTERVIEWER
    return None


def first_name(full_name: str) -> str:
    """The name to greet the candidate by: the first word, or the part after the comma of "Last, First"."""
    last, _, rest = full_name.partition(",")
    words = rest.split() or last.split()
    return words[0] if words else ""


Waiting = Literal["candidate", "interviewer"]


def waiting_for(status: str, last_role: Role | None) -> Waiting | None:
    """Whose turn it is: the candidate's to start or answer, the interviewer's to reply; None once it ended."""
    if status == "scheduled":
        return "candidate"
    if status != "in_progress":
        return None
    return "candidate" if last_role == "interviewer" else "interviewer"


_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


def plausible_token(token: str) -> bool:
    """Whether `token` could be an interview link's token at all (URL-safe base64, sane length)."""
    return bool(_TOKEN.fullmatch(token))
