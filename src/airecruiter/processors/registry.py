"""The job-type registry: which processor runs each job type.

The six pipeline processors (DESIGN section 1) join this registry with the pipeline issue;
until then the engine runs whatever job types its caller registers (the demo, the tests).
"""

from __future__ import annotations

from collections.abc import Mapping

from airecruiter.domain.jobs import JobType
from airecruiter.queue.jobs import Processor


def build_registry(extra: Mapping[str, Processor] | None = None) -> dict[str, Processor]:
    """The processors this deployment can run, keyed by job type."""
    registry: dict[str, Processor] = {}
    for job_type, processor in (extra or {}).items():
        if job_type in registry:
            raise ValueError(f"job type {job_type!r} is registered twice")
        registry[job_type] = processor
    return registry


PIPELINE_JOB_TYPES: tuple[str, ...] = tuple(t.value for t in JobType)
