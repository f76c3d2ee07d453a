"""A fake of the slice of the Anthropic Messages API and OpenAI Chat Completions API the adapters use.

It runs under uvicorn on 127.0.0.1 in a thread, so the real `anthropic` and `openai` SDKs talk to it
over HTTP via `base_url`. A test queues replies (answers, errors, slow answers) and reads back the
requests it received. Prompt caching is simulated: a system prefix up to a `cache_control`
breakpoint seen before is reported as cache-read tokens. Sample job, résumé and answers are at the end.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from airecruiter.ports.llm import InterviewMessage
from tests.integration.processes import free_port


@dataclass
class Reply:
    """What the fake answers to the next request."""

    payload: Any = None
    text: str | None = None
    status: int = 200
    error_type: str = ""
    message: str = ""
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def answer(cls, payload: Any) -> Reply:
        """A successful answer whose structured output is `payload`."""
        return cls(payload=payload)

    @classmethod
    def error(
        cls,
        status: int,
        error_type: str,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """An HTTP error with the API's error body."""
        return cls(status=status, error_type=error_type, message=message, code=code, headers=headers or {})


class FakeLLMServer:
    """The fake API server; `replies` is consumed in order, `requests` records every JSON body."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.structured_outputs = True
        self._cache: set[str] = set()
        self.base_url = ""
        self.app = Starlette(
            routes=[
                Route("/v1/messages", self._messages, methods=["POST"]),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
            ]
        )

    def reset(self) -> None:
        """Forget queued replies, recorded requests and the prompt cache."""
        self.replies.clear()
        self.requests.clear()
        self._cache.clear()
        self.structured_outputs = True

    def queue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        self.replies.extend(replies)

    async def _next(self, body: dict[str, Any]) -> Reply:
        self.requests.append(body)
        reply = self.replies.popleft() if self.replies else Reply.error(500, "api_error", "no reply queued")
        if reply.delay:
            await asyncio.sleep(reply.delay)
        return reply

    def _usage(self, system: Any) -> tuple[int, int, int]:
        """(uncached input, cache write, cache read) tokens for a system prompt, ~4 characters a token."""
        blocks = system if isinstance(system, list) else [{"text": system or ""}]
        prefix, cached_upto = "", 0
        for block in blocks:
            prefix += block.get("text", "")
            if block.get("cache_control"):
                cached_upto = len(prefix)
        key = prefix[:cached_upto]
        rest = (len(prefix) - cached_upto) // 4 + 50
        if not key:
            return rest, 0, 0
        if key in self._cache:
            return rest, 0, len(key) // 4
        self._cache.add(key)
        return rest, len(key) // 4, 0

    async def _messages(self, request: Request) -> JSONResponse:
        body = await request.json()
        if not self.structured_outputs and "output_config" in body:
            self.requests.append(body)
            return JSONResponse(
                {
                    "type": "error",
                    "error": {
                        "type": "invalid_request_error",
                        "message": "output_config: Extra inputs are not permitted",
                    },
                },
                status_code=400,
            )
        reply = await self._next(body)
        if reply.status != 200:
            error = {"type": reply.error_type, "message": reply.message}
            return JSONResponse({"type": "error", "error": error}, status_code=reply.status, headers=reply.headers)
        forced = (body.get("tool_choice") or {}).get("name")
        if forced:
            content = [{"type": "tool_use", "id": "toolu_01", "name": forced, "input": reply.payload}]
        else:
            content = [{"type": "text", "text": reply.text if reply.text is not None else json.dumps(reply.payload)}]
        fresh, written, read = self._usage(body.get("system"))
        return JSONResponse(
            {
                "id": "msg_01",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": content,
                "stop_reason": "tool_use" if forced else "end_turn",
                "stop_sequence": None,
                "usage": {
                    "input_tokens": fresh,
                    "output_tokens": 321,
                    "cache_creation_input_tokens": written,
                    "cache_read_input_tokens": read,
                },
            }
        )

    async def _chat(self, request: Request) -> JSONResponse:
        body = await request.json()
        reply = await self._next(body)
        if reply.status != 200:
            error = {"message": reply.message, "type": reply.error_type, "code": reply.code, "param": None}
            return JSONResponse({"error": error}, status_code=reply.status, headers=reply.headers)
        text = reply.text if reply.text is not None else json.dumps(reply.payload)
        return JSONResponse(
            {
                "id": "chatcmpl-01",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 900, "completion_tokens": 210, "total_tokens": 1110},
            }
        )

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[FakeLLMServer]:
        """Serve a new fake on a free loopback port for the duration of the block."""
        fake = cls()
        port = free_port()
        config = uvicorn.Config(fake.app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="fake-llm-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the fake LLM server did not start")
            time.sleep(0.02)
        fake.base_url = f"http://127.0.0.1:{port}"
        try:
            yield fake
        finally:
            server.should_exit = True
            thread.join(timeout=10)


# Sample job, résumé, transcript and model answers shared by the LLM adapter tests.

JOB_TITLE = "Site Reliability Engineer"
JOB_DESCRIPTION = """We run a payments platform on Kubernetes across three AWS regions.

Requirements:
- 4+ years operating Linux services in production
- Kubernetes, Terraform and Prometheus
- On-call experience and calm incident handling
"""
RESUME = """Priya Raman
SRE, Lisbon

Platform Engineer, Tollbridge Payments    Apr 2019 – Present
- Run 40 Kubernetes clusters provisioned with Terraform
- Led 30+ incident reviews as on-call lead
"""
PROMPT = "You are a careful technical recruiter. Be fair and concrete."
TRANSCRIPT = [
    InterviewMessage(role="interviewer", content="How do you handle an incident at 3 a.m.?"),
    InterviewMessage(role="candidate", content="I page the owner, open a timeline doc and roll back first."),
]

ANALYSIS: dict[str, Any] = {
    "risk_score": 0.18,
    "relevance_summary": "Strong Kubernetes and Terraform operator with on-call leadership.",
    "pros": [
        {"text": "Operates Kubernetes at scale", "evidence": [{"quote": "Run 40 Kubernetes clusters"}]},
        # Not in the résumé: the adapter must drop this invented quote.
        {"text": "Knows Prometheus", "evidence": [{"quote": "Built Prometheus alerting for 200 services"}]},
    ],
    "cons": [{"text": "No explicit Linux mention", "evidence": []}],
    "red_flags": [],
    "suggested_questions": ["Which Prometheus alerts have you written?"],
}
TURN: dict[str, Any] = {"message": "What did you change after your last postmortem?", "complete": False}
EVALUATION: dict[str, Any] = {
    "reliability": 8,
    "accountability": 7,
    "professionalism": 9,
    "communication": 7,
    "technical": 8,
    "growth_potential": 6,
    "summary": "Calm, methodical incident handler.",
    "strengths": [{"text": "Rolls back first", "evidence": [{"quote": "roll back first"}]}],
    "weaknesses": [],
    "red_flags": [],
    "recommendation": "hire",
}
