"""Default JSON-over-HTTP for search providers: plain requests with bounded time and size.

To be replaced by the SSRF-safe fetcher (worker/fetching) once it lands; providers only see
the `http_get_json(url, params)` signature.
"""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from .base import SearchError

TIMEOUT = 10.0  # seconds, for connect and for each read
MAX_BYTES = 5 * 1024 * 1024  # search API answers are small; anything bigger is wrong
DEADLINE = 20.0  # total seconds: requests has no overall limit of its own


def _user_agent() -> str:
    try:
        from django.conf import settings

        return settings.FACTCHECK_USER_AGENT
    except Exception:  # settings not configured (plain-Python use)
        return "FactcheckBot/1.0"


def http_get_json(
    url: str,
    params: dict[str, Any],
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    deadline: float = DEADLINE,
) -> Any:
    """GET url?params and decode JSON. Raises SearchError with a readable reason."""
    started = time.monotonic()
    headers = {"User-Agent": _user_agent(), "Accept": "application/json"}
    try:
        with requests.get(
            url, params=params, headers=headers, timeout=timeout, stream=True, allow_redirects=True
        ) as resp:
            body = bytearray()
            for chunk in resp.iter_content(chunk_size=65536):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise SearchError(f"response larger than {max_bytes} bytes")
                if time.monotonic() - started > deadline:
                    raise SearchError(f"response took longer than {deadline:g}s")
            status = resp.status_code
            encoding = resp.encoding or "utf-8"
    except requests.RequestException as exc:
        raise SearchError(f"request failed: {type(exc).__name__}: {exc}") from exc
    text = bytes(body).decode(encoding if encoding else "utf-8", errors="replace")
    if status >= 400:
        raise SearchError(f"HTTP {status}: {_error_detail(text)}")
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
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"
