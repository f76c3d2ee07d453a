"""Failure identity, grouping and the permanent-failure backoff: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from airecruiter.queue.failures import failure_streak, group_failures, identity, permanent_backoff

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_numbers_and_quoted_values_do_not_split_a_cause() -> None:
    a = identity("sync", "ValidationError: 'Open' is not a valid ID value (at Request_Criteria[1]).")
    b = identity("sync", "ValidationError: 'OPEN' is not a valid ID value (at Request_Criteria[2]).")
    assert a == b
    assert a.error_class == "ValidationError"
    assert identity("analyze", "ValidationError: 'Open' is not a valid ID value (at Request_Criteria[1]).") != a
    assert identity("sync", "ParseError: 'Open' is not a valid ID value (at Request_Criteria[1]).") != a


def test_workday_ids_do_not_split_a_cause() -> None:
    a = identity("upload_report", "PermanentError: attachment 2d15c1acefcdb3df737e6431986a1237 is locked")
    b = identity("upload_report", "PermanentError: attachment 9f0e11aa00cdb3df737e6431986a12ff is locked")
    assert a == b and a.message == "attachment ID is locked"


def test_groups_come_largest_first_with_their_newest_error() -> None:
    rows = [
        (1, "sync", "ValidationError: bad 'x'", T0),
        (2, "sync", "ValidationError: bad 'y'", T0 + timedelta(seconds=5)),
        (3, "analyze", "ParseError: no text on page 3", T0 + timedelta(seconds=9)),
    ]
    first, second = group_failures(rows)
    assert (first.count, first.item_ids, first.example) == (2, [2, 1], "ValidationError: bad 'y'")
    assert (first.first_at, first.last_at) == (T0, T0 + timedelta(seconds=5))
    assert second.count == 1


@pytest.mark.parametrize(
    ("runs", "streak"),
    [
        ([], 0),
        ([("dead", "ValidationError: 'a'")], 1),
        ([("dead", "ValidationError: 'a'"), ("dead", "ValidationError: 'b'")], 2),
        ([("dead", "ValidationError: 'a'"), ("completed", None), ("dead", "ValidationError: 'a'")], 1),
        ([("completed", None), ("dead", "ValidationError: 'a'")], 0),
        ([("dead", "ValidationError: a"), ("dead", "ParseError: a")], 1),
    ],
)
def test_the_streak_counts_same_reason_deaths_since_the_last_success(
    runs: list[tuple[str, str | None]], streak: int
) -> None:
    assert failure_streak(runs) == streak


def test_the_backoff_doubles_up_to_an_hour() -> None:
    assert [permanent_backoff(n) for n in range(0, 5)] == [0, 60, 120, 240, 480]
    assert permanent_backoff(7) == 3600 and permanent_backoff(50) == 3600
