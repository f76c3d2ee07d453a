"""Web page benchmark: every console and interview page against a database of 10,000 applications.

Run from the repository root:

    .venv/bin/python benchmarks/web_pages.py [--applications 10000] [--requests 30] [--database-url URL]

A fresh database is created (on --database-url, $BENCH_DATABASE_URL or $TEST_DATABASE_URL, else
the embedded server in ./.airecruiter/bench), migrated, and filled with SQL: N applications over
N/200 requisitions, each with an analysis; 60 % with an interview of 8 messages, 40 % with an
evaluation and a report; 10 activity entries per application; N queue items (2 % dead, each with
3 attempts in job_runs) and 10 × N job runs over the last 24 hours. `airecruiter web` serves it in
its own process; this script signs in through the login form and requests each page `--requests`
times one after another (after 3 warm-up requests), timing the whole HTTP exchange.

Figures, one JSON document on stdout: per page p50 / p95 / max in ms and the response size; the
slowest page's p95; `under_200ms`: whether every page's p95 is below the issue's 200 ms target.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py would shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks.bench_databases import create_database, drop_database  # noqa: E402

PASSWORD = "benchmark password 1234"

SEED = """
INSERT INTO requisitions (external_id, name, detailed_description, recruiter_name, workday_status,
                          auto_send_interview, last_synced_at)
SELECT 'R-' || lpad(g::text, 5, '0'), 'Requisition ' || g || ' — Backend Engineer',
       '<p>We need a backend engineer with Python and PostgreSQL.</p>', 'Riley Recruiter', 'Open',
       g % 2 = 0, now() - interval '5 minutes'
  FROM generate_series(1, :requisitions) AS g;

INSERT INTO applications (requisition_id, external_application_id, external_candidate_id, candidate_name,
                          candidate_email, workday_status, status, artifacts, created_at, updated_at)
SELECT 1 + (g % :requisitions), 'JA-' || lpad(g::text, 6, '0'), 'C-' || g, 'Candidate ' || g || ' Example',
       'candidate' || g || '@example.test', (ARRAY['Review', 'Screen', 'Interview'])[1 + g % 3],
       (ARRAY['new', 'analyzed', 'interview_pending', 'interview_complete', 'report_pending', 'complete'])
           [1 + g % 6],
       jsonb_build_object('resume', 'applications/' || g || '/resume.pdf', 'resume_filename', 'resume.pdf',
                          'resume_content_type', 'application/pdf', 'resume_bytes', 40000),
       now() - g * interval '1 minute', now() - g * interval '30 seconds'
  FROM generate_series(1, :applications) AS g;

INSERT INTO analyses (application_id, risk_score, relevance_summary, pros, cons, red_flags, suggested_questions,
                      hidden_text, provider, model, prompt_version, input_hash)
SELECT a.id, (a.id % 100) / 100.0, 'A summary of how the résumé fits the job, in two sentences.',
       '[{"text": "Five years of PostgreSQL", "evidence": [{"quote": "PostgreSQL since 2019", "verified": true}]}]',
       '[{"text": "No Kubernetes", "evidence": []}]', '[]',
       '["Tell me about a migration you led.", "How do you test SQL?"]', '[]',
       'offline', 'offline-rules-v1', 1, md5(a.id::text) || md5((a.id + 1)::text)
  FROM applications a;

INSERT INTO interviews (application_id, token_hash, expires_at, status, invitation_sent_at, started_at)
SELECT a.id, md5('t' || a.id) || md5('u' || a.id), now() + interval '7 days',
       CASE WHEN a.id % 10 < 4 THEN 'completed' ELSE 'in_progress' END, now() - interval '1 day',
       now() - interval '20 hours'
  FROM applications a WHERE a.id % 10 < 6;

INSERT INTO interview_messages (interview_id, seq, role, content)
SELECT i.id, s, CASE WHEN s % 2 = 1 THEN 'interviewer' ELSE 'candidate' END,
       CASE WHEN s % 2 = 1 THEN 'Question ' || (s + 1) / 2 || ': tell me about a piece of work you are proud of.'
            ELSE 'An answer of a few sentences about the work, the decisions and the result.' END
  FROM interviews i, generate_series(1, 8) AS s;

INSERT INTO evaluations (interview_id, application_id, reliability_score, accountability_score,
                         professionalism_score, communication_score, technical_score, growth_potential_score,
                         overall_score, summary, strengths, weaknesses, red_flags, recommendation, transcript,
                         provider, model, prompt_version, input_hash)
SELECT i.id, i.application_id, 7, 6, 8, 7, 6, 7, 6.8, 'A clear, specific candidate.',
       '[{"text": "Specific examples", "evidence": []}]', '[]', '[]', 'hire', 'transcript', 'offline',
       'offline-rules-v1', 1, md5('e' || i.id) || md5('f' || i.id)
  FROM interviews i WHERE i.status = 'completed';

INSERT INTO reports (application_id, s3_key, includes_analysis, includes_interview, uploaded_to_workday)
SELECT e.application_id, 'applications/' || e.application_id || '/reports/report.pdf', true, true, true
  FROM evaluations e;

INSERT INTO activities (occurred_at, actor, action, requisition_id, application_id, details)
SELECT now() - (a.id * 10 + s) * interval '3 seconds', 'worker',
       (ARRAY['application_created', 'resume_stored', 'analysis_stored', 'status_changed', 'interview_invited',
              'interview_turn', 'interview_turn', 'evaluation_stored', 'report_generated', 'report_uploaded'])[s],
       a.requisition_id, a.id, jsonb_build_object('step', s)
  FROM applications a, generate_series(1, 10) AS s;

INSERT INTO queue_items (job_type, application_id, priority, status, attempts, max_attempts, last_error,
                         created_at, scheduled_for, enqueued_by)
SELECT (ARRAY['analyze', 'send_interview', 'evaluate', 'generate_report', 'upload_report'])[1 + a.id % 5], a.id,
       50, CASE WHEN a.id % 50 = 0 THEN 'dead' WHEN a.id % 7 = 0 THEN 'pending' ELSE 'skipped' END,
       CASE WHEN a.id % 50 = 0 THEN 3 ELSE 0 END, 3,
       CASE WHEN a.id % 50 = 0 THEN 'NetworkError: Workday did not answer within 60 s' END,
       now() - a.id * interval '10 seconds', now() - a.id * interval '10 seconds', 'scheduler'
  FROM applications a;

INSERT INTO job_runs (queue_item_id, job_type, application_id, attempt, outcome, error, worker, started_at,
                      finished_at, duration_ms)
SELECT q.id, q.job_type, q.application_id, n, CASE WHEN n = 3 THEN 'dead' ELSE 'failed' END,
       'NetworkError: Workday did not answer within 60 s', 'bench-worker', now() - interval '1 hour',
       now() - interval '1 hour' + n * interval '1 minute', 60000
  FROM queue_items q, generate_series(1, 3) AS n WHERE q.status = 'dead';

INSERT INTO job_runs (queue_item_id, job_type, application_id, attempt, outcome, worker, started_at, finished_at,
                      duration_ms)
SELECT 1 + g % :applications, (ARRAY['analyze', 'send_interview', 'evaluate', 'generate_report'])[1 + g % 4],
       1 + g % :applications, 1, CASE WHEN g % 40 = 0 THEN 'failed' ELSE 'completed' END, 'bench-worker',
       now() - (g % 86400) * interval '1 second' - interval '2 seconds', now() - (g % 86400) * interval '1 second',
       2000
  FROM generate_series(1, :job_runs) AS g;
ANALYZE;
"""


def progress(message: str) -> None:
    print(f"[web_pages] {message}", file=sys.stderr, flush=True)


async def _seed(url: str, applications: int) -> dict[str, Any]:
    from sqlalchemy import text

    from airecruiter.db.engine import create_engine
    from airecruiter.domain.interview_tokens import hash_interview_token
    from airecruiter.services.users import create_account

    engine = create_engine(url, pool_size=2)
    started = time.perf_counter()
    try:
        async with engine.begin() as conn:
            params = {
                "applications": applications,
                "requisitions": max(1, applications // 200),
                "job_runs": applications * 10,
            }
            for statement in SEED.split(";\n"):
                if statement.strip():
                    await conn.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})
            # One interview whose clear token we know, for the candidate page.
            token = secrets.token_urlsafe(32)
            await conn.execute(
                text(
                    "UPDATE interviews SET token_hash = :h WHERE id = (SELECT min(id) FROM interviews"
                    " WHERE status = 'in_progress')"
                ),
                {"h": hash_interview_token(token)},
            )
            ids = (
                await conn.execute(
                    text(
                        "SELECT (SELECT max(id) FROM applications WHERE status = 'complete'),"
                        " (SELECT min(id) FROM requisitions), (SELECT min(id) FROM queue_items WHERE status = 'dead'),"
                        " (SELECT max(id) FROM prompts)"
                    )
                )
            ).one()
        await create_account(engine, username="bench", password=PASSWORD, role="admin", actor="benchmark")
    finally:
        await engine.dispose()
    progress(f"seeded {applications} applications in {time.perf_counter() - started:.1f} s")
    return {"token": token, "application": ids[0], "requisition": ids[1], "dead_item": ids[2], "prompt": ids[3]}


def _pages(ids: dict[str, Any]) -> dict[str, str]:
    a, r, q, p = ids["application"], ids["requisition"], ids["dead_item"], ids["prompt"]
    return {
        "dashboard": "/admin",
        "requisitions": "/admin/requisitions",
        "requisitions_search": "/admin/requisitions?q=Requisition%204",
        "requisition": f"/admin/requisitions/{r}",
        "applications": "/admin/applications",
        "applications_by_risk": "/admin/applications?sort=-risk",
        "applications_by_overall": "/admin/applications?sort=-overall",
        "applications_status_page_20": "/admin/applications?status=complete&page=20",
        "applications_search": "/admin/applications?q=Candidate%20777",
        "application": f"/admin/applications/{a}",
        "queue": "/admin/queue",
        "dead_letter": "/admin/queue?status=dead",
        "queue_item": f"/admin/queue/{q}",
        "prompts": "/admin/prompts",
        "prompt": f"/admin/prompts/{p}",
        "activity": "/admin/activity",
        "activity_page_50": "/admin/activity?page=50",
        "activity_of_application": f"/admin/activity?application_id={a}",
        "activity_by_action": "/admin/activity?action=report_uploaded",
        "interview": f"/interview/{ids['token']}",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(url: str, port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WEB_PORT": str(port),
        "FRONTEND_URL": f"http://127.0.0.1:{port}",
        "AIRECRUITER_DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "HEARTBEAT_FILE": str(data_dir / "heartbeat"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "airecruiter", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(data_dir / "web.log", "wb"),
    )


async def _measure(base: str, pages: dict[str, str], requests: int) -> dict[str, Any]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for _ in range(600):
            try:
                if (await http.get("/health/processor")).status_code in (200, 503):
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        form = await http.get("/admin/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        signed = await http.post(
            "/admin/login",
            data={"username": "bench", "password": PASSWORD, "csrf_token": token.group(1) if token else ""},
        )
        assert signed.status_code == 303, f"sign-in failed: {signed.status_code}"
        results = {}
        for name, path in pages.items():
            timings, size, status = [], 0, 0
            try:
                for i in range(requests + 3):
                    started = time.perf_counter()
                    response = await http.get(path)
                    elapsed = (time.perf_counter() - started) * 1000
                    status, size = response.status_code, len(response.content)
                    if i >= 3:
                        timings.append(elapsed)
            except httpx.TransportError as exc:
                results[name] = {"path": path, "error": repr(exc), "p95_ms": float("inf")}
                progress(f"{name}: {exc!r}")
                continue
            cuts = statistics.quantiles(timings, n=100, method="inclusive")
            results[name] = {
                "path": path,
                "status": status,
                "bytes": size,
                "p50_ms": round(cuts[49], 1),
                "p95_ms": round(cuts[94], 1),
                "max_ms": round(max(timings), 1),
            }
            progress(f"{name}: {results[name]['p50_ms']} / {results[name]['p95_ms']} ms ({status})")
    return results


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from airecruiter.cli.common import configure_logging

    configure_logging("console", "WARNING")
    embedded = None
    server_url = args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        from airecruiter.db.embedded import EmbeddedPostgres

        embedded = EmbeddedPostgres(ROOT / ".airecruiter" / "bench")
        server_url = embedded.start()
    url = await create_database(server_url, "airecruiter_bench_web")
    try:
        ids = await _seed(url, args.applications)
        port = _free_port()
        with tempfile.TemporaryDirectory(prefix="airecruiter-bench-web-") as tmp:
            server = _serve(url, port, Path(tmp))
            try:
                pages = await _measure(f"http://127.0.0.1:{port}", _pages(ids), args.requests)
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        await drop_database(server_url, url)
        if embedded is not None:
            embedded.stop()
    slowest = max(pages, key=lambda name: pages[name]["p95_ms"])
    return {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "applications": args.applications,
        "requests_per_page": args.requests,
        "pages": pages,
        "slowest": {"page": slowest, "p95_ms": pages[slowest]["p95_ms"]},
        "all_ok": all(p.get("status") == 200 for p in pages.values()),
        "under_200ms": all(p["p95_ms"] < 200 for p in pages.values()),
        "target": {"p95_ms": ("<", 200), "applications": 10_000},
    }


def main() -> None:
    """Parse the arguments, run, print the JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--database-url", help="a PostgreSQL server to create the database on")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args)), indent=2))


if __name__ == "__main__":
    main()
