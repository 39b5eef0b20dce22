"""Figures in a text: value, range, qualifier, scale, unit, kind, subject and owner.

The one quantity parser of the language layer: claim extraction (language.extraction) and
source reading (language.passages, language.stance) both read figures with find_numbers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from language.countries import countries_in
from language.folding import entity_tokens, fold
from language.quantities.lexicon import (
    currencies,
    linking_verbs,
    qualifier_re,
    qualifiers,
    scales,
    trends,
)
from language.quantities.numbers import Digitised, digitise
from language.quantities.units import measure
from language.tokens import STOPWORDS, data_lines, stem, words

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_SIGN = r"US\$|[$€£₼¥₹]"
_PERCENT = (
    r"%|percent\b|per\s?cent\b|pct\b|процент\w*|posto\b|procen\w*|odsto\b|prozent\b|por\s?ciento\b"
)
_RANGE_SEP = r"[–—-]|to|do|до|à|a|ile|and|et|und|y|i|и|bis"
_CONJUNCTIONS = frozenset({"and", "et", "und", "y", "i", "и"})


@functools.cache
def _number_re() -> re.Pattern[str]:
    scale = "|".join(sorted((re.escape(s) for s in scales()), key=len, reverse=True))
    return re.compile(
        rf"(?:(?P<pre_pct>%|yüzde\s)\s?)?"
        rf"(?:(?P<cur>{_SIGN})\s?)?"
        rf"(?P<num>{_NUM})"
        rf"(?:\s?(?P<sep>{_RANGE_SEP})\s?(?:{_SIGN})?(?P<upper>{_NUM}))?"
        rf"(?:[\s-]?(?P<scale>{scale})\b\.?)?"
        rf"(?:\s?(?P<pct>{_PERCENT}))?",
        re.I,
    )


_BETWEEN = re.compile(
    r"\b(?:between|entre|zwischen|izmedju|između|mezhdu|между|arasinda)\s+$", re.I
)
_FROM = re.compile(r"\b(?:from|od|с|ot|de|von|desde)\s*$", re.I)
_TO = re.compile(r"^\s*(?:to|do|до|à|a|auf|bis|hasta|na)\b", re.I)
_BY = re.compile(r"\b(?:by|za|на|de|um|en)\s+$", re.I)
_TURKISH_AFTER = re.compile(r"['’]?(?:[dt][ae]n\s+(?P<more>fazla)|\w*\s+civar)", re.I)
_CLAUSE_END = re.compile(r"[,;:.!?\[\]—–\"“”]")  # not parentheses: "(MLRS)" belongs
_CLAUSE_START = re.compile(r"[,;:!?\[\]—\"“”()]|\.\s")
_UNIT_STOP = frozenset(w for line in data_lines("quantities/unit_stop.txt") for w in line.split())
_OWNER_NOUNS = frozenset(
    stem(w) for line in data_lines("quantities/owner_nouns.txt") for w in line.split()
)


@dataclass(frozen=True)
class NumberMention:
    value: float
    upper: float | None
    qualifier: str
    is_percent: bool
    is_year: bool
    start: int
    end: int
    text: str
    after: tuple[str, ...]  # stems of the words right after it, up to the clause end
    currency: str = ""  # USD, EUR, ...: from a sign before it or a currency word after it
    kind: str = "count"  # count | percent | money | length | mass | duration | year
    unit: str = ""  # as written: "howitzers", "MLRS units", "%", "USD", "km"
    base: float = 0.0  # the value in the kind's base unit (metres, kilograms, seconds)
    base_upper: float | None = None
    bound: str = "exact"  # min | max | about | exact (from the qualifier)
    subject: tuple[str, ...] = ()  # stems of what the figure measures: ("unemploy",)
    owner: str = ""  # whose figure: "serbia" for "Serbia's army received 18 ..."


@dataclass(frozen=True)
class Change:
    """A change of a quantity: "tripled" (x3), "rose from 1.1 to 1.3 billion" (x1.18)."""

    ratio: float
    start: int
    end: int
    text: str
    subject: tuple[str, ...] = ()
    figures: tuple[NumberMention, ...] = field(default=())  # from, to (when given)


@dataclass(frozen=True)
class Figures:
    numbers: list[NumberMention]
    changes: list[Change]


def _to_float(raw: str) -> float:
    raw = raw.replace("\u00a0", "").replace("\u202f", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        return float(raw.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):  # European grouping 1.200
        return float(raw.replace(".", "").replace(",", "."))
    return float(raw.replace(",", "."))


def _currency(sign: str | None, after: tuple[str, ...], raw_after: list[str]) -> str:
    signs, whole, starts = currencies()
    if sign:
        return signs.get(sign.lower(), "USD")
    if raw_after[:1] in (["de"], ["d"]):  # French: "4,6 milliards de dollars", "d'euros"
        raw_after = raw_after[1:]
    if not raw_after:
        return ""
    word = raw_after[0]
    if word in whole:
        return whole[word]
    return next((code for start, code in starts if word.startswith(start)), "")


def _words_after(text: str, pos: int, count: int = 6) -> list[str]:
    """Folded next few words, stopping at punctuation or another number."""
    tail = text[pos : pos + 80]
    stop = _CLAUSE_END.search(tail)
    if stop:
        tail = tail[: stop.start()]
    out: list[str] = []
    for w, _, _ in words(tail):
        if any(c.isdigit() for c in w) and not any(c.isalpha() for c in w):
            break
        out.append(w)
        if len(out) >= count:
            break
    return out


def _count_unit(text: str, pos: int) -> str:
    """The counted noun after a figure: the first plural-looking noun among the next words,
    with an acronym before it ("600 MLRS units")."""
    tail = text[pos : pos + 60]
    stop = re.search(r"(?<![\w-])\d|[,;:!?\[\]—–\"“”]|\.(?!\d)", tail)
    tail = tail[: stop.start()] if stop else tail
    if tail[:1] in ("'", "’"):
        tail = re.sub(r"^['’]\w+", "", tail)  # Turkish suffix: "600'den fazla"
    found = re.findall(r"[^\W\d_][\w'’-]*", tail)[:4]
    first = ""
    for w in found:
        low = w.lower()
        if low in _UNIT_STOP:
            if first:
                break
            continue
        if w.isupper() and len(w) > 1:
            first = first or w
            continue
        if low.endswith("s") and not low.endswith("ss") and len(low) > 3:
            return f"{first} {low}" if first and first.isupper() else low
        if not first:
            first = low
    return first


def _before_words(text: str, pos: int) -> list[str]:
    """Folded words of the clause before pos, nearest last."""
    head = text[max(0, pos - 90) : pos]
    cut = list(_CLAUSE_START.finditer(head))
    if cut:
        head = head[cut[-1].end() :]
    return [w for w, _, _ in words(head)]


def _subject(before: list[str]) -> tuple[str, ...]:
    up, down = trends()
    skip = linking_verbs() | up | down
    out = []
    for w in before[-5:]:
        s = stem(w)
        if w in STOPWORDS or s in skip or w.isdigit() or w in scales():
            continue
        if countries_in(entity_tokens(re.sub(r"['’]s$", "", w))):
            continue
        out.append(s)
    return tuple(out)


def _owner(before: list[str], raw_before: str) -> str:
    """The country whose figure it is: "Serbia's army", "the Azerbaijani army"."""
    for m in re.finditer(r"([^\W\d_]+)['’]s\b", raw_before):
        found = countries_in(entity_tokens(m.group(1)))
        if found:
            return found[0]
    for w, nxt in zip(before, before[1:], strict=False):
        if stem(nxt) in _OWNER_NOUNS:
            found = countries_in(entity_tokens(w), capitals=False)
            if found:
                return found[0]
    return ""


def _qualifier(original: str, start: int, end: int) -> tuple[str, str, int]:
    """(English qualifier, bound, start of the qualifier in the original)."""
    before = original[max(0, start - 30) : start]
    found = qualifier_re().search(fold(before))
    if found:
        english, bound = qualifiers()[" ".join(found.group(1).split())]
        q_start = start - (len(before) - found.start(1)) if before.isascii() else start
        return english, bound, q_start
    after = _TURKISH_AFTER.match(original, end)
    if after:
        return ("more than", "min", start) if after.group("more") else ("about", "about", start)
    return "", "exact", start


def find_figures(text: str, lang: str | None = None) -> Figures:
    """Every figure of a text and the changes it states."""
    digits = digitise(text, lang)
    numbers = _numbers(digits)
    return Figures(numbers, _changes(digits, numbers))


def find_numbers(text: str, lang: str | None = None) -> list[NumberMention]:
    """Figures with their ranges, qualifiers, units and the words that follow them."""
    return _numbers(digitise(text, lang))


def _numbers(digits: Digitised) -> list[NumberMention]:
    text, original = digits.text, digits.original
    found: list[NumberMention] = []
    for m in _number_re().finditer(text):
        raw = m.group("num")
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before.isalnum() or (before in "-/" and m.start() > 1 and text[m.start() - 2].isalpha()):
            continue  # designations and codes: B-52NG, S-300PMU2, 9K33, JF-17
        scale_word = (m.group("scale") or "").lower()
        cur = m.group("cur")
        if len(scale_word) == 1 and not cur:
            scale_word = ""  # "5 m" is metres, "5k" is no scale without money
        end = m.end()
        if m.group("scale") and not scale_word:
            end = m.end("upper") if m.group("upper") else m.end("num")
        glued = (after.isalpha() or after == "-") and not (scale_word or m.group("pct"))
        if glued and not (after == "-" and measure(_next_word(text, m.end() + 1))):
            continue
        if after == ":" or before == ":":
            continue  # clock times 12:59
        value = _to_float(raw)
        upper = _to_float(m.group("upper")) if m.group("upper") else None
        sep = (m.group("sep") or "").lower()
        prefix = text[max(0, m.start() - 12) : m.start()]
        if upper is not None and sep in _CONJUNCTIONS and not _BETWEEN.search(prefix):
            upper, end = None, m.end("num")  # "48 and 36": two figures, not a range
            scale_word = ""
        changed = None
        full_end = end
        if upper is not None and sep.isalpha() and _FROM.search(prefix) and _trend_before(text, m):
            changed, upper = upper, None  # "rose from 36 to 48" is a change, not a range
            full_end, end = end, m.end("num")
        factor = scales().get(scale_word, 1.0)
        value *= factor
        upper = upper * factor if upper is not None else None
        is_percent = bool(m.group("pct") or m.group("pre_pct"))
        end = max(end, m.end("pct")) if m.group("pct") else end
        raw_after = _words_after(text, full_end)
        after_stems = tuple(stem(w) for w in raw_after)
        currency = _currency(cur, after_stems, raw_after)
        is_year = (
            raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100 and not is_percent
            and factor == 1.0 and not cur
        )  # fmt: skip
        kind, unit, base_factor = _kind(text, full_end, is_percent, is_year, currency, raw_after)
        o_start, o_end = digits.to_original(m.start()), digits.to_original(end, end=True)
        qualifier, bound, q_start = _qualifier(original, o_start, o_end)
        before_words = _before_words(original, q_start)
        mention = NumberMention(
            value=value,
            upper=upper,
            qualifier=qualifier,
            is_percent=is_percent,
            is_year=is_year,
            start=q_start,
            end=o_end,
            text=original[q_start:o_end],
            after=after_stems,
            currency=currency,
            kind=kind,
            unit=unit,
            base=value * base_factor,
            base_upper=upper * base_factor if upper is not None else None,
            bound=bound,
            subject=_subject(before_words),
            owner=_owner(before_words, original[max(0, q_start - 60) : q_start]),
        )
        found.append(mention)
        if changed is not None:
            u_start = digits.to_original(m.start("upper"))
            found.append(
                _replace(
                    mention,
                    value=changed * factor,
                    base=changed * factor * base_factor,
                    start=u_start,
                    end=digits.to_original(full_end, end=True),
                    text=original[u_start : digits.to_original(full_end, end=True)],
                    qualifier="",
                    bound="exact",
                )
            )
    return found


def _replace(mention: NumberMention, **changes) -> NumberMention:
    from dataclasses import replace

    return replace(mention, **changes)


def _trend_before(text: str, m: re.Match[str]) -> bool:
    """A word of change just before "from X to Y": "rose from 36 to 48"."""
    up, down = trends()
    near = {stem(w) for w, _, _ in words(text[max(0, m.start() - 40) : m.start()])[-4:]}
    return not near.isdisjoint(up | down)


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[^\W\d_]+", text[pos : pos + 20])
    return fold(m.group()) if m else ""


def _kind(
    text: str, end: int, is_percent: bool, is_year: bool, currency: str, raw_after: list[str]
) -> tuple[str, str, float]:
    """(kind, unit as written, factor to the base unit)."""
    if is_percent:
        return "percent", "%", 1.0
    if currency:
        return "money", currency, 1.0
    word = _next_word(text, end + 1 if text[end : end + 1] in "- " else end)
    found = measure(word) if word and word not in STOPWORDS or word in ("m", "t") else None
    if found:
        return found[0], word, found[1]
    if is_year:
        return "year", "", 1.0
    return "count", _count_unit(text, end), 1.0


def _changes(digits: Digitised, numbers: list[NumberMention]) -> list[Change]:
    """Multiplying verbs ("tripled"), "from X to Y" and "rose/fell by Z%"."""
    from language.quantities.lexicon import multiples

    text, original = digits.text, digits.original
    up, down = trends()
    out: list[Change] = []
    for w, start, end in words(original):
        for prefix, ratio in multiples():
            if w.startswith(prefix):
                subject = _subject(_before_words(original, start))
                out.append(Change(ratio, start, end, original[start:end], subject))
                break
    for m in re.finditer(r"\b(\d+)[- ]?fold\b", text):
        s, e = digits.to_original(m.start()), digits.to_original(m.end(), end=True)
        subject = _subject(_before_words(original, s))
        out.append(Change(float(m.group(1)), s, e, original[s:e], subject))
    plain = [n for n in numbers if not n.is_year]
    for a, b in zip(plain, plain[1:], strict=False):
        between = original[a.end : b.start]
        if (
            a.value
            and _FROM.search(original[max(0, a.start - 8) : a.start])
            and _TO.match(between)
            and len(between) < 12
            and a.kind == b.kind
        ):
            subject = _subject(_before_words(original, a.start)[:-1])
            out.append(Change(b.base / a.base if a.base else b.value / a.value, a.start, b.end,
                              original[a.start : b.end], subject, (a, b)))  # fmt: skip
    for n in plain:
        if not n.is_percent or n.upper is not None:
            continue
        head_start = max(0, n.start - 40)
        found = words(original[head_start : n.start])[-3:]
        turns = [(w, s) for w, s, _ in found if stem(w) in up | down]
        if not turns or not (
            _BY.search(original[head_start : n.start]) or found[-1][:2] == turns[-1]
        ):
            continue  # "rose by 5%", "fell 5%"; not "rose to 5%"
        word, offset = turns[-1]
        direction = 1 if stem(word) in up else -1
        start = head_start + offset
        subject = _subject(_before_words(original, start))
        ratio = 1 + direction * n.value / 100
        out.append(Change(ratio, start, n.end, original[start : n.end], subject, (n,)))
    return out
