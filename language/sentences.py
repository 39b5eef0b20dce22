"""Sentence boundaries: the one sentence splitter of the language layer. Pure Python.

Claim extraction (language.extraction.segmentation) and passage search (language.passages,
and through it language.stance) cut a line into sentences here, so both see the same
sentences. A sentence ends at terminal punctuation (with its closing quotes and brackets)
before a space or the line's end, or glued to the next sentence's capitalised word ("(Figure
1).The Army's"), unless:

- the next word starts in lowercase ("e.g. the", "approx. six", '"Why?" he asked');
- the stop belongs to an abbreviation (language/data/abbreviations.txt: "Gen.", "No. 5",
  "Acme Ltd. Board"), a dotted abbreviation before a word that does not open sentences
  ("U.S. Army", but "in the U.S. The army"), or an initial ("J. Smith");
- a glued stop sits inside a URL, a domain or e-mail address, or a short abbreviation
  ("www.Example.com", "St.Petersburg", "U.S.Army").

Callers keep their own line handling (blocks, headings, bullets) and their own cut for
over-long unpunctuated runs.
"""

from __future__ import annotations

import re

from language.tokens import data_lines


def _abbreviations() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    plain, number, may_end = set(), set(), set()
    for line in data_lines("abbreviations.txt"):
        word, *rule = line.split()
        {"": plain, "number": number, "may-end": may_end}[rule[0] if rule else ""].add(word)
    return frozenset(plain), frozenset(number), frozenset(may_end)


# Never end a sentence / end one unless a number follows / end one before a sentence starter.
_PLAIN, _BEFORE_NUMBER, _MAY_END = _abbreviations()
ABBREVIATIONS = _PLAIN | _BEFORE_NUMBER | _MAY_END
SENTENCE_STARTERS = frozenset(
    w for line in data_lines("sentence_starters.txt") for w in line.split()
)

# Dotted abbreviations like U.S., a.m. (checked on the whole token).
DOTTED_ABBREV = re.compile(r"(?:[A-Za-z]\.){2,}$")
# A sentence end: punctuation (and closing quotes) before a space or the end of the line, or
# glued to the next sentence's capitalised first word: "(Figure 1).The Army's...".
TERMINAL_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)|(?<=[\w)\]\"'”’])[.!?](?=[A-Z][a-z])")
_NEXT_WORD_RE = re.compile(r"[\w’']+")


def is_boundary(text: str, dot: int, after: int, end: int | None = None) -> bool:
    """Whether the punctuation run at text[dot] ends a sentence. `after` is the index just
    past the punctuation (and closing quotes); `end` is the end of the line (default: text)."""
    nxt = text[after : min(after + 80, len(text) if end is None else end)].lstrip()[:40]
    if not nxt:
        return True
    if nxt[0].islower():
        return False  # "e.g. the", "approx. six", '"Why?" he asked'
    if text[dot] != "." or text[dot : dot + 3] == "...":
        return True
    j = dot
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(\"“'‘":
        j -= 1
    token = text[j : dot + 1]
    word = token[:-1].lower().strip("'’")
    if word in _PLAIN:
        return False
    if word in _BEFORE_NUMBER:
        return not nxt[0].isdigit()
    next_word = _NEXT_WORD_RE.match(nxt)
    starter = bool(next_word) and next_word.group(0).lower() in SENTENCE_STARTERS
    if word in _MAY_END or DOTTED_ABBREV.search(token):
        return starter  # "U.S. The" ends a sentence; "U.S. Army" does not.
    # An initial ("J. Smith") does not end a sentence.
    return not (len(word) == 1 and word.isalpha() and token[0].isupper())


def is_glued_boundary(text: str, dot: int) -> bool:
    """Whether a stop glued to a capital ("1).The") ends a sentence: not inside a URL, a
    file or domain name, or a short abbreviation ("St.Petersburg", "U.S.Army")."""
    j, k = dot, dot
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    while k < len(text) and not text[k].isspace():
        k += 1
    token, whole = text[j:dot], text[j:k].lower()
    if "://" in whole or whole.startswith("www.") or "@" in whole:
        return False
    word = re.split(r"[^\w]", token.rstrip(")]\"'”’"))[-1]
    if token[-1:] in ")]\"'”’":
        return True
    return len(word) >= 3 and not word.isupper() and word.lower() not in ABBREVIATIONS


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the line text[start:end], without surrounding
    whitespace; empty spans are dropped. The line should hold no line break."""
    end = len(text) if end is None else end
    cuts: list[tuple[int, int]] = []
    cur = start
    for m in TERMINAL_RE.finditer(text, start, end):
        glued = m.end() < end and not text[m.end()].isspace()
        if glued and not is_glued_boundary(text, m.start()):
            continue
        if is_boundary(text, m.start(), m.end(), end):
            cuts.append((cur, m.end()))
            cur = m.end()
    cuts.append((cur, end))
    out: list[tuple[int, int]] = []
    for s, e in cuts:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
