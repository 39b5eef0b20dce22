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
import contextlib
import datetime as dt
import http.server
import json
import multiprocessing
import os
import socketserver
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import harness  # the bench folder is the script's own

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("FACTCHECK_DATA_DIR", str(ROOT / "var" / "bench"))
os.environ["FACTCHECK_FETCH_ALLOW_PRIVATE"] = "1"  # the server is on loopback
os.environ["FACTCHECK_FETCH_DOMAIN_DELAY"] = "0"  # one host serves all N sources

ETAG = '"v1"'


# --- The 304 server (its own process) -----------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        if self.path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<html><body><p>Unchanged page.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("ETag", ETAG)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256


def _serve(port_out) -> None:
    server = _Server(("127.0.0.1", 0), _Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


def start_server() -> tuple[multiprocessing.Process, int]:
    ctx = multiprocessing.get_context("spawn")
    port_out = ctx.Queue()
    process = ctx.Process(target=_serve, args=(port_out,), daemon=True)
    process.start()
    return process, port_out.get(timeout=10)


# --- Database -----------------------------------------------------------------------------


def ensure_database() -> None:
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


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
    with app.connection_for_write() as conn:
        for name in ("default", "discover", "fetch", "recheck"):
            with contextlib.suppress(Exception):  # never declared: nothing to purge
                conn.default_channel.queue_purge(name)
    celery = Path(sys.executable).parent / "celery"
    command = [str(celery), "-A", "factcheck", "worker", "-Q", "recheck", "-c", str(workers)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
    log = open(ROOT / "var" / "bench" / "worker.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(4)  # let the pool start
        started = time.perf_counter()
        current_app.send_task("worker.tasks.recheck.recheck_due", kwargs={"batch_size": batch_size})
        done = 0
        while done < n and time.perf_counter() - started < 600:
            time.sleep(0.25)
            done = Source.objects.filter(last_checked_at__gte=since).count()
        seconds = time.perf_counter() - started
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

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    server, port = start_server()
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
        threads=int(os.environ.get("FACTCHECK_RECHECK_THREADS", "16")),
        not_modified=FetchAttempt.objects.filter(outcome="not_modified").count(),
        machine=harness.machine(),
    )
    if "queries" in figures:
        figures["queries_per_source"] = round(figures["queries"] / args.sources, 3)
    figures["sources_per_second"] = round(args.sources / figures["seconds"], 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
