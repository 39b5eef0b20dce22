"""Fetch queue: I/O-bound source captures, run on a threads pool (see README)."""

from __future__ import annotations

import logging
import random

from celery import shared_task
from celery.signals import worker_init

from claims.models import Source
from worker.fetching import extract_document
from worker.reading import read_document
from worker.research import read_source

logger = logging.getLogger(__name__)

_WARM_UP_PAGE = (
    b"<html><head><title>Warm-up</title><meta property='og:site_name' content='Site'></head>"
    b"<body><article><p>The ministry said on Thursday that 48 buses will be delivered to "
    b"the city by the end of 2024.</p></article></body></html>"
)


@worker_init.connect
def _warm_up_reading(**kwargs) -> None:
    """Loads the extractor's and scorer's lazy tables (TLD list, regexes) before the first
    task, so the first sources of a fresh worker do not queue behind that one-off work.
    Prefork pool processes inherit them."""
    try:
        document = extract_document(_WARM_UP_PAGE, "text/html; charset=utf-8", "https://a.example/")
        read_document("48 buses will be delivered in 2024", {}, document.text)
    except Exception:  # a warm-up must never keep a worker from starting
        logger.warning("warm-up of the extractor failed", exc_info=True)


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
