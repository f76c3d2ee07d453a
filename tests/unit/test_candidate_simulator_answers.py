"""The simulated candidate's answers: about the question asked, deterministic, thin only when meant to be."""

from __future__ import annotations

import random

import pytest

from airecruiter.domain.interview_rules import MAX_ANSWER_CHARS, is_thin
from airecruiter.sandbox.candidate_simulator import THIN_ANSWERS, compose_answer

QUESTIONS = (
    "The role calls for Kubernetes. What experience do you have with it, in or outside a job?",
    "Walk me through a recent piece of work where you used SQL: what was your part, and what was the result?",
    "Your résumé shows no role between March 2021 and June 2022. What were you doing in that time?",
    "A few of your roles were short. What led you to move on, and what would make you stay?",
    "Tell me about a time something went wrong at work because of a decision you made. What did you do about it?",
    "What would you want to learn or get better at in your first year as Data Analyst?",
    "How do you keep your commitments when priorities change or a deadline moves?",
    "What drew you to the Data Analyst role?",
    "Anything else?",
)


@pytest.mark.parametrize("question", QUESTIONS)
def test_full_answers_are_concrete_enough_not_to_be_thin(question: str) -> None:
    for seed in range(20):
        answer = compose_answer(question, random.Random(seed), thin=False)
        assert not is_thin(answer), answer
        assert len(answer) < MAX_ANSWER_CHARS
        follow_up = compose_answer(question, random.Random(seed), thin=False, follow_up=True)
        assert not is_thin(follow_up) and follow_up[0].isupper()


def test_thin_answers_are_thin() -> None:
    assert all(is_thin(a) for a in THIN_ANSWERS)
    assert compose_answer(QUESTIONS[0], random.Random(1), thin=True) in THIN_ANSWERS


def test_answers_speak_to_the_subject_of_the_question() -> None:
    assert "Kubernetes" in compose_answer(QUESTIONS[0], random.Random(2), thin=False)
    assert "SQL" in compose_answer(QUESTIONS[1], random.Random(2), thin=False)


def test_the_same_seed_gives_the_same_answers() -> None:
    one = [compose_answer(q, random.Random("7:jane@example.test"), thin=False) for q in QUESTIONS]
    two = [compose_answer(q, random.Random("7:jane@example.test"), thin=False) for q in QUESTIONS]
    other = [compose_answer(q, random.Random("8:jane@example.test"), thin=False) for q in QUESTIONS]
    assert one == two and one != other
