"""`manage.py evaluate stance FILE.tsv [--json]` and language.evaluation. No database needed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from language.evaluation import LABELS, claim_features, metrics, predict, read_stance_tsv

DEV_SET = Path(__file__).parents[1] / "data" / "stance_dev.tsv"
NORA = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia."
S, R, N = "SUPPORTS", "REFUTES", "NOT ENOUGH INFO"


def write_tsv(tmp_path: Path, lines: list[str], name: str = "set.tsv") -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# Five rows whose predictions are clear-cut; two gold labels are deliberately wrong so that
# every metric is off 0 and 1. Predictions: S, R, NEI, NEI, R.
TINY = [
    "claim\tevidence\tlabel",
    f"{NORA}\tAzerbaijan has received 48 Nora B-52NG howitzers from Serbia.\t{S}",
    f"{NORA}\tSerbia signed a contract to deliver 36 Nora B-52NG howitzers to Azerbaijan.\t{R}",
    f"{NORA}\tThe football season starts in August.\t{N}",
    f"{NORA}\tArmenia has 36 howitzers in its arsenal.\t{R}",
    f"{NORA}\tYugoimport denied that any contract for Nora B-52 howitzers with Azerbaijan "
    f"existed.\t{S}",
]


def test_predictions_on_the_tiny_set(tmp_path):
    rows = read_stance_tsv(write_tsv(tmp_path, TINY))
    assert [predict(r.claim, r.evidence).label for r in rows] == [S, R, N, N, R]


def test_json_output_keys_types_and_hand_computed_metrics(tmp_path):
    result = json.loads(run("stance", write_tsv(tmp_path, TINY), "--json"))
    assert set(result) == {"n", "accuracy", "macro_f1", "per_label"}
    assert isinstance(result["n"], int) and result["n"] == 5
    assert list(result["per_label"]) == list(LABELS)
    for figures in result["per_label"].values():
        assert set(figures) == {"precision", "recall", "f1", "n"}
        assert isinstance(figures["n"], int)
        assert all(isinstance(figures[k], float) for k in ("precision", "recall", "f1"))
    # gold S R N R S, predicted S R N N R:
    # SUPPORTS tp 1 / predicted 1 / gold 2: P 1, R 0.5, F1 2/3
    # REFUTES tp 1 / predicted 2 / gold 2: P 0.5, R 0.5, F1 0.5
    # NEI tp 1 / predicted 2 / gold 1: P 0.5, R 1, F1 2/3
    assert result["accuracy"] == 0.6
    assert result["per_label"][S] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "n": 2}
    assert result["per_label"][R] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "n": 2}
    assert result["per_label"][N] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "n": 1}
    assert result["macro_f1"] == round((2 / 3 + 0.5 + 2 / 3) / 3, 4) == 0.6111


def test_table_output(tmp_path):
    out = run("stance", write_tsv(tmp_path, TINY))
    assert "accuracy         0.6000" in out
    assert "macro F1         0.6111" in out
    assert "NOT ENOUGH INFO     0.5000  1.0000  0.6667     1" in out
    assert "gold \\ pred" in out


def test_errors_flag_lists_wrong_rows(tmp_path):
    out = run("stance", write_tsv(tmp_path, TINY), "--errors")
    assert "line 5: gold REFUTES, predicted NOT ENOUGH INFO" in out
    assert "line 6: gold SUPPORTS, predicted REFUTES (confidence " in out
    assert "source denies:" in out
    assert "line 2:" not in out


def test_errors_n_lists_the_most_confident_mistakes_in_text_and_json(tmp_path):
    path = write_tsv(tmp_path, TINY)
    out = run("stance", path, "--errors", "1")
    assert "1 most confident mistakes:" in out
    assert out.count("\n  claim: ") == 1
    result = json.loads(run("stance", path, "--json", "--errors", "5"))
    errors = result["errors"]
    assert {e["line"] for e in errors} == {5, 6}  # the two rows predicted wrong
    assert [e["confidence"] for e in errors] == sorted(
        (e["confidence"] for e in errors), reverse=True
    )
    assert set(errors[0]) == {
        "line",
        "gold",
        "predicted",
        "confidence",
        "reason",
        "claim",
        "passage",
    }
    assert {k: v for k, v in result.items() if k != "errors"} == json.loads(
        run("stance", path, "--json")
    )


def test_errors_n_must_be_a_number(tmp_path):
    with pytest.raises(CommandError):
        call_command("evaluate", "stance", write_tsv(tmp_path, TINY), "--errors", "many")


def test_metrics_by_hand():
    gold = [S, S, S, R, R, N]
    pred = [S, S, N, R, S, S]
    m = metrics(gold, pred)
    # S: tp 2, predicted 4, gold 3 -> P .5, R .6667, F1 .5714; R: P 1, R .5, F1 .6667; N: 0
    assert m["n"] == 6 and m["accuracy"] == 0.5
    assert m["per_label"][S] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714, "n": 3}
    assert m["per_label"][R] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "n": 2}
    assert m["per_label"][N] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "n": 1}
    assert m["macro_f1"] == round((4 / 7 + 2 / 3 + 0) / 3, 4)


def test_macro_f1_skips_labels_absent_from_gold_and_predictions():
    m = metrics([S, R], [S, R])
    assert m["macro_f1"] == 1.0 and m["per_label"][N]["n"] == 0


def test_features_come_from_the_extractor():
    features = claim_features(NORA)
    assert any(q["value"] == 48 for q in features["quantities"])
    assert any("Nora" in e["text"] for e in features["entities"])


def test_blank_lines_and_label_spacing_are_tolerated(tmp_path):
    lines = TINY[:2] + ["", f"{NORA}\tArmenia has 36 howitzers.\t not  enough info "]
    rows = read_stance_tsv(write_tsv(tmp_path, lines))
    assert [r.label for r in rows] == [S, N]
    assert [r.line for r in rows] == [2, 4]


def test_quotes_are_plain_characters(tmp_path):
    lines = ["claim\tevidence\tlabel", f'"{NORA}\t"Serbia sold 48 Nora B-52NG howitzers."\t{S}']
    rows = read_stance_tsv(write_tsv(tmp_path, lines))
    assert rows[0].claim.startswith('"') and rows[0].evidence.endswith('"')


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["text\tlabel", "a\t1"], "1: header must be claim<TAB>evidence<TAB>label"),
        (["claim\tevidence\tlabel", f"{NORA}\tSome text.\tTRUE"], ":2: unknown label 'TRUE'"),
        (
            ["claim\tevidence\tlabel", f"{NORA}\tok\t{S}", f"{NORA}\tno label"],
            ":3: expected 3 tab-separated columns (claim, evidence, label), got 2",
        ),
        (
            ["claim\tevidence\tlabel", f"{NORA}\tone\ttwo\t{S}"],
            ":2: expected 3 tab-separated columns (claim, evidence, label), got 4",
        ),
        (["claim\tevidence\tlabel"], "has no labelled rows"),
        ([""], "1: header must be claim<TAB>evidence<TAB>label, got []"),
    ],
)
def test_malformed_files_are_command_errors(tmp_path, lines, message):
    path = write_tsv(tmp_path, lines)
    with pytest.raises(CommandError) as info:
        run("stance", path, "--json")
    assert message in str(info.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.tsv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="is empty"):
        run("stance", str(path))


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("stance", str(tmp_path / "nope.tsv"), "--json")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.tsv"
    path.write_bytes("claim\tevidence\tlabel\nAzerbaïdjan\tx\tSUPPORTS\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("stance", str(path))


def test_checkworthiness_still_works_after_the_move(tmp_path):
    path = write_tsv(
        tmp_path,
        ["text\tlabel", "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2024.\t1"],
        name="cw.tsv",
    )
    result = json.loads(run("checkworthiness", path, "--json"))
    assert set(result) == {"n", "precision", "recall", "f1", "threshold"} and result["n"] == 1


# --- quality floors on the hand-labelled sets ----------------------------------------------
# All three sets have guided fixes by now, so they are regression floors, not test figures
# (bench/README.md, "Stance hints", has the history). The held-out sets were each written
# before a round of fixes and measured once before and once after it:
#   stance_dev.tsv (138 rows): 0.6739 before any fix ... 0.9710 now (accuracy)
#   stance_holdout.tsv (67 rows): 0.6269 -> 0.8507 (held out), 0.9254 now
#   stance_holdout2.tsv (48 rows, mostly not English): 0.4792 -> 0.8750 (held out), 0.9375 now
# ("now": the learned model with the sentence encoder, 2026-11-30; bench/README.md.)
# The floors sit a little below, so a scorer change that loses ground fails here.
HOLDOUT_SET = Path(__file__).parents[1] / "data" / "stance_holdout.tsv"
HOLDOUT2_SET = Path(__file__).parents[1] / "data" / "stance_holdout2.tsv"


@pytest.mark.parametrize(
    ("path", "overall", "per_label"),
    [(DEV_SET, 0.94, 0.92), (HOLDOUT_SET, 0.92, 0.88), (HOLDOUT2_SET, 0.92, 0.9)],
    ids=["dev", "holdout", "holdout2"],
)
def test_quality_floor(path, overall, per_label):
    result = json.loads(run("stance", str(path), "--json"))
    assert result["n"] >= 45
    assert result["accuracy"] >= overall
    assert result["macro_f1"] >= overall
    for label in LABELS:
        assert result["per_label"][label]["f1"] >= per_label, label


# --- scorer fixes found with the dev set (language.passages / language.stance) ------------------
JF17 = "Azerbaijan signed a $1.6 billion deal to buy JF-17 Thunder fighter jets from Pakistan."


@pytest.mark.parametrize(
    ("claim", "evidence", "label", "reason"),
    [
        # money is compared with money in the same currency, any language
        (JF17, "The JF-17 deal between Azerbaijan and Pakistan is worth $4.6 billion.", R,
         "claim says 1.6 billion USD, source says 4.6 billion USD"),
        (JF17, "Azerbaycan, Pakistan ile JF-17 Thunder savaş uçakları için 1,6 milyar dolarlık "
         "anlaşma imzaladı.", S, "both say 1.6 billion USD"),
        # a count of jets is not a price
        (JF17, "Nigeria bought three JF-17 Thunder jets from Pakistan in 2021.", N, ""),
        # "four dozen" is 48
        (NORA, "Baku's order for four dozen Nora B-52NG howitzers from Serbia is now complete.", S,
         "both say 48 howitzers"),
        # the country's name as Turkish and Russian spell it
        ("Azerbaijan's defense spending grows 15–20% a year.",
         "Azerbaycan'ın savunma harcamaları her yıl yüzde 15-20 oranında artıyor.", S, ""),
        ("Azerbaijan's defense spending grows 15–20% a year.",
         "Военные расходы Азербайджана выросли на 35% в 2024 году.", R, ""),
    ],
)  # fmt: skip
def test_scorer_fixes(claim, evidence, label, reason):
    p = predict(claim, evidence)
    assert p.label == label, p.stance.reason
    assert reason in p.stance.reason


@pytest.mark.parametrize(
    ("evidence", "label", "reason"),
    [
        ("Deliveries of Nora B-52NG howitzers from Serbia to Azerbaijan began in 2021.", R,
         "claim says 2024, source says 2021"),
        ("The first Nora B-52NG howitzers arrived in Azerbaijan from Serbia in 2024.", S,
         "both say 2024"),
        ("The Nora B-52NG was first shown at the Partner fair in Belgrade in 2017.", N, ""),
    ],
)  # fmt: skip
def test_years_are_compared(evidence, label, reason):
    claim = "Serbia began delivering Nora B-52NG howitzers to Azerbaijan in 2024."
    p = predict(claim, evidence)
    assert p.label == label, p.stance.reason
    assert reason in p.stance.reason


def test_names_with_a_stopword_match_whole():
    from language.passages import entity_match, entity_tokens

    tokens = entity_tokens("Azerbaijan and Bosnia and Herzegovina held talks.")
    assert entity_match("Bosnia and Herzegovina", tokens, set(tokens)) == 1.0
    tokens = entity_tokens("Slovenia signed.")
    assert entity_match("Slovakia", tokens, set(tokens)) == 0.0
