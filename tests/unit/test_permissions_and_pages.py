"""The console's permission table and the pager's arithmetic."""

from __future__ import annotations

import pytest

from airecruiter.domain.permissions import PERMISSIONS, role_allows
from airecruiter.web.pagination import MAX_PAGE_SIZE, Page, PageRequest


@pytest.mark.parametrize(
    ("permission", "recruiter_may"),
    [
        ("read", True),
        ("send_interview", True),
        ("request_report", True),
        ("retry", True),
        ("skip", False),
        ("reanalyze", False),
        ("sync", False),
        ("edit_requisition", False),
        ("edit_prompts", False),
    ],
)
def test_recruiters_may_read_invite_request_reports_and_retry_only(permission: str, recruiter_may: bool) -> None:
    assert role_allows("recruiter", permission) is recruiter_may
    assert role_allows("admin", permission) is True


def test_an_unknown_role_may_do_nothing_and_an_unknown_permission_is_a_bug() -> None:
    assert not any(role_allows("guest", p) for p in PERMISSIONS)
    with pytest.raises(ValueError, match="unknown permission"):
        role_allows("admin", "delete_everything")


def test_page_requests_are_clamped_to_sensible_values() -> None:
    assert PageRequest.of(None) == PageRequest(1, 50)
    assert PageRequest.of(-3, 0) == PageRequest(1, 50)  # no size: the default
    assert PageRequest.of(1, -5).size == 1
    assert PageRequest.of(2, 10_000).size == MAX_PAGE_SIZE
    assert PageRequest.of(3, 20).offset == 40


def test_a_page_knows_its_place_in_the_list() -> None:
    page = Page(items=list(range(20)), number=3, size=20, total=65)
    assert (page.pages, page.has_previous, page.has_next) == (4, True, True)
    assert (page.first_index, page.last_index) == (41, 60)
    last = Page(items=list(range(5)), number=4, size=20, total=65)
    assert not last.has_next and last.last_index == 65
    empty = Page(items=[], number=1, size=20, total=0)
    assert (empty.pages, empty.has_next, empty.first_index, empty.last_index) == (1, False, 0, 0)
