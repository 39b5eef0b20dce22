"""The learned stance model: boosted decision trees over language.stance.features, trained
offline (language/stance/training/train_stance.py) and stored as stance_model.json. The
trees are scored in pure Python: each tree adds to one label's score.

Beside the trees' own features (language.stance.features, from the words, names and figures
of claim and passage), the model reads the pair through a sentence encoder
(language.embeddings.bundled_encoder): the cosine similarity of the two vectors and a linear
head over them (SentenceHead: logistic regression on [u*v, |u-v|, u, v], trained with the
trees, its three scores feeding the trees). stance_model_lexical.json is the same model
trained without the encoder, used when the encoder cannot be loaded.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parent / "stance_model.json"
LEXICAL_MODEL_PATH = MODEL_PATH.with_name("stance_model_lexical.json")
SIMILARITY = "meaning_similarity"  # cosine of the claim's and the passage's vectors


def pair_vector(u: Any, v: Any) -> Any:
    """What the head reads of a pair: [u*v, |u-v|, u, v] (rows of pairs when u, v are 2-D)."""
    import numpy as np

    return np.concatenate([u * v, np.abs(u - v), u, v], axis=-1)


@dataclass(frozen=True)
class SentenceHead:
    """Three scores (one per class) from the claim's vector u and the passage's v."""

    features: tuple[str, ...]  # the names the trees know the three scores by
    weights: tuple[tuple[float, ...], ...]  # classes x 4*dimensions
    bias: tuple[float, ...]

    @functools.cached_property
    def _arrays(self) -> tuple[Any, Any]:
        import numpy as np

        return np.asarray(self.weights, dtype=np.float32), np.asarray(self.bias, np.float32)

    def values(self, u: Any, v: Any) -> dict[str, float]:
        """The similarity and the head's scores for one pair (u, v: unit numpy vectors)."""
        weights, bias = self._arrays
        scores = weights @ pair_vector(u, v) + bias
        return {
            SIMILARITY: float(u @ v),
            **dict(zip(self.features, map(float, scores), strict=True)),
        }


@dataclass(frozen=True)
class Tree:
    """One regression tree: node i splits on feature[i] at threshold[i] (left when <=), or is
    a leaf when feature[i] < 0; value[i] is the node's value (a leaf's adds to the score)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def leaf(self, x: list[float]) -> float:
        feature, threshold, left, right = self.feature, self.threshold, self.left, self.right
        node = 0
        f = feature[0]
        while f >= 0:
            node = left[node] if x[f] <= threshold[node] else right[node]
            f = feature[node]
        return self.value[node]

    def path(self, x: list[float]) -> list[int]:
        node, out = 0, [0]
        while self.feature[node] >= 0:
            f = self.feature[node]
            node = self.left[node] if x[f] <= self.threshold[node] else self.right[node]
            out.append(node)
        return out


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    classes: tuple[str, ...]  # supports, contradicts, mentions
    baseline: tuple[float, ...]
    trees: tuple[tuple[Tree, ...], ...]  # per round, one tree per class
    temperature: float  # calibration: scores are divided by it
    abstain: float  # a label below this probability becomes "mentions"
    sentence: SentenceHead | None = None  # None: the trees read no sentence vectors

    def vector(self, values: dict[str, float]) -> list[float]:
        return [values.get(name, 0.0) for name in self.features]

    def scores(self, x: list[float]) -> list[float]:
        out = list(self.baseline)
        for round_ in self.trees:
            for k, tree in enumerate(round_):
                out[k] += tree.leaf(x)
        return out

    def probabilities(self, x: list[float]) -> dict[str, float]:
        logits = [s / self.temperature for s in self.scores(x)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def contributions(self, label: str, x: list[float]) -> dict[str, float]:
        """How much each feature pushed towards `label` against the other labels' average:
        along each tree's path, a split's feature gets the change of value it caused."""
        n = len(self.classes)
        k_label = self.classes.index(label)
        out = dict.fromkeys(self.features, 0.0)
        for round_ in self.trees:
            for k, tree in enumerate(round_):
                weight = 1.0 - 1.0 / n if k == k_label else -1.0 / n
                path = tree.path(x)
                for parent, child in zip(path, path[1:], strict=False):
                    name = self.features[tree.feature[parent]]
                    out[name] += weight * (tree.value[child] - tree.value[parent])
        return out


def _tree(data: dict) -> Tree:
    return Tree(
        feature=tuple(int(v) for v in data["feature"]),
        threshold=tuple(float(v) for v in data["threshold"]),
        left=tuple(int(v) for v in data["left"]),
        right=tuple(int(v) for v in data["right"]),
        value=tuple(float(v) for v in data["value"]),
    )


def model_from_json(data: dict) -> Model:
    return Model(
        features=tuple(data["features"]),
        classes=tuple(data["classes"]),
        baseline=tuple(float(b) for b in data["baseline"]),
        trees=tuple(tuple(_tree(t) for t in round_) for round_ in data["trees"]),
        temperature=float(data.get("temperature", 1.0)),
        abstain=float(data.get("abstain", 0.0)),
        sentence=_head(data["sentence"]) if data.get("sentence") else None,
    )


def _head(data: dict) -> SentenceHead:
    return SentenceHead(
        features=tuple(data["features"]),
        weights=tuple(tuple(float(w) for w in row) for row in data["weights"]),
        bias=tuple(float(b) for b in data["bias"]),
    )


@functools.cache
def load_model(path: str | None = None) -> Model:
    with open(path or MODEL_PATH, encoding="utf-8") as fh:
        return model_from_json(json.load(fh))
