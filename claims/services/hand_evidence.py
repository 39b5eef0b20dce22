"""Evidence added by hand: a document a reviewer uploads or an excerpt they paste.

For what cannot be fetched: a page offline, a PDF from a press office, a phone call. It is
stored as an immutable snapshot with its SHA-256, marked as added by that reviewer, and
scored by the worker like any fetched source. An uploaded PDF or HTML page is read here, in
the request, through claims.documents (under its time budget), so the snapshot is written
once with its text, title and language; one that cannot be read is refused and nothing is
stored. `snapshot_record_by_hand` writes it through `record_fetch`, like every snapshot
(text made storable, language guessed when the document does not say).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims import queue
from claims.documents.extract import Document, ExtractionError, extract_document
from claims.models import Claim, ClaimEvent, Evidence, Snapshot, Source
from claims.services.snapshots import FetchedPage, record_fetch
from claims.services.sources import source_get_or_create
from language.detect import guess_language

logger = logging.getLogger(__name__)

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
        """PDF and HTML are read through claims.documents; text and images are not."""
        return self.content_type in ("application/pdf", "text/html")


_PASTE_INSTEAD = "paste the passage that bears on the claim as an excerpt instead"


def read_hand_document(document: HandDocument, url: str = "") -> Document:
    """The text of an uploaded PDF, HTML page or text file, read at once.

    PDF and HTML go through claims.documents under its time budget
    (FACTCHECK_EXTRACT_SECONDS). A document that cannot be read (broken, too complex to
    read in time, or without any text) raises ValidationError on "file"; images have no
    text to read here (their excerpt says what they show).
    """
    if document.is_image:
        raise ValueError("an image has no text to read; its excerpt stands for it")
    if not document.needs_extraction:
        read = Document(text=document.body.decode("utf-8").strip(), kind="text")
    else:
        read = _extract(document, url)
    if not read.text.strip():
        raise ValidationError(
            {
                "file": "No text found in this document (a scanned PDF needs OCR first); "
                f"{_PASTE_INSTEAD}."
            }
        )
    return read


def _extract(document: HandDocument, url: str) -> Document:
    try:
        return extract_document(document.body, document.content_type, url)
    except ExtractionError as exc:
        raise ValidationError(
            {"file": f"Could not read this document ({str(exc)[:200]}); {_PASTE_INSTEAD}."}
        ) from exc
    except Exception as exc:  # a parser's own error on a broken file: the reviewer sees why
        logger.warning("could not read the uploaded %s", document.content_type, exc_info=True)
        raise ValidationError(
            {"file": f"Could not read this document ({type(exc).__name__}); {_PASTE_INSTEAD}."}
        ) from exc


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
    language: str = "",
) -> Snapshot:
    """Stores what a reviewer gave us as an immutable snapshot of the source, with its hash
    and language (guessed from the text unless given), through record_fetch like every
    snapshot.

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
        language=language or guess_language(text) or "",
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
    needs an excerpt: what it shows, in words, is what gets scored. An uploaded document
    without an excerpt is read here, before anything is written: one that cannot be read
    raises ValidationError and stores nothing. With an excerpt, the excerpt is what gets
    scored (a scanned PDF, a photo) and the file is kept as it came.
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

    if document is None:
        body = excerpt.encode()
        content_type, origin = "text/plain; charset=utf-8", Snapshot.Origin.PASTED
        reading = Document(text=excerpt, title=citation)
    else:
        body, content_type, origin = document.body, document.content_type, Snapshot.Origin.UPLOAD
        # Read outside the transaction: extraction may take up to its time budget.
        reading = Document(text=excerpt) if excerpt else read_hand_document(document, url)
        reading.title = reading.title or document.name or citation
    with transaction.atomic():
        return _store_by_hand(
            claim=claim,
            user=user,
            citation=citation,
            url=url,
            origin=origin,
            body=body,
            content_type=content_type,
            reading=reading,
        )


def _store_by_hand(
    *,
    claim: Claim,
    user: AbstractBaseUser,
    citation: str,
    url: str,
    origin: str,
    body: bytes,
    content_type: str,
    reading: Document,
) -> Evidence:
    """Writes the snapshot (once, complete), the claim's evidence and its event; queues the
    scoring."""
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
        text=reading.text,
        citation=citation,
        title=reading.title,
        language=reading.language or "",
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
    what = "Excerpt added" if origin == Snapshot.Origin.PASTED else "Document uploaded"
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.SOURCE_ADDED,
        actor=user,
        message=f"{what} by hand: {citation}"[:500],
        data={"source": source.pk, "snapshot": snapshot.pk, "sha256": snapshot.content_hash},
    )
    queue.enqueue(queue.SCORE_SOURCE, source.pk, claim_ids=[claim.pk], snapshot_id=snapshot.pk)
    return evidence


def added_document_unreadable(*, snapshot_id: int, claim_ids: list[int], reason: str) -> None:
    """Tells the claims that the uploaded document's text could not be read (a snapshot
    stored before uploads were read at once, still without text)."""
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
