"""Extra search tokens for designations and figures, so they are found by their parts.

A full-text index reads "S-300PMU2" as one word (or splits it its own way); a reader
searches for "S-300", "300" or "PMU2". part_tokens() gives every part of such a word: the
pieces between hyphens, slashes and dots, the runs of letters and of digits, and the
pieces glued back together ("s300pmu2", "300pmu2", "b52ng"). Pure Python.
"""

from __future__ import annotations

import re

from language.folding import fold

# A word with a digit, or letters joined by a hyphen to something: designations and figures.
_COMPOUND = re.compile(r"[^\W_]+(?:[-‐‑–/.][^\W_]+)+|[^\W_]*\d[^\W_]*", re.UNICODE)
_SEPARATORS = re.compile(r"[-‐‑–/.]")
_RUNS = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_MAX_TOKENS_PER_WORD = 12


def _parts(word: str) -> list[str]:
    pieces = [p for p in _SEPARATORS.split(word) if p]
    runs = [run for piece in pieces for run in _RUNS.findall(piece)]
    found = {"".join(pieces)}
    found.update(pieces)
    found.update(runs)
    # Suffixes of the glued form from each run boundary: "300pmu2" and "pmu2" of "s300pmu2".
    for index in range(1, len(runs)):
        found.add("".join(runs[index:]))
        found.add("".join(runs[:index]))
    return sorted(found, key=len, reverse=True)[:_MAX_TOKENS_PER_WORD]


def part_tokens(text: str) -> list[str]:
    """Lower-case, accent-folded parts of every designation or figure in the text, once each.

    "Nora B-52NG and S-300PMU2" -> ["b52ng", "b", "52ng", "52", "ng", "s300pmu2", ...].
    Numbers written with thousands separators ("1,000", "1.000") also give "1000".
    """
    folded = fold(text)
    found: dict[str, None] = {}
    for match in _COMPOUND.finditer(folded):
        word = match.group(0)
        if word.isdigit():
            continue  # a plain number is a word of the text already
        for part in _parts(word):
            found.setdefault(part, None)
    for number in re.findall(r"\d{1,3}(?:[,.\u00a0 ]\d{3})+", folded):
        found.setdefault(re.sub(r"\D", "", number), None)
    return list(found)


def query_tokens(text: str) -> list[str]:
    """The words of a query for a full-text search: letters and digits, folded, once each."""
    words = re.findall(r"[^\W_]+", fold(text), re.UNICODE)
    return list(dict.fromkeys([*words, *part_tokens(text)]))


_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)


def anchor_tokens(text: str, *, is_function_word=lambda word: False) -> list[str]:
    """The words of a query a passage must hold: names, designations and figures.

    Each comes as one folded token with its separators removed ("B-52NG" -> "b52ng",
    "Azerbaijan's" -> "azerbaijan"), the form part_tokens() indexes too.
    """
    anchors: dict[str, None] = {}
    for raw in text.split():
        word = _POSSESSIVE.sub("", _EDGE_PUNCTUATION.sub("", raw))
        if not word or not (word[0].isupper() or any(ch.isdigit() for ch in word)):
            continue
        token = re.sub(r"[^\w]|_", "", fold(word))
        if len(token) > 1 and not is_function_word(token):
            anchors.setdefault(token, None)
    return list(anchors)
