"""The job types: the six pipeline ones, by the specification's names, and the fairness check."""

from __future__ import annotations

from enum import StrEnum


class JobType(StrEnum):
    """A pipeline job; the queue itself accepts any lower-case job type string."""

    SYNC = "sync"
    ANALYZE = "analyze"
    SEND_INTERVIEW = "send_interview"
    EVALUATE = "evaluate"
    GENERATE_REPORT = "generate_report"
    UPLOAD_REPORT = "upload_report"
    FAIRNESS_CHECK = "fairness_check"  # not a pipeline step: requested for a prompt version
