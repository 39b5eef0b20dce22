"""Figures in other languages: unit nouns, qualifiers, number words (language.glossary and
language.passages.find_numbers)."""

from __future__ import annotations

import pytest

from language.glossary import english_unit
from language.passages import entity_tokens, find_numbers, fold, stem


@pytest.mark.parametrize(
    ("word", "english"),
    [
        ("гаубиц", "howitzer"),
        ("haubica", "howitzer"),
        ("obüs", "howitzer"),
        ("РСЗО", "mlrs"),
        ("roketatar", "mlrs"),  # longer start wins over "roket" (missile)
        ("roketler", "missile"),
        ("diviziona", "battalion"),
        ("dronove", "drone"),
        ("Hubschrauber", "helicopter"),  # all start: the stemmer cuts it to "hubschraub"
        ("Raketenwerfer", "mlrs"),  # ... and it must not fall to "raket" (missile)
        ("newspaper", ""),
    ],
)
def test_unit_words_of_other_languages(word, english):
    # The stem of the English unit word, whatever the stemmer makes of it.
    assert english_unit(stem(fold(word))) == (stem(english) if english else "")


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("на вооружении находится свыше 600 РСЗО", 600, "more than"),
        ("raspolaže sa više od 600 višecevnih bacača", 600, "more than"),
        ("envanterinde 600'den fazla çok namlulu roketatar", 600, "more than"),
        ("l'Azerbaïdjan aligne plus de 600 lance-roquettes", 600, "more than"),
        ("Armenija ima oko 70 bacača", 70, "about"),
        ("не менее 600 единиц", 600, "at least"),
        ("600 units", 600, ""),
    ],
)
def test_qualifiers_of_other_languages(text, value, qualifier):
    (n,) = find_numbers(text)
    assert (n.value, n.qualifier) == (value, qualifier)


@pytest.mark.parametrize(
    ("text", "value", "upper"),
    [
        ("Azerbejdžan ima dva diviziona", 2, None),
        ("Azerbaycan dört S-300PMU2 taburu işletiyor", 4, None),
        ("yüzde 15 ile 20 arasında artıyor", 15, 20),
        ("augmentent de 15 à 20 % par an", 15, 20),
    ],
)
def test_number_words_and_ranges_of_other_languages(text, value, upper):
    (n,) = find_numbers(text)
    assert (n.value, n.upper) == (value, upper)


def test_french_currency_after_de():
    (n,) = find_numbers("un contrat de 4,6 milliards de dollars")
    assert (n.value, n.currency) == (4.6e9, "USD")


def test_ts_and_c_spellings_are_one_name():
    assert entity_tokens("Pantsir-S1") == entity_tokens("Панцирь-С1") == ["pancir", "s", "1"]
