"""A stance hint for one claim and one source passage, with a reason a reviewer can check.

Claim and passage are each parsed once (parsed), compared into signals (signals: names,
figures by kind, subject and owner, changes, years, denials, trends, another country),
turned into features (features). Decisive evidence settles the hint first (another
owner or country: mentions; figures compared by kind, a denial, a trend the other way:
contradicts or supports, features.DECISIVE); otherwise a learned, calibrated model decides
(model), and below its abstain threshold the hint is "mentions". The reason names the
features that decided, in words; the confidence is the model's calibrated probability of
the label given. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from language.stance.features import decisive, evidence, features
from language.stance.model import load_model
from language.stance.parsed import parse_claim, parse_passage
from language.stance.signals import Signals, compare, join

SUPPORTS, CONTRADICTS, MENTIONS = "supports", "contradicts", "mentions"


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
    model = load_model()
    values = features(signals)
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
    return Stance(label, _line(_reason(model, label, x, signals)), round(confidence, 2))


def _reason(model, label: str, x: list[float], signals: Signals) -> str:
    """The words of the one or two features that pushed most towards the label."""
    pushes = sorted(model.contributions(label, x).items(), key=lambda kv: -kv[1])
    said: list[str] = []
    top = 0.0
    for name, push in pushes:
        if push <= 0 or (said and push < 0.5 * top):
            break
        words = evidence(name, signals, label)
        if words and words not in said and not any(words in s or s in words for s in said):
            said.append(words)
            top = top or push
        if len(said) == 2:
            break
    return "; ".join(said) or _mentions_reason(signals)


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


__all__ = ["CONTRADICTS", "MENTIONS", "SUPPORTS", "Stance", "stance_hint", "stance_signals"]
