"""Full-text search over library passages: one interface, two engines.

PostgreSQL (production) indexes a tsvector per passage, stemmed with the configuration of
its language, plus unstemmed folded words and designation parts; SQLite (the embedded
defaults) an FTS5 table. Callers use only the functions here; the engine follows the
database connection.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from claims.models import Passage
from language.detect import is_stopword
from language.folding import fold
from language.search_tokens import anchor_tokens, part_tokens, query_tokens

# The languages the language layer reads, and the PostgreSQL configuration stemming each.
# Serbian: PostgreSQL's own configuration knows Cyrillic only; 'simple' reads both scripts.
CONFIGS = {
    "en": "english",
    "fr": "french",
    "ru": "russian",
    "tr": "turkish",
    "de": "german",
    "es": "spanish",
    "sr": "simple",
}
MAX_QUERY_TERMS = 24


@dataclass(frozen=True)
class PassageHit:
    passage_id: int
    score: float


def config_for(language: str) -> str:
    return CONFIGS.get(language or "", "simple")


def passage_tokens(text: str) -> str:
    """The unstemmed column of a passage: its folded words and designation parts."""
    return " ".join(dict.fromkeys([*fold(text).split(), *part_tokens(text)]))


def query_terms(query: str) -> list[str]:
    """The words of a query worth searching for: no function words, at most a couple dozen."""
    terms = [t for t in query_tokens(query) if not is_stopword(t) and len(t) > 1]
    return terms[:MAX_QUERY_TERMS]


def query_anchors(query: str) -> list[str]:
    """The names, designations and figures of a query: a passage must hold all of them."""
    return anchor_tokens(query, is_function_word=is_stopword)[:MAX_QUERY_TERMS]


def _engine():
    if connection.vendor == "postgresql":
        from claims.library_index import postgres

        return postgres
    from claims.library_index import sqlite

    return sqlite


def index_passages(passages: list[Passage]) -> None:
    """Makes saved passages searchable (same transaction as their rows)."""
    if passages:
        _engine().index(passages)


def unindex_passages(passage_ids: list[int]) -> None:
    """Takes passages out of the index before their rows are deleted."""
    if passage_ids:
        _engine().unindex(passage_ids)


def search_passages(query: str, *, limit: int = 20) -> list[PassageHit]:
    """The passages holding the query's names, designations and figures (or, for a query
    of common words only, all its words), ranked by all its words, best first."""
    terms = query_terms(query)
    if not terms:
        return []
    return _engine().search(query, terms, query_anchors(query), limit)


def install(schema_editor) -> None:
    """Creates the engine's index (the library migration runs it)."""
    if schema_editor.connection.vendor == "postgresql":
        from claims.library_index import postgres

        postgres.install(schema_editor)
    elif schema_editor.connection.vendor == "sqlite":
        from claims.library_index import sqlite

        sqlite.install(schema_editor)
