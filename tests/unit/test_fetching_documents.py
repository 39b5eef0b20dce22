"""extract_document(): main text without boilerplate, metadata, links, charsets, PDF."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest

from tests.webserver import ARTICLE_HTML, build_pdf
from worker.fetching import ExtractionError, clear_robots_cache, extract_document, fetch, htmltext

PAGE_URL = "https://news.example.com/news/article.html"


def fetched(web, path: str):
    clear_robots_cache()
    result = fetch(
        web.url(path),
        is_allowed_address=lambda ip: ip == ipaddress.ip_address("127.0.0.1"),
        domain_delay=0,
        deadline=3,
    )
    return extract_document(result.body, result.content_type, result.final_url)


def test_article_main_text_without_boilerplate():
    doc = extract_document(ARTICLE_HTML.encode(), "text/html; charset=utf-8", PAGE_URL)
    assert doc.kind == "html"
    assert "48 new electric buses will be delivered to the city of Novi Sad" in doc.text
    assert "worth 21.5 million euros" in doc.text
    assert "found no irregularities in the tender procedure" in doc.text
    for boilerplate in (
        "Troll99",
        "first!",
        "ADVERTISEMENT",
        "mattress",
        "Copyright",
        "Most read",
        "Derby ends",
        "Subscribe now",
        "Privacy policy",
        "dataLayer",
    ):
        assert boilerplate not in doc.text


def test_text_has_no_markup_and_one_paragraph_per_line():
    doc = extract_document(ARTICLE_HTML.encode(), "text/html", PAGE_URL)
    assert "<" not in doc.text and ">" not in doc.text
    assert "](" not in doc.text  # no markdown links either
    lines = doc.text.split("\n")
    assert any(line.startswith("The contract, worth 21.5 million euros") for line in lines)
    assert all(line == " ".join(line.split()) for line in lines)


def test_article_metadata():
    doc = extract_document(ARTICLE_HTML.encode(), "text/html", PAGE_URL)
    assert doc.title == "Ministry confirms 48 new buses for Novi Sad"
    assert doc.publisher == "The Daily Ledger"
    assert doc.author == "Jelena Petrović"
    assert doc.published_date == dt.date(2024, 3, 14)
    assert doc.language == "en"


def test_links_of_the_main_content_are_absolute_canonical_and_unique():
    doc = extract_document(ARTICLE_HTML.encode(), "text/html", PAGE_URL)
    assert doc.links == [
        "https://gov.example.org/press/2024/buses?id=7",
        "https://news.example.com/reports/council-minutes.pdf",
        "https://audit.example.com/reports/2023",
    ]


def test_language_from_the_page_or_a_guess():
    serbian = "<html lang='sr-Latn'><body><article><p>" + "Ugovor je potpisan. " * 20
    assert extract_document(serbian.encode(), "text/html", PAGE_URL).language == "sr"
    french = (
        "<html><body><article><p>"
        + "Le ministère a confirmé que les bus sont dans la ville pour la fin de l'année. " * 5
        + "</p></article></body></html>"
    )
    assert extract_document(french.encode(), "text/html", PAGE_URL).language == "fr"


def test_declared_charset_that_lies_is_overruled():
    body = (
        "<html><body><article><p>Министерство подтвердило поставку 48 новых автобусов "
        "в Нови-Сад до конца года, сообщили в пресс-службе.</p></article></body></html>"
    ).encode("cp1251")
    doc = extract_document(body, "text/html; charset=utf-8", PAGE_URL)
    assert "Министерство подтвердило поставку 48 новых автобусов" in doc.text


def test_meta_charset_is_honoured():
    body = (
        '<html><head><meta charset="windows-1250"></head><body><article><p>'
        "Ugovor vredan 21,5 miliona evra potpisan je sa konzorcijumom. Šta će biti sa "
        "ostalih 36 autobusa, pitaju odbornici u skupštini grada Novog Sada.</p>"
        "</article></body></html>"
    ).encode("cp1250")
    doc = extract_document(body, "text/html", PAGE_URL)
    assert "Šta će biti" in doc.text


def test_escaped_markup_never_reaches_the_text():
    body = (
        b"<html><body><article><p>The minister wrote &lt;script&gt;alert(1)&lt;/script&gt; "
        b"in a post about the 48 buses that were promised to the city council last week, "
        b"and it was quoted by several outlets.</p></article></body></html>"
    )
    doc = extract_document(body, "text/html", PAGE_URL)
    assert "<script>" not in doc.text and "48 buses" in doc.text


def test_soup_fallback_when_trafilatura_finds_nothing(monkeypatch):
    monkeypatch.setattr(htmltext.trafilatura, "bare_extraction", lambda *a, **k: None)
    doc = extract_document(ARTICLE_HTML.encode(), "text/html", PAGE_URL)
    assert "48 new electric buses" in doc.text
    assert "Troll99" not in doc.text and "Copyright" not in doc.text
    assert "Subscribe now" not in doc.text
    assert doc.title == "Ministry confirms 48 new buses for Novi Sad"
    assert "https://gov.example.org/press/2024/buses?id=7" in doc.links


def test_pdf_text_and_metadata():
    doc = extract_document(build_pdf(), "application/pdf", "https://audit.example.com/r.pdf")
    assert doc.kind == "pdf"
    assert "found no irregularities in the tender" in doc.text
    assert "21.5 million euros for 48 buses" in doc.text
    assert doc.title == "Audit report 2023"
    assert doc.author == "State Audit Office"
    assert doc.published_date == dt.date(2024, 3, 1)
    assert doc.links == ["https://audit.example.com/full-report"]
    assert doc.language == "en"


def test_broken_pdf_raises_extraction_error():
    with pytest.raises(ExtractionError):
        extract_document(b"%PDF-1.4 garbage", "application/pdf", PAGE_URL)


def test_plain_text():
    body = "Council minutes\r\n\r\nSee https://council.example.org/minutes?utm_source=x.\r\n"
    doc = extract_document(body.encode("utf-16"), "text/plain; charset=utf-16", PAGE_URL)
    assert doc.kind == "text" and doc.title == "Council minutes"
    assert "\r" not in doc.text
    assert doc.links == ["https://council.example.org/minutes"]


def test_unsupported_type_raises():
    with pytest.raises(ExtractionError):
        extract_document(b"\x89PNG", "image/png", PAGE_URL)


# -- fetched over loopback
