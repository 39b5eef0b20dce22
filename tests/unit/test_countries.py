"""language.countries: countries named by name, capital, adjective or another language."""

from __future__ import annotations

import pytest

from language.countries import countries_in, country_of
from language.folding import entity_tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cyprus ordered howitzers from Serbia", ["cyprus", "serbia"]),
        ("The Armenian army", ["armenia"]),
        ("Baku signed with Tel Aviv", ["azerbaijan", "israel"]),
        ("Turkish drones reached Bosnia and Herzegovina", ["turkey", "bosnia and herzegovina"]),
        ("Jugoimport je isporučio Azerbejdžanu", ["azerbaijan"]),
        ("Азербайджан получил от Сербии", ["azerbaijan", "serbia"]),
        ("U.S. officials in New Delhi", ["united states", "india"]),
        ("Male soldiers and the football season", []),
    ],
)
def test_countries_in(text, expected):
    assert countries_in(entity_tokens(text)) == expected


def test_country_of():
    assert country_of("Baku") == "azerbaijan"
    assert country_of("Türkiye") == "turkey"
    assert country_of("Nora B-52NG") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Министры обороны Азербайджана, Грузии и Турции", ["azerbaijan", "georgia", "turkey"]),
        ("Azerbaycan, Gürcistan ve Türkiye", ["azerbaijan", "georgia", "turkey"]),
        ("Bosna i Hercegovina i Azerbejdžan", ["bosnia and herzegovina", "azerbaijan"]),
        ("İsrail haberlerini yalanladı", ["israel"]),
        ("Crna Gora i Srbija", ["montenegro", "serbia"]),
        ("Kipar je od Srbije kupio", ["cyprus", "serbia"]),
        ("les États-Unis et l'Inde", ["united states", "india"]),
        ("an independent index of fashion", []),  # whole-word names stay whole words
        ("Rossi said", []),
    ],
)
def test_names_in_other_languages(text, expected):
    assert countries_in(entity_tokens(text)) == expected
