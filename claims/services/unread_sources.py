"""A source that could not be read: fetch it again, or read an archived copy instead."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims import queue
from claims.models import Claim, ClaimEvent, Evidence, ResearchCandidate, Source
from claims.services.sources import REVIEWER_PRIORITY


def _check_wanted(claim: Claim, source: Source) -> None:
    wanted = (
        Evidence.objects.filter(claim=claim, source=source).exists()
        or ResearchCandidate.objects.filter(claim=claim, source=source).exists()
    )
    if not wanted:
        raise ValidationError({"source": "This source is not among this claim's sources."})


@transaction.atomic
def source_retry_fetch(*, claim: Claim, source: Source, user: AbstractBaseUser) -> Source:
    """Fetches a source again for a claim, ahead of other work.

    The source looks unread again until the fetch finishes; a failed research candidate
    goes back to pending so its reading is scored for the claim.
    """
    _check_wanted(claim, source)
    if source.status in Source.UNREAD_STATUSES:
        return source  # a fetch is already on its way
    Source.objects.filter(pk=source.pk).update(status=Source.Status.NEW, failure_reason="")
    ResearchCandidate.objects.filter(
        claim=claim, source=source, state=ResearchCandidate.State.FAILED
    ).update(state=ResearchCandidate.State.PENDING, error="", updated_at=timezone.now())
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.SOURCE_ADDED,
        actor=user,
        message=f"Fetching again: {source.url}"[:500],
        data={"source": source.pk, "retry": True},
    )
    queue.enqueue(queue.FETCH_SOURCE, source.pk, claim_ids=[claim.pk], priority=REVIEWER_PRIORITY)
    source.refresh_from_db()
    return source


@transaction.atomic
def source_request_archived_copy(*, claim: Claim, source: Source, user: AbstractBaseUser) -> None:
    """Asks the worker to look the source up in the web archive and read the copy it finds."""
    _check_wanted(claim, source)
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.SOURCE_ADDED,
        actor=user,
        message=f"Looking for an archived copy of {source.url}"[:500],
        data={"source": source.pk, "archive": "requested"},
    )
    queue.enqueue(
        queue.FETCH_ARCHIVED_COPY, source.pk, claim_ids=[claim.pk], priority=REVIEWER_PRIORITY
    )


@transaction.atomic
def archive_lookup_record(*, source: Source, claim_ids: list[int], found: str, reason: str) -> None:
    """Tells each claim what the archive lookup gave: the copy read, or why there is none."""
    if found:
        message = f"Read an archived copy of {source.url}: {found}"
    else:
        message = f"No archived copy of {source.url}: {reason}"
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(
                claim_id=claim_id,
                kind=ClaimEvent.Kind.SOURCE_ADDED,
                message=message[:500],
                data={"source": source.pk, "archive": found or None, "reason": reason},
            )
            for claim_id in claim_ids
        ]
    )
