"""SearxNG JSON API: GET {base}/search?q=...&format=json (format json must be enabled)."""

from __future__ import annotations

from .base import Provider, SearchError, SearchHit, is_web_url


class SearxngProvider(Provider):
    name = "searxng"

    def __init__(self, base_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        base = base_url.rstrip("/")
        # Accept both the instance root and its /search endpoint.
        self.endpoint = base if base.endswith("/search") else base + "/search"

    def search(self, query: str, limit: int) -> list[SearchHit]:
        data = self.get_json(self.endpoint, {"q": query, "format": "json", "pageno": 1})
        if not isinstance(data, dict) or not isinstance(data.get("results", []), list):
            raise SearchError("unexpected SearxNG answer: no 'results' list")
        hits: list[SearchHit] = []
        for item in data.get("results", []):
            if len(hits) >= limit:
                break
            if not isinstance(item, dict) or not is_web_url(item.get("url")):
                continue
            hits.append(
                SearchHit(
                    url=item["url"].strip(),
                    title=str(item.get("title") or ""),
                    snippet=str(item.get("content") or ""),
                    provider=self.name,
                    rank=len(hits) + 1,
                    query=query,
                    published=str(item.get("publishedDate") or ""),
                )
            )
        return hits
