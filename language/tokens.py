"""Words, stems and stopwords: the one tokenizer of the language layer. Pure Python.

Every module that reads words (passages, quantities, stance, denials, queries, detect) takes
them from here, so a claim and a source are cut into the same words. Stems are the English
Snowball stemmer's (snowballstemmer). Stopword lists are data files, one per language
(language/data/stopwords/LANG.txt).
"""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path
from typing import Any

import snowballstemmer

from language.folding import fold

DATA = Path(__file__).resolve().parent / "data"


def data_lines(name: str) -> list[str]:
    """The non-blank, non-comment lines of a data file under language/data/."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.split("#", 1)[0].strip())]


@functools.cache
def stopwords(lang: str) -> frozenset[str]:
    """Function words of a language (folded); empty for a language without a list."""
    path = DATA / "stopwords" / f"{lang}.txt"
    if not path.exists():
        return frozenset()
    return frozenset(fold(w) for w in data_lines(f"stopwords/{lang}.txt"))


def stopword_languages() -> list[str]:
    return sorted(p.stem for p in (DATA / "stopwords").glob("*.txt"))


STOPWORDS = stopwords("en")

# British spellings as the American ones, "percent" as "%" (language/data/spellings.tsv).
_SPELLING = dict(line.split() for line in data_lines("spellings.tsv"))
_POSSESSIVE_RE = re.compile(r"['’]s$")

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

_local = threading.local()  # a Snowball stemmer keeps its state on the object: one a thread


def _english() -> Any:
    stemmer = getattr(_local, "english", None)
    if stemmer is None:
        stemmer = _local.english = snowballstemmer.stemmer("english")
    return stemmer


@functools.lru_cache(maxsize=65536)  # the same words recur in every passage and source
def stem(word: str) -> str:
    """The English Snowball (Porter2) stem of a folded word, after the possessive and the
    spellings table: howitzers/howitzer, purchased/purchase/purchasing, defence/defense.
    Words with digits or inner apostrophes (b52, don't) are kept as they are."""
    w = _POSSESSIVE_RE.sub("", word)
    w = _SPELLING.get(w, w)
    if not w.isalpha():
        return w
    return _english().stemWord(w)


def words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of text."""
    return [(fold(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def stems_of(text: str) -> set[str]:
    return {stem(w) for w, _, _ in words(text)}


def stem_set(text: str) -> frozenset[str]:
    """Stems of space-separated words (for word lists)."""
    return frozenset(stem(w) for w in text.split())


def key_terms(text: str) -> dict[str, str]:
    """Stem -> first surface form, for the content words of text (no stopwords, no numbers)."""
    terms: dict[str, str] = {}
    for m in WORD_RE.finditer(text):
        low = fold(m.group())
        if low in STOPWORDS or not any(c.isalpha() for c in low) or len(low) < 2:
            continue
        if low.isdigit():
            continue
        terms.setdefault(stem(low), m.group())
    return terms


@functools.cache
def generic_units() -> frozenset[str]:
    """Stems of unit words that tie a figure to nothing in particular ("units", "systems"):
    language/data/generic_units.txt, read by matching, stance and search queries alike."""
    return stem_set(" ".join(data_lines("generic_units.txt")))
