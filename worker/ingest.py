"""Articles from URLs: fetched safely, main text and metadata extracted, then ingested."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from claims.models import Article
from claims.services.articles import article_fail, article_ingest_text
from worker.fetching import FetchError, extract_document, fetch


def _fetch_and_ingest(
    url: str, *, title: str, research: bool, into: Article | None = None
) -> Article:
    """Raises FetchError when the page cannot be fetched, ValidationError when it holds no
    article text."""
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
        into=into,
    )


def ingest_url_into(article: Article, *, research: bool = True) -> Article:
    """Fills a placeholder article from its URL. Transient fetch errors propagate for retry."""
    # A title the submitter gave wins over the page's; the URL stands in until then.
    title = article.title if article.title and article.title != article.url else ""
    try:
        return _fetch_and_ingest(article.url, title=title, research=research, into=article)
    except FetchError as exc:
        if exc.transient:
            raise
        reason = f"Could not fetch the article: {exc.reason}"
    except ValidationError as exc:
        reason = "; ".join(exc.messages)
    article_fail(article=article, reason=reason)
    return Article.objects.get(pk=article.pk)


def ingest_url_now(url: str, *, title: str = "", research: bool = True) -> Article:
    """Fetches and ingests a URL in this process (the command line's path)."""
    return _fetch_and_ingest(url, title=title, research=research)
