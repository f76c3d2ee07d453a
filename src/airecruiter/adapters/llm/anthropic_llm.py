"""Claude through the official `anthropic` SDK: structured output, prompt caching, our errors."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import anthropic
import pydantic
from anthropic.types import Message, TextBlockParam

from airecruiter.adapters.llm.base import Completion, ContentT, ModelBackedLLM, Request
from airecruiter.adapters.llm.sdk_errors import invalid_output, translate_anthropic
from airecruiter.errors import ParseError

# A current Sonnet; the installed SDK already marks claude-sonnet-4-5 as deprecated (end of life
# November 2026). The deployment's CLAUDE_MODEL overrides it.
DEFAULT_MODEL = "claude-sonnet-4-6"
DEFAULT_BASE_URL = "https://api.anthropic.com"
# Models from before structured outputs (e.g. the specification's claude-3-opus-20240229) get the
# same schema through a forced tool call instead.
_LEGACY_MODEL = re.compile(r"^claude-(?:2|instant|3-|3\.)")
_NO_STRUCTURED_OUTPUT = re.compile(r"output_config|output_format|structured output|json_schema", re.IGNORECASE)
StructuredMode = Literal["auto", "json_schema", "tool"]


class AnthropicLLM(ModelBackedLLM):
    """The LLM port on the Anthropic Messages API."""

    provider = "anthropic"

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 120.0,
        max_retries: int = 0,
        structured_output: StructuredMode = "auto",
    ) -> None:
        self.model = model or DEFAULT_MODEL
        # The queue owns retries; an SDK retry sleeps for whatever retry-after says, so at most one.
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=min(max(max_retries, 0), 1)
        )
        legacy = structured_output == "auto" and _LEGACY_MODEL.match(self.model)
        self._use_tool = structured_output == "tool" or bool(legacy)
        self._may_fall_back = structured_output == "auto"

    async def aclose(self) -> None:
        """Close the SDK's HTTP client."""
        await self._client.close()

    def _system(self, request: Request) -> list[TextBlockParam]:
        # The breakpoint after the job block caches prompt + job description for every later call
        # about the same requisition (the résumé or transcript follows and changes each time).
        return [
            {"type": "text", "text": request.prompt},
            {"type": "text", "text": request.context, "cache_control": {"type": "ephemeral"}},
        ]

    async def _complete(self, request: Request, content_type: type[ContentT]) -> Completion[ContentT]:
        try:
            if not self._use_tool:
                try:
                    return await self._complete_json(request, content_type)
                except anthropic.BadRequestError as exc:
                    if not (self._may_fall_back and _NO_STRUCTURED_OUTPUT.search(str(exc.api_message or exc))):
                        raise
                    self._use_tool = True
            return await self._complete_tool(request, content_type)
        except (anthropic.AnthropicError, pydantic.ValidationError) as exc:
            raise translate_anthropic(exc, model=self.model) from exc

    async def _complete_json(self, request: Request, content_type: type[ContentT]) -> Completion[ContentT]:
        message = await self._client.messages.parse(
            model=self.model,
            max_tokens=request.max_tokens,
            system=self._system(request),
            messages=[{"role": "user", "content": request.text}],
            output_format=content_type,
        )
        _refuse_unfinished(message)
        parsed = message.parsed_output
        if parsed is None:
            raise ParseError("The model's answer held no structured output.")
        raw = "".join(block.text for block in message.content if block.type == "text")
        return _completion(message, parsed, raw)

    async def _complete_tool(self, request: Request, content_type: type[ContentT]) -> Completion[ContentT]:
        tool_name = f"record_{request.name}"
        message = await self._client.messages.create(
            model=self.model,
            max_tokens=request.max_tokens,
            system=self._system(request),
            messages=[{"role": "user", "content": request.text}],
            tools=[
                {
                    "name": tool_name,
                    "description": f"Record the {request.name.replace('_', ' ')}.",
                    "input_schema": content_type.model_json_schema(),
                }
            ],
            tool_choice={"type": "tool", "name": tool_name},
        )
        _refuse_unfinished(message)
        arguments: Any = next((b.input for b in message.content if b.type == "tool_use"), None)
        if arguments is None:
            raise ParseError("The model did not call the tool that records its answer.")
        try:
            parsed = content_type.model_validate(arguments)
        except pydantic.ValidationError as exc:
            raise invalid_output(exc) from exc
        return _completion(message, parsed, json.dumps(arguments, ensure_ascii=False))


def _refuse_unfinished(message: Message) -> None:
    if message.stop_reason == "refusal":
        raise ParseError("The model declined to answer this request.")


def _completion(message: Message, parsed: ContentT, raw: str) -> Completion[ContentT]:
    usage = message.usage
    cached_read = usage.cache_read_input_tokens or 0
    # Anthropic counts cached and cache-writing tokens apart from input_tokens; report the total.
    total_input = usage.input_tokens + cached_read + (usage.cache_creation_input_tokens or 0)
    return Completion(parsed, message.model, total_input, usage.output_tokens, cached_read, raw)
