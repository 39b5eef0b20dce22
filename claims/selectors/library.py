"""Reading the document library: search results, lists and a document's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.urls import reverse

from claims.library_index import search_passages
from claims.library_models import is_library_url
from claims.models import Document, DocumentVersion, Evidence, Passage

# Passages fetched per document wanted: several passages of one document often match.
PASSAGES_PER_HIT = 4


@dataclass
class LibraryResult:
    document_id: int
    url: str  # the document's source URL
    filename: str
    title: str
    language: str
    collection: str
    page: int
    passage: str
    score: float


def library_search(query: str, *, limit: int = 10) -> list[LibraryResult]:
    """The documents best matching the query, best first, each with its best passage."""
    if not Document.objects.exists():
        return []
    hits = search_passages(query, limit=limit * PASSAGES_PER_HIT)
    if not hits:
        return []
    passages = Passage.objects.in_bulk([hit.passage_id for hit in hits])
    best: dict[int, tuple[Passage, float]] = {}
    for hit in hits:
        passage = passages.get(hit.passage_id)
        if passage is not None and passage.document_id not in best:
            best[passage.document_id] = (passage, hit.score)
    documents = Document.objects.select_related("source").in_bulk(list(best))
    results = []
    for document_id, (passage, score) in best.items():
        document = documents.get(document_id)
        if document is None or document.source is None:
            continue
        results.append(
            LibraryResult(
                document_id=document.pk,
                url=document.source.url,
                filename=document.filename,
                title=document.title,
                language=document.language,
                collection=document.collection,
                page=passage.page,
                passage=passage.text,
                score=score,
            )
        )
    return results[:limit]


def library_documents(*, collection: str = "") -> QuerySet[Document]:
    """The library's documents, newest first, with who added them and how often cited."""
    documents = Document.objects.select_related("added_by").annotate(
        versions_count=Count("versions", distinct=True),
        cited=Count("source__evidence", distinct=True),
    )
    if collection:
        documents = documents.filter(collection=collection)
    return documents.order_by("-created_at", "-pk")


def library_collections() -> list[tuple[str, int]]:
    """(collection, documents) of every collection, by name."""
    rows = Document.objects.values_list("collection").annotate(n=Count("pk")).order_by("collection")
    return list(rows)


def document_pages(document: Document) -> list[tuple[int, str]]:
    """(page number, text) of the document's current version."""
    version = document.versions.select_related("snapshot").order_by("-created_at").first()
    if version is None:
        return []
    text = version.snapshot.text
    starts = [*version.page_starts, len(text) + 2]
    return [(n, text[starts[n - 1] : starts[n] - 2]) for n in range(1, len(starts))]


def document_citations(document: Document) -> QuerySet[Evidence]:
    """Evidence drawn from the document, with its claim."""
    return (
        Evidence.objects.filter(source_id=document.source_id)
        .select_related("claim", "snapshot__document_version")
        .order_by("-relevance")
    )


def evidence_document(evidence: Evidence) -> dict | None:
    """{"id", "filename", "page"} of library evidence; None for web evidence."""
    snapshot = evidence.snapshot
    if snapshot is None or not is_library_url(evidence.source.url):
        return None
    version = getattr(snapshot, "document_version", None)
    if version is None:
        return None
    return {
        "id": version.document_id,
        "filename": version.filename,
        "page": version.page_at(evidence.quote_start),
    }


def library_snapshots(*, source_ids: list[int]) -> dict[int, int]:
    """source id -> snapshot id of the current version, for the sources that are documents."""
    if not source_ids:
        return {}
    versions = (
        DocumentVersion.objects.filter(document__source_id__in=source_ids)
        .order_by("document__source_id", "created_at", "pk")
        .values_list("document__source_id", "snapshot_id")
    )
    return dict(versions)  # the latest version of each document comes last and wins


def library_document_url(document_id: int, page: int | None = None) -> str:
    """The document page of the reviewer UI, at a page when given."""
    url = reverse("library_document", kwargs={"pk": document_id})
    return f"{url}#page-{page}" if page else url
