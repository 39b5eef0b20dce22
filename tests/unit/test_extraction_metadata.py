"""Metadata and reference lines are not claims; an article's head gives its title, URL,
publisher, author and date; a sentence end glued to the next sentence splits. Pure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from language.extraction import extract_article
from language.extraction.metadata import is_metadata_line, parse_date, read_head
from language.extraction.references import is_reference_line, reference_sentences
from language.extraction.segmentation import segment

SEED = Path(__file__).resolve().parents[2] / "claims" / "demo" / "article.txt"
FACT = "Lockheed Martin delivered the first 30 PrSM Increment 1 missiles to the Army in 2023."


def claims_of(text: str) -> list[str]:
    return [c.text for c in extract_article(text).claims]


@pytest.mark.parametrize(
    "line",
    [
        "Publisher: Congressional Research Service",
        "Retrieved from: https://www.congress.gov/crs-product/IF12094",
        "Source: Congressional Research Service, Report R46721, 2024.",
        "Sources: U.S. Army budget documents for FY2024 and FY2025, published in March 2024.",
        "Date: March 3, 2025",
        "**Author:** Andrew Feickert",
        "Quelle: Bundesministerium der Verteidigung, 2024.",
        "https://www.congress.gov/crs-product/IF12094",
        "<https://www.army.mil/article/123456/prsm>",
        "By Jane Doe",
        "BY JANE DOE AND JOHN SMITH, Reuters",
        "By J. R. Smith | The Daily Ledger",
    ],
)
def test_metadata_lines(line):
    assert is_metadata_line(line)
    assert claims_of(f"{line}\n{FACT}\n") == [FACT]


@pytest.mark.parametrize(
    "line",
    [
        "CRS In Focus IF12094, *The Army's Precision Strike Missile (PrSM)*, by Andrew Feickert.",
        "CRS Report R46721, “U.S. Army Long-Range Fires: Background and Issues for Congress,” "
        "by Andrew Feickert, updated May 2, 2024.",
        "Andrew Feickert, Specialist in Military Ground Forces, 2024. Available at "
        "https://crsreports.congress.gov/product/pdf/IF/IF12094.",
        "Retrieved March 5, 2025, from https://www.army.mil/prsm",
        "[12] Smith, J. (2021). “Artillery in the Caucasus,” Defence Review 4(2), pp. 10-12.",
        "Jones, A. Armour and Air Power. London: Routledge, 2019. ISBN 978-0-415-12345-6.",
        "Petrov, I. (2023). Drone warfare in 2020. doi:10.1000/xyz123",
    ],
)
def test_bibliography_and_retrieval_lines(line):
    assert claims_of(f"{FACT}\n{line}\n") == [FACT]


@pytest.mark.parametrize(
    "line",
    [
        # One citation-like mark alone is news prose.
        "The report, by Andrew Feickert, says the Army will buy 3,966 missiles by 2034.",
        "The ministry published its figures at https://mod.gov.az on Monday, showing 48 "
        "howitzers delivered.",
        "“Swear To Your Heart”, by Air Supply was played on 300 radio stations in 1982.",
        "By 2025 the army will field 600 MLRS units.",
        "By Tuesday, Azerbaijan had received 48 howitzers from Serbia.",
        "Note: the army bought 48 howitzers from Serbia in 2024.",
    ],
)
def test_prose_with_one_mark_stays_a_claim(line):
    assert not is_metadata_line(line)
    assert not is_reference_line(line)
    assert claims_of(line + "\n") == [line]


def test_a_statement_glued_after_a_reference_stays():
    text = "Retrieved February 26, 2008.Transporter 3 was released by Lionsgate in 300 cinemas.\n"
    assert claims_of(text) == ["Transporter 3 was released by Lionsgate in 300 cinemas."]


def test_a_paragraph_ending_in_a_reference_keeps_its_claims():
    claim = "The ministry said on Monday that Azerbaijan received 48 howitzers in 2024."
    ref = "The figures are published at https://mod.gov.az/en/news, accessed 3 May 2024."
    assert reference_sentences([claim, ref]) == [False, True]
    assert claims_of(f"{claim} {ref}\n") == [claim]


def test_a_glued_sentence_end_splits():
    text = (
        "The Army plans to buy 3,966 Precision Strike Missiles by 2034 (Figure 1).The Army's "
        "budget request for FY2025 included $384 million for 110 missiles."
    )
    assert [s.text for s in segment(text)] == [
        "The Army plans to buy 3,966 Precision Strike Missiles by 2034 (Figure 1).",
        "The Army's budget request for FY2025 included $384 million for 110 missiles.",
    ]
    assert [s.text for s in segment("Turnout rose to 61 percent.Officials were pleased.")] == [
        "Turnout rose to 61 percent.",
        "Officials were pleased.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S.Army bought 12 tanks from the supplier.",
        "Details are at www.Example.com/News and on the radio.",
        "He moved to St.Petersburg in 2019 with his family.",
        "The ratio was 3.5 to 1 across the board.",
        "Write to press@Ministry.gov.az for the figures.",
    ],
)
def test_glued_stops_that_do_not_end_a_sentence(text):
    assert len(segment(text)) == 1


def test_head_block_gives_the_article_fields():
    text = (
        "https://www.congress.gov/crs-product/IF12094\n"
        "Title: The Army's Precision Strike Missile (PrSM)\n"
        "Publisher: Congressional Research Service\n"
        "Date: March 3, 2025\n"
        "Author: Andrew Feickert\n\n"
        "The Army plans to buy 3,966 Precision Strike Missiles by 2034.\n"
        "Title: not a header once prose has begun\n"
    )
    head = read_head(text)
    assert head.url == "https://www.congress.gov/crs-product/IF12094"
    assert head.title == "The Army's Precision Strike Missile (PrSM)"
    assert head.publisher == "Congressional Research Service"
    assert head.author == "Andrew Feickert"
    assert head.published_date == dt.date(2025, 3, 3)


def test_the_seed_article_head_title_date_and_url_lines():
    head = read_head(SEED.read_text(encoding="utf-8"))
    assert head.title == "Emerging Actor in the Caucasus: The Republic of Azerbaijan"
    assert head.published_date == dt.date(2025, 11, 4)  # "Tuesday 4 November 2025 - 12:59"
    assert head.url == "https://english.iswnews.com/?p=39058"
    assert (head.publisher, head.author) == ("", "")


def test_a_first_line_url_then_title_and_byline():
    head = read_head(
        "www.dailyledger.example/news/48-buses\nMinistry confirms 48 new buses\nBy Jelena "
        "Petrović\n\nThe ministry confirmed on Monday that 48 buses will arrive in 2024.\n"
    )
    assert head.url == "https://www.dailyledger.example/news/48-buses"
    assert head.title == "Ministry confirms 48 new buses"
    assert head.author == "Jelena Petrović"
    assert head.published_date is None


def test_prose_first_has_no_head():
    assert read_head("Azerbaijan bought 48 howitzers from Serbia in 2024. More follows.\n") == (
        read_head("")
    )


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("March 3, 2025", dt.date(2025, 3, 3)),
        ("2025-03-03T09:30:00+01:00", dt.date(2025, 3, 3)),
        ("Tuesday 4 November 2025 - 12:59", dt.date(2025, 11, 4)),
        ("March 2025", None),  # no day: not a date to store
        ("2025", None),
        ("Congressional Research Service", None),
    ],
)
def test_header_dates(value, date):
    assert parse_date(value) == date
