"""Plain-data views of articles and claims for commands and tools (stable JSON shapes)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from claims.models import Article, Claim, Evidence, ResearchCandidate

OPEN_RESEARCH = (Claim.Status.PENDING, Claim.Status.RESEARCHING)


def evidence_report(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "url": evidence.source.url,
        "title": (evidence.snapshot.title if evidence.snapshot else "") or evidence.source.title,
        "quote": evidence.quote,
        "stance": evidence.stance,
        "reason": evidence.reason,
        "score": evidence.relevance,
    }


def article_report(article: Article) -> dict[str, Any]:
    """The shape `ingest --json` prints: {"article": {...}, "claims": [{..., "evidence": []}]}."""
    evidence = Evidence.objects.select_related("source", "snapshot").order_by("-relevance")
    claims = article.claims.order_by("start", "pk").prefetch_related(
        Prefetch("evidence", queryset=evidence)
    )
    return {
        "article": {
            "id": article.pk,
            "title": article.title,
            "url": article.url,
            "publisher": article.publisher,
            "author": article.author,
            "published_date": article.published_date.isoformat()
            if article.published_date
            else None,
            "status": article.status,
            "content_hash": article.content_hash,
        },
        "claims": [
            {
                "id": claim.pk,
                "text": claim.text,
                "start": claim.start,
                "end": claim.end,
                "score": claim.score,
                "kind": claim.kind,
                "status": claim.status,
                "evidence": [evidence_report(e) for e in claim.evidence.all()],
            }
            for claim in claims
        ],
    }


def research_pending(article: Article) -> int:
    """How many of the article's claims are still waiting for or under research."""
    return article.claims.filter(status__in=OPEN_RESEARCH).count()


def claim_research_progress(claim: Claim) -> dict[str, int]:
    """{"total", "done", "failed", "pending"}: the claim's candidate sources by state."""
    counts = dict.fromkeys(ResearchCandidate.State.values, 0)
    for state in claim.candidates.values_list("state", flat=True):
        counts[state] += 1
    return {"total": sum(counts.values()), **counts}


def article_progress(article: Article) -> dict[str, int]:
    """Research progress of an article: claims done of all, candidate sources read of all."""
    claims = article.claims.count()
    open_claims = research_pending(article)
    candidates = ResearchCandidate.objects.filter(claim__article=article)
    sources = candidates.count()
    read = candidates.exclude(state=ResearchCandidate.State.PENDING).count()
    return {
        "claims": claims,
        "claims_done": claims - open_claims,
        "sources": sources,
        "sources_read": read,
    }
