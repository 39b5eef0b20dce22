"""Fetching a tracked source and archiving what it said as a Snapshot."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.utils import timezone

from claims.models import Snapshot, Source
from claims.services.sources import (
    fetch_failure_record,
    snapshot_record,
    source_claim_for_fetch,
)
from worker.fetching import FetchError, extract_document, fetch

logger = logging.getLogger(__name__)

# A snapshot this recent is reused instead of fetching the source again.
FRESH_FOR = dt.timedelta(hours=6)
# A fetch claimed longer ago than this is considered abandoned (worker died).
FETCH_STALE_AFTER = dt.timedelta(minutes=5)


@dataclass
class FetchOutcome:
    snapshot: Snapshot | None
    error: FetchError | None = None
    reused: bool = False


def latest_snapshot(source: Source) -> Snapshot | None:
    return source.snapshots.order_by("-fetched_at").first()


def fetch_source(
    source: Source, *, force: bool = False, domain_delay: float | None = None
) -> FetchOutcome:
    """The source's current snapshot: a recent one if we have it, else a new safe fetch.

    Two workers wanting the same source: one fetches, the other waits for its snapshot.
    """
    # A source never checked has no snapshot: no query for it (the common case).
    if not force and source.last_checked_at and timezone.now() - source.last_checked_at < FRESH_FOR:
        snapshot = latest_snapshot(source)
        if snapshot is not None:
            return FetchOutcome(snapshot, reused=True)

    if not source_claim_for_fetch(source_id=source.pk, stale_after=FETCH_STALE_AFTER):
        return _wait_for_other_fetch(source)

    started = timezone.now()
    clock = time.monotonic()
    try:
        result = fetch(source.url, domain_delay=domain_delay)
        document = extract_document(result.body, result.content_type, result.final_url)
    except FetchError as exc:
        fetch_failure_record(
            source=source,
            started_at=started,
            reason=exc.reason,
            transient=exc.transient,
            http_status=exc.http_status,
            duration_ms=int((time.monotonic() - clock) * 1000),
            code=exc.code,
        )
        source.refresh_from_db()
        return FetchOutcome(None, error=exc)

    snapshot = snapshot_record(
        source=source,
        fetched_at=started,
        http_status=result.status,
        final_url=result.final_url,
        content_type=result.content_type,
        headers=result.headers,
        body=result.body,
        content_hash=result.content_hash,
        text=document.text,
        title=document.title or "",
        publisher=document.publisher or "",
        published_date=document.published_date,
        language=document.language or "",
        duration_ms=int((time.monotonic() - clock) * 1000),
    )
    return FetchOutcome(snapshot)


def _wait_for_other_fetch(source: Source, timeout: float = 45.0) -> FetchOutcome:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        source.refresh_from_db()
        if source.status != Source.Status.FETCHING:
            break
        time.sleep(0.5)
    snapshot = latest_snapshot(source)
    if snapshot is None:
        reason = source.failure_reason or "fetched by another worker, no snapshot yet"
        return FetchOutcome(None, error=FetchError(reason, "pending", transient=True))
    return FetchOutcome(snapshot, reused=True)
