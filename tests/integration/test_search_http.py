"""The default http_get_json: bounded size, readable errors."""

from __future__ import annotations

import pytest

from worker.search import SearchError
from worker.search.http import http_get_json

pytestmark = pytest.mark.usefixtures("loopback_allowed")


def test_decodes_json_and_sends_params(search_api):
    search_api.add("wikipedia", "Bakı", [{"title": "Baku"}])
    data = http_get_json(
        search_api.url("wikipedia"), {"action": "query", "list": "search", "srsearch": "Bakı"}
    )
    assert data["query"]["search"][0]["title"] == "Baku"
    assert search_api.requests[-1].params["srsearch"] == "Bakı"


def test_body_size_is_capped(search_api):
    search_api.fail("searxng", "big")
    with pytest.raises(SearchError, match="larger than 1048576 bytes"):
        http_get_json(search_api.url("searxng") + "/search", {"q": "x"}, max_bytes=1024 * 1024)


def test_connection_refused_is_a_search_error():
    with pytest.raises(SearchError, match="request failed"):
        http_get_json("http://127.0.0.1:9/search", {}, timeout=2)


def test_google_error_message_is_surfaced(search_api):
    with pytest.raises(SearchError, match="HTTP 400: API key not valid"):
        http_get_json(search_api.url("factchecktools"), {"query": "x", "key": "bad"})


def test_unknown_path_is_http_404(search_api):
    with pytest.raises(SearchError, match="HTTP 404"):
        http_get_json(search_api.base_url + "/nope", {})


def test_search_endpoints_go_through_the_ssrf_guard(settings, search_api):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(SearchError, match="blocked|not allowed|private|loopback"):
        http_get_json(search_api.url("wikipedia"), {"action": "query"})
    assert search_api.requests == []
