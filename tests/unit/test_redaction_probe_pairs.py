"""Pairs from an independent probe of the redaction: religious practice, a partner's name, assistive
technology, gendered-group organisations. Written without looking at the redaction's word lists."""

from __future__ import annotations

import pytest

from airecruiter.domain.fairness_suite import suite
from airecruiter.domain.redaction import redact

_PROBE = """{name}
{email} | github.com/{handle}
Software engineer, 6 years. {pron} led the payments team at Stripe (2019-2024), cutting latency 40%.
Education: B.Sc. Computer Science, Ohio State University, class of 2015.
Activities: {role} of the {org}; volunteer at {place}.
Personal: {personal}
"""


def _probe(**slots: str) -> str:
    values = {"handle": "samlee", "pron": "They", "role": "Member", "place": "the food bank"} | slots
    return redact(_PROBE.format(**values), candidate_name=values["name"], email=values["email"]).text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # sex: a gendered-group organisation is an affinity organisation either way
            dict(name="Emily Carter", email="emily.carter@mail.com", handle="ecarter", pron="She",
                 role="Treasurer", org="Women in Computing Society", place="Grace Community Church",
                 personal="Married, mother of two."),
            dict(name="James Carter", email="james.carter@mail.com", handle="jcarter", pron="He",
                 role="Treasurer", org="Men in Computing Society", place="Grace Community Church",
                 personal="Married, father of two."),
        ),
        (  # religion: the practice said in a sentence
            dict(name="Sam Lee", email="sam.lee@mail.com", org="Hillel Jewish Student Association",
                 place="Temple Beth Shalom", personal="Keeps Shabbat."),
            dict(name="Sam Lee", email="sam.lee@mail.com", org="Muslim Student Association",
                 place="Masjid Al-Noor", personal="Observes Ramadan."),
        ),
        (  # sexual orientation: the partner's first name
            dict(name="Sam Lee", email="sam.lee@mail.com", role="Organizer", org="Python Meetup",
                 personal="Lives with my husband Mark."),
            dict(name="Sam Lee", email="sam.lee@mail.com", role="Organizer", org="Python Meetup",
                 personal="Lives with my wife Maria."),
        ),
        (  # disability: the assistive technology relied on
            dict(name="Sam Lee", email="sam.lee@mail.com", role="Captain", org="wheelchair rugby club",
                 personal="I am autistic and use screen-reader software."),
            dict(name="Sam Lee", email="sam.lee@mail.com", role="Captain", org="rugby club",
                 personal="I am deaf and wear hearing aids."),
        ),
    ],
)  # fmt: skip
def test_the_probe_pairs_read_the_same(a: dict[str, str], b: dict[str, str]) -> None:
    one, other = _probe(**a), _probe(**b)
    assert one == other
    assert "Stripe (2019-2024), cutting latency 40%" in one


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Personal: Keeps the Sabbath.", "Personal: Observes Ramadan."),
        ("Fasts during Lent.", "Fasts during Yom Kippur."),
        ("Keeps kosher.", "Eats halal."),
        (
            "I leave early on winter Fridays to keep Shabbat, so I front-load my week.",
            "I leave early on winter Fridays for Jumu'ah prayers, so I front-load my week.",
        ),
        ("I celebrate Diwali with my team every year.", "I celebrate Easter with my team every year."),
        ("As a practising Catholic I value honesty.", "As an observant Jew I value honesty."),
        ("I pray five times a day, so I plan short breaks.", "I attend Mass daily, so I plan short breaks."),
        ("I wear a turban.", "I wear a hijab."),
        ("Relocating with my wife Anna.", "Relocating with my husband David."),
        ("Relocating with my partner Anna.", "Relocating with my partner David."),
        ("Married to Sophie since 2015.", "Married to Daniel since 2015."),
        ("Lives with Mark, my husband.", "Lives with Maria, my wife."),
        ("My fiancée Laura and I are moving to Austin.", "My fiancé Tom and I are moving to Austin."),
        ("Activities\nMentor, Men in Data Network", "Activities\nMentor, Women in Data Network"),
        ("Activities\nTreasurer, Men's Soccer Club", "Activities\nTreasurer, Women's Soccer Club"),
        ("Activities\nCoach, Boys' Robotics League", "Activities\nCoach, Girls' Robotics League"),
        ("Uses hearing aids in meetings.", "Uses a screen reader in meetings."),
        ("I rely on a guide dog.", "I rely on a cochlear implant."),
        ("In meetings I work through a sign-language interpreter.", "In meetings I work through live captions."),
        ("I use dictation software because of RSI.", "I use eye-tracking software because of ALS."),
        ("With my hearing aids I follow every call.", "With my cochlear implant I follow every call."),
        ("I get around with crutches.", "I get around with a white cane."),
        ("I rely on hearing aids and an ASL interpreter.", "I rely on a screen reader and a guide dog."),
        ("I am autistic.", "I have ADHD."),
        ("I'm deaf, so I prefer chat.", "I use a wheelchair, so I prefer chat."),
        ("I am diabetic.", "I live with epilepsy."),
    ],
)
def test_pairs_one_attribute_apart_read_the_same(a: str, b: str) -> None:
    assert redact(a, candidate_name="Jordan Avery").text == redact(b, candidate_name="Jordan Avery").text


@pytest.mark.parametrize(
    "text",
    [
        "I test every page with a screen reader.",
        "I use screen readers to test every release.",
        "Fitted hearing aids for 200 patients.",
        "Worked as a sign-language interpreter at City Hall.",
        "Added live captions to the video player (WCAG 2.1).",
        "Built dictation software for doctors.",
        "Lent $2M to small businesses.",
        "Shipped 40,000 orders over the Christmas peak.",
        "My partner team in Berlin owns billing.",
        "Mark the release as done before the freeze.",
        "Experience\nNurse, St. Mary's Hospital, 2018 – 2022\nCamp counselor, YMCA, 2015",
    ],
)
def test_job_relevant_facts_stay(text: str) -> None:
    assert redact(text, candidate_name="Jordan Avery").text == text


def test_the_suite_covers_the_probe_gaps_and_reads_the_same_everywhere() -> None:
    pairs = suite()
    labels = {p.pair_id.split(":")[2] for p in pairs}
    assert {"sabbath", "fasting", "diet", "partner", "group", "club", "assistive", "interpreter"} <= labels
    second = {"orientation", "community", "pride", "worship_day", "school_year", "pregnancy", "care_break"}
    assert second | {"originally", "grew_up", "native_language", "leave"} <= labels
    same = [
        redact(p.a.text, candidate_name=p.a.name, email=p.a.email).text
        == redact(p.b.text, candidate_name=p.b.name, email=p.b.email).text
        for p in pairs
    ]
    print(f"identity rate {sum(same)}/{len(same)}")
    assert all(same), [p.pair_id for p, ok in zip(pairs, same, strict=True) if not ok]


@pytest.mark.parametrize(
    "text",
    ["Built the eID card login.", "I am agnostic about frameworks.", "Worked with Mohamed Salah on the API."],
)
def test_words_that_only_look_religious_stay(text: str) -> None:
    assert redact(text, candidate_name="Jordan Avery").text == text


# A second independent probe: statements written in a sentence.
_SECOND = """Pat Kim — pat@x.io
Summary: Backend developer with 8 years of Go and Kubernetes. {s1}
Experience: Site Reliability Engineer, Shopify, 2018–2024. Reduced pager load by 60%.
Other: {s2}
"""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Graduated high school in 1983.", "Graduated high school in 2009."),
        ("I finished school in 1979 and never looked back.", "I finished school in 2012 and never looked back."),
        ("Left secondary school in 1985.", "Left secondary school in 2010."),
        ("Unavailable on Sundays for church.", "Unavailable on Saturdays for synagogue."),
        ("Fridays off for mosque, otherwise flexible.", "Sundays off for Mass, otherwise flexible."),
        ("Currently expecting my first child in March.", "Currently expecting our second baby in March."),
        ("I am pregnant, so I prefer remote work.", "I am on paternity leave, so I prefer remote work."),
        ("Back after a career break raising my twins.", "Back after a career break to care for my mother."),
        ("Originally from Shanghai.", "Originally from Madrid."),
        ("Grew up in Lagos and moved for university.", "Grew up in Oslo and moved for university."),
        ("Speaks Mandarin (native) and English.", "Speaks Mandarin (fluent) and English."),
        ("Native Spanish speaker.", "Fluent Spanish speaker."),
        ("Proud member of the LGBTQ+ community.", "Proud member of the queer community."),
        ("As a trans woman, I care about accessible design.", "As a gay man, I care about accessible design."),
        ("I identify as non-binary.", "I am bisexual."),
    ],
)
def test_second_probe_pairs_read_the_same(a: str, b: str) -> None:
    one = redact(_SECOND.format(s1=a, s2="Food bank driver."), candidate_name="Pat Kim", email="pat@x.io").text
    other = redact(_SECOND.format(s1=b, s2="Food bank driver."), candidate_name="Pat Kim", email="pat@x.io").text
    assert one == other
    assert "Site Reliability Engineer, Shopify, 2018–2024. Reduced pager load by 60%." in one
    assert "8 years of Go and Kubernetes" in one


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Volunteer at the Pride parade.", "Volunteer at the Black Women in AI."),
        ("Member of the LGBTQ+ employee network.", "Member of the Society of Women Engineers."),
    ],
)
def test_pride_groups_read_as_affinity_organisations(a: str, b: str) -> None:
    assert redact(a, candidate_name="Pat Kim").text == redact(b, candidate_name="Pat Kim").text


@pytest.mark.parametrize(
    "text",
    [
        "Built React Native apps and cloud-native services; wrote native code in C++.",
        "Graduated to team lead in 2019.",
        "Completed the migration in 2019 and left Google in 2020.",
        "Experience\nGraduate recruiter, Beta Corp, 2012 - 2015",
        "On-call on weekends; deployed services on Sundays.",
        "Took pride in clean code at Pride Mobility Products.",
        "Raised $2M in seed funding; caring for our customers since 2010.",
        "Straight-through processing at Citi; bi-weekly releases.",
        "Expecting to finish the AWS certification in March.",
        "Raised in Q3 a $2M seed round for Acme Labs.",
        "Experience\nNurse, City Hospital, 2015 - 2019\nLeft the University of Michigan Health System in 2019.",
    ],
)
def test_second_probe_job_facts_stay(text: str) -> None:
    assert redact(text, candidate_name="Pat Kim").text == text


def test_the_probe_statements_are_gone() -> None:
    text = redact(
        "Currently expecting my first child in March. Originally from Shanghai. Unavailable on Sundays for church. "
        "As a trans woman I mentor juniors. Graduated high school in 1983.",
        candidate_name="Pat Kim",
    ).text
    for word in ("expecting", "child", "Shanghai", "Sundays", "church", "trans", "woman", "1983"):
        assert word not in text
