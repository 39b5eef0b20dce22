"""Data builders shared by the UI tests (rows written directly: no extraction needed)."""

from __future__ import annotations

import hashlib

from django.utils import timezone

from claims.models import Article, Claim, ClaimEvent, Evidence, Snapshot, Source

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'

ARTICLE_TEXT = (
    "Arms deals\n"
    "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2023. "
    "This trajectory reflects a broader shift. "
    "The army fields at least 600 MLRS units, including 100 guided systems.\n"
    "Share it"
)


def make_article(text: str = ARTICLE_TEXT, title: str = "Arms deals") -> Article:
    """An article with its sentences and two claims at exact offsets."""
    from claims.models import Sentence

    article = Article.objects.create(
        title=title, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest()
    )
    spans = []
    pos = 0
    for index, sentence_text in enumerate(_split(text)):
        start = text.index(sentence_text, pos)
        end = start + len(sentence_text)
        pos = end
        spans.append(
            Sentence.objects.create(
                article=article,
                index=index,
                start=start,
                end=end,
                text=sentence_text,
                score=0.2,
                is_heading=sentence_text in ("Arms deals", "Share it"),
            )
        )
    return article


def _split(text: str) -> list[str]:
    parts = []
    for line in text.split("\n"):
        chunk = line
        while chunk:
            cut = chunk.find(". ")
            if cut == -1:
                parts.append(chunk)
                break
            parts.append(chunk[: cut + 1])
            chunk = chunk[cut + 2 :]
    return parts


def make_claim(
    article: Article,
    phrase: str,
    *,
    status: str = Claim.Status.NEEDS_REVIEW,
    score: float = 0.8,
    assignee=None,
) -> Claim:
    start = article.text.index(phrase)
    sentence = article.sentences.filter(start__lte=start, end__gte=start + len(phrase)).first()
    claim = Claim.objects.create(
        article=article,
        sentence=sentence,
        text=phrase,
        start=start,
        end=start + len(phrase),
        score=score,
        status=status,
        assignee=assignee,
    )
    ClaimEvent.objects.create(claim=claim, kind=ClaimEvent.Kind.EXTRACTED, message="Extracted")
    return claim


def make_evidence(
    claim: Claim,
    *,
    url: str = "https://example.org/report",
    text: str = "Serbia delivered 48 Nora B-52NG howitzers to Azerbaijan.",
    quote: str | None = None,
    stance: str = Evidence.Stance.SUPPORTS,
    title: str = "Defence report",
    reason: str = "Same number of howitzers",
    fetched: bool = True,
) -> Evidence:
    source, _ = Source.objects.get_or_create(
        url=url, defaults={"domain": url.split("/")[2], "title": title}
    )
    snapshot = None
    if fetched:
        snapshot = Snapshot.objects.create(
            source=source,
            fetched_at=timezone.now(),
            http_status=200,
            final_url=url,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            title=title,
            text=text,
            raw_body=Snapshot.compress(b"<html><body>" + text.encode() + b"</body></html>"),
        )
        Source.objects.filter(pk=source.pk).update(status=Source.Status.OK)
    quote = text if quote is None else quote
    start = text.find(quote)
    return Evidence.objects.create(
        claim=claim,
        source=source,
        snapshot=snapshot,
        quote=quote,
        quote_start=start if start >= 0 else None,
        quote_end=start + len(quote) if start >= 0 else None,
        relevance=0.9,
        stance=stance,
        reason=reason,
        found_via=Evidence.FoundVia.SEARCH,
    )
