"""The fairness check of a prompt version, run through the real queue, redaction and offline scorer; the gate."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.llm import OpenAICompatibleLLM
from airecruiter.adapters.llm.offline import OfflineLLM
from airecruiter.adapters.redactor import IsolatedRedactor
from airecruiter.db.prompts import active_prompt, create_prompt_version, seed_default_prompts
from airecruiter.domain.fairness_stats import Thresholds
from airecruiter.domain.fairness_suite import suite
from airecruiter.domain.jobs import JobType
from airecruiter.processors.registry import fairness_processors
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.worker import Worker, WorkerConfig
from airecruiter.services import prompts
from airecruiter.services.fairness import FairnessRunner, fairness_check, request_fairness_check
from tests.conftest import make_requisitions
from tests.integration.conftest import activities, execute, scalar
from tests.integration.fake_llm_server import ANALYSIS, FakeLLMServer, Reply
from tests.integration.processes import ROOT


def _runner(db: AsyncEngine, redactor: IsolatedRedactor, **limits: float) -> FairnessRunner:
    return FairnessRunner(
        engine=db,
        llm=OfflineLLM(),
        redactor=redactor,
        thresholds=Thresholds(**limits),
        provider="offline",
        model="rules",
    )


async def _run_through_queue(queue: QueueManager, runner: FairnessRunner, check_id: int) -> None:
    stop = asyncio.Event()
    worker = Worker(queue, fairness_processors(runner), WorkerConfig(poll_interval=0.1, poll_only=True))
    task = asyncio.create_task(worker.run(stop))
    try:
        for _ in range(600):
            check = await fairness_check(runner.engine, check_id)
            if check is not None and check.done:
                return
            await asyncio.sleep(0.1)
        raise AssertionError("the fairness check did not finish")
    finally:
        stop.set()
        await task


@pytest.fixture
async def redactor() -> AsyncIterator[IsolatedRedactor]:
    isolated = IsolatedRedactor()
    yield isolated
    await isolated.aclose()


async def test_a_check_runs_as_a_queued_job_and_stores_identity_with_the_offline_label(
    db: AsyncEngine, queue: QueueManager, redactor: IsolatedRedactor
) -> None:
    await seed_default_prompts(db)
    check_id = await request_fairness_check(
        db, queue, prompt_type="resume_analysis", version=None, requisition_id=None, actor="ops"
    )
    await _run_through_queue(queue, _runner(db, redactor), check_id)
    check = await fairness_check(db, check_id)
    assert check is not None and check.done
    assert (check.prompt_type, check.prompt_version, check.provider, check.offline) == (
        "resume_analysis",
        1,
        "offline",
        True,
    )
    pairs = suite()
    assert check.pairs == len(pairs)
    identical = sum(f.identical for f in check.families)
    assert check.identity_rate == pytest.approx(identical / len(pairs))
    assert {f.family for f in check.families} == {p.family for p in pairs}
    assert check.passed == (check.identity_rate is not None and check.identity_rate >= 0.95)
    [done] = await activities(db, "fairness_check_completed")
    assert done.details["check_id"] == check_id and done.details["offline"] is True
    live = await scalar(db, "SELECT count(*) FROM queue_items WHERE job_type = :t", t=JobType.FAIRNESS_CHECK.value)
    assert live == 0  # the job is done and gone from the queue


async def test_activation_needs_a_passing_check_or_a_written_override(
    db: AsyncEngine, queue: QueueManager, redactor: IsolatedRedactor
) -> None:
    await seed_default_prompts(db)
    draft = await create_prompt_version(
        db, prompt_type="evaluation", requisition_id=None, template_content="Be fair.", created_by="ops", activate=False
    )
    with pytest.raises(prompts.ActivationRefusedError, match="no passing fairness check"):
        await prompts.activate(db, prompt_id=draft.id, actor="ops")
    with pytest.raises(prompts.ActivationRefusedError, match="at least 10 characters"):
        await prompts.activate(db, prompt_id=draft.id, actor="ops", override_reason="because")
    assert (await active_prompt(db, prompt_type="evaluation")).version == 1  # type: ignore[union-attr]

    # A failing check does not open the gate (a requisition without blind education, a 100 % bar) ...
    [requisition] = await make_requisitions(db, 1)
    await execute(db, "UPDATE requisitions SET blind_education = false WHERE id = :id", id=requisition)
    strict = await request_fairness_check(
        db, queue, prompt_type="evaluation", version=2, requisition_id=requisition, actor="ops"
    )
    await _run_through_queue(queue, _runner(db, redactor, min_identity=1.0), strict)
    failed = await fairness_check(db, strict)
    assert failed is not None and failed.passed is False
    with pytest.raises(prompts.ActivationRefusedError):
        await prompts.activate(db, prompt_id=draft.id, actor="ops")
    # ... a passing one at the default thresholds does.
    passing = await request_fairness_check(
        db, queue, prompt_type="evaluation", version=2, requisition_id=None, actor="ops"
    )
    await _run_through_queue(queue, _runner(db, redactor), passing)
    activated = await prompts.activate(db, prompt_id=draft.id, actor="ops")
    assert activated.is_active and await activities(db, "prompt_activation_overridden") == []


async def test_an_override_with_a_reason_activates_and_is_logged(db: AsyncEngine) -> None:
    await seed_default_prompts(db)
    saved = await prompts.save_new_version(
        db,
        prompt_type="interview",
        requisition_id=None,
        template_content="Ask one question at a time.",
        actor="console:ada",
        activate=True,
        override_reason="  Legal asked for this wording today;\n checked by hand.  ",
    )
    assert saved.is_active
    [entry] = await activities(db, "prompt_activation_overridden")
    assert entry.actor == "console:ada"
    assert entry.details == {
        "type": "interview",
        "version": 2,
        "requisition_id": None,
        "reason": "Legal asked for this wording today; checked by hand.",
    }
    with pytest.raises(prompts.ActivationRefusedError, match="cannot go live before a fairness check"):
        await prompts.save_new_version(
            db, prompt_type="interview", requisition_id=None, template_content="Third.", actor="ada", activate=True
        )


def _command(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    variables = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "200", "LOG_LEVEL": "WARNING", **env}
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", "fairness", "check", *args],
        cwd=ROOT,
        env=variables,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_command_prints_the_result_and_exits_0_on_a_pass_and_1_on_a_fail(
    db: AsyncEngine, database_url: str
) -> None:
    await seed_default_prompts(db)
    passed = await asyncio.to_thread(_command, database_url, "--type", "evaluation")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "evaluation prompt v1 (global) · offline/rules" in passed.stdout
    assert "OFFLINE SCORER: only input identity is meaningful" in passed.stdout
    assert "Identical model input: 100.0% overall" in passed.stdout and "sex_gender" in passed.stdout
    assert passed.stdout.rstrip().endswith("PASSED")

    # Without blind education one pair's school names reach the model; an identity bar of 100 % fails it.
    [requisition] = await make_requisitions(db, 1)
    await execute(db, "UPDATE requisitions SET blind_education = false WHERE id = :id", id=requisition)
    failed = await asyncio.to_thread(
        _command, database_url, "--requisition", str(requisition), FAIRNESS_MIN_IDENTITY="1"
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"resume_analysis prompt v1 (requisition {requisition})" in failed.stdout
    assert "below 100%" in failed.stdout and failed.stdout.rstrip().endswith("FAILED")


async def test_with_a_model_the_differing_pairs_are_scored_and_a_gap_fails_the_family(
    db: AsyncEngine, queue: QueueManager, redactor: IsolatedRedactor
) -> None:
    """Blind education off: the school names of one race/ethnicity pair reach the model, which scores them apart."""
    await seed_default_prompts(db)
    [requisition] = await make_requisitions(db, 1)
    await execute(db, "UPDATE requisitions SET blind_education = false WHERE id = :id", id=requisition)
    with FakeLLMServer.running() as fake:
        fake.queue(Reply.answer({**ANALYSIS, "risk_score": 0.2}))
        fake.queue(Reply.answer({**ANALYSIS, "risk_score": 0.5}))
        llm = OpenAICompatibleLLM(base_url=f"{fake.base_url}/v1", model="local-model", api_key="sk-test", timeout=5)
        runner = FairnessRunner(
            engine=db, llm=llm, redactor=redactor, thresholds=Thresholds(), provider="openai", model="local-model"
        )
        try:
            check_id = await request_fairness_check(
                db, queue, prompt_type="resume_analysis", version=1, requisition_id=requisition, actor="ops"
            )
            await _run_through_queue(queue, runner, check_id)
        finally:
            await llm.aclose()
        sent = [r["messages"][1]["content"] for r in fake.requests]
    check = await fairness_check(db, check_id)
    assert check is not None and check.offline is False and check.requisition_id == requisition
    assert len(sent) == 2 and "Purdue University" in sent[0] and "Howard University" in sent[1]
    [race] = [f for f in check.families if f.family == "race_ethnicity"]
    assert race.identical == race.pairs - 1
    assert (race.risk.n, race.risk.mean_signed) == (1, pytest.approx(0.3))
    assert check.passed is False
    assert "race_ethnicity: mean résumé risk difference 0.300 > 0.05" in check.reasons
