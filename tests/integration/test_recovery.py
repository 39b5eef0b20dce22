"""Lost work comes back: the sweeper against a broker that lost its queues, and a task
that meets a killed database connection, with a real worker, PostgreSQL and Redis."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from celery.signals import task_retry
from django.db import connection
from django.utils import timezone

from claims import queue
from claims.models import Article, Claim, Evidence, ResearchCandidate, Source
from claims.services.articles import article_ingest_text
from claims.services.recovery import stuck_work_requeue
from claims.services.research import CandidateSpec, claim_research_plan, claim_research_start
from claims.services.sources import claim_add_source_url
from factcheck.celery import app as celery_app
from tests.broker import purge as _purge_broker
from tests.broker import queued_messages
from tests.integration.test_discovery_hostile import ARTICLE
from tests.waiting import wait_for
from worker.fetch import fetch_source
from worker.fetching import clear_robots_cache

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = "worker.tasks.maintenance.sweep_stuck"


@pytest.fixture
def loopback(settings, web):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    settings.FACTCHECK_SEARCH_PROVIDERS = []
    settings.FACTCHECK_STUCK_AFTER_SECONDS = 120
    clear_robots_cache()
    yield settings
    clear_robots_cache()


@pytest.fixture
def claim(loopback) -> Claim:
    article = article_ingest_text(text=ARTICLE, research=False)
    return article.claims.get(text__contains="48 new electric buses")


def minutes_ago(minutes: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def test_a_reviewer_source_whose_task_was_lost_is_fetched_after_a_sweep(claim, web, request):
    evidence = claim_add_source_url(claim=claim, url=web.url("/news/article.html"), user=None)
    assert queued_messages() == 1
    _purge_broker()  # Redis lost its queues: the source stays new, nobody will fetch it
    Source.objects.filter(pk=evidence.source_id).update(created_at=minutes_ago(3))

    request.getfixturevalue("celery_worker")
    queue.enqueue(SWEEP)

    wait_for(lambda: Source.objects.get(pk=evidence.source_id).status == Source.Status.OK)
    evidence = wait_for(
        lambda: Evidence.objects.exclude(snapshot=None).filter(pk=evidence.pk).first()
    )
    assert "48" in evidence.quote


def test_candidates_whose_scoring_was_lost_are_scored_after_a_sweep(claim, web, request):
    assert claim_research_start(claim_id=claim.pk)
    claim_research_plan(
        claim=claim,
        candidates=[CandidateSpec(web.url("/news/article.html"), "search", "wikipedia")],
        problems=[],
    )
    request.getfixturevalue("celery_worker")  # purges the planned fetch: lost
    candidate = ResearchCandidate.objects.get(claim=claim)
    # The fetch happened, its scoring task was lost: the source is read, the claim waits.
    assert fetch_source(candidate.source).snapshot is not None
    ResearchCandidate.objects.filter(pk=candidate.pk).update(updated_at=minutes_ago(3))

    queue.enqueue(SWEEP)

    wait_for(lambda: Claim.objects.get(pk=claim.pk).status == Claim.Status.NEEDS_REVIEW)
    assert ResearchCandidate.objects.get(pk=candidate.pk).state == ResearchCandidate.State.DONE
    assert Evidence.objects.filter(claim=claim).exclude(snapshot=None).exists()
    assert candidate.source.snapshots.count() == 1  # scored from the snapshot it had


def test_the_sweeper_waits_the_threshold_and_leases_what_it_queues(claim, web, sent):
    article = Article.objects.create(title="A", text="x", content_hash="lease")
    pending = Claim.objects.create(article=article, text="A claim", start=0, end=1)
    recent = Claim.objects.create(article=article, text="B claim", start=0, end=1)
    Claim.objects.filter(pk=pending.pk).update(research_queued_at=minutes_ago(3))
    Claim.objects.filter(pk=recent.pk).update(research_queued_at=minutes_ago(1))
    new_source = claim_add_source_url(claim=claim, url=web.url("/x.html"), user=None).source
    Source.objects.filter(pk=new_source.pk).update(created_at=minutes_ago(3))
    # Fetching for 4 minutes: one a claim waits for (its task was lost), one a re-check
    # batch may still hold (its evidence has a snapshot; batches run up to 330 s).
    waited = claim_add_source_url(claim=pending, url=web.url("/w.html"), user=None).source
    rechecked = claim_add_source_url(claim=recent, url=web.url("/news/article.html"), user=None)
    snapshot = fetch_source(rechecked.source).snapshot
    Evidence.objects.filter(pk=rechecked.pk).update(snapshot=snapshot)
    Source.objects.filter(pk__in=[waited.pk, rechecked.source_id]).update(
        status=Source.Status.FETCHING, fetch_started_at=minutes_ago(4)
    )
    placeholder = Article.objects.create(
        url=web.url("/a.html"), text="", content_hash="", status=Article.Status.PROCESSING
    )
    Article.objects.filter(pk=placeholder.pk).update(created_at=minutes_ago(3))
    sent.clear()

    def sweep() -> dict[str, int]:
        return stuck_work_requeue(
            now=timezone.now(),
            stuck_after=dt.timedelta(minutes=2),
            fetch_stuck_after=dt.timedelta(minutes=6),
            articles_give_up=dt.timedelta(hours=6),
        ).as_dict()

    first = sweep()
    assert (first["claims"], first["sources"], first["articles"]) == (1, 2, 1)
    assert {(name, args) for name, args, _ in sent} == {
        (queue.FETCH_SOURCE, (new_source.pk,)),
        (queue.FETCH_SOURCE, (waited.pk,)),
        (queue.DISCOVER_CLAIM, (pending.pk,)),
        (queue.INGEST_URL, (placeholder.pk,)),
    }
    assert Source.objects.get(pk=rechecked.source_id).status == Source.Status.FETCHING
    assert sweep() == dict.fromkeys(first, 0)  # leased by the first sweep


def _terminate_other_backends() -> int:
    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            [connection.settings_dict["NAME"], connection.connection.info.backend_pid],
        ).fetchall()
    return len(rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates PostgreSQL backends")
def test_a_task_on_a_killed_connection_closes_it_and_retries(celery_worker):
    # Production workers keep their connection between tasks (CELERY_DB_REUSE_MAX).
    fixups = [f.worker_fixup for f in celery_app._fixups if hasattr(f, "worker_fixup")]
    for fixup in fixups:
        fixup.db_reuse_max = 1000
    retries: list[str] = []

    def record(request=None, reason=None, **kwargs) -> None:
        retries.append(f"{request.task}: {reason!r}")

    task_retry.connect(record, weak=False)
    try:
        article = Article.objects.create(title="before", text="x", content_hash="killed")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queue.enqueue("worker.tasks.maintenance.touch_article", article.pk, "first")
        wait_for(lambda: Article.objects.get(pk=article.pk).title == "first")
        assert _terminate_other_backends() >= 1  # the worker's kept connection among them

        queue.enqueue("worker.tasks.maintenance.touch_article", article.pk, "second")

        wait_for(lambda: Article.objects.get(pk=article.pk).title == "second")
        assert len(retries) == 1 and "touch_article" in retries[0], retries
        assert "terminat" in retries[0] or "closed" in retries[0], retries
    finally:
        task_retry.disconnect(record)
        for fixup in fixups:
            fixup.db_reuse_max = None


def test_the_sweep_runs_every_minute_unless_an_editor_chose_otherwise():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from claims.schedules import ensure_periodic_tasks

    def every(name: str) -> tuple[int, str]:
        interval = PeriodicTask.objects.get(name=name).interval
        return interval.every, interval.period

    ten, _ = IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="Requeue stuck work", task=SWEEP, interval=ten)
    ensure_periodic_tasks()  # an install made before: on the former default
    assert every("Requeue stuck work") == (1, IntervalSchedule.MINUTES)

    five, _ = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.filter(name="Requeue stuck work").update(interval=five)
    ensure_periodic_tasks()  # an editor's choice stays
    assert every("Requeue stuck work") == (5, IntervalSchedule.MINUTES)
