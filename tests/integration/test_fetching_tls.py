"""fetch() over HTTPS: the socket goes to the checked address, the certificate and SNI are
checked against the site's name. A loopback HTTPS server with a throwaway CA (trustme)."""

from __future__ import annotations

import ssl

import pytest
import trustme

from tests.integration.test_fetching_http import only_127_0_0_1
from tests.webserver import WebServer
from worker.fetching import FetchError, fetch


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_web(ca, tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose certificate names secure.test only."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("secure.test").configure_cert(context)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    server = WebServer(tls=context).start()
    server.server_names = server_names
    bundle = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    server.ca_bundle = str(bundle)
    yield server
    server.stop()


def get(url: str, **kwargs):
    kwargs.setdefault("is_allowed_address", only_127_0_0_1)
    return fetch(url, domain_delay=0, deadline=5, timeout=3, check_robots=False, **kwargs)


def test_https_goes_to_the_checked_address_with_the_sites_name(tls_web, fake_dns):
    answers, calls = fake_dns
    # The first answer is checked; a rebinding second answer must never be used.
    answers["secure.test"] = [["127.0.0.1"], ["10.0.0.1"]]
    tls_web.server_names.clear()
    tls_web.reset()
    url = f"https://secure.test:{tls_web.port}/news/article.html"
    result = get(url, ca_bundle=tls_web.ca_bundle)
    assert result.status == 200 and result.address == "127.0.0.1"
    assert b"Ministry confirms 48" in result.body
    assert calls == ["secure.test"]
    assert tls_web.server_names == ["secure.test"]  # SNI: the name, not the address
    seen = tls_web.requests_for("/news/article.html")[0]
    assert seen.headers["host"] == f"secure.test:{tls_web.port}"


def test_certificate_for_another_name_is_refused(tls_web, fake_dns):
    answers, _ = fake_dns
    answers["other.test"] = [["127.0.0.1"]]  # same server, but its certificate is not for us
    with pytest.raises(FetchError) as caught:
        get(f"https://other.test:{tls_web.port}/news/article.html", ca_bundle=tls_web.ca_bundle)
    assert caught.value.code == "tls" and not caught.value.transient
    assert "other.test" in str(caught.value)


def test_unknown_authority_is_refused_by_default(tls_web, fake_dns):
    answers, _ = fake_dns
    answers["secure.test"] = [["127.0.0.1"]]
    with pytest.raises(FetchError) as caught:
        get(f"https://secure.test:{tls_web.port}/news/article.html")  # certifi's CAs only
    assert caught.value.code == "tls"
    assert "certificate verify failed" in str(caught.value)


def test_ca_bundle_setting_is_used(tls_web, fake_dns, settings):
    answers, _ = fake_dns
    answers["secure.test"] = [["127.0.0.1"]]
    settings.FACTCHECK_FETCH_CA_BUNDLE = tls_web.ca_bundle
    result = get(f"https://secure.test:{tls_web.port}/news/article.html")
    assert result.status == 200


def test_plain_http_to_an_https_port_fails_cleanly(tls_web, fake_dns):
    answers, _ = fake_dns
    answers["secure.test"] = [["127.0.0.1"]]
    with pytest.raises(FetchError) as caught:
        get(f"http://secure.test:{tls_web.port}/news/article.html")
    assert caught.value.code == "connection"
