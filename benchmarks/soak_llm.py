"""A fault-injecting OpenAI-compatible LLM server for the chaos soak (benchmarks/soak.py).

Run from the repository root:

    .venv/bin/python benchmarks/soak_llm.py --port 8200 [--seed 1]

It answers `POST /v1/chat/completions` the way the service's OpenAI-compatible adapter asks
(`response_format` = a JSON schema named `resume_analysis`, `interview_turn` or
`interview_evaluation`) with valid structured output: an analysis quoting the résumé, an interviewer
that asks three questions and then completes, an evaluation quoting the candidate. Each answer
takes `latency` seconds; with probability `fault_rate` (seeded) a request gets a fault instead: an
HTTP 500, a 429 with `Retry-After: 1`, or an answer slower than the client's timeout. The same
request (the whole conversation: schema name, system and user messages) is never failed more than
`max_faults_per_request` times in all: a provider that is flaky, not down, whose faults a retried
job is expected to ride out. The cap counts every fault of that request ever, not a streak that an
answer resets: two jobs can send the very same request (one candidate applying to two jobs gives
identical interview transcripts), and a streak shared between them let one job be failed on every
attempt while the other's answers kept resetting it.

A `script` of faults (`["500", "429", "slow"]`) is served first, one per request in order, before
any dice are rolled: the short soak gives each kind exactly once that way, whatever the timing.

`GET /_faults` shows the settings and counters; `POST /_faults {"fault_rate": 0.2, "latency": 0.1,
"max_faults_per_request": 1, "script": [...]}` changes them (the soak switches between its calm and
its chaos phase this way).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py would shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from typing import Any  # noqa: E402

import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

QUESTIONS = (
    "Walk me through a piece of work you are proud of and what your part in it was.",
    "Tell me about a time something went wrong at work. What did you do?",
    "How do you keep a commitment when the deadline is under pressure?",
)
_TAGGED = re.compile(r"<(resume|transcript)>\n(.*?)\n</\1>", re.DOTALL)


def _tagged(text: str, tag: str) -> str:
    return next((m.group(2) for m in _TAGGED.finditer(text) if m.group(1) == tag), "")


def _quote(source: str) -> str:
    """A short verbatim phrase of `source` (its first substantial line), or '' when there is none."""
    for line in source.splitlines():
        line = " ".join(line.split())
        if len(line) >= 12:
            return line[:80]
    return ""


def analysis(user: str) -> dict[str, Any]:
    """A résumé analysis whose one piece of evidence is copied from the résumé."""
    quote = _quote(_tagged(user, "resume"))
    evidence = [{"quote": quote}] if quote else []
    return {
        "risk_score": round(0.2 + 0.6 * (int(hashlib.sha256(user.encode()).hexdigest()[:4], 16) / 0xFFFF), 2),
        "relevance_summary": "Relevant experience for the role, with some gaps worth an interview.",
        "pros": [{"text": "Relevant experience", "evidence": evidence}],
        "cons": [{"text": "Depth in the job's core tools is not shown", "evidence": []}],
        "red_flags": [],
        "suggested_questions": list(QUESTIONS),
    }


def turn(user: str) -> dict[str, Any]:
    """The next question, or complete after the candidate answered every question."""
    answered = _tagged(user, "transcript").count("CANDIDATE: ")
    if answered >= len(QUESTIONS):
        return {"message": "Thank you, that is everything. We will be in touch.", "complete": True}
    return {"message": QUESTIONS[answered], "complete": False}


def evaluation(user: str) -> dict[str, Any]:
    """Six scores and a strength quoting the candidate's first answer."""
    transcript = _tagged(user, "transcript")
    first = next(
        (line[len("CANDIDATE: ") :] for line in transcript.split("\n\n") if line.startswith("CANDIDATE: ")), ""
    )
    quote = " ".join(first.split())[:60]
    return {
        "reliability": 7,
        "accountability": 7,
        "professionalism": 8,
        "communication": 7,
        "technical": 6,
        "growth_potential": 7,
        "summary": "Concrete answers with examples and numbers.",
        "strengths": [{"text": "Gives concrete examples", "evidence": [{"quote": quote}] if quote else []}],
        "weaknesses": [],
        "red_flags": [],
        "recommendation": "hire",
    }


FAULTS = ("500", "429", "slow")
ANSWERS = {"resume_analysis": analysis, "interview_turn": turn, "interview_evaluation": evaluation}


class FaultyLLM:
    """The server's state: settings, the seeded dice, and what it did."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fault_rate = 0.0
        self.latency = 0.0
        self.slow_seconds = 6.0  # a "timeout" answers after this long: longer than the soak's LLM_TIMEOUT
        self.max_faults_per_request = 2
        self.script: list[str] = []  # faults the next requests get, in order, before any dice are rolled
        self.counts: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()  # request key → faults it got, ever

    def settings(self) -> dict[str, Any]:
        return {
            "fault_rate": self.fault_rate,
            "latency": self.latency,
            "slow_seconds": self.slow_seconds,
            "max_faults_per_request": self.max_faults_per_request,
            "script": list(self.script),
            "counts": dict(self.counts),
        }

    def fault_for(self, key: str) -> str | None:
        """'500', '429', 'slow' or None for this request; never more than the cap in all per request."""
        if self._faults[key] >= self.max_faults_per_request:
            return None
        if self.script:
            self._faults[key] += 1
            return self.script.pop(0)
        roll, kind = self.rng.random(), self.rng.choice(FAULTS)
        if roll >= self.fault_rate:
            return None
        self._faults[key] += 1
        return kind


def build_app(state: FaultyLLM) -> Starlette:
    """The Starlette app: the chat completions endpoint and the fault control endpoint."""

    async def chat(request: Request) -> JSONResponse:
        body = await request.json()
        name = body.get("response_format", {}).get("json_schema", {}).get("name", "")
        messages = body.get("messages", [])
        user = next((m["content"] for m in messages if m.get("role") == "user"), "")
        conversation = "\x00".join(f"{m.get('role')}\x01{m.get('content')}" for m in messages)
        key = hashlib.sha256(f"{name}\x00{conversation}".encode()).hexdigest()
        fault = state.fault_for(key)
        state.counts[f"{name}:{fault or 'ok'}"] += 1
        if fault == "500":
            error = {"message": "The server had an error.", "type": "server_error", "code": None, "param": None}
            return JSONResponse({"error": error}, status_code=500)
        if fault == "429":
            error = {"message": "Rate limit reached.", "type": "rate_limit_error", "code": None, "param": None}
            return JSONResponse({"error": error}, status_code=429, headers={"Retry-After": "1"})
        await asyncio.sleep(state.slow_seconds if fault == "slow" else state.latency)
        if name not in ANSWERS:
            error = {"message": f"unknown response format {name!r}", "type": "invalid_request_error"}
            return JSONResponse({"error": {**error, "code": None, "param": None}}, status_code=400)
        return JSONResponse(
            {
                "id": "chatcmpl-soak",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "soak"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": json.dumps(ANSWERS[name](user))},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": len(user) // 4,
                    "completion_tokens": 200,
                    "total_tokens": len(user) // 4 + 200,
                },
            }
        )

    async def faults(request: Request) -> JSONResponse:
        if request.method == "POST":
            changes = await request.json()
            for name in ("fault_rate", "latency", "slow_seconds"):
                if name in changes:
                    setattr(state, name, float(changes[name]))
            if "max_faults_per_request" in changes:
                state.max_faults_per_request = int(changes["max_faults_per_request"])
            if "script" in changes:
                state.script = [str(f) for f in changes["script"] if f in FAULTS]
        return JSONResponse(state.settings())

    return Starlette(
        routes=[
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/_faults", faults, methods=["GET", "POST"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    state = FaultyLLM(args.seed)
    state.fault_rate, state.latency = args.fault_rate, args.latency
    uvicorn.run(build_app(state), host="127.0.0.1", port=args.port, log_level="warning", timeout_graceful_shutdown=2)


if __name__ == "__main__":
    main()
