"""Submitting an article from the UI: a URL (fetched by the worker), pasted text or a file."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import queue
from claims.models import Article
from claims.services.sources import clean_source_url

INGEST_URL = "worker.tasks.discovery.ingest_url"


@transaction.atomic
def article_submit_url(*, url: str, created_by: AbstractBaseUser | None) -> Article:
    """An article to fetch in the background; the page shows it as processing until then.

    The same URL submitted again returns the article already stored (unless that failed).
    """
    try:
        canonical = clean_source_url(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from exc
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
        title=canonical[:500],
        text="",
        content_hash="",
        status=Article.Status.PROCESSING,
        created_by=created_by,
    )
    queue.enqueue(INGEST_URL, article.pk)
    return article


def article_submit(
    *,
    created_by: AbstractBaseUser | None,
    url: str = "",
    text: str = "",
    data: bytes | None = None,
    title: str = "",
) -> Article:
    """One entry point for the three ways to give us an article."""
    if url:
        return article_submit_url(url=url, created_by=created_by)
    # Imported here: extraction is heavy and only needed for text submissions.
    from claims.services.articles import article_ingest_text, decode_article_bytes

    if data is not None:
        text = decode_article_bytes(data)
    return article_ingest_text(text=text, title=title, created_by=created_by)
