"""The offline résumé analysis: requirement matching, tenure and gap checks, templated questions."""

from __future__ import annotations

from datetime import date

from airecruiter.domain.offline_rules import (
    Gap,
    Match,
    Stint,
    employment_gaps,
    employment_stints,
    extract_requirements,
    match_requirements,
    required_years,
    short_stints,
    total_experience_months,
)
from airecruiter.ports.llm import Evidence, Finding, ResumeAnalysisContent

MAX_FINDINGS = 12
MAX_QUESTIONS = 6
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _when(point: tuple[int, int]) -> str:
    return f"{_MONTH_NAMES[point[1] - 1]} {point[0]}"


def _evidence(*quotes: str | None) -> list[Evidence]:
    unique = dict.fromkeys(q.strip() for q in quotes if q and q.strip())
    return [Evidence(quote=q[:500]) for q in unique]


def _requirement_findings(matches: list[Match]) -> tuple[list[Finding], list[Finding]]:
    pros = []
    missing: dict[str, list[str]] = {"required": [], "nice to have": []}
    for match in sorted(matches, key=lambda m: not m.requirement.must):
        label, kind = match.requirement.label, "required" if match.requirement.must else "nice to have"
        if match.quote:
            pros.append(Finding(text=f"Shows {label} ({kind} for this job).", evidence=_evidence(match.quote)))
        else:
            missing[kind].append(label)
    cons = []
    for kind, labels in missing.items():
        # Many misses read better as one line than as a wall of near-identical findings.
        if len(labels) > 3:
            cons.append(Finding(text=f"No mention of {', '.join(labels[:-1])} or {labels[-1]} ({kind}).", evidence=[]))
        else:
            cons += [
                Finding(text=f"No mention of {label}, which the job lists as {kind}.", evidence=[]) for label in labels
            ]
    return pros, cons


def _tenure_findings(
    stints: list[Stint], gaps: list[Gap], short: list[Stint], years_needed: int | None
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    pros: list[Finding] = []
    cons: list[Finding] = []
    flags: list[Finding] = []
    if not stints:
        cons.append(
            Finding(text="The résumé gives no employment dates, so tenure and gaps could not be checked.", evidence=[])
        )
        return pros, cons, flags
    years = total_experience_months(stints) / 12
    span = _evidence(stints[0].quote, stints[-1].quote)
    if years_needed is not None and years >= years_needed:
        pros.append(
            Finding(
                text=f"About {years:.1f} years of dated work experience; the job asks for {years_needed}+.",
                evidence=span,
            )
        )
    elif years_needed is not None:
        cons.append(
            Finding(
                text=f"About {years:.1f} years of dated work experience; the job asks for {years_needed}+.",
                evidence=span,
            )
        )
    for gap in gaps:
        text = f"No dated work for {gap.months} months, between {_when(gap.after.end)} and {_when(gap.before.start)}."
        (flags if gap.months >= 12 else cons).append(
            Finding(text=text, evidence=_evidence(gap.after.quote, gap.before.quote))
        )
    if len(short) >= 2:
        flags.append(
            Finding(
                text=f"{len(short)} roles lasted less than a year.", evidence=_evidence(*(s.quote for s in short[:5]))
            )
        )
    elif short:
        cons.append(Finding(text=f"One role lasted {short[0].months} months.", evidence=_evidence(short[0].quote)))
    return pros, cons, flags


def _questions(matches: list[Match], gaps: list[Gap], short: list[Stint], job_title: str) -> list[str]:
    missing = [m.requirement.label for m in matches if not m.quote and m.requirement.must]
    shown = [m.requirement.label for m in matches if m.quote]
    questions = [
        f"The role calls for {label}. What experience do you have with it, in or outside a job?"
        for label in missing[:2]
    ]
    questions += [
        f"Walk me through a recent piece of work where you used {label}: what was your part, and what was the result?"
        for label in shown[:2]
    ]
    questions += [
        f"Your résumé shows no role between {_when(g.after.end)} and {_when(g.before.start)}. "
        "What were you doing in that time?"
        for g in gaps[:1]
    ]
    if short:
        questions.append("A few of your roles were short. What led you to move on, and what would make you stay?")
    questions.append(
        "Tell me about a time something went wrong at work because of a decision you made. What did you do about it?"
    )
    questions.append(f"What would you want to learn or get better at in your first year as {job_title}?")
    return list(dict.fromkeys(questions))[:MAX_QUESTIONS]


def _risk(matches: list[Match], gaps: list[Gap], short: list[Stint], years_short: bool) -> float:
    weights = [(2 if m.requirement.must else 1, m.quote is not None) for m in matches]
    total = sum(w for w, _ in weights)
    coverage = sum(w for w, hit in weights if hit) / total if total else 0.5
    risk = 0.9 - 0.8 * coverage
    risk += min(0.25, sum(0.15 if g.months >= 12 else 0.08 for g in gaps))
    risk += 0.1 if len(short) >= 2 else 0.0
    risk += 0.1 if years_short else 0.0
    return round(min(1.0, max(0.0, risk)), 2)


def analyze_resume_offline(
    resume_text: str, job_title: str, job_description: str, today: date
) -> ResumeAnalysisContent:
    """Score a résumé against a job with rules only; every quote is copied from the résumé."""
    matches = match_requirements(resume_text, extract_requirements(job_description))
    stints = employment_stints(resume_text, today)
    gaps, short = employment_gaps(stints), short_stints(stints, today)
    years_needed = required_years(job_description)
    years_short = years_needed is not None and total_experience_months(stints) < years_needed * 12
    req_pros, req_cons = _requirement_findings(matches)
    tenure_pros, tenure_cons, flags = _tenure_findings(stints, gaps, short, years_needed)
    must = [m for m in matches if m.requirement.must]
    must_hit = sum(1 for m in must if m.quote)
    if must and must_hit * 2 < len(must):
        flags.insert(0, Finding(text=f"Mentions only {must_hit} of the {len(must)} required skills.", evidence=[]))
    summary = (
        f"Offline rules check, no language model used. The résumé mentions "
        f"{sum(1 for m in matches if m.quote)} of {len(matches)} requirements found in the job description "
        f"for {job_title} ({must_hit} of {len(must)} required)."
    )
    if stints:
        summary += f" It shows about {total_experience_months(stints) / 12:.1f} years of dated work"
        summary += f" and {len(gaps)} gap(s) of six months or more." if gaps else " with no gap of six months or more."
    if not matches:
        summary += " No recognisable skills were found in the job description, so the score is neutral."
    return ResumeAnalysisContent(
        risk_score=_risk(matches, gaps, short, years_short),
        relevance_summary=summary,
        pros=(tenure_pros + req_pros)[:MAX_FINDINGS],
        cons=(tenure_cons + req_cons)[:MAX_FINDINGS],
        red_flags=flags[:MAX_FINDINGS],
        suggested_questions=_questions(matches, gaps, short, job_title),
    )
