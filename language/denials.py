"""Words that deny, cancel or negate, in the languages this beat reads. Pure Python.

Cues are matched on folded words (language.passages.fold: lower case, no accents, Cyrillic in
Latin letters), so one pattern covers Serbian in either script and Russian spelt "ne", "net".
Each language lists whole-word cues and the words after a cue that make it no denial at all
("did not disclose", "n'a pas précisé", "nije komentarisao", "не уточнил").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from language.tokens import words

_ENGLISH = (
    r"den(?:y|ies|ied|ying)|did\s+not|didn['’]t|does\s+not|doesn['’]t|do\s+not|don['’]t"
    r"|has\s+not|hasn['’]t|have\s+not|haven['’]t|had\s+not|hadn['’]t|was\s+not|wasn['’]t"
    r"|were\s+not|weren['’]t|is\s+not|isn['’]t|never|no\s+evidence|not\s+true|untrue|false"
    r"|fake|fabricated|baseless|unfounded|debunked|refuted|dismissed|rejected|nor"
    r"|exaggerat\w+|overstated|inaccurate|incorrect|misleading"
    r"|called\s+off|cancel+(?:ed|s|ing|ation)|postponed|scrapped|refused"
    r"|declin(?:ed|es|ing)\s+to(?!\s+\d)"
    # "no contract", "held no talks", "has no Iron Dome" -- not "no more than", "no doubt"
    r"|no(?!\s+(?:more|fewer|less|later|sooner|doubt|matter|one\s+else)\b)\s+[a-z]\w*"
)
_FRENCH = (
    r"n['’]\w+\s+(?:pas|jamais|plus|aucun\w*)|ne\s+\w+\s+(?:pas|jamais|plus)|jamais"
    r"|dement\w*|nie|niee?s?|nient|faux|fausse|infonde\w*|aucun\w*|annule\w*|reportee?s?"
)
# Serbian, Bosnian, Croatian (Latin and Cyrillic) and Russian share "ne" and much else.
_SLAVIC = (
    r"nije|nisu|nisam|nismo|nikada|nikad|nema|nijedn\w*|nikakv\w*|demant\w*|negir\w*"
    r"|lazn\w*|neistin\w*|otkazan\w*|net|nikogda|oproverg\w*|otrica\w*|lozhn\w*|feik\w*"
    r"|otmen\w*|nepravd\w*|ne"
)
_TURKISH = r"degil\w*|yalan\w*|reddet\w*|asilsiz|iptal|ertelen\w*|hicbir|yok"
# Turkish verbs negated by their suffix (almadi, imzalanmadi, etmemis, vermiyor); only in
# lower case, so that names such as Ahmadi stay names.
_TURKISH_SUFFIX_RE = re.compile(
    r"\w{2,}m[ae]d[iu](?:m|n|k|niz|nuz|lar|ler)?|\w{2,}m[ae]mis\w{0,3}|\w{2,}m[iu]yor\w{0,4}"
)
# Russian "нет" folds to the English word "net": a cue only when written in Cyrillic.
_CYRILLIC_ONLY = frozenset({"net"})
_OTHER = r"nicht|niemals|kein\w*|dementier\w*|bestritt\w*|abgesagt|nunca|jamas|nego|desminti\w*"

# After a cue: the speaker declined to say something, or "not only" -- no denial.
_QUIET = (
    r"(?:yet\s+)?(?:only|disclose\w*|comment\w*|reveal\w*|specif\w*|confirm\w*|respond\w*"
    r"|elaborat\w*|name\w*|provide\w*|say|said|give|gave|immediately|publicly|officially"
    r"|been\s+(?:disclosed|confirmed|made\s+public)|longer"
    r"|precise\w*|commente\w*|confirme\w*|revele\w*|divulgue\w*|repondu|seulement"
    r"|precizira\w*|otkri\w*|komentar\w*|potvrdi\w*|naveo|navela|naveli|samo|zel\w*"
    r"|utochn\w*|kommentir\w*|podtverd\w*|raskry\w*|soobshchi\w*|nazval\w*|otvetil\w*|tolko"
    r"|nur|solo)\b"
)
_QUIET_TURKISH = ("aciklama", "belirtme", "dogrulama", "yorumla")

_CUE_RE = re.compile(rf"\b(?:{_ENGLISH}|{_FRENCH}|{_SLAVIC}|{_TURKISH}|{_OTHER})\b")
_QUIET_RE = re.compile(rf"\s+{_QUIET}")


@dataclass(frozen=True)
class Cue:
    word: int  # index of the cue's first word in words(text)
    start: int  # offset of that word in text


def denial_cues(text: str) -> list[Cue]:
    """Each denying word of text, in order; 'no comment' and 'not only' are not denials."""
    tokens = words(text)
    if not tokens:
        return []
    joined = " ".join(w for w, _, _ in tokens)
    found: dict[int, int] = {}  # word index -> end of the cue in joined
    for m in _CUE_RE.finditer(joined):
        index = joined.count(" ", 0, m.start())
        _, start, end = tokens[index]
        if m.group() in _CYRILLIC_ONLY and text[start:end].isascii():
            continue
        found[index] = m.end()
    position = 0
    for index, (word, start, _) in enumerate(tokens):
        position = joined.index(word, position)
        if index not in found and text[start].islower() and _TURKISH_SUFFIX_RE.fullmatch(word):
            found[index] = position + len(word)
    cues = []
    for index in sorted(found):
        word = tokens[index][0]
        if _QUIET_RE.match(joined, found[index]) or word.startswith(_QUIET_TURKISH):
            continue
        cues.append(Cue(index, tokens[index][1]))
    return cues
