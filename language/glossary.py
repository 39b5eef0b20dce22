"""Unit nouns of this beat in the languages its sources use, as the English stems claims
use. Pure Python.

A source's figure counts for a claim's quantity when the claim's unit follows it ("48
howitzers"); in a Russian or Turkish source the unit is "гаубиц" or "obüs". Word starts are
folded (language.passages.fold), longest first, so "roketatar" (MLRS) wins over "roket".
"""

from __future__ import annotations

import functools

from language.folding import fold
from language.tokens import stem

# English unit word: word starts in Serbian/Croatian/Bosnian, Russian, Turkish, French, German
_UNITS = {
    "howitzer": "haubic gaubic obusier obus haubitz",
    "mlrs": "rszo visecevn roketatar zalpov lanc bacac launcher raketenwerfer",
    "drone": "dron bespilotn iha siha insansiz uav",
    "battalion": "divizion tabur bataillon bataljon",
    "battery": "baterij batare batary batteri",
    "jet": "lovac lovc lovack istrebitel savas chasseur",
    "aircraft": "avion samolet ucak letelic flugzeug",
    "tank": "tenk tanki panzer",
    "helicopter": "helikopt vertolet helicopt hubschrauber",
    "missile": "raket roket missil",
    "system": "sistem komplek systeme",
}


@functools.cache
def _starts() -> tuple[tuple[str, str, str], ...]:
    """(word start, its own stem, English unit stem), longest start first."""
    triples = [
        (start, stem(start), stem(fold(english)))
        for english, starts in _UNITS.items()
        for start in starts.split()
    ]
    return tuple(sorted(triples, key=lambda t: -len(t[0])))


@functools.cache
def unit_stems() -> frozenset[str]:
    """The English unit stems the glossary knows (stems of "howitzer", "mlrs", "drone"...)."""
    return frozenset(stem(fold(english)) for english in _UNITS)


@functools.lru_cache(maxsize=16384)
def english_unit(word_stem: str) -> str:
    """The English unit stem a source's word stands for ("gaubic" -> stem("howitzer")), or
    "". A word that is all start loses its ending to the stemmer ("hubschrauber" ->
    "hubschraub"), so a stem equal to the start's own stem counts too."""
    return next(
        (
            english
            for start, whole, english in _starts()
            if word_stem.startswith(start) or word_stem == whole
        ),
        "",
    )


def with_english_units(stems: tuple[str, ...] | set[str]) -> set[str]:
    """The stems, plus the English unit stem of each that is a unit word of another language."""
    out = set(stems)
    out.update(filter(None, map(english_unit, stems)))
    return out
