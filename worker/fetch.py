"""Fetching a tracked source and archiving what it said as a Snapshot."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.utils import timezone

from claims.models import Snapshot, Source
from claims.services.snapshots import (
    FetchedPage,
    FetchFailure,
    record_fetch,
    source_claim_for_fetch,
)
from worker.fetching import (
    Document,
    ExtractionError,
    FetchError,
    FetchResult,
    extract_document,
    fetch,
)

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


def fetched_page(result: FetchResult, document: Document) -> FetchedPage:
    """The page to record from a response and the document read from it."""
    return FetchedPage(
        http_status=result.status,
        final_url=result.final_url,
        content_type=result.content_type,
        headers=result.headers,
        body=result.body,
        content_hash=result.content_hash,
        text=document.text or "",
        title=document.title or "",
        publisher=document.publisher or "",
        published_date=document.published_date,
        language=document.language or "",
    )


def fetch_failure(exc: FetchError) -> FetchFailure:
    return FetchFailure(
        reason=exc.reason, code=exc.code, transient=exc.transient, http_status=exc.http_status
    )


def extraction_failure(exc: ExtractionError) -> FetchError:
    """A body we could not read (unsupported, broken, too complex) as a fetch failure."""
    return FetchError(f"no text could be read: {exc}", exc.code, transient=False)


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

    # The claim reads the row as it is now: a fetch that finished after this task loaded
    # the source makes it fresh, and its snapshot is the answer.
    taken = source_claim_for_fetch(
        source=source, stale_after=FETCH_STALE_AFTER, fresh_for=None if force else FRESH_FOR
    )
    if taken != "claimed":
        return _wait_for_other_fetch(source)

    started = timezone.now()
    clock = time.monotonic()
    try:
        result = fetch(source.url, domain_delay=domain_delay)
        document = extract_document(result.body, result.content_type, result.final_url)
    except (FetchError, ExtractionError) as exc:
        error = extraction_failure(exc) if isinstance(exc, ExtractionError) else exc
        record_fetch(
            source=source,
            started_at=started,
            duration_ms=int((time.monotonic() - clock) * 1000),
            failure=fetch_failure(error),
        )
        return FetchOutcome(None, error=error)

    record = record_fetch(
        source=source,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        page=fetched_page(result, document),
    )
    return FetchOutcome(record.snapshot)


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
