"""Who may do what in the admin console: `admin` everything, `recruiter` and `auditor` a named few.

The `auditor` reads the bias audit and the request register and nothing about a candidate's file;
demographic data is shown to auditors and admins only (DATA-LIFECYCLE.md)."""

from __future__ import annotations

READ = "read"
SEND_INTERVIEW = "send_interview"
REQUEST_REPORT = "request_report"
RETRY = "retry"
SKIP = "skip"
REANALYZE = "reanalyze"
SYNC = "sync"
EDIT_REQUISITION = "edit_requisition"
EDIT_PROMPTS = "edit_prompts"
MANAGE_SESSIONS = "manage_sessions"
VIEW_AUDIT = "view_audit"  # the bias audit, its demographic tables and exports
VIEW_REQUESTS = "view_requests"  # the register of candidate requests
RECORD_DECISION = "record_decision"  # a person's advance / reject / hold on an application
MANAGE_CANDIDATE_DATA = "manage_candidate_data"  # erasure, access exports, legal holds

PERMISSIONS = frozenset(
    {
        READ,
        SEND_INTERVIEW,
        REQUEST_REPORT,
        RETRY,
        SKIP,
        REANALYZE,
        SYNC,
        EDIT_REQUISITION,
        EDIT_PROMPTS,
        MANAGE_SESSIONS,
        VIEW_AUDIT,
        VIEW_REQUESTS,
        RECORD_DECISION,
        MANAGE_CANDIDATE_DATA,
    }
)
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": PERMISSIONS,
    "recruiter": frozenset({READ, SEND_INTERVIEW, REQUEST_REPORT, RETRY, RECORD_DECISION}),
    "auditor": frozenset({VIEW_AUDIT, VIEW_REQUESTS}),
}


def role_allows(role: str, permission: str) -> bool:
    """Whether a user of this role may do this; unknown roles may do nothing."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
