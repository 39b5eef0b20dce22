"""fetch(): one safe, bounded, polite GET of a source URL.

Each hop of a redirect chain is checked like the first: scheme, robots.txt, every DNS
record against the address policy, then a connection pinned to the checked address.
The body is streamed and cut at max_bytes of decompressed data or at the deadline.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from socket import EAI_AGAIN, gaierror
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions

from . import addresses, politeness, robots
from .addresses import AddressPolicy, IPAddress
from .defaults import setting
from .errors import FetchError, http_error
from .transport import Deadline, shared_adapter

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
ALLOWED_MEDIA_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "application/pdf", "application/x-pdf"}
)
# What a Snapshot keeps of the response headers.
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "etag",
    "last-modified",
    "location",
    "date",
    "expires",
    "cache-control",
    "retry-after",
    "x-robots-tag",
    "link",
)
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.1"
CHUNK_SIZE = 64 * 1024
_CONDITIONAL = frozenset({"If-None-Match", "If-Modified-Since"})
MAX_ADDRESSES_TRIED = 3

_resolver_pool: ThreadPoolExecutor | None = None
_resolver_lock = threading.Lock()


def _resolver() -> ThreadPoolExecutor:
    # getaddrinfo cannot be interrupted; run it aside so the deadline still holds.
    global _resolver_pool
    with _resolver_lock:
        if _resolver_pool is None:
            _resolver_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="fetch-dns")
        return _resolver_pool


def _forget_resolver_after_fork() -> None:
    # A forked worker inherits the pool's bookkeeping but not its threads.
    global _resolver_pool, _resolver_lock
    _resolver_pool = None
    _resolver_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_resolver_after_fork)


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content_type: str  # the Content-Type header as sent (with charset), or sniffed
    body: bytes
    content_hash: str
    not_modified: bool = False
    redirects: list[tuple[int, str]] = field(default_factory=list)
    permanent_redirect: bool = False
    elapsed_ms: int = 0
    address: str = ""  # the checked IP address the final response came from

    @property
    def media_type(self) -> str:
        return media_type_of(self.content_type)


@dataclass(frozen=True)
class _Options:
    policy: AddressPolicy
    max_bytes: int
    connect_timeout: float
    read_timeout: float
    user_agent: str
    domain_delay: float
    max_redirects: int
    verify: bool | str = True  # True: certifi's CAs; a path: that PEM bundle instead


def media_type_of(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def sniff_media_type(body: bytes) -> str:
    """A media type for a body sent without Content-Type, or "" when unsure."""
    head = body[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "text/html"
    return ""


def _split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or FetchError("invalid_url")."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"invalid URL: {exc}", "invalid_url", transient=False, url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"only http and https URLs are fetched, not {scheme or 'relative'!r}",
            "invalid_url",
            transient=False,
            url=url,
        )
    if not parts.hostname:
        raise FetchError("URL has no host", "invalid_url", transient=False, url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchError("URL carries credentials", "invalid_url", transient=False, url=url)
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def _checked_addresses(
    url: str, host: str, port: int, policy: AddressPolicy, deadline: Deadline
) -> list[IPAddress]:
    try:
        ipaddress.ip_address(host)
        literal = True
    except ValueError:
        literal = False
    try:
        if literal:
            found = addresses.resolve(host, port)
        else:
            future = _resolver().submit(addresses.resolve, host, port)
            found = future.result(timeout=max(deadline.remaining(), 0.001))
    except FutureTimeout as exc:
        raise FetchError(f"DNS lookup for {host} timed out", "timeout", url=url) from exc
    except (gaierror, UnicodeError) as exc:
        transient = isinstance(exc, gaierror) and exc.errno == EAI_AGAIN
        raise FetchError(
            f"cannot resolve {host}: {exc}", "dns_failure", transient=transient, url=url
        ) from exc
    if not found:
        raise FetchError(f"{host} has no address", "dns_failure", transient=False, url=url)
    refused = addresses.disallowed(found, policy)
    if refused:
        raise FetchError(
            f"{host} resolves to a blocked address ({', '.join(map(str, refused))})",
            "blocked_address",
            transient=False,
            url=url,
        )
    return found


def _transport_error(exc: Exception, deadline: Deadline, url: str) -> FetchError:
    if deadline.expired or deadline.remaining() <= 0:
        return FetchError(f"deadline of {deadline.seconds:g}s exceeded", "timeout", url=url)
    if isinstance(exc, requests.exceptions.Timeout | urllib3.exceptions.TimeoutError):
        return FetchError(f"timed out: {exc}", "timeout", url=url)
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(f"TLS error: {exc}", "tls", transient=False, url=url)
    if isinstance(exc, urllib3.exceptions.DecodeError):
        return FetchError(f"bad content encoding: {exc}", "bad_encoding", transient=False, url=url)
    return FetchError(f"connection failed: {exc}", "connection", url=url)


def _timeouts(opts: _Options, deadline: Deadline, url: str) -> tuple[float, float]:
    remaining = deadline.remaining()
    if remaining <= 0 or deadline.expired:
        raise FetchError(f"deadline of {deadline.seconds:g}s exceeded", "timeout", url=url)
    return min(opts.connect_timeout, remaining), min(opts.read_timeout, remaining)


def _send(
    url: str,
    found: list[IPAddress],
    headers: dict[str, str],
    opts: _Options,
    deadline: Deadline,
    data: bytes | None = None,
) -> tuple[requests.Response, IPAddress]:
    method = "GET" if data is None else "POST"
    request = requests.Request(method, url, headers=headers, data=data).prepare()
    # The Host header names the site; the socket goes to the address we checked.
    request.headers["Host"] = urlsplit(url).netloc
    adapter = shared_adapter()
    last_error: Exception | None = None
    for address in found[:MAX_ADDRESSES_TRIED]:
        request.pinned_address = address  # type: ignore[attr-defined]
        try:
            response = adapter.send(
                request, stream=True, timeout=_timeouts(opts, deadline, url), verify=opts.verify
            )
            return response, address
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ConnectionError) as exc:
            # Nothing was sent yet: another checked address of the same host may answer.
            if isinstance(exc, requests.exceptions.SSLError) or not _is_connect_failure(exc):
                raise _transport_error(exc, deadline, url) from exc
            last_error = exc
        except (requests.exceptions.RequestException, OSError) as exc:
            raise _transport_error(exc, deadline, url) from exc
    assert last_error is not None
    raise _transport_error(last_error, deadline, url) from last_error


def _is_connect_failure(exc: Exception) -> bool:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def _read_body(response: requests.Response, max_bytes: int, deadline: Deadline, url: str) -> bytes:
    raw = response.raw
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"body of {declared} bytes exceeds the limit of {max_bytes}",
            "too_large",
            transient=False,
            url=url,
        )
    chunks: list[bytes] = []
    total = 0
    while True:
        if deadline.expired or deadline.remaining() <= 0:
            raise FetchError(f"deadline of {deadline.seconds:g}s exceeded", "timeout", url=url)
        try:
            # read1: at most one socket read per call, and urllib3 bounds the
            # decompressed output per call, so a gzip bomb inflates chunk by chunk.
            chunk = raw.read1(CHUNK_SIZE, decode_content=True)
        except (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError) as exc:
            raise _transport_error(exc, deadline, url) from exc
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(
                f"body exceeds the limit of {max_bytes} bytes",
                "too_large",
                transient=False,
                url=url,
            )
        chunks.append(chunk)
    if deadline.expired:  # a socket shut down by the deadline reads as a clean end
        raise FetchError(f"deadline of {deadline.seconds:g}s exceeded", "timeout", url=url)
    return b"".join(chunks)


def _kept_headers(response: requests.Response) -> dict[str, str]:
    return {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _fetch_chain(
    url: str,
    *,
    opts: _Options,
    deadline: Deadline,
    extra_headers: dict[str, str],
    accept_types: frozenset[str] | None,
    check_robots: bool,
    max_bytes: int,
    data: bytes | None = None,
) -> FetchResult:
    start = time.monotonic()
    current = _without_fragment(url)
    redirects: list[tuple[int, str]] = []
    visited = {current}
    first_host = _split_url(current)[1].lower()
    polite_hosts = {first_host}
    headers = {
        "User-Agent": opts.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate",
        **extra_headers,
    }
    while True:
        _scheme, host, port = _split_url(current)
        if host.lower() not in polite_hosts and opts.domain_delay > 0:
            polite_hosts.add(host.lower())
            if not politeness.wait_for_domain_slot(
                host,
                polite_delay(current, opts.user_agent, opts.domain_delay),
                max_wait=max(deadline.remaining(), 0),
            ):
                raise FetchError(
                    f"no polite slot for {host} before the deadline", "timeout", url=current
                )
        if check_robots:
            robots.check_robots(
                current,
                opts.user_agent,
                lambda robots_url: (
                    _fetch_chain(
                        robots_url,
                        opts=opts,
                        deadline=deadline,
                        extra_headers={},
                        accept_types=None,
                        check_robots=False,
                        max_bytes=robots.ROBOTS_MAX_BYTES,
                    ).body
                ),
            )
        found = _checked_addresses(current, host, port, opts.policy, deadline)
        response, address = _send(current, found, headers, opts, deadline, data)
        status = response.status_code
        location = response.headers.get("Location")

        if status in REDIRECT_STATUSES and location:
            deadline.release()
            response.close()
            if data is not None:  # a POST is sent once, to the address asked for
                raise FetchError(
                    f"a POST was redirected (HTTP {status})",
                    "too_many_redirects",
                    transient=False,
                    url=url,
                )
            target = _without_fragment(urljoin(current, location.strip()))
            redirects.append((status, target))
            if len(redirects) > opts.max_redirects:
                raise FetchError(
                    f"more than {opts.max_redirects} redirects",
                    "too_many_redirects",
                    transient=False,
                    url=url,
                )
            if target in visited:
                raise FetchError(
                    f"redirect loop back to {target}",
                    "too_many_redirects",
                    transient=False,
                    url=url,
                )
            visited.add(target)
            current = target
            continue

        try:
            if status == 304 and _CONDITIONAL & set(extra_headers):
                body = b""
            elif 200 <= status < 300:
                content_type = response.headers.get("Content-Type", "")
                if (
                    content_type
                    and accept_types is not None
                    and media_type_of(content_type) not in accept_types
                ):
                    raise FetchError(
                        f"unsupported content type {media_type_of(content_type)!r}",
                        "unsupported_content_type",
                        transient=False,
                        http_status=status,
                        url=current,
                    )
                body = _read_body(response, max_bytes, deadline, current)
            else:
                error = http_error(status, current)
                # A short excerpt of the error page: APIs explain their refusals there.
                try:
                    error.body_excerpt = _read_body(response, 8192, deadline, current)
                except FetchError:
                    error.body_excerpt = b""
                raise error
        except BaseException:
            deadline.release()
            response.close()
            raise
        deadline.release()
        response.raw.release_conn()  # fully read: keep the connection alive

        content_type = response.headers.get("Content-Type", "")
        if status != 304 and not content_type:
            content_type = sniff_media_type(body)
            if accept_types is not None and content_type not in accept_types:
                raise FetchError(
                    "no Content-Type and the body is not HTML or PDF",
                    "unsupported_content_type",
                    transient=False,
                    http_status=status,
                    url=current,
                )
        return FetchResult(
            url=url,
            final_url=current,
            status=status,
            headers=_kept_headers(response),
            content_type=content_type,
            body=body,
            content_hash=hashlib.sha256(body).hexdigest(),
            not_modified=status == 304,
            redirects=redirects,
            permanent_redirect=any(hop in PERMANENT_REDIRECTS for hop, _ in redirects),
            elapsed_ms=int((time.monotonic() - start) * 1000),
            address=str(address),
        )


def polite_delay(url: str, user_agent: str, delay: float) -> float:
    """Seconds between requests to url's domain: ours, or longer if its robots.txt asks
    (Crawl-delay, known once robots.txt has been read by this process)."""
    return max(delay, robots.crawl_delay(url, user_agent))


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool | None = None,
    max_bytes: int | None = None,
    timeout: float | tuple[float, float] | None = None,
    deadline: float | None = None,
    user_agent: str | None = None,
    check_robots: bool = True,
    is_allowed_address: Callable[[IPAddress], bool] | None = None,
    domain_delay: float | None = None,
    max_redirects: int = MAX_REDIRECTS,
    accept_types: frozenset[str] = ALLOWED_MEDIA_TYPES,
    ca_bundle: str | None = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """GET url safely and return its body, or raise FetchError saying why not.

    With data, the request is a POST of that body instead (an API call: send the
    Content-Type in headers); a redirect of a POST is refused. headers are sent on
    every hop, after ours.

    timeout is the connect and read timeout (one number or a (connect, read) pair),
    deadline the total wall-clock budget after the politeness wait. etag and
    last_modified make the request conditional (a 304 gives not_modified=True and an
    empty body). is_allowed_address overrides the address policy that allow_private
    picks. ca_bundle is a PEM file of certificate authorities to trust instead of
    certifi's; certificates are always checked. Every None falls back to the FACTCHECK_*
    settings.
    """
    if allow_private is None:
        allow_private = bool(setting("FACTCHECK_FETCH_ALLOW_PRIVATE"))
    if timeout is None:
        timeout = float(setting("FACTCHECK_FETCH_TIMEOUT"))
    connect_timeout, read_timeout = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    opts = _Options(
        policy=is_allowed_address or addresses.default_policy(allow_private),
        max_bytes=int(max_bytes if max_bytes is not None else setting("FACTCHECK_FETCH_MAX_BYTES")),
        connect_timeout=float(connect_timeout),
        read_timeout=float(read_timeout),
        user_agent=user_agent or str(setting("FACTCHECK_USER_AGENT")),
        domain_delay=float(
            domain_delay if domain_delay is not None else setting("FACTCHECK_FETCH_DOMAIN_DELAY")
        ),
        max_redirects=max_redirects,
        verify=(ca_bundle if ca_bundle is not None else setting("FACTCHECK_FETCH_CA_BUNDLE"))
        or True,
    )
    total = float(deadline if deadline is not None else setting("FACTCHECK_FETCH_DEADLINE"))
    extra_headers = dict(headers or {})
    if etag:
        extra_headers["If-None-Match"] = etag
    if last_modified:
        extra_headers["If-Modified-Since"] = last_modified

    _scheme, host, _port = _split_url(url)
    if opts.domain_delay > 0:
        politeness.wait_for_domain_slot(host, polite_delay(url, opts.user_agent, opts.domain_delay))
    started = time.monotonic()
    with Deadline(total) as budget:
        result = _fetch_chain(
            url,
            opts=opts,
            deadline=budget,
            extra_headers=extra_headers,
            accept_types=accept_types,
            check_robots=check_robots,
            max_bytes=opts.max_bytes,
            data=data,
        )
    result.elapsed_ms = int((time.monotonic() - started) * 1000)
    return result
