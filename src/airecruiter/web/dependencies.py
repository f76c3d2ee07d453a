"""The typed dependencies routes declare, defined once: `app: AppDep`, `user: ReadAccess`, ...

    @router.get("/admin/queue")
    async def queue_list(request: Request, operations: OperationsDep, user: ReadAccess) -> HTMLResponse: ...

A `*Access` dependency is the signed-in user holding that permission (a state-changing request
also has to echo the session's CSRF token); see `web.admin.session`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap import Application
from airecruiter.domain.permissions import (
    EDIT_PROMPTS,
    EDIT_REQUISITION,
    MANAGE_SESSIONS,
    READ,
    REANALYZE,
    RECORD_DECISION,
    REQUEST_REPORT,
    RETRY,
    SEND_INTERVIEW,
    SKIP,
    SYNC,
)
from airecruiter.ports.storage import Storage
from airecruiter.queue.operations import QueueOperations
from airecruiter.services.interviews import InterviewEngine
from airecruiter.services.passwords import PasswordChecker
from airecruiter.web.admin.session import ConsoleUser, CurrentUser, require
from airecruiter.web.context import WebContext, web_context

ContextDep = Annotated[WebContext, Depends(web_context)]


def application(context: ContextDep) -> Application:
    """The application the web app serves."""
    return context.application


AppDep = Annotated[Application, Depends(application)]


def database(app: AppDep) -> AsyncEngine:
    """The database engine."""
    return app.engine


def queue_operations(app: AppDep) -> QueueOperations:
    """The queue's administration (lists, counts, retry, skip)."""
    return app.operations


def storage(app: AppDep) -> Storage:
    """Where résumés and reports are kept."""
    return app.adapters.storage


def interview_engine(app: AppDep) -> InterviewEngine:
    """The engine behind the candidate's interview."""
    return app.interview_engine


def password_checker(context: ContextDep) -> PasswordChecker:
    """The bounded pool that checks sign-in passwords."""
    return context.password_checker


DbDep = Annotated[AsyncEngine, Depends(database)]
OperationsDep = Annotated[QueueOperations, Depends(queue_operations)]
StorageDep = Annotated[Storage, Depends(storage)]
InterviewEngineDep = Annotated[InterviewEngine, Depends(interview_engine)]
PasswordCheckerDep = Annotated[PasswordChecker, Depends(password_checker)]

CurrentUserDep = CurrentUser
ReadAccess = Annotated[ConsoleUser, Depends(require(READ))]
SendInterviewAccess = Annotated[ConsoleUser, Depends(require(SEND_INTERVIEW))]
RequestReportAccess = Annotated[ConsoleUser, Depends(require(REQUEST_REPORT))]
RetryAccess = Annotated[ConsoleUser, Depends(require(RETRY))]
SkipAccess = Annotated[ConsoleUser, Depends(require(SKIP))]
ReanalyzeAccess = Annotated[ConsoleUser, Depends(require(REANALYZE))]
RecordDecisionAccess = Annotated[ConsoleUser, Depends(require(RECORD_DECISION))]
SyncAccess = Annotated[ConsoleUser, Depends(require(SYNC))]
EditRequisitionAccess = Annotated[ConsoleUser, Depends(require(EDIT_REQUISITION))]
EditPromptsAccess = Annotated[ConsoleUser, Depends(require(EDIT_PROMPTS))]
ManageSessionsAccess = Annotated[ConsoleUser, Depends(require(MANAGE_SESSIONS))]
