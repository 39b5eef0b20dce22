"""Train the check-worthiness model and compare it with a TF-IDF baseline.

Dev-only (needs scikit-learn). Usage, from the repository root:

    .venv/bin/python -m language.extraction.training.train_checkworthiness \
        [--data /work/shared/data/checkworthy-train.tsv] [--write-split DIR]

Fixed held-out split: 80/20 stratified, seed 42. Both systems are trained on
the same 80% and scored on the same 20%. Our model's C and decision threshold
are chosen by 5-fold cross-validation inside the training split only; the
exported bias is shifted so that the chosen threshold lands at score 0.5,
which is the default claim threshold of extract_article().
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from language.extraction.model import MODEL_PATH, analyse, load_model, model_features
from language.extraction.scoring import rule_adjustment, score_sentence

DEFAULT_DATA = Path("/work/shared/data/checkworthy-train.tsv")
SEED = 42
PRUNE = 0.01  # weights smaller than this are dropped from the JSON (size, not accuracy)


def read_tsv(path: Path) -> tuple[list[str], list[int]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    body = rows[1:]
    return [r[0] for r in body], [int(r[1]) for r in body]


def best_threshold(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    best = (0.0, -1.0)
    for t in np.arange(-3.0, 3.0, 0.05):
        f = f1_score(y, logits >= t)
        if f > best[1]:
            best = (float(t), float(f))
    return best


def report(name: str, y: np.ndarray, pred: np.ndarray) -> dict:
    r = {
        "precision": round(float(precision_score(y, pred)), 4),
        "recall": round(float(recall_score(y, pred)), 4),
        "f1": round(float(f1_score(y, pred)), 4),
    }
    print(f"  {name:<48} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}")
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--write-split", type=Path, help="write train.tsv/heldout.tsv here")
    args = ap.parse_args(argv)
    t0 = time.time()
    texts, labels = read_tsv(args.data)
    y_all = np.array(labels)
    idx = np.arange(len(texts))
    tr, te = train_test_split(idx, test_size=0.2, stratify=y_all, random_state=SEED)
    xtr_text = [texts[i] for i in tr]
    xte_text = [texts[i] for i in te]
    ytr, yte = y_all[tr], y_all[te]
    print(
        f"data: {len(texts)} rows, {int(y_all.sum())} positive; train {len(tr)}, held-out {len(te)}"
    )
    if args.write_split:
        args.write_split.mkdir(parents=True, exist_ok=True)
        for name, ids in (("train.tsv", tr), ("heldout.tsv", te)):
            with (args.write_split / name).open("w", encoding="utf-8") as fh:
                fh.write("text\tlabel\n")
                for i in ids:
                    fh.write(f"{texts[i]}\t{labels[i]}\n")

    results: dict[str, dict] = {}
    print("held-out results (same 20% split):")
    # Baseline: plain TF-IDF + logistic regression, library defaults.
    vec = TfidfVectorizer()
    base = LogisticRegression(max_iter=2000).fit(vec.fit_transform(xtr_text), ytr)
    results["baseline_tfidf_lr"] = report(
        "baseline TF-IDF + LogisticRegression", yte, base.predict(vec.transform(xte_text))
    )
    base_bal = LogisticRegression(max_iter=2000, class_weight="balanced").fit(
        vec.transform(xtr_text), ytr
    )
    results["baseline_tfidf_lr_balanced"] = report(
        "baseline TF-IDF + LR (class_weight=balanced)",
        yte,
        base_bal.predict(vec.transform(xte_text)),
    )

    # Ours: word n-grams + hand-crafted cues, then rules added at scoring time.
    tr_an = [analyse(t) for t in xtr_text]
    dv = DictVectorizer()
    Xtr = dv.fit_transform([model_features(t, a) for t, a in zip(xtr_text, tr_an, strict=True)])
    rules_tr = np.array([rule_adjustment(t, a)[0] for t, a in zip(xtr_text, tr_an, strict=True)])
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    best = None
    for c in (2.0, 4.0, 8.0, 16.0):
        oof = np.zeros(len(tr))
        for a, b in skf.split(Xtr, ytr):
            m = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
            m.fit(Xtr[a], ytr[a])
            oof[b] = m.decision_function(Xtr[b])
        t, f = best_threshold(oof + rules_tr, ytr)
        print(f"  cv C={c:<4} threshold={t:+.2f} cv-F1={f:.4f}")
        if best is None or f > best[2]:
            best = (c, t, f)
    c, thr, _ = best
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(Xtr, ytr)
    names = dv.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4)
        for n, w in zip(names, clf.coef_[0], strict=True)
        if abs(w) >= PRUNE
    }
    bias = round(float(clf.intercept_[0]) - thr, 4)
    payload = {
        "meta": {
            "description": "check-worthiness logistic regression; see training/README.md",
            "features": "binary word uni/bigrams + char 4-grams (L2-normalised) + cue features",
            "C": c,
            "threshold_shift": round(thr, 4),
            "train_rows": int(len(tr)),
            "seed": SEED,
            "data": "ClaimBuster (Arslan et al., ICWSM 2020), CC BY 4.0",
        },
        "bias": bias,
        "weights": dict(sorted(weights.items())),
    }
    args.out.write_text(json.dumps(payload, separators=(",", ":"), ensure_ascii=False) + "\n")
    load_model.cache_clear()
    size_kb = args.out.stat().st_size / 1024
    print(f"model: C={c}, {len(weights)} weights, {size_kb:.0f} KB -> {args.out}")

    # Score the held-out split with the shipped pure-Python scorer.
    model = load_model(str(args.out))
    te_an = [analyse(t) for t in xte_text]
    model_only = np.array(
        [model.logit(model_features(t, a)) >= 0 for t, a in zip(xte_text, te_an, strict=True)]
    )
    results["ours_model_only"] = report("ours, model only (pure Python)", yte, model_only)
    scores = np.array([score_sentence(t).score for t in xte_text])
    results["ours_scorer"] = report(
        "ours, extractor scorer at 0.5 (model+rules)", yte, scores >= 0.5
    )
    results["delta_f1_vs_baseline"] = round(
        results["ours_scorer"]["f1"] - results["baseline_tfidf_lr"]["f1"], 4
    )
    print(json.dumps(results))
    print(f"done in {time.time() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
