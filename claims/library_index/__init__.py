"""Full-text search over library passages: one interface, two engines.

PostgreSQL (production) indexes a tsvector per passage, stemmed with the configuration of
its language, plus unstemmed folded words and designation parts; SQLite (the embedded
defaults) an FTS5 table. Callers use only the functions here; the engine follows the
database connection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

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
    words = re.findall(r"[^\W_]+", fold(text))
    return " ".join(dict.fromkeys([*words, *part_tokens(text)]))


def query_terms(query: str) -> list[str]:
    """The words of a query worth searching for: no function words, at most a couple dozen."""
    terms = [t for t in query_tokens(query) if not is_stopword(t) and len(t) > 1]
    return terms[:MAX_QUERY_TERMS]


def query_anchors(query: str) -> list[str]:
    """The names, designations and figures of a query: a passage must hold all of them."""
    return anchor_tokens(query, is_function_word=is_stopword)[:MAX_QUERY_TERMS]


# A word in more than this share of passages says nothing about which passage is wanted:
# it ranks, but is not required.
COMMON_SHARE = 0.05
MAX_REQUIRED_TERMS = 10


def _tsquery_word(term: str) -> str:
    return re.sub(r"[^\w]|_", "", term)


def required_query(terms: list[str], anchors: list[str], common: dict[str, float]) -> list[str]:
    """What a passage must hold, strictest first, as to_tsquery expressions over unstemmed
    words: the query's names, designations and figures, and two of its other words; then
    the names alone (or any one word). Words common to most passages are left out.
    """
    rare = [t for t in terms if common.get(t, 0.0) <= COMMON_SHARE and _tsquery_word(t) == t]
    rare_anchors = [a for a in anchors if a in rare]
    others = [t for t in rare if t not in rare_anchors][:MAX_REQUIRED_TERMS]
    if not rare:  # every word is everywhere: rank a sample of the passages holding any
        return [" | ".join(_tsquery_word(t) for t in terms if _tsquery_word(t))]
    anchored = " & ".join(rare_anchors)
    pairs = " | ".join(f"({a} & {b})" for a, b in combinations(others, 2))
    queries = []
    if anchored and pairs:
        queries.append(f"{anchored} & ({pairs})")
    elif pairs:
        queries.append(pairs)
    queries.append(anchored or " | ".join(rare))
    return list(dict.fromkeys(queries))


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
