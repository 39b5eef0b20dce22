"""The learned stance model: a multinomial logistic regression over language.stance.features,
trained offline (language/stance/training/train_stance.py) and stored as stance_model.json.
Scored in pure Python: no numpy or sklearn at run time.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "stance_model.json"


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    classes: tuple[str, ...]  # supports, contradicts, mentions
    weights: tuple[tuple[float, ...], ...]  # one row per class, one column per feature
    bias: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    temperature: float  # calibration: logits are divided by it
    abstain: float  # a label below this probability becomes "mentions"

    def standardise(self, values: dict[str, float]) -> list[float]:
        return [
            (values.get(name, 0.0) - m) / s
            for name, m, s in zip(self.features, self.mean, self.scale, strict=True)
        ]

    def probabilities(self, z: list[float]) -> dict[str, float]:
        logits = [
            (b + sum(w * x for w, x in zip(row, z, strict=True))) / self.temperature
            for row, b in zip(self.weights, self.bias, strict=True)
        ]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def contributions(self, label: str, z: list[float]) -> dict[str, float]:
        """How much each feature pushed towards `label` against the other labels' average."""
        k = self.classes.index(label)
        n = len(self.classes)
        out = {}
        for j, name in enumerate(self.features):
            mean_w = sum(row[j] for row in self.weights) / n
            out[name] = (self.weights[k][j] - mean_w) * z[j]
        return out


def model_from_json(data: dict) -> Model:
    return Model(
        features=tuple(data["features"]),
        classes=tuple(data["classes"]),
        weights=tuple(tuple(float(w) for w in row) for row in data["weights"]),
        bias=tuple(float(b) for b in data["bias"]),
        mean=tuple(float(v) for v in data["mean"]),
        scale=tuple(float(v) or 1.0 for v in data["scale"]),
        temperature=float(data.get("temperature", 1.0)),
        abstain=float(data.get("abstain", 0.0)),
    )


@functools.cache
def load_model(path: str | None = None) -> Model:
    with open(path or MODEL_PATH, encoding="utf-8") as fh:
        return model_from_json(json.load(fh))
