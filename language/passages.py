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
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from language.countries import countries_in, country_of
from language.detect import guess_language
from language.folding import entity_tokens, exonym, fold
from language.quantities import (
    CURRENCY_CODES,
    NumberMention,
    comparable,
    find_numbers,
    format_number,
)
from language.quantities.lexicon import qualifier_bounds
from language.sentences import sentence_spans
from language.tokens import STOPWORDS, key_terms, stem, stems_of, words

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


def claim_quantities(claim_text: str, features: dict[str, Any]) -> list[NumberMention]:
    """The claim's non-year figures, read by the one quantity parser; the extractor's stored
    quantities when the text yields none (an editor may have kept them)."""
    key = json.dumps(features.get("quantities") or [], sort_keys=True, default=str)
    return list(_claim_quantities(claim_text, key))


@functools.lru_cache(maxsize=1024)  # one claim is read against every source found for it
def _claim_quantities(claim_text: str, key: str) -> tuple[NumberMention, ...]:
    return tuple(_read_claim_quantities(claim_text, {"quantities": json.loads(key)}))


def _read_claim_quantities(claim_text: str, features: dict[str, Any]) -> list[NumberMention]:
    found = [n for n in find_numbers(claim_text) if not n.is_year]
    if found:
        return found
    out = []
    for q in features.get("quantities") or []:
        if q.get("value") is None:
            continue
        text = str(q.get("text") or "")
        parsed = [n for n in find_numbers(text) if not n.is_year] if text else []
        if parsed:
            out.append(parsed[0])
            continue
        value, upper = float(q["value"]), q.get("upper")
        unit = str(q.get("unit") or "")
        kind = "percent" if unit == "%" else "money" if unit in CURRENCY_CODES else "count"
        out.append(
            NumberMention(
                value=value,
                upper=float(upper) if upper is not None else None,
                qualifier=str(q.get("qualifier") or ""),
                is_percent=kind == "percent",
                is_year=False,
                start=0,
                end=0,
                text=text,
                after=tuple(stem(w) for w, _, _ in words(unit)),
                currency=unit if kind == "money" else "",
                kind=kind,
                unit=unit,
                base=value,
                base_upper=float(upper) if upper is not None else None,
                bound=qualifier_bounds().get(str(q.get("qualifier") or ""), "exact"),
            )
        )
    return out


def claim_years(claim_text: str, features: dict[str, Any]) -> list[str]:
    years = [
        m for d in features.get("dates") or [] for m in re.findall(r"\b(?:1[89]|20)\d\d\b", str(d))
    ]
    years += re.findall(r"\b(?:1[89]|20)\d\d\b", claim_text)
    return list(dict.fromkeys(years))


def value_matches(quantity: NumberMention, figure: NumberMention) -> bool:
    """Does a source's figure equal the claim's, or fall in its range? (Qualifiers: stance.)"""
    if not comparable(quantity, figure):
        return False
    lo = quantity.base
    hi = quantity.base_upper if quantity.base_upper is not None else lo
    tol = max(abs(lo), abs(hi)) * 0.005
    return lo - tol <= figure.base <= hi + tol


# --- passages ----------------------------------------------------------------------------


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """(block, start, end) spans: lines are blocks (paragraphs, headings, bullets), cut into
    sentences by language.sentences (the splitter claim extraction also uses)."""
    spans: list[tuple[int, int, int]] = []
    for block, line in enumerate(re.finditer(r"[^\n]+", text)):
        for start, end in sentence_spans(text, line.start(), line.end()):
            _add_span(spans, text, block, start, end)
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
    lang = guess_language(document_text[:4000])
    sentences = []
    for block, start, end in spans:
        chunk = document_text[start:end]
        sentences.append(
            _Sentence(
                block, start, end, stems_of(chunk), entity_tokens(chunk), find_numbers(chunk, lang)
            )
        )
    terms = key_terms(claim_text)
    n_docs = len(sentences)
    idf = {}
    for t in terms:
        df = sum(1 for s in sentences if t in s.stems)
        idf[t] = math.log((n_docs + 1) / (df + 1)) + 1.0
    entities = claim_entities(claim_text, features)
    quantities = claim_quantities(claim_text, features)
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


def _score_window(
    document_text: str,
    window: list[_Sentence],
    terms: dict[str, str],
    idf: dict[str, float],
    entities: list[str],
    quantities: list[NumberMention],
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
            unit = stems_of(q.unit) - {"%"}
            if any(value_matches(q, n) and not n.is_year for n in numbers):
                got += 1.0
                matched_numbers.append(format_number(q.value))
            elif any(
                (n.is_percent and q.is_percent) or (unit and unit & set(n.after)) for n in numbers
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
