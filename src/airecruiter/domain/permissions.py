"""Who may do what in the admin console: `admin` everything, `recruiter` a named few actions."""

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
    }
)
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": PERMISSIONS,
    "recruiter": frozenset({READ, SEND_INTERVIEW, REQUEST_REPORT, RETRY}),
}


def role_allows(role: str, permission: str) -> bool:
    """Whether a user of this role may do this; unknown roles may do nothing."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
