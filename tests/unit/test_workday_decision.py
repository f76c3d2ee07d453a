"""The human decision read from Workday's stage and disposition: advanced, rejected, or none yet."""

from __future__ import annotations

import pytest

from airecruiter.domain.workday_decision import DEFAULT_ADVANCED_STAGES, DecisionRules, HumanDecision

DEFAULT = DecisionRules()
STRICT = DecisionRules(advanced_stages=("INTERVIEW", "OFFER"), rejected_dispositions=("EXPERIENCE/SKILLS",))


@pytest.mark.parametrize(
    ("rules", "stage", "disposition", "expected"),
    [
        (DEFAULT, "Review", None, None),
        (DEFAULT, "Screen", None, HumanDecision.ADVANCED),
        (DEFAULT, "READY_FOR_HIRE", None, HumanDecision.ADVANCED),  # IDs are tenant data: no case
        (DEFAULT, " interview ", None, HumanDecision.ADVANCED),
        (DEFAULT, "Interview", "Position_Filled", HumanDecision.REJECTED),  # empty list: every disposition
        (DEFAULT, None, None, None),
        (STRICT, "Screen", None, None),  # this tenant advances only from the interview on
        (STRICT, "Interview", None, HumanDecision.ADVANCED),
        (STRICT, "Interview", "Position_Filled", HumanDecision.ADVANCED),  # not a rejection here
        (STRICT, "Review", "Experience/Skills", HumanDecision.REJECTED),
    ],
)
def test_stage_and_disposition_give_the_decision(
    rules: DecisionRules, stage: str | None, disposition: str | None, expected: HumanDecision | None
) -> None:
    assert rules.decide(stage=stage, disposition=disposition) == expected


def test_a_withdrawal_is_no_decision_and_do_not_hire_is_a_rejection() -> None:
    assert DEFAULT.decide(stage="Offer", disposition="Withdrew_Application", withdrawn=True) is None
    assert DEFAULT.decide(stage="Offer", disposition=None, do_not_hire=True) is HumanDecision.REJECTED


def test_the_defaults_name_workdays_stages_past_review() -> None:
    assert "Review" not in DEFAULT_ADVANCED_STAGES
    assert {"Screen", "Interview", "Offer", "Ready_for_Hire"} <= set(DEFAULT_ADVANCED_STAGES)
    assert HumanDecision.ADVANCED.value == "advanced" and HumanDecision.REJECTED.value == "rejected"
