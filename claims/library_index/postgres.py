"""PostgreSQL full-text search: a tsvector per passage under a GIN index.

The vector holds the passage stemmed with its language's configuration (weight A) and its
folded words and designation parts unstemmed (weight B). A query ORs its words, stemmed
for English and for the query's own language, with their unstemmed forms.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, Value

from claims.models import Passage
from language.detect import guess_language

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


def _query(text: str, terms: list[str]) -> SearchQuery:
    from claims.library_index import config_for

    configs = dict.fromkeys(["english", config_for(guess_language(text) or "")])
    parts = [SearchQuery(term, config=Value("simple")) for term in terms]
    parts += [
        SearchQuery(term, config=Value(config))
        for config in configs
        if config != "simple"
        for term in terms
        if not term.isdigit()
    ]
    return reduce(or_, parts)


def search(text: str, terms: list[str], limit: int):
    from claims.library_index import PassageHit

    query = _query(text, terms)
    rows = (
        Passage.objects.filter(search=query)
        .annotate(rank=SearchRank(F("search"), query, cover_density=True))
        .order_by("-rank", "id")
        .values_list("id", "rank")[:limit]
    )
    return [PassageHit(passage_id, float(rank)) for passage_id, rank in rows]
