"""Articles from URLs: fetched safely, main text and metadata extracted, then ingested."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from claims.models import Article
from claims.services.articles import article_fail, article_ingest_text
from worker.fetching import FetchError, extract_document, fetch


def ingest_url_into(article: Article, *, research: bool = True) -> Article:
    """Fills a placeholder article from its URL. Transient fetch errors propagate for retry."""
    try:
        result = fetch(article.url)
        document = extract_document(result.body, result.content_type, result.final_url)
    except FetchError as exc:
        if exc.transient:
            raise
        article_fail(article=article, reason=f"Could not fetch the article: {exc.reason}")
        return Article.objects.get(pk=article.pk)
    if not (document.text or "").strip():
        article_fail(article=article, reason="No main text found on that page.")
        return Article.objects.get(pk=article.pk)
    title = article.title if article.title and article.title != article.url else ""
    try:
        return article_ingest_text(
            text=document.text,
            title=title or document.title or "",
            url=result.final_url,
            publisher=document.publisher or "",
            author=document.author or "",
            published_date=document.published_date,
            links=list(document.links),
            research=research,
            into=article,
        )
    except ValidationError as exc:
        article_fail(article=article, reason="; ".join(exc.messages))
        return Article.objects.get(pk=article.pk)


def ingest_url_now(url: str, *, title: str = "", research: bool = True) -> Article:
    """Fetches and ingests a URL in this process (the command line's path)."""
    result = fetch(url)
    document = extract_document(result.body, result.content_type, result.final_url)
    if not (document.text or "").strip():
        raise ValidationError("No main text found on that page.")
    return article_ingest_text(
        text=document.text,
        title=title or document.title or "",
        url=result.final_url,
        publisher=document.publisher or "",
        author=document.author or "",
        published_date=document.published_date,
        links=list(document.links),
        research=research,
    )
