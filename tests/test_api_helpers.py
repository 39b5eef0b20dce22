"""Test data for the admin, API and publishing tests, made with the ORM directly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Article, Claim, Evidence, Review, Snapshot, Source

ARTICLE_TEXT = (
    "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia. "
    "The army fields at least 600 MLRS units. "
    "Defense spending grows 15-20% a year."
)


def make_article(**overrides) -> Article:
    values = {
        "url": "https://news.example.com/analysis",
        "title": "Azerbaijan's artillery build-up",
        "publisher": "Example News",
        "author": "Jane Doe",
        "published_date": dt.date(2024, 3, 1),
        "text": ARTICLE_TEXT,
        "content_hash": f"hash-{Article.objects.count()}",
    }
    values.update(overrides)
    return Article.objects.create(**values)


def make_claim(article: Article, index: int = 0, **overrides) -> Claim:
    sentences = article.text.split(". ")
    start = sum(len(s) + 2 for s in sentences[:index])
    text = sentences[index].rstrip(".")
    values = {
        "article": article,
        "text": text,
        "start": start,
        "end": start + len(text),
        "score": 0.9 - index / 10,
        "kind": Claim.Kind.QUANTITY,
        "status": Claim.Status.NEEDS_REVIEW,
    }
    values.update(overrides)
    return Claim.objects.create(**values)


def make_evidence(claim: Claim, url: str = "https://sipri.example.org/report", **overrides):
    source, _ = Source.objects.get_or_create(
        url=url, defaults={"domain": url.split("/")[2], "title": "Report"}
    )
    snapshot = Snapshot.objects.create(
        source=source,
        fetched_at=timezone.now(),
        http_status=200,
        final_url=url,
        content_hash=f"sha-{Snapshot.objects.count()}",
        title="SIPRI report",
        text="Serbia delivered 48 Nora B-52 howitzers.",
        raw_body=Snapshot.compress(b"<p>Serbia delivered 48 Nora B-52 howitzers.</p>"),
    )
    values = {
        "claim": claim,
        "source": source,
        "snapshot": snapshot,
        "quote": "Serbia delivered 48 Nora B-52 howitzers.",
        "relevance": 0.8,
        "stance": Evidence.Stance.SUPPORTS,
        "reason": "48 = 48",
        "found_via": Evidence.FoundVia.SEARCH,
    }
    values.update(overrides)
    return Evidence.objects.create(**values)


def make_review(claim: Claim, reviewer, verdict: str = "verified", evidence=(), **overrides):
    review = Review.objects.create(
        claim=claim,
        reviewer=reviewer,
        verdict=verdict,
        rationale=overrides.pop("rationale", "SIPRI's transfer register lists the delivery."),
        claim_version=claim.version,
        claim_text=claim.text,
        claim_kind=claim.kind,
        **overrides,
    )
    review.evidence.set(evidence)
    Claim.objects.filter(pk=claim.pk).update(status=verdict)
    claim.refresh_from_db()
    return review


def api_client(user=None, token: bool = True) -> APIClient:
    client = APIClient()
    if user is not None:
        if token:
            client.credentials(
                HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
            )
        else:
            client.force_login(user)
    return client


@pytest.mark.django_db
def test_helpers_build_a_reviewed_claim(reviewer):
    claim = make_claim(make_article())
    evidence = make_evidence(claim)
    review = make_review(claim, reviewer, evidence=[evidence])
    assert claim.article.text[claim.start : claim.end] == claim.text
    assert claim.status == "verified" and list(review.evidence.all()) == [evidence]
