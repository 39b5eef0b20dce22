"""The language of a source, from what the page declares or, failing that, a cheap guess.

The guess knows the languages this beat's sources come in (English, Serbian, Russian,
Turkish, French and a few neighbours); it returns None rather than guess from too little.
"""

from __future__ import annotations

import functools
import re

from language.folding import fold
from language.tokens import stopwords

_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "tr", "sr", "hr")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SERBIAN_CYRILLIC = re.compile(r"[ђћџљњјЂЋЏЉЊЈ]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@functools.cache
def _stopword_index() -> dict[str, tuple[str, ...]]:
    """Stopword -> the languages whose list has it."""
    index: dict[str, tuple[str, ...]] = {}
    for lang in _LANGUAGES:
        for w in stopwords(lang):
            index[w] = (*index.get(w, ()), lang)
    return index


def normalize_language(tag: str | None) -> str | None:
    """'sr-Latn-RS' -> 'sr', 'en_GB' -> 'en'; None for nothing usable."""
    if not tag:
        return None
    primary = re.split(r"[-_\s,;]", tag.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def guess_language(text: str) -> str | None:
    sample = text[:20000]
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if cyrillic + latin < 40:
        return None
    if cyrillic > latin:
        if _SERBIAN_CYRILLIC.search(sample):
            return "sr"
        if _UKRAINIAN.search(sample):
            return "uk"
        return "ru"
    words = [fold(w) for w in _WORD.findall(sample)]
    index = _stopword_index()
    scores = dict.fromkeys(_LANGUAGES, 0)
    for w in words:
        for lang in index.get(w, ()):
            scores[lang] += 1
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < 3:
        return None
    if best == "hr" and scores["sr"] >= scores["hr"]:
        return "sr"
    return best


def is_stopword(word: str) -> bool:
    """A function word of one of the languages above ('the', 'und', 'je'), lower case."""
    return word in _stopword_index()
