"""`build(settings)`: the database, the adapters, Workday, the processors and the interview engine, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from airecruiter.bootstrap.adapters import Adapters, build_adapters, contact_email
from airecruiter.bootstrap.application import Application, close_clients
from airecruiter.bootstrap.database import Database, open_database
from airecruiter.bootstrap.lifecycle import deletion_stores
from airecruiter.bootstrap.workday import WorkdayConnection, connect_workday
from airecruiter.config import Settings, id_list
from airecruiter.domain.self_identification import DemographicMaps
from airecruiter.ports.llm import LLM
from airecruiter.ports.redaction import TextRedactor
from airecruiter.processors.context import PipelineContext
from airecruiter.processors.registry import PIPELINE_JOB_TYPES, add_processors, build_registry, pipeline_processors
from airecruiter.queue.jobs import Processor
from airecruiter.queue.manager import QueueConfig, QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.services.interviews import InterviewEngine

SYNC_BUDGET_SHARE = 0.8  # of the sync job's time limit: the rest finishes what is in hand


@dataclass(frozen=True)
class Wiring:
    """What one process needs built beyond the database and the adapters."""

    # Connect the Workday client (the sandbox tenant's when WORKDAY_* is unset).
    workday: bool = True
    # The deployment runs the six pipeline processors: the scheduler plans their job types.
    pipeline: bool = True
    # This process's workers run them (connects Workday); needs `pipeline`.
    run_pipeline: bool = True
    extra_processors: Mapping[str, Processor] = field(default_factory=dict)
    # Replaces the LLM the settings choose (benchmarks and tests script one).
    llm: LLM | None = None

    def __post_init__(self) -> None:
        if self.run_pipeline and not self.pipeline:
            raise ValueError("run_pipeline needs pipeline: a process cannot run what its deployment does not")


async def build(
    settings: Settings,
    wiring: Wiring | None = None,
    *,
    database: Database | None = None,
    migrate: bool | None = None,
) -> Application:
    """The complete application; on a failure (or cancellation) what this call opened is closed again.

    Without `database` the database is opened here (migrated as `open_database` says). A `database`
    the caller opened becomes the application's once `build` returns it, and stays the caller's to
    close when `build` fails.
    """
    wiring = wiring or Wiring()
    if database is not None:
        return await _build_on(settings, wiring, database)
    database = await open_database(settings, migrate=migrate)
    try:
        return await _build_on(settings, wiring, database)
    except BaseException:
        await database.aclose()
        raise


async def _build_on(settings: Settings, wiring: Wiring, database: Database) -> Application:
    adapters = None
    workday = None
    try:
        adapters = build_adapters(settings, llm=wiring.llm)
        if wiring.workday or wiring.run_pipeline:
            workday = await connect_workday(settings, database.engine)
        return assemble(settings, database, adapters, wiring, workday=workday)
    except BaseException:
        await close_clients(adapters, workday)
        raise


def assemble(
    settings: Settings,
    database: Database,
    adapters: Adapters,
    wiring: Wiring,
    *,
    workday: WorkdayConnection | None = None,
) -> Application:
    """The application over parts already open (tests assemble one over their own database)."""
    queue = QueueManager(
        database.engine,
        QueueConfig(
            max_attempts=settings.QUEUE_MAX_ATTEMPTS,
            lease_seconds=settings.QUEUE_LEASE_SECONDS,
            job_limits=settings.job_limits,
            max_lost_leases=settings.QUEUE_MAX_LOST_LEASES,
            backoff_scale=settings.QUEUE_BACKOFF_SCALE,
        ),
    )
    registry = build_registry(wiring.extra_processors)
    context = None
    if wiring.run_pipeline:
        if workday is None:
            raise ValueError("running the pipeline needs a connected Workday client")
        context = pipeline_context(settings, database, queue, adapters, workday)
        add_processors(registry, pipeline_processors(context))
    planned = frozenset(PIPELINE_JOB_TYPES) if wiring.pipeline else frozenset()
    return Application(
        settings=settings,
        database=database,
        queue=queue,
        operations=QueueOperations(database.engine),
        adapters=adapters,
        interview_engine=interview_engine(settings, database, queue, adapters.llm, adapters.redactor),
        registry=MappingProxyType(registry),
        schedulable_job_types=frozenset(registry) | planned,
        workday_connection=workday,
        workday_probe=None if workday is None else workday.client,
        pipeline=context,
    )


def interview_engine(
    settings: Settings, database: Database, queue: QueueManager, llm: LLM, redactor: TextRedactor
) -> InterviewEngine:
    """The engine behind the candidate's interview, with the company and contact of the settings."""
    return InterviewEngine(
        database.engine,
        queue,
        llm,
        redactor=redactor,
        company_name=settings.COMPANY_NAME,
        contact_email=contact_email(settings),
    )


def pipeline_context(
    settings: Settings, database: Database, queue: QueueManager, adapters: Adapters, workday: WorkdayConnection
) -> PipelineContext:
    """The processors' context from the settings (with a twin's ID conventions) and the connected clients."""
    client = workday.client
    settings = workday.settings(settings)
    return PipelineContext(
        engine=database.engine,
        queue=queue,
        workday=client,
        llm=adapters.llm,
        storage=adapters.storage,
        mailer=adapters.mailer,
        documents=adapters.documents,
        reports=adapters.reports,
        redactor=adapters.redactor,
        frontend_url=settings.FRONTEND_URL,
        recruiter_email=contact_email(settings),
        company_name=settings.COMPANY_NAME,
        open_status=settings.WORKDAY_OPEN_STATUS.strip(),
        rejected_dispositions=id_list(settings.WORKDAY_REJECTED_DISPOSITIONS),
        advanced_stages=id_list(settings.WORKDAY_ADVANCED_STAGES),
        demographic_maps=DemographicMaps.from_settings(settings.WORKDAY_GENDER_MAP, settings.WORKDAY_ETHNICITY_MAP),
        workday_concurrency=client.options.max_in_flight,
        sync_time_budget=SYNC_BUDGET_SHARE * settings.job_timeouts.get("sync", settings.QUEUE_DEFAULT_JOB_TIMEOUT),
        retention_days=settings.RETENTION_DAYS,
        retention_days_files=settings.RETENTION_DAYS_FILES,
        deletion=deletion_stores(settings, adapters.storage),
        notice_calendar=settings.notice_calendar,
    )
