"""A stance hint for one claim and one source passage, with a reason a reviewer can check.

Claim and passage are each parsed once (parsed), compared into signals (signals: names,
figures by kind, subject and owner, changes, years, denials, trends, another country),
turned into features (features). When claim and passage are both English (the encoder's
language), the sentence encoder adds how close the two are in meaning and how its linear head
reads the pair (model.SentenceHead); otherwise, or without the encoder, the lexical model
decides. Decisive evidence settles the hint first (another owner or country: mentions;
figures compared by kind, a denial, a trend the other way: contradicts or supports,
features.DECISIVE); otherwise a learned, calibrated model decides (model), and below its
abstain threshold the hint is "mentions". The reason names the
features that decided, in words; the confidence is the model's calibrated probability of
the label given. The trees are pure Python; the encoder runs in numpy.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from language.embeddings import EmbeddingsError, bundled_encoder
from language.stance.features import decisive, evidence, features
from language.stance.model import LEXICAL_MODEL_PATH, SIMILARITY, Model, load_model
from language.stance.parsed import parse_claim, parse_passage
from language.stance.signals import Signals, compare, join

SUPPORTS, CONTRADICTS, MENTIONS = "supports", "contradicts", "mentions"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stance:
    label: str  # supports | contradicts | mentions
    reason: str  # one readable line
    confidence: float  # in [0, 1]: the model's calibrated probability of the label


def stance_signals(
    claim_text: str, features_: dict[str, Any] | None, passage: str, position: float | None = None
) -> Signals:
    """The signals the model reads, for one claim and one passage (also used in training)."""
    return compare(parse_claim(claim_text, features_), parse_passage(passage), position)


def stance_hint(
    claim_text: str, features_: dict[str, Any], passage: str, *, position: float | None = None
) -> Stance:
    """The hint for a passage; position is where it starts in its document (0 to 1)."""
    signals = stance_signals(claim_text, features_, passage, position)
    if not signals.related and not signals.matched_terms:
        return Stance(MENTIONS, evidence("unrelated", signals), 0.05)
    model, lexical, encoder = _models()
    values = features(signals)
    if encoder is not None and signals.english:
        values.update(model.sentence.values(encoder.vector(claim_text), encoder.vector(passage)))
    else:  # the encoder reads English only; other pairs, or no encoder: the lexical model
        model = lexical
    x = model.vector(values)
    probs = model.probabilities(x)
    rule = decisive(values)
    if rule:  # a figure compared, a denial, another owner: the evidence decides
        name, label = rule
        words = evidence(name, signals, label) if label != MENTIONS else _mentions_reason(signals)
        return Stance(label, _line(words), round(probs[label], 2))
    label = max(probs, key=lambda c: probs[c])
    confidence = probs[label]
    if label != MENTIONS and confidence < model.abstain:
        reason = _mentions_reason(signals)
        unsure = f"looks like {label} ({confidence:.0%}), not sure enough"
        return Stance(
            MENTIONS, _line(f"{reason}; {unsure}" if reason else unsure), round(1 - confidence, 2)
        )
    if label == MENTIONS:
        return Stance(MENTIONS, _line(_mentions_reason(signals)), round(confidence, 2))
    return Stance(label, _line(_reason(model, label, x, signals, values)), round(confidence, 2))


_SETTINGS = {"sentence_encoder": True}


def use_sentence_encoder(enabled: bool) -> None:
    """On (the default): hints read the sentence encoder too; off: the lexical model alone
    (FACTCHECK_STANCE_SENTENCE_ENCODER)."""
    if _SETTINGS["sentence_encoder"] != bool(enabled):
        _SETTINGS["sentence_encoder"] = bool(enabled)
        _models.cache_clear()


@functools.cache
def _models() -> tuple[Model, Model, Any]:
    """The model with the encoder, the lexical model, and the encoder (None when it is off or
    cannot be loaded: package missing, weights not the pinned ones, said once in the log)."""
    model, lexical = load_model(), load_model(str(LEXICAL_MODEL_PATH))
    if not _SETTINGS["sentence_encoder"] or model.sentence is None:
        return model, lexical, None
    try:
        return model, lexical, bundled_encoder()
    except EmbeddingsError as exc:
        log.warning("stance hints without the sentence encoder: %s", exc)
        return model, lexical, None


def _reason(
    model: Model, label: str, x: list[float], signals: Signals, values: dict[str, float]
) -> str:
    """The words of the one or two features that pushed most towards the label."""
    pushes = sorted(model.contributions(label, x).items(), key=lambda kv: -kv[1])
    said: list[str] = []
    top = 0.0
    for name, push in pushes:
        if push <= 0 or (said and push < 0.5 * top):
            break
        words = evidence(name, signals, label) or _sentence_words(name, label, values)
        if words and words not in said and not any(words in s or s in words for s in said):
            said.append(words)
            top = top or push
        if len(said) == 2:
            break
    return "; ".join(said) or _mentions_reason(signals)


def _sentence_words(name: str, label: str, values: dict[str, float]) -> str:
    """What the sentence encoder saw, in words: only for the label it pushed towards."""
    similarity = values.get(SIMILARITY)
    if similarity is None or name not in (SIMILARITY, f"sentence_{label}"):
        return ""
    if label == SUPPORTS:
        return f"the passage says much what the claim says (meaning {similarity:.0%} alike)"
    if label == CONTRADICTS:
        return f"the passage reads as saying otherwise (meaning {similarity:.0%} alike)"
    return ""


def _mentions_reason(s: Signals) -> str:
    parts = []
    if s.other_country:
        parts.append(s.other_country + "; its figures and words are not compared")
    parts += s.owner_conflicts[:1] + s.subject_conflicts[:1]
    named = s.found_entities + s.matched_terms
    if named or s.partial_entities:
        parts.append("mentions " + join(named + [f"{e} (partly)" for e in s.partial_entities]))
    if s.unmatched:
        parts.append("no figure to compare with the claim's " + ", ".join(s.unmatched))
    if s.missing:
        parts.append("missing " + join(s.missing, limit=3))
    return "; ".join(parts)


def _line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "CONTRADICTS",
    "MENTIONS",
    "SUPPORTS",
    "Stance",
    "stance_hint",
    "stance_signals",
    "use_sentence_encoder",
]
