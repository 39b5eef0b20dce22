"""`manage.py evaluate TASK FILE.tsv [--json] [--errors N]`: how well the scorers do on
labelled data.

- checkworthiness: text<TAB>label (1/0); precision/recall/F1 of the check-worthiness scorer.
- stance: claim<TAB>evidence<TAB>label (SUPPORTS, REFUTES, NOT ENOUGH INFO); accuracy, macro F1
  and per-label figures of the stance hints the workers give (language.evaluation).
- matching: group<TAB>role<TAB>text (claim, same, different); precision and recall of the top
  match the claim matcher gives (language.matching_evaluation).

It lives in worker/ because the stance task uses the worker's scorer (claims never imports
worker); the checkworthiness task is unchanged. `--backend builtin|nli|llm` measures a stance
back-end (default: FACTCHECK_STANCE_BACKEND); for nli and llm the JSON adds `backend` and
`hints_by` (how many hints each back-end gave, fallbacks to builtin included).
"""

from __future__ import annotations

import argparse
import json

from django.conf import settings
from django.core.management.base import CommandError

from claims.management.json_commands import JsonCommand
from language.evaluation import (
    EvaluationError,
    confusion,
    evaluate_file,
    format_table,
    most_confident_errors,
)
from language.extraction import score_sentence
from language.labelled_tsv import read_tsv
from language.matching_evaluation import evaluate_file as evaluate_matching_file
from worker.stance_backends import BACKEND_NAMES, BUILTIN, configured_backend
from worker.stance_backends.evaluation import evaluate_with_backend


def read_labelled(path: str) -> list[tuple[str, int]]:
    """Rows of a header + text<TAB>label TSV (no quoting); CommandError when malformed."""
    try:
        rows = read_tsv(path, ("text", "label"))
    except EvaluationError as exc:
        raise CommandError(str(exc)) from exc
    data: list[tuple[str, int]] = []
    for lineno, row in rows:
        if len(row) != 2 or row[1].strip() not in ("0", "1"):
            raise CommandError(f"{path}:{lineno}: expected text<TAB>label with label 0 or 1")
        data.append((row[0], int(row[1])))
    if not data:
        raise CommandError(f"{path} has no labelled rows")
    return data


class Command(JsonCommand):
    json_flag = "json"

    help = "Evaluate a scorer on labelled data. Tasks: checkworthiness, stance, matching."

    def add_arguments(self, parser):
        parser.add_argument("task", choices=["checkworthiness", "stance", "matching"])
        parser.add_argument(
            "file",
            help="TSV with a header row: text<TAB>label (1/0) for checkworthiness, "
            "claim<TAB>evidence<TAB>label (SUPPORTS/REFUTES/NOT ENOUGH INFO) for stance, "
            "group<TAB>role<TAB>text (claim/same/different) for matching",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="checkworthiness (default 0.5) and matching (default: the suggestion threshold)",
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--errors",
            type=_count,
            nargs="?",
            const=20,
            default=0,
            metavar="N",
            help="stance: list the N most confident mistakes (20 when N is not given); matching: "
            "the rows it gets wrong; "
            'with --json they are the list "errors"',
        )
        parser.add_argument(
            "--backend",
            choices=BACKEND_NAMES,
            help="stance: the back-end to measure (default: FACTCHECK_STANCE_BACKEND)",
        )

    def handle(self, *args, **options):
        if options["task"] == "stance":
            self.handle_stance(options)
            return
        if options["task"] == "matching":
            self.handle_matching(options)
            return
        rows = read_labelled(options["file"])
        threshold = 0.5 if options["threshold"] is None else options["threshold"]
        tp = fp = fn = 0
        for text, label in rows:
            predicted = score_sentence(" ".join(text.split())).score >= threshold
            tp += predicted and label == 1
            fp += predicted and label == 0
            fn += (not predicted) and label == 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result = {
            "n": len(rows),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "threshold": threshold,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"{'metric':<10} value")
        for key in ("n", "precision", "recall", "f1", "threshold"):
            self.stdout.write(f"{key:<10} {result[key]}")

    def handle_stance(self, options):
        name = options["backend"] or settings.FACTCHECK_STANCE_BACKEND
        try:
            if name == BUILTIN:
                result, predictions = evaluate_file(options["file"])
            else:
                # An evaluation is the operator's own run: no per-article LLM budget.
                backend = configured_backend(name, budget=lambda _pair: True)
                result, predictions = evaluate_with_backend(options["file"], backend)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        errors = most_confident_errors(predictions, options["errors"])
        if options["json"]:
            if options["errors"]:
                result = {**result, "errors": errors}
            self.stdout.write(json.dumps(result))
            return
        for line in format_table(result) + [""] + confusion(predictions):
            self.stdout.write(line)
        if "hints_by" in result:
            given = ", ".join(f"{name} {n}" for name, n in result["hints_by"].items())
            self.stdout.write(f"\nhints by back-end: {given}")
        if options["errors"]:
            self.stdout.write(f"\n{len(errors)} most confident mistakes:")
        for e in errors:
            self.stdout.write(
                f"line {e['line']}: gold {e['gold']}, predicted {e['predicted']} "
                f"(confidence {e['confidence']:.2f}; {e['reason']})\n"
                f"  claim: {e['claim']}\n  passage: {e['passage']}"
            )

    def handle_matching(self, options):
        threshold = options["threshold"]
        if threshold is None:
            threshold = settings.FACTCHECK_MATCH_SUGGESTION_THRESHOLD
        try:
            result, outcomes = evaluate_matching_file(options["file"], threshold)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        if options["errors"]:
            out = self.stderr if options["json"] else self.stdout
            for o in outcomes:
                if not o.correct:
                    got = f"{o.match.group} ({o.score:.2f})" if o.match else f"none ({o.score:.2f})"
                    out.write(f"line {o.row.line}: {o.row.role} of {o.row.group}, matched {got}")
                    out.write(f"  {o.row.text}")
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        for key, value in result.items():
            self.stdout.write(f"{key:<32} {value}")


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of rows, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("the number of rows cannot be negative")
    return n
