"""Writing the research state of claims: queued, started, candidates read, finished."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims import queue, sql
from claims.models import Claim, ClaimEvent, Evidence, ResearchCandidate
from claims.services.factchecks import factcheck_record_found
from claims.services.sources import clean_source_url, sources_get_or_create

# Statuses that research may move; a reviewed claim keeps its verdict.


@dataclass
class CandidateSpec:
    """A source discovery wants read for a claim, and how it was found."""

    url: str
    found_via: str
    provider: str = ""
    factcheck: dict[str, Any] = field(default_factory=dict)


def claim_queue_research(*, claim: Claim, rerun: bool = False) -> bool:
    """Queues source discovery for a claim (after the current transaction commits).

    rerun sends a claim that waits for review back to research; a claim with a verdict is
    left alone (False), since research never changes a verdict.
    """
    claims = Claim.objects.filter(pk=claim.pk)
    if rerun:
        claims.filter(status=Claim.Status.NEEDS_REVIEW).update(status=Claim.Status.PENDING)
    if not claims.filter(status__in=Claim.RESEARCH_STATUSES).update(
        research_queued_at=timezone.now()
    ):
        return False
    queue.enqueue(queue.DISCOVER_CLAIM, claim.pk)
    return True


def search_problem_text(failure: dict[str, str]) -> str:
    """ "search unavailable: wikipedia — name not resolved" """
    error = str(failure.get("error") or "no answer").removeprefix("request failed: ")
    return f"search unavailable: {failure.get('provider')} — {error}"


@transaction.atomic
def claims_retry_research(*, claims: Iterable[Claim], user: Any) -> int:
    """Runs research again for claims waiting for review; a claim with a verdict is left
    alone. Returns how many were queued."""
    queued = 0
    for claim in claims:
        if claim_queue_research(claim=claim, rerun=True):
            queued += 1
            ClaimEvent.objects.create(
                claim=claim,
                kind=ClaimEvent.Kind.RESEARCH_STARTED,
                actor=user,
                message="Research queued again",
            )
    return queued


def claim_research_start(*, claim_id: int) -> bool:
    """Marks a claim as researching. False when it is no longer open for research."""
    with transaction.atomic():
        updated = Claim.objects.filter(pk=claim_id, status__in=Claim.RESEARCH_STATUSES).update(
            status=Claim.Status.RESEARCHING, research_started_at=timezone.now()
        )
        if updated:
            ClaimEvent.objects.create(
                claim_id=claim_id,
                kind=ClaimEvent.Kind.RESEARCH_STARTED,
                message="Looking for sources",
            )
    return bool(updated)


@transaction.atomic
def claim_research_plan(
    *,
    claim: Claim,
    candidates: Iterable[CandidateSpec],
    problems: list[str],
    search_failures: dict[str, str] | None = None,
) -> list[int]:
    """Records the claim's candidate sources and queues a fetch for each one still unread.

    search_failures (provider -> why it could not answer) are kept on the claim, so the
    claim, its article and `ingest --json` can say research had problems.

    Returns the ids of the sources queued, in the candidates' order (reviewer URLs first).
    With nothing to read, research finishes now. A handful of statements however many
    candidates: this runs once per claim on the discovery queue.
    """
    specs: dict[str, CandidateSpec] = {}  # canonical URL -> the first spec that wants it
    for spec in candidates:
        try:
            canonical = clean_source_url(spec.url)
        except ValidationError:
            problems.append(f"{spec.url}: not a web address")
            continue
        specs.setdefault(canonical, spec)
    sources = sources_get_or_create(canonical_urls=list(specs))
    # An existing candidate keeps how it was found and its state (get-or-create).
    ResearchCandidate.objects.bulk_create(
        [
            ResearchCandidate(
                claim=claim,
                source=sources[url],
                found_via=spec.found_via,
                provider=spec.provider,
                factcheck=spec.factcheck,
            )
            for url, spec in specs.items()
        ],
        ignore_conflicts=True,
    )
    for spec in specs.values():
        if spec.factcheck:  # a prior fact-check: the same kind of record as an imported one
            factcheck_record_found(claim=claim, info=spec.factcheck)
    states = dict(
        ResearchCandidate.objects.filter(
            claim=claim, source__in=[source.pk for source in sources.values()]
        ).values_list("source_id", "state")
    )
    queued = [
        sources[url].pk
        for url in specs
        if states.get(sources[url].pk) == ResearchCandidate.State.PENDING
    ]
    failures = [
        {"provider": name, "error": str(error)[:300]}
        for name, error in sorted((search_failures or {}).items())
    ]
    Claim.objects.filter(pk=claim.pk).update(research_problems=failures)
    claim.research_problems = failures
    if failures:
        ClaimEvent.objects.create(
            claim=claim,
            kind=ClaimEvent.Kind.RESEARCH_PROBLEM,
            message="; ".join(search_problem_text(f) for f in failures)[:500],
            data={"search_failures": failures},
        )
    if problems:
        ClaimEvent.objects.create(
            claim=claim,
            kind=ClaimEvent.Kind.RESEARCH_PROBLEM,
            message=("Research problems: " + "; ".join(problems))[:500],
            data={"problems": problems[:20]},
        )
    for source_id in queued:
        queue.enqueue(queue.FETCH_SOURCE, source_id, claim_ids=[claim.pk])
    if not queued:
        _finish(claim.pk)
    return queued


@transaction.atomic(savepoint=False)
def candidate_settle(*, claim_id: int, source_id: int, error: str = "") -> bool:
    """A candidate source has been read (or failed); True when that finished the research."""
    # The claim's row lock orders settlements, so exactly one of them finishes the research.
    locked = sql.first_row(Claim, ("status",), {"id": claim_id}, lock=True)
    if locked is None:
        return False
    sql.update_rows(
        ResearchCandidate,
        {"claim": claim_id, "source": source_id},
        {
            "state": ResearchCandidate.State.FAILED if error else ResearchCandidate.State.DONE,
            "error": error[:300],
            "updated_at": timezone.now(),
        },
    )
    if locked[0] != Claim.Status.RESEARCHING:
        return False
    pending = {"claim": claim_id, "state": ResearchCandidate.State.PENDING}
    if sql.first_row(ResearchCandidate, ("id",), pending) is not None:
        return False
    _finish(claim_id)
    return True


def _finish(claim_id: int) -> None:
    updated = Claim.objects.filter(pk=claim_id, status__in=Claim.RESEARCH_STATUSES).update(
        status=Claim.Status.NEEDS_REVIEW, research_started_at=None
    )
    if not updated:
        return
    found = Evidence.objects.filter(claim_id=claim_id).exclude(snapshot=None).count()
    failed = list(
        ResearchCandidate.objects.filter(claim_id=claim_id, state=ResearchCandidate.State.FAILED)
        .order_by("id")
        .values_list("source__url", "error")[:20]
    )
    message = f"Research done: {found} source(s) with evidence"
    if failed:
        message += f"; {len(failed)} source(s) could not be read"
    ClaimEvent.objects.create(
        claim_id=claim_id,
        kind=ClaimEvent.Kind.RESEARCH_DONE,
        message=message[:500],
        data={"sources": found, "failed": [{"url": u, "error": e} for u, e in failed]},
    )
