"""The interviewer reads the candidate's answers redacted, and the candidate never reads a placeholder."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.redactor import IsolatedRedactor
from airecruiter.db.prompts import seed_default_prompts
from airecruiter.ports.llm import InterviewTurn
from airecruiter.services.interview_transcript import THINKING_NOTICE
from tests.integration.interview_fixtures import FlakyLLM, interview_engine, rows, seed_interview

MOTHER = "As a mother of three, I plan every week; Jane Smith at jane.smith@example.com is me."
STALLING_ANSWER = "a.github.io" * 60 + "\n" + "| address: a " * 7615


class RecordingLLM(FlakyLLM):
    """The offline interviewer, keeping what each turn was given; `say` replaces its message."""

    def __init__(self, say: str | None = None) -> None:
        super().__init__(failures=0)
        self.say = say
        self.inputs: list[dict[str, Any]] = []

    async def interview_turn(self, **inputs: Any) -> InterviewTurn:
        self.inputs.append(inputs)
        turn = await super().interview_turn(**inputs)
        return turn.model_copy(update={"message": self.say}) if self.say and self.turns > 1 else turn


@pytest.fixture
async def prompts(db: AsyncEngine) -> AsyncEngine:
    """The emptied database with the default prompts active."""
    await seed_default_prompts(db)
    return db


async def _candidate_messages(db: AsyncEngine, interview_id: int) -> list[str]:
    found = await rows(
        db, "SELECT content FROM interview_messages WHERE interview_id = :i AND role = 'candidate'", i=interview_id
    )
    return [r.content for r in found]


async def test_the_interviewer_reads_the_answer_redacted_and_the_answer_is_kept_as_written(
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts)
    llm = RecordingLLM()
    engine = interview_engine(prompts, llm)
    await engine.start(seeded.token)
    await engine.answer(seeded.token, MOTHER)

    [answer] = [m.content for m in llm.inputs[-1]["transcript"] if m.role == "candidate"]
    assert answer == "[PERSONAL DETAIL], I plan every week; [NAME] at [EMAIL] is me."
    assert await _candidate_messages(prompts, seeded.interview_id) == [MOTHER]


async def test_a_placeholder_in_the_interviewers_message_is_reworded_before_the_candidate_reads_it(
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts, RecordingLLM(say="What did you learn as treasurer of [AFFINITY ORGANISATION]?"))
    await engine.start(seeded.token)
    state = await engine.answer(seeded.token, "I was treasurer of a student society for two years.")

    assert state.messages[-1].content == "What did you learn as treasurer of that organisation?"


async def test_an_answer_that_cannot_be_redacted_in_time_is_never_sent_and_the_reply_stays_pending(
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts)
    llm = RecordingLLM()
    slow = IsolatedRedactor(time_limit_seconds=0.05)
    try:
        engine = interview_engine(prompts, llm, redactor=slow, max_answer_chars=200_000)
        await engine.start(seeded.token)
        turns = len(llm.inputs)
        waiting = await engine.answer(seeded.token, STALLING_ANSWER)
    finally:
        await slow.aclose()

    assert len(llm.inputs) == turns  # nothing reached the interviewer
    assert (waiting.waiting_for, waiting.notice, waiting.complete) == ("interviewer", THINKING_NOTICE, False)
    assert await _candidate_messages(prompts, seeded.interview_id) == [STALLING_ANSWER.strip()]
