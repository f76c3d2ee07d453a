"""Downloading an application's résumé from Workday into storage (by sync, or by analyze as a retry)."""

from __future__ import annotations

import hashlib

from airecruiter.domain.activity_details import ResumeStored
from airecruiter.domain.artifacts import ResumeArtifacts, StoredResume
from airecruiter.ports.storage import resume_key
from airecruiter.processors.context import PipelineContext

DEFAULT_CONTENT_TYPE = "application/octet-stream"


def missing_resume_note(external_application_id: str) -> str:
    """The sentence kept when Workday has no résumé for an application."""
    return (
        f"Workday had no résumé for application {external_application_id}; "
        "the analysis cannot run until the candidate attaches one in Workday."
    )


async def fetch_resume(
    ctx: PipelineContext,
    *,
    application_id: int,
    external_candidate_id: str,
    external_application_id: str,
) -> ResumeArtifacts:
    """Store the résumé under `resume_key(application_id, filename)`; the artifacts that describe it.

    `resume` is the stored résumé, or None (with `missing` saying why) when Workday has none.
    """
    attachment = await ctx.workday.resume(candidate_id=external_candidate_id, application_id=external_application_id)
    if attachment is None:
        return ResumeArtifacts(resume=None, missing=missing_resume_note(external_application_id))
    filename = attachment.filename or "resume"
    content_type = attachment.content_type or DEFAULT_CONTENT_TYPE
    key = resume_key(application_id, filename)
    await ctx.storage.put(key, attachment.content, content_type=content_type)
    return ResumeArtifacts(
        StoredResume(
            key=key,
            filename=filename,
            content_type=content_type,
            size=len(attachment.content),
            sha256=hashlib.sha256(attachment.content).hexdigest(),
        )
    )


def resume_details(resume: StoredResume) -> ResumeStored:
    """What the activity log says about a stored résumé: its type and size, not its (personal) file name."""
    return ResumeStored(resume_content_type=resume.content_type or DEFAULT_CONTENT_TYPE, resume_bytes=resume.size)
