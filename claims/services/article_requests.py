"""Writing article requests by URL: a placeholder article the worker fills in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import queue
from claims.models import Article
from claims.services.sources import clean_source_url

# The worker fetches the page, extracts its text and fills the placeholder article:
# kwargs article_id (int), url (str, canonical), user_id (int | None).
INGEST_URL = "worker.tasks.discovery.ingest_url"


def clean_article_url(url: str) -> str:
    """The canonical article URL, or a ValidationError on the `url` field."""
    try:
        return clean_source_url(url)
    except ValueError as exc:  # urlsplit on a malformed address (e.g. "http://[::1")
        raise ValidationError({"url": "That is not a valid web address."}) from exc


@transaction.atomic
def article_request_url(*, url: str, created_by: AbstractBaseUser | None) -> Article:
    """Queues fetching and extracting an article from its URL; returns the article to poll.

    The same URL requested again while it is processing, or after it succeeded, returns the
    article already there.
    """
    canonical = clean_article_url(url)
    existing = (
        Article.objects.filter(url=canonical)
        .exclude(status=Article.Status.FAILED)
        .order_by("created_at")
        .first()
    )
    if existing is not None:
        return existing
    article = Article.objects.create(
        url=canonical,
        text="",
        content_hash="",
        status=Article.Status.PROCESSING,
        created_by=created_by,
    )
    queue.enqueue(
        INGEST_URL,
        article_id=article.pk,
        url=canonical,
        user_id=getattr(created_by, "pk", None),
    )
    return article
