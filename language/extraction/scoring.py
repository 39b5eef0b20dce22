"""Check-worthiness score in [0, 1] with human-readable reasons.

score = sigmoid(model logit + rule adjustments). The model (trained on debate
sentences) knows which wording tends to carry facts; the rules carry what
news prose needs and debate data lacks: concrete quantities, weapon
designations and events count for, hedging and analysis count against.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Analysis, analyse, load_model, model_features, sigmoid

# Rule weights in logit units; tuned on the seed and test articles, checked
# against the held-out debate split (see training/train_checkworthiness.py).
RULES = {
    "number": 0.9,
    "percent_or_money": 0.4,
    "date": 0.3,
    "product": 0.9,
    "person": 0.6,
    "places": 0.3,
    "event": 0.6,
    "attribution": 0.5,
    "hedging": -1.4,
    "opinion": -0.6,
    "opinion2": -0.6,
    "abstract_opener": -1.2,
    "first_person": -0.3,
    "meta": -4.0,
    "no_concrete": -0.9,
    "question": -1.5,
    "short": -1.0,
    "bullet": 0.5,
}
NO_MODEL_BIAS = -1.0  # without a trained model, rules alone decide


@dataclass(frozen=True)
class Scored:
    score: float
    reasons: list[str]
    analysis: Analysis


def rule_adjustment(
    text: str, analysis: Analysis, is_bullet: bool = False
) -> tuple[float, list[str]]:
    delta = 0.0
    reasons: list[str] = []
    cues = analysis.cues
    numbers = [q for q in analysis.quantities]
    if numbers:
        delta += RULES["number"]
        reasons += [f"number: {q.text}" for q in numbers[:3]]
        if any(q.unit in ("%", "USD", "EUR", "GBP") for q in numbers):
            delta += RULES["percent_or_money"]
    if analysis.dates:
        delta += RULES["date"]
        reasons += [f"date: {d}" for d in analysis.dates[:2]]
    labels = {e.label for e in analysis.entities}
    if "product" in labels:
        delta += RULES["product"]
    if "person" in labels:
        delta += RULES["person"]
    if len([e for e in analysis.entities if e.label in ("place", "organisation")]) >= 2:
        delta += RULES["places"]
    reasons += [f"entity: {e.text}" for e in analysis.entities if e.label != "other"][:4]
    if cues["attribution"]:
        delta += RULES["attribution"]
        reasons.append(f"attribution: {cues['attribution'][0]}")
    if cues["event"]:
        delta += RULES["event"]
        reasons.append(f"concrete event verb: {cues['event'][0]}")
    concrete = (
        numbers
        or analysis.dates
        or labels & {"product", "person"}
        or cues["event"]
        or cues["attribution"]
    )
    if not concrete:
        delta += RULES["no_concrete"]
        reasons.append("no concrete detail")
    if cues["hedging"]:
        delta += RULES["hedging"]
        reasons.append(f"hedging: {cues['hedging'][0]}")
    if cues["opinion"]:
        delta += RULES["opinion"] + (RULES["opinion2"] if len(cues["opinion"]) > 1 else 0.0)
        reasons.append(f"opinion: {', '.join(dict.fromkeys(cues['opinion'][:3]))}")
    if cues["abstract_opener"]:
        delta += RULES["abstract_opener"]
        reasons.append(f"analysis: {cues['abstract_opener'][0]}")
    if cues["meta"]:
        delta += RULES["meta"]
        reasons.append(f"about the article: {cues['meta'][0]}")
    if cues["first_person"]:
        delta += RULES["first_person"]
    if text.rstrip().endswith("?"):
        delta += RULES["question"]
        reasons.append("question")
    if len(text.split()) < 5:
        delta += RULES["short"]
        reasons.append("too short")
    if is_bullet:
        delta += RULES["bullet"]
        reasons.append("list item")
    return delta, reasons


def model_logit(text: str, analysis: Analysis) -> float | None:
    model = load_model()
    if model is None:
        return None
    return model.logit(model_features(text, analysis))


def score_sentence(text: str, is_bullet: bool = False, analysis: Analysis | None = None) -> Scored:
    """Score one sentence; deterministic."""
    analysis = analysis or analyse(text)
    delta, reasons = rule_adjustment(text, analysis, is_bullet)
    logit = model_logit(text, analysis)
    if logit is None:
        logit = NO_MODEL_BIAS
    else:
        reasons.append(f"model: {sigmoid(logit):.2f}")
    return Scored(round(sigmoid(logit + delta), 4), reasons, analysis)
