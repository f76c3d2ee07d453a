"""The interview engine against real PostgreSQL and the offline interviewer: what a candidate and a recruiter see."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.llm.offline_interview import FOLLOW_UP
from airecruiter.db.prompts import seed_default_prompts
from airecruiter.domain import interview_rules as rules
from airecruiter.domain.interview_rules import RateLimit
from airecruiter.services.interview_transcript import THINKING_NOTICE
from airecruiter.services.interview_views import (
    AnswerRateLimitedError,
    AnswerRejectedError,
    InterviewClosedError,
    InterviewConflictError,
    InterviewNotFoundError,
    InterviewState,
)
from airecruiter.services.interviews import InterviewEngine
from tests.integration.interview_fixtures import (
    CONTACT_EMAIL,
    FULL_ANSWERS,
    QUESTIONS,
    RECRUITER_EMAIL,
    EndlessLLM,
    FlakyLLM,
    SlowLLM,
    interview_engine,
    rows,
    seed_interview,
)


@pytest.fixture
async def prompts(db: AsyncEngine) -> AsyncEngine:
    """The emptied database with the default prompts active."""
    await seed_default_prompts(db)
    return db


async def finish(engine: InterviewEngine, token: str, answers: Iterable[str] = FULL_ANSWERS) -> InterviewState:
    """Answer (the given answers, then more full ones) until the interviewer completes the interview."""
    state = await engine.start(token)
    replies = iter(answers)
    for _ in range(30):
        if state.complete:
            return state
        state = await engine.answer(token, next(replies, FULL_ANSWERS[0]))
    raise AssertionError("the interview never completed")


async def transcript(db: AsyncEngine, interview_id: int) -> list[tuple[int, str, str]]:
    found = await rows(
        db, "SELECT seq, role, content FROM interview_messages WHERE interview_id = :i ORDER BY seq", i=interview_id
    )
    return [(r.seq, r.role, r.content) for r in found]


async def queued(db: AsyncEngine, job_type: str) -> list[int]:
    found = await rows(db, "SELECT application_id FROM queue_items WHERE job_type = :t", t=job_type)
    return [r.application_id for r in found]


async def activity_details(db: AsyncEngine, application_id: int) -> list[tuple[str, str, dict[str, object]]]:
    found = await rows(
        db,
        "SELECT actor, action, details FROM activities WHERE application_id = :a"
        " AND action LIKE 'interview%' ORDER BY id",
        a=application_id,
    )
    return [(r.actor, r.action, r.details if isinstance(r.details, dict) else json.loads(r.details)) for r in found]


def assert_well_formed(messages: list[tuple[int, str, str]]) -> None:
    """Gapless seq from 1, opened by the interviewer, never two interviewer messages in a row."""
    assert [m[0] for m in messages] == list(range(1, len(messages) + 1))
    assert messages[0][1] == "interviewer"
    assert not any(a[1] == b[1] == "interviewer" for a, b in itertools.pairwise(messages))


async def test_a_whole_interview_ends_completed_with_exactly_one_evaluation_queued(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts)

    first = await engine.start(seeded.token)
    assert (first.status, first.waiting_for, first.complete) == ("in_progress", "candidate", False)
    assert (first.position, first.company, first.candidate_first_name) == ("Backend Engineer", "Acme Logistics", "Jane")
    assert QUESTIONS[0] in first.messages[0].content
    assert first.progress == rules.Progress(question=1, of_about=4)

    final = await finish(engine, seeded.token)
    assert (final.status, final.complete, final.waiting_for) == ("completed", True, None)
    assert final.progress.question == final.progress.of_about == 4
    stored = await transcript(prompts, seeded.interview_id)
    assert_well_formed(stored)
    assert [m[2] for m in stored if m[1] == "candidate"] == list(FULL_ANSWERS)
    assert [m.content for m in final.messages] == [m[2] for m in stored]
    assert await queued(prompts, "evaluate") == [seeded.application_id]

    log = await activity_details(prompts, seeded.application_id)
    actions = [action for _, action, _ in log]
    assert actions.count("interview_started") == 1
    assert actions.count("interview_answer_received") == len(FULL_ANSWERS)
    assert actions[-1] == "interview_completed"
    assert log[-1][2]["reason"] == "interviewer" and log[-1][2]["evaluate_queued"] is True
    turns = [d for _, action, d in log if action == "interview_turn"]
    assert turns and all(d["provider"] == "offline" and d["prompt_version"] == 1 for d in turns)
    everything_logged = json.dumps([d for _, _, d in log])
    assert not any(answer[:40] in everything_logged for answer in FULL_ANSWERS)  # never the answer text

    with pytest.raises(InterviewClosedError) as closed:
        await engine.state(seeded.token)
    assert closed.value.reason == "completed"
    assert RECRUITER_EMAIL in closed.value.message
    with pytest.raises(InterviewClosedError):
        await engine.answer(seeded.token, "One more thing!")
    assert await queued(prompts, "evaluate") == [seeded.application_id]


async def test_a_thin_answer_gets_one_follow_up_and_the_progress_stays_on_that_question(
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts)
    await engine.start(seeded.token)
    after_thin = await engine.answer(seeded.token, "It went fine.")
    assert after_thin.messages[-1].content == FOLLOW_UP
    assert after_thin.progress.question == 1
    after_full = await engine.answer(seeded.token, FULL_ANSWERS[0])
    assert QUESTIONS[1] in after_full.messages[-1].content
    assert after_full.progress.question == 2
    details = [
        d for _, a, d in await activity_details(prompts, seeded.application_id) if a == "interview_answer_received"
    ]
    assert [d["thin"] for d in details] == ["too_short", None]


async def test_a_candidate_can_leave_mid_way_and_resume_where_they_left_off(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    before = interview_engine(prompts)
    await before.start(seeded.token)
    await before.answer(seeded.token, FULL_ANSWERS[0])
    left_at = await before.answer(seeded.token, FULL_ANSWERS[1])

    after = interview_engine(prompts)  # a new process, a day later
    resumed = await after.state(seeded.token)
    assert resumed.messages == left_at.messages
    assert (resumed.waiting_for, resumed.progress) == ("candidate", left_at.progress)
    assert (await after.start(seeded.token)).messages == left_at.messages  # starting again is resuming
    final = await finish(after, seeded.token, FULL_ANSWERS[2:])
    assert final.complete
    assert_well_formed(await transcript(prompts, seeded.interview_id))
    actions = [a for _, a, _ in await activity_details(prompts, seeded.application_id)]
    assert actions.count("interview_started") == 1


async def test_unknown_links_are_not_found(prompts: AsyncEngine) -> None:
    await seed_interview(prompts)
    engine = interview_engine(prompts)
    for token in ("A" * 43, "not a token", "", "x" * 500):
        with pytest.raises(InterviewNotFoundError) as error:
            await engine.state(token)
        assert "not valid" in error.value.message
        with pytest.raises(InterviewNotFoundError):
            await engine.start(token)
        with pytest.raises(InterviewNotFoundError):
            await engine.answer(token, "hello")


async def test_an_expired_link_is_closed_and_names_whom_to_contact(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts, recruiter_email=None)
    engine = interview_engine(prompts)
    await engine.start(seeded.token)
    week_later = InterviewEngine(
        engine.engine,
        engine.queue,
        engine.llm,
        clock=lambda: datetime.now(UTC) + timedelta(days=8),
        redactor=engine.redactor,
        contact_email=CONTACT_EMAIL,
    )
    for call in (
        week_later.state(seeded.token),
        week_later.start(seeded.token),
        week_later.answer(seeded.token, FULL_ANSWERS[0]),
    ):
        with pytest.raises(InterviewClosedError) as closed:
            await call
        assert closed.value.reason == "expired"
        assert "Riley Recruiter" in closed.value.message and CONTACT_EMAIL in closed.value.message

    marked = await seed_interview(prompts)
    async with prompts.begin() as conn:
        await conn.execute(text("UPDATE interviews SET status = 'expired' WHERE id = :i"), {"i": marked.interview_id})
    with pytest.raises(InterviewClosedError) as closed:
        await engine.start(marked.token)
    assert closed.value.reason == "expired" and RECRUITER_EMAIL in closed.value.message
    assert await transcript(prompts, marked.interview_id) == []


async def test_answering_before_starting_is_refused_and_stores_nothing(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts)
    state = await engine.state(seeded.token)
    assert (state.status, state.waiting_for, state.messages) == ("scheduled", "candidate", ())
    with pytest.raises(InterviewConflictError):
        await engine.answer(seeded.token, FULL_ANSWERS[0])
    assert await transcript(prompts, seeded.interview_id) == []


async def test_empty_and_over_long_answers_are_refused_before_anything_is_stored(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts)
    await engine.start(seeded.token)
    for answer in ("", "   \n\t ", "\x00", "a" * (rules.MAX_ANSWER_CHARS + 1)):
        with pytest.raises(AnswerRejectedError):
            await engine.answer(seeded.token, answer)
    assert len(await transcript(prompts, seeded.interview_id)) == 1
    accepted = await engine.answer(seeded.token, "a" * rules.MAX_ANSWER_CHARS)
    assert accepted.messages[1].content == "a" * rules.MAX_ANSWER_CHARS


async def test_racing_answers_are_taken_in_turn_the_second_is_refused_and_nothing_interleaves(
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts, SlowLLM())
    await engine.start(seeded.token)
    outcomes = await asyncio.gather(
        engine.answer(seeded.token, FULL_ANSWERS[0]),
        engine.answer(seeded.token, FULL_ANSWERS[1]),
        return_exceptions=True,
    )
    stored = await transcript(prompts, seeded.interview_id)
    assert_well_formed(stored)
    [accepted] = [m[2] for m in stored if m[1] == "candidate"]  # one question, one answer
    assert accepted in FULL_ANSWERS[:2]
    assert [m[1] for m in stored] == ["interviewer", "candidate", "interviewer"]
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], InterviewConflictError)
    assert "wait for the next question" in refused[0].message


async def test_racing_answers_through_two_processes_never_interleave_replies(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    one, other = interview_engine(prompts, SlowLLM()), interview_engine(prompts, SlowLLM())
    await one.start(seeded.token)
    for a, b in ((FULL_ANSWERS[0], FULL_ANSWERS[1]), (FULL_ANSWERS[2], FULL_ANSWERS[3])):
        outcomes = await asyncio.gather(
            one.answer(seeded.token, a), other.answer(seeded.token, b), return_exceptions=True
        )
        assert sum(isinstance(o, InterviewConflictError) for o in outcomes) == 1
    state = await one.state(seeded.token)
    stored = await transcript(prompts, seeded.interview_id)
    assert_well_formed(stored)
    assert sum(1 for m in stored if m[1] == "candidate") == 2
    assert [m[1] for m in stored] == ["interviewer", "candidate"] * 2 + ["interviewer"]
    assert [m.seq for m in state.messages] == [m[0] for m in stored]


async def test_two_starts_at_once_give_one_opening(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    one, other = interview_engine(prompts, SlowLLM()), interview_engine(prompts, SlowLLM())
    first, second = await asyncio.gather(one.start(seeded.token), other.start(seeded.token))
    assert len(await transcript(prompts, seeded.interview_id)) == 1
    assert first.messages[0].content == second.messages[0].content
    actions = [a for _, a, _ in await activity_details(prompts, seeded.application_id)]
    assert actions.count("interview_started") == 1


async def test_an_llm_failure_keeps_the_answer_and_the_next_call_recovers(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    llm = FlakyLLM(failures=0)
    engine = interview_engine(prompts, llm)
    await engine.start(seeded.token)
    llm.failures = llm.turns + 1  # the next turn fails

    waiting = await engine.answer(seeded.token, FULL_ANSWERS[0])
    assert (waiting.waiting_for, waiting.notice, waiting.complete) == ("interviewer", THINKING_NOTICE, False)
    assert waiting.retry_after_seconds and waiting.retry_after_seconds > 0
    assert waiting.messages[-1].content == FULL_ANSWERS[0]

    recovered = await engine.state(seeded.token)
    assert (recovered.waiting_for, recovered.notice) == ("candidate", None)
    assert QUESTIONS[1] in recovered.messages[-1].content
    stored = await transcript(prompts, seeded.interview_id)
    assert_well_formed(stored)
    assert [m[2] for m in stored if m[1] == "candidate"] == [FULL_ANSWERS[0]]


async def test_an_answer_sent_while_the_reply_is_missing_waits_for_the_reply(prompts: AsyncEngine) -> None:
    # Answers are taken only in turn (the hardening issue): a second answer to one question is
    # refused, the first is kept, and the next call asks the interviewer again.
    seeded = await seed_interview(prompts)
    llm = FlakyLLM(failures=0)
    engine = interview_engine(prompts, llm)
    await engine.start(seeded.token)
    llm.failures = llm.turns + 1
    await engine.answer(seeded.token, FULL_ANSWERS[0])
    with pytest.raises(InterviewConflictError, match="send this answer again"):
        await engine.answer(seeded.token, "Also: I led the on-call rota for 2 years.")
    state = await engine.start(seeded.token)
    assert state.waiting_for == "candidate"
    stored = await transcript(prompts, seeded.interview_id)
    assert [m[1] for m in stored] == ["interviewer", "candidate", "interviewer"]


async def test_a_failed_opening_is_asked_for_again(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts, FlakyLLM(failures=1))
    started = await engine.start(seeded.token)
    assert (started.status, started.messages, started.waiting_for) == ("in_progress", (), "interviewer")
    assert started.notice == THINKING_NOTICE
    resumed = await engine.start(seeded.token)
    assert resumed.waiting_for == "candidate" and len(resumed.messages) == 1


async def test_an_interviewer_that_never_finishes_is_stopped_at_the_answer_cap(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts, EndlessLLM())
    final = await finish(engine, seeded.token)
    cap = rules.answer_cap(rules.expected_questions(QUESTIONS))
    stored = await transcript(prompts, seeded.interview_id)
    assert final.complete and sum(1 for m in stored if m[1] == "candidate") == cap
    assert stored[-1][2] == rules.CLOSING_MESSAGE
    completed = [d for _, a, d in await activity_details(prompts, seeded.application_id) if a == "interview_completed"]
    assert [d["reason"] for d in completed] == ["answer_limit"]
    assert await queued(prompts, "evaluate") == [seeded.application_id]


async def test_answers_faster_than_the_rate_limit_are_refused_with_a_wait(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts, rate_limit=RateLimit(answers=2, window_seconds=60))
    await engine.start(seeded.token)
    await engine.answer(seeded.token, FULL_ANSWERS[0])
    await engine.answer(seeded.token, FULL_ANSWERS[1])
    with pytest.raises(AnswerRateLimitedError) as limited:
        await engine.answer(seeded.token, FULL_ANSWERS[2])
    assert limited.value.retry_after is not None and 1 <= limited.value.retry_after <= 60
    assert FULL_ANSWERS[2] not in [m[2] for m in await transcript(prompts, seeded.interview_id)]


async def test_markup_in_an_answer_is_stored_and_returned_verbatim(prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts, candidate_name="<b>Eve</b> O'Hara")
    engine = interview_engine(prompts)
    await engine.start(seeded.token)
    answer = '<script>alert("x")</script> & <img src=x onerror=alert(1)> at my last job I led 3 teams.'
    state = await engine.answer(seeded.token, answer)
    assert state.messages[1].content == answer
    assert state.candidate_first_name == "<b>Eve</b>"
    assert (await transcript(prompts, seeded.interview_id))[1][2] == answer


async def test_without_an_active_interview_prompt_the_candidate_is_asked_to_try_again(db: AsyncEngine) -> None:
    seeded = await seed_interview(db)  # no prompts seeded
    state = await interview_engine(db).start(seeded.token)
    assert (state.status, state.waiting_for, state.notice) == ("in_progress", "interviewer", THINKING_NOTICE)
