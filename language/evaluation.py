"""Score stance hints against a labelled TSV: the same scorer the workers use, no Django.

A row is claim<TAB>evidence<TAB>label (header first, no quoting). Each evidence text is read
by language.reading.read_document, as worker.score reads a snapshot. The claim's features
come from the extractor (language.extraction), as for a claim found in an article. Stances map
to labels: supports -> SUPPORTS, contradicts -> REFUTES, mentions (or no passage at all) ->
NOT ENOUGH INFO.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from language.extraction.model import analyse
from language.labelled_tsv import EvaluationError, read_tsv
from language.reading import read_document
from language.stance import CONTRADICTS, MENTIONS, SUPPORTS, Stance

SUPPORTS_LABEL, REFUTES_LABEL, NEI_LABEL = "SUPPORTS", "REFUTES", "NOT ENOUGH INFO"
LABELS = (SUPPORTS_LABEL, REFUTES_LABEL, NEI_LABEL)
STANCE_LABELS = {SUPPORTS: SUPPORTS_LABEL, CONTRADICTS: REFUTES_LABEL, MENTIONS: NEI_LABEL}
HEADER = ("claim", "evidence", "label")


@dataclass(frozen=True)
class Row:
    line: int
    claim: str
    evidence: str
    label: str


@dataclass(frozen=True)
class Prediction:
    row: Row
    label: str
    stance: Stance
    passage: str


def read_stance_tsv(path: str) -> list[Row]:
    """Rows of a header + claim<TAB>evidence<TAB>label TSV; EvaluationError when malformed."""
    rows: list[Row] = []
    for lineno, cells in read_tsv(path, HEADER):
        if len(cells) != 3:
            raise EvaluationError(
                f"{path}:{lineno}: expected 3 tab-separated columns "
                f"(claim, evidence, label), got {len(cells)}"
            )
        claim, evidence, raw_label = (c.strip() for c in cells)
        label = " ".join(raw_label.split()).upper()
        if label not in LABELS:
            raise EvaluationError(
                f"{path}:{lineno}: unknown label {raw_label!r}; expected one of "
                + ", ".join(LABELS)
            )
        if not claim or not evidence:
            raise EvaluationError(f"{path}:{lineno}: empty claim or evidence")
        rows.append(Row(lineno, claim, evidence, label))
    if not rows:
        raise EvaluationError(f"{path} has no labelled rows")
    return rows


def claim_features(claim_text: str) -> dict[str, Any]:
    """The features extraction stores for a claim with this text (quantities, dates, entities)."""
    analysis = analyse(" ".join(claim_text.split()))
    return {
        "quantities": [asdict(q) for q in analysis.quantities],
        "dates": list(analysis.dates),
        "entities": [asdict(e) for e in analysis.entities],
    }


def predict(claim_text: str, evidence: str, features: dict[str, Any] | None = None) -> Prediction:
    """The workers' reading of one evidence text: best passage, then its stance hint."""
    if features is None:
        features = claim_features(claim_text)
    row = Row(0, claim_text, evidence, "")
    reading = read_document(claim_text, features, evidence)
    if reading is None:
        stance = Stance(MENTIONS, "no passage bears on the claim", 0.0)
        return Prediction(row, NEI_LABEL, stance, "")
    return Prediction(
        row, STANCE_LABELS[reading.stance.label], reading.stance, reading.passage.text
    )


def predict_rows(rows: list[Row]) -> list[Prediction]:
    features: dict[str, dict[str, Any]] = {}
    out = []
    for row in rows:
        if row.claim not in features:
            features[row.claim] = claim_features(row.claim)
        p = predict(row.claim, row.evidence, features[row.claim])
        out.append(Prediction(row, p.label, p.stance, p.passage))
    return out


def metrics(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Accuracy, per-label precision/recall/F1 (n = gold rows) and their macro F1.

    Macro F1 averages over the labels that occur in the gold or predicted labels; a label
    never predicted has precision 0.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    n = len(gold)
    per_label: dict[str, dict[str, float | int]] = {}
    f1s = []
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        n_pred = sum(1 for p in predicted if p == label)
        n_gold = sum(1 for g in gold if g == label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "n": n_gold,
        }
        if n_gold or n_pred:
            f1s.append(f1)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "per_label": per_label,
    }


def evaluate_file(path: str) -> tuple[dict[str, Any], list[Prediction]]:
    """Metrics for a labelled TSV and each row's prediction."""
    rows = read_stance_tsv(path)
    predictions = predict_rows(rows)
    result = metrics([r.label for r in rows], [p.label for p in predictions])
    return result, predictions


def most_confident_errors(predictions: list[Prediction], limit: int) -> list[dict[str, Any]]:
    """The `limit` wrong predictions the scorer was surest of, surest first."""
    wrong = [p for p in predictions if p.label != p.row.label]
    wrong.sort(key=lambda p: (-p.stance.confidence, p.row.line))
    return [
        {
            "line": p.row.line,
            "gold": p.row.label,
            "predicted": p.label,
            "confidence": p.stance.confidence,
            "reason": p.stance.reason,
            "claim": p.row.claim,
            "passage": p.passage,
        }
        for p in wrong[: max(0, limit)]
    ]


def format_table(result: dict[str, Any]) -> list[str]:
    lines = [f"{'label':<16} {'precision':>9} {'recall':>7} {'f1':>7} {'n':>5}"]
    for label, m in result["per_label"].items():
        lines.append(
            f"{label:<16} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>7.4f} {m['n']:>5}"
        )
    lines.append(f"{'n':<16} {result['n']}")
    lines.append(f"{'accuracy':<16} {result['accuracy']:.4f}")
    lines.append(f"{'macro F1':<16} {result['macro_f1']:.4f}")
    return lines


def confusion(predictions: list[Prediction]) -> list[str]:
    """A gold x predicted table."""
    short = {SUPPORTS_LABEL: "SUP", REFUTES_LABEL: "REF", NEI_LABEL: "NEI"}
    lines = ["gold \\ pred " + " ".join(f"{short[p]:>5}" for p in LABELS)]
    for g in LABELS:
        counts = [sum(1 for x in predictions if x.row.label == g and x.label == p) for p in LABELS]
        lines.append(f"{short[g]:<12} " + " ".join(f"{c:>5}" for c in counts))
    return lines
