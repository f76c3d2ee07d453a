"""Questions and messages a candidate reads never carry a redaction placeholder."""

from __future__ import annotations

from airecruiter.domain.candidate_wording import candidate_message, candidate_questions, has_placeholder


def test_suggested_questions_are_reworded_without_placeholders_or_dropped() -> None:
    questions = [
        "What did you learn as treasurer of [AFFINITY ORGANISATION]?",
        "Which courses at [INSTITUTION] prepared you for this role?",
        "Can we reach you at [EMAIL] or [PHONE]?",
        "[NAME], why this role?",
        "How do you plan a cut-over?",
    ]

    assert candidate_questions(questions) == [
        "What did you learn as treasurer of that organisation?",
        "Which courses at your school prepared you for this role?",
        "How do you plan a cut-over?",
    ]


def test_an_interviewer_message_keeps_no_placeholder_whatever_the_model_wrote() -> None:
    message = candidate_message("Thanks [NAME]. You mentioned [PHOTO] and [YEAR]; tell me more.")

    assert not has_placeholder(message)
    assert message == "Thanks. You mentioned that and that year; tell me more."
