"""The offline interviewer asks one question at a time and its rubric rewards specific, relevant answers."""

from __future__ import annotations

from airecruiter.adapters.llm import OfflineLLM
from airecruiter.ports.llm import InterviewEvaluation, InterviewMessage

JOB_TITLE = "Warehouse Shift Lead"
JOB = """Warehouse Shift Lead, night shift

Requirements:
- Forklift certification and 3+ years in a warehouse
- Inventory counts and cycle-count reconciliation
- Scheduling a team of 10 pickers

Nice to have:
- Spanish
"""
QUESTIONS = [
    "Tell me about how you run inventory counts.",
    "How do you handle a picker who keeps arriving late?",
]
STRONG = [
    "At my last job at Northgate Logistics I ran the weekly cycle count for 4,000 locations. I built a checklist, "
    "split the aisles between two teams and we brought inventory accuracy from 96% to 99.4% in six months.",
    "When I had a picker arriving late three times in a week, I talked to him privately first. It turned out his "
    "bus schedule had changed, so I moved his start by 20 minutes and he was never late again. I follow up in "
    "writing so the commitment is clear, and I learned to ask before assuming.",
]
WEAK = ["I count stuff.", "I don't know."]


def conversation(answers: list[str]) -> list[InterviewMessage]:
    transcript = []
    for question, answer in zip(QUESTIONS, answers, strict=True):
        transcript.append(InterviewMessage(role="interviewer", content=f"Next question: {question}"))
        transcript.append(InterviewMessage(role="candidate", content=answer))
    return transcript


async def turn(llm: OfflineLLM, transcript: list[InterviewMessage]) -> tuple[str | None, bool]:
    result = await llm.interview_turn(
        prompt="Interview politely.",
        prompt_version=2,
        job_title=JOB_TITLE,
        job_description=JOB,
        suggested_questions=QUESTIONS,
        transcript=transcript,
    )
    assert result.run.provider == "offline"
    return result.message, result.complete


async def test_the_interview_asks_each_question_once_follows_up_on_a_thin_answer_and_completes() -> None:
    llm = OfflineLLM()
    transcript: list[InterviewMessage] = []

    message, complete = await turn(llm, transcript)
    assert not complete and message and QUESTIONS[0] in message and JOB_TITLE in message
    transcript += [
        InterviewMessage(role="interviewer", content=message),
        InterviewMessage(role="candidate", content="We count it."),
    ]

    follow_up, complete = await turn(llm, transcript)
    assert not complete and follow_up and "example" in follow_up
    transcript += [
        InterviewMessage(role="interviewer", content=follow_up),
        InterviewMessage(role="candidate", content="Still short."),
    ]

    second, complete = await turn(llm, transcript)  # only one follow-up, then move on
    assert not complete and second and QUESTIONS[1] in second
    transcript += [
        InterviewMessage(role="interviewer", content=second),
        InterviewMessage(role="candidate", content=STRONG[1]),
    ]

    closing, complete = await turn(llm, transcript)
    assert complete and closing and "last question" in closing


async def test_asking_again_before_the_candidate_answers_repeats_the_pending_question() -> None:
    llm = OfflineLLM()
    pending = [InterviewMessage(role="interviewer", content=f"Hello. First: {QUESTIONS[0]}")]

    assert await turn(llm, pending) == (pending[0].content, False)


async def test_without_suggested_questions_the_interviewer_uses_general_ones() -> None:
    result = await OfflineLLM().interview_turn(
        prompt="",
        prompt_version=1,
        job_title=JOB_TITLE,
        job_description=JOB,
        suggested_questions=[],
        transcript=[],
    )
    assert result.message and "Warehouse Shift Lead role" in result.message and not result.complete


async def evaluate(answers: list[str]) -> InterviewEvaluation:
    return await OfflineLLM().evaluate_interview(
        prompt="Evaluate fairly.",
        prompt_version=4,
        job_title=JOB_TITLE,
        job_description=JOB,
        transcript=conversation(answers),
    )


async def test_specific_relevant_answers_outscore_thin_ones() -> None:
    strong, weak = await evaluate(STRONG), await evaluate(WEAK)

    for scale in ("reliability", "accountability", "communication", "technical", "growth_potential"):
        assert getattr(strong, scale) > getattr(weak, scale), scale
    assert strong.recommendation in ("hire", "strong_hire")
    assert weak.recommendation == "no_hire"
    assert any("Inventory" in s.text or "skills" in s.text for s in strong.strengths)
    assert any("Brief answer" in w.text for w in weak.weaknesses)
    assert any("Did not answer" in f.text for f in weak.red_flags)
    assert "no language model" in strong.summary and strong.run.prompt_version == 4


async def test_evaluation_quotes_are_the_candidates_own_words() -> None:
    for answers in (STRONG, WEAK):
        evaluation = await evaluate(answers)
        quotes = [
            e.quote for f in [*evaluation.strengths, *evaluation.weaknesses, *evaluation.red_flags] for e in f.evidence
        ]
        assert quotes
        assert all(any(q in a for a in answers) for q in quotes), quotes


async def test_blame_and_profanity_are_red_flags() -> None:
    evaluation = await evaluate(
        [
            "Inventory was always wrong because my manager was useless. Not my fault.",
            "Honestly those pickers are idiots and I told them so.",
        ]
    )
    flags = " ".join(f.text for f in evaluation.red_flags)
    assert "Blames others" in flags and "profanity" in flags
    assert evaluation.professionalism <= 4
