"""Test rows, built in one place: factory_boy factories and the few builders tests call.

The factories know each model's defaults; the `make_*` functions place rows the way tests
need them (a claim at a sentence or a phrase of its article, evidence with its snapshot).
Two scenes share them: the API/admin/publishing tests (`make_article`, three plain
sentences) and the reviewer UI tests (`make_ui_article`: a heading, sentences rows and
page furniture, with `make_ui_evidence`'s defence report).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Article, Claim, ClaimEvent, Evidence, Review, Sentence, Snapshot, Source

ARTICLE_TEXT = (
    "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia. "
    "The army fields at least 600 MLRS units. "
    "Defense spending grows 15-20% a year."
)
UI_ARTICLE_TEXT = (
    "Arms deals\n"
    "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2023. "
    "This trajectory reflects a broader shift. "
    "The army fields at least 600 MLRS units, including 100 guided systems.\n"
    "Share it"
)
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article

    url = "https://news.example.com/analysis"
    title = "Azerbaijan's artillery build-up"
    publisher = "Example News"
    author = "Jane Doe"
    published_date = dt.date(2024, 3, 1)
    text = ARTICLE_TEXT
    content_hash = factory.Sequence(lambda n: f"hash-{n}")


class SentenceFactory(DjangoModelFactory):
    class Meta:
        model = Sentence

    article = factory.SubFactory(ArticleFactory)
    index = factory.Sequence(int)
    start = 0
    end = factory.LazyAttribute(lambda s: s.start + len(s.text))
    text = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia."
    score = 0.2


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    text = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia"
    start = 0
    end = factory.LazyAttribute(lambda c: c.start + len(c.text))
    score = 0.9
    kind = Claim.Kind.QUANTITY
    status = Claim.Status.NEEDS_REVIEW


class ClaimEventFactory(DjangoModelFactory):
    class Meta:
        model = ClaimEvent

    claim = factory.SubFactory(ClaimFactory)
    kind = ClaimEvent.Kind.EXTRACTED
    message = "Extracted"


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("url",)

    url = "https://sipri.example.org/report"
    domain = factory.LazyAttribute(lambda s: s.url.split("/")[2])
    title = "Report"


class SnapshotFactory(DjangoModelFactory):
    class Meta:
        model = Snapshot

    source = factory.SubFactory(SourceFactory)
    fetched_at = factory.LazyFunction(timezone.now)
    http_status = 200
    final_url = factory.LazyAttribute(lambda s: s.source.url)
    text = "Serbia delivered 48 Nora B-52 howitzers."
    content_hash = factory.Sequence(lambda n: f"sha-{n}")
    title = "SIPRI report"
    raw_body = factory.LazyAttribute(lambda s: Snapshot.compress(f"<p>{s.text}</p>".encode()))


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    snapshot = factory.SubFactory(SnapshotFactory)
    source = factory.LazyAttribute(lambda e: e.snapshot.source)
    quote = "Serbia delivered 48 Nora B-52 howitzers."
    relevance = 0.8
    stance = Evidence.Stance.SUPPORTS
    reason = "48 = 48"
    found_via = Evidence.FoundVia.SEARCH


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    claim = factory.SubFactory(ClaimFactory)
    verdict = "verified"
    rationale = "SIPRI's transfer register lists the delivery."
    claim_version = factory.LazyAttribute(lambda r: r.claim.version)
    # What the verdict was given on: the claim as it read then.
    claim_text = factory.LazyAttribute(lambda r: r.claim.text)
    claim_kind = factory.LazyAttribute(lambda r: r.claim.kind)


# --- Builders the tests call -------------------------------------------------------------


def make_article(**overrides) -> Article:
    """An article with metadata (url, publisher, author, date) and three plain sentences."""
    return ArticleFactory(**overrides)


def make_ui_article(text: str = UI_ARTICLE_TEXT, title: str = "Arms deals") -> Article:
    """An article with its Sentence rows, headings and page furniture marked, as the reader
    sees it (no extraction run)."""
    # Pasted text: no address, publisher, author or date.
    article = ArticleFactory(
        title=title,
        text=text,
        content_hash=sha256(text),
        url="",
        publisher="",
        author="",
        published_date=None,
    )
    pos = 0
    for index, sentence_text in enumerate(_split(text)):
        start = text.index(sentence_text, pos)
        pos = start + len(sentence_text)
        SentenceFactory(
            article=article,
            index=index,
            start=start,
            text=sentence_text,
            is_heading=sentence_text in ("Arms deals", "Share it"),
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


def make_claim(article: Article, at: int | str = 0, **overrides) -> Claim:
    """A claim of `article`: its `at`-th ". "-separated sentence (an int), or the phrase `at`
    (a str) linked to the sentence row holding it; extracted, so it has its first event."""
    if isinstance(at, str):
        start = article.text.index(at)
        values = {
            "text": at,
            "start": start,
            "sentence": article.sentences.filter(start__lte=start, end__gte=start + len(at))
            .order_by("index")
            .first(),
            "score": 0.8,
        }
    else:
        sentences = article.text.split(". ")
        start = sum(len(s) + 2 for s in sentences[:at])
        text = sentences[at].rstrip(".")
        values = {"text": text, "start": start, "score": 0.9 - at / 10}
    values.update(overrides)
    claim = ClaimFactory(article=article, **values)
    if isinstance(at, str):
        ClaimEventFactory(claim=claim)
    return claim


def make_evidence(
    claim: Claim,
    url: str = "https://sipri.example.org/report",
    *,
    text: str = "Serbia delivered 48 Nora B-52 howitzers.",
    title: str = "SIPRI report",
    fetched: bool = True,
    **fields,
) -> Evidence:
    """Evidence for `claim` from `url`, quoting `text` of a stored snapshot (none when
    fetched=False: a source still waiting for its fetch)."""
    source = SourceFactory(url=url, title=fields.pop("source_title", "Report"))
    snapshot = None
    if fetched:
        snapshot = SnapshotFactory(source=source, text=text, title=title)
    quote = fields.pop("quote", text)
    start = text.find(quote)
    values = {
        "quote": quote,
        "quote_start": start if start >= 0 else None,
        "quote_end": start + len(quote) if start >= 0 else None,
        **fields,
    }
    return EvidenceFactory(claim=claim, source=source, snapshot=snapshot, **values)


def make_ui_evidence(
    claim: Claim,
    *,
    url: str = "https://example.org/report",
    text: str = "Serbia delivered 48 Nora B-52NG howitzers to Azerbaijan.",
    title: str = "Defence report",
    reason: str = "Same number of howitzers",
    fetched: bool = True,
    **fields,
) -> Evidence:
    """The UI scene's evidence: a defence report, fetched, its source marked read."""
    evidence = make_evidence(
        claim,
        url,
        text=text,
        title=title,
        source_title=title,
        reason=reason,
        fetched=fetched,
        relevance=0.9,
        **fields,
    )
    if fetched:
        Source.objects.filter(pk=evidence.source_id).update(status=Source.Status.OK)
        evidence.source.refresh_from_db()
    return evidence


def make_review(claim: Claim, reviewer, verdict: str = "verified", evidence=(), **overrides):
    """A verdict on `claim` citing `evidence`; the claim takes the verdict's status."""
    review = ReviewFactory(claim=claim, reviewer=reviewer, verdict=verdict, **overrides)
    review.evidence.set(evidence)
    Claim.objects.filter(pk=claim.pk).update(status=verdict)
    claim.refresh_from_db()
    return review


def api_client(user=None, token: bool = True) -> APIClient:
    """A REST client signed in as `user` with a token (or a session, token=False)."""
    client = APIClient()
    if user is not None:
        if token:
            client.credentials(
                HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
            )
        else:
            client.force_login(user)
    return client


def make_published(reviewer, editor, rationale: str = "SIPRI lists 48."):
    """An article whose first claim was verified on one piece of evidence and published:
    (article, claim, evidence), the claim fresh from the database."""
    from claims.services.publishing import article_publish
    from claims.services.reviews import claim_record_verdict

    article = make_article()
    claim = make_claim(article, 0)
    evidence = make_evidence(claim)
    claim_record_verdict(
        claim=claim,
        reviewer=reviewer,
        verdict="verified",
        rationale=rationale,
        evidence=[evidence],
        version=claim.version,
    )
    article_publish(article=article, editor=editor)
    claim.refresh_from_db()
    return article, claim, evidence
