"""Composition root: builds the database, queue and adapters from Settings, and closes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap_adapters import TWIN_SENDER, Adapters, build_adapters
from airecruiter.bootstrap_workday import WorkdayConnection, connect_workday
from airecruiter.config import Settings, id_list, revealed
from airecruiter.db.connectivity import wait_for_database as wait_until_reachable
from airecruiter.db.embedded import EmbeddedPostgres
from airecruiter.db.engine import create_engine, driver_dsn, redacted
from airecruiter.db.migrate import upgrade
from airecruiter.ports import ConnectivityProbe
from airecruiter.ports.workday import Workday
from airecruiter.processors.context import PipelineContext
from airecruiter.processors.registry import PIPELINE_JOB_TYPES, add_processors, build_registry, pipeline_processors
from airecruiter.queue.jobs import Processor
from airecruiter.queue.manager import QueueConfig, QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.queue.scheduler import SchedulerConfig
from airecruiter.queue.worker import WorkerConfig

log = structlog.get_logger(__name__)


@dataclass
class Runtime:
    """Everything a process needs, built once at start and closed at shutdown."""

    settings: Settings
    database_url: str
    engine: AsyncEngine
    queue: QueueManager
    operations: QueueOperations
    registry: dict[str, Processor]
    adapters: Adapters
    embedded: EmbeddedPostgres | None = None
    # Reports whether Workday answers; None until `start_workday` connected the client.
    workday_probe: ConnectivityProbe | None = None
    workday_connection: WorkdayConnection | None = None
    # Whether this process runs the six pipeline processors; they join `registry` in `start_pipeline`.
    pipeline: bool = False
    pipeline_context: PipelineContext | None = None
    activity: list[str] = field(default_factory=lambda: ["starting"])

    def note_activity(self, text: str) -> None:
        """Remember the latest notable thing this process did (for the heartbeat)."""
        self.activity[0] = text

    def worker_config(self) -> WorkerConfig:
        """The worker's settings."""
        s = self.settings
        return WorkerConfig(
            concurrency=s.QUEUE_MAX_CONCURRENCY,
            poll_interval=s.QUEUE_POLL_INTERVAL,
            poll_only=s.QUEUE_POLL_ONLY,
            shutdown_grace=s.QUEUE_SHUTDOWN_GRACE,
            job_timeouts=s.job_timeouts,
            default_timeout=s.QUEUE_DEFAULT_JOB_TIMEOUT,
            listen_dsn=None if s.QUEUE_POLL_ONLY else driver_dsn(self.database_url),
            liveness=not s.QUEUE_POLL_ONLY,
        )

    def scheduler_config(self) -> SchedulerConfig:
        """The scheduler's settings."""
        s = self.settings
        return SchedulerConfig(
            interval=s.SCHEDULER_INTERVAL,
            lookback_hours_default=s.LOOKBACK_HOURS_DEFAULT,
            job_runs_retention_days=s.JOB_RUNS_RETENTION_DAYS,
        )

    async def start_workday(self) -> Workday:
        """The Workday client (the sandbox tenant's when none is configured), connected once."""
        if self.workday_connection is None:
            self.workday_connection = await connect_workday(self.settings, self.engine)
            self.workday_probe = self.workday_connection.client
        return self.workday_connection.client

    async def start_pipeline(self) -> PipelineContext | None:
        """Connect Workday and register the pipeline processors (once); None when this runtime has none."""
        if not self.pipeline:
            return None
        if self.pipeline_context is None:
            await self.start_workday()
            assert self.workday_connection is not None
            client = self.workday_connection.client
            context = replace(
                pipeline_context(self.settings, self.engine, self.queue, self.adapters, client),
                workday_concurrency=client.options.max_in_flight,
                sync_time_budget=SYNC_BUDGET_SHARE
                * self.settings.job_timeouts.get("sync", self.settings.QUEUE_DEFAULT_JOB_TIMEOUT),
            )
            add_processors(self.registry, pipeline_processors(context))
            self.pipeline_context = context
        return self.pipeline_context

    @property
    def schedulable_job_types(self) -> frozenset[str]:
        """The job types some worker of this deployment runs: the scheduler enqueues only these."""
        return frozenset(self.registry) | (frozenset(PIPELINE_JOB_TYPES) if self.pipeline else frozenset())

    @property
    def workday(self) -> Workday:
        """The connected Workday client; `start_workday` must have run."""
        if self.workday_connection is None:
            raise RuntimeError("start_workday() was not awaited before Workday was used")
        return self.workday_connection.client

    async def close(self) -> None:
        """Close connections and stop the embedded server if this process started it."""
        if self.workday_connection is not None:
            await self.workday_connection.aclose()
        await self.adapters.aclose()
        await self.engine.dispose()
        if self.embedded is not None:
            self.embedded.stop()


SYNC_BUDGET_SHARE = 0.8  # of the sync job's time limit: the rest finishes what is in hand


def pipeline_context(
    settings: Settings,
    engine: AsyncEngine,
    queue: QueueManager,
    adapters: Adapters,
    workday: Workday,
) -> PipelineContext:
    """The processors' context from the settings and the connected clients."""
    contact = settings.RECRUITING_CONTACT_EMAIL or settings.SES_FROM_EMAIL or TWIN_SENDER
    return PipelineContext(
        engine=engine,
        queue=queue,
        workday=workday,
        llm=adapters.llm,
        storage=adapters.storage,
        mailer=adapters.mailer,
        documents=adapters.documents,
        reports=adapters.reports,
        redactor=adapters.redactor,
        frontend_url=settings.FRONTEND_URL,
        recruiter_email=contact,
        company_name=settings.COMPANY_NAME,
        open_status=settings.WORKDAY_OPEN_STATUS.strip(),
        rejected_dispositions=id_list(settings.WORKDAY_REJECTED_DISPOSITIONS),
    )


async def build_runtime(
    settings: Settings,
    *,
    extra_processors: Mapping[str, Processor] | None = None,
    pipeline: bool = True,
    migrate: bool | None = None,
    wait_for_database: bool = False,
) -> Runtime:
    """Connect to PostgreSQL (embedded when DATABASE_URL is unset) and build the queue.

    With `pipeline` the six pipeline processors join `extra_processors` once `start_pipeline`
    has connected Workday. The embedded database migrates itself; a configured one is migrated
    by `airecruiter db upgrade` unless `migrate` is set. With `wait_for_database` a configured
    server that does not answer yet is waited for (a refusal of our credentials still fails fast).
    """
    embedded = None
    url = revealed(settings.DATABASE_URL)
    if url is None:
        embedded = EmbeddedPostgres(settings.AIRECRUITER_DATA_DIR)
        url = embedded.start()
        log.info("database_local_twin", reason="DATABASE_URL is not set", data_dir=str(settings.AIRECRUITER_DATA_DIR))
    else:
        log.info("database_configured", url=redacted(url))
        if wait_for_database:
            await wait_until_reachable(url)
    engine = create_engine(url, pool_size=max(6, settings.QUEUE_MAX_CONCURRENCY + 5))
    try:
        if migrate if migrate is not None else embedded is not None:
            await upgrade(url, engine)
    except BaseException:
        await engine.dispose()
        if embedded is not None:
            embedded.stop()
        raise
    queue = QueueManager(
        engine,
        QueueConfig(
            max_attempts=settings.QUEUE_MAX_ATTEMPTS,
            lease_seconds=settings.QUEUE_LEASE_SECONDS,
            job_limits=settings.job_limits,
            max_lost_leases=settings.QUEUE_MAX_LOST_LEASES,
        ),
    )
    return Runtime(
        settings=settings,
        database_url=url,
        engine=engine,
        queue=queue,
        operations=QueueOperations(engine),
        registry=build_registry(extra_processors),
        adapters=build_adapters(settings),
        embedded=embedded,
        pipeline=pipeline,
    )
