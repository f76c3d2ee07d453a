"""Prometheus metrics of the queue, shared by the worker and the /metrics endpoint."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

JOBS = Counter("airecruiter_jobs_total", "Jobs finished, by job type and outcome", ["job_type", "outcome"])
JOB_SECONDS = Histogram(
    "airecruiter_job_duration_seconds",
    "How long jobs ran, by job type",
    ["job_type"],
    buckets=(0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 15, 30, 60, 120, 300, 600),
)
QUEUE_DEPTH = Gauge("airecruiter_queue_items", "Queue items by state", ["state"])
OLDEST_PENDING = Gauge("airecruiter_queue_oldest_pending_seconds", "Age of the oldest due item")
