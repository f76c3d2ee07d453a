"""What deleting an application's data reaches beyond the database, as this deployment is configured."""

from __future__ import annotations

from typing import Any

from airecruiter.config import Settings, revealed
from airecruiter.ports.storage import Storage
from airecruiter.services.data_deletion import DeletionStores


def deletion_stores(settings: Settings, storage: Storage) -> DeletionStores:
    """The storage, the outbox folder when mail goes to the outbox twin, and the tombstones' secret."""
    outbox = settings.AIRECRUITER_DATA_DIR / "outbox" if settings.mail_backend == "outbox" else None
    return DeletionStores(storage=storage, outbox_dir=outbox, secret_key=revealed(settings.AIRECRUITER_SECRET_KEY))


async def erasure_receipt_pdf(receipt: dict[str, Any]) -> bytes:
    """The erasure receipt typeset as a PDF."""
    from airecruiter.adapters.documents.receipt import render_receipt_pdf

    return await render_receipt_pdf(receipt)
