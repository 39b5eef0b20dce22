"""A claim's text parsed once for matching: its names, countries, figures, years and terms.

Pure Python. This module is the one adapter between matching and the language layer's
parsers (numbers from language.quantities.find_numbers, countries from language.countries,
folding and transliteration from language.folding, unit words from language.glossary):
when those parsers move, only this module changes. A profile is a small value; two
profiles are compared by language.matching.

Works the same for every script: names are folded to plain Latin ("Нора Б-52" -> nora,
b52), countries are found by name, capital, adjective or another language's name (Сербии,
Azerbejdžan), figures by value with their scale, percent sign, currency and unit words.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from language.countries import countries_in
from language.folding import entity_tokens, exonym, fold
from language.glossary import english_unit, unit_stems
from language.quantities import find_numbers
from language.tokens import STOPWORDS, WORD_RE, stem

# Scale words find_numbers leaves after a figure ("155 миллионов"), folded word starts.
_SCALE_STARTS = (("milliard", 1e9), ("milijard", 1e9), ("million", 1e6), ("milion", 1e6))
_WORD_LISTS = Path(__file__).with_name("matching_words.txt")


@functools.cache
def _word_list(name: str) -> frozenset[str]:
    """A list of language/matching_words.txt ("name: word word ...")."""
    for line in _WORD_LISTS.read_text(encoding="utf-8").splitlines():
        key, _, words = line.partition(":")
        if key.strip() == name and not line.startswith("#"):
            return frozenset(words.split())
    raise KeyError(name)


_DESIGNATION = re.compile(r"^(?=.*\d)(?=.*[^\W\d_])[^\W_]+(?:-[^\W_]+)*$")
_CAPITALISED_NUMBER = re.compile(r"(?<![\w-])([A-ZА-ЯЁЂЋЏЉЊЈ][\w]*)[ -](\d{1,4})(?![\d.,%])")


@dataclass(frozen=True)
class Figure:
    value: float
    upper: float | None
    kind: str  # "percent", a currency code, or "count"
    approximate: bool
    units: frozenset[str]  # stems of the words that follow it, with English unit stems


@dataclass(frozen=True)
class Profile:
    text: str
    language: str  # a guess; "" when unsure
    names: frozenset[str]  # folded names and designations (b52, jf17, nora), not countries
    countries: frozenset[str]
    figures: tuple[Figure, ...]
    years: frozenset[str]
    terms: frozenset[str]  # stems of the other content words

    def search_keys(self) -> list[str]:
        """Search keys for the full-text index: anchors first, then terms."""
        return [*self.anchor_keys(), *sorted(self.terms)]

    def anchor_keys(self) -> list[str]:
        out = [c.replace(" ", "") for c in sorted(self.countries)]
        out += sorted(self.names)
        out += sorted({figure_key(f.value) for f in self.figures})
        out += sorted(f"y{y}" for y in self.years)
        return out


def figure_key(value: float) -> str:
    """'n' + two significant digits and the power of ten: 3.1e9 -> n31x8, 48 -> n48x0."""
    if value <= 0:
        return "n0"
    exponent = math.floor(math.log10(value)) - 1
    mantissa = round(value / 10**exponent)
    if mantissa >= 100:
        mantissa, exponent = mantissa // 10, exponent + 1
    return f"n{mantissa}x{max(exponent, 0)}" if exponent >= 0 else f"n{mantissa}m{-exponent}"


def _unit_stems(words: tuple[str, ...]) -> frozenset[str]:
    out = set()
    for w in words:
        if w in STOPWORDS or w.isdigit() or len(w) < 2:
            continue
        out.add(w)
        unit = english_unit(w)
        if unit:
            out.add(unit)
    return frozenset(out)


def _figures(text: str, designation_spans: list[tuple[int, int]]) -> tuple[Figure, ...]:
    out = []
    for n in find_numbers(text):
        if n.is_year or any(s <= n.start < e for s, e in designation_spans):
            continue
        value, upper, after = n.value, n.upper, tuple(fold(w) for w in n.after)
        if after:
            scale = next((f for start, f in _SCALE_STARTS if after[0].startswith(start)), 0.0)
            if scale:
                value, upper, after = value * scale, upper * scale if upper else None, after[1:]
        currency = n.currency
        if not currency and after:
            currency = _currency_word(after[0])
        kind = "percent" if n.is_percent else (currency or "count")
        approximate = any(w in _word_list("approximate") for w in n.qualifier.split())
        out.append(Figure(value, upper, kind, approximate, _unit_stems(after[:4])))
    return tuple(out)


_CURRENCY_STARTS = (("dollar", "USD"), ("dolar", "USD"), ("euro", "EUR"), ("evr", "EUR"))


def _currency_word(word: str) -> str:
    """The currency a word after a scale word names ("155 млн долларов"), or ""."""
    return next((code for start, code in _CURRENCY_STARTS if word.startswith(start)), "")


def _not_a_name(word: str) -> bool:
    return word in STOPWORDS or word in _word_list("not_names") or word in _word_list("months")


def _names(text: str) -> tuple[set[str], list[tuple[int, int]]]:
    """Folded names (capitalised words) and designations; the spans of 'Barak 8' style names."""
    names: set[str] = set()
    spans: list[tuple[int, int]] = []
    for m in _CAPITALISED_NUMBER.finditer(text):
        word = fold(m.group(1))
        if _not_a_name(word):
            continue
        if countries_in(entity_tokens(word)):
            continue  # "Serbia 48 howitzers" is a country and a figure
        names.add("".join(entity_tokens(m.group(1) + m.group(2))))
        names.discard(word)
        spans.append((m.start(2), m.end(2)))
    for raw in re.split(r"[\s«»\"“”„()\[\],;:!?]+", text):
        token = raw.strip(".’'")
        if token.endswith(("'s", "’s")):
            token = token[:-2]
        if not token:
            continue
        if _DESIGNATION.match(token) and not token.replace("-", "").isdigit():
            if re.fullmatch(r"\d+(?:[.,]\d+)?[^\W\d_]{1,3}", token):
                continue  # 1.6bn, 155mm: a figure, not a name
            names.add("".join(entity_tokens(token)))
        elif token[:1].isupper():
            word = fold(token)
            if not word.isalpha() or _not_a_name(word):
                continue
            if not any(n.startswith(word) and n[len(word) :].isdigit() for n in names):
                names.add(word)
    return names, spans


def _language(text: str) -> str:
    """'cyrl' for Cyrillic text, 'sh' (Serbian/Croatian/Bosnian Latin) or 'en' (any other
    Latin text): content words are compared only between texts of one language."""
    letters = [c for c in text if c.isalpha()]
    if sum("\u0400" <= c <= "\u04ff" for c in letters) * 2 > len(letters):
        return "cyrl"
    words = fold(text).split()
    slavic = sum(w in _word_list("south_slavic") for w in words)
    english = sum(w in _word_list("english") for w in words)
    if slavic > english or (slavic and any(c in "čćžšđ" for c in text.lower())):
        return "sh"
    return "en"


def stem_of(word: str) -> str:
    """The stem matching compares words by (language.passages.stem)."""
    return stem(word)


def spelt_alike(a: str, b: str) -> bool:
    """One name in two languages' spellings (language.folding.exonym)."""
    return exonym(a, b)


def known_units() -> frozenset[str]:
    """The unit stems every language's unit words map to (language.glossary)."""
    return unit_stems()


@functools.cache
@functools.lru_cache(maxsize=16384)
def profile(text: str) -> Profile:
    """The matching profile of one claim text (cached: the same text recurs)."""
    text = " ".join(text.split())
    tokens = entity_tokens(text)
    countries = frozenset(countries_in(tokens))
    raw_names, designation_spans = _names(text)
    names = {n for n in raw_names if not countries_in(entity_tokens(n))}
    years = frozenset(re.findall(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", text))
    terms = set()
    for m in WORD_RE.finditer(text):
        word = fold(m.group())
        if word in STOPWORDS or len(word) < 3 or not word.isalpha() or word in names:
            continue
        if countries_in([word]):
            continue
        terms.add(stem(word))
    return Profile(
        text=text,
        language=_language(text),
        names=frozenset(names),
        countries=countries,
        figures=_figures(text, designation_spans),
        years=years,
        terms=frozenset(terms - names),
    )
