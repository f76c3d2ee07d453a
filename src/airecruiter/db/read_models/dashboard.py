"""Read model of the console's dashboard: applications by status, recent job throughput, a few totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.domain.statuses import ApplicationStatus

HOURS_SHOWN = 24
# Outcomes that count as a failed attempt on the throughput chart (a retried attempt failed too).
FAILED_OUTCOMES = ("failed", "dead")

_COUNT_APPLICATIONS_BY_STATUS = text("SELECT status, count(*) FROM applications GROUP BY status")
_SELECT_TOTALS = text("""
    SELECT (SELECT count(*) FROM requisitions WHERE active AND workday_status = 'Open') AS open_requisitions,
           (SELECT count(*) FROM requisitions WHERE active) AS active_requisitions,
           (SELECT count(*) FROM applications WHERE created_at >= :since) AS applications_last_day
""")
# One row per UTC hour that had finished jobs (the caller fills in the others); `date_bin` on the
# timestamptz itself is cheaper per row than converting time zones, and the index answers alone.
_COUNT_JOBS_PER_HOUR = text("""
    SELECT date_bin('1 hour', finished_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour,
           count(*) FILTER (WHERE outcome = 'completed') AS completed,
           count(*) FILTER (WHERE outcome = ANY(CAST(:failed AS text[]))) AS failed
      FROM job_runs
     WHERE finished_at >= :since
     GROUP BY 1
""")


@dataclass(frozen=True)
class HourOfJobs:
    """Jobs that finished within one UTC hour."""

    hour: datetime
    completed: int
    failed: int


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboard shows from the pipeline tables (the queue's own counts come from the queue)."""

    applications_by_status: dict[str, int]
    open_requisitions: int
    active_requisitions: int
    applications_last_day: int
    jobs_per_hour: list[HourOfJobs]

    @property
    def applications_total(self) -> int:
        """Every application, whatever its status."""
        return sum(self.applications_by_status.values())

    @property
    def busiest_hour(self) -> int:
        """The largest hourly job count shown (at least 1, to scale bars against)."""
        return max([1] + [h.completed + h.failed for h in self.jobs_per_hour])


def _hours_ending(now: datetime) -> list[datetime]:
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [current - timedelta(hours=n) for n in range(HOURS_SHOWN - 1, -1, -1)]


async def dashboard_figures(conn: AsyncConnection, *, now: datetime) -> DashboardFigures:
    """Applications per status (every status present), totals, and jobs per hour over the last day."""
    hours = _hours_ending(now)
    by_status = {row[0]: int(row[1]) for row in await conn.execute(_COUNT_APPLICATIONS_BY_STATUS)}
    totals = (await conn.execute(_SELECT_TOTALS, {"since": now - timedelta(hours=HOURS_SHOWN)})).one()
    found = {
        row.hour.astimezone(UTC): (int(row.completed), int(row.failed))
        for row in await conn.execute(_COUNT_JOBS_PER_HOUR, {"since": hours[0], "failed": list(FAILED_OUTCOMES)})
    }
    return DashboardFigures(
        applications_by_status={s.value: by_status.get(s.value, 0) for s in ApplicationStatus},
        open_requisitions=int(totals.open_requisitions),
        active_requisitions=int(totals.active_requisitions),
        applications_last_day=int(totals.applications_last_day),
        jobs_per_hour=[HourOfJobs(h, *found.get(h, (0, 0))) for h in hours],
    )
