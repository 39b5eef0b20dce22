"""Pick the passage of a source text that bears on a claim. Pure Python, no Django.

A passage is a window of one to three sentences inside one paragraph. It is scored by the
claim's key terms it contains (weighted by how rare each term is in this document), by the
claim's entities (names, designations) and by its numbers. Names, designations and numbers
are matched after folding accents and Cyrillic script to plain Latin, so a Serbian or Russian
article about the "Нора Б-52" still matches a claim about the "Nora B-52NG".

The text helpers here (stem, key_terms, find_numbers, entity matching; fold and entity_tokens
from language.folding) are shared with language.stance so both see the same words and numbers.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from language.countries import countries_in, country_of
from language.folding import entity_tokens, exonym, fold


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours s t including includes include according said says
    say marks mark may might must shall per via among amid within without across along around
    upon onto whose yet however although though thus therefore also one ones new"""
)

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


def stems_of(text: str) -> set[str]:
    return {stem(w) for w, _, _ in words(text)}


# --- entities ----------------------------------------------------------------------------


def entity_match(entity: str, tokens: list[str], token_set: set[str]) -> float:
    """1.0 when the whole name occurs; partial credit for part of it (Nora B-52 vs B-52NG)."""
    whole = entity_tokens(entity)  # "Bosnia and Herzegovina" keeps its "and" for the run
    ent = [t for t in whole if t not in STOPWORDS]
    if not ent:
        return 0.0
    for run in (whole, ent) if len(whole) != len(ent) else (ent,):
        n = len(run)
        for i in range(len(tokens) - n + 1):
            if tokens[i : i + n] == run:
                return 1.0
    n = len(ent)
    if n == 1:
        tok = ent[0]
        # Azerbaijan/Azerbaijani, Israel/Israeli, Serbia/Serbian, either way round
        if len(tok) >= 4 and any(
            len(t) >= 4 and (t.startswith(tok) or tok.startswith(t)) and abs(len(t) - len(tok)) <= 3
            for t in token_set
        ):
            return 0.9
        # The name as another language spells it: Azerbaycan, Azerbejdžan, Азербайджан.
        if any(exonym(tok, t) for t in token_set):
            return 0.9
        return 0.0
    present = sum(1 for t in ent if t in token_set)
    return 0.7 * present / n if present else 0.0


def entity_scores(entities: list[str], tokens: list[str], token_set: set[str]) -> list[float]:
    """entity_match for each entity; a country also counts (0.9) when the tokens name it
    another way: an adjective or its name in another language (Грузия, Gürcistan). Its
    capital alone does not: "the weather in Belgrade" is not about Serbia."""
    scores = [entity_match(e, tokens, token_set) for e in entities]
    named: list[str] | None = None
    for i, (entity, score) in enumerate(zip(entities, scores, strict=True)):
        if score < 0.9 and (country := country_of(entity)):
            if named is None:
                named = countries_in(tokens, capitals=False)
            if country in named:
                scores[i] = 0.9
    return scores


def claim_entities(claim_text: str, features: dict[str, Any]) -> list[str]:
    """Entity names from features; else capitalised words and designations in the claim."""
    names = [str(e.get("text", "")) for e in features.get("entities") or [] if e.get("text")]
    if names:
        return list(dict.fromkeys(names))
    found = re.findall(
        r"(?:[A-Z][\w’'-]*[A-Z0-9][\w-]*|[A-Z][a-z]+(?:\s+[A-Z][\w-]+)*)", claim_text
    )
    return list(dict.fromkeys(f for f in found if fold(f) not in STOPWORDS))


# --- numbers -----------------------------------------------------------------------------

_QUALIFIER = (
    r"at least|at most|more than|less than|fewer than|over|under|about|around|nearly|almost"
    r"|approximately|roughly|some|up to|as many as|as much as|close to|an estimated|estimated"
    r"|just over|just under|well over|no fewer than|no more than|upwards of|exceeding|exactly"
)
_SCALE = {
    "dozen": 12,  # "four dozen howitzers"
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6,
    "mln": 1e6, "k": 1e3, "miliona": 1e6, "milion": 1e6, "milijardi": 1e9, "milijarde": 1e9,
    "milyon": 1e6, "milyar": 1e9, "млн": 1e6, "млрд": 1e9, "тыс": 1e3, "milijarda": 1e9,
    "milliard": 1e9, "milliards": 1e9, "millions": 1e6, "миллиарда": 1e9, "миллиардов": 1e9,
}  # fmt: skip
_PERCENT = r"%|percent\b|per\s?cent\b|pct\b|процент\w*|posto\b|procen\w*|odsto\b"
_WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12, "hundred": 100,
    # two to six in the languages of this beat, as sources write them
    "два": 2, "две": 2, "три": 3, "четыре": 4, "четири": 4, "пять": 5, "шесть": 6,
    "dva": 2, "dve": 2, "tri": 3, "četiri": 4, "šest": 6, "iki": 2, "üç": 3, "dört": 4,
    "beş": 5, "altı": 6, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
}  # fmt: skip
_ONES = dict(
    zip(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
        range(1, 10),
        strict=True,
    )
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_WORDNUM = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:"
    + "|".join(_ONES)
    + ")|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
)
NUMBER_RE = re.compile(
    rf"(?:\b(?P<qual>{_QUALIFIER})\s+)?"
    rf"(?:(?P<pre_pct>%|yüzde\s)\s?)?"
    rf"(?:(?P<cur>US\$|[$€£₼])\s?)?"
    rf"(?:(?P<num>{_NUM})|\b(?P<word>{_WORDNUM})\b)"
    rf"(?:\s?(?P<sep>[–—-]|to|do|до|à|ile)\s?(?P<upper>{_NUM}))?"
    rf"(?:\s?(?P<scale>{'|'.join(sorted(_SCALE, key=len, reverse=True))})\b\.?)?"
    rf"(?:\s?(?P<pct>{_PERCENT}))?",
    re.I,
)
_CLAUSE_END = re.compile(r"[,;:.!?\[\]—–\"“”]")  # not parentheses: "(MLRS)" belongs


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


CURRENCY_CODES = frozenset({"USD", "EUR", "GBP", "JPY", "INR", "AZN", "TRY", "RUB", "RSD"})
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "₼": "AZN"}
# Currency words after a figure, folded, any language on this beat: word starts (dollars,
# dolara, dolarlık, долларов) and whole words (euros, evra, евро).
_CURRENCY_STARTS = (
    ("dollar", "USD"), ("dolar", "USD"), ("manat", "AZN"), ("rubl", "RUB"), ("dinar", "RSD"),
)  # fmt: skip
_CURRENCY_WORDS = {
    "usd": "USD", "euro": "EUR", "eur": "EUR", "evro": "EUR", "evra": "EUR", "gbp": "GBP",
    "azn": "AZN", "lira": "TRY", "try": "TRY", "rub": "RUB", "rsd": "RSD",
}  # fmt: skip


def _currency(sign: str | None, after: tuple[str, ...]) -> str:
    if sign:
        return _CURRENCY_SIGNS.get(sign.lower(), "USD")
    if after[:1] in (("de",), ("d",)):  # French: "4,6 milliards de dollars", "d'euros"
        after = after[1:]
    if not after:
        return ""
    word = after[0]
    if word in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[word]
    return next((code for start, code in _CURRENCY_STARTS if word.startswith(start)), "")


def _to_float(raw: str) -> float:
    raw = raw.replace("\u00a0", "").replace("\u202f", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        return float(raw.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):  # European grouping 1.200
        return float(raw.replace(".", "").replace(",", "."))
    return float(raw.replace(",", "."))


def find_numbers(text: str) -> list[NumberMention]:
    """Numbers with their ranges, qualifiers, percent signs and the words that follow them."""
    found: list[NumberMention] = []
    for m in NUMBER_RE.finditer(text):
        raw, word = m.group("num"), m.group("word")
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if raw is not None:
            # Designations and codes: B-52NG, S-300PMU2, 9K33, JF-17; clock times 12:59.
            if before.isalnum() or (
                before in "-/" and m.start() > 1 and text[m.start() - 2].isalpha()
            ):
                continue
            if after.isalpha() and not (m.group("scale") or m.group("pct")):
                continue
            if after == ":" or before == ":":
                continue
            value = _to_float(raw)
        else:
            parts = re.split(r"[- ]", word.lower())
            value = float(
                _WORD_NUMBERS.get(parts[0], 0) + (_ONES.get(parts[-1], 0) if len(parts) > 1 else 0)
            )
        upper = _to_float(m.group("upper")) if m.group("upper") else None
        changed = None
        before_text = text[max(0, m.start() - 8) : m.start()]
        if (
            upper is not None
            and m.group("sep").isalpha()
            and re.search(r"\b(?:from|od|с)\s*$", before_text, re.I)
        ):
            changed, upper = upper, None  # "rose from 36 to 48" is a change, not a range
        scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
        value *= scale
        upper = upper * scale if upper is not None else None
        is_percent = bool(m.group("pct") or m.group("pre_pct"))
        is_year = (
            raw is not None
            and raw.isdigit()
            and len(raw) == 4
            and 1800 <= value <= 2100
            and not is_percent
            and scale == 1.0
        )
        found.append(
            NumberMention(
                value=value,
                upper=upper,
                qualifier=(m.group("qual") or "").lower() or _other_qualifier(text, m),
                is_percent=is_percent,
                is_year=is_year,
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                after=(after_words := _words_after(text, m.end())),
                currency=_currency(m.group("cur"), after_words),
            )
        )
        if changed is not None:
            found.append(
                replace(
                    found[-1], value=changed * scale, start=m.start("upper"), text=m.group("upper")
                )
            )
    return found


# Qualifiers in the languages of this beat, folded, as the English one they mean.
_OTHER_QUALIFIERS = {
    "vise od": "more than", "preko": "over", "oko": "about", "najmanje": "at least",
    "gotovo": "almost", "skoro": "almost", "blizu": "close to", "manje od": "less than",
    "svyshe": "more than", "bolee": "more than", "bolshe": "more than", "okolo": "about",
    "primerno": "about", "priblizitelno": "about", "pochti": "almost", "ne menee": "at least",
    "ne bolee": "at most", "menee": "less than", "kak minimum": "at least",
    "plus de": "more than", "au moins": "at least", "environ": "about", "pres de": "nearly",
    "moins de": "less than", "jusqu'a": "up to", "quelque": "some",
    "en az": "at least", "en fazla": "at most", "yaklasik": "about", "neredeyse": "almost",
    "mehr als": "more than", "mindestens": "at least", "etwa": "about", "rund": "about",
    "mas de": "more than", "al menos": "at least", "casi": "almost",
}  # fmt: skip
# Turkish puts it after the figure: "600'den fazla" (more than 600), "70 civarında".
_TURKISH_AFTER = re.compile(r"['’]?(?:[dt][ae]n\s+(?P<more>fazla)|\w*\s+civar)", re.I)


_OTHER_QUALIFIER_RE = re.compile(
    r"(?:^|[^\w'])("
    + "|".join(
        re.escape(q).replace(r"\ ", r"\s+")
        for q in sorted(_OTHER_QUALIFIERS, key=len, reverse=True)
    )
    + r")\s*$"
)


def _other_qualifier(text: str, m: re.Match[str]) -> str:
    """The qualifier another language puts around a figure, as its English equivalent."""
    found = _OTHER_QUALIFIER_RE.search(fold(text[max(0, m.start() - 30) : m.start()]))
    if found:
        return _OTHER_QUALIFIERS[" ".join(found.group(1).split())]
    after = _TURKISH_AFTER.match(text, m.end())
    if after:
        return "more than" if after.group("more") else "about"
    return ""


def _words_after(text: str, pos: int, count: int = 6) -> tuple[str, ...]:
    """Stems of the next few words, stopping at punctuation or another number."""
    tail = text[pos : pos + 80]
    stop = _CLAUSE_END.search(tail)
    if stop:
        tail = tail[: stop.start()]
    out: list[str] = []
    for w, _, _ in words(tail):
        if any(c.isdigit() for c in w) and not any(c.isalpha() for c in w):
            break
        out.append(stem(w))
        if len(out) >= count:
            break
    return tuple(out)


def format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def claim_quantities(claim_text: str, features: dict[str, Any]) -> list[dict[str, Any]]:
    """Quantities from features (extraction's), else the claim's own non-year numbers."""
    quantities = [q for q in features.get("quantities") or [] if q.get("value") is not None]
    if quantities:
        return quantities
    return [
        {
            "value": n.value,
            "upper": n.upper,
            "unit": "%" if n.is_percent else (n.after[0] if n.after else ""),
            "text": n.text,
            "qualifier": n.qualifier,
        }
        for n in find_numbers(claim_text)
        if not n.is_year
    ]


def claim_years(claim_text: str, features: dict[str, Any]) -> list[str]:
    years = [
        m for d in features.get("dates") or [] for m in re.findall(r"\b(?:1[89]|20)\d\d\b", str(d))
    ]
    years += re.findall(r"\b(?:1[89]|20)\d\d\b", claim_text)
    return list(dict.fromkeys(years))


def value_matches(quantity: dict[str, Any], value: float) -> bool:
    """Does a source's figure equal the claim's, or fall in its range? (Qualifiers: stance.)"""
    lo = float(quantity["value"])
    hi = float(quantity["upper"]) if quantity.get("upper") is not None else lo
    tol = max(abs(lo), abs(hi)) * 0.005
    return lo - tol <= value <= hi + tol


# --- passages ----------------------------------------------------------------------------

_ABBREVIATIONS = _wordset(
    "mr mrs ms dr gen lt col maj capt sgt st no vs etc inc ltd co corp jan feb mar apr jun jul "
    "aug sep sept oct nov dec approx adm brig cmdr rep sen gov pres prof fig est u.s e.g i.e"
)
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"”’»)\]]*\s+")


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """(block, start, end) spans: lines are blocks (paragraphs, headings, bullets)."""
    spans: list[tuple[int, int, int]] = []
    block = 0
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        line_text = line.group()
        for m in _BOUNDARY_RE.finditer(line_text):
            nxt = line_text[m.end() : m.end() + 1]
            prev = re.search(r"([\w.]+)[.!?…]*[\"”’»)\]]*\s+$", line_text[: m.end()])
            token = prev.group(1).lower().rstrip(".") if prev else ""
            if nxt.islower() or token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            _add_span(spans, text, block, start, line.start() + m.end())
            start = line.start() + m.end()
        _add_span(spans, text, block, start, line.end())
        block += 1
    return spans


def _add_span(spans: list, text: str, block: int, start: int, end: int, limit: int = 600) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start or not any(c.isalnum() for c in text[start:end]):
        return
    # Text without sentence punctuation (tables, scraped lists): cut at spaces near `limit`.
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        spans.append((block, start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    spans.append((block, start, end))


@dataclass
class Passage:
    text: str
    start: int
    end: int
    score: float
    matched_terms: list[str] = field(default_factory=list)
    matched_numbers: list[str] = field(default_factory=list)


@dataclass
class _Sentence:
    block: int
    start: int
    end: int
    stems: set[str]
    tokens: list[str]
    numbers: list[NumberMention]


def best_passages(
    claim_text: str, features: dict[str, Any], document_text: str, limit: int = 1
) -> list[Passage]:
    """The `limit` best non-overlapping passages, best first; [] when nothing matches."""
    spans = split_sentences(document_text)
    if not spans or limit < 1:
        return []
    sentences = []
    for block, start, end in spans:
        chunk = document_text[start:end]
        sentences.append(
            _Sentence(block, start, end, stems_of(chunk), entity_tokens(chunk), find_numbers(chunk))
        )
    terms = key_terms(claim_text)
    n_docs = len(sentences)
    idf = {}
    for t in terms:
        df = sum(1 for s in sentences if t in s.stems)
        idf[t] = math.log((n_docs + 1) / (df + 1)) + 1.0
    entities = claim_entities(claim_text, features)
    quantities = [q for q in claim_quantities(claim_text, features) if not _is_year_q(q)]
    years = claim_years(claim_text, features)

    candidates: list[Passage] = []
    for i in range(n_docs):
        for size in (1, 2, 3):
            window = sentences[i : i + size]
            if len(window) < size or window[-1].block != window[0].block:
                break
            p = _score_window(document_text, window, terms, idf, entities, quantities, years)
            if p.score > 0:
                candidates.append(p)
    candidates.sort(key=lambda p: (-p.score, p.start, p.end))
    chosen: list[Passage] = []
    for p in candidates:
        if all(p.end <= c.start or p.start >= c.end for c in chosen):
            chosen.append(p)
            if len(chosen) >= limit:
                break
    return chosen


def _is_year_q(q: dict[str, Any]) -> bool:
    v = q.get("value")
    return (
        not q.get("unit")
        and isinstance(v, (int, float))
        and float(v).is_integer()
        and 1800 <= v <= 2100
    )


def _score_window(
    document_text: str,
    window: list[_Sentence],
    terms: dict[str, str],
    idf: dict[str, float],
    entities: list[str],
    quantities: list[dict[str, Any]],
    years: list[str],
) -> Passage:
    start, end = window[0].start, window[-1].end
    stems = set().union(*(s.stems for s in window))
    tokens = [t for s in window for t in s.tokens]
    token_set = set(tokens)
    numbers = [n for s in window for n in s.numbers]

    parts: list[tuple[float, float]] = []  # (weight, score in [0, 1])
    matched = [t for t in terms if t in stems]
    if terms:
        total = sum(idf.values())
        parts.append((0.45, sum(idf[t] for t in matched) / total))
    matched_terms = [terms[t] for t in matched]

    if entities:
        scores = entity_scores(entities, tokens, token_set)
        parts.append((0.35, sum(scores) / len(scores)))
        for e, s in zip(entities, scores, strict=True):
            if s >= 0.9 and fold(e) not in {fold(t) for t in matched_terms}:
                matched_terms.append(e)

    matched_numbers: list[str] = []
    if quantities or years:
        got = 0.0
        for q in quantities:
            unit = stems_of(str(q.get("unit") or "")) - {"%"}
            if any(value_matches(q, n.value) and not n.is_year for n in numbers):
                got += 1.0
                matched_numbers.append(format_number(float(q["value"])))
            elif any(
                (n.is_percent and q.get("unit") == "%") or (unit and unit & set(n.after))
                for n in numbers
            ):
                got += 0.5  # a figure for the same thing, maybe a different one: still relevant
        for y in years:
            if y in token_set:
                got += 1.0
                matched_numbers.append(y)
        parts.append((0.2, got / (len(quantities) + len(years))))

    weight = sum(w for w, _ in parts)
    score = sum(w * s for w, s in parts) / weight if weight else 0.0
    score *= 1.0 - 0.08 * (len(window) - 1)  # a longer window must earn its extra sentences
    return Passage(
        text=document_text[start:end],
        start=start,
        end=end,
        score=round(max(0.0, min(1.0, score)), 4),
        matched_terms=list(dict.fromkeys(matched_terms)),
        matched_numbers=list(dict.fromkeys(matched_numbers)),
    )
