"""search_all: every query through every provider, deduplicated, failures kept per provider."""

from __future__ import annotations

import pytest

from worker.search import Provider, SearchError, SearchHit, search_all

pytestmark = pytest.mark.usefixtures("loopback_allowed")


def test_fact_check_flag_survives_deduplication():
    url = "https://factcheck.example/review/1"

    class Web(Provider):
        name = "web"

        def search(self, query, limit):
            return [SearchHit(url, "A review", "", self.name, 1)]

    class Checks(Provider):
        name = "checks"

        def search(self, query, limit):
            info = {"rating": "False", "review_url": url}
            return [SearchHit(url, "A review", "", self.name, 1, True, info)]

    results = search_all(["q"], 3, providers=[Web(), Checks()])
    assert len(results) == 1
    assert results[0].provider == "web"
    assert results[0].is_factcheck and results[0].factcheck["rating"] == "False"


def test_crashing_provider_is_contained():
    class Broken(Provider):
        name = "broken"

        def search(self, query, limit):
            raise KeyError("items")

    class Fine(Provider):
        name = "fine"

        def search(self, query, limit):
            return [SearchHit(f"https://ok.example/{query}", query, "", self.name, 1)]

    results = search_all(["a", "b", "a", " "], 3, providers=[Broken(), Fine()])
    assert [h.url for h in results] == ["https://ok.example/a", "https://ok.example/b"]
    assert results.errors == {"broken": "KeyError: 'items'"}


def test_search_error_type_is_public():
    assert issubclass(SearchError, Exception)
