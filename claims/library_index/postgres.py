"""PostgreSQL full-text search: a tsvector per passage under a GIN index.

The vector holds the passage stemmed with its language's configuration (weight A) and its
folded words and designation parts unstemmed (weight B). A query ORs its words, stemmed
for English and for the query's own language, with their unstemmed forms.
"""

from __future__ import annotations

import time

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db.models import F, Value

from claims import sql
from claims.models import Passage
from language.detect import guess_language

# Passages ranked per statement at most: a query whose words are everywhere stays cheap.
CANDIDATES = 100
COMMON_TTL = 60.0

INDEX_NAME = "passage_search_gin"


def install(schema_editor, model=Passage) -> None:
    schema_editor.add_index(model, GinIndex(fields=["search"], name=INDEX_NAME))


def index(passages: list[Passage]) -> None:
    vector = SearchVector("text", config=F("config"), weight="A") + SearchVector(
        "tokens", config=Value("simple"), weight="B"
    )
    Passage.objects.filter(pk__in=[p.pk for p in passages]).update(search=vector)


def unindex(passage_ids: list[int]) -> None:
    """Nothing to do: the vector is a column of the passage row."""


def _configs(text: str) -> list[str]:
    from claims.library_index import config_for

    return list(dict.fromkeys(["english", config_for(guess_language(text) or "")]))


def _term(term: str, configs: list[str]) -> list[tuple[str, str]]:
    """A word as written (folded) or stemmed for English or the query's language."""
    if term.isdigit():
        return [("simple", term)]
    return [("simple", term), *((c, term) for c in configs if c != "simple")]


_common: tuple[float, dict[str, float]] = (0.0, {})


def _common_lexemes() -> dict[str, float]:
    """The statistics' most common lexemes, read at most once a minute per process."""
    global _common
    read_at, lexemes = _common
    if time.monotonic() - read_at > COMMON_TTL:
        lexemes = sql.library_pg_common_lexemes()
        _common = (time.monotonic(), lexemes)
    return lexemes


def search(text: str, terms: list[str], anchors: list[str], limit: int):
    from claims.library_index import PassageHit, required_query

    configs = _configs(text)
    ranking = [pair for term in terms for pair in _term(term, configs)]
    common = _common_lexemes()
    hits: dict[int, float] = {}
    for required in required_query(terms, anchors, common):
        for passage_id, rank in sql.library_pg_search(required, ranking, limit, CANDIDATES):
            hits.setdefault(passage_id, float(rank))
        if len(hits) >= limit:
            break
    return [PassageHit(pk, rank) for pk, rank in list(hits.items())[:limit]]
