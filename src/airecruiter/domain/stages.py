"""When an application is due for its next pipeline job (used by the scheduler to heal lost work)."""

from __future__ import annotations

from dataclasses import dataclass

from airecruiter.domain.statuses import NEXT_JOB_BY_STATUS, ApplicationStatus, InterviewStatus


@dataclass(frozen=True)
class StageFacts:
    """What the scheduler knows about one application when deciding its next job."""

    status: str
    workday_status: str | None
    auto_send_interview: bool
    auto_send_on_status: str | None
    has_interview: bool
    interview_status: str | None
    has_evaluation: bool
    workday_inactive: bool = False


def should_auto_send(
    *,
    auto_send_interview: bool,
    auto_send_on_status: str | None,
    workday_status: str | None,
    workday_inactive: bool = False,
) -> bool:
    """The auto-send rule: on after analysis, or only once Workday shows the trigger status.

    Never for a candidate Workday shows as rejected, withdrawn or do-not-hire.
    """
    if not auto_send_interview or workday_inactive:
        return False
    trigger = (auto_send_on_status or "").strip()
    # Stage and disposition IDs are tenant data: "Screen" and "SCREEN" are the same stage.
    return not trigger or trigger.casefold() == (workday_status or "").strip().casefold()


def next_job(facts: StageFacts) -> str | None:
    """The job type this application needs next, or None while it waits on a person."""
    status = ApplicationStatus(facts.status)
    if status in NEXT_JOB_BY_STATUS:
        return NEXT_JOB_BY_STATUS[status]
    if status is ApplicationStatus.ANALYZED:
        due = not facts.has_interview and should_auto_send(
            auto_send_interview=facts.auto_send_interview,
            auto_send_on_status=facts.auto_send_on_status,
            workday_status=facts.workday_status,
            workday_inactive=facts.workday_inactive,
        )
        return "send_interview" if due else None
    if status is ApplicationStatus.INTERVIEW_PENDING:
        finished = facts.interview_status == InterviewStatus.COMPLETED.value
        return "evaluate" if finished and not facts.has_evaluation else None
    return None
