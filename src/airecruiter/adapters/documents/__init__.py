"""Documents: résumé text extraction (PDF, Word, plain text) and the PDF candidate report."""

from airecruiter.adapters.documents.docx import ZipLimits
from airecruiter.adapters.documents.reader import ResumeReader

__all__ = ["ResumeReader", "ZipLimits"]
