"""A candidate simulator: finds the invitations in the outbox and takes each interview over HTTP.

It reads the `.eml` files the outbox mailer wrote, takes each link `{FRONTEND_URL}/interview/{token}`
from the plain-text part, and answers through the same JSON endpoints the interview page uses
(`/api/interview/{token}`, `/start`, `/answers`) until the interviewer says the interview is
complete. Answers are built from each question's topic, deterministic for a given seed and
candidate; about `thin_share` of them are deliberately thin ("It went fine.") so the interviewer's
follow-up path runs, and the answer after a thin one is always a full one. It honours `Retry-After`
on 429 and waits while the interviewer is thinking.

Only httpx and the standard library: the simulator is a client from outside, like a browser.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

import httpx

Result = Literal["completed", "closed", "unknown", "stuck", "failed"]

THIN_ANSWERS = (
    "It went fine, I think.",
    "Yes, I have done that before.",
    "I just try my best.",
    "Not much to say about that really.",
    "I don't really know.",
    "Pretty well, usually.",
)
_SUBJECT = re.compile(
    r"(?:calls for|where you used|experience (?:with|of|in)|using|work with)\s+([^.:?;!]+)", re.IGNORECASE
)
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gap", re.compile(r"no role between|gap|that time", re.IGNORECASE)),
    ("short_roles", re.compile(r"roles were short|move on|make you stay", re.IGNORECASE)),
    ("mistake", re.compile(r"went wrong|mistake|fail|problem|difficult|conflict", re.IGNORECASE)),
    ("learning", re.compile(r"learn|get better|grow|improve|feedback", re.IGNORECASE)),
    ("reliability", re.compile(r"deadline|priorit|commitment|pressure|schedule", re.IGNORECASE)),
    ("motivation", re.compile(r"drew you|why (?:do|did|are)|interest|motivat", re.IGNORECASE)),
    ("work", re.compile(r"walk me through|piece of work|proud|project|result", re.IGNORECASE)),
    ("experience", re.compile(r"experience|have you|familiar", re.IGNORECASE)),
)
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "experience": (
        "I have worked with {subject} for about {years} years. At my last job I used it every week on {thing}, "
        "and I trained {people} colleagues on it when our team grew.",
        "Yes: in my previous role {subject} was part of my daily work for {years} years. For example, I {verb} "
        "{thing} with it and cut the time it took by {percent}%.",
    ),
    "work": (
        "Last year I {verb} {thing} using {subject}. My part was the plan and most of the build; we shipped it "
        "in {weeks} weeks and it reduced manual work by about {percent}%.",
        "At my last job I owned {thing}. I {verb} it with {subject}, checked the numbers with the team every "
        "Friday, and after {weeks} weeks the error rate was down {percent}%.",
    ),
    "mistake": (
        "Once I pushed a change to {thing} without enough testing and it failed for {people} customers. I rolled "
        "it back within the hour, apologised, wrote up what happened and added the check that would have caught "
        "it. I learned to ask for a second review on risky changes.",
        "At my previous job I misjudged how long {thing} would take and we missed the first date by {weeks} weeks. "
        "I told my manager as soon as I saw it, split the work so {people} of us could share it, and since then I "
        "plan with a buffer and say early when a date is at risk.",
    ),
    "learning": (
        "I would like to get better at {subject} and at planning larger pieces of work. I am taking a course at the "
        "moment and I ask for feedback after every project; in my last role that helped me lead {thing}.",
        "In my first year I want to learn how the team runs {thing} and go deeper into {subject}. I learn best by "
        "doing: I would pair with a colleague for {weeks} weeks and then take over one part myself.",
    ),
    "reliability": (
        "I keep a written list of what I promised to whom and review it every morning. When a deadline moves I "
        "say so early; at my last job that meant we renegotiated {thing} {weeks} weeks ahead instead of missing it.",
    ),
    "motivation": (
        "The role matches what I have done for {years} years and what I want to do more of, especially {subject}. "
        "At my last job I enjoyed {thing} most, and this team does that every day.",
    ),
    "gap": (
        "In that time I cared for a family member and took two courses, one in {subject}. I also did {weeks} "
        "weeks of volunteer work on {thing}, which kept my skills current.",
    ),
    "short_roles": (
        "Two of those were fixed-term contracts that ended as planned, and one company closed its office. I "
        "stay where I can learn and own my work; I was at my longest job for {years} years.",
    ),
    "general": (
        "At my last job I {verb} {thing}; it took {weeks} weeks and involved {people} people. I would bring the "
        "same approach here: understand the problem first, agree what done means, then deliver in small steps.",
    ),
}
_THINGS = (
    "the monthly reporting process",
    "our customer onboarding",
    "the warehouse picking schedule",
    "the billing service",
    "the support ticket triage",
    "our release checklist",
)
_VERBS = ("led", "built", "organised", "improved", "automated", "redesigned")
_FALLBACK_SUBJECTS = ("the tools the team uses", "this kind of work", "the core of this role")
_FOLLOW_UP_OPENING = ("To give a concrete example, ", "Sure. More specifically, ", "For example, ")


@dataclass(frozen=True)
class Invitation:
    """One interview link found in the outbox."""

    token: str
    recipient: str
    candidate_name: str
    source: Path

    @property
    def token_ref(self) -> str:
        """What reports may show of the link: the first characters of the token's hash."""
        return hashlib.sha256(self.token.encode()).hexdigest()[:6]


@dataclass(frozen=True)
class InterviewOutcome:
    """How one simulated interview went."""

    token_ref: str
    recipient: str
    result: Result
    answers_sent: int
    thin_answers: int
    detail: str = ""


@dataclass
class SimulationSummary:
    """What a simulator run did, interview by interview."""

    outcomes: list[InterviewOutcome] = field(default_factory=list)

    @property
    def interviews_completed(self) -> int:
        """Interviews this run took to the end."""
        return sum(1 for o in self.outcomes if o.result == "completed")

    @property
    def answers_sent(self) -> int:
        """Answers the interview accepted, over all interviews."""
        return sum(o.answers_sent for o in self.outcomes)

    def as_dict(self) -> dict[str, Any]:
        """Counts by result, for a CLI's table or JSON."""
        counts = {
            result: sum(1 for o in self.outcomes if o.result == result)
            for result in ("completed", "closed", "unknown", "stuck", "failed")
        }
        return {"invitations": len(self.outcomes), "answers_sent": self.answers_sent, **counts}


def _plain_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return str(body.get_content()) if body is not None else ""


def find_invitations(outbox: Path | str, frontend_url: str) -> list[Invitation]:
    """Every distinct interview link in the outbox's `.eml` files, in file-name order."""
    link = re.compile(re.escape(frontend_url.rstrip("/")) + r"/interview/([A-Za-z0-9_-]{16,128})")
    found: dict[str, Invitation] = {}
    for path in sorted(Path(outbox).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)  # the default policy builds EmailMessage objects
        to = message["To"]
        address = to.addresses[0] if to is not None and to.addresses else None
        for match in link.finditer(_plain_text(message)):
            token = match.group(1)
            if token not in found:
                found[token] = Invitation(
                    token=token,
                    recipient=address.addr_spec if address else "",
                    candidate_name=address.display_name if address else "",
                    source=path,
                )
    return list(found.values())


def _topic(question: str) -> str:
    return next((name for name, pattern in _TOPICS if pattern.search(question)), "general")


def compose_answer(question: str, rng: random.Random, *, thin: bool, follow_up: bool = False) -> str:
    """A plausible answer to `question`: a thin one, or a concrete one with numbers and an example."""
    if thin:
        return rng.choice(THIN_ANSWERS)
    found = _SUBJECT.search(question)
    subject = found.group(1).strip() if found else rng.choice(_FALLBACK_SUBJECTS)
    template = rng.choice(_TEMPLATES[_topic(question)])
    text = template.format(
        subject=subject[:80],
        thing=rng.choice(_THINGS),
        verb=rng.choice(_VERBS),
        years=rng.randint(2, 9),
        people=rng.randint(3, 12),
        percent=rng.choice((15, 20, 25, 30, 40)),
        weeks=rng.randint(2, 10),
    )
    if not follow_up:
        return text
    # "For example, at my last job…", but "For example, I…" keeps its capital.
    joined = text if text.startswith("I ") else text[0].lower() + text[1:]
    return rng.choice(_FOLLOW_UP_OPENING) + joined


Sleep = Callable[[float], Awaitable[None]]


class CandidateSimulator:
    """Takes interviews through the HTTP JSON endpoints the way a candidate's browser would."""

    def __init__(
        self,
        base_url: str,
        *,
        seed: int = 0,
        thin_share: float = 0.25,
        concurrency: int = 4,
        max_answers: int = 40,
        max_wait: float = 90.0,
        pause: float = 0.5,
        timeout: float = 180.0,
        client: httpx.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.seed, self.thin_share = seed, thin_share
        self.concurrency, self.max_answers = max(1, concurrency), max_answers
        self.max_wait, self.pause, self.timeout = max_wait, pause, timeout
        self._client, self.sleep = client, sleep

    async def run(self, outbox: Path | str, frontend_url: str) -> SimulationSummary:
        """Take every interview invited in `outbox`; a summary of what happened to each."""
        return await self.take_all(find_invitations(outbox, frontend_url))

    async def take_all(self, invitations: list[Invitation]) -> SimulationSummary:
        """Take these interviews, `concurrency` at a time."""
        client = self._client or httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout)
        gate = asyncio.Semaphore(self.concurrency)

        async def one(invitation: Invitation) -> InterviewOutcome:
            async with gate:
                return await self.take(client, invitation)

        try:
            outcomes = await asyncio.gather(*(one(i) for i in invitations))
        finally:
            if self._client is None:
                await client.aclose()
        return SimulationSummary(list(outcomes))

    async def take(self, client: httpx.AsyncClient, invitation: Invitation) -> InterviewOutcome:
        """Start (or resume) one interview and answer until it is complete."""
        run = _Run(self, client, invitation)
        try:
            return await run.interview()
        except httpx.HTTPError as exc:
            return run.outcome("failed", f"{type(exc).__name__}: {exc}")


class _Run:
    """One candidate's way through one interview."""

    def __init__(self, simulator: CandidateSimulator, client: httpx.AsyncClient, invitation: Invitation) -> None:
        self.sim, self.client, self.invitation = simulator, client, invitation
        # Seeded by the candidate (not the link), so a re-sent invitation gets the same answers.
        self.rng = random.Random(f"{simulator.seed}:{invitation.recipient or invitation.token_ref}")
        self.url = f"{simulator.base_url}/api/interview/{invitation.token}"
        self.answers = self.thin = 0

    def outcome(self, result: Result, detail: str = "") -> InterviewOutcome:
        return InterviewOutcome(
            self.invitation.token_ref, self.invitation.recipient, result, self.answers, self.thin, detail
        )

    async def interview(self) -> InterviewOutcome:
        response = await self.client.post(f"{self.url}/start")
        last_thin, previous_question = False, ""
        while True:
            if response.status_code in (404, 410):
                return self.outcome("unknown" if response.status_code == 404 else "closed", _error(response))
            if response.status_code != 200:
                return self.outcome("failed", f"HTTP {response.status_code}: {_error(response)}")
            state = response.json()
            if state["complete"]:
                return self.outcome("completed")
            if state["waiting_for"] == "interviewer":
                replied = await self._wait_for_interviewer(state)
                if replied is None:
                    return self.outcome("stuck", "the interviewer did not reply")
                response = replied
                continue
            if self.answers >= self.sim.max_answers:
                return self.outcome("stuck", f"still not complete after {self.answers} answers")
            question = next(m["content"] for m in reversed(state["messages"]) if m["role"] == "interviewer")
            thin = not last_thin and self.answers > 0 and self.rng.random() < self.sim.thin_share
            # After a thin answer the interviewer follows up: answer the original question properly.
            text = compose_answer(
                previous_question if last_thin else question, self.rng, thin=thin, follow_up=last_thin
            )
            response = await self._send(text)
            if response.status_code == 200:
                self.answers += 1
                self.thin += int(thin)
                last_thin, previous_question = thin, question

    async def _wait_for_interviewer(self, state: dict[str, Any]) -> httpx.Response | None:
        waited = 0.0
        while waited < self.sim.max_wait:
            delay = float(state.get("retry_after_seconds") or self.sim.pause)
            await self.sim.sleep(delay)
            waited += delay
            response = await self.client.get(self.url)
            if response.status_code != 200:
                return response
            state = response.json()
            if state["waiting_for"] != "interviewer":
                return response
        return None

    async def _send(self, text: str) -> httpx.Response:
        """POST the answer; on 429 wait as told (within `max_wait`) and send it again."""
        waited = 0.0
        while True:
            response = await self.client.post(f"{self.url}/answers", json={"text": text})
            if response.status_code != 429 or waited >= self.sim.max_wait:
                return response
            delay = min(float(response.headers.get("Retry-After") or 1), self.sim.max_wait - waited)
            await self.sim.sleep(max(delay, 0.0))
            waited += delay


def _error(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return response.text[:200]
