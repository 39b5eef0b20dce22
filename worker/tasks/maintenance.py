"""Tasks that keep the service itself healthy."""

from celery import shared_task


@shared_task(name="worker.tasks.maintenance.ping")
def ping() -> str:
    """Answers 'pong': lets health checks and tests see a worker consume the queue."""
    return "pong"


@shared_task(name="worker.tasks.maintenance.touch_article")
def touch_article(article_id: int, title: str) -> None:
    """Diagnostics: sets an article's title, proving the worker reaches the database."""
    from claims.models import Article

    Article.objects.filter(pk=article_id).update(title=title)
