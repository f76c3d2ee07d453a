"""Protected attributes out of text: gendered words, affinity and religious organisations, birth and
graduation years, family and disability statements, education institutions.

The rules of `domain.redaction` call these; the words and patterns are in `domain.protected_terms`.
Each function scans the text once (linear work). A résumé's sections decide two things: in an
experience entry an organisation's name is an employer and stays (St. Mary's Hospital, Young Men's
Christian Association); in an education entry every year is a graduation year.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from airecruiter.domain import protected_statements as statements
from airecruiter.domain import protected_terms as terms

Span = tuple[int, int]
_LOOKAHEAD = 80
LONGEST_NEUTRAL = max(len(word) for word in terms.NEUTRAL.values())
_BREAK_AFTER = ",;:)|•·–—/"
_BREAK_BEFORE = "(|•·–—/"


@dataclass(frozen=True)
class Sections:
    """Where each section of a text starts and what kind it is (employment, education, other)."""

    starts: list[int]
    kinds: list[str]

    @classmethod
    def of(cls, text: str) -> Sections:
        """The sections found by their heading lines ("WORK EXPERIENCE", "Education:")."""
        starts: list[int] = []
        kinds: list[str] = []
        for m in terms.HEADING_LINE.finditer(text):
            words = re.findall(r"[^\W\d_][\w-]*", m.group("h").lower())
            if not words or len(words) > 5:
                continue
            for kind, keywords in terms.SECTION_HEADINGS.items():
                if any(w in keywords for w in words):
                    starts.append(m.start())
                    kinds.append(kind)
                    break
        return cls(starts, kinds)

    def at(self, position: int) -> str | None:
        """The kind of section `position` lies in, or None before the first heading."""
        i = bisect.bisect_right(self.starts, position)
        return self.kinds[i - 1] if i else None


# --- gendered words ---------------------------------------------------------------------------
def gendered_spans(text: str) -> Iterator[Span]:
    """Gendered titles, qualifiers ("women's team") and words ("she", "chairman")."""
    for pattern in (terms.TITLES, terms.GENDERED_QUALIFIERS, terms.NEUTRAL_WORDS):
        for m in pattern.finditer(text):
            yield m.span()


def _cased(word: str, neutral: str) -> str:
    if len(word) > 1 and word.isupper():
        return neutral.upper()
    return neutral[:1].upper() + neutral[1:] if word[:1].isupper() else neutral


def neutral_form(text: str, start: int, end: int) -> str:
    """`text[start:end]` with gendered words made neutral and gendered titles and qualifiers removed."""
    changes: list[tuple[int, int, str]] = []
    # The patterns look a little past the span ("Ms." before a capital); never further than this.
    window = min(len(text), end + _LOOKAHEAD)
    for pattern in (terms.TITLES, terms.GENDERED_QUALIFIERS, terms.NEUTRAL_WORDS):
        for m in pattern.finditer(text, start, window):
            if m.start() >= end:
                break
            changes.append((m.start(), min(m.end(), end), _neutral(text, m) if pattern is terms.NEUTRAL_WORDS else ""))
    out: list[str] = []
    last = start
    for begin, finish, replacement in sorted(changes):
        if begin >= last:
            out += [text[last:begin], replacement]
            last = finish
    return "".join(out) + text[last:end]


def _neutral(text: str, m: re.Match[str]) -> str:
    word = m.group()
    lowered = word.lower()
    if lowered not in terms.OBJECT_PRONOUNS and lowered not in terms.POSSESSIVE_PRONOUNS:
        return _cased(word, terms.NEUTRAL[lowered])
    after = terms.WORD_AFTER.match(text, m.end())
    before_noun = after is not None and after.group("w").lower() not in terms.AFTER_OBJECT
    alone = "theirs" if lowered in terms.POSSESSIVE_PRONOUNS else "them"
    return _cased(word, "their" if before_noun else alone)


# --- organisations and institutions -----------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str  # without surrounding punctuation, lower case
    capitalised: bool
    breaks_after: bool
    breaks_before: bool


def _tokens(text: str) -> Iterator[list[_Token]]:
    """The words of each line, with whether punctuation ends a name before or after them."""
    for line in re.finditer(r"[^\n]+", text):
        tokens: list[_Token] = []
        for m in re.finditer(r"\S+", line.group()):
            raw = m.group()
            core = raw.strip("()[]\"'“”‘’,;:|•·.!?")
            offset = line.start() + m.start() + raw.find(core) if core else line.start() + m.start()
            tokens.append(
                _Token(
                    start=offset,
                    end=offset + len(core),
                    word=core.lower(),
                    capitalised=bool(core) and (core[0].isupper() or core == "&"),
                    # "St. Mary's" and "Mt. Sinai" go on; "B.Sc." and "Inc." end a name
                    breaks_after=raw[-1] in _BREAK_AFTER or (raw.endswith(".") and len(core) > 2),
                    breaks_before=raw[0] in _BREAK_BEFORE,
                )
            )
        yield tokens


def _phrase(tokens: list[_Token], i: int) -> tuple[int, int]:
    """The capitalised name around token `i`: "National Society of Black Engineers", not "Treasurer of"."""
    left = i
    while left > 0 and not tokens[left - 1].breaks_after and not tokens[left].breaks_before:
        before = tokens[left - 1]
        if before.capitalised:
            left -= 1
        elif before.word in terms.CONNECTORS - {"and", "&"} and left > 1 and _heads_a_name(tokens[left - 2]):
            left -= 2
        else:
            break
    right = i
    while right + 1 < len(tokens) and not tokens[right].breaks_after and not tokens[right + 1].breaks_before:
        after = tokens[right + 1]
        if after.capitalised:
            right += 1
        elif (
            after.word in terms.CONNECTORS
            and right + 2 < len(tokens)
            and not after.breaks_after
            and tokens[right + 2].capitalised
        ):
            right += 2
        else:
            break
    return left, right


def _heads_a_name(token: _Token) -> bool:
    """A word that a connector may follow inside one name: "Society of", "University of"."""
    return token.capitalised and (
        token.word in terms.ORGANISATION_NOUNS
        or token.word in terms.INSTITUTION_KEYWORDS
        or token.word in terms.RELIGIOUS_KEYWORDS
    )


def classify(words: set[str]) -> str | None:
    """What kind of name a phrase of these (lower-case) words is, if a protected or blinded one."""
    if words & terms.INSTITUTION_KEYWORDS:
        return "institution"
    if words & terms.RELIGIOUS_PLACES or (words & terms.RELIGIOUS_KEYWORDS and words & terms.ORGANISATION_NOUNS):
        return "religious_organisation"
    if words & terms.AFFINITY_KEYWORDS and words & terms.ORGANISATION_NOUNS:
        return "affinity_organisation"
    return None


def organisation_spans(text: str, sections: Sections) -> Iterator[tuple[Span, str]]:
    """Named organisations and institutions with their kind; `employer` where an experience entry names them."""
    for tokens in _tokens(text):
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if not token.capitalised or not (
                token.word in terms.SAINT_TITLES
                or token.word in terms.INSTITUTION_KEYWORDS
                or token.word in terms.RELIGIOUS_KEYWORDS
                or token.word in terms.AFFINITY_KEYWORDS
            ):
                i += 1
                continue
            left, right = _phrase(tokens, i)
            kind = classify({t.word for t in tokens[left : right + 1]})
            if kind is None and tokens[left].word in terms.SAINT_TITLES and right > left:
                kind = "religious_organisation"  # "St. Vincent de Paul": a parish, an order, its charity
            if kind == "institution" and token.word == "school" and left == i:
                kind = None  # "School of Computer Science" is a subject; "Lakeside School" a school
            if kind is not None:
                span = (tokens[left].start, tokens[right].end)
                yield span, "employer" if sections.at(span[0]) == "employment" else kind
            i = max(right, i) + 1
    for m in terms.NAMED_AFFINITY_PATTERN.finditer(text):
        yield m.span(), "employer" if sections.at(m.start()) == "employment" else "affinity_organisation"
    for m in terms.GREEK_LETTER_SOCIETY.finditer(text):
        yield m.span(), "employer" if sections.at(m.start()) == "employment" else "affinity_organisation"
    for m in terms.WORSHIP_PLACE.finditer(text):
        if sections.at(m.start()) != "employment":
            yield m.span(), "religious_organisation"
    for m in terms.NAMED_INSTITUTION_PATTERN.finditer(text):
        if sections.at(m.start()) == "education":
            yield m.span(), "institution"
    for m in statements.PRIDE_GROUPS.finditer(text):
        yield m.span(), "employer" if sections.at(m.start()) == "employment" else "affinity_organisation"


# --- years, family and disability statements --------------------------------------------------
def year_spans(text: str, sections: Sections) -> Iterator[Span]:
    """Birth, graduation and school-leaving years; every year of an education entry."""
    for m in terms.BIRTH_AND_GRADUATION_YEARS.finditer(text):
        yield m.span("v")
    for pattern in (statements.SCHOOL_YEARS, statements.SCHOOL_DIPLOMA_YEARS):
        # in an experience entry "left the University Hospital in 2019" is an employment date
        yield from (m.span("v") for m in pattern.finditer(text) if sections.at(m.start()) != "employment")
    for m in terms.YEAR.finditer(text):
        if sections.at(m.start()) == "education":
            yield m.span()


def age_spans(text: str) -> Iterator[Span]:
    """Ages said in a sentence: "I am 34", "aged 52"."""
    for m in terms.AGE_STATEMENT.finditer(text):
        yield m.span("v")


def family_spans(text: str) -> Iterator[Span]:
    """Family status said in a sentence: "mother of three", "expecting my first child", "raising my twins"."""
    for pattern in (terms.FAMILY_STATEMENTS, statements.PREGNANCY_AND_CARE):
        yield from (m.span() for m in pattern.finditer(text))


def disability_spans(text: str) -> Iterator[Span]:
    """Disability and health said in a sentence ("living with epilepsy") or by the aid relied on ("hearing aids")."""
    for pattern in (terms.DISABILITY_STATEMENTS, terms.ASSISTIVE_TECHNOLOGY):
        yield from (m.span() for m in pattern.finditer(text))


def religious_practice_spans(text: str) -> Iterator[Span]:
    """Religious practice said in a sentence: "Keeps Shabbat", "Unavailable on Sundays for church"."""
    for pattern in (terms.RELIGIOUS_PRACTICE, statements.WORSHIP_DAYS):
        yield from (m.span() for m in pattern.finditer(text))


def orientation_spans(text: str) -> Iterator[Span]:
    """Sexual orientation and gender identity said in a sentence: "as a trans woman", "I am gay"."""
    return (m.span() for m in statements.ORIENTATION_STATEMENTS.finditer(text))


def native_language_spans(text: str) -> Iterator[Span]:
    """The word marking a language as a first one: "native" in "Mandarin (native)"."""
    for m in statements.NATIVE_LANGUAGE.finditer(text):
        yield m.span("v") if m.group("v") else m.span("w")


def fluent(text: str, start: int, end: int) -> str:
    """ "fluent" in the case of `text[start:end]`, which said a language was a first one."""
    return _cased(text[start:end], "fluent")


def disability_qualifier_spans(text: str) -> Iterator[Span]:
    """Words that tie an activity to a disability ("wheelchair basketball"), removed with their space."""
    return (m.span() for m in terms.DISABILITY_QUALIFIERS.finditer(text))


def origin_spans(text: str) -> Iterator[Span]:
    """The place in "born in Lagos, Nigeria" or "immigrated from Vietnam" (a closing full stop stays)."""
    for m in terms.ORIGIN_PLACE.finditer(text):
        start, end = m.span("v")
        while end > start and text[end - 1] in ".,":
            end -= 1
        yield start, end
