"""The JSON control API under /_sandbox/: look inside the tenant and change it from tests and the CLI.

Not part of Workday's protocol, and unauthenticated: the sandbox listens on loopback only. So that
no web page a developer opens can drive it, `ControlGuard` answers only requests addressed to the
sandbox itself (a Host of 127.0.0.1, localhost, ::1 or the address it listens on: a DNS-rebinding
page sends its own name), and a change only as `application/json`, which a page cannot send to
another origin without a CORS preflight the sandbox never grants.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from airecruiter.sandbox.endpoints import state_of
from airecruiter.sandbox.model import Application, Attachment, Requisition
from airecruiter.sandbox.tenant import Tenant, UnknownRecord

CONTROL_PREFIX = "/_sandbox/"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_READS = frozenset({"GET", "HEAD"})


def _host_name(host_header: str) -> str:
    """The host name of a Host header, without the port ("[::1]:8100" → "::1")."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0].lower()
    return host_header.rsplit(":", 1)[0].lower() if host_header.count(":") == 1 else host_header.lower()


class ControlGuard:
    """Refuses control API requests addressed to another host name, or changes not sent as JSON."""

    def __init__(self, app: ASGIApp, *, listen_host: str = "127.0.0.1") -> None:
        self.app = app
        self.allowed_hosts = LOOPBACK_HOSTS | {listen_host.strip("[]").lower()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(CONTROL_PREFIX):
            request = Request(scope)
            if _host_name(request.headers.get("host", "")) not in self.allowed_hosts:
                response = _error(403, "The sandbox control API answers only requests addressed to the sandbox itself.")
                await response(scope, receive, send)
                return
            content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if request.method not in _READS and content_type != "application/json":
                response = _error(415, "Send changes to the sandbox control API as application/json.")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def attachment_json(tenant: Tenant, attachment: Attachment) -> dict[str, Any]:
    """An attachment's metadata; `size` is null for a scale-mode résumé nobody fetched yet."""
    candidate = tenant.candidate(attachment.candidate_wid)
    application = tenant.application(attachment.application_wid) if attachment.application_wid else None
    return {
        "wid": attachment.wid,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "category": attachment.category.value if attachment.category else None,
        "size": len(attachment.content) if attachment.generated or not attachment.lazy else None,
        "created_at": attachment.created_at.isoformat(),
        "candidate_id": candidate.candidate_id,
        "application_id": application.application_id if application else None,
        "comment": attachment.comment,
        "origin": attachment.origin,
    }


def application_json(application: Application) -> dict[str, Any]:
    """An application with its current stage."""
    state = application.state.current
    candidate = application.candidate
    return {
        "application_id": application.application_id,
        "wid": application.wid,
        "candidate_id": candidate.candidate_id,
        "candidate_name": candidate.name,
        "email": candidate.email,
        "requisition_id": application.requisition.requisition_id,
        "stage": state.stage.value,
        "disposition": state.disposition.value if state.disposition else None,
        "applied_at": application.applied_at.isoformat(),
        "status_timestamp": state.status_timestamp.isoformat(),
        "resumes": len(application.resumes),
    }


def requisition_json(requisition: Requisition) -> dict[str, Any]:
    """A requisition's headline facts."""
    state = requisition.state.current
    recruiter = requisition.roles[0].worker if requisition.roles else None
    return {
        "requisition_id": requisition.requisition_id,
        "wid": requisition.wid,
        "title": requisition.title,
        "status": state.status.value,
        "updated_at": state.updated_at.isoformat(),
        "recruiter": recruiter.name if recruiter else None,
        "applications": len(requisition.applications),
    }


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    if not body.strip():
        return {}
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    return payload


async def health(request: Request) -> Response:
    """GET /_sandbox/health."""
    sandbox = state_of(request)
    return JSONResponse({"status": "ok", "tenant": sandbox.tenant.tenant_id})


async def settings(request: Request) -> Response:
    """GET /_sandbox/settings: the WORKDAY_* variables that point a client at this sandbox."""
    return JSONResponse(request.app.state.settings_env())


async def list_attachments(request: Request) -> Response:
    """GET /_sandbox/attachments[?candidate=ID][&origin=upload|seed]."""
    tenant = state_of(request).tenant
    origin = request.query_params.get("origin")
    try:
        found = tenant.attachments(request.query_params.get("candidate"))
    except UnknownRecord as error:
        return _error(404, str(error))
    rows = [attachment_json(tenant, a) for a in found if origin is None or a.origin == origin]
    return JSONResponse({"attachments": rows})


async def get_attachment(request: Request) -> Response:
    """GET /_sandbox/attachments/{wid}: metadata."""
    tenant = state_of(request).tenant
    attachment = tenant.attachment(request.path_params["wid"])
    if attachment is None:
        return _error(404, f"no attachment {request.path_params['wid']!r}")
    return JSONResponse(attachment_json(tenant, attachment))


async def attachment_content(request: Request) -> Response:
    """GET /_sandbox/attachments/{wid}/content: the file's bytes."""
    attachment = state_of(request).tenant.attachment(request.path_params["wid"])
    if attachment is None:
        return _error(404, f"no attachment {request.path_params['wid']!r}")
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    return Response(
        attachment.content, media_type=attachment.content_type, headers={"Content-Disposition": disposition}
    )


async def list_applications(request: Request) -> Response:
    """GET /_sandbox/applications[?requisition=ID][&candidate=ID]."""
    tenant = state_of(request).tenant
    requisition, candidate = request.query_params.get("requisition"), request.query_params.get("candidate")
    rows = [
        application_json(a)
        for a in tenant.applications.values()
        if (requisition is None or a.requisition.requisition_id == requisition)
        and (candidate is None or a.candidate.candidate_id == candidate)
    ]
    return JSONResponse({"applications": rows})


async def advance(request: Request) -> Response:
    """POST /_sandbox/applications/{id}/stage {"stage": "Screen", "disposition": null}."""
    tenant = state_of(request).tenant
    try:
        body = await _json_body(request)
        stage, disposition = body.get("stage"), body.get("disposition")
        if not isinstance(stage, str) or not (disposition is None or isinstance(disposition, str)):
            return _error(400, 'send {"stage": "Screen", "disposition": null}')
        application = tenant.application(request.path_params["application_id"])
    except UnknownRecord as error:
        return _error(404, str(error))
    except ValueError as error:
        return _error(400, str(error))
    try:
        tenant.advance_stage(application.application_id, stage, disposition)
    except UnknownRecord as error:
        return _error(400, str(error))
    return JSONResponse(application_json(application))


async def list_requisitions(request: Request) -> Response:
    """GET /_sandbox/requisitions."""
    tenant = state_of(request).tenant
    return JSONResponse({"requisitions": [requisition_json(r) for r in tenant.requisitions.values()]})


async def touch(request: Request) -> Response:
    """POST /_sandbox/requisitions/{id}/touch {"status": "Closed"?}: a transaction-log entry now."""
    tenant = state_of(request).tenant
    try:
        body = await _json_body(request)
        status = body.get("status")
        if status is not None and not isinstance(status, str):
            return _error(400, "status must be a string")
        requisition = tenant.requisition(request.path_params["requisition_id"])
    except UnknownRecord as error:
        return _error(404, str(error))
    except ValueError as error:
        return _error(400, str(error))
    try:
        tenant.touch_requisition(requisition.requisition_id, status=status)
    except UnknownRecord as error:
        return _error(400, str(error))
    return JSONResponse(requisition_json(requisition))


async def chaos(request: Request) -> Response:
    """GET /_sandbox/chaos; PATCH or POST a partial object to change switches; DELETE resets them."""
    switches = state_of(request).chaos
    if request.method == "DELETE":
        switches.reset()
    elif request.method in ("PATCH", "POST"):
        try:
            switches.update(await _json_body(request))
        except ValueError as error:
            return _error(400, str(error))
    return JSONResponse(switches.as_dict())


async def calls(request: Request) -> Response:
    """GET /_sandbox/calls: counters per operation; DELETE resets them."""
    counters = state_of(request).calls
    if request.method == "DELETE":
        counters.reset()
    return JSONResponse(counters.as_dict())


async def expire_tokens(request: Request) -> Response:
    """POST /_sandbox/tokens/expire: every issued access token stops working."""
    return JSONResponse({"expired": state_of(request).tokens.expire_all()})


ROUTES = [
    Route("/_sandbox/health", health, methods=["GET"]),
    Route("/_sandbox/settings", settings, methods=["GET"]),
    Route("/_sandbox/attachments", list_attachments, methods=["GET"]),
    Route("/_sandbox/attachments/{wid}", get_attachment, methods=["GET"]),
    Route("/_sandbox/attachments/{wid}/content", attachment_content, methods=["GET"]),
    Route("/_sandbox/applications", list_applications, methods=["GET"]),
    Route("/_sandbox/applications/{application_id}/stage", advance, methods=["POST"]),
    Route("/_sandbox/requisitions", list_requisitions, methods=["GET"]),
    Route("/_sandbox/requisitions/{requisition_id}/touch", touch, methods=["POST"]),
    Route("/_sandbox/chaos", chaos, methods=["GET", "PATCH", "POST", "DELETE"]),
    Route("/_sandbox/calls", calls, methods=["GET", "DELETE"]),
    Route("/_sandbox/tokens/expire", expire_tokens, methods=["POST"]),
]
