"""The `sync` job: requisitions and their applications from Workday into the database.

Without a requisition the job refreshes the list of open requisitions. Each open requisition
counts as active at that moment: Workday offers no "changed since" filter for applications
(docs/architecture.md: Workday, 4), so the way to notice new applications and stage changes is to re-read every
open requisition, and the scheduler does that once its `min_sync_interval_minutes` has passed.

With a requisition the job follows the specification's steps: fetch its details, then each of its
applications. A new application gets its résumé downloaded and stored *before* its row exists —
under an id reserved for it — so the row, its artifacts, its activity entries and its `analyze`
job appear in one commit. A sync that dies half-way leaves no application without its analysis
job; its retry skips what is already stored (looked up a page at a time, in one query). An existing
application whose Workday status changed is updated, logged, and checked against the auto-send rule.

The cost of a sync follows the data, not round trips: résumés are fetched several at a time, as
many as the Workday client lets through (its in-flight and pacing limits are what bound it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.db.applications import (
    ApplicationRecord,
    ApplicationUpsert,
    applications_by_external_ids,
    reserve_application_ids,
    upsert_application,
)
from airecruiter.db.demographics import DemographicsRecord, demographics_by_application_ids
from airecruiter.db.notices import notice_facts
from airecruiter.db.outcomes import refresh_outcome
from airecruiter.db.requisitions import (
    RequisitionRecord,
    RequisitionUpsert,
    mark_synced,
    requisition_by_id,
    requisitions_missing_from,
    upsert_requisition,
)
from airecruiter.db.tombstones import lock_external_applications, tombstone_key, tombstoned
from airecruiter.domain.activity_details import (
    ApplicationCreated,
    ApplicationSyncFailed,
    CandidateDetailsUpdated,
    RequisitionCreated,
    RequisitionMissingInWorkday,
    RequisitionUpdated,
    ResumeMissing,
    WorkdayStatusChanged,
    redacted_message,
)
from airecruiter.domain.jobs import JobType
from airecruiter.domain.notice import NoticeState, notice_state
from airecruiter.domain.workday_decision import DecisionRules
from airecruiter.errors import PermanentError, describe
from airecruiter.ports.workday import Application, Requisition
from airecruiter.processors.common import actor, enqueue_interview_if_due, record
from airecruiter.processors.context import PipelineContext
from airecruiter.processors.resumes import fetch_resume, resume_details
from airecruiter.processors.self_id_sync import demographics_current, sync_demographics
from airecruiter.queue.jobs import Job

log = structlog.get_logger(__name__)

LOOKUP_BATCH = 100  # applications looked up in the database per query


@dataclass
class SyncTally:
    """What one requisition sync saw and did."""

    seen: int = 0
    created: int = 0
    status_changes: int = 0
    failed: int = 0
    newest_change: datetime | None = None

    def add(self, outcome: str, application: Application) -> None:
        """Count one application and remember the newest Workday change among them."""
        self.seen += 1
        self.created += outcome == "created"
        self.status_changes += outcome == "status_changed"
        self.failed += outcome == "failed"
        changed = application.status_changed_at or application.applied_at
        if changed is not None and (self.newest_change is None or changed > self.newest_change):
            self.newest_change = changed


async def sync_workday(ctx: PipelineContext, job: Job) -> None:
    """Refresh the open requisitions (no requisition given) or sync one requisition's applications."""
    if job.requisition_id is None:
        await refresh_requisitions(ctx, job)
    else:
        await sync_requisition(ctx, job, job.requisition_id)


# --- the requisition list --------------------------------------------------------------------------


async def refresh_requisitions(ctx: PipelineContext, job: Job) -> None:
    """Upsert every open requisition as active now; re-read the ones that are no longer listed as open."""
    now = ctx.now()
    found = await ctx.workday.requisitions()
    async with ctx.engine.begin() as conn:
        for requisition in found:
            await _store_requisition(conn, job, requisition, activity_at=now)
        statuses = sorted({r.status for r in found if r.status} | {ctx.open_status})
        closed = await requisitions_missing_from(
            conn, workday_statuses=statuses, external_ids=[r.requisition_id for r in found]
        )
    for stale in closed:
        current = await ctx.workday.requisition(stale.external_id)
        async with ctx.engine.begin() as conn:
            if current is None:
                await _mark_missing(conn, job, stale)
            else:
                await _store_requisition(conn, job, current, activity_at=now)
    log.info("requisitions_refreshed", open=len(found), no_longer_open=len(closed))


async def _store_requisition(
    conn: AsyncConnection,
    job: Job,
    requisition: Requisition,
    *,
    activity_at: datetime | None,
) -> RequisitionUpsert:
    result = await upsert_requisition(
        conn,
        external_id=requisition.requisition_id,
        name=requisition.title or requisition.requisition_id,
        detailed_description=requisition.description or "",
        recruiter_name=requisition.recruiter_name,
        workday_status=requisition.status,
        activity_at=activity_at,
    )
    stored = result.requisition
    if result.created:
        await record_activity(
            conn,
            actor=actor(job),
            requisition_id=stored.id,
            queue_item_id=job.id,
            details=RequisitionCreated(stored.external_id, stored.name, stored.workday_status),
        )
        log.info("requisition_created", requisition=stored.external_id, requisition_id=stored.id)
    elif result.changed:
        await record_activity(
            conn,
            actor=actor(job),
            requisition_id=stored.id,
            queue_item_id=job.id,
            details=RequisitionUpdated(tuple(result.changed), stored.workday_status),
        )
    return result


async def _mark_missing(conn: AsyncConnection, job: Job, requisition: RequisitionRecord) -> None:
    """Workday no longer knows the requisition: its status becomes unknown (NULL), once."""
    if requisition.workday_status is None:
        return
    await upsert_requisition(
        conn,
        external_id=requisition.external_id,
        name=requisition.name,
        detailed_description=requisition.detailed_description,
        recruiter_name=requisition.recruiter_name,
        workday_status=None,
    )
    await record_activity(
        conn,
        actor=actor(job),
        requisition_id=requisition.id,
        queue_item_id=job.id,
        details=RequisitionMissingInWorkday(requisition.external_id, requisition.workday_status),
    )
    log.warning("requisition_missing_in_workday", requisition=requisition.external_id)


# --- one requisition ---------------------------------------------------------------------------------


async def sync_requisition(ctx: PipelineContext, job: Job, requisition_id: int) -> None:
    """The specification's sync steps for one requisition."""
    async with ctx.engine.connect() as conn:
        stored = await requisition_by_id(conn, requisition_id=requisition_id)
    if stored is None:
        log.info("job_subject_gone", reason="the requisition no longer exists")
        return
    started = ctx.now()
    current = await ctx.workday.requisition(stored.external_id)
    async with ctx.engine.begin() as conn:
        if current is None:
            await _mark_missing(conn, job, stored)
            await mark_synced(conn, requisition_id=stored.id, synced_at=started, activity_at=None)
            return
        result = await _store_requisition(conn, job, current, activity_at=None)
    requisition = result.requisition
    tally = SyncTally()
    if not await _sync_applications(ctx, job, requisition, tally):
        # Out of time: what was stored stays; not marked synced, so the scheduler's next tick goes on.
        log.info(
            "requisition_sync_paused",
            requisition=requisition.external_id,
            budget_s=ctx.sync_time_budget,
            applications=tally.seen,
            created=tally.created,
        )
        return
    newest = [t for t in (tally.newest_change, started if result.changed else None) if t is not None]
    async with ctx.engine.begin() as conn:
        await mark_synced(
            conn, requisition_id=requisition.id, synced_at=started, activity_at=max(newest) if newest else None
        )
    log.info(
        "requisition_synced",
        requisition=requisition.external_id,
        applications=tally.seen,
        created=tally.created,
        status_changes=tally.status_changes,
        failed=tally.failed,
    )


def _rules(ctx: PipelineContext) -> DecisionRules:
    return DecisionRules(advanced_stages=ctx.advanced_stages, rejected_dispositions=ctx.rejected_dispositions)


def _inactive(application: Application, rules: DecisionRules) -> bool:
    """Rejected (WORKDAY_REJECTED_DISPOSITIONS, without case), withdrawn or do-not-hire: never invited automatically."""
    return rules.rejects(application.disposition) or application.withdrawn or application.do_not_hire


def _decision(application: Application, rules: DecisionRules) -> str | None:
    """The normalized human decision (advanced / rejected / None) Workday shows for the application."""
    decision = rules.decide(
        stage=application.stage,
        disposition=application.disposition,
        withdrawn=application.withdrawn,
        do_not_hire=application.do_not_hire,
    )
    return None if decision is None else decision.value


def _unchanged(
    ctx: PipelineContext, existing: ApplicationRecord, application: Application, stored: DemographicsRecord | None
) -> bool:
    rules = _rules(ctx)
    return (
        demographics_current(ctx.demographic_maps, application, stored)
        and existing.workday_status == application.status
        and existing.candidate_email == application.email
        and existing.candidate_name == application.candidate_name
        and existing.workday_inactive == _inactive(application, rules)
        and existing.human_decision == _decision(application, rules)
    )


async def _sync_applications(ctx: PipelineContext, job: Job, requisition: RequisitionRecord, tally: SyncTally) -> bool:
    """Every application of the requisition, the new ones' résumés fetched a few at a time.

    One reader streams Workday's pages and looks each batch up in one query; workers fetch the new
    applications' résumés and store them, at most `2 × workday_concurrency` at once (the client's own
    in-flight and pacing limits still hold). The queue between them is bounded, so memory stays flat
    however large the requisition. The first error stops everything and is raised as itself.
    """
    workers = max(1, 2 * ctx.workday_concurrency)
    work: asyncio.Queue[tuple[Application, ApplicationRecord | None, int] | None] = asyncio.Queue(maxsize=2 * workers)
    failures: list[Exception] = []
    loop = asyncio.get_running_loop()
    deadline = None if ctx.sync_time_budget is None else loop.time() + ctx.sync_time_budget
    paused: list[bool] = []

    def out_of_time() -> bool:
        if deadline is not None and not paused and loop.time() > deadline:
            paused.append(True)
        return bool(paused)

    async def read() -> None:
        batch: list[Application] = []
        seen: set[str] = set()  # a page boundary that shifts may list an application twice
        try:
            async for application in ctx.workday.applications(requisition.external_id):
                if failures or out_of_time():
                    return
                if application.application_id in seen:
                    continue
                seen.add(application.application_id)
                batch.append(application)
                if len(batch) >= LOOKUP_BATCH:
                    await _dispatch(ctx, batch, work, tally)
                    batch = []
            await _dispatch(ctx, batch, work, tally)
        except Exception as exc:
            failures.append(exc)
        finally:
            for _ in range(workers):
                await work.put(None)

    async def store() -> None:
        # After the first failure each worker finishes the application in its hands and stops:
        # what was fetched is kept, so the retry has less to do.
        while not failures and not out_of_time() and (item := await work.get()) is not None:
            application, existing, application_id = item
            try:
                outcome = await _sync_application(ctx, job, requisition, application, existing, application_id)
            except Exception as exc:
                failures.append(exc)
                return
            tally.add(outcome, application)

    reader = asyncio.create_task(read())
    try:
        await asyncio.gather(*(store() for _ in range(workers)))
    finally:
        reader.cancel()
        await asyncio.wait([reader])  # never swallows a cancellation of this job itself
    if failures:
        raise failures[0]
    return not paused


async def _dispatch(
    ctx: PipelineContext,
    batch: list[Application],
    work: asyncio.Queue[tuple[Application, ApplicationRecord | None, int] | None],
    tally: SyncTally,
) -> None:
    """Look the batch up in one query, reserve ids for the new ones, and hand over what changed."""
    if not batch:
        return
    async with ctx.engine.connect() as conn:
        stored = await applications_by_external_ids(conn, external_application_ids=[a.application_id for a in batch])
        self_ids = await demographics_by_application_ids(conn, application_ids=[r.id for r in stored.values()])
        unknown = [a.application_id for a in batch if a.application_id not in stored]
        key = await tombstone_key(conn, ctx.deletion_stores.secret_key)
        # Deleted for good (retention or erasure): a tombstoned application never comes back.
        gone = await tombstoned(conn, key=key, external_ids=unknown)
        fresh = [a for a in batch if a.application_id not in stored and a.application_id not in gone]
        reserved = iter(await reserve_application_ids(conn, count=len(fresh)))
        await conn.commit()
    for application in batch:
        if application.application_id in gone:
            tally.add("tombstoned", application)
            continue
        existing = stored.get(application.application_id)
        if existing is not None and _unchanged(ctx, existing, application, self_ids.get(existing.id)):
            tally.add("unchanged", application)
            continue
        await work.put((application, existing, existing.id if existing is not None else next(reserved)))


async def _sync_application(
    ctx: PipelineContext,
    job: Job,
    requisition: RequisitionRecord,
    application: Application,
    existing: ApplicationRecord | None,
    application_id: int,
) -> str:
    """Create or update one application; how it went ("created", "status_changed", ...)."""
    artifacts = None
    if existing is None:
        try:
            artifacts = await fetch_resume(
                ctx,
                application_id=application_id,
                external_candidate_id=application.candidate_id,
                external_application_id=application.application_id,
            )
        except PermanentError as exc:
            # One bad record must not stop the requisition; the next sync tries it again.
            await _record_failure(ctx, job, requisition, application, exc)
            return "failed"
    async with ctx.engine.begin() as conn:
        if await _deleted_meanwhile(conn, ctx, application.application_id):
            if artifacts is not None and artifacts.resume is not None:  # fetched for it just now: not kept
                await ctx.storage.delete(artifacts.resume.key)
            return "tombstoned"
        result = await upsert_application(
            conn,
            application_id=application_id,
            requisition_id=requisition.id,
            external_application_id=application.application_id,
            external_candidate_id=application.candidate_id,
            candidate_name=application.candidate_name,
            candidate_email=application.email,
            workday_status=application.status,
            workday_status_changed=application.status_changed_at or ctx.now(),
            artifacts=artifacts,
            workday_inactive=_inactive(application, _rules(ctx)),
            human_decision=_decision(application, _rules(ctx)),
        )
        self_id_changed = await sync_demographics(
            conn, ctx.demographic_maps, application_id=result.application.id, application=application
        )
        await refresh_outcome(conn, result.application.id)  # Workday's human decision or the self-ID may have changed
        if result.created:
            await _created(conn, ctx, job, result.application)
            return "created"
        if result.previous_workday_status != application.status:
            await _status_changed(conn, ctx, job, requisition, result)
            return "status_changed"
        if existing is None:  # listed twice and stored by the first: nothing left to do
            return "unchanged"
        changed = tuple(
            name
            for name, before, after in (
                ("candidate_name", existing.candidate_name, application.candidate_name),
                ("candidate_email", existing.candidate_email, application.email),
            )
            if before != after
        )
        if not changed:  # the settings read Workday's IDs anew (inactive, decision), or only the self-ID moved
            return "self_id_updated" if self_id_changed else "reread"
        await record(conn, job, result.application, CandidateDetailsUpdated(changed))
        return "details_updated"


async def _deleted_meanwhile(conn: AsyncConnection, ctx: PipelineContext, external_application_id: str) -> bool:
    """Whether erasure or retention deleted the application since this sync read it (then it stays deleted)."""
    await lock_external_applications(conn, [external_application_id])
    key = await tombstone_key(conn, ctx.deletion_stores.secret_key)
    return bool(await tombstoned(conn, key=key, external_ids=[external_application_id]))


async def _first_job(conn: AsyncConnection, ctx: PipelineContext, application_id: int) -> JobType | None:
    """The analysis, or the advance notice when the requisition asks for one (None: the period is running)."""
    facts = await notice_facts(conn, application_id=application_id)
    state = notice_state(facts, now=ctx.now(), calendar=ctx.notice_calendar)
    if state is NoticeState.TO_SEND:
        return JobType.SEND_NOTICE
    return JobType.ANALYZE if state is NoticeState.NOT_REQUIRED else None


async def _created(conn: AsyncConnection, ctx: PipelineContext, job: Job, application: ApplicationRecord) -> None:
    await record(
        conn,
        job,
        application,
        ApplicationCreated(application.workday_status),
    )
    if application.artifacts.resume is not None:
        await record(conn, job, application, resume_details(application.artifacts.resume))
    else:
        await record(conn, job, application, ResumeMissing())
    first = await _first_job(conn, ctx, application.id)
    if first is not None:
        await ctx.queue.enqueue(first, application_id=application.id, conn=conn, enqueued_by=actor(job))
    log.info(
        "application_created",
        application_id=application.id,
        external_application_id=application.external_application_id,
        resume=application.artifacts.resume is not None,
    )


async def _status_changed(
    conn: AsyncConnection,
    ctx: PipelineContext,
    job: Job,
    requisition: RequisitionRecord,
    result: ApplicationUpsert,
) -> None:
    application = result.application
    await record(
        conn,
        job,
        application,
        WorkdayStatusChanged(result.previous_workday_status, application.workday_status),
    )
    await enqueue_interview_if_due(conn, ctx, job, application=application, requisition=requisition)


async def _record_failure(
    ctx: PipelineContext,
    job: Job,
    requisition: RequisitionRecord,
    application: Application,
    error: Exception,
) -> None:
    log.warning("application_sync_failed", external_application_id=application.application_id, error=describe(error))
    async with ctx.engine.begin() as conn:
        await record_activity(
            conn,
            actor=actor(job),
            requisition_id=requisition.id,
            queue_item_id=job.id,
            details=ApplicationSyncFailed(
                redacted_message(
                    describe(error),
                    application.application_id,
                    application.candidate_id,
                    application.first_name,
                    application.last_name,
                    application.email,
                    application.phone,
                )
            ),
        )
