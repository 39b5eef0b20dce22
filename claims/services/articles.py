"""Writing articles: ingestion of text, its sentences and its claims, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims import queue
from claims.models import Article, Claim, ClaimEvent, Sentence
from claims.services.matching import claim_match_keys, claims_match
from claims.services.sources import clean_source_url
from language.extraction import extract_article
from language.extraction.metadata import ArticleHead, is_metadata_line, read_head
from language.storable import storable_text

MAX_ARTICLE_CHARS = 2_000_000


def text_content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_article_bytes(data: bytes) -> str:
    """UTF-8 first; otherwise the detected encoding. Binary data is refused."""
    if b"\x00" in data[:65536]:
        raise ValidationError("This looks like a binary file, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValidationError("Could not detect the text encoding of this file.")
    return str(best)


def validate_article_text(text: str) -> str:
    """Normalises line endings, removes what PostgreSQL cannot store (NUL) and refuses
    text that cannot be an article."""
    text = storable_text(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ValidationError("The article text is empty.")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ValidationError(
            f"The article is too long ({len(text):,} characters; the limit is "
            f"{MAX_ARTICLE_CHARS:,})."
        )
    controls = sum(
        1 for ch in text[:100_000] if unicodedata.category(ch) == "Cc" and ch not in "\n\t"
    )
    if controls > 0.01 * min(len(text), 100_000):
        raise ValidationError("This looks like binary data, not text.")
    return text


def _default_title(text: str) -> str:
    """The first line that is not metadata (a URL, a byline, a "Date:" header)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first_line = next((line for line in lines if not is_metadata_line(line)), "")
    return (first_line or (lines[0] if lines else ""))[:200]


def _head_url(head: ArticleHead) -> str:
    if not head.url:
        return ""
    try:
        return clean_source_url(head.url)
    except ValidationError:
        return ""  # a malformed URL in the text is not the article's address


@transaction.atomic
def article_ingest_text(
    *,
    text: str,
    title: str = "",
    url: str = "",
    publisher: str = "",
    author: str = "",
    published_date: dt.date | None = None,
    links: list[str] | None = None,
    created_by: AbstractBaseUser | None = None,
    threshold: float | None = None,
    research: bool = True,
    into: Article | None = None,
) -> Article:
    """Stores an article with every sentence and its claims; queues research for the claims.

    The same text ingested again returns the article already stored. `into` fills a
    placeholder created by article_submit_url instead of creating a row.
    """
    text = validate_article_text(text)
    content_hash = text_content_hash(text)
    if into is None:
        existing = Article.objects.filter(content_hash=content_hash).order_by("created_at").first()
        if existing is not None:
            return existing

    threshold = settings.FACTCHECK_CHECKWORTHY_THRESHOLD if threshold is None else threshold
    extraction = extract_article(text, threshold=threshold)
    cap = settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE
    extracted = list(extraction.claims)
    kept = extracted[:cap]  # in the article's order
    notice = (
        f"First {cap} claims kept: {len(extracted):,} were found, over the limit of {cap}."
        if len(extracted) > cap
        else ""
    )

    # What the caller did not give, the article's own head may say (a URL first line,
    # "Title:/Publisher:/Date:" headers).
    head = read_head(text)
    values = {
        "url": storable_text(url) or _head_url(head),
        "title": storable_text(title or head.title or _default_title(text))[:500],
        "publisher": storable_text(publisher or head.publisher)[:300],
        "author": storable_text(author or head.author)[:300],
        "published_date": published_date or head.published_date,
        "text": text,
        "content_hash": content_hash,
        "links": [storable_text(link) for link in links or []],
        "status": Article.Status.READY,
        "failure_reason": "",
        "notice": notice,
    }
    if into is None:
        article = Article.objects.create(created_by=created_by, **values)
    else:
        article = Article.objects.select_for_update().get(pk=into.pk)
        if article.status != Article.Status.PROCESSING:
            return article  # already filled: a redelivered task must not add claims twice
        for field, value in values.items():
            setattr(article, field, value)
        article.save()
        created_by = article.created_by
    sentences = Sentence.objects.bulk_create(
        [
            Sentence(
                article=article,
                index=s.index,
                start=s.start,
                end=s.end,
                text=s.text,
                score=round(s.score, 4),
                reasons=list(s.reasons),
                is_heading=s.is_heading or s.is_furniture,
            )
            for s in extraction.sentences
        ]
    )
    by_index = {s.index: s for s in sentences}
    queued_at = timezone.now() if research else None
    claims = Claim.objects.bulk_create(
        [
            Claim(
                article=article,
                sentence=by_index.get(c.sentence_index),
                text=c.text,
                start=c.start,
                end=c.end,
                score=round(c.score, 4),
                reasons=list(c.reasons),
                kind=c.kind,
                features=c.features(),
                origin=Claim.Origin.EXTRACTED,
                research_queued_at=queued_at,
                match_keys=claim_match_keys(c.text),
            )
            for c in kept
        ]
    )
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(
                claim=claim,
                kind=ClaimEvent.Kind.EXTRACTED,
                actor=created_by,
                message=f"Extracted with check-worthiness {claim.score:.2f}",
                data={"reasons": claim.reasons},
            )
            for claim in claims
        ]
    )
    claims_match(claims=claims, new=True)  # checked before? (no network: the database's index)
    if research:
        claims_queue_research(claim_ids=[claim.pk for claim in claims])
    return article


def claims_queue_research(*, claim_ids: list[int]) -> None:
    """Queues the claims' research in batches (FACTCHECK_RESEARCH_BATCH per message): a
    long article costs the request a few messages, and the worker fans them out."""
    size = max(1, settings.FACTCHECK_RESEARCH_BATCH)
    for start in range(0, len(claim_ids), size):
        queue.enqueue(queue.DISCOVER_CLAIMS, claim_ids[start : start + size])


def article_submit_text(
    *,
    text: str,
    title: str = "",
    url: str = "",
    publisher: str = "",
    author: str = "",
    published_date: dt.date | None = None,
    created_by: AbstractBaseUser | None = None,
) -> Article:
    """An article from text given on the web or the API.

    Text up to FACTCHECK_INLINE_ARTICLE_CHARS is read at once; longer text is stored as a
    placeholder (processing) that a worker fills with its sentences and claims, so a long
    article never holds a web thread. `manage.py ingest` calls article_ingest_text itself.
    """
    text = validate_article_text(text)
    metadata = {
        "title": title,
        "url": url,
        "publisher": publisher,
        "author": author,
        "published_date": published_date,
    }
    if len(text) <= settings.FACTCHECK_INLINE_ARTICLE_CHARS:
        return article_ingest_text(text=text, created_by=created_by, **metadata)
    with transaction.atomic():
        content_hash = text_content_hash(text)
        existing = Article.objects.filter(content_hash=content_hash).order_by("created_at").first()
        if existing is not None:
            return existing
        article = Article.objects.create(
            url=storable_text(url),
            # Only what the submitter gave: the worker reads the rest from the text's head.
            title=storable_text(title)[:500],
            publisher=storable_text(publisher)[:300],
            author=storable_text(author)[:300],
            published_date=published_date,
            text=text,
            content_hash=content_hash,
            status=Article.Status.PROCESSING,
            queued_at=timezone.now(),
            created_by=created_by,
        )
        queue.enqueue(queue.INGEST_TEXT, article.pk)
    return article


def article_ingest_placeholder(*, article: Article, research: bool = True) -> Article:
    """Fills a text placeholder (article_submit_text) with its sentences and claims."""
    return article_ingest_text(
        text=article.text,
        title=article.title,
        url=article.url,
        publisher=article.publisher,
        author=article.author,
        published_date=article.published_date,
        links=list(article.links or []),
        research=research,
        into=article,
    )


@transaction.atomic
def article_submit_url(
    *, url: str, title: str = "", created_by: AbstractBaseUser | None = None, research: bool = True
) -> Article:
    """A placeholder article for a URL; a worker fetches it safely and fills it in.

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
        title=title[:500] or canonical[:500],
        text="",
        content_hash="",
        status=Article.Status.PROCESSING,
        queued_at=timezone.now(),
        created_by=created_by,
    )
    queue.enqueue(queue.INGEST_URL, article.pk, research=research)
    return article


def article_fail(*, article: Article, reason: str) -> None:
    """A URL that could not be ingested: the article shows why."""
    Article.objects.filter(pk=article.pk, status=Article.Status.PROCESSING).update(
        status=Article.Status.FAILED, failure_reason=reason[:300]
    )


def article_llm_call_spend(*, claim_id: int, budget: int) -> bool:
    """Takes one LLM call from the budget of the claim's article; False once it is spent.

    One conditional UPDATE, so workers scoring the article's sources at once never
    overspend it together.
    """
    spent = Article.objects.filter(claims__id=claim_id, llm_calls__lt=budget).update(
        llm_calls=F("llm_calls") + 1
    )
    return bool(spent)
