"""The job types: the specification's six, the advance notice, `retention`, the fairness check, request emails."""

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
    RETENTION = "retention"  # daily: deletes the data whose retention period has passed
    SEND_NOTICE = "send_notice"  # the advance notice before any AI step (issue 16)
    FAIRNESS_CHECK = "fairness_check"  # not a pipeline step: requested for a prompt version
    SEND_REQUEST_EMAILS = "send_request_emails"  # a candidate request's emails, retried until sent (issue 16)
