"""Articles take their title, URL, publisher, author and date from their own head when the
caller did not give them (language.extraction.metadata.read_head; claims.services)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from claims.models import Article
from claims.services.articles import article_ingest_text

pytestmark = pytest.mark.django_db

HEADED = (
    "https://www.congress.gov/crs-product/IF12094\n"
    "Title: The Army's Precision Strike Missile (PrSM)\n"
    "Publisher: Congressional Research Service\n"
    "Date: March 3, 2025\n"
    "Author: Andrew Feickert\n\n"
    "The Army plans to buy 3,966 Precision Strike Missiles by 2034 (Figure 1).The Army's "
    "budget request for FY2025 included $384 million for 110 missiles.\n"
    "CRS In Focus IF12094, *The Army's Precision Strike Missile (PrSM)*, by Andrew Feickert.\n"
)


def test_the_head_fills_what_the_caller_did_not_give():
    article = article_ingest_text(text=HEADED, research=False)
    assert article.url == "https://www.congress.gov/crs-product/IF12094"
    assert article.title == "The Army's Precision Strike Missile (PrSM)"
    assert article.publisher == "Congressional Research Service"
    assert article.author == "Andrew Feickert"
    assert article.published_date == dt.date(2025, 3, 3)
    assert [c.text for c in article.claims.order_by("start")] == [
        "The Army plans to buy 3,966 Precision Strike Missiles by 2034 (Figure 1).",
        "The Army's budget request for FY2025 included $384 million for 110 missiles.",
    ]


def test_what_the_caller_gives_wins():
    article = article_ingest_text(
        text=HEADED,
        title="PrSM brief",
        url="https://crsreports.congress.gov/product/pdf/IF/IF12094",
        publisher="CRS",
        published_date=dt.date(2025, 3, 4),
        research=False,
    )
    assert (article.title, article.publisher) == ("PrSM brief", "CRS")
    assert article.url == "https://crsreports.congress.gov/product/pdf/IF/IF12094"
    assert article.published_date == dt.date(2025, 3, 4)
    assert article.author == "Andrew Feickert"  # not given: from the head


def test_a_url_first_line_is_not_the_title():
    article = article_ingest_text(
        text="https://news.example/azerbaijan-howitzers\n\nAzerbaijan bought 48 Nora B-52NG "
        "howitzers from Serbia in 2023, the ministry said.\n",
        research=False,
    )
    assert article.url == "https://news.example/azerbaijan-howitzers"
    assert article.title.startswith("Azerbaijan bought 48 Nora")


def test_a_malformed_head_url_is_left_out():
    article = article_ingest_text(
        text="URL: not a web address\nTitle: Howitzers\n\nAzerbaijan bought 48 Nora B-52NG "
        "howitzers from Serbia in 2023.\n",
        research=False,
    )
    assert (article.url, article.title) == ("", "Howitzers")


def test_ingest_command_reads_the_seed_head(tmp_path):
    out = io.StringIO()
    call_command("ingest", "claims/demo/article.txt", "--json", "--no-discover", stdout=out)
    article = Article.objects.get(pk=json.loads(out.getvalue())["article"]["id"])
    assert article.title == "Emerging Actor in the Caucasus: The Republic of Azerbaijan"
    assert article.url == "https://english.iswnews.com/?p=39058"
    assert article.published_date == dt.date(2025, 11, 4)
