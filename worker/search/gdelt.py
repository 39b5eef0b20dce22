"""GDELT DOC 2.0 API in ArtList mode: recent news articles worldwide, many languages."""

from __future__ import annotations

from .base import Provider, SearchError, SearchHit, is_web_url


class GdeltProvider(Provider):
    name = "gdelt"
    # GDELT allows about one request per 5 seconds per client; more get a plain-text refusal.
    max_queries = 1

    def __init__(self, url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.url = url

    def search(self, query: str, limit: int) -> list[SearchHit]:
        params = {
            "query": query,
            "mode": "ArtList",
            "format": "json",
            "maxrecords": max(1, min(limit, 250)),
            "sort": "HybridRel",
        }
        # Bad queries get a 200 with a plain-text message; http_get_json reports it as malformed.
        data = self.get_json(self.url, params)
        if not isinstance(data, dict):
            raise SearchError("unexpected GDELT answer")
        articles = data.get("articles", [])  # no matches: GDELT answers {}
        if not isinstance(articles, list):
            raise SearchError("unexpected GDELT answer: 'articles' is not a list")
        hits: list[SearchHit] = []
        for item in articles:
            if len(hits) >= limit:
                break
            if not isinstance(item, dict) or not is_web_url(item.get("url")):
                continue
            hits.append(
                SearchHit(
                    url=item["url"].strip(),
                    title=str(item.get("title") or ""),
                    snippet=str(item.get("domain") or ""),  # ArtList has no text snippet
                    provider=self.name,
                    rank=len(hits) + 1,
                    query=query,
                    published=str(item.get("seendate") or ""),
                    language=str(item.get("language") or ""),
                )
            )
        return hits
