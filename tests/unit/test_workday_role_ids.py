"""The role IDs a requisition assigns, in both shapes (what `workday check` compares with WORKDAY_RECRUITER_ROLES)."""

from __future__ import annotations

from pathlib import Path

from airecruiter.adapters.workday.parse import data_items, envelope_body, payload, role_ids

FIXTURES = Path(__file__).parent / "workday_fixtures"


def _roles(name: str) -> list[set[str]]:
    response = payload(envelope_body((FIXTURES / name).read_bytes()), "Get_Job_Requisitions")
    return [role_ids(e) for e in data_items(response, "Job_Requisition")]


def test_the_v4x_and_the_v31_shape_give_every_assigned_role() -> None:
    assert _roles("f04_get_job_requisitions_response.xml") == [{"Primary_Recruiter"}]
    # v31: Role_Assignee_Reference directly under Role_Assignment_Data, a Hiring_Manager listed first.
    assert _roles("variant_recruiter_v31_role_assignee_reference.xml") == [{"Hiring_Manager", "Primary_Recruiter"}]
