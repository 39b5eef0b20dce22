"""Tasks that keep the service itself healthy."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from claims.services.rechecks import stuck_work_requeue

# Longer than the task time limits, so work still running is never queued twice.
CLAIMS_STUCK_AFTER = dt.timedelta(minutes=20)  # research: soft limit 10 min
SOURCES_STUCK_AFTER = dt.timedelta(minutes=20)  # a re-check batch: hard limit 16 min
ARTICLES_STUCK_AFTER = dt.timedelta(minutes=15)  # ingest: hard limit 2.5 min, 3 retries
ARTICLES_GIVE_UP_AFTER = dt.timedelta(hours=6)


@shared_task(name="worker.tasks.maintenance.ping")
def ping() -> str:
    """Answers 'pong': lets health checks and tests see a worker consume the queue."""
    return "pong"


@shared_task(name="worker.tasks.maintenance.touch_article")
def touch_article(article_id: int, title: str) -> None:
    """Diagnostics: sets an article's title, proving the worker reaches the database."""
    from claims.models import Article

    Article.objects.filter(pk=article_id).update(title=title)


@shared_task(name="worker.tasks.maintenance.sweep_stuck", soft_time_limit=120, time_limit=180)
def sweep_stuck() -> dict[str, int]:
    """Queues again work that was queued or started but never finished (lost broker
    queue, killed worker): claims stuck researching, sources stuck fetching, articles
    stuck processing."""
    return stuck_work_requeue(
        now=timezone.now(),
        claims_after=CLAIMS_STUCK_AFTER,
        sources_after=SOURCES_STUCK_AFTER,
        articles_after=ARTICLES_STUCK_AFTER,
        articles_give_up=ARTICLES_GIVE_UP_AFTER,
    ).as_dict()
