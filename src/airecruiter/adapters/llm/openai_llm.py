"""Local or hosted OpenAI-compatible servers (Ollama, vLLM) through the `openai` SDK."""

from __future__ import annotations

import re

import openai
import pydantic

from airecruiter.adapters.llm.base import Completion, ContentT, ModelBackedLLM, Request
from airecruiter.adapters.llm.sdk_errors import invalid_output, translate_openai
from airecruiter.errors import ParseError

# Small local models sometimes wrap JSON in a Markdown fence despite the response format.
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class OpenAICompatibleLLM(ModelBackedLLM):
    """The LLM port on the Chat Completions API of a configurable server."""

    provider = "openai-compatible"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 120.0,
        max_retries: int = 0,
    ) -> None:
        self.model = model
        self.base_url = base_url
        # Ollama and vLLM accept any key; a placeholder also keeps the SDK from reading OPENAI_API_KEY.
        self._client = openai.AsyncOpenAI(
            api_key=api_key or "not-needed",
            base_url=base_url,
            timeout=timeout,
            max_retries=min(max(max_retries, 0), 1),
        )

    async def aclose(self) -> None:
        """Close the SDK's HTTP client."""
        await self._client.close()

    async def _complete(self, request: Request, content_type: type[ContentT]) -> Completion[ContentT]:
        schema = content_type.model_json_schema()
        try:
            response = await self._client.chat.completions.create(
                model=self.model,
                max_tokens=request.max_tokens,
                # The stable part first, so servers with prefix caching (vLLM, OpenAI) reuse it.
                messages=[
                    {"role": "system", "content": f"{request.prompt}\n\n{request.context}"},
                    {"role": "user", "content": request.text},
                ],
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": request.name, "schema": schema, "strict": False},
                },
            )
        except openai.OpenAIError as exc:
            raise translate_openai(exc, model=self.model, base_url=self.base_url) from exc
        if not response.choices:
            raise ParseError("The model's answer held no choices.")
        choice = response.choices[0]
        raw = choice.message.content or ""
        if choice.finish_reason == "length":
            raise ParseError(f"The model's answer was cut off after {request.max_tokens} tokens.")
        fenced = _FENCE.match(raw)
        try:
            parsed = content_type.model_validate_json(fenced.group(1) if fenced else raw)
        except pydantic.ValidationError as exc:
            raise invalid_output(exc) from exc
        usage = response.usage
        details = usage.prompt_tokens_details if usage else None
        return Completion(
            content=parsed,
            model=response.model or self.model,
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            cached_input_tokens=(details.cached_tokens or 0) if details else 0,
            raw=fenced.group(1) if fenced else raw,
        )
