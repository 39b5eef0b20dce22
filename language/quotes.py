"""Finding a quoted passage again in a source's new text: exactly, nearly, or not at all.

Pure Python: a re-check uses it to tell whether the evidence behind a verdict survived.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections import Counter
from dataclasses import dataclass

NEAR_RATIO = 0.85


@dataclass
class QuoteMatch:
    kind: str  # exact | near | gone
    similarity: float
    passage: str = ""
    start: int | None = None
    end: int | None = None


_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def locate_quote(quote: str, text: str, *, near: float = NEAR_RATIO) -> QuoteMatch:
    """Where the quoted passage is in text: exactly, nearly (difflib ratio ≥ near over the
    best window of about the quote's length) or not at all."""
    quote = quote.strip()
    if not quote or not text:
        return QuoteMatch("gone", 0.0)
    at = text.find(quote)
    if at >= 0:
        return QuoteMatch("exact", 1.0, quote, at, at + len(quote))
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    wanted = [w.lower() for w in quote.split()]
    n = len(wanted)
    if not words:
        return QuoteMatch("gone", 0.0)
    starts = _candidate_starts(wanted, [text[s:e].lower() for s, e in words])
    target = _squash(quote)
    best = QuoteMatch("gone", 0.0)
    for start in starts:
        for first in range(max(start - 2, 0), min(start + 3, len(words))):
            for size in range(max(n - 3, 1), n + 4):
                last = min(first + size, len(words)) - 1
                s, e = words[first][0], words[last][1]
                window = _squash(text[s:e])
                matcher = difflib.SequenceMatcher(None, target, window, autojunk=False)
                if matcher.real_quick_ratio() <= best.similarity:
                    continue
                if matcher.quick_ratio() <= best.similarity:
                    continue
                ratio = matcher.ratio()
                if ratio > best.similarity:
                    best = QuoteMatch("gone", ratio, text[s:e], s, e)
    if best.similarity >= 0.9999:
        best.kind = "exact"  # the same words, spaced differently
    elif best.similarity >= near:
        best.kind = "near"
    else:
        best = QuoteMatch("gone", best.similarity)
    best.similarity = round(best.similarity, 3)
    return best


def _candidate_starts(wanted: list[str], tokens: list[str], keep: int = 5) -> list[int]:
    """Word offsets of the windows sharing most words with the quote (a sliding count)."""
    n = len(wanted)
    need = Counter(wanted)
    have: Counter[str] = Counter()
    overlap = 0
    scored: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        if have[token] < need[token]:
            overlap += 1
        have[token] += 1
        if i >= n:
            old = tokens[i - n]
            have[old] -= 1
            if have[old] < need[old]:
                overlap -= 1
        scored.append((overlap, max(i - n + 1, 0)))
    picked: list[int] = []
    for _score, start in heapq.nlargest(keep * 4, scored):
        if all(abs(start - p) > 2 for p in picked):
            picked.append(start)
        if len(picked) == keep:
            break
    return picked
