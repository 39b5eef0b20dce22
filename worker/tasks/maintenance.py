"""Tasks that keep the service itself healthy."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from claims.services.recovery import stuck_work_requeue

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
    queue, killed worker): see claims.services.recovery. Beat sends it every minute."""
    stuck_after = dt.timedelta(seconds=settings.FACTCHECK_STUCK_AFTER_SECONDS)
    # A re-check batch holds its sources (fetching) for up to its time limit.
    longest = dt.timedelta(seconds=settings.FACTCHECK_LONGEST_TASK_SECONDS)
    return stuck_work_requeue(
        now=timezone.now(),
        stuck_after=stuck_after,
        fetch_stuck_after=max(stuck_after, longest + dt.timedelta(seconds=30)),
        articles_give_up=ARTICLES_GIVE_UP_AFTER,
    ).as_dict()
