"""The soak's fault-injecting LLM server keeps its promise: a request is failed at most twice."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _soak_llm() -> ModuleType:
    spec = importlib.util.spec_from_file_location("soak_llm", ROOT / "benchmarks" / "soak_llm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)  # the script points sys.path[0] at the repository root
    finally:
        sys.path[:] = saved
    return module


def test_the_same_request_is_failed_at_most_twice_even_when_answers_come_in_between() -> None:
    server = _soak_llm().FaultyLLM(seed=1)
    server.fault_rate = 1.0
    # Two jobs sending the very same request (one candidate who applied to two jobs): whatever the
    # interleaving, neither may see a third fault, or its third attempt dies of a "flaky" provider.
    faults = [server.fault_for("same request") for _ in range(10)]
    assert sum(f is not None for f in faults) == 2
    assert faults[2:] == [None] * 8
    assert server.fault_for("another request") is not None
