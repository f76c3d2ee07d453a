"""Retention: delete the applications whose last activity is older than the retention period.

Each application is deleted on its own (a failure leaves the others done and is raised after);
those under a legal hold are counted and left alone. One activity entry says what the run did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.retention import due_for_deletion
from airecruiter.domain.lifecycle_activity import RetentionRan
from airecruiter.services.data_deletion import (
    DeletionResult,
    DeletionStores,
    delete_applications,
    delete_stored_files,
)

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RetentionRun:
    """What one retention run deleted and what a legal hold kept."""

    deleted: DeletionResult
    held_back: int
    files_only: int = 0  # applications whose files went under the shorter file retention


async def run_retention(
    engine: AsyncEngine,
    stores: DeletionStores,
    *,
    retention_days: int,
    now: dt.datetime,
    actor: str,
    files_days: int | None = None,
) -> RetentionRun:
    """Delete every application due for deletion and not held; log one activity entry with the counts.

    With `files_days` shorter than `retention_days`, the résumé and report files of applications
    past `files_days` go first and their records stay until `retention_days`.
    """
    cutoff = now - dt.timedelta(days=retention_days)
    async with engine.connect() as conn:
        due, held = await due_for_deletion(conn, cutoff=cutoff)
        files_due: list[int] = []
        if files_days is not None and files_days < retention_days:
            files_due, _ = await due_for_deletion(conn, cutoff=now - dt.timedelta(days=files_days))
    total = DeletionResult()
    failure: Exception | None = None
    files_only = [a for a in files_due if a not in set(due)]
    for application_id in files_only:
        try:
            total.objects += await delete_stored_files(engine, stores, [application_id])
        except Exception as exc:  # as below: the rest still go
            log.warning("retention_files_failed", application_id=application_id, error_class=type(exc).__name__)
            failure = failure or exc
    for application_id in due:
        try:
            total.add(await delete_applications(engine, stores, [application_id], reason="retention"))
        except Exception as exc:  # the rest still go; the job fails after and is retried
            log.warning("retention_delete_failed", application_id=application_id, error_class=type(exc).__name__)
            failure = failure or exc
    async with engine.begin() as conn:
        details = RetentionRan(total.applications, total.objects, total.emails, len(held), len(files_only))
        await record_activity(conn, actor=actor, details=details)
    log.info("retention_ran", deleted=total.applications, objects=total.objects, held_back=len(held))
    if failure is not None:
        raise failure
    return RetentionRun(deleted=total, held_back=len(held), files_only=len(files_only))
