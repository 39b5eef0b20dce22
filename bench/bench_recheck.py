"""Benchmark: N unchanged sources (the server answers 304) re-checked, with queries counted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/bench_recheck.py [--sources 10000] [--mode inprocess|celery]

Creates (or empties) the benchmark database, seeds N sources that back verified claims,
each with a snapshot and an ETag, all due; starts a loopback server in its own process
that answers every conditional GET with 304; then re-checks them all:

- inprocess: `recheck_due_now()` in this process (what `manage.py recheck --due --wait`
  runs), with every query of this connection counted (fetch threads make none);
- celery: `recheck_due` sent to the broker, `--workers` worker processes (prefork) do
  the batches; timed until every source has its new check recorded.

Prints one JSON line with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import harness  # the bench folder is the script's own

ROOT = harness.ROOT
harness.configure(
    database="postgres://postgres@127.0.0.1:5432/factcheck_bench",
    broker="redis://127.0.0.1:6379/13",
    data_dir="bench",
    FACTCHECK_FETCH_ALLOW_PRIVATE="1",  # the server is on loopback
    FACTCHECK_FETCH_DOMAIN_DELAY="0",  # one host serves all N sources
)

ETAG = '"v1"'


# --- The 304 server (its own process) -----------------------------------------------------


class NotModifiedHandler(harness.Handler):
    def do_GET(self):  # noqa: N802
        if self.path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if self.headers.get("If-None-Match") == ETAG:
            return self.send(304, b"", ETag=ETAG)
        return self.send(200, b"<html><body><p>Unchanged page.</p></body></html>", ETag=ETAG)


# --- Database -----------------------------------------------------------------------------


def seed(n: int, port: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from claims.models import Article, Claim, Evidence, Snapshot, Source

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE claims_evidence, claims_fetchattempt, claims_snapshot, claims_source, "
            "claims_claimevent, claims_claim, claims_sentence, claims_article CASCADE"
        )
    now = timezone.now()
    article = Article.objects.create(title="Bench", text="bench", content_hash="bench")
    claims = Claim.objects.bulk_create(
        Claim(article=article, text=f"claim {i}", start=i, end=i + 1, status="verified")
        for i in range(max(n // 10, 1))
    )
    sources = Source.objects.bulk_create(
        (
            Source(
                url=f"http://127.0.0.1:{port}/s/{i}",
                domain="127.0.0.1",
                status=Source.Status.OK,
                etag=ETAG,
                check_interval=dt.timedelta(days=1),
                last_checked_at=now - dt.timedelta(days=1),
                next_check_at=now - dt.timedelta(minutes=1),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    snapshots = Snapshot.objects.bulk_create(
        (
            Snapshot(
                source=source,
                fetched_at=now - dt.timedelta(days=1),
                http_status=200,
                final_url=source.url,
                content_type="text/html",
                content_hash=f"{i:064x}",
                text="Unchanged page.",
                raw_body=b"",
            )
            for i, source in enumerate(sources)
        ),
        batch_size=2000,
    )
    Evidence.objects.bulk_create(
        (
            Evidence(
                claim=claims[i % len(claims)],
                source=source,
                snapshot=snapshot,
                quote="Unchanged page.",
                found_via=Evidence.FoundVia.SEARCH,
            )
            for i, (source, snapshot) in enumerate(zip(sources, snapshots, strict=True))
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Runs ---------------------------------------------------------------------------------


def run_inprocess(batch_size: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from worker import recheck

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        totals = recheck.recheck_due_now(batch_size=batch_size)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "totals": totals.as_dict(), "queries": len(queries)}


def run_celery(n: int, workers: int, batch_size: int, since) -> dict:
    from celery import current_app

    from claims.models import Source
    from factcheck.celery import app

    app.set_current()
    harness.purge_queues(["default", "discover", "fetch", "recheck"])
    celery = Path(sys.executable).parent / "celery"
    command = [str(celery), "-A", "factcheck", "worker", "-Q", "recheck", "-c", str(workers)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
    log = open(Path(os.environ["FACTCHECK_DATA_DIR"]) / "worker.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(4)  # let the pool start
        started = time.perf_counter()
        current_app.send_task("worker.tasks.recheck.recheck_due", kwargs={"batch_size": batch_size})
        done = 0
        harness.wait_until(
            lambda: Source.objects.filter(last_checked_at__gte=since).count() >= n,
            timeout=600,
            interval=0.25,
        )
        seconds = time.perf_counter() - started
        done = Source.objects.filter(last_checked_at__gte=since).count()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"seconds": round(seconds, 2), "rechecked": done, "workers": workers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--mode", choices=["inprocess", "celery"], default="inprocess")
    parser.add_argument("--workers", type=int, default=2, help="celery mode: pool processes")
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()

    harness.ensure_database(os.environ["DATABASE_URL"])
    harness.setup_django()
    from django.conf import settings
    from django.utils import timezone

    server, port = harness.start_pages(NotModifiedHandler)
    try:
        seed(args.sources, port)
        since = timezone.now()
        if args.mode == "inprocess":
            figures = run_inprocess(args.batch_size)
        else:
            figures = run_celery(args.sources, args.workers, args.batch_size, since)
    finally:
        server.terminate()
    from claims.models import FetchAttempt

    figures.update(
        mode=args.mode,
        sources=args.sources,
        batch_size=args.batch_size,
        threads=settings.FACTCHECK_RECHECK_THREADS,
        not_modified=FetchAttempt.objects.filter(outcome="not_modified").count(),
        machine=harness.machine(),
    )
    if "queries" in figures:
        figures["queries_per_source"] = round(figures["queries"] / args.sources, 3)
    figures["sources_per_second"] = round(args.sources / figures["seconds"], 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
