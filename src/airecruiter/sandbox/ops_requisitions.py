"""Get_Job_Requisitions (spec 5.1, 9.4; fixtures F2–F4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from airecruiter.sandbox.criteria import Window, in_any, transaction_windows
from airecruiter.sandbox.model import Requisition
from airecruiter.sandbox.paging import add_response_filter, add_response_results, parse_response_filter
from airecruiter.sandbox.requests import (
    Context,
    add_lookup_ref,
    add_ref,
    canonical,
    check_children,
    echo,
    flag,
    resolve_all,
    skip_missing,
)
from airecruiter.sandbox.xmlutil import child, format_bool, sub

TOP = ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group")
CRITERIA = (
    "Transaction_Log_Criteria_Data",
    "Job_Requisition_Status_Reference",
    "Supervisory_Organization_Reference",
    "Field_And_Parameter_Criteria_Data",
    "Primary_Location_Reference",
    "Additional_Locations_Reference",
)
GROUP = (
    "Include_Reference",
    "Include_Job_Requisition_Definition_Data",
    "Include_Job_Requisition_Restrictions_Data",
    "Include_Qualifications",
    "Include_Job_Requisition_Attachments",
    "Include_Organizations",
    "Include_Roles",
)


@dataclass(frozen=True)
class Group:
    """What the Response_Group asks to include."""

    reference: bool
    definition: bool
    restrictions: bool
    roles: bool

    @classmethod
    def parse(cls, group: etree._Element | None) -> Group:
        """Absent group: reference, definition and restrictions, no roles (spec 5.1)."""
        if group is None:
            return cls(True, True, True, False)
        check_children(group, GROUP)
        return cls(
            flag(group, "Include_Reference", True),
            flag(group, "Include_Job_Requisition_Definition_Data", False),
            flag(group, "Include_Job_Requisition_Restrictions_Data", False),
            flag(group, "Include_Roles", False),
        )


@dataclass(frozen=True)
class Selection:
    """Which requisitions the request selects."""

    references: list[Requisition] | None
    statuses: set[str]
    organizations: set[str]
    locations: set[str]
    additional_locations: bool
    windows: list[Window]

    def matches(self, requisition: Requisition, at: datetime) -> bool:
        """True when the requisition existed at `at` and meets every criterion then."""
        state = requisition.state.at(at)
        if state is None:
            return False
        return (
            (not self.statuses or state.status.wid in self.statuses)
            and (not self.organizations or requisition.organization.wid in self.organizations)
            and (not self.locations or requisition.location.wid in self.locations)
            and not self.additional_locations  # no seeded requisition has additional locations
            and in_any(self.windows, state.updated_at)
        )


def _selection(ctx: Context) -> Selection:
    references = None
    refs_el, criteria = child(ctx.request, "Request_References"), child(ctx.request, "Request_Criteria")
    if refs_el is not None:
        check_children(refs_el, ("Job_Requisition_Reference",))
        references = resolve_all(
            ctx, refs_el, "Job_Requisition_Reference", "Job_Requisition", skip=skip_missing(refs_el)
        )
    statuses: set[str] = set()
    orgs: set[str] = set()
    locations: set[str] = set()
    additional = False
    windows: list[Window] = []
    if criteria is not None:
        check_children(criteria, CRITERIA)
        statuses = {
            s.wid for s in resolve_all(ctx, criteria, "Job_Requisition_Status_Reference", "Job_Requisition_Status")
        }
        orgs = {
            o.wid for o in resolve_all(ctx, criteria, "Supervisory_Organization_Reference", "Supervisory_Organization")
        }
        locations = {loc.wid for loc in resolve_all(ctx, criteria, "Primary_Location_Reference", "Location")}
        additional = bool(resolve_all(ctx, criteria, "Additional_Locations_Reference", "Location"))
        windows = transaction_windows(criteria)
    return Selection(references, statuses, orgs, locations, additional, windows)


def get_job_requisitions(ctx: Context, response: etree._Element) -> None:
    """Answer Get_Job_Requisitions into `response`."""
    request = ctx.request
    check_children(request, TOP)
    page = parse_response_filter(request, ctx.now)
    group_el = child(request, "Response_Group")
    group = Group.parse(group_el)
    selection = _selection(ctx)
    pool = selection.references if selection.references is not None else list(ctx.tenant.requisitions.values())
    unique = list(dict.fromkeys(pool))
    key = (
        "Get_Job_Requisitions",
        canonical(child(request, "Request_References")),
        canonical(child(request, "Request_Criteria")),
        page.as_of,
    )
    snapshot = ctx.snapshots.get(key, page.as_of, ctx.now, lambda at: [r for r in unique if selection.matches(r, at)])
    echo(response, child(request, "Request_References"))
    echo(response, child(request, "Request_Criteria"))
    add_response_filter(response, child(request, "Response_Filter"))
    echo(response, group_el, booleans=True)
    start, end = add_response_results(response, len(snapshot.items), page)
    data = sub(response, "Response_Data")
    for requisition in snapshot.items[start:end]:
        _requisition(ctx, data, requisition, group, snapshot.as_of)


def _requisition(ctx: Context, parent: etree._Element, requisition: Requisition, group: Group, at: datetime) -> None:
    state = requisition.state.at(at) or requisition.state.current
    element = sub(parent, "Job_Requisition")
    if group.reference:
        add_ref(
            ctx,
            element,
            "Job_Requisition_Reference",
            [("WID", requisition.wid), ("Job_Requisition_ID", requisition.requisition_id)],
            requisition.descriptor(at),
        )
    data = sub(element, "Job_Requisition_Data")
    add_lookup_ref(ctx, data, "Job_Requisition_Status_Reference", state.status)
    if group.definition:
        detail = sub(data, "Job_Requisition_Detail_Data")
        sub(detail, "Job_Posting_Title", requisition.title)
        sub(detail, "Positions_Allocated", str(requisition.positions_allocated))
        sub(detail, "Positions_Available", str(requisition.positions_available))
        sub(detail, "Job_Description_Summary", requisition.summary)
        sub(detail, "Job_Description", requisition.job_description)
        sub(
            detail,
            "Available_for_Recruiting",
            format_bool(state.status is ctx.tenant.lookup("Job_Requisition_Status", "Open")),
        )
        sub(detail, "Confidential_Job_Requisition", format_bool(False))
    if group.restrictions:
        hiring = sub(data, "Hiring_Requirement_Data")
        sub(hiring, "Recruiting_Start_Date", requisition.recruiting_start_date.isoformat())
        if requisition.target_hire_date is not None:
            sub(hiring, "Target_Hire_Date", requisition.target_hire_date.isoformat())
        location = requisition.location
        add_ref(
            ctx,
            hiring,
            "Primary_Location_Reference",
            [("WID", location.wid), ("Location_ID", location.location_id)],
            location.name,
        )
    org = requisition.organization
    add_ref(
        ctx,
        data,
        "Supervisory_Organization_Reference",
        [("WID", org.wid), ("Organization_Reference_ID", org.org_id)],
        org.name,
    )
    if group.roles:
        for role in requisition.roles:
            assignment = sub(data, "Role_Assignment_Data")
            add_lookup_ref(ctx, assignment, "Role_Reference", role.role)
            # v4x (v46 XSD): the worker sits in Role_Assignee/Worker_Reference; v31 (v26.1 XSD) has
            # Role_Assignee_Reference directly under Role_Assignment_Data, which v46 rejects.
            v4x = ctx.chaos.shape == "v4x"
            add_ref(
                ctx,
                sub(assignment, "Role_Assignee") if v4x else assignment,
                "Worker_Reference" if v4x else "Role_Assignee_Reference",
                [("WID", role.worker.wid), ("Employee_ID", role.worker.employee_id)],
                role.worker.name,
            )
