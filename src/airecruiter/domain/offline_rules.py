"""Pure rules of the offline scorer: requirements in a job description, matches in a résumé, dates.

Every quote these rules return is a verbatim substring of the text it came from, so a report can
show it as evidence. Nothing here calls a model; it is deterministic given the texts and `today`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Canonical skill → extra spellings. Deliberately broad (tech, trades, office, care) because the
# product screens any kind of job; unknown capitalised terms in requirement lines are added too.
SKILLS: dict[str, tuple[str, ...]] = {
    "Python": (),
    "Java": (),
    "JavaScript": ("js",),
    "TypeScript": (),
    "Go": ("golang",),
    "Rust": (),
    "C++": ("cpp",),
    "C#": (".net", "dotnet"),
    "Ruby": ("rails",),
    "PHP": (),
    "Kotlin": (),
    "Swift": (),
    "Scala": (),
    "SQL": (),
    "PostgreSQL": ("postgres",),
    "MySQL": (),
    "MongoDB": (),
    "Redis": (),
    "Kafka": (),
    "Spark": (),
    "Airflow": (),
    "dbt": (),
    "Snowflake": (),
    "AWS": ("amazon web services",),
    "GCP": ("google cloud",),
    "Azure": (),
    "Docker": (),
    "Kubernetes": ("k8s",),
    "Terraform": (),
    "Linux": (),
    "Git": (),
    "CI/CD": ("continuous integration",),
    "REST": ("restful",),
    "GraphQL": (),
    "React": (),
    "Vue": (),
    "Angular": (),
    "Node.js": ("node",),
    "Django": (),
    "FastAPI": (),
    "Flask": (),
    "Spring": (),
    "asyncio": (),
    "microservices": (),
    "machine learning": ("ml",),
    "pandas": (),
    "Excel": (),
    "Salesforce": (),
    "SAP": (),
    "Workday": (),
    "Tableau": (),
    "Power BI": (),
    "customer service": ("customer support",),
    "sales": (),
    "project management": (),
    "Agile": ("scrum",),
    "accounting": (),
    "bookkeeping": (),
    "payroll": (),
    "recruiting": (),
    "marketing": (),
    "SEO": (),
    "forklift": (),
    "CDL": ("commercial driver",),
    "inventory": (),
    "warehouse": (),
    "POS": (),
    "cash handling": (),
    "first aid": ("cpr",),
    "nursing": (),
    "patient care": (),
    "scheduling": (),
    "Spanish": (),
    "bilingual": (),
    "teaching": (),
    "welding": (),
    "HVAC": (),
    "electrical": (),
    "Ansible": (),
    "Jira": (),
    "Jenkins": (),
    "Elasticsearch": (),
    "TensorFlow": (),
    "PyTorch": (),
    "Figma": (),
    "HubSpot": (),
    "QuickBooks": (),
    "Zendesk": (),
    "Prometheus": (),
    "Grafana": (),
}
# Product-like names outside the lexicon: acronyms (ETL, ISO) and CamelCase (GitHub, NestJS).
_PRODUCT_LIKE = re.compile(r"^(?:[A-Z]{2,6}\d*|[A-Z][a-z]+[A-Z][A-Za-z]*|[A-Za-z]+[0-9.+#/][A-Za-z0-9.+#]*)$")
NOT_PRODUCTS = frozenset({"US", "EU", "UK", "IT", "HR", "OR", "AND", "PTO", "EEO", "CV", "USA", "MS", "BS", "BA"})
DEGREES = ("bachelor", "master", "phd", "b.sc", "m.sc", "bsc", "msc", "degree", "diploma")
NICE_MARKERS = ("nice to have", "preferred", "bonus", "a plus", "plus:", "desirable", "ideally")
MUST_MARKERS = ("require", "must", "you have", "you bring", "qualifications", "what we need")
COMMON_WORDS = frozenset({"and", "or", "the", "with", "for", "plus", "nice", "must", "have"})
MONTHS = {
    m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
_MONTH = (
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_POINT = rf"(?:{_MONTH}\s+\d{{4}}|(?<!\d)\d{{1,2}}/\d{{4}}|(?<![\d/])\d{{4}})(?!\d)"
_RANGE = re.compile(
    rf"(?P<start>{_POINT})\s*(?:-|–|—|to|until)\s*(?P<end>{_POINT}|present|current|now|today)",
    re.IGNORECASE,
)
SECTION_WORDS = (
    "experience",
    "employment",
    "work history",
    "career",
    "education",
    "training",
    "skills",
    "projects",
    "certifications",
    "summary",
    "profile",
    "languages",
    "interests",
    "references",
    "volunteer",
    "requirements",
    "qualifications",
    "responsibilities",
    "nice to have",
    "preferred",
    "about",
)
_SHORT_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z &/'-]{2,40}:?\s*$")


@dataclass(frozen=True)
class Requirement:
    """A skill or qualification the job asks for; `must` is False for nice-to-haves."""

    label: str
    terms: tuple[str, ...]
    must: bool


@dataclass(frozen=True)
class Match:
    """A requirement and the résumé line that shows it (None when the résumé never mentions it)."""

    requirement: Requirement
    quote: str | None


@dataclass(frozen=True)
class Stint:
    """A dated period of work found in the résumé, as (year, month) pairs and the quoted line."""

    start: tuple[int, int]
    end: tuple[int, int]
    quote: str

    @property
    def months(self) -> int:
        """Length in whole months, counting both ends."""
        return months_between(self.start, self.end) + 1


@dataclass(frozen=True)
class Gap:
    """Time between two stints with no dated work."""

    after: Stint
    before: Stint
    months: int


def is_heading(line: str) -> bool:
    """A short line naming a résumé or job-description section ("Experience", "Nice to have:")."""
    lowered = line.lower()
    return bool(_SHORT_LINE.match(line)) and len(line.split()) <= 4 and any(w in lowered for w in SECTION_WORDS)


def months_between(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Whole months from a to b (negative when b is earlier)."""
    return (b[0] - a[0]) * 12 + (b[1] - a[1])


def _term_pattern(term: str) -> re.Pattern[str]:
    # Word boundaries that also work for terms ending in symbols such as C++ or C#. Short
    # capitalised names are matched case-sensitively so "Go" or "Excel" do not match "go"/"excel at".
    flags = 0 if term[:1].isupper() and len(term) <= 6 else re.IGNORECASE
    return re.compile(rf"(?<![\w+#]){re.escape(term)}(?![\w+#])", flags)


def _mentions(text: str, terms: tuple[str, ...]) -> re.Match[str] | None:
    for term in terms:
        found = _term_pattern(term).search(text)
        if found:
            return found
    return None


def _line_kind(line: str, current: bool) -> bool:
    lowered = line.lower()
    if any(marker in lowered for marker in NICE_MARKERS):
        return False
    if any(marker in lowered for marker in MUST_MARKERS):
        return True
    return current


def _product_terms(line: str) -> list[str]:
    """Product-like names in a requirement bullet (e.g. "GitHub", "ETL") beyond the lexicon."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9.+#/]*[A-Za-z0-9+#]", line)
    return [w for w in words if _PRODUCT_LIKE.match(w) and w not in NOT_PRODUCTS and w.lower() not in COMMON_WORDS]


def extract_requirements(job_description: str) -> list[Requirement]:
    """The skills and qualifications a job description asks for, in order of first mention."""
    found: dict[str, Requirement] = {}
    must = True
    for line in job_description.splitlines():
        must = _line_kind(line, must) if is_heading(line) or line.rstrip().endswith(":") else must
        line_must = _line_kind(line, must)
        for label, aliases in SKILLS.items():
            if label not in found and _mentions(line, (label, *aliases)):
                found[label] = Requirement(label, (label, *aliases), line_must)
        if line.lstrip().startswith(("-", "*", "•")):
            for word in _product_terms(line):
                known = any(word.lower() in (k.lower(), *a) for k, a in SKILLS.items())
                if word not in found and not known:
                    found[word] = Requirement(word, (word,), line_must)
        if any(d in line.lower() for d in DEGREES) and "degree" not in found:
            found["degree"] = Requirement("a degree", DEGREES, line_must)
    return list(found.values())


def required_years(job_description: str) -> int | None:
    """The years of experience a job description asks for, when it says (e.g. "5+ years")."""
    found = re.search(r"(\d{1,2})\s*\+?\s*(?:or more\s+)?years?", job_description, re.IGNORECASE)
    return int(found.group(1)) if found else None


def quote_around(text: str, found: re.Match[str], width: int = 160) -> str:
    """The line holding a match, shortened at word boundaries to about `width` characters."""
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    end = len(text) if end < 0 else end
    if end - start > width:
        start = max(start, found.start() - width // 2)
        end = min(end, found.end() + width // 2)
        while start < found.start() and not text[start - 1].isspace():
            start += 1
        while end > found.end() and not text[end].isspace():
            end -= 1
    return text[start:end].strip(" \t\r•*-–")


def match_requirements(resume_text: str, requirements: list[Requirement]) -> list[Match]:
    """For each requirement, the résumé line that mentions it, or None."""
    matches = []
    for requirement in requirements:
        found = _mentions(resume_text, requirement.terms)
        matches.append(Match(requirement, quote_around(resume_text, found) if found else None))
    return matches


def _point(text: str, today: date) -> tuple[int, int]:
    lowered = text.lower().strip()
    if lowered in ("present", "current", "now", "today"):
        return today.year, today.month
    if "/" in lowered:
        month, year = lowered.split("/")
        return int(year), max(1, min(12, int(month)))
    parts = lowered.split()
    if len(parts) == 2:
        return int(parts[1]), MONTHS.get(parts[0][:3], 1)
    return int(lowered), 1


def _education_lines(lines: list[str]) -> set[int]:
    """Indexes of lines under an Education heading, whose dates are study, not work."""
    inside, skipped = False, set()
    for index, line in enumerate(lines):
        if is_heading(line):
            inside = "educat" in line.lower() or "training" in line.lower()
        elif inside:
            skipped.add(index)
    return skipped


def employment_stints(resume_text: str, today: date) -> list[Stint]:
    """Dated work periods in the résumé, oldest first; study periods under Education are left out."""
    lines = resume_text.splitlines()
    skipped = _education_lines(lines)
    stints = []
    for index, line in enumerate(lines):
        if index in skipped:
            continue
        for found in _RANGE.finditer(line):
            start, end = _point(found.group("start"), today), _point(found.group("end"), today)
            if found.group("end").isdigit():
                end = (end[0], 12)  # "2019 - 2021" means through the end of 2021
            if 1950 <= start[0] <= today.year and months_between(start, end) >= 0:
                stints.append(Stint(start, end, line.strip()[:200].rstrip()))
    return sorted(stints, key=lambda s: (s.start, s.end))


def employment_gaps(stints: list[Stint], *, min_months: int = 6) -> list[Gap]:
    """Stretches of at least `min_months` between the end of all earlier work and the next stint."""
    gaps, latest_end = [], None
    previous: Stint | None = None
    for stint in stints:
        if latest_end is not None and previous is not None:
            missing = months_between(latest_end, stint.start) - 1
            if missing >= min_months:
                gaps.append(Gap(previous, stint, missing))
        if latest_end is None or stint.end > latest_end:
            latest_end, previous = stint.end, stint
    return gaps


def total_experience_months(stints: list[Stint]) -> int:
    """Months covered by at least one stint (overlaps counted once)."""
    covered: set[tuple[int, int]] = set()
    for stint in stints:
        year, month = stint.start
        for _ in range(stint.months):
            covered.add((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return len(covered)


def short_stints(stints: list[Stint], today: date, *, under_months: int = 12) -> list[Stint]:
    """Finished stints shorter than `under_months` (the current job is never counted as short)."""
    now = (today.year, today.month)
    return [s for s in stints if s.months < under_months and s.end != now]
