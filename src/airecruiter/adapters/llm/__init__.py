"""LLM adapters: Claude (anthropic SDK), OpenAI-compatible servers (openai SDK), offline rules.

Each adapter is imported on first use: the SDKs take seconds to import, and the offline scorer
needs neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "AnthropicLLM": "anthropic_llm",
    "DEFAULT_MODEL": "anthropic_llm",
    "OpenAICompatibleLLM": "openai_llm",
    "OfflineLLM": "offline",
    "OFFLINE_MODEL": "offline",
}
__all__ = ["DEFAULT_MODEL", "OFFLINE_MODEL", "AnthropicLLM", "OfflineLLM", "OpenAICompatibleLLM"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


if TYPE_CHECKING:
    from airecruiter.adapters.llm.anthropic_llm import DEFAULT_MODEL, AnthropicLLM
    from airecruiter.adapters.llm.offline import OFFLINE_MODEL, OfflineLLM
    from airecruiter.adapters.llm.openai_llm import OpenAICompatibleLLM
    from airecruiter.ports.llm import LLM

    def _implement_the_port(a: AnthropicLLM, o: OpenAICompatibleLLM, f: OfflineLLM) -> list[LLM]:
        return [a, o, f]  # mypy checks each adapter against the LLM protocol here
