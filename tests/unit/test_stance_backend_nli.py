"""The NLI stance back-end: the real onnxruntime and tokenizers code on a model the test builds.

tests/nli_model.py writes a random-weight ONNX cross-encoder with three planted words, so
each answer below is known; every failure must leave the built-in scorer's hint in place.
"""

from __future__ import annotations

import json

import pytest

from language.stance import Stance, stance_hint
from tests.nli_model import build_nli_model
from worker.stance_backends import BUILTIN, NLI, NliBackend, Pair, hint_pairs
from worker.stance_backends.base import decided_by_figures
from worker.stance_backends.nli import load_model

CLAIM = "Azerbaijan bought Nora B-52NG howitzers from Serbia"
CONFIRMED = "The ministry confirmed the delivery of Nora howitzers to Azerbaijan"
DENIED = "The ministry denied any contract for Nora howitzers with Azerbaijan"
WEATHER = "The weather in Baku was mild on Monday"


@pytest.fixture(autouse=True)
def _fresh_models():
    load_model.cache_clear()
    yield
    load_model.cache_clear()


@pytest.fixture
def model_dir(tmp_path):
    return build_nli_model(tmp_path / "nli")


def pairs(*passages: str, claim: str = CLAIM) -> list[Pair]:
    return [Pair(claim, {}, p) for p in passages]


@pytest.mark.parametrize("token_types", [True, False], ids=["bert-style", "no-token-types"])
def test_the_model_judges_each_pair_of_a_source(tmp_path, token_types):
    folder = build_nli_model(tmp_path / "nli", token_types=token_types)
    hints = hint_pairs(pairs(CONFIRMED, DENIED, WEATHER), NliBackend(str(folder)))
    assert [h.label for h in hints] == ["supports", "contradicts", "mentions"]
    assert {h.backend for h in hints} == {NLI}
    assert hints[0].reason.startswith("NLI model reads entailment (p = ")
    assert hints[1].reason.startswith("NLI model reads contradiction")
    assert all(0.9 < h.confidence <= 1.0 for h in hints)


def test_all_pairs_of_a_source_run_as_one_batch(model_dir):
    model = load_model(str(model_dir), ())  # the key NliBackend loads it under
    calls: list[int] = []
    real_run = model.session.run

    class CountingSession:
        def run(self, outputs, feed):
            calls.append(len(feed["input_ids"]))
            return real_run(outputs, feed)

    model.session = CountingSession()
    hints = hint_pairs(pairs(CONFIRMED, DENIED, WEATHER, CONFIRMED), NliBackend(str(model_dir)))
    assert [h.backend for h in hints] == [NLI] * 4
    assert calls == [4]


def test_configured_label_order_overrides_config_json(model_dir):
    # Told the logits are in another order, the same outputs read differently.
    backend = NliBackend(str(model_dir), ["entailment", "contradiction", "neutral"])
    hints = hint_pairs(pairs(CONFIRMED, DENIED), backend)
    assert [h.label for h in hints] == ["contradicts", "supports"]
    assert [h.backend for h in hints] == [NLI, NLI]


def test_a_long_passage_is_cut_to_the_model_length_and_still_judged(model_dir):
    long_passage = CONFIRMED + " " + " ".join(["Monday"] * 2000)
    [hint] = hint_pairs(pairs(long_passage), NliBackend(str(model_dir)))
    assert hint.backend == NLI
    assert hint.label == "supports"


def test_a_decisive_comparison_of_figures_overrides_the_model(model_dir):
    claim = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia."
    passage = "Azerbaijan bought 36 Nora B-52NG howitzers from Serbia, officials confirmed."
    builtin = stance_hint(claim, {}, passage)
    assert builtin.label == "contradicts" and decided_by_figures(builtin)
    [hint] = hint_pairs(pairs(passage, claim=claim), NliBackend(str(model_dir)))
    assert (hint.label, hint.backend, hint.reason) == ("contradicts", BUILTIN, builtin.reason)
    # The same passage without figures is the model's to judge.
    [hint] = hint_pairs(pairs(CONFIRMED), NliBackend(str(model_dir)))
    assert hint.backend == NLI


def _builtin_everywhere(folder, *passages: str) -> None:
    hints = hint_pairs(pairs(*passages), NliBackend(str(folder)))
    assert [h.backend for h in hints] == [BUILTIN] * len(passages)
    assert [(h.label, h.reason) for h in hints] == [
        (s.label, s.reason) for s in (stance_hint(CLAIM, {}, p) for p in passages)
    ]


def test_no_model_folder_configured_falls_back_to_builtin():
    _builtin_everywhere("", CONFIRMED, DENIED)


@pytest.mark.parametrize("missing", ["model.onnx", "tokenizer.json"])
def test_a_missing_file_falls_back_to_builtin(model_dir, missing):
    (model_dir / missing).unlink()
    _builtin_everywhere(model_dir, CONFIRMED, DENIED)


def test_labels_neither_configured_nor_in_config_json_fall_back_to_builtin(tmp_path):
    folder = build_nli_model(tmp_path / "nli", config=False)
    _builtin_everywhere(folder, CONFIRMED)


def test_unknown_label_names_fall_back_to_builtin(model_dir):
    (model_dir / "config.json").write_text(
        json.dumps({"id2label": {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}})
    )
    _builtin_everywhere(model_dir, CONFIRMED)


@pytest.mark.parametrize(
    "damage",
    ["garbage-model", "garbage-tokenizer", "two-logits"],
)
def test_a_broken_model_falls_back_to_builtin(tmp_path, damage):
    folder = build_nli_model(tmp_path / "nli", labels=2 if damage == "two-logits" else 3)
    if damage == "garbage-model":
        (folder / "model.onnx").write_bytes(b"\x00not an onnx graph" * 10)
    elif damage == "garbage-tokenizer":
        (folder / "tokenizer.json").write_text("{ this is not a tokenizer")
    _builtin_everywhere(folder, CONFIRMED, DENIED)


@pytest.mark.parametrize(
    ("label", "reason", "decided"),
    [
        ("contradicts", "claim says 4, source says 48", True),
        ("supports", "both say 48 howitzers; both say 2023", True),
        ("supports", "source says 50, consistent with claim's about 48", True),
        ("supports", "both say 2023", False),  # years alone agree too easily
        ("contradicts", "claim says 2024, source says 2021", False),
        ("contradicts", "source denies: “no contract for 48 howitzers”", False),
        ("mentions", "claim says 4, source says 48", False),
    ],
)
def test_which_builtin_hints_rest_on_figures(label, reason, decided):
    assert decided_by_figures(Stance(label, reason, 0.8)) is decided
