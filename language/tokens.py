"""Words, stems and stopwords: the one tokenizer of the language layer. Pure Python.

Every module that reads words (passages, quantities, stance, denials, queries, detect) takes
them from here, so a claim and a source are cut into the same words. Stopword lists are data
files, one per language (language/data/stopwords/LANG.txt).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

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

# British and American spellings of words this beat uses all the time.
_SPELLING = {
    "defence": "defense",
    "defences": "defenses",
    "programme": "program",
    "programmes": "programs",
    "armoured": "armored",
    "armour": "armor",
    "modernisation": "modernization",
    "organisation": "organization",
    "militarisation": "militarization",
    "percent": "%",
    "pct": "%",
}

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@functools.lru_cache(maxsize=65536)  # the same words recur in every passage and source
def stem(word: str) -> str:
    """A light English suffix stripper: howitzers/howitzer, purchased/purchase/purchasing."""
    w = _SPELLING.get(word, word)
    w = re.sub(r"['’]s$", "", w)
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, repl in (
        ("ies", "i"),
        ("ied", "i"),
        ("sses", "ss"),
        ("ings", ""),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                break
            w = w[: len(w) - len(suffix)] + repl
            if suffix in ("ing", "ings", "ed", "edly") and len(w) > 3 and w[-1] == w[-2]:
                w = w[:-1]  # planned -> plan
            break
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"  # battery / batteries
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]  # purchase / purchas(ed)
    return w


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
