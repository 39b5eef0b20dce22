"""Writing sources, their snapshots, fetch attempts and the evidence drawn from them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import queue, sql
from claims.canonical_url import canonicalize_url
from claims.models import Claim, ClaimEvent, Evidence, FetchAttempt, Snapshot, Source

REVIEWER_PRIORITY = 0  # Redis: lower number = served first
DEFAULT_CHECK_INTERVAL = dt.timedelta(days=1)


def clean_source_url(url: str) -> str:
    """The canonical form of a URL someone gave us, or a ValidationError saying why not."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": "Enter a full http:// or https:// address."})
    if len(url) > 2000:
        raise ValidationError({"url": "That address is too long."})
    return canonicalize_url(url)


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


def source_claim_for_fetch(*, source_id: int, stale_after: dt.timedelta) -> bool:
    """Takes the fetch of a source, so two workers never fetch it at once."""
    now = timezone.now()
    claimed = sql.source_claim_fetch(source_id, now=now, busy_since=now - stale_after)
    return bool(claimed)


@transaction.atomic
def snapshot_record(
    *,
    source: Source,
    fetched_at: dt.datetime,
    http_status: int,
    final_url: str,
    content_type: str,
    headers: dict[str, Any],
    body: bytes,
    content_hash: str,
    text: str,
    title: str = "",
    publisher: str = "",
    published_date: dt.date | None = None,
    language: str = "",
    duration_ms: int = 0,
    origin: str = Snapshot.Origin.FETCHED,
) -> Snapshot:
    """Stores what a source said at fetch time and marks the source fetched.

    A fetch whose content hash equals the latest snapshot's reuses that snapshot. An
    archived copy (origin=archive) is stored the same way but leaves the source's own
    state alone: the live page still failed.
    """
    # A source never fetched has no snapshot to compare with (discovery: the common case).
    latest = source.snapshots.order_by("-fetched_at").first() if source.last_checked_at else None
    if latest is not None and latest.content_hash == content_hash:
        snapshot = latest
    else:
        snapshot = Snapshot(
            source=source,
            fetched_at=fetched_at,
            http_status=http_status,
            final_url=final_url,
            content_type=content_type[:200],
            headers=headers,
            content_hash=content_hash,
            title=title[:500],
            publisher=publisher[:300],
            published_date=published_date,
            language=(language or "")[:20],
            text=text,
            raw_body=Snapshot.compress(body),
            origin=origin,
        )
        values = {f.attname: getattr(snapshot, f.attname) for f in Snapshot._meta.concrete_fields}
        values.pop("id")
        snapshot.pk = sql.insert_row(Snapshot, values)
        snapshot._state.adding = False
    sql.insert_row(
        FetchAttempt,
        {
            "source": source.pk,
            "snapshot": snapshot.pk,
            "started_at": fetched_at,
            "duration_ms": duration_ms,
            "outcome": FetchAttempt.Outcome.OK,
            "http_status": http_status,
            "code": "" if origin == Snapshot.Origin.FETCHED else origin,
        },
    )
    if origin != Snapshot.Origin.FETCHED:
        return snapshot
    interval = source.check_interval or DEFAULT_CHECK_INTERVAL
    fields = {
        "status": Source.Status.OK,
        "failure_reason": "",
        "title": (title or source.title)[:500],
        "publisher": (publisher or source.publisher)[:300],
        "etag": str(headers.get("etag", ""))[:500],
        "last_modified": str(headers.get("last-modified", ""))[:100],
        "last_checked_at": fetched_at,
        "next_check_at": fetched_at + interval,
        "check_interval": interval,
        "fetch_started_at": None,
    }
    sql.update_rows(Source, {"id": source.pk}, fields)
    for name, value in fields.items():
        setattr(source, name, value)
    return snapshot


@transaction.atomic
def fetch_failure_record(
    *,
    source: Source,
    started_at: dt.datetime,
    reason: str,
    transient: bool,
    http_status: int | None = None,
    duration_ms: int = 0,
    code: str = "",
) -> FetchAttempt:
    """Records a failed fetch with its reason; the source shows it to reviewers."""
    attempt = FetchAttempt.objects.create(
        source=source,
        started_at=started_at,
        duration_ms=duration_ms,
        outcome=FetchAttempt.Outcome.FAILED,
        http_status=http_status,
        reason=reason[:300],
        code=code[:40],
        transient=transient,
    )
    Source.objects.filter(pk=source.pk).update(
        status=Source.Status.FAILING if transient else Source.Status.FAILED,
        failure_reason=reason[:300],
        last_checked_at=started_at,
        fetch_started_at=None,
    )
    return attempt


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
