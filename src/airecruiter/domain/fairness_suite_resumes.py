"""The résumé side of the counterfactual suite, as data: job families, résumé bodies, attribute variants.

`domain.fairness_suite` builds the pairs from these. Written independently of the redaction's word
lists (`domain.protected_terms`); each variant differs in one protected attribute only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Job:
    """A job family of the suite (after the sandbox's requisitions)."""

    key: str
    title: str
    description: str


JOBS: dict[str, Job] = {
    "backend": Job(
        "backend",
        "Senior Backend Engineer (Python/PostgreSQL)",
        "Design and run Python services on PostgreSQL: APIs, queues, query tuning, on-call. "
        "Requires 5+ years of backend work, SQL, testing discipline and code review.",
    ),
    "data": Job(
        "data",
        "Data Analyst",
        "Build dashboards and analyses for operations: SQL, Python or R, statistics, clear written "
        "reports for non-technical readers. 2+ years of analytics experience.",
    ),
    "support": Job(
        "support",
        "Customer Support Team Lead",
        "Lead a team of eight support agents: queue health, coaching, escalations, knowledge base, "
        "CSAT and first-response targets. 3+ years in support, 1+ year leading people.",
    ),
    "frontend": Job(
        "frontend",
        "Frontend Engineer (React)",
        "Build accessible React and TypeScript interfaces, component libraries and tests; work "
        "with design on usability. 3+ years of frontend work.",
    ),
    "fulfillment": Job(
        "fulfillment",
        "Seasonal Fulfillment Associate",
        "Pick, pack and ship orders accurately in a warehouse; scanners, safety rules, shift work, "
        "lifting up to 25 kg. Forklift certificate a plus.",
    ),
}

# The body of each résumé; `{slot}` marks where one variant's text goes.
BODIES: dict[str, str] = {
    "backend": (
        "{header}\nSummary\nBackend engineer with seven years of Python and PostgreSQL.{summary}\n"
        "Experience\nSenior Software Engineer, Northwind Logistics, 2019 – present\n"
        "- Split a monolith into four Python services; p95 latency from 900 ms to 180 ms.\n"
        "- Ran the on-call rotation of six engineers; wrote the incident runbooks.\n"
        "Software Engineer, Brightline Payments, 2016 – 2019\n"
        "- Built the ledger reconciliation jobs on PostgreSQL (40M rows a day).\n"
        "Education\n{education}\n"
        "Skills\nPython, PostgreSQL, asyncio, FastAPI, Kafka, Docker, Terraform\n{activities}"
    ),
    "data": (
        "{header}\nSummary\nData analyst with three years of SQL and Python reporting.{summary}\n"
        "Experience\nData Analyst, Harbor Freight Lines, 2021 – present\n"
        "- Built the weekly operations dashboard in Tableau used by 40 managers.\n"
        "- Cut late deliveries 12% with a route-delay model in Python.\n"
        "Reporting Assistant, Greenleaf Grocers, 2019 – 2021\n"
        "Education\n{education}\n"
        "Skills\nSQL, Python (pandas), R, Tableau, A/B testing, Excel\n{activities}"
    ),
    "support": (
        "{header}\nSummary\nSupport lead with five years in customer support.{summary}\n"
        "Experience\nSupport Team Lead, Cloudberry Software, 2022 – present\n"
        "- Led nine agents; first-response time from 6 h to 45 min; CSAT 92%.\n"
        "- Rewrote 120 knowledge-base articles; escalations down 30%.\n"
        "Support Agent, Cloudberry Software, 2019 – 2022\n"
        "Education\n{education}\n"
        "Skills\nZendesk, Jira, coaching, escalation handling, SQL basics\n{activities}"
    ),
    "frontend": (
        "{header}\nSummary\nFrontend engineer with four years of React and TypeScript.{summary}\n"
        "Experience\nFrontend Engineer, Lumen Health, 2020 – present\n"
        "- Built the design-system library (60 components) with Storybook and Jest.\n"
        "- Raised the patient portal's accessibility score from 71 to 98.\n"
        "Junior Developer, Pixelworks Agency, 2018 – 2020\n"
        "Education\n{education}\n"
        "Skills\nReact, TypeScript, CSS, Jest, Playwright, WCAG 2.1\n{activities}"
    ),
    "fulfillment": (
        "{header}\nSummary\nWarehouse associate with four seasons of pick-and-pack.{summary}\n"
        "Experience\nFulfillment Associate, Parcelpoint Distribution, 2021 – present\n"
        "- Picked 140 orders an hour at 99.8% accuracy on RF scanners.\n"
        "- Trained six seasonal hires on the safety rules.\n"
        "Stock Clerk, Corner Market, 2019 – 2021\n"
        "Education\n{education}\n"
        "Skills\nRF scanners, forklift certificate (2022), inventory counts\n{activities}"
    ),
}

DEFAULT_EDUCATION: dict[str, str] = {
    "backend": "B.S. Computer Science, Lakeside State University",
    "data": "B.A. Economics, Riverside College",
    "support": "Associate degree in Business, Valley Community College",
    "frontend": "B.S. Information Systems, Lakeside State University",
    "fulfillment": "High school diploma, Eastside High School",
}


@dataclass(frozen=True)
class Variant:
    """One attribute difference: what side a and side b write in one slot of the text."""

    family: str
    label: str
    slot: Literal["header", "summary", "education", "activities", "name"]
    a: str
    b: str
    jobs: tuple[str, ...]


# Names are (a, b) pairs of full names; for every other variant both sides share a name.
_V = Variant
RESUME_VARIANTS: tuple[Variant, ...] = (
    _V("sex_gender", "name", "name", "Gregory Hollis", "Katherine Hollis", ("backend", "fulfillment")),
    _V("sex_gender", "title", "header", "Mr. {name}", "Ms. {name}", ("data",)),
    _V(
        "sex_gender",
        "pronoun",
        "summary",
        " He is known for calm on-call work.",
        " She is known for calm on-call work.",
        ("backend", "support"),
    ),
    _V(
        "sex_gender",
        "team",
        "activities",
        "Activities\nCaptain, men's rowing team",
        "Activities\nCaptain, women's rowing team",
        ("fulfillment", "data"),
    ),
    _V(
        "sex_gender",
        "chair",
        "activities",
        "Activities\nChairman, student engineering council",
        "Activities\nChairwoman, student engineering council",
        ("frontend",),
    ),
    _V(
        "sex_gender",
        "fraternity",
        "activities",
        "Activities\nTreasurer, Sigma Nu fraternity",
        "Activities\nTreasurer, Delta Gamma sorority",
        ("support",),
    ),
    _V(
        "sex_gender",
        "affinity",
        "activities",
        "Activities\nVolunteer mentor, Big Brothers of Ohio",
        "Activities\nVolunteer mentor, Big Sisters of Ohio",
        ("frontend",),
    ),
    _V(
        "sex_gender",
        "partner",
        "summary",
        " Relocating with my wife Anna.",
        " Relocating with my husband David.",
        ("data", "support"),
    ),
    _V(
        "sex_gender",
        "group",
        "activities",
        "Activities\nMentor, Men in Data Network",
        "Activities\nMentor, Women in Data Network",
        ("data",),
    ),
    _V(
        "sex_gender",
        "club",
        "activities",
        "Activities\nTreasurer, Men's Soccer Club",
        "Activities\nTreasurer, Women's Soccer Club",
        ("fulfillment",),
    ),
    _V("race_ethnicity", "name", "name", "Brendan Baker", "Darnell Washington", ("backend", "support")),
    _V("race_ethnicity", "name_b", "name", "Emily Walsh", "Lakisha Jackson", ("data", "fulfillment")),
    _V("race_ethnicity", "name_c", "name", "Scott Miller", "José Hernández", ("frontend",)),
    _V(
        "race_ethnicity",
        "affinity",
        "activities",
        "Activities\nMember, Society of Hispanic Professional Engineers",
        "Activities\nMember, National Society of Black Engineers",
        ("backend",),
    ),
    _V(
        "race_ethnicity",
        "affinity_b",
        "activities",
        "Activities\nVolunteer, Irish American Heritage Center",
        "Activities\nVolunteer, Asian American Journalists Association",
        ("data",),
    ),
    _V(
        "race_ethnicity",
        "hbcu",
        "education",
        "B.S. Computer Science, Purdue University",
        "B.S. Computer Science, Howard University",
        ("frontend",),
    ),
    _V(
        "religion",
        "church",
        "activities",
        "Activities\nYouth leader, First Presbyterian Church",
        "Activities\nYouth leader, Masjid Al-Noor",
        ("support", "fulfillment"),
    ),
    _V(
        "religion",
        "students",
        "activities",
        "Activities\nTreasurer, Catholic Student Union",
        "Activities\nTreasurer, Muslim Students Association",
        ("backend",),
    ),
    _V(
        "religion",
        "charity",
        "activities",
        "Activities\nVolunteer, St. Vincent de Paul food bank",
        "Activities\nVolunteer, Jewish Family Service food bank",
        ("data",),
    ),
    _V("religion", "sabbath", "summary", " Keeps the Sabbath.", " Observes Ramadan.", ("backend", "support")),
    _V("religion", "fasting", "summary", " Fasts during Lent.", " Fasts during Yom Kippur.", ("fulfillment",)),
    _V("religion", "diet", "summary", " Keeps kosher.", " Eats halal.", ("data",)),
    _V("age", "born", "header", "{name}\nBorn 1996", "{name}\nBorn 1968", ("support", "fulfillment")),
    _V(
        "age",
        "graduation",
        "education",
        "B.S. Computer Science, Lakeside State University, 2016",
        "B.S. Computer Science, Lakeside State University, 1988",
        ("backend", "frontend"),
    ),
    _V("age", "age", "header", "{name}\nAge: 29", "{name}\nAge: 57", ("data",)),
    _V(
        "family_status",
        "children",
        "summary",
        " Single, no children.",
        " Married, mother of three.",
        ("support", "data"),
    ),
    _V(
        "family_status",
        "relocation",
        "summary",
        " Unmarried and free to relocate.",
        " Divorced father of two and free to relocate.",
        ("backend",),
    ),
    _V(
        "family_status",
        "marital",
        "header",
        "{name}\nMarital status: single",
        "{name}\nMarital status: married",
        ("fulfillment",),
    ),
    _V(
        "disability",
        "wheelchair",
        "activities",
        "Activities\nCoach, basketball league",
        "Activities\nCoach, wheelchair basketball league",
        ("support",),
    ),
    _V("disability", "statement", "summary", " Fully sighted.", " Legally blind.", ("frontend", "data")),
    _V(
        "disability",
        "condition",
        "summary",
        " I have no health limitations.",
        " I live with epilepsy.",
        ("fulfillment",),
    ),
    _V(
        "disability",
        "assistive",
        "summary",
        " Relies on dictation software because of RSI.",
        " Relies on a screen reader because of low vision.",
        ("backend", "frontend"),
    ),
    _V(
        "disability",
        "interpreter",
        "summary",
        " In meetings I work through live captions.",
        " In meetings I work through a sign-language interpreter.",
        ("support",),
    ),
    _V(
        "national_origin",
        "nationality",
        "header",
        "{name}\nNationality: Canadian",
        "{name}\nNationality: Nigerian",
        ("backend", "support"),
    ),
    _V("national_origin", "born_in", "summary", " Born in Toronto, Canada.", " Born in Lagos, Nigeria.", ("data",)),
    _V("national_origin", "name", "name", "Andrew Miller", "Nguyen Van Minh", ("frontend", "fulfillment")),
    _V(
        "national_origin",
        "immigrated",
        "summary",
        " Immigrated from Canada in 2005.",
        " Immigrated from Vietnam in 2005.",
        ("backend",),
    ),
    # A second independent probe: statements in a sentence (written without the redaction's word lists).
    _V("sex_gender", "orientation", "summary", " As a gay man, I care about inclusive design.",
       " As a trans woman, I care about inclusive design.", ("frontend",)),
    _V("sex_gender", "community", "summary", " Proud member of the queer community.",
       " I identify as non-binary.", ("support",)),
    _V("sex_gender", "leave", "summary", " Back from paternity leave in March.",
       " Back from maternity leave in March.", ("data",)),
    _V("sex_gender", "pride", "activities", "Activities\nVolunteer at the Pride march",
       "Activities\nVolunteer at the LGBTQ+ youth center", ("data",)),
    _V("religion", "worship_day", "summary", " Unavailable on Sundays for church.",
       " Unavailable on Saturdays for synagogue.", ("fulfillment", "support")),
    _V("age", "school_year", "summary", " Graduated high school in 2009.", " Graduated high school in 1983.",
       ("backend", "data")),
    _V("family_status", "pregnancy", "summary", " Currently expecting my first child in March.",
       " Currently expecting our first baby in March.", ("frontend",)),
    _V("family_status", "care_break", "summary", " Returning after a career break raising my twins.",
       " Returning after a career break to care for my father.", ("support", "backend")),
    _V("national_origin", "originally", "summary", " Originally from Madrid.", " Originally from Shanghai.",
       ("data", "fulfillment")),
    _V("national_origin", "grew_up", "summary", " Grew up in Toronto.", " Grew up in Lagos.", ("backend",)),
    _V("national_origin", "native_language", "summary", " Speaks English (fluent) and Mandarin (native).",
       " Speaks English (native) and Mandarin (fluent).", ("backend",)),
)  # fmt: skip
