"""SQLite full-text search (the embedded defaults): an FTS5 table beside the passages.

Porter stemming over Unicode words with accents removed, and the same unstemmed tokens
column as on PostgreSQL; a query ORs its words and ranks with BM25.
"""

from __future__ import annotations

from claims import sql
from claims.models import Passage


def install(schema_editor) -> None:
    sql.library_fts_create()


def index(passages: list[Passage]) -> None:
    sql.library_fts_insert([(p.pk, p.text, p.tokens) for p in passages])


def unindex(passage_ids: list[int]) -> None:
    sql.library_fts_delete(passage_ids)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def search(text: str, terms: list[str], anchors: list[str], limit: int):
    from claims.library_index import PassageHit

    ranking = " OR ".join(_quoted(term) for term in terms)
    if anchors:
        required = " AND ".join(f"tokens : {_quoted(anchor)}" for anchor in anchors)
    else:
        required = " AND ".join(_quoted(term) for term in terms)
    match = f"({required}) AND ({ranking})"
    return [PassageHit(pk, float(score)) for pk, score in sql.library_fts_search(match, limit)]
