"""Each search provider against the loopback fake of its real API."""

from __future__ import annotations

import pytest

from tests.search_server import API_KEY
from worker.search import SearchError, get_providers
from worker.search.factchecktools import FactCheckToolsProvider
from worker.search.gdelt import GdeltProvider
from worker.search.searxng import SearxngProvider
from worker.search.wikipedia import WikipediaProvider

NORA_QUERY = '"Nora B-52NG" 48 howitzers'

pytestmark = pytest.mark.usefixtures("loopback_allowed")


def test_searxng_returns_hits_in_rank_order_and_drops_non_web_urls(search_api):
    search_api.add(
        "searxng",
        NORA_QUERY,
        [
            {
                "url": "https://www.defensenews.example/azerbaijan-nora-b52",
                "title": "Azerbaijan receives Serbian Nora B-52 howitzers",
                "content": "Baku has taken delivery of 48 Nora B-52NG self-propelled guns.",
                "publishedDate": "2025-03-02T00:00:00",
            },
            {"url": "javascript:alert(1)", "title": "bad", "content": ""},
            {"url": "https://sr.example/vesti/nora", "title": "Nora B-52 za Azerbejdžan"},
            {"url": "https://third.example/", "title": "third"},
        ],
    )
    provider = SearxngProvider(search_api.url("searxng"))
    hits = provider.search(NORA_QUERY, limit=2)
    assert [h.url for h in hits] == [
        "https://www.defensenews.example/azerbaijan-nora-b52",
        "https://sr.example/vesti/nora",
    ]
    assert [h.rank for h in hits] == [1, 2]
    assert hits[0].provider == "searxng" and not hits[0].is_factcheck
    assert hits[0].snippet.startswith("Baku has taken delivery of 48")
    assert hits[0].published == "2025-03-02T00:00:00"
    assert hits[0].query == NORA_QUERY
    sent = search_api.requests[-1]
    assert sent.path == "/searxng/search"
    assert sent.params["format"] == "json" and sent.params["q"] == NORA_QUERY


def test_searxng_accepts_base_url_with_search_suffix(search_api):
    provider = SearxngProvider(search_api.url("searxng") + "/search/")
    assert provider.search("nothing here", 5) == []
    assert search_api.requests[-1].path == "/searxng/search"


def test_wikipedia_builds_article_urls_and_cleans_snippets(search_api):
    search_api.add(
        "wikipedia",
        "Nora B-52",
        [
            {
                "title": "Nora B-52",
                "snippet": 'The <span class="searchmatch">Nora</span> B-52 is a Serbian '
                "155&nbsp;mm self-propelled gun&#039;s family",
            },
            {"title": "Azerbaijani Land Forces"},
        ],
    )
    provider = WikipediaProvider(search_api.url("wikipedia"))
    hits = provider.search("Nora B-52", limit=5)
    assert [h.title for h in hits] == ["Nora B-52", "Azerbaijani Land Forces"]
    assert hits[0].url == f"{search_api.base_url}/wikipedia/wiki/Nora_B-52"
    assert hits[1].url.endswith("/wiki/Azerbaijani_Land_Forces")
    assert hits[0].snippet == "The Nora B-52 is a Serbian 155 mm self-propelled gun's family"
    params = search_api.requests[-1].params
    assert params["action"] == "query" and params["list"] == "search"
    assert params["format"] == "json" and params["srsearch"] == "Nora B-52"


def test_wikipedia_api_error_with_http_200_is_an_error(search_api):
    search_api.fail("wikipedia", "error")
    with pytest.raises(SearchError, match="CirrusSearch is temporarily unavailable"):
        WikipediaProvider(search_api.url("wikipedia")).search("Baku", 5)


def test_factchecktools_hits_are_existing_factchecks(search_api):
    search_api.add(
        "factchecktools",
        "Azerbaijan defense spending",
        [
            {
                "text": "Azerbaijan raised defence spending by 20% every year",
                "claimant": "Social media posts",
                "claimDate": "2025-06-01T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Faktyoxla", "site": "faktyoxla.info"},
                        "url": "https://faktyoxla.info/en/defence-budget-claim",
                        "title": "Did Azerbaijan's defence budget grow 20% a year?",
                        "reviewDate": "2025-06-10T00:00:00Z",
                        "textualRating": "Misleading",
                        "languageCode": "en",
                    },
                    {
                        "publisher": {"site": "factcheck.ge"},
                        "url": "https://factcheck.ge/en/story/12345",
                        "textualRating": "Half true",
                        "languageCode": "ka",
                    },
                ],
            }
        ],
    )
    provider = FactCheckToolsProvider(API_KEY, search_api.url("factchecktools"))
    hits = provider.search("Azerbaijan defense spending", limit=10)
    assert len(hits) == 2
    first, second = hits
    assert first.is_factcheck and first.provider == "factchecktools"
    assert first.url == "https://faktyoxla.info/en/defence-budget-claim"
    assert first.factcheck == {
        "rating": "Misleading",
        "publisher_name": "Faktyoxla",
        "publisher_site": "faktyoxla.info",
        "review_url": "https://faktyoxla.info/en/defence-budget-claim",
        "review_title": "Did Azerbaijan's defence budget grow 20% a year?",
        "review_date": "2025-06-10T00:00:00Z",
        "claimant": "Social media posts",
        "claim_text": "Azerbaijan raised defence spending by 20% every year",
        "claim_date": "2025-06-01T00:00:00Z",
        "language": "en",
    }
    assert "Misleading" in first.snippet and "Faktyoxla" in first.snippet
    # No review title: fall back to the claim text; no publisher name: the site.
    assert second.title == "Azerbaijan raised defence spending by 20% every year"
    assert second.factcheck["rating"] == "Half true" and second.language == "ka"
    assert "factcheck.ge" in second.snippet
    params = search_api.requests[-1].params
    assert params["key"] == API_KEY and params["query"] == "Azerbaijan defense spending"


def test_factchecktools_no_matches_is_empty_object(search_api):
    provider = FactCheckToolsProvider(API_KEY, search_api.url("factchecktools"))
    assert provider.search("nothing was ever checked", 5) == []


def test_factchecktools_bad_key_reports_googles_message(search_api):
    provider = FactCheckToolsProvider("wrong", search_api.url("factchecktools"))
    with pytest.raises(SearchError, match="HTTP 400: API key not valid"):
        provider.search("Baku", 5)


def test_gdelt_artlist(search_api):
    search_api.add(
        "gdelt",
        "Azerbaijan Nora howitzers",
        [
            {
                "url": "https://www.novosti.example/clanak/nora-azerbejdzan",
                "title": "Srbija isporučila haubice Nora Azerbejdžanu",
                "language": "Serbian",
                "sourcecountry": "Serbia",
            },
            {"url": "https://news.example.az/en/nora", "title": "Nora arrives"},
        ],
    )
    provider = GdeltProvider(search_api.url("gdelt"))
    hits = provider.search("Azerbaijan Nora howitzers", limit=1)
    assert len(hits) == 1
    assert hits[0].language == "Serbian"
    assert hits[0].snippet == "www.novosti.example"
    assert hits[0].published == "20251104T123000Z"
    params = search_api.requests[-1].params
    assert params["mode"] == "ArtList" and params["format"] == "json"
    assert params["maxrecords"] == "1"


def test_gdelt_no_results_and_plain_text_refusal(search_api):
    provider = GdeltProvider(search_api.url("gdelt"))
    assert provider.search("zzzz no such thing", 5) == []
    search_api.fail("gdelt", "error")
    with pytest.raises(SearchError, match="HTTP 429: Please limit requests"):
        provider.search("Baku", 5)


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("500", "HTTP 500"),
        ("malformed", "malformed JSON"),
        ("empty", "malformed JSON"),
        ("html403", "HTTP 403"),
    ],
)
@pytest.mark.parametrize("api", ["searxng", "wikipedia", "gdelt"])
def test_broken_answers_raise_search_error(search_api, api, mode, message):
    search_api.fail(api, mode)
    provider = {"searxng": SearxngProvider, "wikipedia": WikipediaProvider, "gdelt": GdeltProvider}[
        api
    ](search_api.url(api))
    with pytest.raises(SearchError, match=message):
        provider.search("Baku", 5)


# --- configuration -----------------------------------------------------------------------


def test_get_providers_follows_settings_order(settings, search_api):
    settings.FACTCHECK_SEARCH_PROVIDERS = ["gdelt", "wikipedia", "searxng", "factchecktools"]
    settings.FACTCHECK_SEARXNG_URL = search_api.url("searxng")
    settings.FACTCHECK_FACTCHECKTOOLS_API_KEY = API_KEY
    settings.FACTCHECK_FACTCHECKTOOLS_URL = search_api.url("factchecktools")
    providers = get_providers()
    assert [p.name for p in providers] == ["gdelt", "wikipedia", "searxng", "factchecktools"]
    assert providers[3].url == search_api.url("factchecktools")
    assert providers[3].api_key == API_KEY
