"""Number words to digits, keeping a map back to the original offsets.

"forty" -> "40", "quarante-huit" -> "48" (text2num, for the languages it reads: English,
French, Spanish, German, Portuguese, Italian, Dutch, Danish); "a dozen" -> "1 dozen",
"half a billion" -> "0.5 billion"; small numbers and the languages text2num does not read
(Serbian, Russian, Turkish) from language/data/quantities/number_words.tsv. Scale words stay
words ("23.5 million" is read with its scale by the quantity parser).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from dataclasses import dataclass

from text_to_num import alpha2digit

from language.folding import fold
from language.quantities.lexicon import number_words, scales

TEXT2NUM_LANGUAGES = frozenset({"en", "fr", "es", "de", "pt", "it", "nl", "da"})
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_TOKEN_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Digitised:
    """Text with number words as digits, and where each of its offsets was in the original."""

    text: str
    original: str
    _edits: tuple[tuple[int, int, int, int], ...] = ()  # (new start, new end, old start, old end)

    def to_original(self, pos: int, *, end: bool = False) -> int:
        """The original offset of an offset of `text`; inside a rewritten word, its start (or,
        with end=True, its end)."""
        shift = 0
        starts = [e[0] for e in self._edits]
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0:
            new_start, new_end, old_start, old_end = self._edits[i]
            if pos < new_end or (pos == new_end and not end and pos > new_start):
                return old_end if end else old_start
            if pos == new_end:
                return old_end
            shift = old_end - new_end
        return pos + shift


@functools.cache
def _scale_words() -> frozenset[str]:
    return frozenset(w for w in scales() if len(w) > 2)


def _library_edits(text: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for the number words text2num rewrites, scale words kept."""
    if lang not in TEXT2NUM_LANGUAGES:
        return []
    try:
        converted = alpha2digit(text, lang)
    except (ValueError, TypeError):
        return []
    if converted == text:
        return []
    keep = _scale_words()
    out = []
    # Align word by word (the library only rewrites runs of number words), then map the
    # changed runs back to character offsets.
    old_words = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    new_words = [m.group() for m in _TOKEN_RE.finditer(converted)]
    matcher = difflib.SequenceMatcher(
        None, [text[a:b] for a, b in old_words], new_words, autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or i1 == i2:
            continue
        start, end = old_words[i1][0], old_words[i2 - 1][1]
        old = text[start:end]
        if fold(old.strip().strip(".,;:!?)”\"'’")) in keep:
            continue  # "23.5 million": the parser reads the scale
        out.append((start, end, " ".join(new_words[j1:j2])))
    return out


_ONE_BEFORE_SCALE = re.compile(
    r"\b(?:(?P<half>half)\s+an?|an?|one)\s+(?=(?P<scale>[^\W\d_]+))", re.I
)


def _own_edits(text: str, lang: str | None) -> list[tuple[int, int, str]]:
    out = []
    keep = _scale_words()
    for m in _ONE_BEFORE_SCALE.finditer(text):
        if fold(m.group("scale")) in keep:
            out.append((m.start(), m.end(), "0.5 " if m.group("half") else "1 "))
    table = number_words(lang)
    pattern = _table_re(lang)
    candidates = _WORD_RE.finditer(text) if not text.isascii() else pattern.finditer(text)
    for m in candidates:
        value = table.get(fold(m.group()))
        glued = text[m.start() - 1 : m.start()] == "-" or text[m.end() : m.end() + 1] == "-"
        if value is not None and not glued and fold(m.group()) not in keep:
            out.append((m.start(), m.end(), f"{value:g}"))
    return out


@functools.cache
def _table_re(lang: str | None) -> re.Pattern[str]:
    """The number words of the table as one pattern, for plain-ASCII text."""
    words = sorted(number_words(lang), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


def digitise(text: str, lang: str | None = None) -> Digitised:
    """The text with its number words written as digits (see the module doc)."""
    library = _library_edits(text, lang or "en")
    own = [e for e in _own_edits(text, lang) if all(e[1] <= s or e[0] >= t for s, t, _ in library)]
    edits = sorted(library + own)
    if not edits:
        return Digitised(text, text)
    parts: list[str] = []
    mapped: list[tuple[int, int, int, int]] = []
    pos = new_len = 0
    for start, end, replacement in edits:
        if start < pos:
            continue  # overlaps an earlier edit
        parts.append(text[pos:start])
        new_len += start - pos
        mapped.append((new_len, new_len + len(replacement), start, end))
        parts.append(replacement)
        new_len += len(replacement)
        pos = end
    parts.append(text[pos:])
    return Digitised("".join(parts), text, tuple(mapped))
