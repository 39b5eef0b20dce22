"""Segmentation, quantities, entities, decomposition, bad input. Pure, no database."""

from __future__ import annotations

import random

import pytest

from language.extraction import extract_article, score_sentence
from language.extraction.decomposition import decompose
from language.extraction.entities import find_entities
from language.extraction.quantities import find_dates, find_quantities
from language.extraction.segmentation import segment


def _sentences(text: str) -> list[str]:
    segs = segment(text)
    for s in segs:
        assert text[s.start : s.end] == s.text
    return [s.text for s in segs]


@pytest.mark.parametrize(
    "text",
    [
        "Gen. John Smith visited Baku on Monday. He met officials.",
        "The U.S. Army bought 12 tanks. The deal was signed.",
        "It was squadron No. 5 that flew first. Then others followed.",
        "Some systems, e.g. the S-300, are old. Others are new.",
        "Dr. Jane Doe and Mr. Ali spoke. They agreed.",
        "The contract was signed on Jan. 5, 2024 in Warsaw. It is worth $3.5 billion.",
        "Spending grew 3.5 percent. Growth slowed to 2.1 percent in 2023.",
        "J. R. Smith said so. Nobody disagreed.",
    ],
)
def test_abbreviations_and_decimals_do_not_split(text):
    assert len(_sentences(text)) == 2


def test_quotes_end_sentences():
    text = 'He said "We will buy 48 howitzers." Then he left! Did he? Yes.'
    assert _sentences(text) == [
        'He said "We will buy 48 howitzers."',
        "Then he left!",
        "Did he?",
        "Yes.",
    ]


def test_us_at_sentence_end_splits_before_a_new_sentence():
    assert len(_sentences("The drones came from the U.S. The rest came from Turkey.")) == 2


def test_bullets_headings_and_furniture():
    text = (
        "Air Defense\n\nThe army grew.\n  • Baku bought 10 radars from Israel\n"
        "- Georgia hosted a summit in 2024.\n1. Regional Arms Race\nShare it:\nLeave a Reply\n"
        "https://example.com/a\nTuesday 4 November 2025 - 12:59\n"
    )
    segs = segment(text)
    kinds = [(s.text, s.is_heading, s.is_furniture, s.is_bullet) for s in segs]
    assert kinds == [
        ("Air Defense", True, False, False),
        ("The army grew.", False, False, False),
        ("Baku bought 10 radars from Israel", False, False, True),
        ("Georgia hosted a summit in 2024.", False, False, True),
        ("Regional Arms Race", True, False, False),
        ("Share it:", False, True, False),
        ("Leave a Reply", False, True, False),
        ("https://example.com/a", False, True, False),
        ("Tuesday 4 November 2025 - 12:59", False, True, False),
    ]


def test_hard_wrapped_prose_is_joined():
    text = (
        "The ministry confirmed on Monday that the first batch of forty-eight howitzers\n"
        "arrived in Baku by rail from Serbia.\n"
    )
    assert len(_sentences(text)) == 1


def test_quantities():
    [q] = find_quantities("a 15–20% annual increase")
    assert (q.value, q.upper, q.unit) == (15.0, 20.0, "%")
    [q] = find_quantities("at least 600 MLRS units")
    assert (q.value, q.qualifier, q.unit) == (600.0, "at least", "MLRS units")
    [q] = find_quantities("more than 1,200 troops")
    assert (q.value, q.qualifier, q.unit) == (1200.0, "more than", "troops")
    [q] = find_quantities("a $3.5 billion deal")
    assert (q.value, q.unit) == (3.5e9, "USD")
    [q] = find_quantities("forty-eight howitzers")
    assert (q.value, q.unit) == (48.0, "howitzers")
    [q] = find_quantities("from 2.5 to 3 million people")
    assert (q.value, q.upper) == (2.5e6, 3e6)
    # Designations, years and clock times are not quantities.
    assert find_quantities("S-300PMU2, JF-17 and 9K33 in 2024 at 12:59") == []


def test_dates():
    assert find_dates("between 2024 and 2026") == ["2024", "2026"]
    assert find_dates("on Jan. 5, 2024 and 4 November 2025") == ["Jan. 5, 2024", "4 November 2025"]
    assert find_dates("in the 1990s") == ["1990s"]


def test_entities():
    got = {e.text: e.label for e in find_entities(
        "Slovak Chief of Staff General Daniel Zmeko met NATO officials in Baku about the "
        "S-300PMU2, JF-17 and Nora B-52NG, and the Ministry of Defense of Bosnia and Herzegovina."
    )}  # fmt: skip
    assert got["Daniel Zmeko"] == "person"
    assert got["NATO"] == "organisation"
    assert got["Baku"] == "place"
    assert got["S-300PMU2"] == got["JF-17"] == got["Nora B-52NG"] == "product"
    assert got["Bosnia and Herzegovina"] == "place"
    assert got["Ministry of Defense"] == "organisation"
    assert {e.text: e.label for e in find_entities("Gen. Ali Aliyev spoke.")} == {
        "Ali Aliyev": "person"
    }


def test_decomposition_with_comma_list():
    s = "The ministry bought drones from several countries, including Turkey, Israel and Pakistan."
    items = decompose(s)
    assert [i.text for i in items] == [
        "The ministry bought drones from several countries, including Turkey.",
        "The ministry bought drones from several countries, including Israel.",
        "The ministry bought drones from several countries, including Pakistan.",
    ]
    assert [s[i.start : i.end] for i in items] == ["Turkey", "Israel", "Pakistan"]


def test_decomposition_skips_short_and_abstract_lists():
    assert decompose("It operates 600 MLRS units, including 100 guided systems.") == []
    assert (
        decompose(
            "Key elements include the expansion of air defense, enhancement of artillery, and "
            "deepening of training with partners such as Turkey, Pakistan, and several "
            "European states."
        )
        == []
    )


def test_duplicates_collapse():
    sentence = "Serbia sold 48 howitzers to Azerbaijan in 2024."
    text = sentence + "\n\n" + sentence.replace(" ", "  ", 1)
    ex = extract_article(text)
    assert len(ex.sentences) == 2
    assert len(ex.claims) == 1
    assert ex.claims[0].start == 0


def test_hedging_lowers_the_score():
    plain = score_sentence("Azerbaijan bought 48 howitzers from Serbia in 2024.").score
    hedged = score_sentence("Azerbaijan may buy 48 howitzers from Serbia in 2024.").score
    assert hedged < plain
    assert plain >= 0.5


@pytest.mark.parametrize("text", ["", "   \n\t ", None])
def test_empty_text(text):
    assert extract_article(text) == extract_article("") == type(extract_article(""))([], [])


def test_text_without_claims():
    ex = extract_article("Hello there.\nThanks for reading!\nWhat do you think?\n")
    assert ex.claims == []
    assert len(ex.sentences) == 3


def test_binary_junk_does_not_crash():
    rng = random.Random(42)
    junk = bytes(rng.randrange(256) for _ in range(200_000)).decode("latin-1")
    ex = extract_article(junk)
    for s in ex.sentences:
        assert junk[s.start : s.end] == s.text
        assert len(s.text) <= 1200


def test_html_given_as_text():
    html = (
        "<html><head><style>p {color: red}</style><script>var x = '48 tanks.';</script></head>"
        "<body><h1>Air Defense</h1><p>Azerbaijan bought 48 Nora B-52NG howitzers from Serbia "
        "in 2024.</p><p>This <b>may</b> change things.</p></body></html>"
    )
    ex = extract_article(html)
    assert len(ex.claims) == 1
    claim = ex.claims[0]
    assert html[claim.start : claim.end].startswith("Azerbaijan bought 48")
    assert "<" not in claim.text
    assert not any("var x" in s.text for s in ex.sentences)


def test_rtl_and_mixed_scripts():
    text = (
        "وزارت دفاع آذربایجان ۴۸ هویتزر خرید.\n"
        "Министерство обороны купило 48 гаубиц.\n"
        "Azerbaijan bought 48 howitzers from Serbia in 2024, the ministry said.\n"
    )
    ex = extract_article(text)
    assert len(ex.sentences) == 3
    assert any(text[c.start : c.end].startswith("Azerbaijan bought") for c in ex.claims)


def test_five_megabytes_of_text():
    para = "Serbia sold 48 howitzers to Azerbaijan in 2024. This may change the balance.\n"
    text = para * (5_000_000 // len(para))
    ex = extract_article(text)
    assert len(ex.claims) == 1  # the duplicate sentences collapse
    assert len(ex.sentences) == 2 * (5_000_000 // len(para))


def test_deterministic():
    text = "Serbia sold 48 howitzers to Azerbaijan in 2024. Gen. Ali visited Baku."
    assert extract_article(text) == extract_article(text)
