"""Recording fetches: the one place a snapshot and its fetch outcome are written.

Discovery's fetch, the scheduled re-check, an archived copy and evidence a reviewer adds by
hand all end in record_fetch(): a snapshot (text, language, hash, headers, origin) and its
attempt row with the timing, or a failed attempt with its reason. Text is made storable
here (NUL and the other characters PostgreSQL refuses are removed), before anything is
written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims import sql
from claims.models import FetchAttempt, Snapshot, Source
from language.storable import storable_text, storable_value

DEFAULT_CHECK_INTERVAL = dt.timedelta(days=1)


@dataclass(frozen=True)
class FetchedPage:
    """What a successful fetch read: the response and the document extracted from it."""

    http_status: int
    final_url: str
    content_type: str
    headers: dict[str, Any]
    body: bytes
    content_hash: str
    text: str
    title: str = ""
    publisher: str = ""
    published_date: dt.date | None = None
    language: str = ""
    # Not the live page: an archived copy, or what a reviewer uploaded or pasted (by hand:
    # added_by and citation say who and from where).
    origin: str = Snapshot.Origin.FETCHED
    added_by: Any = None
    citation: str = ""
    # The exchange as sent and received, for a WARC record of it (evidence bundles).
    ip_address: str = ""
    request_headers: dict[str, str] = field(default_factory=dict)
    response_headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class FetchFailure:
    """Why a fetch produced no document: a stable code and a reason for people."""

    reason: str
    code: str
    transient: bool
    http_status: int | None = None


@dataclass
class FetchRecord:
    attempt: FetchAttempt | None  # None for a snapshot added by hand: nothing was fetched
    snapshot: Snapshot | None = None
    reused: bool = False  # the content equals the latest snapshot's: no new snapshot


def source_claim_for_fetch(
    *, source: Source, stale_after: dt.timedelta, fresh_for: dt.timedelta | None = None
) -> str:
    """Takes the fetch of a source in one conditional UPDATE, so two workers never fetch it
    at once: "claimed", "busy" (another worker is fetching it) or "fresh" (read less than
    fresh_for ago, by a worker that finished after this one loaded the source).

    Claimed, the source's last_checked_at is the row's as stored (record_fetch compares
    with the latest snapshot only when there can be one)."""
    now = timezone.now()
    taken, last_checked_at = sql.source_claim_fetch(
        source.pk,
        now=now,
        busy_since=now - stale_after,
        fresh_since=now - fresh_for if fresh_for is not None else None,
    )
    if taken:
        source.last_checked_at = _as_datetime(last_checked_at)
        source.status, source.fetch_started_at = Source.Status.FETCHING, now
        return "claimed"
    busy = Q(status=Source.Status.FETCHING, fetch_started_at__gt=now - stale_after)
    return "busy" if Source.objects.filter(busy, pk=source.pk).exists() else "fresh"


def _as_datetime(value: Any) -> dt.datetime | None:
    """A datetime column's raw value (SQLite gives text) as an aware datetime."""
    if value is None or isinstance(value, dt.datetime) and timezone.is_aware(value):
        return value
    parsed = models.DateTimeField().to_python(value)
    return timezone.make_aware(parsed, dt.UTC) if timezone.is_naive(parsed) else parsed


@transaction.atomic
def record_fetch(
    *,
    source: Source,
    started_at: dt.datetime,
    duration_ms: int,
    page: FetchedPage | None = None,
    failure: FetchFailure | None = None,
    check_interval: dt.timedelta | None = None,
) -> FetchRecord:
    """Records one fetch of a source: its page as a snapshot, or its failure with the reason.

    A fetched page (or archived copy) whose content hash equals the latest snapshot's
    reuses that snapshot. A fetched page releases the source (no longer fetching) and
    schedules it: its next check comes after check_interval (default: the source's own
    interval, else a day). An archived copy or a page added by hand leaves the source's own
    state alone (the live page says what it says); one added by hand is always its own
    snapshot, with no attempt row (nothing was fetched).
    """
    if (page is None) == (failure is None):
        raise ValueError("record_fetch needs a page or a failure, not both")
    if failure is not None:
        return FetchRecord(_record_failure(source, started_at, duration_ms, failure))

    by_hand = page.origin in Snapshot.BY_HAND
    # A source never checked has no snapshot to compare with (discovery: the common case).
    # Callers pass the source as loaded just now, or as source_claim_for_fetch left it.
    latest = (
        source.snapshots.order_by("-fetched_at", "-pk").first()
        if source.last_checked_at and not by_hand
        else None
    )
    reused = latest is not None and latest.content_hash == page.content_hash
    if reused:
        snapshot = latest
    else:
        snapshot = Snapshot.objects.create(
            source=source,
            fetched_at=started_at,
            http_status=page.http_status,
            final_url=storable_text(page.final_url)[:2000],
            content_type=storable_text(page.content_type)[:200],
            headers=storable_value(page.headers),
            content_hash=page.content_hash,
            title=storable_text(page.title)[:500],
            publisher=storable_text(page.publisher)[:300],
            published_date=page.published_date,
            language=storable_text(page.language or "")[:20],
            text=storable_text(page.text),
            raw_body=Snapshot.compress(page.body),
            origin=page.origin,
            added_by=page.added_by,
            citation=storable_text(page.citation)[:500],
            ip_address=page.ip_address[:45],
            request_headers=storable_value(page.request_headers),
            response_headers=storable_value([list(pair) for pair in page.response_headers]),
        )
    if by_hand:
        return FetchRecord(None, snapshot)
    attempt = FetchAttempt.objects.create(
        source=source,
        snapshot=snapshot,
        started_at=started_at,
        duration_ms=duration_ms,
        outcome=FetchAttempt.Outcome.OK,
        http_status=page.http_status,
        code="" if page.origin == Snapshot.Origin.FETCHED else page.origin,
    )
    if page.origin != Snapshot.Origin.FETCHED:
        return FetchRecord(attempt, snapshot, reused=reused)
    interval = check_interval or source.check_interval or DEFAULT_CHECK_INTERVAL
    fields = {
        "status": Source.Status.OK,
        "failure_reason": "",
        "title": (snapshot.title or source.title)[:500],
        "publisher": (snapshot.publisher or source.publisher)[:300],
        "etag": storable_text(str(page.headers.get("etag", "")))[:500],
        "last_modified": storable_text(str(page.headers.get("last-modified", "")))[:100],
        "last_checked_at": started_at,
        "next_check_at": started_at + interval,
        "check_interval": interval,
        "fetch_started_at": None,
    }
    Source.objects.filter(pk=source.pk).update(**fields)
    for name, value in fields.items():
        setattr(source, name, value)
    return FetchRecord(attempt, snapshot, reused=reused)


def _record_failure(
    source: Source, started_at: dt.datetime, duration_ms: int, failure: FetchFailure
) -> FetchAttempt:
    reason = storable_text(failure.reason)[:300]
    attempt = FetchAttempt.objects.create(
        source=source,
        started_at=started_at,
        duration_ms=duration_ms,
        outcome=FetchAttempt.Outcome.FAILED,
        http_status=failure.http_status,
        reason=reason,
        code=failure.code[:40],
        transient=failure.transient,
    )
    status = Source.Status.FAILING if failure.transient else Source.Status.FAILED
    interval = source.check_interval or DEFAULT_CHECK_INTERVAL
    # A source never scheduled gets a next check, so a re-check comes back to it.
    Source.objects.filter(pk=source.pk).update(
        status=status,
        failure_reason=reason,
        last_checked_at=started_at,
        fetch_started_at=None,
        next_check_at=Coalesce(F("next_check_at"), Value(started_at + interval)),
    )
    source.status, source.failure_reason = status, reason
    source.last_checked_at, source.fetch_started_at = started_at, None
    return attempt
