"""`evaluate stance --backend nli|llm`: the labelled TSV read as the workers read a source.

The built-in scorer is measured by language.evaluation itself; for another back-end each
row's best passage is judged through hint_pairs, with the same fallback to builtin as in
the workers, and the result says how many hints each back-end gave.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from language.evaluation import (
    NEI_LABEL,
    STANCE_LABELS,
    Prediction,
    claim_features,
    metrics,
    read_stance_tsv,
)
from language.reading import best_passage
from language.stance import MENTIONS, Stance

from .base import Pair, StanceBackend
from .selection import hint_pairs

BATCH = 32  # pairs per model run: a whole labelled file at once would not fit in memory


def evaluate_with_backend(
    path: str, backend: StanceBackend
) -> tuple[dict[str, Any], list[Prediction]]:
    rows = read_stance_tsv(path)
    features: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.claim not in features:
            features[row.claim] = claim_features(row.claim)
    passages = [best_passage(r.claim, features[r.claim], r.evidence) for r in rows]
    judged = [(i, Pair(r.claim, features[r.claim], p.text)) for i, (r, p) in
              enumerate(zip(rows, passages, strict=True)) if p is not None]  # fmt: skip
    stances: dict[int, tuple[Stance, str]] = {}
    for start in range(0, len(judged), BATCH):
        chunk = judged[start : start + BATCH]
        for (i, _pair), hint in zip(chunk, hint_pairs([p for _, p in chunk], backend), strict=True):
            stances[i] = (Stance(hint.label, hint.reason, hint.confidence), hint.backend)
    predictions = []
    given_by: Counter[str] = Counter()
    for i, row in enumerate(rows):
        if i not in stances:
            stance = Stance(MENTIONS, "no passage bears on the claim", 0.0)
            predictions.append(Prediction(row, NEI_LABEL, stance, ""))
            given_by["none"] += 1
            continue
        stance, by = stances[i]
        given_by[by] += 1
        predictions.append(Prediction(row, STANCE_LABELS[stance.label], stance, passages[i].text))
    result = metrics([r.label for r in rows], [p.label for p in predictions])
    result["backend"] = backend.name
    result["hints_by"] = dict(sorted(given_by.items()))
    return result, predictions
