"""Re-checks in real workers on the real broker: queued by beat's task, recovered by the
sweeper after the broker lost its queues, and completed after a worker is SIGKILLed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from claims import queue
from claims.models import Article, Claim, ClaimEvent, Evidence, FetchAttempt, Snapshot, Source
from claims.services.rechecks import sources_take_for_recheck
from tests.broker import QUEUES, queued_messages
from tests.broker import purge as _purge_broker
from tests.integration.test_recheck_outcomes import (  # noqa: F401 - _loopback_fetching: autouse fixture
    PARAS,
    Drip,
    _loopback_fetching,
    page,
    track,
)
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def status_of(model, pk) -> str:
    return model.objects.values_list("status", flat=True).get(pk=pk)


def test_a_due_source_is_rechecked_by_a_real_worker(celery_worker, web):
    t = track(web)
    web.set_page(t.path, page(PARAS[1:]))  # the quoted passage is gone
    Source.objects.filter(pk=t.source.pk).update(
        next_check_at=timezone.now() - dt.timedelta(minutes=1)
    )
    queue.enqueue("worker.tasks.recheck.recheck_due")  # what beat sends every 5 minutes
    wait_for(lambda: status_of(Claim, t.claim.pk) == Claim.Status.NEEDS_REREVIEW)
    t.reload()
    assert t.source.status == Source.Status.OK
    assert t.source.snapshots.count() == 2
    alert = t.claim.events.get(kind=ClaimEvent.Kind.RECHECK_ALERT)
    assert alert.data["old"]["passage"] == PARAS[0]


def test_sweeper_recovers_work_after_the_broker_lost_its_queues(web, request):
    # A re-check a worker had taken, a claim in research, an article being fetched ...
    t = track(web)
    web.set_page(t.path, page(PARAS[1:]))
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    taken = sources_take_for_recheck(
        source_ids=[t.source.pk], now=long_ago, stale_after=dt.timedelta(minutes=20)
    )
    assert [s.id for s in taken] == [t.source.pk]
    queue.enqueue(queue.RECHECK_SOURCE, t.source.pk)

    article = Article.objects.create(title="A", text="x", content_hash="sweep")
    researching = Claim.objects.create(article=article, text="A claim", start=0, end=1)
    Claim.objects.filter(pk=researching.pk).update(
        status=Claim.Status.RESEARCHING, research_started_at=long_ago
    )
    queue.enqueue(queue.DISCOVER_CLAIM, researching.pk)
    # ... a claim whose research was queued but never started ...
    never_started = Claim.objects.create(article=article, text="Another claim", start=0, end=1)
    Claim.objects.filter(pk=never_started.pk).update(research_queued_at=long_ago)
    queue.enqueue(queue.DISCOVER_CLAIM, never_started.pk)
    # ... and one nobody asked to research, which the sweeper must leave alone.
    not_queued = Claim.objects.create(article=article, text="Third claim", start=0, end=1)

    web.set_page("/r/article.html", page(PARAS, title="Deliveries of howitzers"))
    pending = Article.objects.create(
        url=web.url("/r/article.html"), text="", content_hash="", status="processing"
    )
    Article.objects.filter(pk=pending.pk).update(created_at=long_ago)
    queue.enqueue(queue.INGEST_URL, pending.pk, research=False)

    # ... and then Redis loses its queues.
    assert queued_messages() == 4
    _purge_broker()
    assert queued_messages() == 0

    request.getfixturevalue("celery_worker")
    queue.enqueue("worker.tasks.maintenance.sweep_stuck")  # beat sends it every 10 minutes

    wait_for(lambda: status_of(Claim, t.claim.pk) == Claim.Status.NEEDS_REREVIEW)
    wait_for(lambda: status_of(Claim, researching.pk) == Claim.Status.NEEDS_REVIEW)
    wait_for(lambda: status_of(Claim, never_started.pk) == Claim.Status.NEEDS_REVIEW)
    assert status_of(Claim, not_queued.pk) == Claim.Status.PENDING
    wait_for(lambda: status_of(Article, pending.pk) == Article.Status.READY)
    t.reload()
    assert t.source.status == Source.Status.OK
    assert t.source.snapshots.count() == 2
    assert Article.objects.get(pk=pending.pk).title == "Deliveries of howitzers"


# --- A worker process killed with SIGKILL in the middle of a fetch ---------------------------


def start_worker_process(log: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "FACTCHECK_FETCH_ALLOW_PRIVATE": "1",
        "FACTCHECK_FETCH_DOMAIN_DELAY": "0",
        "FACTCHECK_SEARCH_PROVIDERS": "",
    }
    celery = Path(sys.executable).parent / "celery"
    command = [str(celery), "-A", "factcheck", "worker", "-P", "solo", "-Q", ",".join(QUEUES)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


@pytest.fixture
def worker_processes(tmp_path):
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        process = start_worker_process(tmp_path / "worker.log")
        started.append(process)
        return process

    start.log = tmp_path / "worker.log"
    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    # The killed worker's message is still unacked in Redis: drop it with our test db.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://") or connection.vendor != "postgresql",
    reason="needs PostgreSQL and Redis shared with a worker process",
)
def test_worker_killed_mid_fetch_leaves_no_duplicates_and_the_work_completes(web, worker_processes):
    t = track(web, path="/r/drip.html")
    web.set_page(t.path, page(PARAS[1:]))  # the new content, once it stops dripping
    drip = Drip(web, t.path)
    drip.on.set()
    attempts_before = FetchAttempt.objects.filter(source=t.source).count()
    _purge_broker()  # nothing left over from earlier tests in front of our task
    try:
        first = worker_processes()
        queue.enqueue(queue.RECHECK_SOURCE, t.source.pk)
        assert drip.started.wait(120), worker_processes.log.read_text()[-3000:]
        wait_for(lambda: status_of(Source, t.source.pk) == Source.Status.FETCHING)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)

        # Nothing half-written: the fetch never finished, so no rows came of it.
        assert Snapshot.objects.filter(source=t.source).count() == 1
        assert FetchAttempt.objects.filter(source=t.source).count() == attempts_before
        assert status_of(Claim, t.claim.pk) == Claim.Status.VERIFIED

        drip.on.clear()
        worker_processes()
        # The killed task's message stays unacked in Redis for the visibility timeout
        # (an hour). The sweeper finds the source stuck fetching and queues it again;
        # here its 20 minutes have passed.
        Source.objects.filter(pk=t.source.pk).update(
            fetch_started_at=timezone.now() - dt.timedelta(minutes=25)
        )
        queue.enqueue("worker.tasks.maintenance.sweep_stuck")
        wait_for(lambda: status_of(Claim, t.claim.pk) == Claim.Status.NEEDS_REREVIEW)
        wait_for(lambda: status_of(Source, t.source.pk) == Source.Status.OK)

        # A late redelivery of the killed task changes nothing.
        queue.enqueue(queue.RECHECK_SOURCE, t.source.pk)
        wait_for(
            lambda: FetchAttempt.objects.filter(source=t.source).count() == attempts_before + 2
        )
    finally:
        drip.restore()

    assert Snapshot.objects.filter(source=t.source).count() == 2
    assert Evidence.objects.filter(claim=t.claim, source=t.source).count() == 1
    assert Evidence.objects.get(pk=t.evidence.pk).snapshot_id == t.snapshot.pk
    assert ClaimEvent.objects.filter(claim=t.claim, kind=ClaimEvent.Kind.RECHECK_ALERT).count() == 1
    outcomes = list(
        FetchAttempt.objects.filter(source=t.source)
        .order_by("started_at")
        .values_list("outcome", flat=True)
    )
    assert outcomes[-2:] == [FetchAttempt.Outcome.OK, FetchAttempt.Outcome.NOT_MODIFIED]
