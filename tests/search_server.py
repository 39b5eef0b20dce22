"""Loopback fake of the four search APIs (SearxNG, MediaWiki, Fact Check Tools, GDELT).

Answers have the JSON shapes the real APIs return, including their error styles: MediaWiki
errors with HTTP 200, Google's {"error": {...}} with 400, GDELT's plain-text refusals, an
empty `{}` for "no results". Use the `search_api` fixture:

    search_api.add("searxng", "Nora B-52NG", [{"url": ..., "title": ..., "content": ...}])
    search_api.fail("gdelt", "500")            # every gdelt query; or fail(api, mode, query)
    settings.FACTCHECK_SEARXNG_URL = search_api.url("searxng")

Result items are given in each API's own item shape (missing fields get realistic defaults).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.loopback import serving

APIS = ("searxng", "wikipedia", "factchecktools", "gdelt")
PATHS = {
    "/searxng/search": "searxng",
    "/wikipedia/w/api.php": "wikipedia",
    "/factchecktools/v1alpha1/claims:search": "factchecktools",
    "/gdelt/api/v2/doc/doc": "gdelt",
}
FAIL_MODES = ("500", "malformed", "error", "empty", "big", "html403")
API_KEY = "test-factcheck-key"


@dataclass
class Request:
    api: str
    path: str
    params: dict[str, str]


@dataclass
class FakeSearchAPI:
    base_url: str = ""
    results: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[tuple[str, str | None], str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    api_key: str = API_KEY
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, api: str) -> str:
        """Endpoint to put in settings: the SearxNG root, the others' full API URLs."""
        if api == "searxng":
            return f"{self.base_url}/searxng"
        path = next(p for p, a in PATHS.items() if a == api)
        return self.base_url + path

    def add(self, api: str, query: str, items: list[dict[str, Any]]) -> None:
        """Canned results for an exact query string (queries not added get no results)."""
        assert api in APIS, api
        self.results[(api, query)] = list(items)

    def fail(self, api: str, mode: str, query: str | None = None) -> None:
        """Make `api` misbehave for one query or (query=None) for all of them."""
        assert api in APIS and mode in FAIL_MODES, (api, mode)
        self.failures[(api, query)] = mode

    def queries(self, api: str) -> list[str]:
        key = {"searxng": "q", "wikipedia": "srsearch"}.get(api, "query")
        return [r.params.get(key, "") for r in self.requests if r.api == api]


# --- answers in each API's shape -------------------------------------------------------


def _searxng(q: str, items: list[dict]) -> dict:
    results = []
    for i, item in enumerate(items, 1):
        url = item["url"]
        results.append(
            {
                "url": url,
                "title": item.get("title", ""),
                "content": item.get("content", ""),
                "engine": "duckduckgo",
                "parsed_url": list(urlsplit(url)) + [""],
                "template": "default.html",
                "engines": ["duckduckgo", "brave"],
                "positions": [i],
                "publishedDate": item.get("publishedDate"),
                "score": round(2.0 / i, 3),
                "category": "general",
                **{k: v for k, v in item.items() if k not in ("url", "title", "content")},
            }
        )
    return {
        "query": q,
        "number_of_results": 0,
        "results": results,
        "answers": [],
        "corrections": [],
        "infoboxes": [],
        "suggestions": [],
        "unresponsive_engines": [["google", "timeout"]],
    }


def _wikipedia(q: str, items: list[dict]) -> dict:
    search = [
        {
            "ns": 0,
            "title": item["title"],
            "pageid": item.get("pageid", 1000 + i),
            "size": item.get("size", 12345),
            "wordcount": item.get("wordcount", 1500),
            "snippet": item.get("snippet", ""),
            "timestamp": item.get("timestamp", "2025-10-01T12:00:00Z"),
        }
        for i, item in enumerate(items)
    ]
    answer: dict[str, Any] = {
        "batchcomplete": "",
        "query": {"searchinfo": {"totalhits": len(search)}, "search": search},
    }
    if search:
        answer["continue"] = {"sroffset": len(search), "continue": "-||"}
    return answer


def _factchecktools(items: list[dict]) -> dict:
    if not items:
        return {}  # the real API answers an empty object when nothing matches
    return {"claims": items, "nextPageToken": "CAo"}


def _gdelt(items: list[dict]) -> dict:
    if not items:
        return {}
    articles = [
        {
            "url": item["url"],
            "url_mobile": "",
            "title": item.get("title", ""),
            "seendate": item.get("seendate", "20251104T123000Z"),
            "socialimage": "",
            "domain": item.get("domain", urlsplit(item["url"]).hostname or ""),
            "language": item.get("language", "English"),
            "sourcecountry": item.get("sourcecountry", "United States"),
        }
        for item in items
    ]
    return {"articles": articles}


def _api_error(api: str) -> tuple[int, str, bytes]:
    """Each API's own way of saying no."""
    if api == "wikipedia":
        body = {
            "error": {
                "code": "srsearch-text-disabled",
                "info": "CirrusSearch is temporarily unavailable.",
                "*": "See https://en.wikipedia.org/w/api.php for API usage.",
            },
            "servedby": "mw-api-ext.eqiad.main-7d9f",
        }
        return 200, "application/json; charset=utf-8", json.dumps(body).encode()
    if api == "factchecktools":
        return 403, "application/json; charset=UTF-8", json.dumps(_google_error(403)).encode()
    if api == "gdelt":
        text = "Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com."
        return 429, "text/html", text.encode()
    body = {"error": "search engine error"}
    return 502, "application/json", json.dumps(body).encode()


def _google_error(code: int) -> dict:
    if code == 400:
        message, status, reason = (
            "API key not valid. Please pass a valid API key.",
            "INVALID_ARGUMENT",
            "API_KEY_INVALID",
        )
    else:
        message, status, reason = (
            "Fact Check Tools API has not been used in project 123 before or it is disabled.",
            "PERMISSION_DENIED",
            "SERVICE_DISABLED",
        )
    return {
        "error": {
            "code": code,
            "message": message,
            "status": status,
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": reason,
                    "domain": "googleapis.com",
                    "metadata": {"service": "factchecktools.googleapis.com"},
                }
            ],
        }
    }


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeSearch/1.0"
    api: FakeSearchAPI  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        api = PATHS.get(parts.path)
        if api is None:
            self._send(404, "text/html", b"<html><body><h1>404 Not Found</h1></body></html>")
            return
        with self.api.lock:
            self.api.requests.append(Request(api, parts.path, params))
        query = params.get({"searxng": "q", "wikipedia": "srsearch"}.get(api, "query"), "")
        mode = self.api.failures.get((api, query)) or self.api.failures.get((api, None))
        if mode:
            self._fail(api, mode)
            return
        if api == "searxng" and params.get("format") != "json":
            # SearxNG with the json format not enabled in settings.yml
            self._send(403, "text/html", b"<html><body>Forbidden</body></html>")
            return
        if api == "factchecktools" and params.get("key") != self.api.api_key:
            self._send(
                400, "application/json; charset=UTF-8", json.dumps(_google_error(400)).encode()
            )
            return
        if api == "gdelt" and params.get("mode", "").lower() != "artlist":
            self._send(200, "text/html", b"Invalid mode specified.")
            return
        items = self.api.results.get((api, query), [])
        if api == "searxng":
            answer = _searxng(query, items)
        elif api == "wikipedia":
            if not query:
                answer = {
                    "error": {
                        "code": "missingparam",
                        "info": 'The "srsearch" parameter must be set.',
                    }
                }
            else:
                answer = _wikipedia(query, items)
        elif api == "factchecktools":
            answer = _factchecktools(items)
        else:
            answer = _gdelt(items)
        self._send(200, "application/json; charset=utf-8", json.dumps(answer).encode())

    def _fail(self, api: str, mode: str) -> None:
        if mode == "500":
            body = b"<html><head><title>500 Internal Server Error</title></head></html>"
            self._send(500, "text/html", body)
        elif mode == "malformed":
            self._send(200, "application/json", b'{"results": [{"url": "https://exa')
        elif mode == "empty":
            self._send(200, "application/json", b"")
        elif mode == "big":
            self._send(
                200, "application/json", b'{"results": ["' + b"x" * (6 * 1024 * 1024) + b'"]}'
            )
        elif mode == "html403":
            self._send(403, "text/html", b"<html><body>Forbidden</body></html>")
        else:
            self._send(*_api_error(api))


@pytest.fixture
def search_api() -> Iterator[FakeSearchAPI]:
    """A fresh loopback fake of all four search APIs; stopped after the test."""
    api = FakeSearchAPI()
    handler = type("Handler", (_Handler,), {"api": api})
    with serving(handler, name="fake-search-api") as api.base_url:
        yield api
