"""Is one claim the same as another (or as a published fact-check's claim)? Pure Python.

Two texts are parsed once (language.claim_profile.profile) and their profiles compared:
the share of each side's anchors the other side has (countries, names and designations,
figures, years; content words only between texts of one language), then vetoes for what
makes two claims different even when much is shared:

- another country: each side names a country the other does not (Armenia/India against
  Azerbaijan/Serbia);
- another figure: both give a figure of one kind (a count, a percentage, an amount in one
  currency) and none of them agree; a figure of the same value followed by another unit
  (48 howitzers, 48 drones) does not agree;
- another system: both name designations (S-300, S-400) and share none; both name things
  and share no name at all.

A shared number alone never makes a match: without a shared country or name (or, in one
language, mostly the same words) the score stays under the suggestion threshold.
Optionally a sentence-embeddings back-end adds its similarity (language.embeddings); the
vetoes still apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from language.claim_profile import (
    Figure,
    Profile,
    known_units,
    profile,
    spelt_alike,
    stem_of,
)
from language.tokens import generic_units

SUGGESTION_THRESHOLD = 0.5
SAME_CLAIM_THRESHOLD = 0.75
_WEIGHTS = {"country": 1.0, "name": 1.0, "figure": 1.0, "year": 0.5, "term": 0.3}
_VETO = {"country": 0.3, "figure": 0.3, "designation": 0.4, "name": 0.6, "words": 0.6}
# Unit words that tie a figure to nothing in particular; a unit and the broader one it is.
# Stems, made by the stemmer from words, never typed: a stem literal breaks when it changes.
_GENERIC_UNITS = generic_units()
_BROADER = {
    stem_of(unit): stem_of(broader)
    for unit, broader in (("jet", "aircraft"), ("fighter", "aircraft"), ("helicopter", "aircraft"))
}
_NO_IDENTITY_CAP = 0.3  # no shared country or name: never a suggestion ...
_SAME_WORDS = (4, 0.6)  # ... unless one language and this many shared words, this Dice


@dataclass(frozen=True)
class Comparison:
    score: float
    reasons: tuple[str, ...]  # the vetoes that applied


def _name_matches(name: str, other: Profile) -> bool:
    if name in other.names:
        return True
    digits = any(c.isdigit() for c in name)
    for n in other.names:
        if digits and any(c.isdigit() for c in n):
            short, long = sorted((name, n), key=len)
            if long.startswith(short) and not long[len(short)].isdigit():
                return True  # b52 ~ b52ng, not s30 ~ s300
        elif not digits and (
            spelt_alike(name, n) or (len(name) >= 4 and stem_of(name) == stem_of(n))
        ):
            return True
    return not digits and stem_of(name) in other.terms


def _close(a: float, b: float, loose: bool) -> bool:
    tolerance = 0.051 if loose else 0.011
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _rounded(value: float) -> bool:
    """A figure with one significant digit (3 billion, 600) may be another rounded."""
    digits = f"{value:.6e}".split("e")[0].rstrip("0").rstrip(".")
    return len(digits.replace(".", "")) <= 1


def figures_agree(a: Figure, b: Figure, same_language: bool) -> bool:
    if a.kind != b.kind:
        return False
    loose = a.approximate or b.approximate or _rounded(a.value) or _rounded(b.value)
    lo_a, hi_a = a.value, a.upper if a.upper is not None else a.value
    lo_b, hi_b = b.value, b.upper if b.upper is not None else b.value
    if a.upper is not None or b.upper is not None:
        agree = (lo_a <= hi_b and lo_b <= hi_a) or (_close(lo_a, lo_b, loose))
    else:
        agree = _close(a.value, b.value, loose)
    if not agree:
        return False
    if a.kind != "count":
        return True  # what an amount or a share is of: the words around it (vetoes)
    units_a, units_b = _units(a.units), _units(b.units)
    if not same_language:
        units_a, units_b = units_a & known_units(), units_b & known_units()
    return not (units_a and units_b and not units_a & units_b)


def _units(stems: frozenset[str]) -> set[str]:
    out = set(stems - _GENERIC_UNITS)
    out.update(_BROADER[s] for s in stems if s in _BROADER)
    return out


def _matched(a: Profile, b: Profile, same_language: bool) -> tuple[float, float, bool]:
    """(weight of a's anchors found in b, a's total weight, whether a country/name matched)."""
    w = _WEIGHTS
    total = matched = 0.0
    identity = False
    for c in a.countries:
        total += w["country"]
        if c in b.countries:
            matched += w["country"]
            identity = True
    for n in a.names:
        total += w["name"]
        if _name_matches(n, b):
            matched += w["name"]
            identity = True
    for f in a.figures:
        total += w["figure"]
        if any(figures_agree(f, g, same_language) for g in b.figures):
            matched += w["figure"]
    for y in a.years:
        total += w["year"]
        matched += w["year"] if y in b.years else 0.0
    if same_language:
        total += w["term"] * len(a.terms)
        matched += w["term"] * len(a.terms & (b.terms | b.names))
    return matched, total, identity


def _vetoes(a: Profile, b: Profile, same_language: bool) -> list[str]:
    out = []
    if a.countries - b.countries and b.countries - a.countries:
        out.append("country")
    for kind in {f.kind for f in a.figures} & {f.kind for f in b.figures}:
        mine = [f for f in a.figures if f.kind == kind]
        theirs = [g for g in b.figures if g.kind == kind]
        if not any(figures_agree(f, g, same_language) for f in mine for g in theirs):
            out.append("figure")
            break
    designations_a = {n for n in a.names if any(c.isdigit() for c in n)}
    designations_b = {n for n in b.names if any(c.isdigit() for c in n)}
    if designations_a and designations_b:
        if not any(_name_matches(n, b) for n in designations_a):
            out.append("designation")
    elif (
        same_language
        and a.names
        and b.names
        and not any(_name_matches(n, b) for n in a.names)
        and not any(_name_matches(n, a) for n in b.names)
    ):
        out.append("name")
    shared_words = (a.terms | a.names) & (b.terms | b.names)
    if same_language and a.terms and b.terms and not shared_words:
        out.append("words")  # the same country and figure, said of something else
    return out


def _same_words(a: Profile, b: Profile, same_language: bool) -> bool:
    """Mostly the same content words: a claim with no names said again in one language."""
    shared = len(a.terms & b.terms)
    least, dice = _SAME_WORDS
    total = len(a.terms) + len(b.terms)
    return same_language and shared >= least and 2 * shared / total >= dice


def compare(
    a: Profile, b: Profile, *, similarity: Callable[[str, str], float] | None = None
) -> Comparison:
    """How sure we are that a and b state the same claim, 0..1, and what vetoed it."""
    same_language = bool(a.language) and a.language == b.language
    ma, ta, identity_a = _matched(a, b, same_language)
    mb, tb, identity_b = _matched(b, a, same_language)
    if ta + tb == 0:
        return Comparison(0.0, ())
    score = (ma + mb) / (ta + tb)
    if similarity is not None:
        score = 0.5 * score + 0.5 * max(0.0, similarity(a.text, b.text))
    vetoes = _vetoes(a, b, same_language)
    for veto in vetoes:
        score *= _VETO[veto]
    if not (identity_a or identity_b or _same_words(a, b, same_language)):
        score = min(score, _NO_IDENTITY_CAP)
        vetoes.append("nothing named in common")
    return Comparison(round(min(score, 1.0), 4), tuple(vetoes))


def compare_texts(a: str, b: str) -> Comparison:
    return compare(profile(a), profile(b))


def rank(
    query: str,
    candidates: Iterable[tuple[object, str]],
    *,
    threshold: float = SUGGESTION_THRESHOLD,
    similarity: Callable[[str, str], float] | None = None,
) -> list[tuple[object, float]]:
    """(key, score) of the candidates at or above threshold, best first."""
    q = profile(query)
    scored = []
    for key, text in candidates:
        c = compare(q, profile(text), similarity=similarity)
        if c.score >= threshold:
            scored.append((key, c.score))
    scored.sort(key=lambda pair: -pair[1])
    return scored
