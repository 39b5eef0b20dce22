"""language.quantities: the one parser of figures, for claims and sources alike."""

from __future__ import annotations

import pytest

from language.extraction.quantities import find_quantities
from language.quantities import changes_agree, find_figures, find_numbers, same_figure
from language.tokens import stem


def one(text: str, lang: str | None = None):
    (n,) = [n for n in find_numbers(text, lang) if not n.is_year]
    return n


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("four dozen howitzers", "48 howitzers"),
        ("forty aircraft", "40 aircraft"),
        ("half a billion euros", "€500 million"),
        ("the 1.5-kilometre bridge", "1,500 metres long"),
        ("a 2 km runway", "a 2,000 m runway"),
        ("3 tonnes of cargo", "3,000 kg of cargo"),
        ("$1.2bn", "1.2 billion dollars"),
        ("dva diviziona", "2 diviziona"),
    ],
)
def test_claim_and_source_wordings_read_as_the_same_figure(claim, source):
    a, b = one(claim), one(source)
    assert a.kind == b.kind
    assert same_figure(a, b), (a, b)


def test_number_words_of_the_text_language():
    assert one("quarante-huit obusiers", "fr").value == 48
    assert one("achtundvierzig Haubitzen", "de").value == 48
    assert one("cuarenta y ocho obuses", "es").value == 48


def test_extraction_and_source_reading_share_the_parser():
    [q] = find_quantities("Serbia sold Azerbaijan four dozen Nora B-52 howitzers")
    assert (q.value, q.unit, q.text) == (48.0, "howitzers", "four dozen")
    assert one("four dozen Nora B-52 howitzers").value == q.value


@pytest.mark.parametrize(
    ("text", "kind", "base"),
    [
        ("1.5-kilometre", "length", 1500.0),
        ("5 miles", "length", 8046.72),
        ("18 months", "duration", 18 * 2629800.0),
        ("4.2 per cent", "percent", 4.2),
        ("€500 million", "money", 5e8),
        ("48 howitzers", "count", 48.0),
    ],
)
def test_kinds_and_base_units(text, kind, base):
    n = one(text)
    assert n.kind == kind and n.base == pytest.approx(base)


@pytest.mark.parametrize(
    ("text", "qualifier", "bound"),
    [
        ("at least 600 units", "at least", "min"),
        ("about 70 launchers", "about", "about"),
        ("more than 1,200 troops", "more than", "min"),
        ("up to 40 jets", "up to", "max"),
        ("plus de 600 lance-roquettes", "more than", "min"),
    ],
)
def test_qualifiers(text, qualifier, bound):
    n = one(text)
    assert (n.qualifier, n.bound) == (qualifier, bound)


def test_between_is_a_range_and_two_figures_joined_by_and_are_not():
    assert (one("between 15 and 20 per cent").value, one("between 15 and 20 per cent").upper) == (
        15,
        20,
    )
    assert [n.value for n in find_numbers("48 howitzers and 36 launchers")] == [48, 36]


def test_changes_multiples_from_to_and_by_percent():
    [tripled] = find_figures("Exports tripled between 2019 and 2023").changes
    assert tripled.ratio == 3 and tripled.subject == ("export",)
    [rose] = find_figures("Exports rose from 1.1 billion to 1.3 billion").changes
    assert rose.ratio == pytest.approx(1.3 / 1.1)
    assert not changes_agree(tripled, rose)
    [fell] = find_figures("Defence spending fell by 20% last year").changes
    assert fell.ratio == pytest.approx(0.8)
    [halved] = find_figures("the budget was halved").changes
    assert halved.ratio == 0.5
    assert find_figures("Unemployment rose to 5%").changes == []  # a level, not a change


def test_subject_and_owner():
    assert one("Inflation stood at 4.2%").subject == (stem("inflation"),)
    assert one("Unemployment fell to 4.2%").subject == (stem("unemployment"),)
    assert one("Serbia's army received 18 Nora howitzers").owner == "serbia"
    assert one("the Azerbaijani army fields 48 howitzers").owner == "azerbaijan"
    assert one("Serbia sold Azerbaijan 48 howitzers").owner == ""  # no possessive: no owner


def test_offsets_point_into_the_original_text():
    text = "They bought forty-eight guns."
    n = one(text)
    assert text[n.start : n.end] == n.text == "forty-eight"
