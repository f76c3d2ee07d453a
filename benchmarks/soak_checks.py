"""What the chaos soak measures and checks after a phase: throughput, recoveries, the dead letter, invariants.

Used by benchmarks/soak.py. The invariants, by SQL and by files: every application with a
readable résumé is `complete`; exactly one invitation email (.eml in the outbox) per interview;
one upload per report version (the sandbox's attachments by filename); no queue item completed
twice (job_runs); nothing `running` with an expired lease; the dead letter holds only unreadable
résumés (ParseError); every email of the outbox table is `sent`.
"""

# The checks run after the phase stopped; reading the outbox directory blocks nothing else.
# ruff: noqa: ASYNC240

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


@dataclass
class Phase:
    """What one phase measured and found."""

    name: str
    events: list[dict[str, Any]] = field(default_factory=list)
    db_back_at: list[tuple[str, float]] = field(default_factory=list)


async def query(engine: Any, sql: str, **params: Any) -> list[Any]:
    """All rows of one query."""
    from sqlalchemy import text

    async with engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


_THROUGHPUT = """
    SELECT count(*) AS complete, max(occurred_at) AS last
      FROM activities WHERE action = 'status_changed' AND details->>'to' = 'complete'
"""
_FIRST_JOB_AFTER = """
    SELECT min(EXTRACT(EPOCH FROM finished_at)) FROM job_runs
     WHERE outcome = 'completed' AND finished_at > to_timestamp(:t)
"""
_DEAD = """
    SELECT q.id, q.job_type, q.attempts, q.last_error, a.external_application_id, a.candidate_name
      FROM queue_items q LEFT JOIN applications a ON a.id = q.application_id
     WHERE q.status = 'dead' ORDER BY q.id
"""


async def measure(engine: Any, started_db: Any, phase: Phase) -> dict[str, Any]:
    [(complete, last)] = await query(engine, _THROUGHPUT)
    minutes = (last - started_db).total_seconds() / 60 if last else 0.0
    recoveries = []
    for label, back in phase.db_back_at:
        [(first,)] = await query(engine, _FIRST_JOB_AFTER, t=back)
        recoveries.append(
            {"restart": label, "seconds_to_first_job": None if first is None else round(float(first) - back, 2)}
        )
    return {
        "applications_complete": int(complete),
        "applications_per_minute": round(complete / minutes, 2) if minutes else 0.0,
        "database_back_to_first_job": recoveries,
        "dead_letter": [
            {
                "job_type": r.job_type,
                "attempts": r.attempts,
                "application": r.external_application_id,
                "candidate": r.candidate_name,
                "last_error": r.last_error,
            }
            for r in await query(engine, _DEAD)
        ],
    }


_INCOMPLETE_READABLE = """
    SELECT a.external_application_id, a.status FROM applications a
     WHERE a.status <> 'complete'
       AND NOT EXISTS (SELECT 1 FROM queue_items q WHERE q.application_id = a.id AND q.status = 'dead'
                         AND q.job_type = 'analyze' AND q.last_error LIKE 'ParseError:%')
"""
_COMPLETED_TWICE = """
    SELECT queue_item_id, count(*) FROM job_runs WHERE outcome = 'completed' GROUP BY 1 HAVING count(*) > 1
"""
_STAGE_TWICE = """
    SELECT job_type, application_id, count(*) FROM job_runs
     WHERE outcome = 'completed' AND application_id IS NOT NULL
       AND job_type IN ('analyze', 'send_interview', 'evaluate', 'upload_report')
     GROUP BY 1, 2 HAVING count(*) > 1
"""
_EXPIRED_RUNNING = "SELECT id, job_type FROM queue_items WHERE status = 'running' AND locked_until < now()"
# Left over: anything running or waiting for a retry, and any pending item from before the phase
# settled (a periodic sync a scheduler enqueued while everything was being stopped is not work lost).
_LIVE = """
    SELECT id, job_type, status FROM queue_items
     WHERE status IN ('running', 'failed') OR (status = 'pending' AND created_at <= :settled_at)
"""
_OUTBOX_UNSENT = "SELECT id, application_id, kind, attempts FROM email_outbox WHERE state <> 'sent'"
_INTERVIEWS = "SELECT id, token_hash, invitation_message_id FROM interviews"
_UPLOADED = "SELECT application_id, id FROM reports WHERE uploaded_to_workday"


async def invariants(
    engine: Any, outbox: Path, frontend: str, sandbox_url: str, *, settled_at: Any
) -> tuple[dict[str, bool], dict[str, Any]]:
    """Every invariant by name (True: it holds), and what a broken one found."""
    kept: dict[str, bool] = {}
    details: dict[str, Any] = {}
    for check in (
        _queue_checks(engine, settled_at),
        _email_checks(engine, outbox, frontend),
        _upload_checks(engine, sandbox_url),
    ):
        more_kept, more_details = await check
        kept |= more_kept
        details |= more_details
    return kept, details


def _strings(rows: list[Any]) -> list[list[str]]:
    return [list(map(str, r)) for r in rows]


async def _queue_checks(engine: Any, settled_at: Any) -> tuple[dict[str, bool], dict[str, Any]]:
    incomplete = await query(engine, _INCOMPLETE_READABLE)
    twice = await query(engine, _COMPLETED_TWICE)
    stage_twice = await query(engine, _STAGE_TWICE)
    expired = await query(engine, _EXPIRED_RUNNING)
    live = await query(engine, _LIVE, settled_at=settled_at)
    dead = await query(engine, _DEAD)
    undeserved = [r for r in dead if not (r.job_type == "analyze" and (r.last_error or "").startswith("ParseError:"))]
    kept = {
        "every_readable_application_complete": not incomplete,
        "no_job_completed_twice": not twice,
        "no_stage_completed_twice_for_an_application": not stage_twice,
        "no_running_item_with_expired_lease": not expired,
        "queue_drained": not live,
        "dead_letter_only_unreadable_resumes": not undeserved,
    }
    details = {
        "incomplete_readable": _strings(incomplete),
        "completed_twice": _strings(twice),
        "stage_completed_twice": _strings(stage_twice),
        "expired_leases": _strings(expired),
        "live_items": _strings(live),
        "undeserved_dead": _strings(undeserved),
    }
    return kept, details


async def _email_checks(engine: Any, outbox: Path, frontend: str) -> tuple[dict[str, bool], dict[str, Any]]:
    """Each .eml carries one interview link; its token's SHA-256 names the interview."""
    from airecruiter.sandbox.candidate_simulator import find_invitations

    interviews = {r.token_hash: r for r in await query(engine, _INTERVIEWS)}
    per_interview: Counter[str] = Counter()
    emails = sorted(outbox.glob("*.eml"))
    strays = 0
    for path in emails:
        for invitation in find_invitations_in(path, frontend, find_invitations):
            digest = hashlib.sha256(invitation.encode()).hexdigest()
            if digest in interviews:
                per_interview[digest] += 1
            else:
                strays += 1
    invited = [h for h, r in interviews.items() if r.invitation_message_id]
    email_counts = Counter(per_interview[h] for h in invited)
    unsent = await query(engine, _OUTBOX_UNSENT)
    kept = {
        "one_email_per_interview": len(emails) == len(invited) and set(email_counts) <= {1} and strays == 0,
        "every_outbox_email_sent": not unsent,
    }
    details = {
        "emails": len(emails),
        "interviews_invited": len(invited),
        "emails_per_interview": {str(k): v for k, v in email_counts.items()},
        "emails_for_unknown_interviews": strays,
        "outbox_unsent": _strings(unsent),
    }
    return kept, details


async def _upload_checks(engine: Any, sandbox_url: str) -> tuple[dict[str, bool], dict[str, Any]]:
    """The sandbox's uploaded attachments by filename, against the reports marked uploaded."""
    async with httpx.AsyncClient(timeout=10) as http:
        rows = (await http.get(f"{sandbox_url}/_sandbox/attachments", params={"origin": "upload"})).json()
    names = Counter(a["filename"] for a in rows["attachments"])
    uploaded = await query(engine, _UPLOADED)
    complete_apps = [r[0] for r in await query(engine, "SELECT id FROM applications WHERE status = 'complete'")]
    without_upload = [a for a in complete_apps if not any(n.startswith(f"CandidateReport_{a}") for n in names)]
    kept = {
        "one_upload_per_report_version": all(n == 1 for n in names.values())
        and len(names) == len(uploaded)
        and not without_upload,
    }
    details = {
        "uploads": sum(names.values()),
        "upload_filenames_repeated": sorted(n for n, c in names.items() if c > 1),
        "reports_marked_uploaded": len(uploaded),
        "complete_without_upload": without_upload,
    }
    return kept, details


def find_invitations_in(path: Path, frontend: str, find: Any) -> list[str]:
    """The interview tokens linked from one .eml (the simulator's parser, on a directory of one)."""
    with tempfile.TemporaryDirectory(prefix="soak-mail-") as one:
        os.symlink(path, Path(one) / path.name)
        return [invitation.token for invitation in find(one, frontend)]
