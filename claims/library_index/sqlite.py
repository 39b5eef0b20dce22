"""SQLite full-text search (the embedded defaults): an FTS5 table beside the passages.

Porter stemming over Unicode words with accents removed, and the same unstemmed tokens
column as on PostgreSQL. The same filter as there picks at most CANDIDATES passages; they
are ranked by the query words they hold (FTS5's own BM25 ranking scores every match of an
OR of common words first: seconds over 100,000 passages, bench/README.md).
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


def _fts(expression: str) -> str:
    """A to_tsquery-style expression of plain words (&, |, parentheses) in FTS5 syntax."""
    return expression.replace("&", " AND ").replace("|", " OR ")


def _score(tokens: str, terms: list[str], anchors: list[str]) -> float:
    """How many of the query's words the passage holds, names counting double."""
    padded = f" {tokens} "
    return sum(2.0 if term in anchors else 1.0 for term in terms if f" {term} " in padded)


def search(text: str, terms: list[str], anchors: list[str], limit: int):
    from claims.library_index import PassageHit, required_query

    found: list[int] = []
    # No word statistics here: every word counts as rare; the candidate cap bounds the cost.
    for required in required_query(terms, anchors, {}):
        found += [pk for pk in sql.library_fts_candidates(_fts(required), CANDIDATES)]
        if len(set(found)) >= limit:
            break
    # Ranked here: FTS5's BM25 over an OR of common words scores every match (seconds).
    tokens = dict(Passage.objects.filter(pk__in=set(found)).values_list("pk", "tokens"))
    order = {pk: index for index, pk in enumerate(dict.fromkeys(found))}
    scored = sorted(
        ((pk, _score(tokens.get(pk, ""), terms, anchors)) for pk in order),
        key=lambda item: (-item[1], order[item[0]]),
    )
    return [PassageHit(pk, score) for pk, score in scored[:limit]]
