"""The word lists quantities are read with, loaded once from language/data/quantities/."""

from __future__ import annotations

import functools
import re

from language.folding import fold
from language.tokens import data_lines, stem


def _rows(name: str) -> list[list[str]]:
    return [line.split("\t") for line in data_lines(f"quantities/{name}")]


@functools.cache
def scales() -> dict[str, float]:
    """Scale word (folded) -> factor: dozen 12, bn 1e9, milliards 1e9."""
    return {word: float(factor) for word, factor in _rows("scales.tsv")}


@functools.cache
def qualifiers() -> dict[str, tuple[str, str]]:
    """Folded phrase -> (English qualifier, bound: min | max | about | exact)."""
    return {fold(phrase): (english, bound) for phrase, english, bound in _rows("qualifiers.tsv")}


@functools.cache
def qualifier_bounds() -> dict[str, str]:
    """English qualifier -> bound, for quantities stored with their qualifier only."""
    return {english: bound for english, bound in qualifiers().values()}


@functools.cache
def qualifier_re() -> re.Pattern[str]:
    """A qualifier at the end of the folded text before a figure."""
    phrases = sorted(qualifiers(), key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?:^|[^\w'])({alternation})\s*$")


@functools.cache
def currencies() -> tuple[dict[str, str], dict[str, str], tuple[tuple[str, str], ...]]:
    """(signs, whole words, word starts) -> ISO code."""
    signs: dict[str, str] = {}
    whole: dict[str, str] = {}
    starts: list[tuple[str, str]] = []
    for kind, surface, code in _rows("currencies.tsv"):
        if kind == "sign":
            signs[surface] = code
        elif kind == "word":
            whole[surface] = code
        else:
            starts.append((surface, code))
    return signs, whole, tuple(starts)


@functools.cache
def currency_codes() -> frozenset[str]:
    signs, whole, starts = currencies()
    return frozenset(signs.values()) | frozenset(whole.values()) | {c for _, c in starts}


@functools.cache
def number_words(lang: str | None) -> dict[str, float]:
    """Folded number words the number-words library does not read -> value: English ones
    always, another language's when the text is in it or its language is unknown."""
    return {
        word: float(value)
        for word, value, of in _rows("number_words.tsv")
        if of == "en" or lang in (None, of)
    }


@functools.cache
def multiples() -> tuple[tuple[str, float], ...]:
    """Folded word starts of multiplying verbs -> ratio: tripl 3, halv 0.5; longest first."""
    rows = [(start, float(ratio)) for start, ratio in _rows("changes.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@functools.cache
def trends() -> tuple[frozenset[str], frozenset[str]]:
    """(stems of words that go up, stems of words that go down)."""
    up: set[str] = set()
    down: set[str] = set()
    for direction, spaced in _rows("trends.tsv"):
        (up if direction == "up" else down).update(stem(w) for w in spaced.split())
    return frozenset(up), frozenset(down)


@functools.cache
def linking_verbs() -> frozenset[str]:
    """Stems of verbs that tie a figure to its subject ("stood at"): never the subject."""
    return frozenset(stem(w) for line in data_lines("quantities/quantity_verbs.txt")
                     for w in line.split())  # fmt: skip
