"""`airecruiter workday check`: what an operator needs to know on the first install, in sentences.

Each step reads a little (one item, one page) and says what it saw beside what is configured. The
tenant's conventions arrive as a `Conventions` value, so a setting added later (the open-status ID,
stage or category IDs) plugs in there and the check follows it without changes here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from airecruiter.adapters.workday import envelope
from airecruiter.adapters.workday.client import RESUME_CATEGORIES, WorkdayClient
from airecruiter.adapters.workday.envelope import Paging
from airecruiter.adapters.workday.parse import (
    RECRUITER_ROLES,
    data_items,
    page_info,
    parse_candidate,
    parse_requisition,
    role_ids,
    same_id,
)
from airecruiter.adapters.workday.xml import Element
from airecruiter.domain.workday_decision import DecisionRules
from airecruiter.errors import AIRecruiterError, ValidationError, describe
from airecruiter.ports.workday import Application, Requisition

Level = Literal["ok", "info", "warning", "problem"]
# The open-status ID the client filters on today (client.py's literal); a tenant setting replaces it.
CLIENT_OPEN_STATUS_ID = "Open"
SAMPLE_PAGE = 100
# Element names under which Workday returns a candidate's self-identification (EEO) data.
SELF_IDENTIFICATION = ("gender", "ethnicity", "race", "hispanic", "veteran", "disability", "self_identif")
# The voluntary self-identification the bias audit reads (adapters/workday/self_id.py); anything else is not ours.
READ_FOR_AUDIT = frozenset({"Gender_Reference", "Ethnicity_Reference", "Hispanic_or_Latino"})
WRITE_TEST_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Conventions:
    """The tenant conventions AIRecruiter relies on, and where the operator sets each."""

    open_status_id: str = CLIENT_OPEN_STATUS_ID
    open_status_source: str = "the client's built-in open-status ID"
    auto_send_stages: tuple[str, ...] = ()  # stage IDs requisitions wait for before inviting
    recruiter_roles: tuple[str, ...] = RECRUITER_ROLES  # WORKDAY_RECRUITER_ROLES
    decisions: DecisionRules = field(default_factory=DecisionRules)  # WORKDAY_ADVANCED_STAGES, ..._DISPOSITIONS
    resume_categories: tuple[str, ...] = RESUME_CATEGORIES
    report_category: str = "OTHER_DOCUMENTS"
    report_category_source: str = "WORKDAY_REPORT_CATEGORY"


@dataclass(frozen=True)
class Finding:
    """One thing the check learnt."""

    step: str
    level: Level
    sentence: str


@dataclass
class _Seen:
    statuses: set[str] = field(default_factory=set)
    stages: set[str] = field(default_factory=set)
    dispositions: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    recruiters: int = 0
    requisitions: list[Requisition] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)


def _listed(values: Iterable[str]) -> str:
    found = sorted(v for v in values if v)
    return ", ".join(f"'{v}'" for v in found) if found else "none"


async def run_checks(
    client: WorkdayClient, conventions: Conventions, *, write_test_candidate: str | None = None
) -> list[Finding]:
    """Every step in order; a failed token grant ends the check (nothing else can work)."""
    findings: list[Finding] = []
    try:
        await client.grant_token()
        findings.append(Finding("token", "ok", "Workday granted an access token for the refresh token configured."))
    except AIRecruiterError as exc:
        findings.append(Finding("token", "problem", f"Workday granted no access token: {describe(exc)}"))
        return findings
    seen = _Seen()
    findings += await _requisitions(client, conventions, seen)
    findings += await _open_status(client, conventions, seen)
    findings += await _candidates(client, conventions, seen)
    findings += await _write_test(client, conventions, write_test_candidate)
    return findings


async def _requisitions(client: WorkdayClient, conventions: Conventions, seen: _Seen) -> list[Finding]:
    version = client.options.version
    request = envelope.get_job_requisitions(
        version, Paging(1, SAMPLE_PAGE, datetime.now(UTC)), status=None, updated=None
    )
    try:
        response = await client.call(request)
    except AIRecruiterError as exc:
        return [Finding("requisitions", "problem", f"Reading requisitions failed: {describe(exc)}{_permission(exc)}")]
    elements = list(data_items(response, "Job_Requisition"))
    roles = conventions.recruiter_roles
    seen.requisitions = [parse_requisition(e, recruiter_roles=roles) for e in elements]
    seen.roles = {role for e in elements for role in role_ids(e)}
    seen.statuses = {r.status for r in seen.requisitions if r.status}
    seen.recruiters = sum(1 for r in seen.requisitions if r.recruiter_name or r.recruiter_id)
    total = page_info(response).total_results
    findings = [
        Finding(
            "requisitions",
            "ok",
            f"Read {len(seen.requisitions)} of {total} requisitions; the status IDs they use: {_listed(seen.statuses)} "
            f"(configured open-status ID: '{conventions.open_status_id}').",
        )
    ]
    findings.append(_roles(conventions, seen))
    if seen.requisitions and not seen.recruiters and any(same_id(r, conventions.recruiter_roles) for r in seen.roles):
        findings.append(
            Finding(
                "requisitions",
                "warning",
                "None of the requisitions read names a recruiter: invitations will name the recruiting team instead "
                "(the account may lack access to the recruiter's worker data).",
            )
        )
    return findings


def _roles(conventions: Conventions, seen: _Seen) -> Finding:
    """The role IDs the requisitions use, beside WORKDAY_RECRUITER_ROLES."""
    configured = conventions.recruiter_roles
    used = (
        f"The requisitions read assign the role IDs {_listed(seen.roles)}; "
        f"WORKDAY_RECRUITER_ROLES is {_listed(configured)}"
    )
    if not seen.requisitions:
        return Finding("recruiter roles", "info", f"{used}: no requisition to compare them with.")
    if not seen.roles:
        return Finding(
            "recruiter roles",
            "warning",
            f"{used}: no role assignment is visible, so no recruiter is known (the account may lack access to "
            "the requisitions' roles); invitations will name the recruiting team.",
        )
    matched = sorted(r for r in seen.roles if same_id(r, configured))
    if matched:
        return Finding("recruiter roles", "ok", f"{used}: the recruiter is read from {_listed(matched)}.")
    return Finding(
        "recruiter roles",
        "warning",
        f"{used}: none of them names the recruiter here, so invitations will name the recruiting team. Set "
        "WORKDAY_RECRUITER_ROLES to the role ID of the requisition's recruiter on this tenant.",
    )


async def _open_status(client: WorkdayClient, conventions: Conventions, seen: _Seen) -> list[Finding]:
    wanted = conventions.open_status_id
    request = envelope.get_job_requisitions(
        client.options.version, Paging(1, 1, datetime.now(UTC)), status=wanted, updated=None
    )
    try:
        response = await client.call(request)
    except ValidationError as exc:
        if "Invalid ID value" not in str(exc):
            return [Finding("open status", "problem", f"The open-status filter was refused: {describe(exc)}")]
        return [
            Finding(
                "open status",
                "problem",
                f"Workday does not know the open-status ID '{wanted}' ({conventions.open_status_source}), so "
                f"every requisition-list sync would fail. The requisitions read use the status IDs "
                f"{_listed(seen.statuses)}: set the open-status ID to the one that means open.",
            )
        ]
    except AIRecruiterError as exc:
        return [Finding("open status", "problem", f"The open-status probe failed: {describe(exc)}{_permission(exc)}")]
    total = page_info(response).total_results
    level: Level = "ok" if total else "warning"
    tail = "" if total else " None is open: nothing will be synced until a requisition is."
    return [
        Finding("open status", level, f"The open-status filter '{wanted}' works: {total} open requisition(s).{tail}")
    ]


async def _candidates(client: WorkdayClient, conventions: Conventions, seen: _Seen) -> list[Finding]:
    chosen = next((r for r in seen.requisitions if r.status == conventions.open_status_id), None)
    chosen = chosen or (seen.requisitions[0] if seen.requisitions else None)
    if chosen is None:
        return [
            Finding("candidates", "warning", "No requisition to read candidates from; the candidate page is unchecked.")
        ]
    request = envelope.get_candidates_by_requisition(
        client.options.version, Paging(1, SAMPLE_PAGE, datetime.now(UTC)), chosen.requisition_id
    )
    try:
        response = await client.call(request)
    except ValidationError as exc:
        return [
            Finding(
                "candidates",
                "problem",
                f"Workday refused Get_Candidates by requisition ({describe(exc)}): "
                "set WORKDAY_REQUISITION_FILTER=false so syncs scan by application date instead.",
            )
        ]
    except AIRecruiterError as exc:
        return [Finding("candidates", "problem", f"Reading candidates failed: {describe(exc)}{_permission(exc)}")]
    elements = list(data_items(response, "Candidate"))
    for element in elements:
        record = parse_candidate(element)
        seen.applications += [a for a in record.applications if a.requisition_id == chosen.requisition_id]
    seen.stages = {a.stage for a in seen.applications if a.stage}
    seen.dispositions = {a.disposition for a in seen.applications if a.disposition}
    findings = [
        Finding(
            "candidates",
            "ok",
            f"Read {len(elements)} candidate(s) of requisition {chosen.requisition_id}: {len(seen.applications)} "
            f"application(s); stage IDs seen {_listed(seen.stages)}, "
            f"disposition IDs seen {_listed(seen.dispositions)}.",
        )
    ]
    for stage in conventions.auto_send_stages:
        if seen.applications and stage not in seen.stages:
            findings.append(
                Finding(
                    "stages",
                    "warning",
                    f"A requisition invites automatically at stage '{stage}', which none of these applications is at; "
                    f"the tenant's stage IDs seen: {_listed(seen.stages)}. Check the requisition's auto-send stage.",
                )
            )
    findings.append(_decisions(conventions.decisions, seen))
    findings.append(_self_identification(elements))
    findings += await _categories(client, conventions, seen)
    return findings


def _decisions(rules: DecisionRules, seen: _Seen) -> Finding:
    """How the stages and dispositions seen read as the human decision (advanced / rejected)."""
    advanced = {s for s in seen.stages if rules.decide(stage=s, disposition=None) is not None}
    rejected = {d for d in seen.dispositions if rules.rejects(d)}
    which = f"'{', '.join(rules.rejected_dispositions)}'" if rules.rejected_dispositions else "every disposition"
    return Finding(
        "decisions",
        "info",
        f"Stage IDs seen that count as advanced (WORKDAY_ADVANCED_STAGES): {_listed(advanced)}; not counted: "
        f"{_listed(seen.stages - advanced)}. Disposition IDs seen that count as rejected ({which}, "
        f"WORKDAY_REJECTED_DISPOSITIONS): {_listed(rejected)}; not counted: {_listed(seen.dispositions - rejected)}.",
    )


def _self_identification(elements: list[Element]) -> Finding:
    names = {
        str(node.tag).rsplit("}", 1)[-1]
        for element in elements
        for node in element.iter()
        if isinstance(node.tag, str) and any(word in node.tag.lower() for word in SELF_IDENTIFICATION)
    }
    if not names:
        return Finding(
            "self-identification",
            "info",
            "No self-identification data is visible to this account, so the bias audit counts every applicant "
            "as unknown unless demographics are imported (airecruiter audit import-demographics FILE).",
        )
    read, ignored = sorted(names & READ_FOR_AUDIT), sorted(names - READ_FOR_AUDIT)
    said = (
        f"This account can see self-identification data ({_listed(names)}). AIRecruiter reads only the "
        f"voluntary answers {_listed(read) if read else '(none of them)'}, into the demographics the bias audit "
        "uses (auditors and admins only), mapped by WORKDAY_GENDER_MAP and WORKDAY_ETHNICITY_MAP"
    )
    if not ignored:
        return Finding("self-identification", "ok", said + ".")
    return Finding(
        "self-identification",
        "warning",
        f"{said}; it never reads {_listed(ignored)}: remove that access from the integration's security group.",
    )


async def _categories(client: WorkdayClient, conventions: Conventions, seen: _Seen) -> list[Finding]:
    candidate = next((a.candidate_id for a in seen.applications), None)
    if candidate is None:
        return []
    try:
        attachments = await client.attachments(candidate)
    except AIRecruiterError as exc:
        return [
            Finding(
                "attachments", "problem", f"Reading a candidate's attachments failed: {describe(exc)}{_permission(exc)}"
            )
        ]
    seen.categories = {a.category for a in attachments if a.category}
    configured = set(conventions.resume_categories)
    level: Level = "ok" if not seen.categories or seen.categories & configured else "warning"
    used = (
        f"Candidate {candidate}'s attachments use the category IDs {_listed(seen.categories)}"
        if seen.categories
        else f"Candidate {candidate} has no candidate-level attachments"
    )
    sentence = (
        f"{used}; résumés are looked for "
        f"under {_listed(configured)} and reports are filed under '{conventions.report_category}' "
        f"({conventions.report_category_source})."
    )
    if level == "warning":
        sentence += (
            " None of the résumé categories is in use here: résumés kept only at candidate level will be missed."
        )
    return [Finding("categories", level, sentence)]


async def _write_test(client: WorkdayClient, conventions: Conventions, candidate: str | None) -> list[Finding]:
    if candidate is None:
        return [
            Finding(
                "upload",
                "info",
                "The upload permission cannot be proven without writing: run with --write-test CANDIDATE_ID to attach "
                "a small test PDF to that candidate.",
            )
        ]
    filename = f"airecruiter-write-test-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.pdf"
    try:
        result = await client.upload_report(
            candidate_id=candidate,
            filename=filename,
            content=WRITE_TEST_PDF,
            comment="AIRecruiter write test (airecruiter workday check); safe to delete.",
        )
    except AIRecruiterError as exc:
        return [
            Finding(
                "upload",
                "problem",
                f"Uploading a test attachment to candidate {candidate} failed: {describe(exc)}{_permission(exc)}",
            )
        ]
    return [
        Finding(
            "upload",
            "ok",
            f"Uploaded {filename} ({len(WRITE_TEST_PDF)} bytes) to candidate {candidate} under the category "
            f"'{conventions.report_category}' (document {result.document_id or 'without an id'}); delete it in "
            "Workday when you like.",
        )
    ]


def _permission(exc: AIRecruiterError) -> str:
    """A hint when Workday's words say the account lacks a permission."""
    words = str(exc).lower()
    if "not authorized" in words or "permission" in words or "security" in words:
        return " — the integration account lacks this permission; add it to the integration's security group."
    return ""
