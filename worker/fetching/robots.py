"""robots.txt, honoured with protego and cached per origin for a few minutes.

Like the major crawlers: a robots.txt that is missing or answers 4xx allows everything;
a 5xx (or a timeout) means "do not crawl for now", a transient failure.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from .errors import FetchError

ROBOTS_TTL = 15 * 60.0  # seconds a parsed robots.txt is trusted
ROBOTS_ERROR_TTL = 60.0  # a failing robots.txt is asked again after a minute
ROBOTS_MAX_BYTES = 512 * 1024  # Google reads the first 500 KiB
MAX_CRAWL_DELAY = 30.0  # a site asking for more still gets a fetch every 30 s

# Failures of the robots.txt request that leave us not knowing the rules.
_UNKNOWN_CODES = frozenset({"timeout", "http_5xx", "http_429"})
# Failures that would hit the page itself the same way: reported as what they are.
_HOST_CODES = frozenset({"dns_failure", "blocked_address", "connection", "tls", "invalid_url"})


@dataclass
class _Entry:
    expires_at: float
    parser: Protego | None = None  # None: no rules, everything allowed
    error: FetchError | None = None  # robots.txt unavailable: deny for now


_cache: dict[str, _Entry] = {}
_lock = threading.Lock()


def robots_url_for(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/robots.txt"


def clear_robots_cache() -> None:
    with _lock:
        _cache.clear()


def _load(robots_url: str, loader: Callable[[str], bytes]) -> _Entry:
    now = time.monotonic()
    try:
        body = loader(robots_url)
    except FetchError as exc:
        if exc.code in _UNKNOWN_CODES:
            error = FetchError(
                f"robots.txt unavailable ({exc.reason}); not fetching for now",
                "robots",
                transient=True,
                http_status=exc.http_status,
            )
            return _Entry(now + ROBOTS_ERROR_TTL, error=error)
        if exc.code in _HOST_CODES:
            raise
        # 4xx, too large, odd content: no usable rules, so nothing is forbidden.
        return _Entry(now + ROBOTS_TTL)
    return _Entry(now + ROBOTS_TTL, parser=Protego.parse(body.decode("utf-8", "replace")))


def check_robots(
    url: str,
    user_agent: str,
    loader: Callable[[str], bytes],
    *,
    ttl: float | None = None,
) -> None:
    """Raise FetchError(code="robots") unless robots.txt lets user_agent fetch url.

    loader(robots_url) returns the robots.txt body or raises FetchError; fetch() passes
    one that goes through the same address checks and limits as any other request.
    """
    key = robots_url_for(url)
    with _lock:
        entry = _cache.get(key)
    if entry is None or entry.expires_at <= time.monotonic():
        entry = _load(key, loader)
        if ttl is not None and entry.error is None:
            entry.expires_at = time.monotonic() + ttl
        with _lock:
            _cache[key] = entry
    if entry.error is not None:
        raise FetchError(
            entry.error.reason, "robots", transient=True, http_status=entry.error.http_status
        )
    if entry.parser is not None and not entry.parser.can_fetch(url, user_agent):
        raise FetchError(f"robots.txt disallows {url}", "robots", transient=False, url=url)


def crawl_delay(url: str, user_agent: str) -> float:
    """The Crawl-delay robots.txt asks of user_agent, in seconds (at most MAX_CRAWL_DELAY),
    from the rules already loaded for url's origin; 0 when none is known yet."""
    with _lock:
        entry = _cache.get(robots_url_for(url))
    if entry is None or entry.parser is None:
        return 0.0
    delay = entry.parser.crawl_delay(user_agent)
    return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0
