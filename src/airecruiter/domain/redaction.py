"""Personal data and protected attributes out of a résumé or an answer before a language model reads it.

Removed: the candidate's name and the handles, domains and initials made from it, email addresses,
phone numbers, street addresses with their postal codes, links to profiles and personal sites,
photo references, dates of birth, ages, and labelled personal details (nationality, marital status,
religion, gender, children, place of birth) — none of them is a job-related criterion, and each
invites bias. Each is replaced by a placeholder such as `[NAME]`. Protected attributes written in
the text go too (`domain.redaction_protected`, rules as data in `domain.protected_terms`): gendered
words become neutral, "native" beside a language becomes "fluent", affinity and religious organisations,
birth and school-leaving years, family, disability, worship and orientation statements become
placeholders, and (with `blind_education`) school names become
`[INSTITUTION]`. Skills, employers, job titles and dates of employment stay as written, so
evidence quotes taken from the redacted text are verbatim substrings of it.

These are heuristics over free text: they favour removing a little too much over leaking. A name
part that is also a common word, a month, a technology or a big employer ("June", "Rust",
"Schneider") is removed only next to another part of the name, so "June 2019" and "Schneider
Electric" survive for a candidate called June Schneider.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from airecruiter.domain import redaction_protected as protected
from airecruiter.domain.redaction_handles import NameHandles
from airecruiter.domain.redaction_patterns import (
    ADDRESSES,
    AGE_FIELD,
    AGE_PHRASE,
    BARE_DOMAIN,
    DOB,
    DOB_STAR,
    EMAIL,
    LABELLED_PROFILE,
    LINKS,
    MONTHS,
    PERSONAL,
    PHOTOS,
    TRAILING,
)
from airecruiter.domain.redaction_spans import Taken, digits, phone_spans
from airecruiter.errors import ParseError

PLACEHOLDERS: dict[str, str] = {
    "name": "[NAME]",
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "address": "[ADDRESS]",
    "profile_link": "[PROFILE LINK]",
    "photo": "[PHOTO]",
    "date_of_birth": "[DATE OF BIRTH]",
    "age": "[AGE]",
    "personal_detail": "[PERSONAL DETAIL]",
    "family_status": "[PERSONAL DETAIL]",
    "disability": "[PERSONAL DETAIL]",
    "year": "[YEAR]",
    "affinity_organisation": "[AFFINITY ORGANISATION]",
    "religious_organisation": "[RELIGIOUS ORGANISATION]",
    "institution": "[INSTITUTION]",
}
# Kinds replaced by a rewrite of what they cover rather than a placeholder; `employer` keeps its text
# (claimed so that no later rule touches an employer's name) and is not counted.
_REWRITES: dict[str, Callable[[str, int, int], str]] = {
    "gendered_word": protected.neutral_form,
    "employer": lambda text, start, end: text[start:end],
    "disability_qualifier": lambda text, start, end: "",
    "native_language": protected.fluent,
}
KINDS = frozenset(PLACEHOLDERS) | (set(_REWRITES) - {"employer"})  # what `Redaction.counts` may count
# The most characters one replacement of each kind may put in: redaction never grows a text beyond this.
LONGEST_REPLACEMENT = {kind: len(p) for kind, p in PLACEHOLDERS.items()} | {
    "gendered_word": protected.LONGEST_NEUTRAL,
    "disability_qualifier": 0,
    "native_language": len("fluent"),
}
# Placeholders of one kind side by side ("[PERSONAL DETAIL], [PERSONAL DETAIL]") read as one: how many
# statements there were is itself a difference between two candidates.
_REPEATED = re.compile(
    r"(\[(?:PERSONAL DETAIL|AFFINITY ORGANISATION|RELIGIOUS ORGANISATION)\])"
    r"(?:(?:[ \t]*[,;&][ \t]*|[ \t]+and[ \t]+|[ \t]+)\1)+"
)
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


@dataclass(frozen=True)
class Redaction:
    """Redacted text and how many of each kind were removed (never the removed values)."""

    text: str
    counts: dict[str, int]
    passes: int = 1  # how many times every rule scanned the text (at most MAX_PASSES; the last changed nothing)


Span = tuple[int, int]


def _words(text: str) -> list[str]:
    return text.split()


def _matches(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[Span]:
    for pattern in patterns:
        for m in pattern.finditer(text):
            yield m.span("v") if "v" in pattern.groupindex else m.span()


def _trimmed(spans: Iterable[Span], text: str) -> Iterator[Span]:
    """Links without the sentence punctuation that followed them."""
    for start, end in spans:
        while end > start and text[end - 1] in TRAILING:
            end -= 1
        yield start, end


# --- names -----------------------------------------------------------------------------------
_HONORIFICS = frozenset(_words("mr mrs ms miss mx dr prof sir dame jr sr ii iii iv phd md mba msc bsc herr frau"))
_PARTICLES = frozenset(_words("van von de der den del della di da das dos du la le el al bin ibn ben ten ter zu y e"))
# Given names and surnames that are also words, months, technologies, places or big employers.
_AMBIGUOUS = frozenset(
    {
        *(m.rstrip(".") for m in MONTHS),
        *_words(
            "will mark grant bill rose hope joy faith grace dawn eve sky rich frank earnest lane hunter chase page ray"
            " dean cook baker king young long brown green white black gray grey stone wood hill bell cash price rice"
            " love major miles sharp fox wolf bird summer winter star art guy case dash drew gene max penny pat sue"
            " park song moon sun lee"
            " paris sydney austin dallas phoenix florence jordan chad israel georgia victoria charlotte orlando"
        ),
        *_words(
            "rust swift ruby julia ada pascal crystal dart scala django jenkins maven chef puppet docker helm mason"
            " jasmine karma ember apollo hugo jade haskell miranda kafka cassandra hana sage elixir spring flask"
            " rails gatsby spark hive flink storm presto druid oracle alexa watson claude gemini unity maya houdini"
            " tableau looker word excel access outlook teams"
        ),
        *_words(
            "ford dell tesla disney boeing morgan stanley goldman sachs wells fargo merrill lynch johnson mckinsey"
            " bain deloitte ernst cooper lloyd lloyds barclays schneider siemens bosch merck bayer braun porsche benz"
            " mercedes daimler otto henkel miele zeiss krupp thyssen philips heineken roche dyson marriott hilton"
            " hyatt kellogg heinz campbell gillette colgate pfizer abbott lilly hewlett packard ferrari renault"
            " peugeot michelin ericsson linde springer wiley pearson reuters bloomberg nielsen gartner kearney"
        ),
    }
)
_FOLD_SPECIAL = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "’": "'", "‘": "'", "ʼ": "'"}
_STRENGTH = "DAPI"  # distinctive part, ambiguous part, particle, initial
_NAME_GAP = re.compile(r"[ \t\u00a0]{1,3}|[ \t]*[-‐‑][ \t]*")
_EDGE = r"(?<![^\W_])", r"(?![^\W_])"  # no letter or digit before / after


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char in _FOLD_SPECIAL:
        return _FOLD_SPECIAL[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if len(base) != 1:
        base = char
    lower = base.lower()
    return lower if len(lower) == 1 else base


def _fold(text: str) -> str:
    """Lower-case `text` without diacritics, one character for one, so offsets stay valid."""
    return "".join(_fold_char(c) for c in text)


def _variants(part: str) -> set[str]:
    """Spellings of one name part: as written, without apostrophes, Müller/Mueller/Muller, ß/ss."""
    lowered = part.lower()
    found = {_fold(part), _fold(part).replace("'", "")}
    found.add(_fold(lowered.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")))
    for plain in list(found):
        found.update({plain.replace("ß", "ss"), plain.replace("ss", "ß")})
        found.add(plain.replace("ae", "a").replace("oe", "o").replace("ue", "u"))
    return {v for v in found if v}


@dataclass(frozen=True)
class _NameMatcher:
    distinctive: re.Pattern[str] | None
    genitive: re.Pattern[str] | None  # "Müllers Projekte": counted only when capitalised
    ambiguous: re.Pattern[str] | None
    initials: re.Pattern[str] | None
    handles: NameHandles | None
    surname: str  # folded: "Das" names the candidate even though "das" is a particle elsewhere

    @classmethod
    def build(cls, candidate_name: str) -> _NameMatcher | None:
        parts = [p.strip(".'’") for p in re.split(r"[\s,\-‐]+", candidate_name)]
        parts = [p for p in parts if p and _fold(p) not in _HONORIFICS]
        distinctive: set[str] = set()
        ambiguous: set[str] = set()
        for part in parts:
            folded = _fold(part)
            weak = len(folded) <= 2 or folded in _PARTICLES or folded in _AMBIGUOUS
            (ambiguous if weak else distinctive).update(_variants(part))
        words = [_fold(p) for p in parts if _fold(p) not in _PARTICLES]
        if len(words) >= 2:  # handles and domains: janedoe, jane.doe, jane_doe
            distinctive.update(sep.join((words[0], words[-1])) for sep in ("", ".", "_", "-"))
            distinctive.add("".join(words))
        letters = sorted({w[0] for w in words if w[0].isalpha()})
        if not (distinctive or ambiguous):
            return None
        return cls(
            distinctive=cls._pattern(distinctive, r"(?:'s|(?<=s)')?"),
            genitive=cls._pattern(distinctive, "s"),
            ambiguous=cls._pattern(ambiguous, r"(?:'s)?"),
            initials=re.compile(_EDGE[0] + "[" + re.escape("".join(letters)) + r"]\.") if letters else None,
            handles=NameHandles.build([_fold(p) for p in parts]),
            surname=_fold(parts[-1]) if len(parts) >= 2 else "",
        )

    @staticmethod
    def _pattern(variants: set[str], suffix: str) -> re.Pattern[str] | None:
        if not variants:
            return None
        alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
        return re.compile(f"{_EDGE[0]}(?:{alternatives}){suffix}{_EDGE[1]}")

    def spans(self, text: str, protected: Taken) -> Iterator[Span]:
        """Runs of name tokens that identify the candidate: a distinctive part, or two parts together."""
        folded = _fold(text)
        tokens: list[tuple[int, int, str]] = []
        patterns = (("D", self.distinctive), ("G", self.genitive), ("A", self.ambiguous), ("I", self.initials))
        for kind, pattern in patterns:
            for m in pattern.finditer(folded) if pattern else ():
                bare = re.sub(r"'s?$", "", m.group())
                particle = kind == "A" and bare in _PARTICLES and bare != self.surname
                if not (particle or kind == "D" or text[m.start()].isupper()):
                    continue  # "will", "june", "does" in running text are words, not the candidate
                if not protected.overlaps(m.span()):
                    # "van", "de": lower case inside a name, never a name alone
                    tokens.append((m.start(), m.end(), "P" if particle else "D" if kind == "G" else kind))
        for group in _runs(sorted(tokens), text):
            kinds = [kind for _, _, kind in group]
            if "D" in kinds or ("A" in kinds and len(kinds) - kinds.count("P") >= 2):
                yield group[0][0], group[-1][1]

    def handle_spans(self, text: str, protected: Taken) -> Iterator[Span]:
        """Handles and e-mail local parts made from the name: `afantino951`, `andrew-fantino`."""
        if self.handles:
            yield from (span for span in self.handles.spans(_fold(text), text) if not protected.overlaps(span))


def _runs(tokens: list[tuple[int, int, str]], text: str) -> Iterator[list[tuple[int, int, str]]]:
    """Tokens grouped into runs separated only by spaces or a hyphen; overlapping spellings merged."""
    group: list[tuple[int, int, str]] = []
    for start, end, kind in tokens:
        if group and start < group[-1][1]:
            last = group[-1]
            group[-1] = (last[0], max(last[1], end), min(last[2], kind, key=_STRENGTH.index))
            continue
        if group and not _NAME_GAP.fullmatch(text[group[-1][1] : start]):
            yield group
            group = []
        group.append((start, end, kind))
    if group:
        yield group


# --- applying the rules ---------------------------------------------------------------------
NO_SECTIONS = protected.Sections([], [])


@dataclass(frozen=True)
class _Context:
    names: _NameMatcher | None
    email: str | None
    phone_key: str | None
    blind_education: bool
    sections: protected.Sections = NO_SECTIONS  # of the text of the current pass
    organisations: tuple[tuple[Span, str], ...] = ()  # ditto


def _organisations(kind: str) -> Callable[[str, _Context, Taken], Iterable[Span]]:
    def spans(text: str, ctx: _Context, _: Taken) -> Iterable[Span]:
        if kind == "institution" and not ctx.blind_education:
            return ()
        return [span for span, found in ctx.organisations if found == kind]

    return spans


def _link_spans(text: str, ctx: _Context) -> Iterator[Span]:
    yield from _trimmed(_matches(LINKS, text), text)
    yield from _matches((LABELLED_PROFILE,), text)
    if ctx.names and ctx.names.distinctive:
        for m in BARE_DOMAIN.finditer(text):
            if ctx.names.distinctive.search(re.sub(r"[./]", " ", _fold(m.group()))):
                yield from _trimmed([m.span()], text)
    handles = ctx.names.handles if ctx.names else None
    for m in BARE_DOMAIN.finditer(text) if handles else ():
        if "/" in m.group() and handles and handles.is_profile_path(_fold(m.group()).split("/", 1)[1]):
            yield from _trimmed([m.span()], text)


def _email_spans(text: str, ctx: _Context) -> Iterator[Span]:
    yield from _matches((EMAIL,), text)
    if ctx.email and ctx.email.strip():
        yield from (m.span() for m in re.finditer(re.escape(ctx.email.strip()), text, re.IGNORECASE))


_Rule = tuple[str, Callable[[str, _Context, Taken], Iterable[Span]]]
# In priority order: a span overlapping one of an earlier rule is left out.
_RULES: tuple[_Rule, ...] = (
    ("email", lambda text, ctx, _: _email_spans(text, ctx)),
    ("profile_link", lambda text, ctx, _: _link_spans(text, ctx)),
    ("photo", lambda text, _, __: _matches(PHOTOS, text)),
    ("date_of_birth", lambda text, _, __: _matches((DOB, DOB_STAR), text)),
    ("age", lambda text, _, __: _matches((AGE_FIELD, AGE_PHRASE), text)),
    ("personal_detail", lambda text, _, __: _matches((PERSONAL,), text)),
    ("family_status", lambda text, _, __: protected.family_spans(text)),
    ("disability", lambda text, _, __: protected.disability_spans(text)),
    ("disability_qualifier", lambda text, _, __: protected.disability_qualifier_spans(text)),
    ("personal_detail", lambda text, _, __: protected.religious_practice_spans(text)),
    ("personal_detail", lambda text, _, __: protected.origin_spans(text)),
    ("personal_detail", lambda text, _, __: protected.orientation_spans(text)),
    ("native_language", lambda text, _, __: protected.native_language_spans(text)),
    ("age", lambda text, _, __: protected.age_spans(text)),
    ("year", lambda text, ctx, _: protected.year_spans(text, ctx.sections)),
    ("phone", lambda text, ctx, _: phone_spans(text, ctx.phone_key)),
    ("address", lambda text, _, __: _matches(ADDRESSES, text)),
    ("employer", _organisations("employer")),
    ("institution", _organisations("institution")),
    ("religious_organisation", _organisations("religious_organisation")),
    ("affinity_organisation", _organisations("affinity_organisation")),
    ("gendered_word", lambda text, _, __: protected.gendered_spans(text)),
    ("name", lambda text, ctx, taken: ctx.names.spans(text, taken) if ctx.names else ()),
    ("name", lambda text, ctx, taken: ctx.names.handle_spans(text, taken) if ctx.names else ()),
)
# Removing one thing can expose another (a number no longer glued to a link), so the rules run
# again over the result until nothing changes, but at most this many times: each pass scans the
# text once per rule, so the work stays linear in the length of the text whatever the text is.
# Real résumés settle in one or two passes; a text still changing after this many was built as a
# chain of details each hiding the next, and is refused rather than sent on half redacted.
MAX_PASSES = 8


class RedactionIncompleteError(ParseError):
    """The text kept exposing personal data pass after pass: nothing of it may reach a model."""


def redact(
    text: str,
    *,
    candidate_name: str,
    email: str | None = None,
    phone: str | None = None,
    blind_education: bool = True,
) -> Redaction:
    """`text` with the candidate's personal data and protected attributes replaced, and what was removed.

    `blind_education` (the requisition's setting, on by default) also replaces the names of schools
    and universities by `[INSTITUTION]`; the degree and subject stay.
    """
    phone_digits = digits(phone or "")
    ctx = _Context(
        names=_NameMatcher.build(candidate_name),
        email=email,
        phone_key=phone_digits[-7:] if len(phone_digits) >= 7 else None,
        blind_education=blind_education,
    )
    counts: Counter[str] = Counter()
    for passes in range(1, MAX_PASSES + 1):
        redacted = _one_pass(text, ctx, counts)
        if redacted == text:
            return Redaction(text=text, counts=dict(sorted(counts.items())), passes=passes)
        text = redacted
    raise RedactionIncompleteError(
        f"The résumé text could not be cleared of personal details: it still exposed new ones after "
        f"{MAX_PASSES} passes (contact details chained so that removing one reveals the next), so it was "
        "not sent to the AI. Open the original and assess it yourself, or ask the candidate for a plain export."
    )


def _one_pass(text: str, ctx: _Context, counts: Counter[str]) -> str:
    """Every rule run once over `text`, the spans they claim replaced in one go."""
    taken = Taken(m.span() for m in _PLACEHOLDER.finditer(text))  # placeholders already there stay
    sections = protected.Sections.of(text)
    ctx = replace(ctx, sections=sections, organisations=tuple(protected.organisation_spans(text, sections)))
    kinds: dict[Span, str] = {}
    for kind, rule in _RULES:
        for span in taken.claim(list(rule(text, ctx, taken))):
            kinds[span] = kind
    pieces: list[str] = []
    last = 0
    for span in sorted(kinds):
        kind = kinds[span]
        rewrite = _REWRITES.get(kind)
        pieces += [text[last : span[0]], rewrite(text, *span) if rewrite else PLACEHOLDERS[kind]]
        if kind != "employer":
            counts[kind] += 1
        last = span[1]
    return _REPEATED.sub(r"\1", "".join(pieces) + text[last:])
