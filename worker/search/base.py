"""The provider interface: every search back-end turns a query into SearchHits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

# (url, params) -> decoded JSON. Injected so production can route through the SSRF-safe fetcher.
HttpGetJson = Callable[[str, dict[str, Any]], Any]


class SearchError(Exception):
    """A provider could not answer: HTTP error, malformed JSON, API-level error."""


@dataclass
class SearchHit:
    url: str
    title: str
    snippet: str
    provider: str
    rank: int  # 1-based position in this provider's answer to one query
    is_factcheck: bool = False
    # For is_factcheck hits: rating, publisher_name, publisher_site, review_url, review_date,
    # review_title, claimant, claim_text, claim_date, language.
    factcheck: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    published: str = ""  # as the provider gives it; not parsed
    language: str = ""  # as the provider gives it ("English", "sr", ...)


def is_web_url(url: Any) -> bool:
    """Only http(s) URLs with a host are candidate sources; drop javascript:, data:, etc."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class Provider:
    """One search back-end. Subclasses set `name` and implement `search`."""

    name: str = ""
    # Send only the first N queries of a claim (None: all). For APIs with strict rate limits.
    max_queries: int | None = None

    def __init__(self, http_get_json: HttpGetJson | None = None) -> None:
        self._http_get_json = http_get_json

    def get_json(self, url: str, params: dict[str, Any]) -> Any:
        if self._http_get_json is not None:
            return self._http_get_json(url, params)
        # Looked up at call time so a swap of the module default reaches existing providers.
        from . import http

        return http.http_get_json(url, params)

    def search(self, query: str, limit: int) -> list[SearchHit]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
