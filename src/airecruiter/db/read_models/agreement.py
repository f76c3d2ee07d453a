"""Read model of how people's decisions stand to the AI's recommendations, per model and prompt version.

It reads the de-identified `outcomes` rows (the current console decision beside the latest
evaluation's recommendation, model and prompt version) and classifies each pair with
domain.decisions.agreement, so the rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.domain.decisions import Agreement, agreement

_COUNT_PAIRS = text("""
    SELECT evaluation_model AS model, evaluation_prompt_version AS prompt_version,
           ai_recommendation AS recommendation, console_decision AS decision, count(*) AS n
      FROM outcomes
     WHERE console_decision IS NOT NULL AND ai_recommendation IS NOT NULL
     GROUP BY 1, 2, 3, 4
""")
_COUNT_WITHOUT_AI = text("""
    SELECT count(*) FROM outcomes WHERE console_decision IS NOT NULL AND ai_recommendation IS NULL
""")


@dataclass
class AgreementRow:
    """Decisions on applications evaluated by one model with one prompt version."""

    model: str
    prompt_version: int | None
    agrees: int = 0
    overruled_up: int = 0  # the AI said no_hire; a person advanced
    overruled_down: int = 0  # the AI said hire or strong_hire; a person rejected
    apart: int = 0  # holds, and decisions where the AI said maybe

    @property
    def decided(self) -> int:
        """Every decision counted in this row."""
        return self.agrees + self.overruled_up + self.overruled_down + self.apart

    @property
    def comparable(self) -> int:
        """Decisions that either agree with the AI or overrule it."""
        return self.agrees + self.overruled_up + self.overruled_down

    @property
    def agreement_rate(self) -> float | None:
        """Agreements over comparable decisions; None when there is none."""
        return self.agrees / self.comparable if self.comparable else None

    def share(self, count: int) -> float | None:
        """`count` over the comparable decisions; None when there is none."""
        return count / self.comparable if self.comparable else None


@dataclass(frozen=True)
class AgreementFigures:
    """The agreement table, plus decisions on applications the AI made no recommendation for."""

    rows: list[AgreementRow]
    without_recommendation: int


async def agreement_figures(conn: AsyncConnection) -> AgreementFigures:
    """Agreement and overrules per (model, prompt version), most decisions first."""
    rows: dict[tuple[str, int | None], AgreementRow] = {}
    for pair in await conn.execute(_COUNT_PAIRS):
        key = (pair.model or "unknown", pair.prompt_version)
        row = rows.setdefault(key, AgreementRow(model=key[0], prompt_version=key[1]))
        kind = agreement(pair.decision, pair.recommendation)
        field = {
            Agreement.AGREES: "agrees",
            Agreement.OVERRULED_UP: "overruled_up",
            Agreement.OVERRULED_DOWN: "overruled_down",
        }.get(kind or Agreement.APART, "apart")
        setattr(row, field, getattr(row, field) + int(pair.n))
    ordered = sorted(rows.values(), key=lambda r: (-r.decided, r.model, r.prompt_version or 0))
    return AgreementFigures(ordered, int(await conn.scalar(_COUNT_WITHOUT_AI) or 0))
