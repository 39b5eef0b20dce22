"""Sentence analysis and the linear check-worthiness model, scored in pure Python.

The same `model_features()` is used by the training script (scikit-learn, dev
only) and at runtime, so the exported JSON weights apply unchanged.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import mul
from pathlib import Path

from .cues import cue_hits
from .entities import find_entities
from .quantities import find_dates, find_quantities
from .types import Entity, Quantity

MODEL_PATH = Path(__file__).with_name("checkworthiness_model.json")
TOKEN_RE = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+(?:[.,]\d+)*|[%$€£]")
YEAR_TOKEN = re.compile(r"(?:1[89]|20)\d\d$")


@dataclass(frozen=True)
class Analysis:
    quantities: list[Quantity]
    dates: list[str]
    entities: list[Entity]
    cues: dict[str, list[str]]


def analyse(text: str) -> Analysis:
    return Analysis(find_quantities(text), find_dates(text), find_entities(text), cue_hits(text))


def _tokens(text: str) -> list[str]:
    out = []
    for t in TOKEN_RE.findall(text.lower().replace("’", "'")):
        if t[0].isdigit():
            t = "<year>" if YEAR_TOKEN.match(t) else "<num>"
        out.append(t)
    return out


def model_features(text: str, analysis: Analysis) -> dict[str, float]:
    """Binary word uni/bigrams and char 4-grams (each block L2-normalised) plus cue features."""
    toks = _tokens(text)
    grams = {"u:" + t for t in toks}
    grams.update("b:" + a + " " + b for a, b in zip(["<s>"] + toks, toks + ["</s>"], strict=True))
    feats: dict[str, float] = {}
    if grams:
        feats = dict.fromkeys(grams, 1.0 / math.sqrt(len(grams)))
    joined = " " + " ".join(toks) + " "
    chars = {"c4:" + joined[i : i + 4] for i in range(len(joined) - 3)}
    if chars:
        feats.update(dict.fromkeys(chars, 1.0 / math.sqrt(len(chars))))
    labels = [e.label for e in analysis.entities]
    cues = analysis.cues
    hand = {
        "c:quantity": bool(analysis.quantities),
        "c:percent": any(q.unit == "%" for q in analysis.quantities),
        "c:money": any(q.unit in ("USD", "EUR", "GBP") for q in analysis.quantities),
        "c:date": bool(analysis.dates),
        "c:entity": bool(labels),
        "c:entities2": len(labels) >= 2,
        "c:product": "product" in labels,
        "c:person": "person" in labels,
        "c:place_org": "place" in labels or "organisation" in labels,
        "c:hedging": bool(cues["hedging"]),
        "c:opinion": bool(cues["opinion"]),
        "c:event": bool(cues["event"]),
        "c:attribution": bool(cues["attribution"]),
        "c:comparison": bool(cues["comparison"]),
        "c:first_person": bool(cues["first_person"]),
        "c:abstract_opener": bool(cues["abstract_opener"]),
        "c:question": text.rstrip().endswith("?"),
        "c:short": len(toks) < 6,
        "c:long": len(toks) > 30,
    }
    feats.update({k: 1.0 for k, on in hand.items() if on})
    return feats


@dataclass(frozen=True)
class LinearModel:
    weights: dict[str, float]
    bias: float
    meta: dict

    def logit(self, feats: dict[str, float]) -> float:
        # map() keeps the loop in C: this is the hot path of scoring.
        weights = map(self.weights.get, feats.keys(), repeat(0.0))
        return self.bias + sum(map(mul, weights, feats.values()))


@lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> LinearModel | None:
    """The shipped model, or None if it has not been trained (rules still work)."""
    p = Path(path)
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    return LinearModel(weights=data["weights"], bias=float(data["bias"]), meta=data.get("meta", {}))


def sigmoid(x: float) -> float:
    if x < -30:
        return 0.0
    if x > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-x))
