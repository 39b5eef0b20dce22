"""worker.countries: countries named by name, capital, adjective or another language."""

from __future__ import annotations

import pytest

from worker.countries import countries_in, country_of
from worker.passages import entity_tokens


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
