"""Fetch queue: I/O-bound source fetches, run on a threads pool (see README)."""

from __future__ import annotations

import logging
import random
from urllib.parse import urlsplit

from celery import shared_task
from celery.signals import worker_init
from django.conf import settings

from claims.models import Source
from language.reading import read_document
from worker.archive import read_archived_copy
from worker.discover import fetch_and_score
from worker.fetching import extract_document, polite_delay, wait_for_domain_slot

logger = logging.getLogger(__name__)

# Longest a fetch thread sleeps for a host's politeness slot before deferring the task.
POLITENESS_MAX_WAIT = 0.25

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
    delay = polite_delay(
        source.url, settings.FACTCHECK_USER_AGENT, float(settings.FACTCHECK_FETCH_DOMAIN_DELAY)
    )
    host = urlsplit(source.url).hostname or ""
    if delay > 0 and not wait_for_domain_slot(host, delay, max_wait=POLITENESS_MAX_WAIT):
        # The host was asked a moment ago: come back later rather than hold a fetch thread.
        self.apply_async(
            args=(source_id,),
            kwargs={"claim_ids": claim_ids},
            countdown=delay * random.uniform(0.3, 1.0),
            retries=self.request.retries,
        )
        return
    final = self.request.retries >= self.max_retries
    # The slot is taken above, so the fetch itself does not wait again.
    outcome = fetch_and_score(source, list(claim_ids or []), final_attempt=final, domain_delay=0)
    if outcome.snapshot is None and not final and outcome.error and outcome.error.transient:
        # Backoff with jitter, so sources of one failing host do not retry in lockstep.
        countdown = 10 * 2**self.request.retries + random.uniform(0, 5)
        raise self.retry(countdown=countdown)


@shared_task(name="worker.tasks.fetch.fetch_archived_copy", soft_time_limit=90, time_limit=120)
def fetch_archived_copy(source_id: int, claim_ids: list[int] | None = None) -> None:
    """A reviewer asked for an archived copy of a source that could not be read."""
    read_archived_copy(source_id, list(claim_ids or []))
