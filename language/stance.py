"""A stance hint for one claim and one source passage, with a reason a reviewer can check.

Rules, not a model: numbers are compared (with the claim's ranges and qualifiers), denials
near the claim's words count against it (language.denials: several languages), and anything
else is at most "mentions". Pure Python.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from language.countries import countries_in
from language.denials import denial_cues
from language.glossary import with_english_units
from language.passages import (
    CURRENCY_CODES,
    STOPWORDS,
    NumberMention,
    claim_entities,
    claim_quantities,
    claim_years,
    entity_scores,
    entity_tokens,
    find_numbers,
    fold,
    format_number,
    key_terms,
    split_sentences,
    stem,
    stems_of,
    words,
)

SUPPORTS, CONTRADICTS, MENTIONS = "supports", "contradicts", "mentions"
_STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)


def _stem_set(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in text.split())


_AT_LEAST = {
    "at least", "more than", "over", "no fewer than", "upwards of", "well over", "just over",
    "exceeding",
}  # fmt: skip
_AT_MOST = {"at most", "up to", "no more than", "less than", "fewer than", "under", "just under",
            "as many as", "as much as"}  # fmt: skip
_ABOUT = {"about", "around", "nearly", "almost", "approximately", "roughly", "some", "close to",
          "an estimated", "estimated"}  # fmt: skip
# Unit words too generic to tie a source's figure to the claim's on their own.
_GENERIC_UNITS = {"unit", "system", "piece", "item", "time", "type", "kind"}
# A figure followed by one of these is a measurement (155 mm, 40 km), not a count.
_MEASURES = {
    "mm", "cm", "km", "kg", "m", "t", "ton", "tonn", "meter", "metr", "kilometer", "kilometr",
    "mile", "caliber", "calibr", "year", "day", "month", "hour", "minut",
}  # fmt: skip


@dataclass(frozen=True)
class Stance:
    label: str  # supports | contradicts | mentions
    reason: str  # one readable line
    confidence: float  # in [0, 1]


def stance_hint(claim_text: str, features: dict[str, Any], passage: str) -> Stance:
    features = features or {}
    tokens = entity_tokens(passage)
    token_set = set(tokens)
    entities = claim_entities(claim_text, features)
    passage_countries = countries_in(tokens)
    ent_scores = dict(zip(entities, entity_scores(entities, tokens, token_set), strict=True))
    found_entities = [e for e, s in ent_scores.items() if s >= 0.9]
    partial_entities = [e for e, s in ent_scores.items() if 0 < s < 0.9]

    terms = key_terms(claim_text)
    entity_stems = {stem(t) for e in entities for t in entity_tokens(e)}
    passage_stems = stems_of(passage)
    plain_terms = {t: w for t, w in terms.items() if t not in entity_stems}
    matched_terms = [w for t, w in plain_terms.items() if _said(t, passage_stems)]
    missing_terms = [w for t, w in plain_terms.items() if not _said(t, passage_stems)]

    ent_cov = (
        sum(min(1.0, s) for s in ent_scores.values()) / len(ent_scores) if ent_scores else None
    )
    term_cov = len(matched_terms) / len(plain_terms) if plain_terms else 0.0
    coverage = term_cov if ent_cov is None else 0.6 * ent_cov + 0.4 * term_cov
    named_any = bool(found_entities or partial_entities)
    related = named_any or term_cov >= 0.3
    if not related and not matched_terms:
        return Stance(MENTIONS, "no overlap with the claim's names, terms or figures", 0.05)

    # 0. Another country in the place of the claim's: "Cyprus ordered 48 Nora howitzers".
    other = _other_country(claim_text, passage_countries)
    if other:
        return Stance(MENTIONS, _line(other + "; its figures and words are not compared"), 0.1)

    # 1. Numbers.
    quantities = claim_quantities(claim_text, features)
    numbers = [n for n in find_numbers(passage) if not n.is_year]
    assigned = _assign(claim_text, quantities, numbers, passage, entity_stems, named_any)
    related = related or any(assigned)
    agree: list[str] = []
    disagree: list[str] = []
    exact = True
    unmatched: list[str] = []
    for q, ns in zip(quantities, assigned, strict=True):
        shown = _claim_figure(claim_text, q)
        if not ns:
            unmatched.append(shown)
            continue
        ok = [n for n in ns if _overlaps(_claim_interval(q), _source_interval(n))]
        if ok:
            n = ok[0]
            if _same_figure(q, n):
                agree.append(f"both say {shown}")
            else:
                exact = False
                agree.append(f"source says {_source_figure(n)}, consistent with claim's {shown}")
        else:
            disagree.append(f"claim says {shown}, source says {_source_figure(ns[0])}")

    # Years, when the passage names everything the claim names and no claim figure is left
    # without a match: "began in 2021" against a claim's "in 2024".
    complete = not partial_entities and len(found_entities) == len(entities)
    years = claim_years(claim_text, features)
    source_years = sorted({str(int(n.value)) for n in find_numbers(passage) if n.is_year})
    if years and source_years and complete and term_cov >= 0.5 and not unmatched:
        if set(years) & set(source_years):
            agree.append("both say " + "/".join(y for y in years if y in source_years))
        elif not disagree:
            disagree.append(f"claim says {'/'.join(years)}, source says {', '.join(source_years)}")

    if disagree:  # every assigned figure is tied to the claim by unit and names or subject
        reason = "; ".join(disagree + agree)
        return Stance(CONTRADICTS, _line(reason), _conf(0.75, coverage))

    # 2. Denials near the claim's words.
    denial = _denial(claim_text, passage, terms, entity_stems)
    if related and denial:
        return Stance(CONTRADICTS, _line(f"source denies: “{denial}”"), _conf(0.65, coverage))
    turn = _opposite_trend(claim_text, passage, terms, entity_stems)
    if related and turn:
        return Stance(
            CONTRADICTS, _line(f"source says the opposite: “{turn}”"), _conf(0.6, coverage)
        )

    if related and agree:
        reason = "; ".join(agree)
        base = 0.85 if exact else 0.75
        if unmatched:
            reason += "; no figure for " + ", ".join(unmatched)
            base -= 0.15
        return Stance(SUPPORTS, _line(reason), _conf(base, coverage))

    # 3. No figures to compare: supports only when everything the claim names is there.
    named = found_entities + matched_terms
    if not quantities and related and complete and term_cov >= 0.6:
        reason = "source says the same: " + _join(named)
        return Stance(SUPPORTS, _line(reason), round(min(0.7, 0.4 + 0.3 * coverage), 2))
    if not quantities and complete and len(entities) >= 2 and _foreign(passage):
        # The claim's words cannot be looked for in another language; its names can, and no
        # denial or other country stands against them (checked above).
        reason = f"source names {_join(found_entities)}; its other words are not in English"
        return Stance(SUPPORTS, _line(reason), 0.45)
    parts = []
    if named or partial_entities:
        parts.append("mentions " + _join(named + [f"{e} (partly)" for e in partial_entities]))
    if unmatched:
        parts.append("no figure to compare with the claim's " + ", ".join(unmatched))
    missing = [e for e in entities if ent_scores[e] == 0] + missing_terms
    if missing:
        parts.append("missing " + _join(missing, limit=3))
    return Stance(MENTIONS, _line("; ".join(parts)), round(0.2 + 0.4 * coverage, 2))


def _other_country(claim_text: str, passage_countries: list[str]) -> str:
    """Why the passage is about another country: the first country it names is one the claim
    does not name, and a country the claim names is missing from it; else ""."""
    claim_countries = countries_in(entity_tokens(claim_text))
    if not claim_countries:
        return ""
    if not passage_countries or passage_countries[0] in claim_countries:
        return ""
    missing = [c for c in claim_countries if c not in passage_countries]
    if not missing:
        return ""
    others = [c for c in passage_countries if c not in claim_countries]
    named = _join([c.title() for c in others], limit=2)
    return f"source is about {named}, not {_join([c.title() for c in missing], limit=2)}"


# Words a source uses for what the claim says in other words: "deployed" for "operates".
_SAME_SENSE_WORDS = (
    "acquire buy bought purchase procure obtain order receive",
    "operate deploy field use commission possess station service",
    "equip fit arm mount outfit",
    "visit arrive tour travel trip",
    "hold held open conduct convene host",
    "deliver supply ship hand transfer",
    "begin began start launch commence",
    "grow rise rose increase climb raise",
    "sign signed conclude seal ink",
    "deal contract agreement accord",
    "drone uav uas",
    "jet fighter aircraft warplane",
    "talk discussion negotiation consultation",
    "defense military",
)


def _same_sense() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in _SAME_SENSE_WORDS:
        group = frozenset(stem(w) for w in line.split())
        for member in group:
            table[member] = table.get(member, frozenset()) | group
    return table


_SAME_SENSE = _same_sense()


def _said(term: str, passage_stems: set[str]) -> bool:
    """The claim's term, or a word of the same sense, is in the passage."""
    return term in passage_stems or not _SAME_SENSE.get(term, frozenset()).isdisjoint(passage_stems)


def _foreign(passage: str) -> bool:
    """Mostly not English: few English function words among many words."""
    found = words(passage)
    if len(found) < 5:
        return False
    # One-letter words do not count: "i" and "a" are "and" in Serbian and Russian.
    return sum(1 for w, _, _ in found if len(w) > 1 and w in STOPWORDS) / len(found) < 0.12


# --- numbers -------------------------------------------------------------------------------


def _assign(
    claim_text: str,
    quantities: list[dict[str, Any]],
    numbers: list[NumberMention],
    passage: str,
    entity_stems: set[str],
    names_found: bool,
) -> list[list[NumberMention]]:
    """Give each source figure to the claim quantity it is about.

    A figure is about a claim quantity when its unit (or the claim's designation) follows it,
    and the passage is about the claim's subject: one of the claim's names occurs, or at least
    two of the words around the claim's figure sit near the source's ("36 howitzers" in a story
    about Armenia is not a figure for Azerbaijan's purchase).
    """
    subjects = [_subject(claim_text, q) for q in quantities]
    lines = _budget_lines(claim_text)
    out: list[list[NumberMention]] = [[] for _ in quantities]
    for n in numbers:
        if lines and _other_budget_line(lines, passage[max(0, n.start - 90) : n.end + 60]):
            continue  # "health spending grows 15%" is no figure for defence spending
        before = {stem(w) for w, _, _ in words(passage[max(0, n.start - 60) : n.start])[-6:]}
        near = {stem(w) for w, _, _ in words(passage[max(0, n.start - 90) : n.end + 90])}
        best, best_score = -1, 0.0
        for i, q in enumerate(quantities):
            score = _unit_score(q, n, before, entity_stems)
            if score and not names_found and len(subjects[i] & near) < 2:
                score = 0.0
            if score and _same_figure(q, n):
                score += 0.5  # ties go to the quantity the figure agrees with
            if score > best_score:
                best, best_score = i, score
        if best >= 0:
            out[best].append(n)
    return out


# Money and trade nouns that a modifier narrows to one line: defence spending, arms exports.
_BUDGET_HEADS = _stem_set("spending budget expenditure exports imports revenue sales allocations")


def _budget_lines(claim_text: str) -> dict[str, str]:
    """Head noun -> the claim's modifier of it: {"spend": "defens"} for "defense spending"."""
    found = [stem(w) for w, _, _ in words(claim_text)]
    return {
        head: modifier
        for modifier, head in itertools.pairwise(found)
        if head in _BUDGET_HEADS and modifier.isalpha() and modifier not in _STOP_STEMS
    }


def _other_budget_line(lines: dict[str, str], window: str) -> bool:
    """The window names another line of the same money noun ("health spending") and not the
    claim's ("defense", or a word of the same sense such as "military")."""
    found = [stem(w) for w, _, _ in words(window)]
    present = set(found)
    for modifier, head in itertools.pairwise(found):
        wanted = lines.get(head)
        if (
            wanted
            and modifier != wanted
            and modifier.isalpha()
            and modifier not in _STOP_STEMS
            and not _said(wanted, present)
        ):
            return True
    return False


def _subject(claim_text: str, q: dict[str, Any]) -> set[str]:
    """Stems of the claim's words around one of its figures: what the figure counts."""
    anchor = str(q.get("text") or "") or format_number(float(q["value"]))
    pos = claim_text.find(anchor)
    if pos < 0:
        return set()
    before = words(claim_text[max(0, pos - 60) : pos])[-4:]
    after = words(claim_text[pos + len(anchor) : pos + len(anchor) + 80])[:8]
    unit = stems_of(str(q.get("unit") or ""))
    stems = {stem(w) for w, _, _ in before + after if w not in STOPWORDS}
    return {s for s in stems if not s.isdigit()} - unit


def _unit_score(
    q: dict[str, Any], n: NumberMention, before: set[str], entity_stems: set[str]
) -> float:
    unit = str(q.get("unit") or "")
    if unit == "%" or n.is_percent:
        return 2.0 if unit == "%" and n.is_percent else 0.0
    if unit in CURRENCY_CODES or n.currency:
        # Money compares with money in the same currency only: not with a count of jets, and
        # not across currencies (no exchange rates here).
        return 2.0 if unit == n.currency else 0.0
    unit_stems = stems_of(unit) - {"%"}
    strong = unit_stems - _GENERIC_UNITS or unit_stems
    context = (
        (stems_of(str(q.get("text") or "")) | entity_stems)
        - strong
        - _GENERIC_UNITS
        - {stem(w) for w in STOPWORDS}
    )
    context = {c for c in context if not c.isdigit()}
    if n.after and n.after[0] in _MEASURES and not unit_stems & _MEASURES:
        return 0.0
    after = with_english_units(n.after)  # "48 гаубиц", "600 РСЗО"
    before = with_english_units(before)
    if strong & after:
        return 2.0
    if context & after:
        return 1.0  # "48 haubica Nora B-52": the designation ties it to the claim
    if strong & before and not n.after:
        return 1.0  # "the number of howitzers delivered was 48."
    return 0.0


def _claim_interval(q: dict[str, Any]) -> tuple[float, float]:
    v = float(q["value"])
    upper = q.get("upper")
    if upper is not None:
        return (min(v, float(upper)), max(v, float(upper)))
    return _interval(v, str(q.get("qualifier") or "").lower())


def _source_interval(n: NumberMention) -> tuple[float, float]:
    if n.upper is not None:
        return (min(n.value, n.upper), max(n.value, n.upper))
    return _interval(n.value, n.qualifier)


def _interval(v: float, qualifier: str) -> tuple[float, float]:
    if qualifier in _AT_LEAST:
        return (v, math.inf)
    if qualifier in _AT_MOST:
        return (-math.inf, v)
    if qualifier in _ABOUT:
        return (v * 0.9, v * 1.1)
    tol = abs(v) * 0.005  # rounding: 1.2 million vs 1,203,000
    return (v - tol, v + tol)


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _same_figure(q: dict[str, Any], n: NumberMention) -> bool:
    upper = q.get("upper")
    same_upper = (upper is None and n.upper is None) or (
        upper is not None and n.upper is not None and abs(float(upper) - n.upper) < 1e-9
    )
    return abs(float(q["value"]) - n.value) <= abs(n.value) * 0.005 and same_upper


def _claim_figure(claim_text: str, q: dict[str, Any]) -> str:
    """'at least 600 MLRS', '48 howitzers', '15–20%': the figure as the claim words it."""
    figure = format_number(float(q["value"]))
    if q.get("upper") is not None:
        figure += "–" + format_number(float(q["upper"]))
    unit = str(q.get("unit") or "")
    if unit == "%":
        figure += "%"
    elif unit:
        figure += " " + _unit_surface(claim_text, unit)
    qualifier = str(q.get("qualifier") or "")
    return f"{qualifier} {figure}" if qualifier else figure


def _unit_surface(claim_text: str, unit: str) -> str:
    """The unit as the claim spells it; a generic one keeps its adjective (guided systems)."""
    found = re.findall(r"[^\W_]+(?:-[^\W_]+)*", claim_text)
    for i, w in enumerate(found):
        if fold(w) == fold(unit):
            if stem(fold(w)) in _GENERIC_UNITS and i > 0 and fold(found[i - 1]) not in STOPWORDS:
                return f"{found[i - 1]} {w}"
            return w
    return unit


def _source_figure(n: NumberMention) -> str:
    figure = format_number(n.value)
    if n.upper is not None:
        figure += "–" + format_number(n.upper)
    if n.is_percent:
        figure += "%"
    elif n.currency:
        figure += " " + n.currency
    return f"{n.qualifier} {figure}" if n.qualifier else figure


# --- denials -------------------------------------------------------------------------------


def _denial(claim_text: str, passage: str, terms: dict[str, str], entity_stems: set[str]) -> str:
    """The denying sentence, clipped around its cue, if a cue sits near the claim's words."""
    if denial_cues(claim_text):
        return ""  # the claim is itself negative; a negative source agrees with it
    wanted = set(terms) | entity_stems
    countries = set(countries_in(entity_tokens(claim_text)))
    return _cue_near_claim(
        passage,
        lambda w: stem(w) in wanted or not countries.isdisjoint(_word_countries(w)),
        lambda sentence, _found: [(c.word, c.start) for c in denial_cues(sentence)],
        distance=10,
    )


def _cue_near_claim(
    passage: str,
    is_claim_word: Callable[[str], bool],
    cues: Callable[[str, list[tuple[str, int, int]]], list[tuple[int, int]]],
    distance: int,
) -> str:
    """The first sentence with a cue (word index, offset) within `distance` words of one of
    the claim's words, clipped around the cue; else ""."""
    for _block, start, end in split_sentences(passage):
        sentence = passage[start:end]
        found = words(sentence)
        hits = [i for i, (w, _, _) in enumerate(found) if is_claim_word(w)]
        if not hits:
            continue
        for index, offset in cues(sentence, found):
            if min(abs(index - h) for h in hits) <= distance:
                return _clip(sentence, offset)
    return ""


_UP = _stem_set(
    "grow grows grew grown rise rises rose risen increase increases increased climb climbed "
    "jump jumped raise raised expand expanded boost boosted soar soared surge surged"
)
_DOWN = _stem_set(
    "fall falls fell fallen drop dropped decline declined decrease decreased cut cuts shrink "
    "shrank shrunk reduce reduced slash slashed plunge plunged slump slumped flat stagnate "
    "stagnated stagnant unchanged freeze froze frozen"
)


def _opposite_trend(
    claim_text: str, passage: str, terms: dict[str, str], entity_stems: set[str]
) -> str:
    """The sentence that moves the other way ("flat for three years", "fell 4%") near the
    claim's words, when the claim says something grows or falls; else "". English only."""
    claim = {stem(w) for w, _, _ in words(claim_text)}
    up, down = bool(claim & _UP), bool(claim & _DOWN)
    if up == down:
        return ""
    opposite, same = (_DOWN, _UP) if up else (_UP, _DOWN)
    wanted = (set(terms) | entity_stems) - _UP - _DOWN

    def turns(_sentence: str, found: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
        stems = [stem(w) for w, _, _ in found]
        if any(w in same for w in stems):
            return []  # "despite the drop, spending rose": the sentence goes the claim's way
        return [(i, found[i][1]) for i, w in enumerate(stems) if w in opposite]

    return _cue_near_claim(passage, lambda w: stem(w) in wanted, turns, distance=6)


@functools.lru_cache(maxsize=16384)
def _word_countries(word: str) -> tuple[str, ...]:
    return tuple(countries_in(entity_tokens(word)))


def _clip(sentence: str, at: int, width: int = 110) -> str:
    if len(sentence) <= width:
        return sentence
    start = max(0, min(at - width // 3, len(sentence) - width))
    clipped = sentence[start : start + width].strip()
    return ("…" if start else "") + clipped + ("…" if start + width < len(sentence) else "")


# --- wording -------------------------------------------------------------------------------


def _join(items: list[str], limit: int = 5) -> str:
    items = list(dict.fromkeys(items))
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _conf(base: float, coverage: float) -> float:
    return round(max(0.0, min(1.0, base * (0.6 + 0.4 * coverage))), 2)
