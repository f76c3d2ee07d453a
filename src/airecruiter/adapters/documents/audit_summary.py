"""The draft summary of results of a bias audit, typeset by Typst from `templates/audit_summary.typ`.

As with the candidate report, values never enter Typst markup: the view goes in as JSON through
`sys.inputs.data`. Typst's embedded fonts cover the text (categories, figures, model names), so
system fonts are not searched: the same view gives the same PDF on every machine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from airecruiter.errors import PermanentError

TEMPLATE_NAME = "audit_summary.typ"


class TypstAuditSummaryRenderer:
    """Renders the JSON view of an audit to a PDF."""

    def __init__(self, template_dir: Path | None = None) -> None:
        """A renderer of the packaged template (or one in `template_dir`)."""
        root = template_dir or Path(str(resources.files(__package__).joinpath("templates")))
        self._template = root / TEMPLATE_NAME
        if not self._template.is_file():
            raise PermanentError(f"The audit summary template {self._template} is missing; reinstall the package.")

    def render(self, view: Mapping[str, Any]) -> bytes:
        """The PDF bytes of the summary."""
        pdf = typst.compile(
            str(self._template),
            format="pdf",
            sys_inputs={"data": json.dumps(view)},
            ignore_system_fonts=True,
        )
        assert isinstance(pdf, bytes)
        return pdf
