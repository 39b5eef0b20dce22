"""Fetch queue: sources a reviewer asked for, fetched before anything else."""

from __future__ import annotations

from celery import shared_task

from claims.models import Claim, Evidence, Source
from worker.assessment import store_assessment
from worker.capture import capture_source


@shared_task(
    name="worker.tasks.fetch.fetch_source",
    bind=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def fetch_source(self, source_id: int, claim_ids: list[int] | None = None) -> None:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return
    outcome = capture_source(source)
    if outcome.snapshot is None:
        if outcome.error and outcome.error.transient and self.request.retries < self.max_retries:
            raise self.retry(countdown=10 * 2**self.request.retries)
        return
    for claim in Claim.objects.filter(pk__in=claim_ids or []):
        evidence = Evidence.objects.filter(claim=claim, source=source).first()
        store_assessment(
            claim=claim,
            source=source,
            snapshot=outcome.snapshot,
            found_via=evidence.found_via if evidence else Evidence.FoundVia.REVIEWER,
            provider=evidence.provider if evidence else "reviewer",
            keep_weak=True,
        )
