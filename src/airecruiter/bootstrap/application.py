"""The application object: everything one process needs, built once at start and closed at shutdown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap.adapters import Adapters
from airecruiter.bootstrap.database import Database
from airecruiter.bootstrap.workday import WorkdayConnection
from airecruiter.config import Settings
from airecruiter.db.engine import driver_dsn
from airecruiter.ports import ConnectivityProbe
from airecruiter.ports.workday import Workday
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Processor
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.queue.scheduler import SchedulerConfig
from airecruiter.queue.worker import WorkerConfig
from airecruiter.services.interviews import InterviewEngine


class Activity:
    """The latest notable thing this process did (for the heartbeat)."""

    def __init__(self) -> None:
        self.latest = "starting"

    def note(self, text: str) -> None:
        """Remember `text` as the latest activity."""
        self.latest = text


@dataclass(frozen=True)
class Application:
    """Everything one process needs, complete when `build` returns it; `aclose` closes it."""

    settings: Settings
    database: Database
    queue: QueueManager
    operations: QueueOperations
    adapters: Adapters
    interview_engine: InterviewEngine
    # The processors this process's workers run, final: the six pipeline ones among them when it runs the pipeline.
    registry: Mapping[str, Processor]
    # The job types some worker of this deployment runs: the scheduler enqueues only these.
    schedulable_job_types: frozenset[str]
    # None when this process did not connect Workday (a scheduler-only process, most CLI commands).
    workday_connection: WorkdayConnection | None = None
    # Reports whether Workday answers (the health endpoint, the dashboard); the client when connected.
    workday_probe: ConnectivityProbe | None = None
    # The pipeline processors' context when this process runs them.
    pipeline: PipelineContext | None = None
    activity: Activity = field(default_factory=Activity)

    @property
    def engine(self) -> AsyncEngine:
        """The database engine."""
        return self.database.engine

    @property
    def database_url(self) -> str:
        """The database's URL (with its password)."""
        return self.database.url

    @property
    def workday(self) -> Workday:
        """The connected Workday client; raises when this process was built without one."""
        if self.workday_connection is None:
            raise RuntimeError("this process was built without Workday (Wiring(workday=False))")
        return self.workday_connection.client

    def note_activity(self, text: str) -> None:
        """Remember the latest notable thing this process did (for the heartbeat)."""
        self.activity.note(text)

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
            listen_dsn=None if s.QUEUE_POLL_ONLY else driver_dsn(self.database.url),
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

    async def aclose(self) -> None:
        """Close Workday (and the sandbox this process runs), the adapters, then the database."""
        try:
            await close_clients(self.adapters, self.workday_connection)
        finally:
            await self.database.aclose()


async def close_clients(adapters: Adapters | None, workday: WorkdayConnection | None) -> None:
    """Close the Workday connection (and the sandbox this process runs), then the adapters."""
    try:
        if workday is not None:
            await workday.aclose()
    finally:
        if adapters is not None:
            await adapters.aclose()
