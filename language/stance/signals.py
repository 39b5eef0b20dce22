"""What a passage says about a claim, as signals a reviewer can read: names and terms found,
figures that agree or not (by kind, subject and owner), changes, years, denials, trends,
another country. Compares two parsed values (language.stance.parsed); reads no raw text
again except to quote the sentence a denial or a turn sits in.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from language.countries import countries_in
from language.denials import denial_cues
from language.detect import guess_language
from language.folding import entity_tokens, fold
from language.glossary import with_english_units
from language.passages import entity_scores, split_sentences
from language.quantities import (
    CURRENCY_CODES,
    NumberMention,
    changes_agree,
    comparable,
    interval,
    overlaps,
    readable_number,
    same_figure,
)
from language.quantities.lexicon import trends
from language.stance.parsed import Claim, Text
from language.tokens import STOPWORDS, data_lines, generic_units, stem, stem_set, stems_of, words

_STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)
_GENERIC_UNITS = generic_units()
_BUDGET_HEADS = stem_set(" ".join(data_lines("budget_heads.txt")))
# A figure followed by one of these is a measurement (155 mm, 40 km), not a count.
_MEASURES = stem_set("mm cm km kg m t ton tonn meter metr kilometer kilometr mile caliber calibr")


@functools.cache
def _same_sense() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in data_lines("same_sense.txt"):
        group = frozenset(stem(w) for w in line.split())
        for member in group:
            table[member] = table.get(member, frozenset()) | group
    return table


def said(term: str, stems: frozenset[str] | set[str]) -> bool:
    """The claim's term, or a word of the same sense, is in the passage."""
    return term in stems or not _same_sense().get(term, frozenset()).isdisjoint(stems)


@dataclass
class Signals:
    entities: list[str] = field(default_factory=list)
    found_entities: list[str] = field(default_factory=list)
    partial_entities: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    matched_terms: list[str] = field(default_factory=list)
    entity_cov: float | None = None
    term_cov: float = 0.0
    coverage: float = 0.0
    related: bool = False
    complete: bool = False
    other_country: str = ""
    agree_exact: list[str] = field(default_factory=list)
    agree_consistent: list[str] = field(default_factory=list)
    disagree: list[tuple[str, str]] = field(default_factory=list)  # (kind, words)
    unmatched: list[str] = field(default_factory=list)
    subject_conflicts: list[str] = field(default_factory=list)
    owner_conflicts: list[str] = field(default_factory=list)
    change_agree: list[str] = field(default_factory=list)
    change_disagree: list[str] = field(default_factory=list)
    year_agree: str = ""
    year_disagree: str = ""
    denial: str = ""
    turn: str = ""
    foreign: bool = False
    english: bool = True  # claim and passage both English: the sentence encoder reads them
    claim_denied: bool = False
    passage_denied: bool = False
    overlap: float = 0.0  # share of the claim's content stems in the passage
    novelty: float = 0.0  # share of the passage's content stems not in the claim
    claim_figures: int = 0
    passage_figures: int = 0
    numbers_shared: float = 0.0  # share of the claim's numbers (years too) the passage has
    numbers_missing: bool = False  # a claim number absent while the passage gives others
    substitutions: list[str] = field(default_factory=list)  # "American" where it says "British"
    antonyms: list[str] = field(default_factory=list)  # "won" where the source says "lost"
    position: float | None = None
    lang: str | None = None
    passage_chars: int = 0


def compare(claim: Claim, passage: Text, position: float | None = None) -> Signals:
    s = Signals(entities=list(claim.entities), position=position, lang=passage.lang)
    s.passage_chars = len(passage.text)
    scores = dict(
        zip(
            claim.entities,
            entity_scores(list(claim.entities), list(passage.tokens), set(passage.token_set)),
            strict=True,
        )
    )
    s.found_entities = [e for e, v in scores.items() if v >= 0.9]
    s.partial_entities = [e for e, v in scores.items() if 0 < v < 0.9]
    plain = {t: w for t, w in claim.terms.items() if t not in claim.entity_stems}
    s.matched_terms = [w for t, w in plain.items() if said(t, passage.stems)]
    missing_terms = [w for t, w in plain.items() if not said(t, passage.stems)]
    s.missing = [e for e in claim.entities if scores[e] == 0] + missing_terms
    s.entity_cov = sum(min(1.0, v) for v in scores.values()) / len(scores) if scores else None
    s.term_cov = len(s.matched_terms) / len(plain) if plain else 0.0
    s.coverage = s.term_cov if s.entity_cov is None else 0.6 * s.entity_cov + 0.4 * s.term_cov
    named_any = bool(s.found_entities or s.partial_entities)
    s.related = named_any or s.term_cov >= 0.3
    s.complete = not s.partial_entities and len(s.found_entities) == len(claim.entities)
    claim_content = set(claim.terms)
    passage_content = set(passage.terms)
    s.overlap = len(claim_content & passage.stems) / len(claim_content) if claim_content else 0.0
    s.novelty = len(passage_content - claim.stems) / len(passage_content) if passage_content else 0
    s.claim_denied, s.passage_denied = claim.denied, passage.denied
    s.claim_figures, s.passage_figures = len(claim.figures), len(passage.figures)
    s.foreign = passage.lang not in (None, "en") or _foreign(passage)
    s.english = not s.foreign and _english_claim(claim.text)
    claim_numbers = {round(q.base, 6) for q in claim.figures} | set(claim.years)
    passage_numbers = {round(n.base, 6) for n in passage.figures} | set(passage.years)
    if claim_numbers:
        shared = claim_numbers & passage_numbers
        s.numbers_shared = len(shared) / len(claim_numbers)
        s.numbers_missing = bool(claim_numbers - shared) and bool(passage_numbers - shared)
    if not s.related and not s.matched_terms:
        return s
    s.substitutions = _substitutions(claim, passage)
    s.antonyms = _antonyms(claim, passage)
    s.other_country = _other_country(claim, passage)
    _figures(claim, passage, s, named_any)
    _changes(claim, passage, s, named_any)
    decided = s.unmatched or s.disagree or s.change_disagree
    if claim.years and passage.years and s.complete and s.term_cov >= 0.5 and not decided:
        common = [y for y in claim.years if y in passage.years]
        if common:
            s.year_agree = "both say " + "/".join(common)
        else:
            s.year_disagree = (
                f"claim says {'/'.join(claim.years)}, source says {', '.join(passage.years)}"
            )
    s.denial = _denial(claim, passage)
    s.turn = _opposite_trend(claim, passage)
    return s


def _english_claim(text: str) -> bool:
    """A claim in English, as far as its letters and a language guess tell (claims are read
    as English; short ones get no guess): Latin letters only, and no other language guessed."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(1 for c in letters if c.isascii()) / len(letters) < 0.95:
        return False
    return guess_language(text) in (None, "en")


def _foreign(passage: Text) -> bool:
    """Mostly not English: few English function words among many words."""
    found = passage.words
    if len(found) < 5:
        return False
    # One-letter words do not count: "i" and "a" are "and" in Serbian and Russian.
    return sum(1 for w, _, _ in found if len(w) > 1 and w in STOPWORDS) / len(found) < 0.12


def _other_country(claim: Claim, passage: Text) -> str:
    """Why the passage is about another country: the first country it names is one the claim
    does not name, and a country the claim names is missing from it; else ""."""
    if not claim.countries or not passage.countries:
        return ""
    if passage.countries[0] in claim.countries:
        return ""
    missing = [c for c in claim.countries if c not in passage.countries]
    if not missing:
        return ""
    others = [c for c in passage.countries if c not in claim.countries]
    named = join([c.title() for c in others], limit=2)
    return f"source is about {named}, not {join([c.title() for c in missing], limit=2)}"


@functools.cache
def _antonym_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in data_lines("antonyms.txt"):
        a, b = (stem(w) for w in line.split())
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


def _antonyms(claim: Claim, passage: Text) -> list[str]:
    """ "claim says won, source says lost": a claim word whose opposite the passage has and
    which the passage does not have itself."""
    table = _antonym_table()
    out = []
    for w, _, _ in claim.words:
        st = stem(w)
        if st in passage.stems:
            continue
        opposite = table.get(st, frozenset()) & passage.stems - claim.stems
        if opposite:
            out.append(f"claim says {w}, source says {sorted(opposite)[0]}")
    return out


def _substitutions(claim: Claim, passage: Text) -> list[str]:
    """Claim words missing from the passage whose place in it holds another word: the same
    neighbour on one side (a content word) and a word the claim does not have."""
    c = [stem(w) for w, _, _ in claim.words]
    p = [stem(w) for w, _, _ in passage.words]
    surface = [w for w, _, _ in passage.words]
    at: dict[str, list[int]] = {}
    for j, st in enumerate(p):
        at.setdefault(st, []).append(j)
    out = []
    for i, st in enumerate(c):
        word = claim.words[i][0]
        if said(st, passage.stems) or word in STOPWORDS or word.isdigit():
            continue  # the passage has it, or a word of the same sense ("bought" for "buy")
        for k, side in ((i - 1, 1), (i + 1, -1)):
            if not 0 <= k < len(c) or claim.words[k][0] in STOPWORDS:
                continue
            for j in at.get(c[k], ()):
                other = j + side
                if (
                    0 <= other < len(p)
                    and p[other] not in claim.stems
                    and surface[other] not in STOPWORDS
                ):
                    out.append(f"claim says {word}, source says {surface[other]}")
                    break
            else:
                continue
            break
    return out


# --- figures --------------------------------------------------------------------------------


def _figures(claim: Claim, passage: Text, s: Signals, named_any: bool) -> None:
    assigned = _assign(claim, passage, s, named_any)
    if any(assigned):
        s.related = True
    for q, ns in zip(claim.figures, assigned, strict=True):
        shown = claim_figure(claim.text, q)
        if not ns:
            s.unmatched.append(shown)
            continue
        ok = [n for n in ns if overlaps(_interval(q), _interval(n))]
        if ok:
            n = ok[0]
            if same_figure(q, n):
                s.agree_exact.append(f"both say {shown}")
            else:
                s.agree_consistent.append(
                    f"source says {source_figure(n)}, consistent with claim's {shown}"
                )
        else:
            s.disagree.append((q.kind, f"claim says {shown}, source says {source_figure(ns[0])}"))


def _interval(n: NumberMention) -> tuple[float, float]:
    return interval(n.base, n.base_upper, n.bound)


def _assign(
    claim: Claim, passage: Text, s: Signals, names_found: bool
) -> list[list[NumberMention]]:
    """Give each source figure to the claim figure it is about: same kind and unit, same
    subject and owner, and a passage about the claim's subject ("36 howitzers" in a story
    about Armenia is not a figure for Azerbaijan's purchase)."""
    subjects = [_claim_subject(claim, q) for q in claim.figures]
    lines = _budget_lines(claim)
    text = passage.text
    out: list[list[NumberMention]] = [[] for _ in claim.figures]
    for n in passage.figures:
        if lines and _other_budget_line(lines, text[max(0, n.start - 90) : n.end + 60]):
            continue  # "health spending grows 15%" is no figure for defence spending
        before = {stem(w) for w, _, _ in words(text[max(0, n.start - 60) : n.start])[-6:]}
        near = {stem(w) for w, _, _ in words(text[max(0, n.start - 90) : n.end + 90])}
        best, best_score = -1, 0.0
        for i, q in enumerate(claim.figures):
            score = _unit_score(q, n, before, claim.entity_stems)
            if score and not names_found and len(subjects[i] & near) < 2:
                score = 0.0
            if score and q.owner and n.owner and q.owner != n.owner:
                s.owner_conflicts.append(
                    f"source's {source_figure(n)} is {n.owner.title()}'s figure, "
                    f"the claim's {claim_figure(claim.text, q)} {q.owner.title()}'s"
                )
                score = 0.0
            if score and q.kind == "percent" and _subject_conflict(q, n, claim, near):
                s.subject_conflicts.append(
                    f"the source's {source_figure(n)} is about {' '.join(n.subject)}, "
                    f"the claim's about {' '.join(q.subject)}"
                )
                score = 0.0
            if score and same_figure(q, n):
                score += 0.5  # ties go to the quantity the figure agrees with
            if score > best_score:
                best, best_score = i, score
        if best >= 0:
            out[best].append(n)
    return out


def _subject_conflict(q: NumberMention, n: NumberMention, claim: Claim, near: set[str]) -> bool:
    """Same figure kind, different things measured: "inflation" against "unemployment"."""
    if not q.subject or not n.subject:
        return False
    if any(said(t, near) for t in q.subject):
        return False
    return not any(said(t, claim.stems) for t in n.subject)


def _claim_subject(claim: Claim, q: NumberMention) -> set[str]:
    """Stems of the claim's words around one of its figures: what the figure counts."""
    pos = claim.text.find(q.text) if q.text else -1
    if pos < 0:
        return set(q.subject)
    before = words(claim.text[max(0, pos - 60) : pos])[-4:]
    after = words(claim.text[pos + len(q.text) : pos + len(q.text) + 80])[:8]
    unit = stems_of(q.unit)
    stems = {stem(w) for w, _, _ in before + after if w not in STOPWORDS}
    return {x for x in stems if not x.isdigit()} - unit


def _budget_lines(claim: Claim) -> dict[str, str]:
    """Head noun -> the claim's modifier of it: {"spend": "defens"} for "defense spending"."""
    found = [stem(w) for w, _, _ in claim.words]
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
            and not said(wanted, present)
        ):
            return True
    return False


def _unit_score(
    q: NumberMention, n: NumberMention, before: set[str], entity_stems: frozenset[str]
) -> float:
    if q.kind in ("percent", "money", "length", "mass", "duration") or n.kind in (
        "percent",
        "money",
    ):
        # Money compares with money in the same currency only, per cent with per cent,
        # lengths with lengths (pint's base units): never with a count of jets.
        return 2.0 if comparable(q, n) else 0.0
    if n.kind != "count":
        return 0.0
    unit_stems = stems_of(q.unit) - {"%"}
    strong = unit_stems - _GENERIC_UNITS or unit_stems
    context = (stems_of(q.text) | entity_stems) - strong - _GENERIC_UNITS - _STOP_STEMS
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


def claim_figure(claim_text: str, q: NumberMention) -> str:
    """'at least 600 MLRS units', '48 howitzers', '15–20%': the figure as the claim words it."""
    figure = readable_number(q.value)
    if q.upper is not None:
        figure += "–" + readable_number(q.upper)
    if q.kind == "percent":
        figure += "%"
    elif q.kind == "money" and q.unit in CURRENCY_CODES:
        figure += " " + q.unit
    elif q.unit:
        figure += " " + _unit_surface(claim_text, q.unit)
    return f"{q.qualifier} {figure}" if q.qualifier else figure


def _unit_surface(claim_text: str, unit: str) -> str:
    """The unit as the claim spells it; a generic one keeps its adjective (guided systems)."""
    found = [w for w, _, _ in words(claim_text)]
    surface = [claim_text[a:b] for _, a, b in words(claim_text)]
    last = fold(unit.split()[-1]) if unit.split() else ""
    for i, w in enumerate(found):
        if w == last:
            if stem(w) in _GENERIC_UNITS and i > 0 and found[i - 1] not in STOPWORDS:
                return f"{surface[i - 1]} {surface[i]}"
            return unit if " " in unit else surface[i]
    return unit


def source_figure(n: NumberMention) -> str:
    figure = readable_number(n.value)
    if n.upper is not None:
        figure += "–" + readable_number(n.upper)
    if n.is_percent:
        figure += "%"
    elif n.currency:
        figure += " " + n.currency
    elif n.kind in ("length", "mass", "duration"):
        figure += " " + n.unit
    return f"{n.qualifier} {figure}" if n.qualifier else figure


def _changes(claim: Claim, passage: Text, s: Signals, named_any: bool) -> None:
    """A claim's change (tripled, rose 5%) against the passage's, by ratio."""
    if not claim.changes:
        return
    if not passage.changes:
        s.unmatched.extend(c.text for c in claim.changes)
        return
    for c in claim.changes:
        related = [
            p for p in passage.changes
            if named_any or not c.subject or any(said(t, set(p.subject)) for t in c.subject)
        ]  # fmt: skip
        if not related:
            s.unmatched.append(c.text)
            continue
        agreeing = [p for p in related if changes_agree(c, p)]
        if agreeing:
            s.change_agree.append(f"both say ×{_ratio(c.ratio)} ({c.text}; {agreeing[0].text})")
        else:
            p = related[0]
            s.change_disagree.append(
                f"claim says ×{_ratio(c.ratio)} ({c.text}), source says ×{_ratio(p.ratio)} "
                f"({p.text})"
            )


def _ratio(r: float) -> str:
    return f"{r:.2f}".rstrip("0").rstrip(".")


# --- denials and turns ------------------------------------------------------------------------


def _denial(claim: Claim, passage: Text) -> str:
    """The denying sentence, clipped around its cue, if a cue sits near the claim's words."""
    if claim.denied or not passage.denied:
        return ""  # a negative claim agrees with a negative source
    wanted = set(claim.terms) | claim.entity_stems
    countries = set(claim.countries)
    return _cue_near_claim(
        passage.text,
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
                return clip(sentence, offset)
    return ""


def _opposite_trend(claim: Claim, passage: Text) -> str:
    """The sentence that moves the other way ("flat for three years", "fell 4%") near the
    claim's words, when the claim says something grows or falls; else "". English only."""
    if not claim.direction:
        return ""
    up, down = trends()
    if passage.stems.isdisjoint(up | down):
        return ""
    opposite, same = (down, up) if claim.direction > 0 else (up, down)
    wanted = (set(claim.terms) | claim.entity_stems) - up - down

    def turns(_sentence: str, found: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
        stems = [stem(w) for w, _, _ in found]
        if any(w in same for w in stems):
            return []  # "despite the drop, spending rose": the sentence goes the claim's way
        return [(i, found[i][1]) for i, w in enumerate(stems) if w in opposite]

    return _cue_near_claim(passage.text, lambda w: stem(w) in wanted, turns, distance=6)


@functools.lru_cache(maxsize=16384)
def _word_countries(word: str) -> tuple[str, ...]:
    return tuple(countries_in(entity_tokens(word)))


def clip(sentence: str, at: int, width: int = 110) -> str:
    if len(sentence) <= width:
        return sentence
    start = max(0, min(at - width // 3, len(sentence) - width))
    clipped = sentence[start : start + width].strip()
    return ("…" if start else "") + clipped + ("…" if start + width < len(sentence) else "")


def join(items: list[str], limit: int = 5) -> str:
    items = list(dict.fromkeys(items))
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def log_chars(n: int) -> float:
    return math.log1p(n) / math.log1p(600)
