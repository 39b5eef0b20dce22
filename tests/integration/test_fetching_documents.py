"""extract_document(): main text without boilerplate, metadata, links, charsets, PDF."""

from __future__ import annotations

import ipaddress

from worker.fetching import clear_robots_cache, extract_document, fetch


def fetched(web, path: str):
    clear_robots_cache()
    result = fetch(
        web.url(path),
        is_allowed_address=lambda ip: ip == ipaddress.ip_address("127.0.0.1"),
        domain_delay=0,
        deadline=3,
    )
    return extract_document(result.body, result.content_type, result.final_url)


# -- fetched over loopback


def test_fetched_article(web):
    doc = fetched(web, "/news/article.html")
    assert "48 new electric buses" in doc.text and "Troll99" not in doc.text
    assert web.url("/reports/council-minutes.pdf") in doc.links


def test_fetched_gzip_xhtml_and_serbian_pages(web):
    assert "48 new electric buses" in fetched(web, "/gzip.html").text
    assert "48 new electric buses" in fetched(web, "/news/xhtml.html").text
    serbian = fetched(web, "/news/serbian.html")
    assert serbian.language == "sr" and "48 novih električnih autobusa" in serbian.text
    assert "Početna" not in serbian.text


def test_fetched_wrong_charset_page(web):
    doc = fetched(web, "/news/wrong-charset.html")
    assert "Министерство подтвердило" in doc.text
    assert doc.language == "ru"


def test_fetched_pdf_and_text(web):
    assert "no irregularities" in fetched(web, "/reports/audit.pdf").text
    assert "the ministry figure is 48" in fetched(web, "/notes.txt").text
