"""Address policy and URL canonicalisation: pure functions, no network at all."""

from __future__ import annotations

import ipaddress

import pytest

from claims.canonical_url import canonicalize_url
from worker.fetching import addresses
from worker.fetching.addresses import allow_any_but_metadata, is_public_address


@pytest.mark.parametrize(
    "ip",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "127.0.0.2",
        "0.0.0.0",
        "169.254.169.254",
        "169.254.1.1",
        "100.64.0.1",
        "100.127.255.254",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.0.192",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a00:1",
        "2002:a00:1::1",
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_refused(ip):
    assert not is_public_address(ipaddress.ip_address(ip))


@pytest.mark.parametrize(
    "ip", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(ip):
    assert is_public_address(ipaddress.ip_address(ip))


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "::1", "100.64.0.1", "fe80::1"])
def test_allow_private_lifts_the_private_block(ip):
    assert allow_any_but_metadata(ipaddress.ip_address(ip))


@pytest.mark.parametrize(
    "ip", ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "0.0.0.0", "224.0.0.1"]
)
def test_allow_private_still_refuses_cloud_metadata(ip):
    assert not allow_any_but_metadata(ipaddress.ip_address(ip))


def test_one_bad_record_condemns_the_lookup():
    found = [ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("10.0.0.1")]
    assert addresses.disallowed(found, is_public_address) == [ipaddress.ip_address("10.0.0.1")]


def test_resolve_takes_ip_literals_without_dns():
    assert addresses.resolve("127.0.0.1", 80) == [ipaddress.ip_address("127.0.0.1")]
    assert addresses.resolve("[::1]", 80) == [ipaddress.ip_address("::1")]


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM:80", "http://example.com/"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com/a/./b/../c", "http://example.com/a/c"),
        ("http://example.com/story#comments", "http://example.com/story"),
        (
            "http://example.com/s?utm_source=tw&b=2&a=1&fbclid=x&gclid=y&mc_cid=1&mc_eid=2&ref=hp",
            "http://example.com/s?a=1&b=2",
        ),
        ("http://example.com/?UTM_Medium=x", "http://example.com/"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
        ("http://example.com/%7euser/%2f", "http://example.com/~user/%2F"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com./x", "http://example.com/x"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
        ("http://example.com/?flag", "http://example.com/?flag"),
    ],
)
def test_canonicalize_url(url, canonical):
    assert canonicalize_url(url) == canonical


def test_canonicalize_url_is_idempotent():
    url = "https://WWW.Example.com:443/a/../b/?z=1&utm_campaign=x&a=%7e#frag"
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


def test_fetching_reexports_canonicalize_url():
    from worker.fetching import canonicalize_url as reexported

    assert reexported is canonicalize_url
