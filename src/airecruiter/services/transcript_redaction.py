"""An interview transcript as a model may read it: the candidate's answers redacted like a résumé.

Used by the interviewer (at request time) and the evaluation job. The redaction runs through the
`TextRedactor` port, off the event loop and time-limited; it raises `ParseError` when an answer
cannot be redacted, and then nothing of the transcript is passed on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from airecruiter.ports.llm import InterviewMessage
from airecruiter.ports.redaction import TextRedactor


class _Message(Protocol):
    @property
    def role(self) -> str: ...

    @property
    def content(self) -> str: ...


async def redacted_transcript(
    redactor: TextRedactor,
    messages: Iterable[_Message],
    *,
    candidate_name: str,
    email: str | None = None,
    blind_education: bool = True,
) -> list[InterviewMessage]:
    """The messages for the model, each candidate answer redacted; the interviewer's as written."""
    sent: list[InterviewMessage] = []
    for m in messages:
        if m.role == "candidate":
            redaction = await redactor.redact(
                m.content, candidate_name=candidate_name, email=email, blind_education=blind_education
            )
            sent.append(InterviewMessage(role="candidate", content=redaction.text))
        else:
            sent.append(InterviewMessage(role="interviewer", content=m.content))
    return sent
