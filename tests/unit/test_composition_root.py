"""`bootstrap` builds one frozen application, and the web layer takes its parts through typed dependencies."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request

from airecruiter.bootstrap import Application, Database, Wiring, assemble, build_adapters
from airecruiter.config import load_settings
from airecruiter.db.engine import create_engine
from airecruiter.processors.registry import PIPELINE_JOB_TYPES
from airecruiter.queue.jobs import Job
from airecruiter.web.context import web_context

WEB = Path(__file__).parents[2] / "src" / "airecruiter" / "web"
NOWHERE = "postgresql://airecruiter@127.0.0.1:9/nothing"  # never connected: the engine connects lazily


async def _nothing(job: Job) -> None:
    return None


@pytest.fixture
async def scheduler_only(tmp_path: Path) -> AsyncIterator[Application]:
    """The application of a scheduler-only process (no Workday, no processors), over a database never used."""
    settings = load_settings(DATABASE_URL=NOWHERE, AIRECRUITER_DATA_DIR=tmp_path)
    wiring = Wiring(workday=False, run_pipeline=False)
    application = assemble(settings, Database(NOWHERE, create_engine(NOWHERE)), build_adapters(settings), wiring)
    try:
        yield application
    finally:
        await application.aclose()


async def test_the_application_is_frozen_so_nothing_is_patched_onto_it(scheduler_only: Application) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        scheduler_only.interview_engine = scheduler_only.interview_engine  # type: ignore[misc]
    with pytest.raises(TypeError):
        scheduler_only.registry["demo"] = _nothing  # type: ignore[index]


async def test_a_scheduler_only_process_plans_the_pipeline_it_does_not_run(scheduler_only: Application) -> None:
    assert dict(scheduler_only.registry) == {}
    assert scheduler_only.schedulable_job_types == set(PIPELINE_JOB_TYPES)
    assert scheduler_only.pipeline is None and scheduler_only.workday_probe is None
    with pytest.raises(RuntimeError, match="without Workday"):
        _ = scheduler_only.workday


def test_a_process_cannot_run_a_pipeline_its_deployment_does_not_have() -> None:
    with pytest.raises(ValueError, match="run_pipeline needs pipeline"):
        Wiring(pipeline=False)


async def test_running_the_pipeline_needs_a_connected_workday_client(tmp_path: Path) -> None:
    settings = load_settings(DATABASE_URL=NOWHERE, AIRECRUITER_DATA_DIR=tmp_path)
    database = Database(NOWHERE, create_engine(NOWHERE))
    try:
        with pytest.raises(ValueError, match="connected Workday client"):
            assemble(settings, database, build_adapters(settings), Wiring())
    finally:
        await database.aclose()


def test_a_request_served_by_another_app_has_no_web_context() -> None:
    request = Request({"type": "http", "app": FastAPI(), "headers": [], "method": "GET", "path": "/"})
    with pytest.raises(TypeError, match="not by the app create_app built"):
        web_context(request)


@pytest.mark.parametrize("phrase", ["app.state", "noqa: B008"])
def test_the_web_layer_takes_what_it_needs_through_typed_dependencies(phrase: str) -> None:
    offenders = [
        str(path.relative_to(WEB)) for path in sorted(WEB.rglob("*.py")) if phrase in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
