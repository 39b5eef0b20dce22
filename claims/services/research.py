"""Writing the research state of claims: queued, started, finished."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from claims import queue
from claims.models import Claim, ClaimEvent

# Statuses that research may move; a reviewed claim keeps its verdict.
_OPEN_STATUSES = (Claim.Status.PENDING, Claim.Status.RESEARCHING)


def claim_queue_research(*, claim: Claim) -> None:
    """Queues source discovery for a claim (after the current transaction commits)."""
    queue.enqueue(queue.RESEARCH_CLAIM, claim.pk)


def claim_research_start(*, claim_id: int) -> bool:
    """Marks a claim as researching. False when it is no longer open for research."""
    with transaction.atomic():
        updated = Claim.objects.filter(pk=claim_id, status__in=_OPEN_STATUSES).update(
            status=Claim.Status.RESEARCHING, research_started_at=timezone.now()
        )
        if updated:
            ClaimEvent.objects.create(
                claim_id=claim_id,
                kind=ClaimEvent.Kind.RESEARCH_STARTED,
                message="Looking for sources",
            )
    return bool(updated)


def claim_research_finish(*, claim_id: int, sources_found: int, errors: list[str]) -> None:
    """Research is done: the claim waits for a reviewer."""
    with transaction.atomic():
        updated = Claim.objects.filter(pk=claim_id, status__in=_OPEN_STATUSES).update(
            status=Claim.Status.NEEDS_REVIEW, research_started_at=None
        )
        if updated:
            message = f"Research done: {sources_found} source(s) with evidence"
            if errors:
                message += f"; {len(errors)} problem(s)"
            ClaimEvent.objects.create(
                claim_id=claim_id,
                kind=ClaimEvent.Kind.RESEARCH_DONE,
                message=message[:500],
                data={"sources": sources_found, "errors": errors[:20]},
            )
