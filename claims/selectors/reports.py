"""Plain-data views of articles and claims for commands and tools (stable JSON shapes)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from claims.models import Article, Evidence
from claims.selectors.article import research_warnings
from claims.selectors.matches import claim_match_reports, shown_matches_prefetch


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
    """The shape `ingest --json` prints: {"article": {...}, "claims": [{..., "evidence": []}],
    "warnings": [{"provider", "error", "claims": [ids]}]} (warnings: search providers that
    could not answer)."""
    evidence = Evidence.objects.select_related("source", "snapshot").order_by("-relevance")
    claims = article.claims.order_by("start", "pk").prefetch_related(
        Prefetch("evidence", queryset=evidence), shown_matches_prefetch()
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
                "matches": claim_match_reports(claim),
            }
            for claim in claims
        ],
        "warnings": research_warnings(article=article),
    }
