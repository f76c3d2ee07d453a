"""The erasure receipt as a PDF, typeset by Typst from `templates/erasure_receipt.typ`."""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from airecruiter.errors import PermanentError

TEMPLATE_NAME = "erasure_receipt.typ"


def receipt_view(receipt: dict[str, Any]) -> dict[str, Any]:
    """The template's data: header fields, a (name, count) list of removed records, the Workday uploads."""
    contents = receipt.get("contents", {})
    rows = contents.get("rows", {})
    removed = [{"name": name.replace("_", " "), "count": int(count)} for name, count in sorted(rows.items())]
    removed += [
        {"name": "storage objects (every version)", "count": int(contents.get("storage_objects", 0))},
        {"name": "outbox emails", "count": int(contents.get("outbox_emails", 0))},
    ]
    uploaded = [
        {"workday_document_id": str(u.get("workday_document_id") or "unknown"), "filename": str(u.get("filename"))}
        for u in contents.get("uploaded_to_workday", [])
    ]
    return {
        "id": int(receipt["id"]),
        "erased_at": str(receipt["erased_at"]),
        "erased_by": str(receipt["erased_by"]),
        "reason": str(receipt["reason"]),
        "request_id": str(receipt.get("request_id") or "none"),
        "applications": str(contents.get("applications", 0)),
        "removed": removed,
        "uploaded": uploaded,
    }


def _render(receipt: dict[str, Any]) -> bytes:
    root = Path(str(resources.files(__package__).joinpath("templates")))
    try:
        pdf = typst.compile(
            str(root / TEMPLATE_NAME),
            root=str(root),
            format="pdf",
            sys_inputs={"data": json.dumps(receipt_view(receipt), ensure_ascii=False)},
            ignore_system_fonts=True,
        )
    except typst.TypstError as error:
        raise PermanentError(f"The erasure receipt could not be typeset ({error.message}).") from error
    if not isinstance(pdf, bytes):
        raise PermanentError("Typst returned no PDF for the erasure receipt; the template needs fixing.")
    return pdf


async def render_receipt_pdf(receipt: dict[str, Any]) -> bytes:
    """The receipt (as `ErasureReceipt` fields) as PDF bytes, typeset off the event loop."""
    return await asyncio.to_thread(_render, receipt)
