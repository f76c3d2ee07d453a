"""The offline provider scores like a careful recruiter with a checklist, and says no model was used."""

from __future__ import annotations

from datetime import date

import pytest

from airecruiter.adapters.llm import OfflineLLM
from airecruiter.ports.llm import LLM, InterviewEvaluation, ResumeAnalysis

TODAY = date(2025, 6, 15)
PROMPT = "You screen résumés for the hiring team."

JOB_TITLE = "Senior Backend Engineer"
JOB = """About the role
We are hiring a Senior Backend Engineer to build the services behind our logistics platform.

Requirements:
- 5+ years of professional software development
- Strong Python, including asyncio
- PostgreSQL and SQL performance tuning
- Docker and Kubernetes in production
- Experience with AWS (ECS, S3, SQS)

Nice to have:
- Kafka or another event streaming system
- Terraform
"""

MATCHING_RESUME = """Dana Whitfield
Backend engineer, Hamburg

Experience
Staff Software Engineer, FreightLoop GmbH    Mar 2020 – Present
- Designed Python (asyncio, FastAPI) services handling 4,000 requests per second
- Cut PostgreSQL query times by 60% through indexing and SQL rewrites
- Run everything on Kubernetes in AWS; own the Docker build pipeline and Terraform modules

Software Engineer, ParcelPoint    Jan 2016 – Feb 2020
- Built order routing in Python and Django on PostgreSQL
- Introduced Kafka for shipment events

Education
B.Sc. Computer Science, TU Berlin    2011 – 2015
"""

UNRELATED_RESUME = """Morgan Ellis
Pastry chef

Experience
Pastry Chef, Le Petit Four    Jun 2022 – Present
- Lead a team of three making laminated doughs and plated desserts

Line Cook, Harbour Bistro    Jan 2021 – Aug 2021
- Prepared sauces and handled the grill on busy weekend services

Kitchen Assistant, Corner Café    Feb 2018 – Sep 2018

Education
Culinary Diploma, City College    2016 – 2017
"""


@pytest.fixture
def llm() -> OfflineLLM:
    return OfflineLLM(today=lambda: TODAY)


async def analyze(llm: LLM, resume: str) -> ResumeAnalysis:
    return await llm.analyze_resume(
        prompt=PROMPT, prompt_version=3, resume_text=resume, job_title=JOB_TITLE, job_description=JOB
    )


def all_quotes(analysis: ResumeAnalysis | InterviewEvaluation) -> list[str]:
    findings = [
        *getattr(analysis, "pros", []),
        *getattr(analysis, "cons", []),
        *analysis.red_flags,
        *getattr(analysis, "strengths", []),
        *getattr(analysis, "weaknesses", []),
    ]
    return [e.quote for f in findings for e in f.evidence]


async def test_a_matching_resume_scores_as_lower_risk_than_an_unrelated_one(llm: OfflineLLM) -> None:
    matching = await analyze(llm, MATCHING_RESUME)
    unrelated = await analyze(llm, UNRELATED_RESUME)

    assert matching.risk_score < 0.35 < 0.7 < unrelated.risk_score
    assert any("Python" in p.text for p in matching.pros)
    assert any("Kubernetes" in c.text for c in unrelated.cons)


async def test_every_quote_is_copied_verbatim_from_the_resume(llm: OfflineLLM) -> None:
    for resume in (MATCHING_RESUME, UNRELATED_RESUME):
        analysis = await analyze(llm, resume)
        quotes = all_quotes(analysis)
        assert quotes
        assert all(q in resume for q in quotes), [q for q in quotes if q not in resume]


async def test_gaps_and_short_tenures_are_flagged_from_the_dates(llm: OfflineLLM) -> None:
    analysis = await analyze(llm, UNRELATED_RESUME)

    gap_texts = [f.text for f in [*analysis.cons, *analysis.red_flags] if "No dated work" in f.text]
    assert any("between Aug 2021 and Jun 2022" in t for t in gap_texts)
    assert any("between Sep 2018 and Jan 2021" in f.text for f in analysis.red_flags)
    assert any("less than a year" in f.text for f in analysis.red_flags)
    # The diploma's dates are study, not a gap in work.
    assert not any("2017" in t and "2018" in t for t in gap_texts)


async def test_questions_probe_missing_skills_and_gaps(llm: OfflineLLM) -> None:
    analysis = await analyze(llm, UNRELATED_RESUME)

    assert 3 <= len(analysis.suggested_questions) <= 6
    assert any("Python" in q for q in analysis.suggested_questions)
    assert any("no role between" in q for q in analysis.suggested_questions)


async def test_results_say_no_language_model_was_used(llm: OfflineLLM) -> None:
    analysis = await analyze(llm, MATCHING_RESUME)

    assert analysis.run.provider == "offline"
    assert analysis.run.model == "offline-rules-v1"
    assert analysis.run.prompt_version == 3
    assert not analysis.run.language_model_used
    assert "no language model" in analysis.relevance_summary
    assert analysis == await analyze(llm, MATCHING_RESUME)  # deterministic


async def test_a_resume_without_dates_or_known_skills_gets_a_neutral_explained_result(llm: OfflineLLM) -> None:
    analysis = await llm.analyze_resume(
        prompt=PROMPT,
        prompt_version=1,
        resume_text="Hard-working and friendly.",
        job_title="Helper",
        job_description="We need a helper who is kind.",
    )

    assert 0.3 <= analysis.risk_score <= 0.7
    assert any("no employment dates" in c.text for c in analysis.cons)
