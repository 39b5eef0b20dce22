"""The language of a source, from what the page declares or, failing that, a cheap guess.

The guess knows the languages this beat's sources come in (English, Serbian, Russian,
Turkish, French and a few neighbours); it returns None rather than guess from too little.
"""

from __future__ import annotations

import re


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split(" "))


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the and of to in is that for was with on are by as it from this be"),
    "fr": _words("le la les des et est une dans que pour qui sur par pas avec du au"),
    "de": _words("der die und das ist nicht mit den von zu sich auf dem ein eine des"),
    "es": _words("el la los las y que del en por con una para es se al como"),
    "it": _words("il di che la per non una sono della con gli del nel alla"),
    "pt": _words("o os da do das dos que em para com uma não por mais ao"),
    "tr": _words("ve bir bu için ile da de olarak olan gibi daha çok ama ancak değil"),
    "sr": _words("je i u da se na za su od sa koji što kao ali nije bio biti godine"),
    "hr": _words("je i u da se na za su od s koji što kao ali nije bio tijekom"),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SERBIAN_CYRILLIC = re.compile(r"[ђћџљњјЂЋЏЉЊЈ]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


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
    words = [w.lower() for w in _WORD.findall(sample)]
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < 3:
        return None
    if best == "hr" and scores["sr"] >= scores["hr"]:
        return "sr"
    return best


_ALL_STOPWORDS = frozenset().union(*_STOPWORDS.values())


def is_stopword(word: str) -> bool:
    """A function word of one of the languages above ('the', 'und', 'je'), lower case."""
    return word in _ALL_STOPWORDS
