"""Evidence checks: a quote counts as verified only when it really occurs in its source text."""

from __future__ import annotations

import pytest

from airecruiter.domain.evidence import CheckedQuote, EvidenceSource

RESUME = """Product Analyst, Fernway Travel
Bristol · Feb 2020 – Present
• Analysed more than 40 experiments on the in-house experimentation platform
(BigQuery SQL).
• Built a churn model in Python with scikit-learn that now drives retention campaigns."""


@pytest.mark.parametrize(
    "quote",
    [
        "Analysed more than 40 experiments",
        "analysed MORE than 40 experiments",  # case
        "experimentation platform (BigQuery SQL)",  # a line break in the source
        "Feb 2020 - Present",  # a plain hyphen for the en dash
        "“Built a churn model in Python”",  # quotation marks around the whole quote
        "Built a churn model … drives retention campaigns",  # an ellipsis between two real fragments
        "Built a churn model...retention campaigns",
    ],
)
def test_quotes_copied_from_the_resume_are_verified(quote: str) -> None:
    assert EvidenceSource(RESUME).contains(quote)


@pytest.mark.parametrize(
    "quote",
    [
        "Led the data platform team at Google",  # invented
        "Analysed more than 400 experiments",  # one digit off
        "retention campaigns … Built a churn model",  # real fragments, wrong order
        "",
        "  ...  ",
    ],
)
def test_invented_or_altered_quotes_are_not(quote: str) -> None:
    assert not EvidenceSource(RESUME).contains(quote)


def test_check_keeps_every_quote_in_order_with_its_verdict() -> None:
    assert EvidenceSource(RESUME).check(["Fernway Travel", "Acme Corp"]) == [
        CheckedQuote("Fernway Travel", True),
        CheckedQuote("Acme Corp", False),
    ]
