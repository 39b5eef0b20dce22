"""Numbers, ranges, percentages, money and dates found in a sentence."""

from __future__ import annotations

import re

from .types import Quantity

QUALIFIERS = (
    "at least|at most|more than|less than|fewer than|over|under|about|around|nearly|almost"
    "|approximately|roughly|some|up to|as many as|as much as|as few as|close to|an estimated"
    "|estimated|just over|just under|well over|no fewer than|no more than|upwards of"
)
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
}  # fmt: skip
_ONES_WORDS = str.split("one two three four five six seven eight nine")
_TENS_WORDS = str.split("twenty thirty forty fifty sixty seventy eighty ninety")
ONES = {w: i for i, w in enumerate(_ONES_WORDS, 1)}
SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12,
}  # fmt: skip
CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
    "manat": "AZN", "rubles": "RUB", "roubles": "RUB", "yuan": "CNY", "rupees": "INR",
}  # fmt: skip
UNIT_STOP = frozenset(
    str.split(
        "the a an of and or to in on at for from with by its their his her our this that per "
        "new more than less additional other such is are was were has have had be will would"
    )
)
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?"
    r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(
    sorted(
        [w for w in NUMBER_WORDS]
        + [f"{t}[- ]{u}" for t in _TENS_WORDS for u in _ONES_WORDS],
        key=len,
        reverse=True,
    )
)  # fmt: skip
# The number core is matched first; a qualifier ("at least") is looked up just before it,
# which is much cheaper than trying the qualifier alternation at every position.
QUANTITY_RE = re.compile(
    rf"(?:(?P<cur>US\$|[$€£¥₹])\s?)?"
    rf"(?:(?P<num>(?<![\w.])(?:{_NUM}))|(?P<word>\b(?:{_WORDNUM})\b))"
    rf"(?:\s?(?:[–—-]|to)\s?(?:US\$|[$€£¥₹])?(?P<upper>{_NUM}))?"
    rf"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?"
    rf"(?:\s?(?P<pct>%|percent\b|per cent\b))?",
    re.I,
)
QUALIFIER_BEFORE_RE = re.compile(rf"\b(?P<qual>{QUALIFIERS})\s+$", re.I)
ANCHOR_RE = re.compile(rf"\d|\b(?:{'|'.join(NUMBER_WORDS)}|twenty|thirty|forty|fifty)", re.I)
YEAR_RE = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
DATE_RE = re.compile(
    rf"\b(?:\d{{1,2}}\s+{MONTHS}\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}\s+{MONTHS}(?!\w)"
    rf"|(?:January|February|March|April|June|July|August|September|October|November|December)"
    rf"\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?:1[89]\d\d|20\d\d)s?)\b"
)
WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")
DIGIT_RE = re.compile(r"\d")


def _to_float(s: str) -> float:
    return float(s.replace(",", ""))


def _unit_after(sentence: str, pos: int) -> str:
    """A unit word after the number: the first plural-looking noun among the next words."""
    words = WORD_RE.findall(sentence[pos : pos + 60])[:4]
    first = ""
    for w in words:
        lw = w.lower()
        if lw in UNIT_STOP:
            if first:
                break
            continue
        if lw in CURRENCY_WORDS:
            return CURRENCY_WORDS[lw]
        if w.isupper() and len(w) > 1:
            first = first or w  # acronym: "600 MLRS units"
            continue
        if lw.endswith("s") and not lw.endswith("ss") and len(lw) > 3:
            return f"{first} {lw}" if first and first.isupper() else lw
        if not first:
            first = lw
    return first


def is_year(value: float, raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100


def find_quantities(sentence: str) -> list[Quantity]:
    """Quantities in reading order. Bare years are dates, not quantities."""
    out: list[Quantity] = []
    if not ANCHOR_RE.search(sentence):
        return out
    date_spans = [(d.start(), d.end()) for d in DATE_RE.finditer(sentence)]
    for m in QUANTITY_RE.finditer(sentence):
        raw = m.group("num")
        qm = QUALIFIER_BEFORE_RE.search(sentence, max(0, m.start() - 30), m.start())
        qual = qm.group("qual").lower() if qm else ""
        if any(s <= m.start() < e or s < m.end() <= e for s, e in date_spans) and not (
            m.group("pct") or m.group("cur")
        ):
            continue
        if raw is None and m.group("word") is None:
            continue
        # Skip digits glued to letters (designations like S-300PMU2, JF-17, 9K33).
        before = sentence[m.start() - 1] if m.start() > 0 else " "
        if before == "." and m.start() > 1 and sentence[m.start() - 2].isdigit():
            continue
        after = sentence[m.end()] if m.end() < len(sentence) else " "
        if raw is not None and not qual and not m.group("cur"):
            if before.isalnum() or before in "-/" or (after.isalpha() and not m.group("pct")):
                continue
            if after == ":" and sentence[m.end() + 1 : m.end() + 2].isdigit():
                continue  # clock time "12:59"
        if m.start() > 0 and sentence[m.start() - 1] == ":" and raw and len(raw) == 2:
            continue
        if raw is not None:
            value = _to_float(raw)
        else:
            parts = re.split(r"[- ]", m.group("word").lower())
            value = float(NUMBER_WORDS[parts[0]] + (ONES.get(parts[1], 0) if len(parts) > 1 else 0))
        upper = _to_float(m.group("upper")) if m.group("upper") else None
        scale = (m.group("scale") or "").lower()
        if scale:
            if scale in ("m", "b", "k") and not m.group("cur"):
                scale = ""  # "5 m" is metres, not millions
            else:
                factor = SCALES[scale]
                value *= factor
                upper = upper * factor if upper is not None else None
        if raw is not None and not m.group("cur") and not m.group("pct") and not scale:
            if is_year(value, raw) and upper is None:
                continue
            if upper is not None and is_year(value, raw) and is_year(upper, m.group("upper")):
                continue  # "2024-2026" is a period
        if m.group("cur"):
            unit = CURRENCIES.get(m.group("cur").lower(), "USD")
        elif m.group("pct"):
            unit = "%"
        else:
            unit = _unit_after(sentence, m.end())
        out.append(
            Quantity(
                value=value,
                unit=unit,
                text=(qm.group(0) if qm else "") + m.group(0).strip(),
                upper=upper,
                qualifier=qual,
            )
        )
    return out


def find_dates(sentence: str) -> list[str]:
    """Dates and years as written, longest match first, without overlaps."""
    if not DIGIT_RE.search(sentence):
        return []
    return [m.group(0) for m in DATE_RE.finditer(sentence)]
