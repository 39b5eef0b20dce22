"""Writing the outcome of scheduled source re-checks, and the alerts they raise on claims.

Reads and writes here are batched: a batch of unchanged sources costs a handful of
queries whatever its size. Changed, moved and gone sources are rare and written one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from claims import queue
from claims.models import (
    Claim,
    ClaimEvent,
    Evidence,
    FetchAttempt,
    Snapshot,
    Source,
)
from claims.services.research import claim_queue_research
from language.storable import storable_text

# Sources a scheduled re-check looks at. New ones are discovery's; moved ones live on
# under their new address; a gone one is still asked now and then, pages come back.
RECHECK_STATUSES = (
    Source.Status.OK,
    Source.Status.FAILING,
    Source.Status.FAILED,
    Source.Status.GONE,
)
# A reviewer's verdict rests on the evidence: these claims come back when it changes.
UNDER_REVIEW = (Claim.Status.NEEDS_REVIEW, Claim.Status.NEEDS_REREVIEW)


@dataclass
class SourceState:
    """What a re-check needs to know of a source, read when it takes the source."""

    id: int
    url: str
    status: str  # before the re-check took it
    etag: str
    last_modified: str
    check_interval: dt.timedelta | None
    latest_snapshot_id: int | None
    latest_hash: str
    last_attempt_outcome: str
    last_attempt_code: str
    under_review: bool  # backs a claim waiting for a reviewer


@dataclass
class UnchangedCheck:
    source_id: int
    snapshot_id: int | None
    started_at: dt.datetime
    duration_ms: int
    http_status: int
    not_modified: bool
    interval: dt.timedelta
    etag: str | None = None  # a new validator the server sent, else None
    last_modified: str | None = None


@dataclass
class FailedCheck:
    source_id: int
    started_at: dt.datetime
    duration_ms: int
    http_status: int | None
    reason: str
    transient: bool
    status: str  # failing, failed or gone
    next_check_at: dt.datetime | None
    interval: dt.timedelta | None
    code: str = ""


def backs_a_claim() -> Exists:
    return Exists(Evidence.objects.filter(source=OuterRef("pk")))


def sources_lease_due(*, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[int]:
    """Ids of up to limit due sources that back a claim (the longest due), sorted by domain.

    Their next check moves to now + lease, so the next beat tick does not queue them
    again; a queued re-check lost with the broker comes due again when the lease ends.
    """
    with transaction.atomic():
        rows = list(
            Source.objects.filter(
                backs_a_claim(), next_check_at__lte=now, status__in=RECHECK_STATUSES
            )
            .order_by("next_check_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", "domain")[:limit]
        )
        ids = [pk for pk, _domain in sorted(rows, key=lambda row: row[1])]
        if ids:
            Source.objects.filter(pk__in=ids).update(next_check_at=now + lease)
    return ids


def sources_take_for_recheck(
    *, source_ids: Sequence[int], now: dt.datetime, stale_after: dt.timedelta
) -> list[SourceState]:
    """Takes the sources for fetching (status fetching), skipping any another worker holds.

    Returns the state each had before, with its latest snapshot and last attempt.
    """
    if not source_ids:
        return []
    latest = Snapshot.objects.filter(source=OuterRef("pk")).order_by("-fetched_at", "-pk")
    last_attempt = FetchAttempt.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-pk")
    under_review = Exists(
        Evidence.objects.filter(source=OuterRef("pk"), claim__status__in=UNDER_REVIEW)
    )
    busy = Q(status=Source.Status.FETCHING, fetch_started_at__gt=now - stale_after)
    with transaction.atomic():
        rows = list(
            Source.objects.filter(pk__in=list(source_ids))
            .exclude(busy)
            .exclude(status=Source.Status.MOVED)
            .select_for_update(skip_locked=True, of=("self",))
            .annotate(
                latest_snapshot_id=Subquery(latest.values("pk")[:1]),
                latest_hash=Subquery(latest.values("content_hash")[:1]),
                last_outcome=Subquery(last_attempt.values("outcome")[:1]),
                last_code=Subquery(last_attempt.values("code")[:1]),
                under_review=under_review,
            )
            .values_list(
                "pk",
                "url",
                "status",
                "etag",
                "last_modified",
                "check_interval",
                "latest_snapshot_id",
                "latest_hash",
                "last_outcome",
                "last_code",
                "under_review",
            )
        )
        if rows:
            Source.objects.filter(pk__in=[row[0] for row in rows]).update(
                status=Source.Status.FETCHING, fetch_started_at=now
            )
    return [
        SourceState(
            id=row[0],
            url=row[1],
            status=row[2],
            etag=row[3],
            last_modified=row[4],
            check_interval=row[5],
            latest_snapshot_id=row[6],
            latest_hash=row[7] or "",
            last_attempt_outcome=row[8] or "",
            last_attempt_code=row[9] or "",
            under_review=bool(row[10]),
        )
        for row in rows
    ]


@transaction.atomic
def sources_record_unchanged(*, checks: Sequence[UnchangedCheck], checked_at: dt.datetime) -> None:
    """One attempt row per check, and the sources' new schedule in one UPDATE per interval.

    checked_at is the batch's time; each attempt keeps its own start time.
    """
    if not checks:
        return
    FetchAttempt.objects.bulk_create(
        [
            FetchAttempt(
                source_id=check.source_id,
                snapshot_id=check.snapshot_id,
                started_at=check.started_at,
                duration_ms=check.duration_ms,
                outcome=FetchAttempt.Outcome.NOT_MODIFIED
                if check.not_modified
                else FetchAttempt.Outcome.OK,
                http_status=check.http_status,
            )
            for check in checks
        ],
        batch_size=1000,
    )
    groups: dict[tuple[dt.timedelta, str | None, str | None], list[int]] = defaultdict(list)
    for check in checks:
        groups[(check.interval, check.etag, check.last_modified)].append(check.source_id)
    for (interval, etag, last_modified), ids in groups.items():
        values: dict[str, Any] = {
            "status": Source.Status.OK,
            "failure_reason": "",
            "last_checked_at": checked_at,
            "next_check_at": checked_at + interval,
            "check_interval": interval,
            "fetch_started_at": None,
        }
        if etag is not None:
            values["etag"] = etag[:500]
        if last_modified is not None:
            values["last_modified"] = last_modified[:100]
        Source.objects.filter(pk__in=ids).update(**values)


@transaction.atomic
def sources_record_failed(*, failures: Sequence[FailedCheck]) -> None:
    """Failed checks: an attempt row each with its reason, the source's status and retry."""
    if not failures:
        return
    FetchAttempt.objects.bulk_create(
        [
            FetchAttempt(
                source_id=failure.source_id,
                started_at=failure.started_at,
                duration_ms=failure.duration_ms,
                outcome=FetchAttempt.Outcome.FAILED,
                http_status=failure.http_status,
                reason=storable_text(failure.reason)[:300],
                code=failure.code[:40],
                transient=failure.transient,
            )
            for failure in failures
        ]
    )
    for failure in failures:
        values: dict[str, Any] = {
            "status": failure.status,
            "failure_reason": storable_text(failure.reason)[:300],
            "last_checked_at": failure.started_at,
            "next_check_at": failure.next_check_at,
            "fetch_started_at": None,
        }
        if failure.interval is not None:
            values["check_interval"] = failure.interval
        Source.objects.filter(pk=failure.source_id).update(**values)


@transaction.atomic
def source_record_moved(
    *,
    source_id: int,
    new_source: Source,
    started_at: dt.datetime,
    duration_ms: int,
    http_status: int,
    reason: str,
) -> None:
    """The source answered with a permanent redirect: it now lives at new_source."""
    FetchAttempt.objects.create(
        source_id=source_id,
        started_at=started_at,
        duration_ms=duration_ms,
        outcome=FetchAttempt.Outcome.OK,
        http_status=http_status,
        reason=reason[:300],
    )
    Source.objects.filter(pk=source_id).update(
        status=Source.Status.MOVED,
        moved_to=new_source,
        failure_reason=reason[:300],
        last_checked_at=started_at,
        next_check_at=None,
        fetch_started_at=None,
    )


def source_release(*, source_ids: Sequence[int], reason: str, retry_at: dt.datetime) -> None:
    """Gives back sources a re-check took but could not finish (time limit, crash)."""
    Source.objects.filter(pk__in=list(source_ids), status=Source.Status.FETCHING).update(
        status=Source.Status.FAILING,
        failure_reason=reason[:300],
        fetch_started_at=None,
        next_check_at=retry_at,
    )


# --- Alerts on claims -------------------------------------------------------------------


@transaction.atomic
def claim_record_recheck_alert(
    *, claim_id: int, message: str, data: dict[str, Any]
) -> tuple[ClaimEvent | None, bool]:
    """A re-check alert on the claim's timeline; a claim with a verdict comes back.

    A verified, disputed or unverifiable claim becomes needs_rereview (its version goes
    up, and the change is in its history). Claims without a verdict only get the alert.
    The evidence row keeps pointing at the snapshot the reviewer read.
    Returns (event, flagged).
    """
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        return None, False
    flagged = claim.status in Claim.VERDICT_STATUSES
    data = {**data, "claim_status_before": claim.status}
    if flagged:
        claim.status = Claim.Status.NEEDS_REREVIEW
        claim.version += 1
        claim.save(update_fields=["status", "version", "updated_at"])
    event = ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.RECHECK_ALERT,
        message=message[:500],
        data={**data, "flagged": flagged, "claim_version": claim.version},
    )
    return event, flagged


# --- Discovery again for claims still without evidence ------------------------------------


def claims_due_for_rediscovery(*, now: dt.datetime, every: dt.timedelta, limit: int) -> list[int]:
    """Claims research left without any evidence whose last search is older than every."""
    recent = ClaimEvent.objects.filter(
        claim=OuterRef("pk"),
        kind=ClaimEvent.Kind.RESEARCH_STARTED,
        created_at__gte=now - every,
    )
    return list(
        Claim.objects.filter(status=Claim.Status.NEEDS_REVIEW)
        .exclude(Exists(Evidence.objects.filter(claim=OuterRef("pk"))))
        .exclude(Exists(recent))
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def claim_requeue_discovery(*, claim_id: int) -> bool:
    """Sends a claim without evidence back to research (needs_review → researching)."""
    updated = (
        Claim.objects.filter(pk=claim_id, status=Claim.Status.NEEDS_REVIEW)
        .exclude(Exists(Evidence.objects.filter(claim=OuterRef("pk"))))
        .update(status=Claim.Status.RESEARCHING, research_started_at=timezone.now())
    )
    if updated:
        claim_queue_research(claim=Claim(pk=claim_id))
    return bool(updated)


# --- Re-checks people ask for (admin actions), outside the schedule -----------------------


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
