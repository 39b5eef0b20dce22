"""The `library` provider: the newsroom's own documents, searched in the database.

Hits are the documents whose passages best match the query, one hit per document; their
URL is the document's source ("library:document/<id>"), which research reads from the
stored version instead of fetching.
"""

from __future__ import annotations

from claims.selectors.library import library_search
from worker.search.base import Provider, SearchHit


class LibraryProvider(Provider):
    name = "library"

    def search(self, query: str, limit: int) -> list[SearchHit]:
        return [
            SearchHit(
                url=result.url,
                title=result.title,
                snippet=result.passage,
                provider=self.name,
                rank=rank,
                query=query,
                language=result.language,
            )
            for rank, result in enumerate(library_search(query, limit=limit), start=1)
        ]
