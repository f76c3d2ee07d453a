"""The self-service interview at request time (not a queue job): start, answer, resume, complete.

A link's token is resolved by its SHA-256 hash. Every message is stored the moment it exists: the
candidate's answer in its own short transaction before the interviewer is asked, the interviewer's
reply in another, so an LLM failure never loses an answer; the next `state` or `answer` call asks
the interviewer again for the missing reply.

Concurrency: each write takes the interview's row lock (`SELECT … FOR UPDATE`), so writers take turns
and `seq` stays gapless. No lock is held while the LLM thinks: a reply is stored only if the
transcript it answered is still the latest (its *basis*); a reply overtaken by another answer is
dropped and asked for again. Within a process one interview has at most one reply in flight;
concurrent requests wait on it together.

Completion (the interviewer's `complete`, or the answer cap of `domain.interview_rules`) marks the
interview completed and queues `evaluate` in the same transaction.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from functools import partial

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.analyses import latest_analysis
from airecruiter.db.interview_sessions import InterviewSession, interview_session, lock_interview, recent_answer_times
from airecruiter.db.interviews import (
    InterviewRecord,
    append_message,
    interview_by_id,
    mark_interview_completed,
    mark_interview_started,
    messages,
)
from airecruiter.db.prompts import active_prompt
from airecruiter.domain import interview_rules as rules
from airecruiter.domain.activity_details import (
    ActivityDetails,
    InterviewAnswerReceived,
    InterviewCompleted,
    InterviewStarted,
    InterviewTurn,
)
from airecruiter.domain.candidate_wording import candidate_message, candidate_questions
from airecruiter.domain.interview_tokens import hash_interview_token
from airecruiter.domain.jobs import JobType
from airecruiter.domain.statuses import InterviewStatus
from airecruiter.errors import ConfigurationError, LLMError, ParseError, describe
from airecruiter.ports.llm import LLM, AIRun
from airecruiter.ports.redaction import TextRedactor
from airecruiter.queue.manager import QueueManager
from airecruiter.services.interview_transcript import Snapshot, state_of
from airecruiter.services.interview_views import (
    AnswerRateLimitedError,
    AnswerRejectedError,
    Contact,
    InterviewClosedError,
    InterviewConflictError,
    InterviewNotFoundError,
    InterviewState,
)
from airecruiter.services.transcript_redaction import redacted_transcript

log = structlog.get_logger(__name__)

ENGINE_ACTOR = "interview_engine"
CANDIDATE_ACTOR = "candidate"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Turn(Enum):
    DONE = "done"  # the reply is stored, or none was needed
    STALE = "stale"  # another answer overtook the transcript the reply was for


def _token_ref(token_hash: str) -> str:
    """What logs may show of a link: the first characters of its hash, never the token."""
    return token_hash[:6]


class InterviewEngine:
    """Start, answer and resume interviews by their link's token; safe under concurrent requests."""

    def __init__(
        self,
        engine: AsyncEngine,
        queue: QueueManager,
        llm: LLM,
        clock: Callable[[], datetime] = _utc_now,
        *,
        redactor: TextRedactor,
        company_name: str = "AIRecruiter",
        contact_name: str = "the recruiting team",
        contact_email: str | None = None,
        rate_limit: rules.RateLimit | None = None,
        max_answer_chars: int = rules.MAX_ANSWER_CHARS,
        turn_timeout: float = 120.0,
    ) -> None:
        self.engine, self.queue, self.llm, self.clock = engine, queue, llm, clock
        self.redactor = redactor
        self.company_name = company_name
        self.contact_name, self.contact_email = contact_name, contact_email
        self.rate_limit = rate_limit or rules.RateLimit()
        self.max_answer_chars = max_answer_chars
        self.turn_timeout = turn_timeout
        self._flights: dict[int, asyncio.Task[_Turn]] = {}

    # --- the three requests -----------------------------------------------------------------------

    async def state(self, token: str) -> InterviewState:
        """The interview as the candidate left it; asks the interviewer again for a reply that is missing."""
        session = await self._open(token)
        return await self._with_reply(session)

    async def start(self, token: str) -> InterviewState:
        """`scheduled` → `in_progress` with the interviewer's first message; starting again resumes."""
        session = await self._open(token)
        if session.interview.status == InterviewStatus.SCHEDULED:
            async with self.engine.begin() as conn:
                interview = await self._locked_open(conn, session)
                started = None
                if interview.status == InterviewStatus.SCHEDULED:  # else another request started it just now
                    started = await mark_interview_started(conn, interview_id=interview.id, at=self.clock())
                    assert started is not None  # the row is locked and was scheduled
                    await self._record(conn, session, CANDIDATE_ACTOR, InterviewStarted(session.interview.id))
            session = dataclasses.replace(session, interview=started or interview)
            if started is not None:
                log.info("interview_started", **self._log_fields(session))
        return await self._with_reply(session)

    async def answer(self, token: str, text: str) -> InterviewState:
        """Store the candidate's answer, then the interviewer's reply (or a retryable waiting state)."""
        answer = rules.clean_answer(text)
        problem = rules.answer_problem(answer, max_chars=self.max_answer_chars)
        if problem:
            raise AnswerRejectedError(problem)
        session = await self._open(token)
        async with self.engine.begin() as conn:
            interview = await self._locked_open(conn, session)
            if interview.status == InterviewStatus.SCHEDULED:
                raise InterviewConflictError(
                    "The interview has not started yet. Start it, then answer the first question."
                )
            await self._check_room(conn, interview)
            stored = await append_message(conn, interview_id=interview.id, role="candidate", content=answer)
            thin = rules.thin_reason(answer)
            await self._record(
                conn,
                session,
                CANDIDATE_ACTOR,
                InterviewAnswerReceived(
                    interview_id=session.interview.id,
                    seq=stored.seq,
                    characters=len(answer),
                    words=rules.word_count(answer),
                    thin=thin.value if thin else None,
                ),
            )
        log.info("interview_answer_received", seq=stored.seq, characters=len(answer), **self._log_fields(session))
        return await self._with_reply(dataclasses.replace(session, interview=interview))

    # --- opening a link ---------------------------------------------------------------------------

    async def _open(self, token: str) -> InterviewSession:
        if not rules.plausible_token(token):
            raise InterviewNotFoundError()
        async with self.engine.connect() as conn:
            session = await interview_session(conn, token_hash=hash_interview_token(token))
        if session is None:
            raise InterviewNotFoundError()
        self._check_open(session, session.interview)
        return session

    def _contact(self, session: InterviewSession) -> Contact:
        return Contact(session.recruiter_name or self.contact_name, session.recruiter_email or self.contact_email)

    def _check_open(self, session: InterviewSession, interview: InterviewRecord) -> None:
        if session.application_status == "human_review":
            raise InterviewClosedError("human_review", self._contact(session), None)
        if interview.status == InterviewStatus.COMPLETED:
            raise InterviewClosedError("completed", self._contact(session), interview.completed_at)
        if interview.status == InterviewStatus.EXPIRED or self.clock() >= interview.expires_at:
            raise InterviewClosedError("expired", self._contact(session), interview.expires_at)

    async def _locked_open(self, conn: AsyncConnection, session: InterviewSession) -> InterviewRecord:
        """The interview row locked, checked again now that no one else can change it."""
        interview = await lock_interview(conn, interview_id=session.interview.id)
        if interview is None:
            raise InterviewNotFoundError()
        self._check_open(session, interview)
        return interview

    async def _check_room(self, conn: AsyncConnection, interview: InterviewRecord) -> None:
        """Refuse an answer out of turn, over the answer cap or faster than the rate limit."""
        analysis = await latest_analysis(conn, application_id=interview.application_id)
        cap = rules.answer_cap(rules.expected_questions(analysis.suggested_questions if analysis else []))
        transcript = await messages(conn, interview_id=interview.id)
        # The row lock makes concurrent answers take turns; only the first finds a question waiting.
        if not transcript or transcript[-1].role != "interviewer":
            raise InterviewConflictError(
                "Your previous answer was saved and the interviewer has not replied to it yet: wait for the next "
                "question, then send this answer again (reload the page if the question does not appear)."
            )
        if sum(1 for m in transcript if m.role == "candidate") >= cap:
            raise InterviewConflictError(
                "The interview already has all the answers it needs and is closing; reload the page to see its end."
            )
        now, answered = await recent_answer_times(
            conn, interview_id=interview.id, window_seconds=self.rate_limit.window_seconds
        )
        wait = rules.rate_limit_wait(answered, now, self.rate_limit)
        if wait:
            raise AnswerRateLimitedError(
                f"You are sending answers faster than the interview accepts them. Wait {wait} seconds, "
                "then send your answer again; nothing you sent before is lost.",
                retry_after=wait,
            )

    # --- the interviewer's reply ------------------------------------------------------------------

    async def _snapshot(self, session: InterviewSession) -> Snapshot:
        async with self.engine.connect() as conn:
            interview = await interview_by_id(conn, interview_id=session.interview.id)
            transcript = await messages(conn, interview_id=session.interview.id)
            analysis = await latest_analysis(conn, application_id=session.interview.application_id)
        if interview is None:
            raise InterviewNotFoundError()
        questions = candidate_questions(analysis.suggested_questions) if analysis else []
        return Snapshot(interview, transcript, questions)

    async def _with_reply(self, session: InterviewSession) -> InterviewState:
        """The state after making sure the interviewer replied to the latest answer (or saying it is pending)."""
        snapshot = await self._snapshot(session)
        if snapshot.waiting_for != "interviewer":
            return state_of(
                session,
                snapshot,
                company=self.company_name,
                contact=self._contact(session),
                max_answer_chars=self.max_answer_chars,
            )
        try:
            await self._reply(session)
        except Exception as exc:  # whatever went wrong, the answer is stored and the reply is asked for again
            level = log.warning if isinstance(exc, LLMError | TimeoutError | ParseError) else log.error
            level("interview_reply_failed", error=describe(exc), **self._log_fields(session))
        return state_of(
            session,
            await self._snapshot(session),
            company=self.company_name,
            contact=self._contact(session),
            max_answer_chars=self.max_answer_chars,
        )

    async def _reply(self, session: InterviewSession) -> None:
        """Wait for the interviewer's reply, sharing one in-flight request per interview in this process."""
        interview_id = session.interview.id
        for _ in range(3):
            flight = self._flights.get(interview_id)
            if flight is None:
                flight = asyncio.create_task(self._next_turn(session))
                self._flights[interview_id] = flight
                flight.add_done_callback(partial(self._landed, interview_id))
            # Shielded: a candidate who closes the tab does not cancel a reply others may be waiting on.
            if await asyncio.shield(flight) is _Turn.DONE:
                return

    def _landed(self, interview_id: int, flight: asyncio.Task[_Turn]) -> None:
        if self._flights.get(interview_id) is flight:
            del self._flights[interview_id]
        if not flight.cancelled():
            flight.exception()  # retrieved here, so a failure nobody awaited is not reported as lost

    async def _next_turn(self, session: InterviewSession) -> _Turn:
        snapshot = await self._snapshot(session)
        if snapshot.waiting_for != "interviewer":
            return _Turn.DONE
        cap = rules.answer_cap(rules.expected_questions(snapshot.suggested_questions))
        reason = rules.completion_reason(interviewer_complete=False, answers=snapshot.answers, cap=cap)
        if reason is not None:
            return await self._store_turn(session, snapshot.basis, rules.CLOSING_MESSAGE, reason, None)
        message, complete, run = await self._ask_interviewer(session, snapshot)
        reason = rules.completion_reason(interviewer_complete=complete, answers=snapshot.answers, cap=cap)
        if reason is not None:
            message = message or rules.CLOSING_MESSAGE
        if not message:
            raise LLMError("The interviewer ended the interview before the candidate answered, with no message.")
        return await self._store_turn(session, snapshot.basis, message, reason, run)

    async def _ask_interviewer(self, session: InterviewSession, snapshot: Snapshot) -> tuple[str | None, bool, AIRun]:
        prompt = await active_prompt(self.engine, prompt_type="interview", requisition_id=session.requisition_id)
        if prompt is None:
            raise ConfigurationError("No interview prompt is active; activate one on the admin console's prompts page.")
        # A redaction that fails or runs out of time raises (ParseError): nothing is sent, the answer
        # stays stored and the candidate's page says the reply is pending, to be asked for again.
        transcript = await redacted_transcript(
            self.redactor, snapshot.transcript, candidate_name=session.candidate_name
        )
        turn = await asyncio.wait_for(
            self.llm.interview_turn(
                prompt=prompt.template_content,
                prompt_version=prompt.version,
                job_title=session.position,
                job_description=session.job_description,
                suggested_questions=snapshot.suggested_questions,
                transcript=transcript,
            ),
            timeout=self.turn_timeout,
        )
        # The interviewer read redacted answers; the candidate never reads a placeholder.
        message = candidate_message((turn.message or "").strip()) or None
        return message, turn.complete, turn.run

    async def _store_turn(
        self,
        session: InterviewSession,
        basis: int,
        message: str,
        reason: rules.CompletionReason | None,
        run: AIRun | None,
    ) -> _Turn:
        async with self.engine.begin() as conn:
            interview = await lock_interview(conn, interview_id=session.interview.id)
            if interview is None or interview.status != InterviewStatus.IN_PROGRESS:
                return _Turn.DONE  # completed (or gone) meanwhile: nothing left to reply to
            latest = await messages(conn, interview_id=interview.id)
            if (latest[-1].seq if latest else 0) != basis:
                return _Turn.STALE
            stored = await append_message(conn, interview_id=interview.id, role="interviewer", content=message)
            if run is not None:
                await self._record(
                    conn,
                    session,
                    ENGINE_ACTOR,
                    InterviewTurn(
                        interview_id=session.interview.id,
                        seq=stored.seq,
                        provider=run.provider,
                        model=run.model,
                        prompt_version=run.prompt_version,
                        input_hash=run.input_sha256 or None,
                    ),
                )
            if reason is not None:
                await self._complete(
                    conn, session, interview, reason, answers=sum(1 for m in latest if m.role == "candidate")
                )
        return _Turn.DONE

    async def _complete(
        self,
        conn: AsyncConnection,
        session: InterviewSession,
        interview: InterviewRecord,
        reason: rules.CompletionReason,
        *,
        answers: int,
    ) -> None:
        """Mark the interview completed and queue its evaluation, in the caller's transaction."""
        await mark_interview_completed(conn, interview_id=interview.id, at=self.clock())
        queued = await self.queue.enqueue(
            JobType.EVALUATE, application_id=interview.application_id, conn=conn, enqueued_by=ENGINE_ACTOR
        )
        await self._record(
            conn,
            session,
            ENGINE_ACTOR,
            InterviewCompleted(
                interview_id=session.interview.id,
                reason=reason.value,
                answers=answers,
                evaluate_queued=queued.created,
            ),
        )
        log.info("interview_completed", reason=reason.value, answers=answers, **self._log_fields(session))

    # --- helpers ----------------------------------------------------------------------------------

    async def _record(
        self, conn: AsyncConnection, session: InterviewSession, actor: str, details: ActivityDetails
    ) -> None:
        """An activity entry about the interview; never the answer's text."""
        await record_activity(
            conn,
            actor=actor,
            requisition_id=session.requisition_id,
            application_id=session.interview.application_id,
            details=details,
        )

    @staticmethod
    def _log_fields(session: InterviewSession) -> dict[str, object]:
        return {
            "interview_id": session.interview.id,
            "application_id": session.interview.application_id,
            "token_ref": _token_ref(session.interview.token_hash),
        }
