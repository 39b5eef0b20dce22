"""fetch() against the loopback test web: real HTTP, no mocks of requests.

Every request goes to 127.0.0.0/8 or ::1. The address policy used here allows exactly
127.0.0.1 (and ::1 where said), so anything else a bug might reach is refused first.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import time
import tracemalloc

import pytest

from tests.webserver import WebServer
from worker.fetching import FetchError, addresses, clear_robots_cache, fetch

LOOPBACK_ONE = ipaddress.ip_address("127.0.0.1")
UA = "FactcheckBot-test/1.0 (+https://factcheck.invalid/bot)"


def only_127_0_0_1(ip) -> bool:
    return ip == LOOPBACK_ONE


def get(web, path: str, **kwargs):
    kwargs.setdefault("is_allowed_address", only_127_0_0_1)
    kwargs.setdefault("domain_delay", 0)
    kwargs.setdefault("deadline", 3.0)
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("user_agent", UA)
    return fetch(web.url(path), **kwargs)


def fails(web, path: str, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        get(web, path, **kwargs)
    return caught.value


@pytest.fixture(autouse=True)
def _fresh_robots_cache():
    clear_robots_cache()
    yield
    clear_robots_cache()


# -- the happy path


def test_fetches_an_article_with_what_a_snapshot_needs(web):
    result = get(web, "/news/article.html")
    assert result.status == 200
    assert result.url == result.final_url == web.url("/news/article.html")
    assert result.content_type == "text/html; charset=utf-8"
    assert result.media_type == "text/html"
    assert b"48 new electric buses" in result.body
    assert result.content_hash == hashlib.sha256(result.body).hexdigest()
    assert result.headers["etag"] and result.headers["last-modified"]
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert not result.not_modified and result.redirects == [] and not result.permanent_redirect
    assert result.address == "127.0.0.1"
    assert 0 <= result.elapsed_ms < 3000


def test_sends_a_clear_user_agent(web):
    get(web, "/news/article.html")
    sent = web.requests_for("/news/article.html")[0].headers
    assert sent["user-agent"] == UA
    assert "gzip" in sent["accept-encoding"]
    assert sent["host"] == f"127.0.0.1:{web.port}"


def test_default_user_agent_comes_from_settings(web, settings):
    settings.FACTCHECK_USER_AGENT = "FactcheckBot/9 (settings)"
    get(web, "/news/article.html", user_agent=None)
    assert web.requests_for("/news/article.html")[0].headers["user-agent"] == (
        "FactcheckBot/9 (settings)"
    )


def test_gzip_body_is_decompressed(web):
    result = get(web, "/gzip.html")
    assert result.body.startswith(b"<!DOCTYPE html>")
    assert result.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/news/xhtml.html", "application/xhtml+xml"),
        ("/notes.txt", "text/plain"),
        ("/reports/audit.pdf", "application/pdf"),
        ("/no-type", "text/html"),  # sniffed
    ],
)
def test_supported_content_types(web, path, media_type):
    assert get(web, path).media_type == media_type


def test_unsupported_content_type_is_a_permanent_failure(web):
    error = fails(web, "/image.png")
    assert error.code == "unsupported_content_type" and not error.transient


# -- conditional requests


def test_etag_makes_a_conditional_request(web):
    first = get(web, "/news/article.html")
    again = get(web, "/news/article.html", etag=first.headers["etag"])
    assert again.status == 304 and again.not_modified and again.body == b""
    sent = web.requests_for("/news/article.html")[1].headers
    assert sent["if-none-match"] == first.headers["etag"]


def test_last_modified_makes_a_conditional_request(web):
    first = get(web, "/news/article.html")
    again = get(web, "/news/article.html", last_modified=first.headers["last-modified"])
    assert again.not_modified
    sent = web.requests_for("/news/article.html")[1].headers
    assert sent["if-modified-since"] == first.headers["last-modified"]


def test_changed_page_comes_back_whole(web):
    first = get(web, "/news/article.html")
    web.set_page("/news/article.html", "<html><body><p>Corrected: 36 buses.</p></body></html>")
    again = get(web, "/news/article.html", etag=first.headers["etag"])
    assert again.status == 200 and not again.not_modified
    assert again.content_hash != first.content_hash
    assert b"Corrected" in again.body


# -- redirects


@pytest.mark.parametrize(
    ("status", "permanent"), [(301, True), (302, False), (303, False), (307, False), (308, True)]
)
def test_redirects_are_followed_and_recorded(web, status, permanent):
    result = get(web, f"/redirect/{status}")
    assert result.final_url == web.url("/news/article.html")
    assert result.redirects == [(status, web.url("/news/article.html"))]
    assert result.permanent_redirect is permanent
    assert result.url == web.url(f"/redirect/{status}")


def test_five_redirects_are_fine(web):
    result = get(web, "/redirect/chain/5")
    assert len(result.redirects) == 5 and result.status == 200


def test_six_redirects_are_too_many(web):
    error = fails(web, "/redirect/chain/6")
    assert error.code == "too_many_redirects" and not error.transient


def test_redirect_loop(web):
    assert fails(web, "/redirect/loop").code == "too_many_redirects"


def test_relative_redirect_drops_the_fragment(web):
    result = get(web, "/redirect/relative")
    assert result.final_url == web.url("/news/article.html?utm_source=redirect")


def test_redirect_to_a_blocked_address_is_refused(web):
    error = fails(web, "/redirect/to-blocked")
    assert error.code == "blocked_address" and not error.transient
    # the checked hop was requested, the blocked one never was
    assert len(web.requests_for("/redirect/to-blocked")) == 1
    assert [r.client for r in web.requests] == ["127.0.0.1"] * len(web.requests)


def test_redirect_to_another_scheme_is_refused(web):
    assert fails(web, "/redirect/to-file").code == "invalid_url"


# -- addresses


def test_loopback_is_blocked_by_default(web, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    error = fails(web, "/news/article.html", is_allowed_address=None)
    assert error.code == "blocked_address"
    assert web.requests == []


def test_allow_private_setting_lifts_the_block(web, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    assert get(web, "/news/article.html", is_allowed_address=None).status == 200


def test_allow_private_parameter_beats_the_setting(web, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    error = fails(web, "/news/article.html", is_allowed_address=None, allow_private=False)
    assert error.code == "blocked_address"


def test_connection_goes_to_the_checked_address_despite_rebinding(web, fake_dns):
    answers, calls = fake_dns
    # First answer passes the check; any later lookup would say 127.0.0.2.
    answers["news.test"] = [["127.0.0.1"], ["127.0.0.2"]]
    result = fetch(
        f"http://news.test:{web.port}/news/article.html",
        is_allowed_address=only_127_0_0_1,
        domain_delay=0,
        deadline=3,
        check_robots=False,
    )
    assert result.status == 200 and result.address == "127.0.0.1"
    assert calls == ["news.test"]
    seen = web.requests_for("/news/article.html")[0]
    assert seen.headers["host"] == f"news.test:{web.port}"


def test_every_hop_is_checked_again(web, fake_dns):
    answers, _ = fake_dns
    answers["news.test"] = [["127.0.0.1"]]
    answers["evil.test"] = [["127.0.0.2"]]
    target = f"http://evil.test:{web.port}/news/article.html"
    with pytest.raises(FetchError) as caught:
        fetch(
            f"http://news.test:{web.port}/redirect/to?url={target}",
            is_allowed_address=only_127_0_0_1,
            domain_delay=0,
            deadline=3,
            check_robots=False,
        )
    assert caught.value.code == "blocked_address"


def test_any_disallowed_record_blocks_the_lookup(web, fake_dns):
    answers, _ = fake_dns
    answers["mixed.test"] = [["127.0.0.1", "127.0.0.2"]]
    with pytest.raises(FetchError) as caught:
        fetch(
            f"http://mixed.test:{web.port}/news/article.html",
            is_allowed_address=only_127_0_0_1,
            domain_delay=0,
            deadline=3,
        )
    assert caught.value.code == "blocked_address"
    assert web.requests == []


def test_next_checked_address_is_tried_when_one_refuses(web, fake_dns):
    answers, _ = fake_dns
    # Nothing listens on 127.0.0.4 (the server is bound to 127.0.0.1 only).
    answers["multi.test"] = [["127.0.0.4", "127.0.0.1"]]
    result = fetch(
        f"http://multi.test:{web.port}/news/article.html",
        is_allowed_address=lambda ip: ip in (LOOPBACK_ONE, ipaddress.ip_address("127.0.0.4")),
        domain_delay=0,
        deadline=3,
        check_robots=False,
    )
    assert result.address == "127.0.0.1"


def test_dns_failure(web, fake_dns, monkeypatch):
    def broken(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(addresses, "resolve", broken)
    with pytest.raises(FetchError) as caught:
        fetch("http://nowhere.test/", is_allowed_address=only_127_0_0_1, domain_delay=0)
    assert caught.value.code == "dns_failure" and not caught.value.transient


def test_ipv6_loopback():
    try:
        server = WebServer(host="::1").start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        url = server.url("/news/article.html")
        result = fetch(
            url,
            is_allowed_address=lambda ip: ip == ipaddress.ip_address("::1"),
            domain_delay=0,
            deadline=3,
        )
        assert result.status == 200 and result.address == "::1"
        with pytest.raises(FetchError) as caught:
            fetch(url, allow_private=False, domain_delay=0, deadline=3)
        assert caught.value.code == "blocked_address"
    finally:
        server.stop()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://",
        "/relative/path",
        "http://user:secret@127.0.0.1/",
        "http://127.0.0.1:99999/",
    ],
)
def test_invalid_urls_fail_before_any_connection(url):
    with pytest.raises(FetchError) as caught:
        fetch(url, is_allowed_address=only_127_0_0_1, domain_delay=0)
    assert caught.value.code == "invalid_url" and not caught.value.transient


# -- limits


def test_drip_feed_is_cut_at_the_deadline(web):
    started = time.monotonic()
    error = fails(web, "/slow/drip?interval=0.1", deadline=1.0, timeout=5)
    assert error.code == "timeout" and error.transient
    assert time.monotonic() - started < 1.6


def test_dripping_headers_are_cut_at_the_deadline(web):
    started = time.monotonic()
    error = fails(web, "/slow/headers?interval=0.1", deadline=1.0, timeout=5)
    assert error.code == "timeout"
    assert time.monotonic() - started < 1.6


def test_read_timeout(web):
    started = time.monotonic()
    error = fails(web, "/slow/wait?seconds=2", timeout=(1, 0.3), deadline=5)
    assert error.code == "timeout" and error.transient
    assert time.monotonic() - started < 1.2


def test_slow_but_within_limits_is_fine(web):
    assert get(web, "/slow/wait?seconds=0.3").status == 200


def test_huge_body_without_length_is_cut(web):
    started = time.monotonic()
    error = fails(web, "/huge", max_bytes=1_000_000)
    assert error.code == "too_large" and not error.transient
    assert time.monotonic() - started < 2


def test_declared_huge_body_is_refused_before_reading(web):
    assert fails(web, "/huge-declared", max_bytes=1_000_000).code == "too_large"


def test_gzip_bomb_is_stopped_with_bounded_memory(web):
    web.gzip_bomb()  # build it before measuring
    tracemalloc.start()
    try:
        error = fails(web, "/bomb.html", max_bytes=2_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_large"
    assert peak < 16 * 2**20  # the bomb inflates to 64 MiB


def test_max_bytes_default_comes_from_settings(web, settings):
    settings.FACTCHECK_FETCH_MAX_BYTES = 1000
    assert fails(web, "/news/article.html").code == "too_large"


# -- HTTP failures


@pytest.mark.parametrize(
    ("path", "code", "status", "transient"),
    [
        ("/missing", "http_404", 404, False),
        ("/gone", "http_410", 410, False),
        ("/error", "http_5xx", 500, True),
        ("/unavailable", "http_5xx", 503, True),
    ],
)
def test_http_errors(web, path, code, status, transient):
    error = fails(web, path)
    assert (error.code, error.http_status, error.transient) == (code, status, transient)


def test_connection_refused_is_transient():
    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(
            f"http://127.0.0.1:{port}/",
            is_allowed_address=only_127_0_0_1,
            domain_delay=0,
            check_robots=False,
        )
    assert caught.value.code == "connection" and caught.value.transient


def test_worker_keeps_working_after_hostile_endpoints(web):
    for path in ("/slow/drip?interval=0.05", "/huge", "/bomb.html"):
        with pytest.raises(FetchError):
            get(web, path, deadline=0.5, max_bytes=500_000)
    assert get(web, "/news/article.html").status == 200
