"""Discovery queue: articles from URLs and the planning of each claim's research."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from claims import queue
from claims.models import Article, Claim
from claims.services.articles import article_fail, article_ingest_placeholder
from worker import discover
from worker.fetching import FetchError
from worker.ingest import ingest_url_into


@shared_task(
    name="worker.tasks.discover.ingest_url",
    bind=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def ingest_url(self, article_id: int, research: bool = True) -> None:
    article = Article.objects.filter(pk=article_id, status=Article.Status.PROCESSING).first()
    if article is None:
        return  # gone, or already filled by an earlier delivery
    try:
        ingest_url_into(article, research=research)
    except FetchError as exc:
        if self.request.retries >= self.max_retries:
            article_fail(article=article, reason=f"Could not fetch the article: {exc.reason}")
            return
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc
    except SoftTimeLimitExceeded:
        article_fail(article=article, reason="Fetching the article took too long.")


@shared_task(name="worker.tasks.discover.discover_claim", soft_time_limit=120, time_limit=150)
def discover_claim(claim_id: int) -> None:
    if Claim.objects.filter(pk=claim_id).exists():
        discover.discover_claim(claim_id)


@shared_task(name=queue.DISCOVER_CLAIMS, soft_time_limit=60, time_limit=90)
def discover_claims(claim_ids: list[int]) -> None:
    """A batch planned by the article: one discover task per claim, on this queue."""
    for claim_id in claim_ids:
        queue.enqueue(queue.DISCOVER_CLAIM, claim_id)


@shared_task(name=queue.INGEST_TEXT, soft_time_limit=120, time_limit=150)
def ingest_text(article_id: int, research: bool = True) -> None:
    """Sentences and claims of a long text submitted on the web or the API."""
    article = Article.objects.filter(pk=article_id, status=Article.Status.PROCESSING).first()
    if article is None:
        return  # gone, or already filled by an earlier delivery
    try:
        article_ingest_placeholder(article=article, research=research)
    except SoftTimeLimitExceeded:
        article_fail(article=article, reason="Reading the article took too long.")
