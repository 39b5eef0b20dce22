"""Source discovery for one claim: candidate sources from every provider, then fan-out.

discover_claim plans the work; each candidate source is fetched by its own task on the
fetch queue (fetch_and_score), which scores it for the claims that wanted it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from claims import queue, sql
from claims.models import Claim, Evidence, ResearchCandidate, Snapshot, Source
from claims.selectors.sources import candidates_to_score
from claims.services.research import (
    CandidateSpec,
    candidate_settle,
    claim_research_plan,
    claim_research_start,
)
from language.queries import build_queries
from worker.fetch import FetchOutcome, fetch_source
from worker.fetching import FetchError
from worker.score import SnapshotScore, score_claims, store_snapshot_score
from worker.search import search_all

logger = logging.getLogger(__name__)

MAX_SEARCH_SOURCES = 5
MAX_ARTICLE_LINKS = 15
RESULTS_PER_QUERY = 5


@dataclass
class DiscoverySummary:
    claim_id: int
    started: bool
    queued: int = 0
    problems: int = 0


def collect_candidates(claim: Claim) -> tuple[list[CandidateSpec], list[str], dict[str, str]]:
    """Reviewer URLs first, then the article's own links, then search hits.

    Also returns other problems and the search providers that failed (name -> why).
    """
    problems: list[str] = []
    seen: set[str] = set()
    candidates: list[CandidateSpec] = []

    def add(spec: CandidateSpec) -> None:
        if spec.url not in seen:
            seen.add(spec.url)
            candidates.append(spec)

    reviewer_sources = claim.evidence.filter(found_via=Evidence.FoundVia.REVIEWER)
    for evidence in reviewer_sources.select_related("source"):
        add(CandidateSpec(evidence.source.url, Evidence.FoundVia.REVIEWER, "reviewer"))
    for url in (claim.article.links or [])[:MAX_ARTICLE_LINKS]:
        add(CandidateSpec(url, Evidence.FoundVia.ARTICLE_LINK, "article"))

    queries = build_queries(claim.text, claim.kind, claim.features or {})
    results = search_all(queries, limit_per_query=RESULTS_PER_QUERY)
    kept = 0
    for hit in results:
        if hit.is_factcheck:
            add(CandidateSpec(hit.url, Evidence.FoundVia.FACTCHECK, hit.provider, hit.factcheck))
        elif kept < MAX_SEARCH_SOURCES:
            kept += 1
            add(CandidateSpec(hit.url, Evidence.FoundVia.SEARCH, hit.provider))
    return candidates, problems, dict(results.errors)


def discover_claim(claim_id: int) -> DiscoverySummary:
    """Finds candidate sources for a claim and queues their fetches. Safe to run again."""
    if not claim_research_start(claim_id=claim_id):
        return DiscoverySummary(claim_id, started=False)
    claim = Claim.objects.select_related("article").get(pk=claim_id)
    candidates, problems, failures = collect_candidates(claim)
    queued = claim_research_plan(
        claim=claim, candidates=candidates, problems=problems, search_failures=failures
    )
    return DiscoverySummary(
        claim_id, started=True, queued=len(queued), problems=len(problems) + len(failures)
    )


def fetch_and_score(
    source: Source,
    claim_ids: list[int],
    *,
    final_attempt: bool,
    domain_delay: float | None = None,
) -> FetchOutcome:
    """Fetches a source once and queues its scoring for every claim that wanted it.

    Fetching waits on the network (threads pool); scoring is CPU work, so it runs on the
    process pool. A transient failure that will be retried leaves the candidates pending.
    """
    outcome = fetch_source(source, domain_delay=domain_delay)
    if outcome.snapshot is None and not final_attempt and outcome.error and outcome.error.transient:
        return outcome
    if claim_ids:
        queue.enqueue(
            queue.SCORE_SOURCE,
            source.pk,
            claim_ids=list(claim_ids),
            snapshot_id=outcome.snapshot.pk if outcome.snapshot else None,
            error=_failure_reason(outcome),
        )
    return outcome


def score_source(
    source_id: int, claim_ids: list[int], snapshot_id: int | None, error: str = ""
) -> None:
    """Scores a fetched snapshot against each claim that wanted the source. Idempotent."""
    # Scoring reads the text only; the raw body stays in the database.
    snapshot = (
        sql.first_instance(Snapshot, ("id", "source", "text"), {"id": snapshot_id})
        if snapshot_id
        else None
    )
    outcome = FetchOutcome(snapshot, error=FetchError(error, "failed") if error else None)
    found = _claims_for_source(source_id, claim_ids)
    # Every claim's pair with this source in one reading: a model back-end runs them as a batch.
    scores = (
        score_claims([claim for claim, _, _ in found], snapshot)
        if snapshot is not None
        else [None] * len(found)
    )
    for (claim, source, candidate), scored in zip(found, scores, strict=True):
        _score_for_claim(claim, source, outcome, candidate, scored)


def _failure_reason(outcome: FetchOutcome) -> str:
    if outcome.snapshot is not None:
        return ""
    return outcome.error.reason if outcome.error else "no snapshot"


def _claims_for_source(
    source_id: int, claim_ids: list[int]
) -> list[tuple[Claim, Source, ResearchCandidate | None]]:
    """Each claim with the source and its candidate for it (None: a reviewer's source).

    One plain statement when every claim has a candidate (discovery), three when some do not.
    """
    found = {
        claim.pk: (claim, source, candidate)
        for claim, source, candidate in candidates_to_score(source_id, claim_ids)
    }
    missing = [pk for pk in dict.fromkeys(claim_ids) if pk not in found]
    if missing:
        # No candidate: the claim's reviewer asked for the source (the evidence row exists).
        source = Source.objects.filter(pk=source_id).first()
        if source is not None:
            found.update(
                (claim.pk, (claim, source, None)) for claim in Claim.objects.filter(pk__in=missing)
            )
    return [found[pk] for pk in dict.fromkeys(claim_ids) if pk in found]


def _score_for_claim(
    claim: Claim,
    source: Source,
    outcome: FetchOutcome,
    candidate: ResearchCandidate | None,
    scored: SnapshotScore | None,
) -> None:
    if candidate is not None:
        found_via, provider, factcheck = (
            candidate.found_via,
            candidate.provider,
            candidate.factcheck,
        )
    else:
        found_via, provider, factcheck = Evidence.FoundVia.REVIEWER, "reviewer", {}
    error = ""
    # Evidence and the candidate's settlement commit together: one round trip, and a
    # worker dying between them cannot leave evidence for a candidate still pending.
    with transaction.atomic():
        if outcome.snapshot is None and not factcheck:
            error = outcome.error.reason if outcome.error else "no snapshot"
        else:
            store_snapshot_score(
                claim=claim,
                source=source,
                snapshot=outcome.snapshot,
                scored=scored,
                found_via=found_via,
                provider=provider,
                factcheck=factcheck,
                keep_weak=found_via == Evidence.FoundVia.REVIEWER,
            )
        candidate_settle(claim_id=claim.pk, source_id=source.pk, error=error)
