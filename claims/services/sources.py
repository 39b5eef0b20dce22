"""Writing sources and the evidence drawn from them (their fetches: snapshots.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import queue, sql
from claims.canonical_url import InvalidPort, canonicalize_url
from claims.models import Claim, ClaimEvent, Evidence, Snapshot, Source

REVIEWER_PRIORITY = 0  # Redis: lower number = served first


def clean_source_url(url: str) -> str:
    """The canonical form of a URL someone gave us, or a ValidationError saying why not."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unbalanced [ in the host
        raise ValidationError({"url": "That is not a valid web address."}) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": "Enter a full http:// or https:// address."})
    if len(url) > 2000:
        raise ValidationError({"url": "That address is too long."})
    try:
        return canonicalize_url(url)
    except InvalidPort as exc:
        raise ValidationError({"url": f"That address has an {exc}."}) from exc


def source_get_or_create(*, url: str) -> tuple[Source, bool]:
    """The one Source row for a URL, however many claims want it."""
    canonical = clean_source_url(url)
    domain = (urlsplit(canonical).hostname or "").lower()
    try:
        with transaction.atomic():
            return Source.objects.get_or_create(url=canonical, defaults={"domain": domain})
    except IntegrityError:  # a concurrent insert won the race
        return Source.objects.get(url=canonical), False


def sources_get_or_create(*, canonical_urls: list[str]) -> dict[str, Source]:
    """The Source row of each canonical URL (see clean_source_url), creating missing ones.

    A few statements for any number of URLs: discovery plans ten or more per claim.
    """
    wanted = list(dict.fromkeys(canonical_urls))
    found = {source.url: source for source in Source.objects.filter(url__in=wanted)}
    missing = [url for url in wanted if url not in found]
    if missing:
        # A concurrent insert of the same URL is skipped here and read back below.
        Source.objects.bulk_create(
            [Source(url=url, domain=(urlsplit(url).hostname or "").lower()) for url in missing],
            ignore_conflicts=True,
        )
        found.update((source.url, source) for source in Source.objects.filter(url__in=missing))
    return found


@transaction.atomic
def claim_add_source_url(
    *, claim: Claim, url: str, user: AbstractBaseUser | None, found_via: str = "reviewer"
) -> Evidence:
    """A reviewer's source for a claim: tracked at once and fetched before other work."""
    source, _ = source_get_or_create(url=url)
    evidence, created = Evidence.objects.get_or_create(
        claim=claim,
        source=source,
        defaults={"found_via": found_via, "added_by": user, "provider": "reviewer"},
    )
    if created:
        ClaimEvent.objects.create(
            claim=claim,
            kind=ClaimEvent.Kind.SOURCE_ADDED,
            actor=user,
            message=f"Source added: {source.url}"[:500],
            data={"source": source.pk},
        )
    queue.enqueue(queue.FETCH_SOURCE, source.pk, claim_ids=[claim.pk], priority=REVIEWER_PRIORITY)
    return evidence


@transaction.atomic(savepoint=False)
def evidence_upsert(
    *,
    claim: Claim,
    source: Source,
    snapshot: Snapshot | None,
    quote: str,
    quote_start: int | None,
    quote_end: int | None,
    relevance: float,
    stance: str,
    reason: str,
    found_via: str,
    provider: str = "",
    factcheck: dict[str, Any] | None = None,
    stance_backend: str = "",
) -> tuple[Evidence, bool]:
    """One evidence row per claim and source; a newer reading replaces the older one.

    The row keeps how the source was first found (a reviewer's source stays the reviewer's).
    """
    values = {
        "snapshot": snapshot,
        "quote": quote,
        "quote_start": quote_start,
        "quote_end": quote_end,
        "relevance": round(relevance, 4),
        "stance": stance,
        "reason": reason[:500],
        "stance_backend": stance_backend,
        "factcheck": factcheck or {},
    }
    before = sql.first_row(
        Evidence, ("found_via", "provider"), {"claim": claim.pk, "source": source.pk}
    )
    # One INSERT ... ON CONFLICT DO UPDATE: a concurrent insert of the same pair (a reviewer
    # adding the source) becomes an update instead of an error.
    now = timezone.now()
    evidence = Evidence(
        claim=claim, source=source, found_via=found_via, provider=provider, **values
    )
    evidence.created_at = evidence.updated_at = now
    evidence.pk = sql.insert_row(
        Evidence,
        {
            **values,
            "claim": claim.pk,
            "source": source.pk,
            "found_via": found_via,
            "provider": provider,
            "created_at": now,
            "updated_at": now,
        },
        conflict=("claim", "source"),
        update=(*values, "updated_at"),
    )
    created = before is None
    if before is not None:
        evidence.found_via, evidence.provider = before
    if created or evidence.found_via == Evidence.FoundVia.REVIEWER:
        sql.insert_row(
            ClaimEvent,
            {
                "claim": claim.pk,
                "kind": ClaimEvent.Kind.EVIDENCE_FOUND,
                "message": f"{stance.capitalize()}: {source.domain}"[:500],
                "data": {"evidence": evidence.pk, "source": source.pk},
            },
        )
    return evidence, created
