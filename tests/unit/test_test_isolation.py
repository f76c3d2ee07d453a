"""The suite's own habits: no developer variable reaches a test, and parallel runs group what must share."""

from __future__ import annotations

import os

import pytest

from airecruiter.config import load_settings
from tests.conftest import settings_variables, xdist_group


def test_no_settings_variable_of_the_shell_reaches_a_test() -> None:
    leaked = {name for name in settings_variables() if name in os.environ} - {"WORKDAY_SANDBOX_PORT"}
    assert leaked == set()
    assert os.environ["WORKDAY_SANDBOX_PORT"] == "0"  # processes a test starts pick a free port


def test_every_settings_field_is_cleared() -> None:
    names = settings_variables()
    for field in ("DATABASE_URL", "ANTHROPIC_API_KEY", "WEB_PORT", "QUEUE_MAX_CONCURRENCY", "AIRECRUITER_DATA_DIR"):
        assert field in names


def test_a_test_sets_what_it_needs_with_monkeypatch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUEUE_MAX_CONCURRENCY", "7")
    assert load_settings().QUEUE_MAX_CONCURRENCY == 7


@pytest.mark.parametrize(
    ("nodeid", "group"),
    [
        ("tests/browser/test_interview_page.py::test_x", "chromium"),
        ("tests/integration/test_embedded.py::test_x", "private-postgres"),
        ("tests/integration/test_soak.py::test_x", "private-postgres"),
        # A module-scoped fixture starts the reader's processes once: its tests stay together.
        ("tests/integration/test_documents_pdf.py::test_x[a]", "tests/integration/test_documents_pdf.py"),
        ("tests/integration/test_worker.py::test_x", None),
        ("tests/unit/test_retry.py::test_x", None),
    ],
)
def test_parallel_runs_keep_together_what_must_share_a_worker(nodeid: str, group: str | None) -> None:
    assert xdist_group(nodeid) == group
