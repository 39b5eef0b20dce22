"""Build providers from settings and run a claim's queries through all of them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import HttpGetJson, Provider, SearchError, SearchHit
from .factchecktools import DEFAULT_URL as FACTCHECKTOOLS_DEFAULT_URL
from .factchecktools import FactCheckToolsProvider
from .gdelt import GdeltProvider
from .searxng import SearxngProvider
from .wikipedia import WikipediaProvider

logger = logging.getLogger(__name__)


def _setting(name: str, default: str = "") -> str:
    # Every knob is declared in settings.py (which reads the environment); empty means default.
    return str(getattr(settings, name, None) or default)


def _searxng(http: HttpGetJson | None) -> Provider:
    url = _setting("FACTCHECK_SEARXNG_URL")
    if not url:
        raise ImproperlyConfigured("search provider 'searxng' needs FACTCHECK_SEARXNG_URL")
    return SearxngProvider(url, http_get_json=http)


def _wikipedia(http: HttpGetJson | None) -> Provider:
    url = _setting("FACTCHECK_WIKIPEDIA_API_URL", "https://en.wikipedia.org/w/api.php")
    return WikipediaProvider(url, http_get_json=http)


def _factchecktools(http: HttpGetJson | None) -> Provider:
    key = _setting("FACTCHECK_FACTCHECKTOOLS_API_KEY")
    if not key:
        raise ImproperlyConfigured(
            "search provider 'factchecktools' needs FACTCHECK_FACTCHECKTOOLS_API_KEY"
        )
    url = _setting("FACTCHECK_FACTCHECKTOOLS_URL", FACTCHECKTOOLS_DEFAULT_URL)
    return FactCheckToolsProvider(key, url, http_get_json=http)


def _gdelt(http: HttpGetJson | None) -> Provider:
    url = _setting("FACTCHECK_GDELT_URL", "https://api.gdeltproject.org/api/v2/doc/doc")
    return GdeltProvider(url, http_get_json=http)


FACTORIES = {
    "searxng": _searxng,
    "wikipedia": _wikipedia,
    "factchecktools": _factchecktools,
    "gdelt": _gdelt,
}


def get_providers(
    names: Iterable[str] | None = None, http_get_json: HttpGetJson | None = None
) -> list[Provider]:
    """Providers named in settings.FACTCHECK_SEARCH_PROVIDERS (or `names`), in that order."""
    if names is None:
        names = settings.FACTCHECK_SEARCH_PROVIDERS
    if isinstance(names, str):
        names = names.split(",")
    wanted = [n.strip().lower() for n in names if n and n.strip()]
    unknown = [n for n in wanted if n not in FACTORIES]
    if unknown:
        raise ImproperlyConfigured(
            f"unknown search provider(s) in FACTCHECK_SEARCH_PROVIDERS: {', '.join(unknown)}; "
            f"known: {', '.join(FACTORIES)}"
        )
    return [FACTORIES[n](http_get_json) for n in dict.fromkeys(wanted)]


class SearchResults(list[SearchHit]):
    """Deduplicated hits, plus `errors`: provider name -> why it failed (others still ran)."""

    def __init__(self, hits: Iterable[SearchHit] = (), errors: dict[str, str] | None = None):
        super().__init__(hits)
        self.errors: dict[str, str] = dict(errors or {})


def url_key(url: str) -> str:
    """Loose identity for deduplication: case-insensitive scheme/host, no fragment/default port."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def search_all(
    queries: Iterable[str],
    limit_per_query: int = 5,
    providers: list[Provider] | None = None,
) -> SearchResults:
    """Every query through every provider; a failing provider is recorded, not fatal.

    Hits come best-rank first across queries and providers, so a caller that keeps the top N
    gets each provider's and each query's best answers rather than one provider's long tail.
    """
    if providers is None:
        providers = get_providers()
    queries = [q for q in dict.fromkeys(q.strip() for q in queries) if q]
    collected: list[tuple[int, int, int, SearchHit]] = []
    errors: dict[str, str] = {}
    for p_index, provider in enumerate(providers):
        for q_index, query in enumerate(queries[: provider.max_queries]):
            try:
                hits = provider.search(query, limit_per_query)
            except SearchError as exc:
                errors[provider.name] = str(exc)
            except Exception as exc:  # a provider bug must not cost the other providers
                logger.exception("search provider %s crashed", provider.name)
                errors[provider.name] = f"{type(exc).__name__}: {exc}"
            else:
                collected.extend((hit.rank, q_index, p_index, hit) for hit in hits)
                continue
            # Once a provider fails (down, bad key, rate-limited) its next queries would too.
            logger.warning("search provider %s failed: %s", provider.name, errors[provider.name])
            break
    collected.sort(key=lambda item: item[:3])
    merged: dict[str, SearchHit] = {}
    for *_, hit in collected:
        key = url_key(hit.url)
        kept = merged.get(key)
        if kept is None:
            merged[key] = hit
        elif hit.is_factcheck and not kept.is_factcheck:
            # An existing fact-check must show as such, whichever provider found it first.
            kept.is_factcheck, kept.factcheck = True, hit.factcheck
    return SearchResults(merged.values(), errors)
