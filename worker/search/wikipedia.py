"""MediaWiki search API (list=search); article URLs are built from page titles."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from .base import Provider, SearchError, SearchHit

_TAG_RE = re.compile(r"<[^>]+>")


def article_url(api_url: str, title: str) -> str:
    """https://en.wikipedia.org/w/api.php + 'Nora B-52' -> https://en.wikipedia.org/wiki/Nora_B-52."""
    slug = quote(title.replace(" ", "_"), safe="_-.,:()'!*/~")
    base = api_url.split("?", 1)[0]
    if base.endswith("/w/api.php"):  # Wikimedia's layout
        return base[: -len("/w/api.php")] + "/wiki/" + slug
    # Other MediaWiki installs: index.php?title= works whatever the article path is.
    return base.rsplit("/", 1)[0] + "/index.php?title=" + slug


def clean_snippet(snippet: str) -> str:
    """Search snippets carry <span class="searchmatch"> markup and HTML entities."""
    return " ".join(html.unescape(_TAG_RE.sub("", snippet)).split())


class WikipediaProvider(Provider):
    name = "wikipedia"

    def __init__(self, api_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.api_url = api_url

    def search(self, query: str, limit: int) -> list[SearchHit]:
        params = {
            "action": "query",
            "list": "search",
            "srsearch": query,
            "srlimit": max(1, min(limit, 50)),
            "srprop": "snippet|timestamp",
            "format": "json",
            "utf8": 1,
        }
        data = self.get_json(self.api_url, params)
        if not isinstance(data, dict):
            raise SearchError("unexpected MediaWiki answer")
        if isinstance(data.get("error"), dict):  # API errors come with HTTP 200
            err = data["error"]
            raise SearchError(f"MediaWiki error {err.get('code', '?')}: {err.get('info', '')}")
        results = (data.get("query") or {}).get("search", [])
        if not isinstance(results, list):
            raise SearchError("unexpected MediaWiki answer: no query.search list")
        hits: list[SearchHit] = []
        for item in results:
            if len(hits) >= limit:
                break
            title = item.get("title") if isinstance(item, dict) else None
            if not title:
                continue
            hits.append(
                SearchHit(
                    url=article_url(self.api_url, title),
                    title=title,
                    snippet=clean_snippet(str(item.get("snippet") or "")),
                    provider=self.name,
                    rank=len(hits) + 1,
                    query=query,
                    published=str(item.get("timestamp") or ""),
                )
            )
        return hits
