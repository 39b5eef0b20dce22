"""A claim or a passage read once into a small value: its words, names, figures, changes,
years, countries and language. Stance compares two such values (language.stance.signals).

Claim and passage go through the same code (language.tokens, language.quantities), so
only the parsing knows languages; the comparison does not.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from language.countries import countries_in
from language.denials import denial_cues
from language.detect import guess_language
from language.folding import entity_tokens
from language.passages import claim_entities, claim_quantities, claim_years
from language.quantities import Change, NumberMention, find_figures
from language.quantities.lexicon import trends
from language.tokens import STOPWORDS, key_terms, stem, words

_YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")


@dataclass(frozen=True)
class Text:
    """What stance reads of one text, parsed once."""

    text: str
    tokens: tuple[str, ...]  # entity tokens (folded letter/digit runs)
    token_set: frozenset[str]
    words: tuple[tuple[str, int, int], ...]
    stems: frozenset[str]
    terms: dict[str, str]  # stem -> surface, content words
    figures: tuple[NumberMention, ...]  # no years
    years: tuple[str, ...]
    changes: tuple[Change, ...]
    countries: tuple[str, ...]
    lang: str | None
    denied: bool  # the text itself has a denying word


@dataclass(frozen=True)
class Claim(Text):
    entities: tuple[str, ...] = ()
    entity_stems: frozenset[str] = frozenset()
    direction: int = 0  # +1 the claim says something grows, -1 falls, 0 neither or both


def _text(text: str, lang: str | None) -> dict[str, Any]:
    tokens = entity_tokens(text)
    found = words(text)
    figures = find_figures(text, lang)
    return {
        "text": text,
        "tokens": tuple(tokens),
        "token_set": frozenset(tokens),
        "words": tuple(found),
        "stems": frozenset(stem(w) for w, _, _ in found),
        "terms": key_terms(text),
        "figures": tuple(n for n in figures.numbers if not n.is_year),
        "years": tuple(dict.fromkeys(str(int(n.value)) for n in figures.numbers if n.is_year)),
        "changes": tuple(figures.changes),
        "countries": tuple(countries_in(tokens)),
        "lang": lang,
        "denied": bool(denial_cues(text)),
    }


def parse_passage(text: str) -> Text:
    lang = guess_language(text) or ("en" if _mostly_english(text) else None)
    return Text(**_text(text, lang))


def parse_claim(claim_text: str, features: dict[str, Any] | None) -> Claim:
    features = features or {}
    key = json.dumps(
        [features.get("entities") or [], features.get("quantities") or [], features.get("dates")],
        sort_keys=True,
        default=str,
    )
    return _parse_claim(claim_text, key)


@functools.lru_cache(maxsize=512)  # one claim is read against every source found for it
def _parse_claim(claim_text: str, key: str) -> Claim:
    entities_, quantities, dates = json.loads(key)
    features = {"entities": entities_, "quantities": quantities, "dates": dates}
    values = _text(claim_text, "en")
    values["figures"] = values["figures"] or tuple(claim_quantities(claim_text, features))
    values["years"] = tuple(claim_years(claim_text, features))
    entities = claim_entities(claim_text, features)
    up, down = trends()
    stems = values["stems"]
    rises, falls = bool(stems & up), bool(stems & down)
    return Claim(
        **values,
        entities=tuple(entities),
        entity_stems=frozenset(stem(t) for e in entities for t in entity_tokens(e)),
        direction=0 if rises == falls else (1 if rises else -1),
    )


def _mostly_english(text: str) -> bool:
    found = [w for w, _, _ in words(text) if len(w) > 1]
    return len(found) >= 3 and sum(w in STOPWORDS for w in found) / len(found) >= 0.12
