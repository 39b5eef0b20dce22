"""Folding text to plain Latin letters, and names as tokens. Pure Python, no Django.

The lowest layer of the text code: language.passages (words, numbers, passages) and
language.countries (country names) both build on it.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_CYRILLIC_LATIN = (
    "a b v g d dj e zh z i i j k l lj m n nj o p r s t c u f h c ch dz sh shch _ y _ e yu ya e"
)
_CYRILLIC = {
    cyr: lat.strip("_")
    for cyr, lat in zip(
        "абвгдђежзийјклљмнњопрстћуфхцчџшщъыьэюяё", _CYRILLIC_LATIN.split(" "), strict=True
    )
}
_EXTRA_FOLD = {"ı": "i", "đ": "dj", "ß": "ss", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe"}


def fold(text: str) -> str:
    """Lowercase, strip accents, transliterate Cyrillic: 'Bakı' -> 'baki', 'Нора' -> 'nora'."""
    if text.isascii():  # most words of most sources: nothing to strip or transliterate
        return text.lower()
    out = []
    for ch in text.lower():
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _EXTRA_FOLD:
            out.append(_EXTRA_FOLD[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def entity_tokens(text: str) -> list[str]:
    """'Nora B-52NG' -> ['nora', 'b', '52', 'ng']: letter/digit runs, so B52NG == B-52 NG."""
    folded = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", fold(text))
    # Ц is "c" in Serbian Latin and "ts" in English: Pancir-S1 == Pantsir-S1.
    return re.findall(r"[a-z0-9]+", folded.replace("ts", "c"))


def exonym(name: str, token: str) -> bool:
    """Same name in another language's spelling: a shared start of 5+ letters, similar rest.

    'azerbaijan' ~ 'azerbaycan', 'azerbejdzanu', 'azerbaidzhana'; 'serbia' ~ 'serbie'; not
    'slovakia' ~ 'slovenia' (4 shared). String likeness cannot tell every pair apart:
    'austria' ~ 'australia' passes too. Names spelt from a different root (Израиль, Türkiye,
    Srbija) do not match.
    """
    if len(name) < 6 or len(token) < 6 or abs(len(name) - len(token)) > 4:
        return False
    prefix = 0
    for a, b in zip(name, token, strict=False):
        if a != b:
            break
        prefix += 1
    if prefix < 5 or not name[:prefix].isalpha():
        return False
    return SequenceMatcher(None, name, token).ratio() >= 0.7
