"""Fairness checks of prompt versions: requested with their job, completed by it, read by the gate and the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.json_columns import from_json, to_json
from airecruiter.domain.fairness_stats import FamilyResult, families_from_json, families_json

_INSERT = text("""
    INSERT INTO fairness_checks (prompt_id, requisition_id, requested_by)
    VALUES (:prompt_id, :requisition_id, :requested_by) RETURNING id
""")
_SELECT_ONE = text("""
    SELECT
    c.id, c.prompt_id, p.type AS prompt_type, p.version AS prompt_version, c.requisition_id, c.status,
    c.requested_by, c.provider, c.model, c.offline, c.pairs, c.identity_rate, c.resume_identity_rate,
    c.interview_identity_rate, c.families, c.thresholds, c.reasons, c.passed, c.created_at, c.finished_at
      FROM fairness_checks c JOIN prompts p ON p.id = c.prompt_id WHERE c.id = :id
""")
_SELECT_REQUESTED = text("""
    SELECT
    c.id, c.prompt_id, p.type AS prompt_type, p.version AS prompt_version, c.requisition_id, c.status,
    c.requested_by, c.provider, c.model, c.offline, c.pairs, c.identity_rate, c.resume_identity_rate,
    c.interview_identity_rate, c.families, c.thresholds, c.reasons, c.passed, c.created_at, c.finished_at
      FROM fairness_checks c JOIN prompts p ON p.id = c.prompt_id
     WHERE c.status = 'requested' AND c.requisition_id IS NOT DISTINCT FROM CAST(:requisition_id AS bigint)
     ORDER BY c.id
""")
_SELECT_FOR_PROMPT = text("""
    SELECT
    c.id, c.prompt_id, p.type AS prompt_type, p.version AS prompt_version, c.requisition_id, c.status,
    c.requested_by, c.provider, c.model, c.offline, c.pairs, c.identity_rate, c.resume_identity_rate,
    c.interview_identity_rate, c.families, c.thresholds, c.reasons, c.passed, c.created_at, c.finished_at
      FROM fairness_checks c JOIN prompts p ON p.id = c.prompt_id
     WHERE c.prompt_id = :prompt_id ORDER BY c.created_at DESC, c.id DESC LIMIT :limit
""")
_SELECT_PASSED = text("""
    SELECT EXISTS (SELECT 1 FROM fairness_checks WHERE prompt_id = :prompt_id AND status = 'done' AND passed)
""")
_COMPLETE = text("""
    UPDATE fairness_checks
       SET status = 'done', provider = :provider, model = :model, offline = :offline, pairs = :pairs,
           identity_rate = :identity_rate, resume_identity_rate = :resume_identity_rate,
           interview_identity_rate = :interview_identity_rate, families = CAST(:families AS jsonb),
           thresholds = CAST(:thresholds AS jsonb), reasons = CAST(:reasons AS jsonb), passed = :passed,
           finished_at = now()
     WHERE id = :id AND status = 'requested'
""")


@dataclass(frozen=True)
class FairnessCheck:
    """One check of a prompt version; the result fields are None until its job has run."""

    id: int
    prompt_id: int
    prompt_type: str
    prompt_version: int
    requisition_id: int | None
    status: str
    requested_by: str
    created_at: datetime
    provider: str | None = None
    model: str | None = None
    offline: bool | None = None
    pairs: int | None = None
    identity_rate: float | None = None
    resume_identity_rate: float | None = None
    interview_identity_rate: float | None = None
    families: tuple[FamilyResult, ...] = ()
    thresholds: dict[str, float] | None = None
    reasons: tuple[str, ...] = ()
    passed: bool | None = None
    finished_at: datetime | None = None

    @property
    def done(self) -> bool:
        """Whether the check has run."""
        return self.status == "done"


@dataclass(frozen=True)
class CheckResult:
    """What a finished check stores."""

    provider: str
    model: str
    offline: bool
    pairs: int
    identity_rate: float
    resume_identity_rate: float
    interview_identity_rate: float
    families: tuple[FamilyResult, ...]
    thresholds: dict[str, float]
    reasons: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """A check passes when nothing failed."""
        return not self.reasons


def _check(row: Row[Any]) -> FairnessCheck:
    v = row._mapping
    return FairnessCheck(
        id=int(v["id"]),
        prompt_id=int(v["prompt_id"]),
        prompt_type=v["prompt_type"],
        prompt_version=int(v["prompt_version"]),
        requisition_id=v["requisition_id"],
        status=v["status"],
        requested_by=v["requested_by"],
        created_at=v["created_at"],
        provider=v["provider"],
        model=v["model"],
        offline=v["offline"],
        pairs=v["pairs"],
        identity_rate=v["identity_rate"],
        resume_identity_rate=v["resume_identity_rate"],
        interview_identity_rate=v["interview_identity_rate"],
        families=tuple(families_from_json(from_json(v["families"]) or {})),
        thresholds=from_json(v["thresholds"]),
        reasons=tuple(from_json(v["reasons"]) or ()),
        passed=v["passed"],
        finished_at=v["finished_at"],
    )


async def request_check(conn: AsyncConnection, *, prompt_id: int, requisition_id: int | None, requested_by: str) -> int:
    """Record a requested check; its job completes it."""
    params = {"prompt_id": prompt_id, "requisition_id": requisition_id, "requested_by": requested_by}
    return int((await conn.execute(_INSERT, params)).scalar_one())


async def get_check(conn: AsyncConnection, check_id: int) -> FairnessCheck | None:
    """One check, or None."""
    row = (await conn.execute(_SELECT_ONE, {"id": check_id})).first()
    return None if row is None else _check(row)


async def requested_checks(conn: AsyncConnection, *, requisition_id: int | None) -> list[FairnessCheck]:
    """The checks of one scope (a requisition, or global) still waiting for their job, oldest first."""
    return [_check(r) for r in await conn.execute(_SELECT_REQUESTED, {"requisition_id": requisition_id})]


async def checks_for_prompt(conn: AsyncConnection, *, prompt_id: int, limit: int = 10) -> list[FairnessCheck]:
    """A prompt version's checks, newest first."""
    return [_check(r) for r in await conn.execute(_SELECT_FOR_PROMPT, {"prompt_id": prompt_id, "limit": limit})]


async def has_passing_check(conn: AsyncConnection, *, prompt_id: int) -> bool:
    """Whether some finished check of this prompt version passed."""
    return bool(await conn.scalar(_SELECT_PASSED, {"prompt_id": prompt_id}))


async def complete_check(conn: AsyncConnection, *, check_id: int, result: CheckResult) -> bool:
    """Store a check's result; False when it was completed already (a retried job)."""
    params = {
        "id": check_id,
        "provider": result.provider,
        "model": result.model,
        "offline": result.offline,
        "pairs": result.pairs,
        "identity_rate": result.identity_rate,
        "resume_identity_rate": result.resume_identity_rate,
        "interview_identity_rate": result.interview_identity_rate,
        "families": to_json(families_json(result.families)),
        "thresholds": to_json(result.thresholds),
        "reasons": to_json(list(result.reasons)),
        "passed": result.passed,
    }
    return (await conn.execute(_COMPLETE, params)).rowcount == 1
