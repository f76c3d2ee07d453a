"""Get_Candidates (spec 5.2, 9.4; fixtures F5–F8): candidates with their applications and stages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from airecruiter.sandbox.candidate_render import render_candidate
from airecruiter.sandbox.criteria import Window, in_any, transaction_windows, window
from airecruiter.sandbox.faults import ValidationFault, invalid_id_value
from airecruiter.sandbox.model import Application, ApplicationState, Candidate
from airecruiter.sandbox.paging import add_response_filter, add_response_results, parse_response_filter
from airecruiter.sandbox.requests import (
    Context,
    canonical,
    check_children,
    echo,
    flag,
    resolve_all,
    skip_missing,
)
from airecruiter.sandbox.xmlutil import child, child_text, children, parse_bool, sub, wd_attribute

TOP = ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group")
GROUP = ("Include_Reference", "Exclude_All_Attachments")
# Criteria the sandbox holds no instances of: any reference to them is an invalid ID.
EMPTY_KINDS = {
    "Pre-Hire_Reference": "Pre-Hire",
    "Candidate_Tag_Reference": "Candidate_Tag",
    "Criteria_Match_Score_Category_Reference": "Criteria_Match_Score_Category",
    "Static_Candidate_Pool_Reference": "Static_Candidate_Pool",
}
CRITERIA = (
    "Transaction_Log_Criteria_Data",
    "First_Name",
    "Last_Name",
    "Candidate_Email_Address",
    "Pre-Hire_Reference",
    "Worker_Reference",
    "Job_Requisition_Reference",
    "Recruiting_Stage_Reference",
    "Applicant_Source_Reference",
    "Candidate_Tag_Reference",
    "Applied_From",
    "Applied_Through",
    "Internal_Workers_Only",
    "Created_From",
    "Created_Through",
    "Criteria_Match_Score_Category_Reference",
    "Static_Candidate_Pool_Reference",
)


@dataclass
class Criteria:
    """A parsed Get_Candidates Request_Criteria; every criterion must hold (spec 5.2)."""

    nothing: bool = False  # e.g. an empty Request_Criteria under empty_criteria_returns_nothing
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    requisitions: set[str] | None = None
    stages: set[str] | None = None
    sources: set[str] | None = None
    applied: Window | None = None
    created: Window | None = None
    windows: list[Window] = field(default_factory=list)

    def matches(self, candidate: Candidate, at: datetime) -> bool:
        """True when the candidate existed at `at` and meets every criterion as of then."""
        if self.nothing or candidate.created_at > at:
            return False
        if not (
            _same(self.first_name, candidate.first_name)
            and _same(self.last_name, candidate.last_name)
            and _same(self.email, candidate.email)
        ):
            return False
        if self.created is not None and not self.created.contains(candidate.created_at):
            return False
        if self.windows and not in_any(self.windows, candidate.updated_at(at)):
            return False
        if self.requisitions is None and self.stages is None and self.sources is None and self.applied is None:
            return True
        # Application criteria must hold for one and the same application ("in Screen for R-00101").
        return any(self._application(a, s) for a, s in candidate.applications_at(at))

    def _application(self, application: Application, state: ApplicationState) -> bool:
        return (
            (self.requisitions is None or application.requisition.wid in self.requisitions)
            and (self.stages is None or state.stage.wid in self.stages)
            and (self.sources is None or (application.source is not None and application.source.wid in self.sources))
            and (self.applied is None or self.applied.contains(application.applied_at))
        )


def _same(wanted: str | None, actual: str) -> bool:
    return wanted is None or wanted.casefold() == actual.casefold()


def _wids(ctx: Context, criteria: etree._Element, name: str, kind: str) -> set[str] | None:
    if child(criteria, name) is None:
        return None
    return {obj.wid for obj in resolve_all(ctx, criteria, name, kind)}


def parse_criteria(ctx: Context, criteria: etree._Element) -> Criteria:
    """Read Request_Criteria, applying the reject_requisition_filter and empty-criteria switches."""
    check_children(criteria, CRITERIA)
    if not len(criteria):
        return Criteria(nothing=ctx.chaos.empty_criteria_returns_nothing)
    requisition_ref = child(criteria, "Job_Requisition_Reference")
    if requisition_ref is not None and ctx.chaos.reject_requisition_filter:
        first_id = child(requisition_ref, "ID")
        value = (first_id.text or "").strip() if first_id is not None else ""
        id_type = (wd_attribute(first_id, "type") or "") if first_id is not None else ""
        raise invalid_id_value(value, id_type, requisition_ref)
    for name, kind in EMPTY_KINDS.items():
        resolve_all(ctx, criteria, name, kind)
    result = Criteria(
        first_name=child_text(criteria, "First_Name"),
        last_name=child_text(criteria, "Last_Name"),
        email=child_text(criteria, "Candidate_Email_Address"),
        requisitions=_wids(ctx, criteria, "Job_Requisition_Reference", "Job_Requisition"),
        stages=_wids(ctx, criteria, "Recruiting_Stage_Reference", "Recruiting_Stage"),
        sources=_wids(ctx, criteria, "Applicant_Source_Reference", "Applicant_Source"),
        applied=window(criteria, "Applied_From", "Applied_Through"),
        created=window(criteria, "Created_From", "Created_Through"),
        windows=[] if ctx.chaos.ignore_transaction_log else transaction_windows(criteria),
    )
    internal = child(criteria, "Internal_Workers_Only")
    # No sandbox candidate is a worker: asking for internal candidates, or for particular workers, finds none.
    if (internal is not None and parse_bool(internal.text)) or resolve_all(ctx, criteria, "Worker_Reference", "Worker"):
        result.nothing = True
    return result


def _pool(ctx: Context, criteria: Criteria | None) -> list[Candidate]:
    """Candidates worth testing, in creation order; narrowed through the requisition index when possible."""
    if criteria is None or criteria.requisitions is None:
        return list(ctx.tenant.candidates.values())
    found: dict[str, Candidate] = {}
    for requisition in ctx.tenant.requisitions.values():
        if requisition.wid in criteria.requisitions:
            for application in requisition.applications:
                found[application.candidate.wid] = application.candidate
    return [c for c in ctx.tenant.candidates.values() if c.wid in found]


def _selector(ctx: Context) -> tuple[Callable[[datetime], list[Candidate]], Criteria | None]:
    request = ctx.request
    references, criteria_el = child(request, "Request_References"), child(request, "Request_Criteria")
    if references is not None and criteria_el is not None:
        raise ValidationFault.at(
            "Invalid request: send either Request_References or Request_Criteria, not both", criteria_el
        )
    if references is not None:
        check_children(references, ("Candidate_Reference",))
        if not children(references, "Candidate_Reference"):
            raise ValidationFault.at(
                "Invalid request: Request_References must contain a Candidate_Reference", references
            )
        chosen: list[Candidate] = list(
            dict.fromkeys(
                resolve_all(ctx, references, "Candidate_Reference", "Candidate", skip=skip_missing(references))
            )
        )
        return (lambda at: [c for c in chosen if c.created_at <= at]), None
    criteria = parse_criteria(ctx, criteria_el) if criteria_el is not None else None
    pool = _pool(ctx, criteria)
    if criteria is None:
        return (lambda at: [c for c in pool if c.created_at <= at]), None
    return (lambda at: [c for c in pool if criteria.matches(c, at)]), criteria


def get_candidates(ctx: Context, response: etree._Element) -> None:
    """Answer Get_Candidates into `response`."""
    request = ctx.request
    check_children(request, TOP)
    page = parse_response_filter(request, ctx.now)
    group_el = child(request, "Response_Group")
    if group_el is not None:
        check_children(group_el, GROUP)
    include_reference = flag(group_el, "Include_Reference", True)
    exclude = flag(group_el, "Exclude_All_Attachments", False)
    build, criteria = _selector(ctx)
    key = (
        "Get_Candidates",
        canonical(child(request, "Request_References")),
        canonical(child(request, "Request_Criteria")),
        page.as_of,
    )
    snapshot = ctx.snapshots.get(key, page.as_of, ctx.now, build)
    trim = criteria.requisitions if criteria is not None and ctx.chaos.trim_applications_to_requisition else None
    echo(response, child(request, "Request_References"))
    echo(response, child(request, "Request_Criteria"))
    add_response_filter(response, child(request, "Response_Filter"))
    echo(response, group_el, booleans=True)
    start, end = add_response_results(response, len(snapshot.items), page)
    data = sub(response, "Response_Data")
    for candidate in snapshot.items[start:end]:
        render_candidate(
            ctx,
            data,
            candidate,
            snapshot.as_of,
            include_reference=include_reference,
            attachments=not exclude,
            only_requisitions=trim,
        )
