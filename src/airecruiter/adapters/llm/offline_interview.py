"""The offline interviewer and its rubric: one question at a time, one follow-up, scored answers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from airecruiter.domain.offline_rules import extract_requirements
from airecruiter.ports.llm import (
    Evidence,
    Finding,
    InterviewEvaluationContent,
    InterviewMessage,
    InterviewTurnContent,
    Recommendation,
)

DEFAULT_QUESTIONS = (
    "What drew you to the {job_title} role, and which part of your experience fits it best?",
    "Tell me about a piece of work you are proud of: what was your part, and what was the result?",
    "Tell me about a time something went wrong at work. What did you do, and what did you learn?",
    "How do you keep your commitments when priorities change or a deadline moves?",
)
OPENING = (
    "Hello, and thank you for taking the time for this interview for the {job_title} role. "
    "I will ask {count} questions, one at a time; please answer in your own words. First: {question}"
)
FOLLOW_UP = (
    "Thank you. Could you make that concrete with an example: the situation, what you did yourself, "
    "and what came of it?"
)
NEXT = "Thank you. Next question: {question}"
CLOSING = (
    "Thank you, that was my last question. Your answers have been saved and the hiring team will be "
    "in touch about the next steps."
)
MAX_QUESTIONS = 8

_EXAMPLE = re.compile(
    r"\b(?:for example|for instance|when I|one time|once|last year|at my last|in my previous|we had|"
    r"I (?:led|built|wrote|designed|fixed|migrated|reduced|improved|organi[sz]ed|managed|handled|trained))\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")
_OWNERSHIP = re.compile(
    r"\b(?:my (?:mistake|fault|responsibility)|I was responsible|I took (?:responsibility|ownership)|I owned|"
    r"I apologi[sz]ed|I should have|I fixed|I decided|I learned|I learnt)\b",
    re.IGNORECASE,
)
_BLAME = re.compile(
    r"\b(?:not my (?:fault|problem|job)|(?:they|he|she|my (?:manager|boss|team|colleagues?)) (?:was|were) "
    r"(?:to blame|useless|incompetent|lazy)|blamed? (?:them|him|her|my))\b",
    re.IGNORECASE,
)
_RELIABILITY = re.compile(
    r"\b(?:deadlines?|on time|commit(?:ment|ted)?s?|follow(?:ed)? (?:up|through)|reliab\w*|consisten\w*|"
    r"never missed|priorit\w*|plan(?:ned|ning)?|checklists?|ahead of)\b",
    re.IGNORECASE,
)
_GROWTH = re.compile(
    r"\b(?:learn\w*|course\w*|certif\w*|improv\w*|feedback|mentor\w*|grew|grow\w*|stud(?:y|ied)|practi[cs]e\w*|"
    r"curious)\b",
    re.IGNORECASE,
)
_PROFANITY = re.compile(r"\b(?:fuck\w*|shit\w*|crap|bullshit|idiots?|stupid|damn)\b", re.IGNORECASE)
_NON_ANSWER = re.compile(
    r"^\s*(?:i don'?t know|no idea|pass|n/?a|nothing|no comment|-+|\.+)\s*[.!]?\s*$", re.IGNORECASE
)


def _questions(job_title: str, suggested: list[str]) -> list[str]:
    chosen = [q.strip() for q in suggested if q.strip()][:MAX_QUESTIONS]
    return chosen or [q.format(job_title=job_title) for q in DEFAULT_QUESTIONS]


def is_thin(answer: str) -> bool:
    """An answer too short or too vague to score without one follow-up."""
    words = len(answer.split())
    return words < 15 or (words < 40 and not _EXAMPLE.search(answer) and not _NUMBER.search(answer))


def next_turn(job_title: str, suggested: list[str], transcript: list[InterviewMessage]) -> InterviewTurnContent:
    """Ask the questions in order, one follow-up after a thin answer, complete after the last."""
    questions = _questions(job_title, suggested)
    if not transcript:
        opening = OPENING.format(job_title=job_title, count=len(questions), question=questions[0])
        return InterviewTurnContent(message=opening, complete=False)
    asked_by_us = [m.content for m in transcript if m.role == "interviewer"]
    if transcript[-1].role == "interviewer":
        # Nothing new from the candidate: repeat the pending message instead of skipping ahead.
        return InterviewTurnContent(message=transcript[-1].content, complete=transcript[-1].content == CLOSING)
    last_ours = asked_by_us[-1] if asked_by_us else ""
    if last_ours != FOLLOW_UP and is_thin(transcript[-1].content):
        return InterviewTurnContent(message=FOLLOW_UP, complete=False)
    asked = {i for i, q in enumerate(questions) for m in asked_by_us if q in m}
    remaining = [q for i, q in enumerate(questions) if i not in asked]
    # The bound guarantees an end even if earlier messages came from another interviewer.
    if not remaining or len(asked_by_us) >= 2 * len(questions):
        return InterviewTurnContent(message=CLOSING, complete=True)
    return InterviewTurnContent(message=NEXT.format(question=remaining[0]), complete=False)


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def sentence_around(text: str, found: re.Match[str], width: int = 200) -> str:
    """The sentence holding a match, as a verbatim piece of `text` of at most about `width` characters."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, found.start())), default=0)
    after = _SENTENCE_END.search(text, found.end())
    end = after.end() if after else len(text)
    start, end = max(start, found.start() - width // 2), min(end, found.end() + width // 2)
    return text[start:end].strip()


@dataclass(frozen=True)
class Answer:
    """A candidate answer, the question before it, and what the rubric counted in it."""

    question: str
    text: str

    @property
    def words(self) -> int:
        """Number of words in the answer."""
        return len(self.text.split())

    def first(self, pattern: re.Pattern[str]) -> str | None:
        """The sentence of the first match of `pattern`, quoted verbatim."""
        found = pattern.search(self.text)
        return sentence_around(self.text, found) if found else None


def answers_of(transcript: list[InterviewMessage]) -> list[Answer]:
    """Each candidate message paired with the interviewer message before it."""
    answers, question = [], ""
    for message in transcript:
        if message.role == "interviewer":
            question = message.content
        elif message.content.strip():
            answers.append(Answer(question, message.content))
    return answers


def _length_points(words: float) -> float:
    for limit, points in ((8, 1), (20, 3), (40, 5), (80, 7), (150, 9)):
        if words < limit:
            return points
    return 10


def _clamp(value: float) -> int:
    return int(max(0, min(10, round(value))))


def _quotes(answers: list[Answer], pattern: re.Pattern[str], limit: int = 2) -> list[Evidence]:
    quotes = [q for q in (a.first(pattern) for a in answers) if q]
    return [Evidence(quote=q) for q in dict.fromkeys(quotes)][:limit]


def _hits(answers: list[Answer], pattern: re.Pattern[str]) -> int:
    return sum(len(pattern.findall(a.text)) for a in answers)


def _recommendation(mean: float) -> Recommendation:
    if mean >= 7.5:
        return "strong_hire"
    if mean >= 6:
        return "hire"
    return "maybe" if mean >= 4 else "no_hire"


def _skills_pattern(job_description: str) -> tuple[re.Pattern[str] | None, list[str]]:
    requirements = [r for r in extract_requirements(job_description) if r.label != "a degree"]
    terms = sorted({t for r in requirements for t in r.terms}, key=len, reverse=True)
    if not terms:
        return None, []
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(rf"(?<![\w+#])(?:{alternatives})(?![\w+#])", re.IGNORECASE), [r.label for r in requirements]


@dataclass(frozen=True)
class _Counts:
    mean_words: float
    example_share: float
    specific_share: float
    skills_named: list[str]
    ownership: int
    blame: int
    reliability: int
    growth: int
    profanity: int
    non_answers: int


def _count(answers: list[Answer], skills: re.Pattern[str] | None) -> _Counts:
    count = max(1, len(answers))
    named = sorted({m.lower() for a in answers for m in skills.findall(a.text)}) if skills else []
    return _Counts(
        mean_words=sum(a.words for a in answers) / count,
        example_share=sum(1 for a in answers if _EXAMPLE.search(a.text)) / count,
        specific_share=sum(1 for a in answers if _NUMBER.search(a.text) or (skills and skills.search(a.text))) / count,
        skills_named=named,
        ownership=_hits(answers, _OWNERSHIP),
        blame=_hits(answers, _BLAME),
        reliability=_hits(answers, _RELIABILITY),
        growth=_hits(answers, _GROWTH),
        profanity=_hits(answers, _PROFANITY),
        non_answers=sum(1 for a in answers if _NON_ANSWER.match(a.text)),
    )


def _scores(c: _Counts, answered: int, skill_count: int) -> dict[str, int]:
    engagement = 0.5 + 0.5 * min(1.0, c.mean_words / 40) if answered else 0.0
    skill_share = min(1.0, len(c.skills_named) / max(1, min(4, skill_count))) if skill_count else c.specific_share
    raw = {
        "reliability": 4 + 1.5 * min(3, c.reliability) + 2 * c.example_share,
        "accountability": 4 + 2 * min(3, c.ownership) - 3 * c.blame,
        "communication": _length_points(c.mean_words) - (2 if c.non_answers * 2 >= max(1, answered) else 0),
        "technical": 10 * (0.6 * skill_share + 0.4 * c.specific_share),
        "growth_potential": 3 + 1.5 * min(4, c.growth) + 1.5 * c.example_share,
    }
    scores = {name: _clamp(value * engagement) for name, value in raw.items()}
    professionalism = 8 - 3 * c.profanity - 2 * c.blame - (2 if c.non_answers * 2 >= max(1, answered) else 0)
    scores["professionalism"] = _clamp(professionalism) if answered else 0
    return scores


def _findings(
    answers: list[Answer], c: _Counts, skills: re.Pattern[str] | None, labels: list[str]
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    strengths, weaknesses, flags = [], [], []
    if skills and c.skills_named:
        strengths.append(
            Finding(
                text=f"Speaks to the job's skills: {', '.join(c.skills_named[:5])}.",
                evidence=_quotes(answers, skills, 3),
            )
        )
    if c.example_share >= 0.5:
        strengths.append(Finding(text="Backs answers with concrete examples.", evidence=_quotes(answers, _EXAMPLE)))
    if c.ownership:
        strengths.append(
            Finding(text="Takes ownership of outcomes, including mistakes.", evidence=_quotes(answers, _OWNERSHIP))
        )
    if c.growth:
        strengths.append(Finding(text="Talks about learning and improving.", evidence=_quotes(answers, _GROWTH)))
    for answer in answers:
        if answer.words < 15 and not _NON_ANSWER.match(answer.text):
            weaknesses.append(
                Finding(
                    text=f"Brief answer ({answer.words} words) to: {answer.question[:160]}",
                    evidence=[Evidence(quote=answer.text.strip()[:500])],
                )
            )
    if labels and not c.skills_named:
        weaknesses.append(Finding(text=f"Never mentions the job's key skills ({', '.join(labels[:3])}).", evidence=[]))
    if answers and c.example_share < 0.5:
        weaknesses.append(Finding(text="Few concrete examples; most answers stay general.", evidence=[]))
    if c.profanity:
        flags.append(Finding(text="Uses profanity or insults.", evidence=_quotes(answers, _PROFANITY)))
    if c.blame:
        flags.append(Finding(text="Blames others for problems.", evidence=_quotes(answers, _BLAME)))
    if c.non_answers * 2 >= max(1, len(answers)):
        flags.append(Finding(text="Did not answer most questions.", evidence=_quotes(answers, _NON_ANSWER)))
    return strengths[:12], weaknesses[:12], flags[:12]


def evaluate_offline(
    job_title: str, job_description: str, transcript: list[InterviewMessage]
) -> InterviewEvaluationContent:
    """Score the candidate's answers by length, specificity, examples and the job's skills."""
    answers = answers_of(transcript)
    skills, labels = _skills_pattern(job_description)
    counts = _count(answers, skills)
    scores = _scores(counts, len(answers), len(labels))
    strengths, weaknesses, flags = _findings(answers, counts, skills, labels)
    mean = sum(scores.values()) / len(scores)
    summary = (
        f"Offline rubric evaluation, no language model used, for {job_title}: {len(answers)} answers averaging "
        f"{counts.mean_words:.0f} words; {counts.example_share:.0%} give a concrete example; "
        f"{len(counts.skills_named)} of the job's skills named. Average score {mean:.1f} of 10."
    )
    return InterviewEvaluationContent(
        **scores,
        summary=summary,
        strengths=strengths,
        weaknesses=weaknesses,
        red_flags=flags,
        recommendation=_recommendation(mean),
    )
