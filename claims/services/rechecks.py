"""Asking the worker to re-check sources now, outside their schedule."""

from __future__ import annotations

from collections.abc import Iterable

from claims import queue
from claims.models import Claim, Evidence, Source


def sources_recheck_now(*, sources: Iterable[Source]) -> int:
    """Queues a re-check of each source (after commit); returns how many were queued."""
    ids = sorted({s.pk for s in sources})
    for source_id in ids:
        queue.enqueue(queue.RECHECK_SOURCE, source_id)
    return len(ids)


def claims_recheck_sources_now(*, claims: Iterable[Claim]) -> int:
    """Re-checks every source behind the given claims' evidence."""
    claim_ids = [c.pk for c in claims]
    sources = Source.objects.filter(
        pk__in=Evidence.objects.filter(claim_id__in=claim_ids).values("source_id")
    )
    return sources_recheck_now(sources=sources)
