"""JSON over HTTP for search providers, through the SSRF-safe fetcher with tight bounds."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from worker.fetching import FetchError, fetch

from .base import SearchError

TIMEOUT = 10.0  # seconds, for connect and for each read
MAX_BYTES = 5 * 1024 * 1024  # search API answers are small; anything bigger is wrong
DEADLINE = 20.0  # total seconds
JSON_TYPES = frozenset(
    {"application/json", "application/javascript", "text/javascript", "text/plain", "text/html"}
)


def _with_params(url: str, params: dict[str, Any]) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params, doseq=True)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def http_get_json(
    url: str,
    params: dict[str, Any],
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    deadline: float = DEADLINE,
) -> Any:
    """GET url?params and decode JSON. Raises SearchError with a readable reason.

    APIs are not crawled pages: robots.txt is not consulted and the per-domain politeness
    delay is left to each provider's query budget.
    """
    try:
        result = fetch(
            _with_params(url, params),
            timeout=timeout,
            max_bytes=max_bytes,
            deadline=deadline,
            check_robots=False,
            domain_delay=0,
            accept_types=JSON_TYPES,
        )
    except FetchError as exc:
        if exc.http_status:
            detail = _error_detail(exc.body_excerpt.decode("utf-8", errors="replace"))
            raise SearchError(f"HTTP {exc.http_status}: {detail}") from exc
        if exc.code == "too_large":
            raise SearchError(f"response larger than {max_bytes} bytes") from exc
        raise SearchError(f"request failed: {exc.reason}") from exc
    text = result.body.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SearchError(f"malformed JSON: {_excerpt(text)}") from exc


def _error_detail(text: str) -> str:
    """Google-style {"error": {"message"}} or MediaWiki {"error": {"info"}}, else the body."""
    try:
        data = json.loads(text)
    except ValueError:
        return _excerpt(text)
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        err = data["error"]
        return str(err.get("message") or err.get("info") or err)
    return _excerpt(text)


def _excerpt(text: str, size: int = 200) -> str:
    text = " ".join(text.split()) or "(empty)"
    return text if len(text) <= size else text[: size - 1] + "…"
