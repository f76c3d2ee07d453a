"""Application statuses: which moves the pipeline allows, and which job each application needs next."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise, product

import pytest

from airecruiter.domain.jobs import JobType
from airecruiter.domain.stages import StageFacts, next_job, should_auto_send
from airecruiter.domain.statuses import ApplicationStatus, check_transition
from airecruiter.errors import IllegalTransitionError

S = ApplicationStatus

LEGAL = {
    (S.NEW, S.ANALYZED),
    (S.ANALYZED, S.ANALYZED),  # re-analysis
    (S.ANALYZED, S.INTERVIEW_PENDING),
    (S.ANALYZED, S.REPORT_PENDING),  # analysis-only report
    (S.INTERVIEW_PENDING, S.INTERVIEW_COMPLETE),
    (S.INTERVIEW_PENDING, S.REPORT_PENDING),  # report without the interview
    (S.INTERVIEW_COMPLETE, S.REPORT_PENDING),
    (S.REPORT_PENDING, S.COMPLETE),
    (S.REPORT_PENDING, S.REPORT_PENDING),  # a retried upload
    (S.COMPLETE, S.REPORT_PENDING),  # a regenerated report
} | {(source, S.HUMAN_REVIEW) for source in S if source is not S.HUMAN_REVIEW}  # a person instead of the AI
ILLEGAL = sorted(set(product(S, S)) - LEGAL)


@pytest.mark.parametrize(("source", "target"), sorted(LEGAL))
def test_legal_transition_returns_the_target(source: S, target: S) -> None:
    assert check_transition(source.value, target.value) is target


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_transition_is_refused_with_both_statuses_named(source: S, target: S) -> None:
    with pytest.raises(IllegalTransitionError) as raised:
        check_transition(source.value, target.value)
    assert source.value in raised.value.message and target.value in raised.value.message


def test_the_pipeline_can_be_walked_from_new_to_complete() -> None:
    path = [S.NEW, S.ANALYZED, S.INTERVIEW_PENDING, S.INTERVIEW_COMPLETE, S.REPORT_PENDING, S.COMPLETE]
    for source, target in pairwise(path):
        check_transition(source, target)


@pytest.mark.parametrize(
    ("current", "target"), [("new", "archived"), ("deleted", "analyzed"), ("", "new"), ("NEW", "analyzed")]
)
def test_unknown_status_is_an_illegal_transition(current: str, target: str) -> None:
    with pytest.raises(IllegalTransitionError, match="Unknown application status"):
        check_transition(current, target)


def test_illegal_transition_is_never_retried() -> None:
    assert not IllegalTransitionError.policy.retries


def _facts(status: S, **changes: object) -> StageFacts:
    base = StageFacts(
        status=status.value,
        workday_status="Screen",
        auto_send_interview=True,
        auto_send_on_status=None,
        has_interview=False,
        interview_status=None,
        has_evaluation=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


NEXT = [
    ("new application is analysed", _facts(S.NEW), JobType.ANALYZE),
    ("analysed, auto-send on: invite", _facts(S.ANALYZED), JobType.SEND_INTERVIEW),
    ("analysed, auto-send off: a recruiter decides", _facts(S.ANALYZED, auto_send_interview=False), None),
    ("analysed, already invited", _facts(S.ANALYZED, has_interview=True, interview_status="scheduled"), None),
    (
        "analysed, trigger status reached",
        _facts(S.ANALYZED, auto_send_on_status="Interview", workday_status="Interview"),
        JobType.SEND_INTERVIEW,
    ),
    (
        "analysed, trigger status not reached",
        _facts(S.ANALYZED, auto_send_on_status="Interview", workday_status="Screen"),
        None,
    ),
    (
        "interview scheduled: waiting on the candidate",
        _facts(S.INTERVIEW_PENDING, has_interview=True, interview_status="scheduled"),
        None,
    ),
    (
        "interview in progress: waiting on the candidate",
        _facts(S.INTERVIEW_PENDING, has_interview=True, interview_status="in_progress"),
        None,
    ),
    (
        "interview completed: evaluate",
        _facts(S.INTERVIEW_PENDING, has_interview=True, interview_status="completed"),
        JobType.EVALUATE,
    ),
    (
        "interview completed and evaluated",
        _facts(S.INTERVIEW_PENDING, has_interview=True, interview_status="completed", has_evaluation=True),
        None,
    ),
    (
        "interview expired: a recruiter decides",
        _facts(S.INTERVIEW_PENDING, has_interview=False, interview_status=None),
        None,
    ),
    ("evaluated: generate the report", _facts(S.INTERVIEW_COMPLETE), JobType.GENERATE_REPORT),
    ("report generated: upload it", _facts(S.REPORT_PENDING), JobType.UPLOAD_REPORT),
    ("complete: nothing to do", _facts(S.COMPLETE), None),
]


@pytest.mark.parametrize(("facts", "expected"), [(f, e) for _, f, e in NEXT], ids=[name for name, _, _ in NEXT])
def test_next_job(facts: StageFacts, expected: str | None) -> None:
    assert next_job(facts) == expected


def test_next_jobs_are_the_specification_job_types() -> None:
    jobs = {next_job(facts) for _, facts, _ in NEXT} - {None}
    assert jobs <= {t.value for t in JobType}


@pytest.mark.parametrize(
    ("auto", "trigger", "workday", "expected"),
    [
        (False, None, "Interview", False),
        (False, "Interview", "Interview", False),
        (True, None, None, True),
        (True, "", "Screen", True),
        (True, "  ", "Screen", True),
        (True, "Interview", "Interview", True),
        (True, " Interview ", "Interview", True),
        (True, "Interview", "Screen", False),
        (True, "Interview", None, False),
        (True, "Interview", "INTERVIEW", True),  # stage IDs are tenant data, compared without case
        (True, "SCREEN", "Screen", True),
    ],
)
def test_should_auto_send(auto: bool, trigger: str | None, workday: str | None, expected: bool) -> None:
    assert should_auto_send(auto_send_interview=auto, auto_send_on_status=trigger, workday_status=workday) is expected


@pytest.mark.parametrize("trigger", [None, "Screen"])
def test_a_candidate_workday_shows_rejected_or_withdrawn_is_never_auto_invited(trigger: str | None) -> None:
    assert not should_auto_send(
        auto_send_interview=True, auto_send_on_status=trigger, workday_status="Screen", workday_inactive=True
    )
    assert should_auto_send(auto_send_interview=True, auto_send_on_status=trigger, workday_status="Screen")
