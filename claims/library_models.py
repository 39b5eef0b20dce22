"""The document library: the newsroom's own documents, their versions and their passages.

A Document is tracked like a source: it has a Source row (url "library:document/<id>")
and each version is an immutable Snapshot of it, so evidence, reviews, re-checks and
bundles treat a library document the way they treat a web page. Passages are the
current version's text cut into pieces with their page number, for full-text search.
"""

from __future__ import annotations

import bisect

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

LIBRARY_URL_PREFIX = "library:document/"
LIBRARY_DOMAIN = "library"


def is_library_url(url: str) -> bool:
    return url.startswith(LIBRARY_URL_PREFIX)


class Document(models.Model):
    collection = models.CharField(max_length=200, blank=True, db_index=True)
    filename = models.CharField(max_length=255)
    title = models.CharField(max_length=500, blank=True)
    pages = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=20, blank=True)
    sha256 = models.CharField(max_length=64)  # of the current version
    source = models.OneToOneField(
        "claims.Source", null=True, on_delete=models.PROTECT, related_name="document"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "filename"], name="document_unique_collection_filename"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.filename

    @property
    def url(self) -> str:
        return f"{LIBRARY_URL_PREFIX}{self.pk}"


class DocumentVersion(models.Model):
    """One immutable version of a document: its bytes and text live in its Snapshot."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    snapshot = models.OneToOneField(
        "claims.Snapshot", on_delete=models.PROTECT, related_name="document_version"
    )
    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    # Offset in the snapshot's text where each page begins (page 1 at index 0).
    page_starts = models.JSONField(default=list)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"

    def page_at(self, offset: int | None) -> int | None:
        """The page number (from 1) holding a text offset."""
        if offset is None or not self.page_starts:
            return None
        return max(bisect.bisect_right(self.page_starts, offset), 1)


class Passage(models.Model):
    """A piece of a document's current version, searchable on its own."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField()
    start = models.PositiveIntegerField()  # offsets in the version's snapshot text
    end = models.PositiveIntegerField()
    text = models.TextField()
    # Folded words and designation parts (language.search_tokens), indexed without stemming.
    tokens = models.TextField(blank=True)
    # The PostgreSQL text search configuration of the passage's language.
    config = models.CharField(max_length=20, default="simple")
    # PostgreSQL only (GIN index, created by the migration); SQLite indexes an FTS5 table.
    search = SearchVectorField(null=True)

    class Meta:
        ordering = ["document", "start"]
        indexes = [models.Index(fields=["document", "start"], name="passage_document_idx")]

    def __str__(self) -> str:
        return f"{self.document_id} p.{self.page}: {self.text[:60]}"
