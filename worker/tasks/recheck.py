"""Recheck queue: scheduled re-checks of tracked sources, and discovery run again."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from claims import queue
from claims.services.rechecks import claim_requeue_discovery, claims_due_for_rediscovery
from worker import recheck

RECHECK_BATCH = "worker.tasks.recheck.recheck_batch"
# The most due sources one beat tick queues; the rest wait for the next tick.
MAX_DUE_PER_RUN = 50_000
# Claims without evidence are searched again at most this often, this many per run.
REDISCOVER_EVERY = dt.timedelta(days=7)
REDISCOVER_PER_RUN = 200


@shared_task(name="worker.tasks.recheck.recheck_due", soft_time_limit=120, time_limit=180)
def recheck_due(limit: int = MAX_DUE_PER_RUN, batch_size: int = recheck.BATCH_SIZE) -> int:
    """Leases the due sources and queues them in batches; returns how many."""
    ids = recheck.lease_due(limit=limit)
    for batch in recheck.chunked(ids, batch_size):
        queue.enqueue(RECHECK_BATCH, batch)
    return len(ids)


@shared_task(
    name=RECHECK_BATCH,
    acks_late=True,
    soft_time_limit=settings.FACTCHECK_LONGEST_TASK_SECONDS - 30,
    time_limit=settings.FACTCHECK_LONGEST_TASK_SECONDS,
)
def recheck_batch(source_ids: list[int]) -> dict[str, int]:
    return recheck.recheck_sources(source_ids).as_dict()


@shared_task(
    name="worker.tasks.recheck.recheck_source", acks_late=True, soft_time_limit=120, time_limit=150
)
def recheck_source(source_id: int) -> dict[str, int]:
    return recheck.recheck_sources([source_id]).as_dict()


@shared_task(name="worker.tasks.recheck.rediscover_unsupported", soft_time_limit=60, time_limit=90)
def rediscover_unsupported(limit: int = REDISCOVER_PER_RUN) -> int:
    """Claims research left without evidence: searched again, at most weekly each."""
    ids = claims_due_for_rediscovery(now=timezone.now(), every=REDISCOVER_EVERY, limit=limit)
    return sum(claim_requeue_discovery(claim_id=claim_id) for claim_id in ids)
