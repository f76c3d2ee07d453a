"""The PDF candidate report, typeset by Typst from `templates/report.typ`.

Untrusted text (names, résumé quotes, answers) never enters Typst markup: the adapter serialises a
view of the report to JSON and hands it over as `sys.inputs.data`; the template reads it with
`json(bytes(...))`, and a Typst string shown as content is always literal text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from airecruiter.adapters.documents.isolation import GIGABYTE, WorkerOutOfMemory, WorkerPool, WorkerTimeout
from airecruiter.adapters.documents.report_fonts import FONT_FALLBACK, MONO_FALLBACK, discover_font_dirs
from airecruiter.domain.text_hygiene import clean_characters
from airecruiter.errors import PermanentError, TransientError
from airecruiter.ports.reports import (
    OFFLINE_PROVIDER,
    SCORE_NAMES,
    AnalysisSection,
    EvaluationSection,
    Finding,
    ReportData,
)

TEMPLATE_NAME = "report.typ"
MAX_HEADER_CHARS = 90  # the running header is one line; the cover shows names in full
MAX_HIDDEN_TEXT_CHARS = 600  # a hidden block can be a whole page of keywords; show enough to judge
_FONTS = json.dumps({"text": FONT_FALLBACK, "mono": MONO_FALLBACK})
_SCORE_LABELS = {
    "reliability": "Reliability",
    "accountability": "Accountability",
    "professionalism": "Professionalism",
    "communication": "Communication",
    "technical": "Technical",
    "growth_potential": "Growth potential",
}


class RenderingError(TransientError):
    """The report could not be typeset in time; trying again later may succeed."""


@dataclass(frozen=True)
class _World:
    """What a Typst compiler is built from (hashable: one compiler per world in each process)."""

    template: str
    root: str
    font_paths: tuple[str, ...]
    ignore_system_fonts: bool


_COMPILERS: dict[_World, tuple[typst.Compiler, threading.Lock]] = {}
_COMPILERS_LOCK = threading.Lock()


def _compiler(world: _World) -> tuple[typst.Compiler, threading.Lock]:
    """This process's compiler for `world`, built once: font discovery is the expensive part of a first render.

    One Typst world per compiler: its file and font caches are not meant for parallel use, hence the lock.
    """
    with _COMPILERS_LOCK:
        if world not in _COMPILERS:
            compiler = typst.Compiler(
                input=world.template,
                root=world.root,
                font_paths=list(world.font_paths),
                ignore_system_fonts=world.ignore_system_fonts,
            )
            _COMPILERS[world] = (compiler, threading.Lock())
        return _COMPILERS[world]


class TypstReportRenderer:
    """Renders `ReportData` to PDF with Typst's embedded fonts and the Noto fonts for every other script."""

    def __init__(
        self,
        *,
        template_dir: Path | None = None,
        font_paths: Sequence[Path] = (),
        include_system_fonts: bool = True,
        time_limit_seconds: float = 60.0,
        start_method: str = "forkserver",
    ) -> None:
        """A renderer whose compiler is built in its worker process on the first render.

        `font_paths` are searched before the Noto directories found in the standard font locations;
        without `include_system_fonts` only Typst's embedded fonts and `font_paths` are used.
        """
        root = template_dir or Path(str(resources.files(__package__).joinpath("templates")))
        template = root / TEMPLATE_NAME
        if not template.is_file():
            raise PermanentError(f"The report template {template} is missing; reinstall the package.")
        self._world = _World(
            template=str(template),
            root=str(root),
            font_paths=tuple(str(p) for p in (discover_font_dirs(font_paths) if include_system_fonts else font_paths)),
            ignore_system_fonts=not include_system_fonts,
        )
        self.time_limit_seconds = time_limit_seconds
        # Typesetting is CPU work over candidates' words: a worker process keeps it off the event loop
        # and can be stopped; started on the first `render`, stopped by `aclose`.
        self._workers: WorkerPool | None = WorkerPool(
            workers=1, memory_limit_bytes=2 * GIGABYTE, start_method=start_method, preload=(__name__,)
        )

    def __getstate__(self) -> dict[str, Any]:
        # A worker receives the renderer's settings, never the pool (processes do not pickle).
        state = self.__dict__.copy()
        state["_workers"] = None
        return state

    async def aclose(self) -> None:
        """Stop the worker process; a later `render` starts a new one."""
        if self._workers is not None:
            await self._workers.aclose()

    async def render(self, data: ReportData) -> bytes:
        """The report as PDF bytes, typeset in a worker process under a time limit."""
        assert self._workers is not None, "a renderer copied into a worker renders with render_sync"
        try:
            return await self._workers.run(self.render_sync, data, time_limit=self.time_limit_seconds)
        except (WorkerTimeout, WorkerOutOfMemory) as exc:
            raise RenderingError(
                f"Typesetting the candidate report took longer than {self.time_limit_seconds:g} s (or more memory "
                "than allowed) and was stopped; this is our fault, not the candidate's, and the job will retry."
            ) from exc

    def render_sync(self, data: ReportData) -> bytes:
        """The report as PDF bytes, typeset in the calling thread."""
        payload = json.dumps(report_view(data), ensure_ascii=False)
        generated = data.generated_at
        if generated.tzinfo is None:
            generated = generated.replace(tzinfo=UTC)
        # Typst's document date takes whole seconds; a clock's microseconds would fail the compile.
        generated = generated.replace(microsecond=0)
        compiler, lock = _compiler(self._world)
        with lock:
            try:
                pdf = compiler.compile(format="pdf", sys_inputs={"data": payload, "fonts": _FONTS}, timestamp=generated)
            except typst.TypstError as error:
                raise PermanentError(
                    f"The candidate report could not be typeset ({error.message}); "
                    "the report template needs fixing before this job is retried."
                ) from error
        if not isinstance(pdf, bytes):
            raise PermanentError("Typst returned no PDF for the candidate report; the template needs fixing.")
        return pdf


def report_view(data: ReportData) -> dict[str, Any]:
    """The JSON-ready view the template lays out: display strings prepared, controls removed."""
    name = clean(data.candidate_name) or "Unnamed candidate"
    view: dict[str, Any] = {
        "candidate_name": name,
        "header_label": _shorten(f"{name}  ·  {clean(data.position)}", MAX_HEADER_CHARS),
        "candidate_email": clean(data.candidate_email),
        "position": clean(data.position),
        "requisition_id": clean(data.requisition_id),
        "recruiter_name": clean(data.recruiter_name),
        "generated_at": _format_timestamp(data),
        "analysis": _analysis_view(data.analysis),
        "evaluation": _evaluation_view(data.evaluation) if data.evaluation else None,
        "transcript": [
            {
                "role": message.role.capitalize(),
                "candidate": message.role == "candidate",
                "content": clean(message.content),
            }
            for message in data.transcript
        ],
        "disclosure": disclosure_lines(data),
        "decision": _decision_view(data),
    }
    return view


def _decision_view(data: ReportData) -> dict[str, str] | None:
    """The person's decision beside the AI's recommendation (which it never replaces)."""
    decision = data.decision
    if decision is None:
        return None
    moment = decision.decided_at
    when = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment.tzinfo else moment.strftime("%Y-%m-%d %H:%M")
    return {
        "decision": clean(decision.decision),
        "reason": clean(decision.reason),
        "note": clean(decision.note),
        "decided_by": clean(decision.decided_by),
        "decided_at": when,
        "ai_recommendation": clean(data.evaluation.recommendation) if data.evaluation else "",
    }


def disclosure_lines(data: ReportData) -> list[str]:
    """One sentence per AI-produced section naming the model and prompt version, or saying none was used."""
    lines = [_origin("Résumé analysis", data.analysis.provider, data.analysis.model, data.analysis.prompt_version)]
    if data.evaluation is not None:
        evaluation = data.evaluation
        lines.append(_origin("Interview evaluation", evaluation.provider, evaluation.model, evaluation.prompt_version))
    return lines


def clean(text: str) -> str:
    """Text safe to typeset: the shared character hygiene (controls, bidi overrides, zero-width and
    private-use characters dropped, accents composed, NFC), Windows line ends normalised."""
    return clean_characters(text).strip()


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _origin(section: str, provider: str, model: str, prompt_version: str) -> str:
    return f"{section}: {_source(provider, model, prompt_version)}."


def _source(provider: str, model: str, prompt_version: str) -> str:
    if provider.strip().lower() == OFFLINE_PROVIDER:
        return (
            "no language model was used; produced by the offline rule-based scorer "
            f"({clean(model) or 'offline'}, rules version {clean(prompt_version)})"
        )
    return f"AI-generated by model {clean(model)} via {clean(provider)}, prompt version {clean(prompt_version)}"


def _sentence_case(text: str) -> str:
    # Not str.capitalize(): it would lowercase model ids such as "Qwen2.5-Coder".
    return text[:1].upper() + text[1:]


def _format_timestamp(data: ReportData) -> str:
    moment = data.generated_at
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _findings(items: Iterable[Finding]) -> list[dict[str, str]]:
    return [{"text": clean(item.text), "evidence": clean(item.evidence)} for item in items]


def _risk_level(score: float) -> str:
    # Thirds of the 0–1 scale: a reading aid only; the number itself is shown beside it.
    if score < 1 / 3:
        return "low"
    return "medium" if score < 2 / 3 else "high"


def _analysis_view(analysis: AnalysisSection) -> dict[str, Any]:
    hidden = []
    for item in analysis.hidden_text:
        text = clean(item.text)
        truncated = len(text) > MAX_HIDDEN_TEXT_CHARS
        hidden.append(
            {
                "text": text[:MAX_HIDDEN_TEXT_CHARS] + "…" if truncated else text,
                "reason": clean(item.reason),
                "note": f"shortened; {len(text)} characters in full" if truncated else "",
            }
        )
    return {
        "risk_score": analysis.risk_score,
        "risk_display": f"{analysis.risk_score:.2f}",
        "risk_level": _risk_level(analysis.risk_score),
        "relevance_summary": clean(analysis.relevance_summary),
        "pros": _findings(analysis.pros),
        "cons": _findings(analysis.cons),
        "red_flags": _findings(analysis.red_flags),
        "questions": [clean(question) for question in analysis.suggested_questions],
        "hidden_text": hidden,
        "offline": analysis.provider.strip().lower() == OFFLINE_PROVIDER,
        "origin": _sentence_case(_source(analysis.provider, analysis.model, analysis.prompt_version)),
    }


def _evaluation_view(evaluation: EvaluationSection) -> dict[str, Any]:
    scores = [
        {"label": _SCORE_LABELS[name], "value": value, "display": f"{value:.1f}"}
        for name in SCORE_NAMES
        for value in [float(getattr(evaluation.scores, name))]
    ]
    return {
        "scores": scores,
        "overall": evaluation.overall_score,
        "overall_display": f"{evaluation.overall_score:.1f}",
        "recommendation": clean(evaluation.recommendation),
        "summary": clean(evaluation.summary),
        "strengths": _findings(evaluation.strengths),
        "weaknesses": _findings(evaluation.weaknesses),
        "red_flags": _findings(evaluation.red_flags),
        "offline": evaluation.provider.strip().lower() == OFFLINE_PROVIDER,
        "origin": _sentence_case(_source(evaluation.provider, evaluation.model, evaluation.prompt_version)),
    }
