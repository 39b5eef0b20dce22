"""Reading an archived copy of a source that cannot be fetched (Wayback Machine by default).

The lookup answers like the Wayback Machine's availability API:
{"archived_snapshots": {"closest": {"available": true, "url": "...", "timestamp": "..."}}}.
The lookup and the copy both go through the safe fetcher.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from claims import queue
from claims.models import Snapshot, Source
from claims.services.snapshots import record_fetch
from claims.services.unread_sources import archive_lookup_record
from worker.fetch import fetched_page
from worker.fetching import ExtractionError, FetchError, extract_document, fetch

LOOKUP_TYPES = frozenset({"application/json", "text/javascript", "text/plain"})
LOOKUP_MAX_BYTES = 256 * 1024


def archived_copy_url(url: str) -> str | None:
    """The URL of the closest archived copy of url, None when the archive has none.

    Raises FetchError when the lookup cannot be made or answers nonsense.
    """
    lookup = settings.FACTCHECK_ARCHIVE_LOOKUP_URL + quote(url, safe="")
    result = fetch(
        lookup,
        check_robots=False,
        domain_delay=0,
        max_bytes=LOOKUP_MAX_BYTES,
        accept_types=LOOKUP_TYPES,
    )
    try:
        data = json.loads(result.body.decode("utf-8", errors="replace"))
    except ValueError as exc:
        raise FetchError("the archive's answer is not JSON", "archive_invalid") from exc
    closest = ((data or {}).get("archived_snapshots") or {}).get("closest") or {}
    if not isinstance(closest, dict) or not closest.get("available") or not closest.get("url"):
        return None
    return str(closest["url"])


def read_archived_copy(source_id: int, claim_ids: list[int]) -> str:
    """Looks the source up in the archive, stores the copy and queues its scoring.

    Returns the archived copy's URL, or "" when there is none (the claims are told why).
    """
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return ""
    started = timezone.now()
    clock = time.monotonic()
    try:
        copy_url = archived_copy_url(source.url)
        if copy_url is None:
            archive_lookup_record(
                source=source, claim_ids=claim_ids, found="", reason="the archive has no copy"
            )
            return ""
        result = fetch(copy_url, domain_delay=0)
        document = extract_document(result.body, result.content_type, result.final_url)
    except (FetchError, ExtractionError) as exc:
        reason = getattr(exc, "reason", None) or str(exc)
        archive_lookup_record(source=source, claim_ids=claim_ids, found="", reason=reason)
        return ""
    page = replace(fetched_page(result, document), origin=Snapshot.Origin.ARCHIVE)
    snapshot = record_fetch(
        source=source,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        page=page,
    ).snapshot
    archive_lookup_record(source=source, claim_ids=claim_ids, found=result.final_url, reason="")
    if claim_ids:
        queue.enqueue(queue.SCORE_SOURCE, source.pk, claim_ids=claim_ids, snapshot_id=snapshot.pk)
    return result.final_url
