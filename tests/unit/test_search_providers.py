"""Each search provider against the loopback fake of its real API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from worker.search import SearchHit, get_providers
from worker.search.wikipedia import WikipediaProvider, article_url

pytestmark = pytest.mark.usefixtures("loopback_allowed")


def test_wikipedia_article_url_rules():
    api = "https://en.wikipedia.org/w/api.php"
    assert article_url(api, "Nora B-52") == "https://en.wikipedia.org/wiki/Nora_B-52"
    assert article_url(api, "S-300 (missile)") == "https://en.wikipedia.org/wiki/S-300_(missile)"
    assert article_url(api, "Bakı/Baku & co?") == (
        "https://en.wikipedia.org/wiki/Bak%C4%B1/Baku_%26_co%3F"
    )
    assert article_url("https://wiki.example.org/api.php", "Main Page") == (
        "https://wiki.example.org/index.php?title=Main_Page"
    )


def test_providers_use_the_injected_http_function():
    calls = []

    def fake_get_json(url, params):
        calls.append((url, params))
        return {"query": {"search": [{"title": "Baku"}]}}

    provider = WikipediaProvider("https://en.wikipedia.org/w/api.php", http_get_json=fake_get_json)
    assert provider.search("Baku", 3) == [
        SearchHit(
            url="https://en.wikipedia.org/wiki/Baku",
            title="Baku",
            snippet="",
            provider="wikipedia",
            rank=1,
            query="Baku",
        )
    ]
    assert calls[0][0] == "https://en.wikipedia.org/w/api.php"


# --- configuration -----------------------------------------------------------------------


def test_factchecktools_url_defaults_to_google_and_the_setting_can_override(settings):
    # The environment variable of the same name reaches the code through settings.py only.
    settings.FACTCHECK_SEARCH_PROVIDERS = ["factchecktools"]
    settings.FACTCHECK_FACTCHECKTOOLS_API_KEY = "k"
    settings.FACTCHECK_FACTCHECKTOOLS_URL = ""
    (provider,) = get_providers()
    assert provider.url == "https://factchecktools.googleapis.com/v1alpha1/claims:search"
    settings.FACTCHECK_FACTCHECKTOOLS_URL = "http://127.0.0.1:9/claims:search"
    (provider,) = get_providers()
    assert provider.url == "http://127.0.0.1:9/claims:search"


def test_unknown_provider_is_improperly_configured(settings):
    settings.FACTCHECK_SEARCH_PROVIDERS = ["wikipedia", "bing", "google"]
    with pytest.raises(ImproperlyConfigured, match="unknown search provider.*bing, google"):
        get_providers()


@pytest.mark.parametrize(
    ("name", "missing"),
    [("searxng", "FACTCHECK_SEARXNG_URL"), ("factchecktools", "FACTCHECK_FACTCHECKTOOLS_API_KEY")],
)
def test_provider_without_its_endpoint_or_key_is_improperly_configured(
    settings, monkeypatch, name, missing
):
    settings.FACTCHECK_SEARCH_PROVIDERS = [name]
    setattr(settings, missing, "")
    monkeypatch.delenv(missing, raising=False)
    with pytest.raises(ImproperlyConfigured, match=missing):
        get_providers()


def test_default_provider_needs_no_key(settings):
    settings.FACTCHECK_SEARCH_PROVIDERS = ["wikipedia"]
    (provider,) = get_providers()
    assert provider.name == "wikipedia"
