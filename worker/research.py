"""Source discovery for one claim: candidates, safe capture, evidence, done."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from claims.models import Claim, Evidence
from claims.services.research import claim_research_finish, claim_research_start
from claims.services.sources import source_get_or_create
from worker.assessment import store_assessment
from worker.capture import capture_source
from worker.queries import build_queries
from worker.search import search_all

logger = logging.getLogger(__name__)

MAX_SEARCH_SOURCES = 5
MAX_ARTICLE_LINKS = 15
RESULTS_PER_QUERY = 5


@dataclass
class Candidate:
    url: str
    found_via: str
    provider: str = ""
    factcheck: dict[str, Any] = field(default_factory=dict)


@dataclass
class ResearchSummary:
    claim_id: int
    started: bool
    candidates: int = 0
    evidence: int = 0
    errors: list[str] = field(default_factory=list)


def collect_candidates(claim: Claim) -> tuple[list[Candidate], list[str]]:
    """Reviewer URLs first, then the article's own links, then search hits."""
    errors: list[str] = []
    seen: set[str] = set()
    candidates: list[Candidate] = []

    def add(candidate: Candidate) -> None:
        if candidate.url not in seen:
            seen.add(candidate.url)
            candidates.append(candidate)

    for evidence in claim.evidence.filter(found_via=Evidence.FoundVia.REVIEWER).select_related(
        "source"
    ):
        add(Candidate(evidence.source.url, Evidence.FoundVia.REVIEWER, "reviewer"))
    for url in (claim.article.links or [])[:MAX_ARTICLE_LINKS]:
        add(Candidate(url, Evidence.FoundVia.ARTICLE_LINK, "article"))

    queries = build_queries(claim.text, claim.kind, claim.features or {})
    results = search_all(queries, limit_per_query=RESULTS_PER_QUERY)
    errors.extend(f"search {name}: {why}" for name, why in results.errors.items())
    kept = 0
    for hit in results:
        if hit.is_factcheck:
            add(Candidate(hit.url, Evidence.FoundVia.FACTCHECK, hit.provider, hit.factcheck))
        elif kept < MAX_SEARCH_SOURCES:
            kept += 1
            add(Candidate(hit.url, Evidence.FoundVia.SEARCH, hit.provider))
    return candidates, errors


def research_claim(claim_id: int) -> ResearchSummary:
    """Finds, captures and assesses sources for a claim. Safe to run again."""
    if not claim_research_start(claim_id=claim_id):
        return ResearchSummary(claim_id, started=False)
    claim = Claim.objects.select_related("article").get(pk=claim_id)
    summary = ResearchSummary(claim_id, started=True)
    try:
        candidates, errors = collect_candidates(claim)
        summary.candidates = len(candidates)
        summary.errors.extend(errors)
        for candidate in candidates:
            if assess_candidate(claim, candidate, summary):
                summary.evidence += 1
    finally:
        claim_research_finish(
            claim_id=claim_id, sources_found=summary.evidence, errors=summary.errors
        )
    return summary


def assess_candidate(claim: Claim, candidate: Candidate, summary: ResearchSummary) -> bool:
    try:
        source, _ = source_get_or_create(url=candidate.url)
    except ValidationError:
        summary.errors.append(f"{candidate.url}: not a web address")
        return False
    outcome = capture_source(source)
    if outcome.snapshot is None and not candidate.factcheck:
        reason = outcome.error.reason if outcome.error else "no snapshot"
        summary.errors.append(f"{source.url}: {reason}")
        return False
    evidence = store_assessment(
        claim=claim,
        source=source,
        snapshot=outcome.snapshot,
        found_via=candidate.found_via,
        provider=candidate.provider,
        factcheck=candidate.factcheck,
        keep_weak=candidate.found_via == Evidence.FoundVia.REVIEWER,
    )
    return evidence is not None
