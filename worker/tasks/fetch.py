"""Fetch queue: I/O-bound source captures, run on a threads pool (see README)."""

from __future__ import annotations

import random

from celery import shared_task

from claims.models import Source
from worker.research import read_source


@shared_task(
    name="worker.tasks.fetch.fetch_source",
    bind=True,
    max_retries=3,
    soft_time_limit=90,
    time_limit=120,
)
def fetch_source(self, source_id: int, claim_ids: list[int] | None = None) -> None:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return
    final = self.request.retries >= self.max_retries
    outcome = read_source(source, list(claim_ids or []), final_attempt=final)
    if outcome.snapshot is None and not final and outcome.error and outcome.error.transient:
        # Backoff with jitter, so sources of one failing host do not retry in lockstep.
        countdown = 10 * 2**self.request.retries + random.uniform(0, 5)
        raise self.retry(countdown=countdown)
