"""Fault injection: workers SIGKILLed and the broker emptied mid-run; how long until every
piece of work is done again, and how many rows are lost.

    .venv/bin/python bench/bench_recovery.py [--sources 400] [--hosts 20] [--delay 0.5]
                                            [--kill-at 0.3] [--timeout 900]

Environment (defaults shown; the database is dropped and created again on every run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_recovery
    CELERY_BROKER_URL=redis://127.0.0.1:6379/12   (that Redis db is flushed on every run)

The run: the page server of bench_discovery.py (--hosts loopback hosts, each page after
--delay seconds); one article per claim whose links are its ten sources; the workers
runservice starts (bench_discovery.start_workers) and a real `celery beat` with the
database scheduler (`bootstrap`'s periodic tasks: the sweeper every minute). Research is
queued for every claim. Once --kill-at of the sources are read, every worker process is
killed with SIGKILL (tasks running, prefetched and unacknowledged die with them) and the
Redis database is flushed (every queued message is lost). The workers are started again at
once; nothing else is done by hand: only the sweeper can bring the lost work back.

Reported: seconds from the kill until every claim has finished research, every source is
read (ok or failed, with an attempt row) and no candidate waits; rows lost (claims never
finished, sources never read, candidates never settled: target 0); duplicate snapshots
(the same content stored twice for a source: target 0); and the counts at the kill.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

ROOT = harness.ROOT
harness.configure(
    database="postgres://postgres@127.0.0.1:5432/factcheck_bench_recovery",
    broker="redis://127.0.0.1:6379/12",
    data_dir="bench-recovery",
)

import bench_discovery as disc  # noqa: E402 - reads the environment set above


def start_beat(log_dir: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "factcheck", "beat", "--loglevel", "INFO"]
    command += ["-S", "django_celery_beat.schedulers:DatabaseScheduler"]
    log = open(log_dir / "beat.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def kill(procs: dict[str, subprocess.Popen]) -> None:
    """SIGKILL to every process of every worker (the process groups): no shutdown, no acks."""
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    for proc in procs.values():
        proc.wait()


def state() -> dict[str, int]:
    from django.db.models import Count

    from claims.models import Claim, FetchAttempt, ResearchCandidate, Snapshot, Source

    open_claims = Claim.objects.filter(status__in=Claim.RESEARCH_STATUSES).count()
    unread = Source.objects.filter(status__in=[Source.Status.NEW, Source.Status.FETCHING])
    duplicates = (
        Snapshot.objects.values("source", "content_hash")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "claims_open": open_claims,
        "sources": Source.objects.count(),
        "sources_unread": unread.count(),
        "sources_without_attempt": Source.objects.exclude(status=Source.Status.NEW)
        .filter(attempts__isnull=True)
        .count(),
        "candidates_pending": ResearchCandidate.objects.filter(
            state=ResearchCandidate.State.PENDING
        ).count(),
        "snapshots": Snapshot.objects.count(),
        "attempts": FetchAttempt.objects.count(),
        "duplicate_snapshots": duplicates,
    }


def done(now: dict[str, int], sources: int) -> bool:
    return (
        now["claims_open"] == 0
        and now["sources"] == sources
        and now["sources_unread"] == 0
        and now["candidates_pending"] == 0
    )


def run(args: argparse.Namespace) -> dict:
    harness.fresh_database(os.environ["DATABASE_URL"])
    harness.setup_django()
    from django.db import transaction

    from claims.schedules import ensure_periodic_tasks
    from claims.services.research import claim_queue_research

    harness.flush_broker(os.environ["CELERY_BROKER_URL"])
    ensure_periodic_tasks()
    pages, port = disc.start_pages(args.hosts, args.delay)
    plan = disc.source_plan(args.sources, args.hosts)
    claims = disc.seed(plan, port)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-recovery-"))
    beat = start_beat(log_dir)
    procs = disc.start_workers(log_dir, disc.FETCH_PROCESSES)
    try:
        started = time.monotonic()
        with transaction.atomic():
            for claim in claims:
                claim_queue_research(claim=claim)
        while True:
            now = state()
            read = now["sources"] - now["sources_unread"]
            if read >= args.kill_at * args.sources:
                break
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"not {args.kill_at:.0%} read in {args.timeout} s: {now}")
            time.sleep(0.05)
        kill(procs)
        harness.flush_broker(os.environ["CELERY_BROKER_URL"])
        killed = time.monotonic()
        at_kill = state()
        procs = disc.start_workers(log_dir, disc.FETCH_PROCESSES)
        while not done(now := state(), args.sources):
            if time.monotonic() - killed > args.timeout:
                break
            time.sleep(0.5)
        recovered = time.monotonic()
    finally:
        disc.stop_workers(procs)
        beat.terminate()
        beat.wait(timeout=30)
        pages.terminate()
    final = state()
    lost = (
        final["claims_open"]
        + final["sources_unread"]
        + final["candidates_pending"]
        + (args.sources - final["sources"])
    )
    return {
        "machine": harness.machine(),
        "sources": args.sources,
        "claims": len(claims),
        "seconds_to_kill": round(killed - started, 1),
        "at_kill": at_kill,
        "seconds_kill_to_recovered": round(recovered - killed, 1),
        "recovered": done(final, args.sources),
        "rows_lost": lost,
        "final": final,
        "stuck_after_seconds": _setting("FACTCHECK_STUCK_AFTER_SECONDS"),
        "logs": str(log_dir),
    }


def _setting(name: str):
    from django.conf import settings

    return getattr(settings, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=400)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--kill-at", type=float, default=0.3, help="fraction of sources read")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    print(json.dumps(run(args), indent=2))


if __name__ == "__main__":
    main()
