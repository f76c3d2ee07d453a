"""The interview's turn rules: thin answers, limits, progress, the rate limit and the end of an interview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from airecruiter.domain import interview_rules as rules
from airecruiter.domain.interview_rules import CompletionReason, Progress, RateLimit, ThinReason

NOW = datetime(2025, 5, 12, 14, 0, tzinfo=UTC)
CONCRETE = (
    "At my last job I migrated our billing service to PostgreSQL 15; I planned the cut-over, rehearsed "
    "the rollback twice and we switched with ten minutes of read-only time."
)
FOLLOW_UP = "Could you make that concrete with an example?"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("Yes.", ThinReason.TOO_SHORT),
        ("It went fine, I think, most of the time anyway.", ThinReason.TOO_SHORT),
        ("Honestly I don't know what to say about that, it was all a long time ago now really.", ThinReason.EVASIVE),
        (
            "I would rather pass on this one because it does not really apply to the kind of work I do.",
            ThinReason.EVASIVE,
        ),
        (
            "I am a hard worker and a team player who always gives everything and cares a lot about quality "
            "and about the people around me.",
            ThinReason.NO_SPECIFICS,
        ),
        (CONCRETE, None),
        ("For instance, when I joined the support team the backlog was huge and I sorted it by urgency first.", None),
        ("I led the rollout of the new scheduling tool across the warehouse and trained the shift leads on it.", None),
        (" ".join(["words"] * 45), None),  # long enough to score even without a named example
    ],
)
def test_thin_answers_are_short_evasive_or_without_specifics(answer: str, reason: ThinReason | None) -> None:
    assert rules.thin_reason(answer) is reason
    assert rules.is_thin(answer) is (reason is not None)


def test_a_long_answer_that_mentions_not_knowing_is_not_evasive() -> None:
    answer = (
        "I don't know the exact figure any more, but at my last job I cut the weekly close from three days "
        "to one by scripting the reconciliation and reviewing it with the controller every Friday."
    )
    assert rules.thin_reason(answer) is None


def test_answers_are_trimmed_and_lose_control_characters_but_keep_their_markup() -> None:
    assert rules.clean_answer("  <script>alert(1)</script>\x00\n") == "<script>alert(1)</script>"
    assert rules.clean_answer("line one\r\n\tline two") == "line one\r\n\tline two"


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("", True),
        ("a" * rules.MAX_ANSWER_CHARS, False),
        ("a" * (rules.MAX_ANSWER_CHARS + 1), True),
        ("é" * rules.MAX_ANSWER_CHARS, False),  # characters, not bytes
    ],
)
def test_answers_must_be_non_empty_and_within_the_length_limit(text: str, refused: bool) -> None:
    problem = rules.answer_problem(text)
    assert (problem is not None) is refused
    if problem:
        assert problem.endswith(".")  # a sentence the candidate can act on


def test_the_length_problem_names_the_limit() -> None:
    problem = rules.answer_problem("a" * 4001)
    assert problem is not None and "4,001" in problem and "4,000" in problem


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        ([], 4),
        (["Q1?", "Q2?"], 4),
        ([f"Question {n}?" for n in range(6)], 6),
        ([f"Question {n}?" for n in range(10)], 8),
        (["Same question?", "same   question?", "  ", "Other?"], 4),
    ],
)
def test_the_expected_number_of_questions_is_the_analysis_questions_bounded_to_4_to_8(
    questions: list[str],
    expected: int,
) -> None:
    assert rules.expected_questions(questions) == expected


def test_the_answer_cap_allows_one_follow_up_per_question_and_some_slack() -> None:
    assert rules.answer_cap(4) == 10
    assert rules.answer_cap(8) == 18


def _transcript(*roles_and_texts: tuple[str, str]) -> list[tuple[rules.Role, str]]:
    return [("candidate" if r == "c" else "interviewer", t) for r, t in roles_and_texts]


def test_progress_counts_questions_and_not_follow_ups() -> None:
    assert rules.progress([], 5) == Progress(question=0, of_about=5)
    opening = _transcript(("i", "Hello! First question?"))
    assert rules.progress(opening, 5) == Progress(1, 5)
    after_thin = [*opening, *_transcript(("c", "Fine."), ("i", FOLLOW_UP))]
    assert rules.progress(after_thin, 5) == Progress(1, 5)  # the follow-up is still question 1
    next_question = [*after_thin, *_transcript(("c", "Still fine."), ("i", "Second question?"))]
    assert rules.progress(next_question, 5) == Progress(2, 5)  # one follow-up per question, then move on
    full = [*opening, *_transcript(("c", CONCRETE), ("i", "Second question?"))]
    assert rules.progress(full, 5) == Progress(2, 5)


def test_progress_never_reads_question_9_of_about_8_and_ignores_the_closing_message() -> None:
    transcript = _transcript(("i", "Q1?"))
    for n in range(2, 11):
        transcript += _transcript(("c", CONCRETE), ("i", f"Q{n}?"))
    assert rules.progress(transcript, 8) == Progress(10, 10)
    closing = [*_transcript(("i", "Q1?"), ("c", CONCRETE)), ("interviewer", rules.CLOSING_MESSAGE)]
    assert rules.progress(closing, 4, complete=True) == Progress(1, 4)


@pytest.mark.parametrize(
    ("ages", "wait"),
    [
        ([], 0),
        ([50, 40], 0),  # room for a third answer
        ([50, 40, 30], 10),  # the limit of 3 is reached until the oldest leaves the window
        ([59, 30, 1], 1),  # the oldest leaves the window in 1 s
        ([20, 10, 5], 40),
        ([90, 20, 10, 5], 40),  # answers outside the window do not count
        ([30, 25, 20, 10, 5], 40),  # over the limit (a race): wait until only 2 are left in the window
    ],
)
def test_the_rate_limit_says_how_long_to_wait(ages: list[int], wait: int) -> None:
    previous = [NOW - timedelta(seconds=age) for age in ages]
    assert rules.rate_limit_wait(previous, NOW, RateLimit(answers=3, window_seconds=60)) == wait


def test_the_rate_limit_rounds_a_partial_second_up() -> None:
    previous = [NOW - timedelta(seconds=59.5)]
    assert rules.rate_limit_wait(previous, NOW, RateLimit(answers=1, window_seconds=60)) == 1


@pytest.mark.parametrize(
    ("interviewer_complete", "answers", "reason"),
    [
        (False, 0, None),
        (False, 5, None),
        (True, 0, None),  # a model that wants to end before any answer is not obeyed
        (True, 1, CompletionReason.INTERVIEWER),
        (False, 10, CompletionReason.ANSWER_LIMIT),
        (True, 12, CompletionReason.ANSWER_LIMIT),
    ],
)
def test_an_interview_ends_when_the_interviewer_says_so_or_at_the_answer_cap(
    interviewer_complete: bool,
    answers: int,
    reason: CompletionReason | None,
) -> None:
    assert rules.completion_reason(interviewer_complete=interviewer_complete, answers=answers, cap=10) is reason


@pytest.mark.parametrize(
    ("status", "last", "waiting"),
    [
        ("scheduled", None, "candidate"),
        ("in_progress", None, "interviewer"),
        ("in_progress", "interviewer", "candidate"),
        ("in_progress", "candidate", "interviewer"),
        ("completed", "interviewer", None),
        ("expired", "candidate", None),
    ],
)
def test_whose_turn_it_is(status: str, last: rules.Role | None, waiting: str | None) -> None:
    assert rules.waiting_for(status, last) == waiting


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Jane Smith", "Jane"),
        ("Smith, Jane", "Jane"),
        ("  Ada  ", "Ada"),
        ("", ""),
        (",", ""),
    ],
)
def test_the_candidate_is_greeted_by_first_name(name: str, first: str) -> None:
    assert rules.first_name(name) == first


@pytest.mark.parametrize(
    ("token", "plausible"),
    [
        ("Xx2_-" * 9, True),
        ("short", False),
        ("a" * 129, False),
        ("has space in it.....", False),
        ("../../etc/passwd-00000", False),
    ],
)
def test_only_plausible_tokens_are_looked_up(token: str, plausible: bool) -> None:
    assert rules.plausible_token(token) is plausible
