"""Score claim matching against a labelled TSV: the scorer ingestion uses, no Django.

A row is group<TAB>role<TAB>text (header first, no quoting). Role `claim`: a stored claim
(one per group). Role `same`: a re-statement of its group's claim (other words, order,
language, rounded figures): its top match must be that claim. Role `different`: a hard
negative (the same figure or system for another country or buyer, the same country with
another quantity): it must match no stored claim at all. Every query is compared with every
stored claim of the file, so the other groups' claims are distractors too.

Top-match precision: of the queries given a match (score >= threshold), the share whose
match is right. Recall: of the `same` queries, the share whose top match is their claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from language.claim_profile import profile
from language.labelled_tsv import EvaluationError, read_tsv
from language.matching import SAME_CLAIM_THRESHOLD, SUGGESTION_THRESHOLD, compare

HEADER = ("group", "role", "text")
ROLES = ("claim", "same", "different")


@dataclass(frozen=True)
class Row:
    line: int
    group: str
    role: str
    text: str


@dataclass(frozen=True)
class Outcome:
    row: Row
    match: Row | None  # the top stored claim at or above the threshold
    score: float  # the top score, matched or not
    correct: bool


def read_matching_tsv(path: str) -> list[Row]:
    rows = []
    for lineno, cells in read_tsv(path, HEADER):
        if len(cells) != 3:
            raise EvaluationError(f"{path}:{lineno}: expected 3 tab-separated columns")
        group, role, text = (c.strip() for c in cells)
        if role not in ROLES:
            raise EvaluationError(f"{path}:{lineno}: role must be one of {', '.join(ROLES)}")
        if not group or not text:
            raise EvaluationError(f"{path}:{lineno}: empty group or text")
        rows.append(Row(lineno, group, role, text))
    claims = [r for r in rows if r.role == "claim"]
    if not claims or len(claims) == len(rows):
        raise EvaluationError(f"{path}: needs stored claims and queries")
    if len({r.group for r in claims}) != len(claims):
        raise EvaluationError(f"{path}: one claim per group")
    return rows


def evaluate_rows(
    rows: list[Row], threshold: float = SUGGESTION_THRESHOLD
) -> tuple[dict[str, Any], list[Outcome]]:
    claims = [r for r in rows if r.role == "claim"]
    outcomes = []
    for query in (r for r in rows if r.role != "claim"):
        best, best_score = None, 0.0
        for claim in claims:
            score = compare(profile(query.text), profile(claim.text)).score
            if score > best_score:
                best, best_score = claim, score
        match = best if best_score >= threshold else None
        if query.role == "same":
            correct = match is not None and match.group == query.group
        else:
            correct = match is None
        outcomes.append(Outcome(query, match, best_score, correct))
    return metrics(outcomes, threshold), outcomes


def metrics(outcomes: list[Outcome], threshold: float) -> dict[str, Any]:
    predicted = [o for o in outcomes if o.match is not None]
    right = [o for o in predicted if o.row.role == "same" and o.match.group == o.row.group]
    positives = [o for o in outcomes if o.row.role == "same"]
    negatives = [o for o in outcomes if o.row.role == "different"]
    same_claim = [o for o in predicted if o.score >= SAME_CLAIM_THRESHOLD]
    same_right = [o for o in same_claim if o in right]
    precision = len(right) / len(predicted) if predicted else 0.0
    recall = len(right) / len(positives) if positives else 0.0
    return {
        "queries": len(outcomes),
        "restatements": len(positives),
        "hard_negatives": len(negatives),
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4)
        if precision + recall
        else 0.0,
        "false_matches_on_hard_negatives": sum(1 for o in negatives if o.match is not None),
        "same_claim_threshold": SAME_CLAIM_THRESHOLD,
        "same_claim_predicted": len(same_claim),
        "same_claim_precision": round(len(same_right) / len(same_claim), 4) if same_claim else 0.0,
    }


def evaluate_file(path: str, threshold: float = SUGGESTION_THRESHOLD):
    return evaluate_rows(read_matching_tsv(path), threshold)
