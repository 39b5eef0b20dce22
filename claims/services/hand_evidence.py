"""Evidence added by hand: a document a reviewer uploads or an excerpt they paste.

For what cannot be fetched: a page offline, a PDF from a press office, a phone call. It is
stored as an immutable snapshot with its SHA-256, marked as added by that reviewer, and
scored by the worker like any fetched source. `snapshot_record_by_hand` writes it through
`record_fetch`, like every snapshot (text made storable, language guessed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims import queue
from claims.models import Claim, ClaimEvent, Evidence, Snapshot, Source
from claims.services.snapshots import FetchedPage, record_fetch
from claims.services.sources import source_get_or_create
from language.detect import guess_language

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_EXCERPT_CHARS = 20_000
OFFLINE_DOMAIN = "added by hand"

# Leading bytes -> media type, for the kinds of file a reviewer may upload.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")


@dataclass(frozen=True)
class HandDocument:
    """An uploaded file: its bytes, the media type we recognised and its name."""

    body: bytes
    content_type: str
    name: str = ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def needs_extraction(self) -> bool:
        """PDF and HTML are read by the worker's extractor; text and images are not."""
        return self.content_type in ("application/pdf", "text/html")


def recognise_document(body: bytes, name: str = "") -> HandDocument:
    """The uploaded file as a PDF, HTML, text or image document; ValidationError otherwise."""
    if not body:
        raise ValidationError({"file": "The file is empty."})
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {MAX_DOCUMENT_BYTES // 1024 // 1024} MB."}
        )
    for magic, content_type in _MAGIC:
        if body.startswith(magic):
            return HandDocument(body, content_type, name)
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return HandDocument(body, "image/webp", name)
    head = body[:512].lstrip().lower()
    if head.startswith(_HTML_STARTS) or name.lower().endswith((".html", ".htm")):
        return HandDocument(body, "text/html", name)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": "Upload a PDF, an HTML page, a UTF-8 text file or an image (PNG, JPEG, GIF)."}
        ) from None
    if b"\x00" in body:
        raise ValidationError({"file": "That file is binary, not text."})
    return HandDocument(body, "text/plain; charset=utf-8", name)


def snapshot_record_by_hand(
    *,
    source: Source,
    user: AbstractBaseUser,
    origin: str,
    body: bytes,
    content_type: str,
    text: str,
    citation: str,
    title: str = "",
) -> Snapshot:
    """Stores what a reviewer gave us as an immutable snapshot of the source, with its hash
    and language, through record_fetch like every snapshot.

    The source's own state is left alone: the live page (if any) still says what it said.
    """
    page = FetchedPage(
        http_status=0,  # not an HTTP response
        final_url=source.url,
        content_type=content_type,
        headers={},
        body=body,
        content_hash=hashlib.sha256(body).hexdigest(),
        text=text,
        title=title,
        language=guess_language(text) or "",
        origin=origin,
        added_by=user,
        citation=citation,
    )
    record = record_fetch(source=source, started_at=timezone.now(), duration_ms=0, page=page)
    assert record.snapshot is not None
    return record.snapshot


def _offline_source(content_hash: str, citation: str) -> Source:
    """A source without an address, one per document: never fetched, never re-checked."""
    source, _ = Source.objects.get_or_create(
        url=f"urn:sha256:{content_hash}",
        defaults={
            "domain": OFFLINE_DOMAIN,
            "title": citation[:500],
            "status": Source.Status.OFFLINE,
        },
    )
    return source


@transaction.atomic
def claim_add_evidence_by_hand(
    *,
    claim: Claim,
    user: AbstractBaseUser,
    citation: str,
    url: str = "",
    excerpt: str = "",
    document: HandDocument | None = None,
) -> Evidence:
    """Evidence for the claim from a document or excerpt a reviewer supplies.

    citation says where it comes from ("Press release of the MoD, 3 March 2024"); url,
    when given, is the page it stands for (often one that could not be fetched). An image
    needs an excerpt: what it shows, in words, is what gets scored.
    """
    citation = (citation or "").strip()
    excerpt = (excerpt or "").strip()
    if not citation:
        raise ValidationError({"citation": "Say where this comes from (a citation)."})
    if len(citation) > 500:
        raise ValidationError({"citation": "Keep the citation under 500 characters."})
    if len(excerpt) > MAX_EXCERPT_CHARS:
        raise ValidationError({"excerpt": f"Keep the excerpt under {MAX_EXCERPT_CHARS} chars."})
    if document is None and not excerpt:
        raise ValidationError({"excerpt": "Upload a file or paste an excerpt."})
    if document is not None and document.is_image and not excerpt:
        raise ValidationError(
            {"excerpt": "An image needs an excerpt: write down what it shows or says."}
        )

    if document is not None:
        body, content_type, origin = document.body, document.content_type, Snapshot.Origin.UPLOAD
        text = excerpt or ("" if document.needs_extraction else body.decode("utf-8").strip())
    else:
        body, content_type, origin = (
            excerpt.encode(),
            "text/plain; charset=utf-8",
            Snapshot.Origin.PASTED,
        )
        text = excerpt
    if url.strip():
        source, _ = source_get_or_create(url=url)
    else:
        source = _offline_source(hashlib.sha256(body).hexdigest(), citation)
    snapshot = snapshot_record_by_hand(
        source=source,
        user=user,
        origin=origin,
        body=body,
        content_type=content_type,
        text=text,
        citation=citation,
        title=(document.name if document is not None else "") or citation,
    )
    evidence, created = Evidence.objects.get_or_create(
        claim=claim,
        source=source,
        defaults={
            "found_via": Evidence.FoundVia.REVIEWER,
            "provider": "reviewer",
            "added_by": user,
        },
    )
    # Citable at once (the reviewer read it); the stance comes when the worker scores it.
    Evidence.objects.filter(pk=evidence.pk).update(snapshot=snapshot, stance=None)
    evidence.refresh_from_db()
    what = "Document uploaded" if document is not None else "Excerpt added"
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.SOURCE_ADDED,
        actor=user,
        message=f"{what} by hand: {citation}"[:500],
        data={"source": source.pk, "snapshot": snapshot.pk, "sha256": snapshot.content_hash},
    )
    if text:
        queue.enqueue(queue.SCORE_SOURCE, source.pk, claim_ids=[claim.pk], snapshot_id=snapshot.pk)
    else:
        queue.enqueue(queue.SCORE_ADDED_DOCUMENT, snapshot.pk, claim_ids=[claim.pk])
    return evidence


def added_document_unreadable(*, snapshot_id: int, claim_ids: list[int], reason: str) -> None:
    """Tells the claims that the uploaded document's text could not be extracted."""
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(
                claim_id=claim_id,
                kind=ClaimEvent.Kind.SOURCE_ADDED,
                message=f"Could not read the text of the uploaded document: {reason}"[:500],
                data={"snapshot": snapshot_id},
            )
            for claim_id in claim_ids
        ]
    )
