"""Adding documents to the library: stored, cut into passages and indexed at once.

The same bytes are one document however often they come; a file whose name is already in
the collection with other bytes is a new version of that document: its evidence is read
again and a claim with a verdict comes back for review when a cited passage changed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import library_index
from claims.documents.extract import ExtractionError
from claims.documents.formats import LibraryText, read_file
from claims.library_models import LIBRARY_DOMAIN, LIBRARY_URL_PREFIX
from claims.models import Document, DocumentVersion, Evidence, Passage, Snapshot, Source
from claims.services.rechecks import claim_record_recheck_alert
from claims.services.sources import evidence_upsert
from language.quotes import locate_quote
from language.reading import read_document

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL_BYTES = 500 * 1024 * 1024  # unpacked, all members together
PASSAGE_CHARS = 700  # a passage: a few paragraphs of one page
PAGE_SEPARATOR = "\n\n"


@dataclass
class AddReport:
    """What `library add` and the upload form report, in the shape of `--json`."""

    added: int = 0
    skipped: int = 0
    failed: int = 0
    documents: list[Document] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "skipped": self.skipped,
            "failed": self.failed,
            "documents": [
                {
                    "id": d.pk,
                    "filename": d.filename,
                    "title": d.title,
                    "pages": d.pages,
                    "language": d.language,
                    "sha256": d.sha256,
                }
                for d in self.documents
            ],
            "errors": self.errors,
        }


def _passages_of(pages: list[str]) -> Iterator[tuple[int, int, int]]:
    """(page, start, end) of each passage, offsets in the pages joined by PAGE_SEPARATOR."""
    offset = 0
    for number, page in enumerate(pages, start=1):
        start = None
        for match in re.finditer(r"[^\n]+", page):
            if start is None:
                start = match.start()
            if match.end() - start >= PASSAGE_CHARS:
                yield number, offset + start, offset + match.end()
                start = None
        if start is not None:
            yield number, offset + start, offset + len(page.rstrip())
        offset += len(page) + len(PAGE_SEPARATOR)


def _page_starts(pages: list[str]) -> list[int]:
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + len(PAGE_SEPARATOR)
    return starts


def _store_passages(document: Document, version: DocumentVersion, reading: LibraryText) -> None:
    old = list(Passage.objects.filter(document=document).values_list("pk", flat=True))
    library_index.unindex_passages(old)
    Passage.objects.filter(pk__in=old).delete()
    text = PAGE_SEPARATOR.join(reading.pages)
    config = library_index.config_for(reading.language)
    passages = [
        Passage(
            document=document,
            version=version,
            page=page,
            start=start,
            end=end,
            text=text[start:end],
            tokens=library_index.passage_tokens(text[start:end]),
            config=config,
        )
        for page, start, end in _passages_of(reading.pages)
    ]
    Passage.objects.bulk_create(passages, batch_size=500)
    if any(p.pk is None for p in passages):  # backends that do not return ids
        passages = list(Passage.objects.filter(version=version))
    library_index.index_passages(passages)


def _new_source(document: Document, reading: LibraryText) -> Source:
    source = Source.objects.create(
        url=f"{LIBRARY_URL_PREFIX}{document.pk}",
        domain=LIBRARY_DOMAIN,
        title=reading.title[:500],
        publisher=document.collection[:300],
        status=Source.Status.OK,
        last_checked_at=timezone.now(),
    )
    document.source = source
    return source


def _new_version(
    document: Document,
    *,
    filename: str,
    data: bytes,
    sha256: str,
    reading: LibraryText,
    user: AbstractBaseUser | None,
) -> DocumentVersion:
    now = timezone.now()
    snapshot = Snapshot.objects.create(
        source=document.source,
        fetched_at=now,
        http_status=200,
        final_url=document.source.url,
        content_type=reading.content_type,
        headers={"content-type": reading.content_type, "content-length": str(len(data))},
        content_hash=sha256,
        title=reading.title[:500],
        publisher=document.collection[:300],
        language=reading.language,
        text=PAGE_SEPARATOR.join(reading.pages),
        raw_body=Snapshot.compress(data),
        origin=Snapshot.Origin.LIBRARY,
    )
    Source.objects.filter(pk=document.source_id).update(
        title=reading.title[:500], last_checked_at=now
    )
    return DocumentVersion.objects.create(
        document=document,
        snapshot=snapshot,
        sha256=sha256,
        filename=filename,
        content_type=reading.content_type,
        size=len(data),
        page_starts=_page_starts(reading.pages),
        added_by=user,
    )


def _rescore_evidence(document: Document, previous: Snapshot, snapshot: Snapshot) -> int:
    """Reads the new version against every claim citing the document; returns claims flagged.

    A claim whose quoted passage is no longer exactly there gets a re-check alert (and comes
    back for review when it has a verdict), as a changed web source does.
    """
    flagged = 0
    rows = Evidence.objects.filter(source=document.source).select_related("claim")
    for evidence in rows:
        claim = evidence.claim
        if evidence.quote.strip():
            match = locate_quote(evidence.quote, snapshot.text)
            if match.kind != "exact":
                how = {
                    "near": f"nearly the same ({int(match.similarity * 100)}% similar)",
                    "gone": "no longer there",
                }[match.kind]
                _event, was_flagged = claim_record_recheck_alert(
                    claim_id=claim.pk,
                    message=f"New version of {document.filename}: the quoted passage is {how}",
                    data={
                        "outcome": "changed",
                        "source": document.source_id,
                        "url": document.source.url,
                        "document": document.pk,
                        "evidence": evidence.pk,
                        "match": match.kind,
                        "similarity": match.similarity,
                        "old": {
                            "snapshot": previous.pk,
                            "passage": evidence.quote,
                            "start": evidence.quote_start,
                            "end": evidence.quote_end,
                        },
                        "new": {
                            "snapshot": snapshot.pk,
                            "passage": match.passage,
                            "start": match.start,
                            "end": match.end,
                        },
                    },
                )
                flagged += int(was_flagged)
        reading = read_document(claim.text, claim.features or {}, snapshot.text)
        evidence_upsert(
            claim=claim,
            source=document.source,
            snapshot=snapshot,
            quote=reading.passage.text if reading else "",
            quote_start=reading.passage.start if reading else None,
            quote_end=reading.passage.end if reading else None,
            relevance=float(reading.passage.score) if reading else 0.0,
            stance=reading.stance.label if reading else Evidence.Stance.MENTIONS,
            reason=reading.stance.reason if reading else "No passage of this version matches",
            found_via=evidence.found_via,
            provider=evidence.provider,
            # Re-read in the request with the built-in scorer (the optional back-ends are
            # the workers'); the card says which back-end gave the hint.
            stance_backend=Evidence.StanceBackend.BUILTIN if reading else "",
        )
    return flagged


def library_add_file(
    *,
    filename: str,
    data: bytes,
    collection: str = "",
    user: AbstractBaseUser | None = None,
) -> tuple[Document, str]:
    """Stores one file; returns its document and "added", "version" or "skipped".

    Raises ExtractionError (with a message for the user) when the file cannot be read.
    """
    filename = PurePosixPath(filename.replace("\\", "/")).name[:255] or "document"
    collection = collection.strip()[:200]
    if len(data) > MAX_FILE_BYTES:
        raise ExtractionError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    sha256 = hashlib.sha256(data).hexdigest()
    known = DocumentVersion.objects.filter(sha256=sha256).select_related("document").first()
    if known is not None:
        return known.document, "skipped"
    try:
        reading = read_file(filename, data)
    except ExtractionError:
        raise
    except Exception as exc:  # a parser's own error on a broken file: the user sees why
        logger.warning("could not read %s", filename, exc_info=True)
        raise ExtractionError(f"unreadable file: {type(exc).__name__}: {exc}") from exc
    try:
        with transaction.atomic():
            return _store(filename, data, sha256, reading, collection, user)
    except IntegrityError:  # the same bytes or name stored concurrently
        known = DocumentVersion.objects.filter(sha256=sha256).select_related("document").first()
        if known is None:
            raise
        return known.document, "skipped"


def _store(
    filename: str,
    data: bytes,
    sha256: str,
    reading: LibraryText,
    collection: str,
    user: AbstractBaseUser | None,
) -> tuple[Document, str]:
    document = (
        Document.objects.select_for_update(of=("self",))
        .filter(collection=collection, filename=filename)
        .select_related("source")
        .first()
    )
    outcome = "version"
    previous = None
    if document is None:
        outcome = "added"
        document = Document.objects.create(
            collection=collection, filename=filename, sha256=sha256, added_by=user
        )
        _new_source(document, reading)
    else:
        previous = document.versions.select_related("snapshot").order_by("-created_at").first()
    version = _new_version(
        document, filename=filename, data=data, sha256=sha256, reading=reading, user=user
    )
    document.title = reading.title[:500]
    document.pages = len(reading.pages)
    document.language = reading.language
    document.sha256 = sha256
    document.save()
    _store_passages(document, version, reading)
    if previous is not None:
        _rescore_evidence(document, previous.snapshot, version.snapshot)
    return document, outcome


def _expand(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """A .zip gives its members (folders flattened); any other file gives itself."""
    if not name.lower().endswith(".zip"):
        yield name, data
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()][:MAX_ZIP_MEMBERS]
        if sum(m.file_size for m in members) > MAX_ZIP_TOTAL_BYTES:
            raise ExtractionError(
                f"unpacks to more than {MAX_ZIP_TOTAL_BYTES // (1024 * 1024)} MB; split it"
            )
        for member in members:
            if member.file_size > MAX_FILE_BYTES:
                raise ExtractionError(f"{member.filename}: larger than the limit")
            if PurePosixPath(member.filename).name.startswith(".") or "__MACOSX" in member.filename:
                continue
            yield member.filename, archive.read(member)
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"not a readable zip file: {exc}") from exc


def library_add_files(
    *,
    files: Iterable[tuple[str, bytes]],
    collection: str = "",
    user: AbstractBaseUser | None = None,
) -> AddReport:
    """Adds every file (a .zip: its members); one unreadable file does not stop the others."""
    report = AddReport()
    seen: set[int] = set()
    for name, data in files:
        try:
            for member, content in _expand(name, data):
                try:
                    document, outcome = library_add_file(
                        filename=member, data=content, collection=collection, user=user
                    )
                except ExtractionError as exc:
                    report.failed += 1
                    report.errors.append({"filename": member, "error": str(exc)})
                    continue
                if outcome == "skipped":
                    report.skipped += 1
                else:
                    report.added += 1
                if document.pk not in seen:
                    seen.add(document.pk)
                    report.documents.append(document)
        except ExtractionError as exc:
            report.failed += 1
            report.errors.append({"filename": name, "error": str(exc)})
    return report
