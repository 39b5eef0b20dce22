"""SQLite full-text search (the embedded defaults): an FTS5 table beside the passages.

Porter stemming over Unicode words with accents removed, and the same unstemmed tokens
column as on PostgreSQL; a query ORs its words and ranks with BM25.
"""

from __future__ import annotations

from claims import sql
from claims.models import Passage

CANDIDATES = 200  # passages ranked per statement at most


def install(schema_editor) -> None:
    sql.library_fts_create()


def index(passages: list[Passage]) -> None:
    sql.library_fts_insert([(p.pk, p.text, p.tokens) for p in passages])


def unindex(passage_ids: list[int]) -> None:
    sql.library_fts_delete(passage_ids)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts(expression: str) -> str:
    """A to_tsquery-style expression of plain words (&, |, parentheses) in FTS5 syntax."""
    return expression.replace("&", " AND ").replace("|", " OR ")


def search(text: str, terms: list[str], anchors: list[str], limit: int):
    from claims.library_index import PassageHit, required_query

    ranking = " OR ".join(_quoted(term) for term in terms)
    hits: dict[int, float] = {}
    # No word statistics here: every word counts as rare; the candidate cap bounds the cost.
    for required in required_query(terms, anchors, {}):
        for pk, score in sql.library_fts_search(_fts(required), ranking, limit, CANDIDATES):
            hits.setdefault(pk, float(score))
        if len(hits) >= limit:
            break
    return [PassageHit(pk, score) for pk, score in list(hits.items())[:limit]]
