"""The decision rules: reason codes from the setting, what a decision must carry, how it meets the AI."""

from __future__ import annotations

import pytest

from airecruiter.config import load_settings
from airecruiter.domain.decisions import (
    DEFAULT_REASON_CODES,
    Agreement,
    agreement,
    checked_decision,
    reason_codes,
    reason_label,
)
from airecruiter.errors import ConfigurationError, ValidationError


@pytest.mark.parametrize(
    ("decision", "recommendation", "expected"),
    [
        ("advance", "hire", Agreement.AGREES),
        ("advance", "strong_hire", Agreement.AGREES),
        ("reject", "no_hire", Agreement.AGREES),
        ("advance", "no_hire", Agreement.OVERRULED_UP),
        ("reject", "hire", Agreement.OVERRULED_DOWN),
        ("reject", "strong_hire", Agreement.OVERRULED_DOWN),
        ("hold", "hire", Agreement.APART),
        ("hold", "no_hire", Agreement.APART),
        ("advance", "maybe", Agreement.APART),
        ("reject", "maybe", Agreement.APART),
        ("advance", None, None),
    ],
)
def test_a_decision_agrees_overrules_or_stands_apart(
    decision: str, recommendation: str | None, expected: object
) -> None:
    assert agreement(decision, recommendation) == expected


def test_the_reason_codes_come_from_the_setting_in_its_order() -> None:
    assert reason_codes(" meets_requirements, other ,") == ("meets_requirements", "other")
    assert load_settings(DECISION_REASON_CODES="a_b,c").decision_reason_codes == ("a_b", "c")
    assert load_settings().decision_reason_codes == DEFAULT_REASON_CODES


@pytest.mark.parametrize(("raw", "says"), [("", "at least one"), ("Good Fit", "not a code"), ("a,a", "twice")])
def test_a_bad_reason_code_list_is_a_clear_startup_error(raw: str, says: str) -> None:
    with pytest.raises(ConfigurationError, match=says):
        load_settings(DECISION_REASON_CODES=raw)


def test_a_decision_is_trimmed_and_an_empty_note_is_none() -> None:
    assert checked_decision(" advance ", "other", "  \r\n ", ("other",)) == ("advance", "other", None)
    assert checked_decision("hold", "other", "a\r\nb", ("other",))[2] == "a\nb"
    assert checked_decision("hold", "other", "on\x00site\u202e", ("other",))[2] == "onsite"  # NUL cannot be stored
    with pytest.raises(ValidationError, match="Choose a reason from the list \\(other\\)"):
        checked_decision("hold", "meets_requirements", None, ("other",))


def test_a_reason_code_reads_as_words() -> None:
    assert reason_label("missing_required_skill") == "Missing required skill"
