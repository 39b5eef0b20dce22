"""search_all: every query through every provider, deduplicated, failures kept per provider."""

from __future__ import annotations

import pytest

from tests.search_server import API_KEY
from worker.search import get_providers, search_all
from worker.search.registry import url_key

QUERIES = ["Azerbaijan Nora B-52NG howitzers Serbia", '"Nora B-52NG" 48 howitzers']
SHARED = "https://www.defensenews.example/azerbaijan-nora-b52"

pytestmark = pytest.mark.usefixtures("loopback_allowed")


@pytest.fixture
def all_providers(settings, search_api):
    settings.FACTCHECK_SEARCH_PROVIDERS = ["searxng", "wikipedia", "factchecktools", "gdelt"]
    settings.FACTCHECK_SEARXNG_URL = search_api.url("searxng")
    settings.FACTCHECK_WIKIPEDIA_API_URL = search_api.url("wikipedia")
    settings.FACTCHECK_FACTCHECKTOOLS_API_KEY = API_KEY
    settings.FACTCHECK_FACTCHECKTOOLS_URL = search_api.url("factchecktools")
    settings.FACTCHECK_GDELT_URL = search_api.url("gdelt")
    return search_api


def _seed(api):
    api.add(
        "searxng",
        QUERIES[0],
        [
            {"url": SHARED, "title": "Azerbaijan receives Nora B-52", "content": "48 guns"},
            {"url": "https://armyrecognition.example/nora", "title": "Nora B-52NG"},
        ],
    )
    api.add(
        "searxng",
        QUERIES[1],
        # The same article again, with a fragment and upper-case host: one source.
        [{"url": "https://WWW.defensenews.example/azerbaijan-nora-b52/#comments", "title": "x"}],
    )
    api.add("wikipedia", QUERIES[0], [{"title": "Nora B-52"}])
    api.add(
        "factchecktools",
        QUERIES[1],
        [
            {
                "text": "Azerbaijan bought 48 Nora howitzers",
                "claimReview": [
                    {
                        "publisher": {"name": "Raskrikavanje", "site": "raskrikavanje.rs"},
                        "url": "https://raskrikavanje.rs/nora-48",
                        "textualRating": "Tačno",
                        "languageCode": "sr",
                    }
                ],
            }
        ],
    )
    api.add("gdelt", QUERIES[0], [{"url": "https://novosti.example/nora", "language": "Serbian"}])


def test_search_all_merges_and_deduplicates(all_providers):
    _seed(all_providers)
    results = search_all(QUERIES, limit_per_query=5)
    urls = [hit.url for hit in results]
    assert len(urls) == len({url_key(u) for u in urls}) == 5
    assert urls.count(SHARED) == 1 and results.errors == {}
    # Best ranks first, across providers, so the top N mixes providers.
    assert {hit.provider for hit in results[:4]} == {
        "searxng",
        "wikipedia",
        "factchecktools",
        "gdelt",
    }
    factchecks = [hit for hit in results if hit.is_factcheck]
    assert [hit.factcheck["rating"] for hit in factchecks] == ["Tačno"]
    # GDELT is rate limited to about one request per 5 s: only the first query goes there.
    assert all_providers.queries("gdelt") == [QUERIES[0]]
    assert all_providers.queries("wikipedia") == QUERIES


def test_one_failing_provider_does_not_stop_the_others(all_providers):
    _seed(all_providers)
    all_providers.fail("searxng", "500")
    all_providers.fail("wikipedia", "malformed")
    results = search_all(QUERIES, limit_per_query=5)
    assert set(results.errors) == {"searxng", "wikipedia"}
    assert results.errors["searxng"].startswith("HTTP 500")
    assert "malformed JSON" in results.errors["wikipedia"]
    assert {hit.provider for hit in results} == {"factchecktools", "gdelt"}
    # A provider that failed is not asked again for the claim's other queries.
    assert len(all_providers.queries("searxng")) == 1


def test_bad_key_is_reported_for_that_provider_only(all_providers, settings):
    _seed(all_providers)
    settings.FACTCHECK_FACTCHECKTOOLS_API_KEY = "expired"
    results = search_all(QUERIES, limit_per_query=5)
    assert "API key not valid" in results.errors["factchecktools"]
    assert not any(hit.is_factcheck for hit in results)
    assert len(results) == 4


def test_search_all_reads_providers_from_settings(settings, search_api):
    settings.FACTCHECK_SEARCH_PROVIDERS = ["wikipedia"]
    settings.FACTCHECK_WIKIPEDIA_API_URL = search_api.url("wikipedia")
    search_api.add("wikipedia", "Baku", [{"title": "Baku"}])
    results = search_all(["Baku"], 5)
    assert [h.title for h in results] == ["Baku"]
    assert [p.name for p in get_providers()] == ["wikipedia"]
