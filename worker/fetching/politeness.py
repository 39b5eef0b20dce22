"""A per-domain delay between requests that holds across every worker process.

A domain is the registrable domain (news.bbc.co.uk and www.bbc.co.uk share one slot; the
public suffix list comes with the `tld` package, no download), else the host itself (IP
addresses, localhost, names under a suffix the list does not know).

Celery's rate_limit is per worker, so the slot lives where all workers see it: in Redis
when the broker is Redis, else (filesystem broker, one machine) in a locked file under
DATA_DIR/politeness/. A caller reserves the next free slot atomically and sleeps until
it, so concurrent workers queue up instead of polling.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tld import get_fld

from .defaults import setting

KEY_PREFIX = "factcheck:politeness:"

# Reserve the slot at max(now, next_free); refuse without reserving when the wait would
# exceed max_wait. Server time, so workers on hosts with skewed clocks agree.
_RESERVE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, next_free)
local wait = start - now
local max_wait = tonumber(ARGV[2])
if max_wait >= 0 and wait > max_wait then
  return -1
end
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], start + delay, 'PX', wait + delay + 1000)
return wait
"""

_redis_clients: dict[str, object] = {}
_redis_lock = threading.Lock()


def _redis_reserve(
    broker_url: str, domain: str, delay: float, max_wait: float | None
) -> float | None:
    import redis

    with _redis_lock:
        client = _redis_clients.get(broker_url)
        if client is None:
            client = redis.Redis.from_url(broker_url, socket_timeout=5, socket_connect_timeout=5)
            _redis_clients[broker_url] = client
    max_wait_ms = -1 if max_wait is None else int(max_wait * 1000)
    wait_ms = client.eval(_RESERVE_LUA, 1, KEY_PREFIX + domain, int(delay * 1000), max_wait_ms)
    return None if int(wait_ms) < 0 else int(wait_ms) / 1000


def _slot_path(data_dir: Path, domain: str) -> Path:
    safe = re.sub(r"[^a-z0-9.-]", "_", domain)[:100]
    digest = hashlib.sha1(domain.encode(), usedforsecurity=False).hexdigest()[:8]
    return Path(data_dir) / "politeness" / f"{safe}-{digest}.slot"


def _file_reserve(
    data_dir: Path, domain: str, delay: float, max_wait: float | None
) -> float | None:
    path = _slot_path(data_dir, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        raw = os.read(fd, 64).decode("ascii", "replace").strip()
        try:
            next_free = float(raw)
        except ValueError:
            next_free = 0.0
        # Wall-clock time: the only clock all processes on the machine share as a number.
        now = time.time()
        start = max(now, next_free)
        wait = start - now
        if max_wait is not None and wait > max_wait:
            return None
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"{start + delay:.6f}".encode())
        return wait
    finally:
        os.close(fd)  # closing releases the flock


@functools.lru_cache(maxsize=4096)
def domain_key(host: str) -> str:
    """The name politeness is counted under: the registrable domain of host, else host."""
    host = host.strip().lower().rstrip(".")
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


def wait_for_domain_slot(
    domain: str,
    delay: float | None = None,
    *,
    max_wait: float | None = None,
    broker_url: str | None = None,
    data_dir: Path | str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Block until a request to domain is polite, at least delay seconds after the last.

    Returns False, without reserving a slot, when the wait would exceed max_wait.
    delay defaults to settings.FACTCHECK_FETCH_DOMAIN_DELAY; 0 never waits.
    """
    if delay is None:
        delay = float(setting("FACTCHECK_FETCH_DOMAIN_DELAY"))
    if delay <= 0:
        return True
    domain = domain_key(domain)
    if broker_url is None:
        broker_url = str(setting("CELERY_BROKER_URL") or "")
    if broker_url.startswith(("redis://", "rediss://")):
        wait = _redis_reserve(broker_url, domain, delay, max_wait)
    else:
        if data_dir is None:
            data_dir = setting("DATA_DIR")
        wait = _file_reserve(Path(data_dir), domain, delay, max_wait)
    if wait is None:
        return False
    if wait > 0:
        sleep(wait)
    return True
